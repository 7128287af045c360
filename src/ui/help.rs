//! The help screen (generated from the key table), info pages, confirmations.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, overlay_block};
use crate::app::help::{self, HelpLine};
use crate::app::{App, Confirm};
use crate::domain::text;
use crate::i18n::t;

pub fn render_help(app: &App, f: &mut Frame, over: Rect, scroll: u16) {
    let area = centered(over, 72, over.height);
    let block = overlay_block(app, f, area, t(app.lang, "help.title").to_string());
    let lines: Vec<Line> = help::lines(&app.keys)
        .into_iter()
        .map(|l| match l {
            HelpLine::Title(ctx) => Line::from(Span::styled(
                t(app.lang, ctx.title_key()),
                Style::new().bold().fg(app.theme.accent),
            )),
            HelpLine::Row(keys, desc) => {
                let pad = 22usize.saturating_sub(text::width(&keys));
                Line::from(vec![
                    Span::styled(format!("  {keys}{}", " ".repeat(pad)), Style::new().bold()),
                    Span::raw(t(app.lang, desc)),
                ])
            }
            HelpLine::Blank => Line::from(""),
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

pub fn render_confirm(app: &App, f: &mut Frame, over: Rect, c: &Confirm) {
    let key = match c {
        Confirm::Quit => "confirm.quit",
        Confirm::DiscardForm(_) => "confirm.discard",
        Confirm::RegionCare { .. } => "",
        Confirm::RestoreDraft(_) => "confirm.restore_draft",
        Confirm::Qual(q) => q.key(),
        Confirm::LowSatisfaction { .. } => "",
        Confirm::Grades(_) => "",
        Confirm::DeletePurchase(_) => "purchase.confirm_delete",
        Confirm::Find(_) => "",
    };
    let area = match c {
        Confirm::Find(_) => centered(over, 64, 8),
        _ => centered(over, 50, 5),
    };
    let block = overlay_block(app, f, area, t(app.lang, "confirm.title").to_string());
    let question = match c {
        Confirm::RegionCare { ids, label } => crate::i18n::tf(
            app.lang,
            "agenda.confirm_region",
            &[("n", &ids.len()), ("label", &text::clean(label))],
        ),
        Confirm::LowSatisfaction { got, min, .. } => crate::i18n::tf(
            app.lang,
            "complaints.confirm.low_satisfaction",
            &[("got", got), ("min", min)],
        ),
        Confirm::Grades(n) => crate::i18n::tf(app.lang, "insights.confirm_all", &[("n", n)]),
        Confirm::Find(q) => q.text(app),
        _ => t(app.lang, key).to_string(),
    };
    let mut keys = vec![
        Span::styled("y", Style::new().bold().fg(app.theme.accent)),
        Span::raw(format!(" {}   ", t(app.lang, "key.yes"))),
        Span::styled("n", Style::new().bold().fg(app.theme.accent)),
        Span::raw(format!(" {}", t(app.lang, "key.no"))),
    ];
    if let Confirm::Find(crate::app::find::FindConfirm::LookAlike { .. }) = c {
        keys.push(Span::styled("   o", Style::new().bold().fg(app.theme.accent)));
        keys.push(Span::raw(format!(" {}", t(app.lang, "find.key.open_other"))));
    }
    let lines = vec![Line::from(question), Line::from(keys)];
    f.render_widget(
        Paragraph::new(crate::ui::wrap::lines(lines, area.width.saturating_sub(2) as usize)).block(block),
        area,
    );
}
