//! The pre-call card: what the rep reads in the 30 seconds before dialling.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fmt::{last_contact_label, next_due_label};
use chrono::NaiveDate;

use crate::app::{App, Card};
use crate::domain::cadence::Cadence;
use crate::domain::dates;
use crate::domain::text::{clean, clean_lines};
use crate::i18n::{Lang, t, tf};
use crate::theme::Theme;

/// The card as lines (top, then the scrolling part); shared by the TUI
/// and `rapport find`.
pub fn card_lines(card: &Card, lang: Lang, theme: &Theme, today: NaiveDate, cadence: &Cadence) -> Vec<Line<'static>> {
    let mut lines = top_lines(card, lang, theme, today, cadence);
    lines.push(Line::from(""));
    lines.extend(scroll_lines(card, lang, theme, today));
    lines
}

/// The top of the card, which always fits at 80×24: who, company and
/// role, phones, grade and status, the last contact and what was said,
/// what is due next, the MAN gap, open complaints, the personality tip.
pub fn top_lines(card: &Card, lang: Lang, theme: &Theme, today: NaiveDate, cadence: &Cadence) -> Vec<Line<'static>> {
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
            "{}{}",
            t(lang, c.status.key()),
            crate::i18n::paren(lang, &format!("{} {since}", t(lang, "card.since")))
        )),
    ]));
    let next = cadence.due_for(
        c.status,
        c.grade,
        c.contact.last_call,
        c.contact.last_visit,
        c.created_at.date(),
        c.follow_up_as_new,
    );
    let visit = cadence.visit_is_next(c.grade, c.contact.last_call, c.contact.last_visit, c.created_at.date());
    let (due, tone) = match card.left {
        // No cadence for someone who left (DOMAIN §4).
        Some(on) => (
            crate::i18n::tf(lang, "account.card.no_cadence", &[("date", &on)]),
            super::DueTone::Never,
        ),
        None => next_due_label(lang, next, visit, today),
    };
    let mut said = vec![
        label("col.last_contact"),
        Span::raw(last_contact_label(
            lang,
            c.contact.last_contact.map(|t| t.date()),
            today,
        )),
    ];
    if let Some(i) = card.recent.first() {
        let note = clean_lines(&i.note).join(" / ");
        // The latest interaction is not always the last contact (a
        // complaint's step counts too): then it says its own day, so a
        // visit of weeks ago never reads as the contact of days ago.
        let when = if c.contact.last_contact.map(|t| t.date()) == Some(i.at.date()) {
            String::new()
        } else {
            format!(" {}", last_contact_label(lang, Some(i.at.date()), today))
        };
        said.push(Span::styled(
            format!(" — {}{when}", t(lang, i.kind.key())),
            Style::new().fg(theme.muted),
        ));
        if !note.is_empty() {
            said.push(Span::raw(format!("{sep}{note}")));
        }
    }
    lines.push(Line::from(said));
    lines.push(Line::from(vec![
        label("col.next_due"),
        Span::styled(due, tone.style(theme).bold()),
    ]));
    for l in &card.summary {
        let style = if l.alert {
            Style::new().fg(theme.warning).bold()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(clean(&l.text).into_owned(), style)));
    }
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
    lines
}

/// The scrolling part of the card (see [`Card::scroll_len`]): every
/// interaction newest first, each pane's section (open complaints with
/// their step and time left, follow-ups, the MAN evidence), the personal
/// details, the whole status history.
pub fn scroll_lines(card: &Card, lang: Lang, theme: &Theme, today: NaiveDate) -> Vec<Line<'static>> {
    let c = &card.customer;
    let sep = t(lang, "card.label_sep");
    let label = |k: &str| Span::styled(format!("{}{sep}", t(lang, k)), Style::new().fg(theme.muted));
    let title = |s: String| Line::from(Span::styled(s, Style::new().bold().fg(theme.accent)));
    let mut lines = Vec::new();
    lines.push(title(tf(lang, "card.interactions", &[("n", &card.recent.len())])));
    if card.recent.is_empty() {
        lines.push(Line::from(Span::styled(
            t(lang, "card.no_interactions"),
            Style::new().fg(theme.muted),
        )));
    }
    for i in &card.recent {
        let note = clean_lines(&i.note).join(" / ");
        lines.push(Line::from(vec![
            Span::styled(i.at.format("%Y-%m-%d %H:%M").to_string(), Style::new().fg(theme.muted)),
            Span::raw(format!("  {}  ", t(lang, i.kind.key()))),
            Span::raw(note),
        ]));
    }
    for s in &card.sections {
        lines.push(Line::from(""));
        lines.push(title(clean(&s.title).into_owned()));
        for l in &s.lines {
            let style = if l.alert {
                Style::new().fg(theme.warning).bold()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(clean(&l.text).into_owned(), style)));
        }
    }
    let mut details: Vec<Line<'static>> = vec![Line::from(vec![
        label("field.relationship"),
        Span::raw(t(lang, c.relationship.key())),
    ])];
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
                "{b} · {}{}",
                tf(lang, "card.lunar_falls_on", &[("date", &on)]),
                tf(lang, "card.paren", &[("x", &format!("{when}{age}"))])
            )
        } else {
            format!("{b}{}", tf(lang, "card.paren", &[("x", &format!("{when}{age}"))]))
        };
        details.push(Line::from(vec![label("field.birthday"), Span::styled(text, style)]));
    }
    for (key, value) in [
        ("field.hobbies", &c.hobbies),
        ("field.family", &c.family),
        ("field.notes", &c.notes),
    ] {
        if !value.is_empty() {
            details.push(Line::from(vec![label(key), Span::raw(clean(value).into_owned())]));
        }
    }
    if !c.tags.is_empty() {
        details.push(Line::from(vec![
            label("field.tags"),
            Span::raw(clean(&c.tags.join(", ")).into_owned()),
        ]));
    }
    if !details.is_empty() {
        lines.push(Line::from(""));
        lines.push(title(t(lang, "card.details").to_string()));
        lines.extend(details);
    }
    lines.push(Line::from(""));
    lines.push(title(t(lang, "card.history").to_string()));
    for h in card.history.iter().rev() {
        let from = h.from.map(|s| format!("{} → ", t(lang, s.key()))).unwrap_or_default();
        let reason = if h.reason.is_empty() {
            String::new()
        } else {
            format!(
                "{}{}",
                t(lang, "card.label_sep"),
                clean(&super::fmt::history_reason(lang, &h.reason))
            )
        };
        lines.push(Line::from(vec![
            Span::styled(h.at.format("%Y-%m-%d").to_string(), Style::new().fg(theme.muted)),
            Span::raw(format!("  {from}{}{reason}", t(lang, h.to.key()))),
        ]));
    }
    lines
}

/// Splits lines wider than `width` columns into several, keeping styles
/// and the line-breaking rule of every wrapped text (`ui::wrap`), so the
/// card knows how many rows it takes.
pub fn wrap(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    super::wrap::lines(lines, width)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(card) = &app.customers.card else { return };
    let block = super::framed(app, t(app.lang, "card.title"), area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let (lang, theme, today) = (app.lang, &app.theme, app.today());
    let mut top = wrap(top_lines(card, lang, theme, today, &app.cadence), width);
    // The top always shows; the rest scrolls below a rule.
    top.truncate((inner.height as usize).saturating_sub(2));
    let top_h = top.len() as u16;
    let [top_area, rule, rest] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    f.render_widget(Paragraph::new(top), top_area);
    let body = wrap(scroll_lines(card, lang, theme, today), width);
    // Logical line `card_scroll` is where the view starts.
    let logical = scroll_lines(card, lang, theme, today);
    let skip: usize = logical
        .iter()
        .take(app.find.card_scroll)
        .map(|l| wrap(vec![l.clone()], width).len())
        .sum();
    let h = rest.height as usize;
    let skip = skip.min(body.len().saturating_sub(h.max(1)));
    let below = body.len().saturating_sub(skip + h);
    let above = skip;
    let count = match (above, below) {
        (0, 0) => String::new(),
        (_, 0) => tf(lang, "card.more_above", &[("n", &above)]),
        (_, _) => tf(lang, "card.more_below", &[("n", &below)]),
    };
    let cw = crate::domain::text::width(&count);
    let dash = "─".repeat(width.saturating_sub(cw + 1));
    f.render_widget(
        Line::from(vec![
            Span::styled(dash, Style::new().fg(theme.muted)),
            Span::styled(format!(" {count}"), Style::new().fg(theme.warning)),
        ]),
        rule,
    );
    let shown: Vec<Line<'static>> = body.into_iter().skip(skip).take(h).collect();
    f.render_widget(Paragraph::new(shown), rest);
}
