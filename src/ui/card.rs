//! The pre-call card: what the rep reads in the 30 seconds before dialling.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::fmt::{last_contact_label, next_due_label};
use chrono::NaiveDate;

use crate::app::{App, Card};
use crate::domain::cadence::Cadence;
use crate::domain::dates;
use crate::domain::text::{clean, clean_lines};
use crate::i18n::{Lang, t, tf};
use crate::theme::Theme;

/// The card as lines; shared by the TUI and `rapport find`.
pub fn card_lines(card: &Card, lang: Lang, theme: &Theme, today: NaiveDate, cadence: &Cadence) -> Vec<Line<'static>> {
    let c = &card.customer;
    let sep = t(lang, "card.label_sep");
    let label = |k: &str| Span::styled(format!("{}{sep}", t(lang, k)), Style::new().fg(theme.muted));
    let mut lines = Vec::new();
    let mut head = vec![Span::styled(
        clean(&c.name).into_owned(),
        Style::new().bold().fg(theme.accent),
    )];
    if !c.company.is_empty() || !c.role.is_empty() {
        let sep = if c.company.is_empty() || c.role.is_empty() {
            ""
        } else {
            " · "
        };
        head.push(Span::raw(format!("  {}{sep}{}", clean(&c.company), clean(&c.role))));
    }
    lines.push(Line::from(head));
    let mut contact = Vec::new();
    if !c.phones.is_empty() {
        contact.push(label("field.phones"));
        contact.push(Span::raw(format!("{}   ", clean(&c.phones.join(", ")))));
    }
    if !c.wechat.is_empty() {
        contact.push(label("field.wechat"));
        contact.push(Span::raw(format!("{}   ", clean(&c.wechat))));
    }
    if !c.email.is_empty() {
        contact.push(label("field.email"));
        contact.push(Span::raw(format!("{}   ", clean(&c.email))));
    }
    if !c.city.is_empty() {
        contact.push(label("field.city"));
        contact.push(Span::raw(clean(&c.city).into_owned()));
    }
    if !contact.is_empty() {
        lines.push(Line::from(contact));
    }
    let since = card
        .history
        .last()
        .map(|h| h.at.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    lines.push(Line::from(vec![
        label("field.grade"),
        Span::raw(format!("{} {}   ", c.grade.as_str(), t(lang, c.grade.key()))),
        label("field.status"),
        Span::raw(format!(
            "{} ({} {since})   ",
            t(lang, c.status.key()),
            t(lang, "card.since")
        )),
        label("field.relationship"),
        Span::raw(t(lang, c.relationship.key())),
    ]));
    let next = cadence.due_for(
        c.status,
        c.grade,
        c.contact.last_call,
        c.contact.last_visit,
        c.created_at.date(),
    );
    let visit = cadence.visit_is_next(c.grade, c.contact.last_call, c.contact.last_visit, c.created_at.date());
    let (due, tone) = next_due_label(lang, next, visit, today);
    lines.push(Line::from(vec![
        label("col.last_contact"),
        Span::raw(format!(
            "{}   ",
            last_contact_label(lang, c.contact.last_contact.map(|t| t.date()), today)
        )),
        label("col.next_due"),
        Span::styled(due, tone.style(theme).bold()),
    ]));
    if let Some(p) = c.personality {
        lines.push(Line::from(vec![
            label("field.personality"),
            Span::styled(
                format!("{} — ", t(lang, p.key())),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(t(lang, p.strategy_key())),
        ]));
    }
    if let Some(b) = c.birthday {
        let days = dates::days_until_birthday(&b, today);
        let when = match days {
            0 => t(lang, "card.birthday_today").to_string(),
            1 => t(lang, "card.birthday_tomorrow").to_string(),
            n => tf(lang, "card.birthday_in", &[("n", &n)]),
        };
        let age = dates::age_on(&b, dates::next_birthday(&b, today))
            .map(|a| format!("{}{}", t(lang, "card.list_sep"), tf(lang, "card.turns", &[("n", &a)])))
            .unwrap_or_default();
        let style = if days <= 7 {
            Style::new().fg(theme.warning).bold()
        } else {
            Style::new()
        };
        // A lunar birthday also says the Gregorian day it falls on.
        let text = if b.lunar().is_some() {
            let on = dates::next_birthday(&b, today).format("%m-%d").to_string();
            format!(
                "{b} · {} ({when}{age})",
                tf(lang, "card.lunar_falls_on", &[("date", &on)])
            )
        } else {
            format!("{b} ({when}{age})")
        };
        lines.push(Line::from(vec![label("field.birthday"), Span::styled(text, style)]));
    }
    for (key, value) in [
        ("field.hobbies", &c.hobbies),
        ("field.family", &c.family),
        ("field.notes", &c.notes),
    ] {
        if !value.is_empty() {
            lines.push(Line::from(vec![label(key), Span::raw(clean(value).into_owned())]));
        }
    }
    if !c.tags.is_empty() {
        lines.push(Line::from(vec![
            label("field.tags"),
            Span::raw(clean(&c.tags.join(", ")).into_owned()),
        ]));
    }
    // What the other panes add (MAN verdict, complaints, agenda), in order.
    for s in &card.sections {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            clean(&s.title).into_owned(),
            Style::new().bold().fg(theme.accent),
        )));
        for l in &s.lines {
            let style = if l.alert {
                Style::new().fg(theme.warning).bold()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(clean(&l.text).into_owned(), style)));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        t(lang, "card.recent"),
        Style::new().bold().fg(theme.accent),
    )));
    if card.recent.is_empty() {
        lines.push(Line::from(Span::styled(
            t(lang, "card.no_interactions"),
            Style::new().fg(theme.muted),
        )));
    }
    for i in &card.recent {
        let mut spans = vec![
            Span::styled(i.at.format("%Y-%m-%d %H:%M").to_string(), Style::new().fg(theme.muted)),
            Span::raw(format!("  {}  ", t(lang, i.kind.key()))),
        ];
        let note = clean_lines(&i.note).join(" / ");
        spans.push(Span::raw(note));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        t(lang, "card.history"),
        Style::new().bold().fg(theme.accent),
    )));
    for h in card.history.iter().rev().take(5) {
        let from = h.from.map(|s| format!("{} → ", t(lang, s.key()))).unwrap_or_default();
        let reason = if h.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", clean(&h.reason))
        };
        lines.push(Line::from(vec![
            Span::styled(h.at.format("%Y-%m-%d").to_string(), Style::new().fg(theme.muted)),
            Span::raw(format!("  {from}{}{reason}", t(lang, h.to.key()))),
        ]));
    }
    lines
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(card) = &app.card else { return };
    let block = super::framed(app, t(app.lang, "card.title"), area.width);
    let lines = card_lines(card, app.lang, &app.theme, app.today(), &app.cadence);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}
