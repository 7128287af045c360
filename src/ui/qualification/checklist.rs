//! One customer's MAN checklist: the three criteria with their evidence,
//! who decides, the live verdict with what to do or ask next, and the
//! history of changes read as a story (oldest first, newest at the bottom).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, verdict_color};
use crate::app::App;
use crate::app::qualification::{Checklist, who_to_find};
use crate::domain::customer::Status;
use crate::domain::qualification::{
    Answer, Criterion, Decider, QualChange, Topic, possible_verdicts, suggests_non_customer, verdict,
};
use crate::domain::text::{clean, truncate, width};
use crate::i18n::{Lang, t, tf};

/// Lines of `s` at most `max` columns wide, breaking between words where
/// there are spaces and between characters in CJK text (`ui::wrap`).
pub(crate) fn wrap_words(s: &str, max: usize) -> Vec<String> {
    crate::ui::wrap::rows(s, max.max(4))
}

fn answer_style(app: &App, a: Answer) -> Style {
    match a {
        Answer::Yes => Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD),
        Answer::No => Style::new().fg(app.theme.danger).add_modifier(Modifier::BOLD),
        Answer::Unknown => Style::new().fg(app.theme.warning),
    }
}

fn answer_mark(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "✓",
        Answer::No => "✗",
        Answer::Unknown => "?",
    }
}

/// One history entry as a sentence, in the user's language.
pub(crate) fn history_text(lang: Lang, c: &QualChange) -> String {
    let label = |s: &str| match Answer::parse(s) {
        Some(a) => t(lang, a.key()).to_string(),
        None => s.to_string(),
    };
    let mut s = match c.topic {
        Topic::Criterion(_) if c.old == c.new => tf(
            lang,
            "qual.history.note_only",
            &[("topic", &t(lang, c.topic.key())), ("answer", &label(&c.new))],
        ),
        Topic::Criterion(_) => tf(
            lang,
            "qual.history.change",
            &[
                ("topic", &t(lang, c.topic.key())),
                ("old", &label(&c.old)),
                ("new", &label(&c.new)),
            ],
        ),
        Topic::Decider => {
            let who = |s: &str| {
                if s.is_empty() {
                    return t(lang, "qual.history.nobody").to_string();
                }
                let (name, role) = Decider::from_stored(s);
                crate::i18n::pair(lang, name, role)
            };
            tf(
                lang,
                "qual.history.change",
                &[
                    ("topic", &t(lang, c.topic.key())),
                    ("old", &who(&c.old)),
                    ("new", &who(&c.new)),
                ],
            )
        }
    };
    if !c.note.is_empty() {
        s.push_str(" — ");
        s.push_str(&c.note);
    }
    clean(&s).into_owned()
}

pub fn render(app: &App, list: &Checklist, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let c = &list.customer;
    let title = format!("{} — {}", t(lang, "qual.check.title"), c.name);
    let block = crate::ui::framed(app, &title, area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    if w < 20 || inner.height < 3 {
        return;
    }
    let muted = Style::new().fg(app.theme.muted);
    let mut lines: Vec<Line> = Vec::new();

    // Who this is.
    let mut head = vec![Span::styled(
        clean(&c.name).into_owned(),
        Style::new().bold().fg(app.theme.accent),
    )];
    let about: Vec<String> = [&c.company, &c.role]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| clean(s).into_owned())
        .collect();
    if !about.is_empty() {
        head.push(Span::raw(format!("  {}", about.join(" · "))));
    }
    // The status as it is now (another form may have just changed it).
    let status = app
        .index
        .position_of(c.id)
        .map(|i| app.index.entry(i).status)
        .unwrap_or(c.status);
    head.push(Span::styled(
        format!("  {}{}", t(lang, "field.status"), t(lang, "card.label_sep")),
        muted,
    ));
    head.push(Span::raw(t(lang, status.key())));
    lines.push(Line::from(head));
    lines.push(Line::from(""));

    // The three criteria.
    let label_w = Criterion::ALL
        .iter()
        .map(|k| width(t(lang, k.key())))
        .max()
        .unwrap_or(8)
        .min(14);
    let answer_w = Answer::ALL.iter().map(|a| width(t(lang, a.key()))).max().unwrap_or(7) + 2;
    let indent = 2 + 2 + label_w + 1 + answer_w + 1;
    let note_w = w.saturating_sub(indent);
    let ask_next = verdict(&list.record.man()).ask_next;
    for k in Criterion::ALL {
        let e = list.record.evidence(k);
        let focused = list.focus == k;
        let label_style = if focused {
            Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let note = if e.note.is_empty() {
            t(lang, "qual.check.no_evidence").to_string()
        } else {
            let date = e.at.map(|d| format!(" — {}", d.format("%Y-%m-%d"))).unwrap_or_default();
            format!("{}{date}", clean(&e.note))
        };
        let note_style = if e.note.is_empty() { muted } else { Style::new() };
        // The first unknown is what to ask on the next call.
        let tag = if ask_next == Some(k) {
            format!("{} · ", t(lang, "qual.check.ask_next"))
        } else {
            String::new()
        };
        let note_w = note_w.saturating_sub(width(&tag));
        // The focused criterion's evidence is shown whole; the others cut.
        let parts = if focused {
            wrap_words(&note, note_w)
        } else {
            vec![truncate(&note, note_w).into_owned()]
        };
        lines.push(Line::from(vec![
            Span::styled(if focused { "▶ " } else { "  " }, Style::new().fg(app.theme.accent)),
            Span::styled(format!("{} ", k.letter()), label_style),
            Span::styled(fit(t(lang, k.key()), label_w + 1), label_style),
            Span::styled(
                fit(
                    &format!("{} {}", answer_mark(e.answer), t(lang, e.answer.key())),
                    answer_w + 1,
                ),
                answer_style(app, e.answer),
            ),
            Span::styled(
                tag.clone(),
                Style::new().fg(app.theme.warning).add_modifier(Modifier::BOLD),
            ),
            Span::styled(parts[0].clone(), note_style),
        ]));
        for p in &parts[1..] {
            lines.push(Line::from(Span::styled(
                format!("{}{p}", " ".repeat(indent + width(&tag))),
                note_style,
            )));
        }
        if k == Criterion::Authority {
            let d = &list.record.decider;
            let who = if d.is_empty() {
                Span::styled(t(lang, "qual.check.decider_none"), muted)
            } else {
                let mut s = clean(&crate::i18n::pair(lang, &d.name, &d.role)).into_owned();
                if d.customer_id.is_some() {
                    s.push_str(t(lang, "qual.check.in_book"));
                }
                Span::raw(s)
            };
            let label = format!("{}{}", t(lang, "man.decider"), t(lang, "card.label_sep"));
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(4 + label_w + 1)),
                Span::styled(label, muted),
                who,
            ]));
        }
    }
    lines.push(Line::from(""));

    // The verdict, live.
    let man = list.record.man();
    let a = verdict(&man);
    let vstyle = Style::new()
        .fg(verdict_color(&app.theme, a.verdict))
        .add_modifier(Modifier::BOLD);
    let lead = format!(
        "{}{}{} · ",
        t(lang, "qual.check.verdict"),
        t(lang, "card.label_sep"),
        man.spaced_code()
    );
    let vlabel = t(lang, a.verdict.key());
    let action = format!("— {}", t(lang, a.action_key));
    let first_w = w.saturating_sub(width(&lead) + width(vlabel) + 1);
    let mut action_lines = wrap_words(&action, first_w.max(10));
    if action_lines.len() > 1 {
        // Re-wrap what follows the first line to the full width.
        let rest = action_lines[1..].join(" ");
        action_lines.truncate(1);
        action_lines.extend(wrap_words(&rest, w));
    }
    lines.push(Line::from(vec![
        Span::styled(lead, Style::new().bold()),
        Span::styled(format!("{vlabel} "), vstyle),
        Span::raw(action_lines[0].clone()),
    ]));
    for l in &action_lines[1..] {
        lines.push(Line::from(l.clone()));
    }
    let warn = Style::new().fg(app.theme.warning).add_modifier(Modifier::BOLD);
    let mut notes: Vec<(String, Style)> = Vec::new();
    if a.ask_next.is_some() {
        let possible: Vec<&str> = possible_verdicts(&man).into_iter().map(|v| t(lang, v.key())).collect();
        notes.push((
            tf(lang, "qual.check.possible", &[("list", &possible.join(" · "))]),
            muted,
        ));
    }
    let colleagues: Vec<crate::storage::Colleague> = list.colleagues.clone();
    if let Some(who) = who_to_find(lang, &man, &list.record, &c.company, &colleagues) {
        notes.push((who, warn));
    }
    if suggests_non_customer(&man) && status != Status::NonCustomer {
        notes.push((
            format!(
                "{} {}",
                t(lang, "man.suggest.non_customer"),
                t(lang, "qual.msg.offer_non_customer")
            ),
            warn,
        ));
    }
    if !colleagues.is_empty() && !c.company.is_empty() {
        let sep = t(lang, "card.list_sep");
        let people: Vec<String> = colleagues
            .iter()
            .map(|p| {
                if p.role.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}{}", p.name, crate::i18n::paren(lang, &p.role))
                }
            })
            .collect();
        notes.push((
            tf(
                lang,
                "qual.check.colleagues",
                &[("company", &c.company), ("people", &people.join(sep))],
            ),
            muted,
        ));
    }
    for (text, style) in notes {
        for l in wrap_words(&clean(&text), w) {
            lines.push(Line::from(Span::styled(l, style)));
        }
    }
    lines.push(Line::from(""));

    // The history, newest at the bottom; PgUp reads further back, said
    // only when older changes are out of sight.
    let room = (inner.height as usize).saturating_sub(lines.len() + 1);
    let end = list.history.len() - list.history_back.min(list.history.len().saturating_sub(1));
    let start = end.saturating_sub(room);
    let count = if list.history.is_empty() {
        String::new()
    } else {
        let more = if start > 0 {
            t(lang, "qual.check.history_more")
        } else {
            ""
        };
        format!(
            "  {}{more}",
            tf(lang, "qual.check.history_count", &[("n", &list.history.len())])
        )
    };
    lines.push(Line::from(vec![
        Span::styled(t(lang, "qual.check.history"), Style::new().bold().fg(app.theme.accent)),
        Span::styled(count, muted),
    ]));
    if list.history.is_empty() {
        lines.push(Line::from(Span::styled(t(lang, "qual.check.history_empty"), muted)));
    } else if room > 0 {
        for h in &list.history[start..end] {
            let when = h.at.format("%Y-%m-%d %H:%M").to_string();
            let text = history_text(lang, h);
            lines.push(Line::from(vec![
                Span::styled(format!("{when}  "), muted),
                Span::raw(truncate(&text, w.saturating_sub(width(&when) + 2)).into_owned()),
            ]));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_cjk_between_characters() {
        assert_eq!(
            wrap_words("Find the person who holds the authority.", 16),
            vec!["Find the person", "who holds the", "authority."]
        );
        assert_eq!(
            wrap_words("设法找到握有购买决定权的人。", 10),
            vec!["设法找到握", "有购买决定", "权的人。"]
        );
        for l in wrap_words("budget approved for Q3 — 预算已批，等待财务总监签字确认", 12) {
            assert!(width(&l) <= 12, "{l}");
        }
        assert_eq!(wrap_words("", 10), vec![""]);
    }
}
