//! The "possible duplicates" view and the merge view of the Customers pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::domain::customer::Customer;
use crate::domain::duplicates::Field;
use crate::domain::text::{clean, truncate, width};
use crate::i18n::{Lang, t, tf};

pub fn render_dups(app: &App, f: &mut Frame, area: Rect) {
    let Some(v) = &app.find.dups else { return };
    let lang = app.lang;
    let title = tf(lang, "find.dups.title", &[("n", &v.rows.len())]);
    let block = super::framed(app, &title, area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    // Two lines a pair: the reason and the first, then the second.
    let per_page = (inner.height as usize / 2).max(1);
    let first = v.cursor.saturating_sub(per_page - 1);
    let mut lines = Vec::new();
    for (pos, r) in v.rows.iter().enumerate().skip(first).take(per_page) {
        let style = if pos == v.cursor {
            Style::new().bg(app.theme.selection).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let because = t(lang, r.because.key());
        let head = format!("{because}{}#{} {}", t(lang, "card.label_sep"), r.a.id, r.a.label);
        lines.push(Line::from(Span::styled(truncate(&head, w).into_owned(), style)));
        let pad = " ".repeat(width(because) + 2);
        let second = format!("{pad}#{} {}", r.b.id, r.b.label);
        lines.push(Line::from(Span::styled(truncate(&second, w).into_owned(), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// A field's value as the merge view shows it.
fn value(lang: Lang, c: &Customer, field: Field) -> String {
    let s = match field {
        Field::Name => c.name.clone(),
        Field::Company => c.company.clone(),
        Field::Role => c.role.clone(),
        Field::Wechat => c.wechat.clone(),
        Field::Email => c.email.clone(),
        Field::City => c.city.clone(),
        Field::Birthday => c.birthday.map(|b| b.to_string()).unwrap_or_default(),
        Field::Grade => c.grade.as_str().to_string(),
        Field::Status => t(lang, c.status.key()).to_string(),
        Field::Relationship => t(lang, c.relationship.key()).to_string(),
        Field::Personality => c.personality.map(|p| t(lang, p.key()).to_string()).unwrap_or_default(),
        Field::Hobbies => c.hobbies.clone(),
        Field::Family => c.family.clone(),
        Field::Notes => c.notes.clone(),
    };
    if s.is_empty() {
        "—".into()
    } else {
        clean(&s).into_owned()
    }
}

pub fn render_merge(app: &App, f: &mut Frame, area: Rect) {
    let Some(m) = &app.find.merge else { return };
    let lang = app.lang;
    let title = tf(
        lang,
        "find.merge.title",
        &[
            ("keep", &format!("#{}", m.keep.id)),
            ("other", &format!("#{}", m.other.id)),
        ],
    );
    let block = super::framed(app, &title, area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let label_w = 12usize;
    let col = w.saturating_sub(label_w + 4) / 2;
    let muted = Style::new().fg(app.theme.muted);
    let mut lines = vec![
        Line::from(Span::styled(
            truncate(t(lang, "find.merge.help"), w).into_owned(),
            muted,
        )),
        Line::from(vec![
            Span::raw(" ".repeat(label_w + 2)),
            Span::styled(
                {
                    let s = truncate(&format!("#{} {}", m.keep.id, t(lang, "find.merge.kept")), col).into_owned();
                    let fill = col.saturating_sub(width(&s));
                    format!("{s}{}", " ".repeat(fill))
                },
                Style::new().bold().fg(app.theme.accent),
            ),
            Span::raw("  "),
            Span::styled(
                truncate(&format!("#{} {}", m.other.id, t(lang, "find.merge.other")), col).into_owned(),
                Style::new().bold().fg(app.theme.accent),
            ),
        ]),
    ];
    if m.fields.is_empty() {
        lines.push(Line::from(t(lang, "find.merge.same")));
    }
    let pad = |s: &str, n: usize| {
        let s = truncate(s, n).into_owned();
        let fill = n.saturating_sub(width(&s));
        format!("{s}{}", " ".repeat(fill))
    };
    for (pos, (field, take_other)) in m.fields.iter().enumerate() {
        let chosen = Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD);
        let (ks, os) = if *take_other { (muted, chosen) } else { (chosen, muted) };
        let mark = |on: bool| if on { "● " } else { "○ " };
        let mut line = Line::from(vec![
            Span::raw(pad(t(lang, field.key()), label_w)),
            Span::raw("  "),
            Span::styled(
                pad(&format!("{}{}", mark(!take_other), value(lang, &m.keep, *field)), col),
                ks,
            ),
            Span::raw("  "),
            Span::styled(
                pad(&format!("{}{}", mark(*take_other), value(lang, &m.other, *field)), col),
                os,
            ),
        ]);
        if pos == m.cursor {
            line = line.style(Style::new().bg(app.theme.selection));
        }
        lines.push(line);
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        truncate(t(lang, "find.merge.kept_always"), w).into_owned(),
        muted,
    )));
    f.render_widget(
        Paragraph::new(crate::ui::wrap::lines(lines, inner.width as usize)),
        inner,
    );
}
