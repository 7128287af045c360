//! The sync conflicts overlay: each conflict with both values, the
//! highlighted one's keys, and the value being typed.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::teamsync::ConflictsView;
use crate::app::teamsync::conflicts::{field_label, shown};
use crate::domain::text::{clean, truncate};
use crate::i18n::{t, tf};

pub fn render(app: &App, f: &mut Frame, area: Rect, v: &ConflictsView) {
    let lang = app.lang;
    let theme = &app.theme;
    let area = super::centered(area, 100, 22);
    let title = tf(lang, "sync.overlay.title", &[("n", &v.rows.len())]);
    let block = super::overlay_block(app, f, area, title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let label = |k: &str| Span::styled(format!("  {} ", t(lang, k)), Style::new().fg(theme.muted));
    let mut lines: Vec<Line> = vec![
        Line::from(Span::styled(
            truncate(t(lang, "sync.overlay.help"), width).into_owned(),
            Style::new().fg(theme.muted),
        )),
        Line::from(""),
    ];
    let mut cursor = None;
    for (i, row) in v.rows.iter().enumerate() {
        let c = &row.conflict;
        let here = i == v.cursor;
        let head = format!(
            "{}{} · {}",
            if here { "▶ " } else { "  " },
            clean(&row.record),
            field_label(lang, &c.table, &c.field)
        );
        let style = if here {
            Style::new().bg(theme.selection).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        lines.push(Line::from(Span::styled(truncate(&head, width).into_owned(), style)));
        let mine = truncate(&shown(lang, &c.mine), width.saturating_sub(14)).into_owned();
        let theirs = truncate(&shown(lang, &c.theirs), width.saturating_sub(14)).into_owned();
        lines.push(Line::from(vec![label("sync.overlay.mine"), Span::raw(mine)]));
        lines.push(Line::from(vec![label("sync.overlay.theirs"), Span::raw(theirs)]));
        if here && let Some(input) = &v.editing {
            let prompt = format!("  {} ", t(lang, "sync.overlay.yours"));
            let pw = crate::domain::text::width(&prompt);
            let (text, col) = input.view(width.saturating_sub(pw + 1).max(4));
            cursor = Some((pw + col, lines.len()));
            lines.push(Line::from(vec![
                Span::styled(prompt, Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)),
                Span::raw(text),
            ]));
        }
    }
    // Keep the highlighted conflict on screen.
    let h = inner.height as usize;
    let at = 2 + v.rows.iter().take(v.cursor).count() * 3;
    let scroll = (at + 4).saturating_sub(h);
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if let Some((x, y)) = cursor
        && y >= scroll
        && y - scroll < h
    {
        f.set_cursor_position(Position::new(inner.x + x as u16, inner.y + (y - scroll) as u16));
    }
}
