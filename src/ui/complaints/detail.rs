//! One complaint: where it stands and its deadlines, the record (投诉要点),
//! handling tips for the complainant's temperament, the next step with what
//! to do in it, and the timeline of every step with its time and note.

use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::step_short;
use crate::app::App;
use crate::app::complaints::{now_utc, span_label, time_left_label};
use crate::domain::agenda::DeadlineKind;
use crate::domain::complaint::when::SHOWN;
use crate::domain::complaint::{EntryKind, State, Step};
use crate::domain::text::{clean, clean_lines};
use crate::i18n::{t, tf};

fn deadline_key(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::FirstResponse => "complaints.deadline.first_response",
        DeadlineKind::Promise => "complaints.deadline.promise",
        DeadlineKind::FollowUp => "complaints.deadline.follow_up",
    }
}

/// Two parts on one line three spaces apart when they fit in `room`
/// columns, else each on a line of its own.
fn side_by_side(lines: &mut Vec<Line<'static>>, mut a: Vec<Span<'static>>, b: Vec<Span<'static>>, room: usize) {
    let (aw, bw) = (Line::from(a.clone()).width(), Line::from(b.clone()).width());
    if aw + 3 + bw <= room {
        a.push(Span::raw("   "));
        a.extend(b);
        lines.push(Line::from(a));
    } else {
        lines.push(Line::from(a));
        lines.push(Line::from(b));
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(d) = &app.complaints.detail else { return };
    let lang = app.lang;
    let zone = app.complaints.zone;
    let local = |t: NaiveDateTime| zone.to_local(t).format(SHOWN).to_string();
    let now = now_utc(app);
    let c = &d.row.complaint;
    let muted = Style::new().fg(app.theme.muted);
    let head = Style::new().bold().fg(app.theme.accent);
    let sep = t(lang, "card.label_sep");
    let label = |k: &str| Span::styled(format!("{}{sep}", t(lang, k)), muted);
    let mut lines: Vec<Line> = Vec::new();

    // Where it stands.
    let mut top = vec![
        Span::styled(
            clean(&d.row.customer).into_owned(),
            Style::new().bold().fg(app.theme.accent),
        ),
        Span::raw(format!("  {}", clean(&d.row.company))),
    ];
    top.push(Span::raw(format!(
        "   {} · {}",
        t(lang, c.category.key()),
        t(lang, c.temperament.key())
    )));
    lines.push(Line::from(top));
    let (left, overdue) = time_left_label(lang, c, now);
    let state_text = match c.state {
        State::Open(step) => format!("{} — {}", t(lang, c.state.key()), t(lang, step.key())),
        State::Waiting { resume } => format!("{} — {}", t(lang, c.state.key()), t(lang, resume.key())),
        State::ClosedResolved { .. } | State::ClosedNotValid => step_short(lang, c.state),
    };
    let status = vec![label("complaints.detail.state"), Span::raw(state_text)];
    let left_style = if overdue {
        Style::new().fg(app.theme.danger).bold()
    } else if c.is_waiting() {
        Style::new().fg(app.theme.warning)
    } else {
        Style::new()
    };
    // A paused deadline has no date until the clock runs again.
    let next = c.next_deadline();
    let mut deadline = Vec::new();
    if let Some(next) = next {
        deadline.push(label(deadline_key(next.kind)));
    }
    match next.and_then(|n| n.deadline.due()) {
        Some(due) => {
            deadline.push(Span::raw(local(due)));
            deadline.push(Span::styled(crate::i18n::paren(lang, &left), left_style));
        }
        None => deadline.push(Span::styled(left, left_style)),
    }
    // The deadline beside the state when both fit, else on a line of its
    // own (not broken inside "23小时59分").
    let room = area.width.saturating_sub(2) as usize;
    side_by_side(&mut lines, status, deadline, room);
    let received = vec![label("complaints.field.received_at"), Span::raw(local(c.received_at))];
    let mut times = vec![label("complaints.detail.first_response")];
    match c.responded_at {
        Some(at) => times.push(Span::raw(tf(
            lang,
            "complaints.detail.answered_after",
            &[("at", &local(at)), ("span", &span_label(lang, at - c.received_at))],
        ))),
        // None yet: the deadline is said as one, not as a response made.
        None => times.push(Span::raw(tf(
            lang,
            "complaints.detail.not_yet",
            &[("at", &local(c.first_response_due))],
        ))),
    }
    side_by_side(&mut lines, received, times, room);
    if let Some(since) = c.waiting_since {
        lines.push(Line::from(Span::styled(
            tf(lang, "complaints.detail.waiting_since", &[("at", &local(since))]),
            Style::new().fg(app.theme.warning),
        )));
    }

    // The record.
    let mut record: Vec<Line> = Vec::new();
    record.push(Line::from(Span::styled(t(lang, "complaints.detail.record"), head)));
    let det = &c.details;
    let purchase = det.purchase_date.map(|p| p.to_string()).unwrap_or_default();
    for (key, value) in [
        ("complaints.field.complainant", det.complainant.as_str()),
        ("complaints.field.about", det.about.as_str()),
        ("complaints.field.content", det.content.as_str()),
        ("complaints.field.purchase_date", purchase.as_str()),
        ("complaints.field.product_use", det.product_use.as_str()),
        ("complaints.field.demand", det.demand.as_str()),
        ("complaints.field.wanted_solution", det.wanted_solution.as_str()),
        ("complaints.field.reach", det.reach.as_str()),
    ] {
        if !value.is_empty() {
            record.push(Line::from(vec![label(key), Span::raw(clean_lines(value).join(" / "))]));
        }
    }

    // How to handle this complainant, and what to do next.
    let mut tips: Vec<Line> = Vec::new();
    let mut next: Vec<Line> = Vec::new();
    tips.push(Line::from(Span::styled(
        tf(
            lang,
            "complaints.detail.tips",
            &[("who", &t(lang, c.temperament.key()))],
        ),
        head,
    )));
    tips.push(Line::from(t(lang, c.temperament.tips_key())));
    tips.push(Line::from(Span::styled(t(lang, c.temperament.mistakes_key()), muted)));
    if let State::Open(step) | State::Waiting { resume: step } = c.state {
        next.push(Line::from(Span::styled(
            tf(lang, "complaints.detail.next", &[("step", &t(lang, step.key()))]),
            head,
        )));
        next.push(Line::from(t(lang, step.hint_key())));
        if step == Step::Execute && c.promised_due.is_none() {
            next.push(Line::from(Span::styled(
                t(lang, "complaint.error.promise_required"),
                Style::new().fg(app.theme.warning),
            )));
        }
    }

    // The timeline.
    let mut timeline: Vec<Line> = Vec::new();
    timeline.push(Line::from(Span::styled(t(lang, "complaints.detail.timeline"), head)));
    for e in &d.timeline {
        let mut spans = vec![
            Span::styled(format!("{}  ", local(e.at)), muted),
            Span::raw(format!("{}  ", t(lang, e.step.key()))),
        ];
        let kind_style = match e.kind {
            EntryKind::JudgedNotValid | EntryKind::FollowUpUnsatisfied => Style::new().fg(app.theme.danger),
            EntryKind::Skipped | EntryKind::Waiting => Style::new().fg(app.theme.warning),
            _ => Style::new().bold(),
        };
        spans.push(Span::styled(t(lang, e.kind.key()).to_string(), kind_style));
        if let Some(due) = e.due {
            spans.push(Span::raw(format!(
                " · {}",
                tf(lang, "complaints.detail.due", &[("at", &local(due))])
            )));
        }
        if let Some(s) = e.satisfaction {
            spans.push(Span::raw(format!(
                " · {}",
                tf(lang, "complaints.detail.satisfaction", &[("n", &s)])
            )));
        }
        timeline.push(Line::from(spans));
        let edit = (e.kind == EntryKind::Edited)
            .then(|| crate::app::complaints::edit_line(lang, &e.text))
            .flatten();
        if let Some(line) = edit {
            timeline.push(Line::from(format!("    {line}")));
        } else if !e.text.is_empty() {
            timeline.push(Line::from(format!("    {}", clean_lines(&e.text).join(" / "))));
        }
    }
    if let Some(f_at) = c.follow_up_at.filter(|_| c.state == State::Open(Step::FollowUp)) {
        timeline.push(Line::from(Span::styled(
            tf(lang, "complaints.detail.follow_up_planned", &[("at", &local(f_at))]),
            muted,
        )));
    }

    // Wide: where it stands, the record and the tips on the left; the next
    // step and the timeline on the right. Narrow: one column, the timeline
    // before the record.
    let blank = || Line::from("");
    let title = tf(
        lang,
        "complaints.detail.title",
        &[("id", &c.id), ("customer", &clean(&d.row.customer))],
    );
    let block = crate::ui::framed(app, &title, area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let columns = if area.width >= 110 {
        // Where it stands spans the width (each line wrapped as needed).
        let w = inner.width.max(1) as usize;
        let lines = crate::ui::wrap::lines(lines, w);
        let head_h = lines.len();
        let [top, body] = Layout::vertical([Constraint::Length(head_h as u16 + 1), Constraint::Min(1)]).areas(inner);
        f.render_widget(Paragraph::new(lines), top);
        let mut left = tips;
        left.push(blank());
        left.extend(record);
        let mut right = next;
        if !right.is_empty() {
            right.push(blank());
        }
        right.extend(timeline);
        let [l, r] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .spacing(2)
            .areas(body);
        vec![(left, l), (right, r)]
    } else {
        let mut all = lines;
        for part in [tips, next, timeline, record] {
            if !part.is_empty() {
                all.push(blank());
                all.extend(part);
            }
        }
        vec![(all, inner)]
    };
    for (lines, area) in columns {
        f.render_widget(
            Paragraph::new(crate::ui::wrap::lines(lines, area.width as usize)).scroll((d.scroll, 0)),
            area,
        );
    }
}
