//! `rapport complaints`: complaints, nearest deadline first, as text or
//! JSON. Times are the system's local time (JSON: RFC 3339 with the offset).

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::app::complaints::{list_order, time_left_label};
use crate::domain::agenda::DeadlineKind;
use crate::domain::complaint::State;
use crate::domain::complaint::when::SHOWN;
use crate::domain::complaint::zone::Zone;
use crate::domain::text::clean;
use crate::i18n::t;
use crate::storage::{ComplaintRow, Store};

#[derive(Serialize)]
struct Out {
    id: i64,
    customer_id: i64,
    customer: String,
    company: String,
    category: &'static str,
    temperament: &'static str,
    /// open, waiting, closed_resolved, closed_not_valid.
    state: &'static str,
    /// 1–6 while open or waiting.
    step: Option<u8>,
    step_name: Option<&'static str>,
    complainant: String,
    about: String,
    received_at: String,
    first_response_due: String,
    responded_at: Option<String>,
    /// The next deadline (frozen while waiting: `null`).
    due: Option<String>,
    due_kind: Option<&'static str>,
    overdue: bool,
    waiting: bool,
    promised_due: Option<String>,
    follow_up_at: Option<String>,
    satisfaction: Option<u8>,
    closed_at: Option<String>,
}

fn kind_name(k: DeadlineKind) -> &'static str {
    match k {
        DeadlineKind::FirstResponse => "first_response",
        DeadlineKind::Promise => "promise",
        DeadlineKind::FollowUp => "follow_up",
    }
}

fn out(r: &ComplaintRow, zone: Zone, now: chrono::NaiveDateTime) -> Out {
    let c = &r.complaint;
    let time = |t| zone.rfc3339(t);
    let next = c.next_deadline();
    Out {
        id: c.id,
        customer_id: c.customer_id,
        customer: clean(&r.customer).into_owned(),
        company: clean(&r.company).into_owned(),
        category: c.category.as_str(),
        temperament: c.temperament.as_str(),
        state: c.state.as_str(),
        step: c.state.step().map(|s| s.number()),
        step_name: c.state.step().map(|s| s.as_str()),
        complainant: clean(&c.details.complainant).into_owned(),
        about: clean(&c.details.about).into_owned(),
        received_at: time(c.received_at),
        first_response_due: time(c.first_response_due),
        responded_at: c.responded_at.map(time),
        due: next.and_then(|n| n.deadline.due()).map(time),
        due_kind: next.map(|n| kind_name(n.kind)),
        overdue: c.is_overdue(now),
        waiting: c.is_waiting(),
        promised_due: c.promised_due.map(time),
        follow_up_at: c.follow_up_at.map(time),
        satisfaction: match c.state {
            State::ClosedResolved { satisfaction } => Some(satisfaction),
            _ => None,
        },
        closed_at: c.closed_at.map(time),
    }
}

pub fn run(ctx: &Context, store: &Store, open: bool, json: bool) -> ExitCode {
    let lang = ctx.lang;
    let zone = Zone::Local;
    let now = zone.to_utc(ctx.clock.now());
    let mut rows = match store.complaint_rows(open) {
        Ok(r) => r,
        Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    };
    rows.sort_by_key(|r| (list_order(&r.complaint, now), r.complaint.id));
    if json {
        let all: Vec<Out> = rows.iter().map(|r| out(r, zone, now)).collect();
        super::print(&serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into()));
        return ExitCode::SUCCESS;
    }
    if rows.is_empty() {
        super::print(t(lang, "complaints.cli.none"));
        return ExitCode::SUCCESS;
    }
    let mut text = String::new();
    for r in &rows {
        let c = &r.complaint;
        let (left, _) = time_left_label(lang, c, now);
        let step = match c.state.step() {
            Some(s) => t(lang, s.key()).to_string(),
            None => t(lang, c.state.key()).to_string(),
        };
        let _ = writeln!(
            text,
            "{:>6}  {}  {}  {}  {}  {}  {}",
            c.id,
            zone.to_local(c.received_at).format(SHOWN),
            clean(&r.customer),
            t(lang, c.category.key()),
            step,
            left,
            clean(&c.details.about),
        );
    }
    super::print(text.trim_end());
    ExitCode::SUCCESS
}
