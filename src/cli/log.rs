//! `rapport log QUERY_OR_ID NOTE`: logs a call, visit, message … right
//! after it happened, and optionally schedules the follow-up. The customer
//! is an id, or a query (name, company, phone, pinyin) that must name one
//! customer: otherwise the candidates are listed and nothing is written.

use std::process::ExitCode;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::write::user_error;
use super::{Context, print, storage_message};
use crate::domain::interaction::InteractionKind;
use crate::domain::text::clean;
use crate::domain::validate;
use crate::i18n::{Lang, t, tf};
use crate::io::plan::phone_key;
use crate::search::rank_keys;
use crate::storage::{CustomerRow, Store};

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The customer: an id, or a name, company, phone or pinyin that matches one customer.
    pub customer: String,
    /// What was said or done.
    pub note: String,
    /// call, visit, message, email, gift or other.
    #[arg(long, default_value = "call", value_name = "call|visit|message|email|gift|other")]
    pub kind: String,
    /// When it happened (default now): `2026-12-01 14:30`, `yesterday 17:00`, `10:15`, `昨天`.
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// Schedule a follow-up on that day: `+3d`, `next mon`, `2026-12-10`, `下周一`.
    #[arg(long, value_name = "WHEN")]
    pub next: Option<String>,
    /// What the follow-up is for (default: the note).
    #[arg(long = "for", value_name = "TEXT", requires = "next")]
    pub for_text: Option<String>,
    /// Print the record written as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct FollowUpJson {
    id: i64,
    due: String,
    note: String,
}

#[derive(Serialize)]
struct LogJson {
    id: i64,
    customer_id: i64,
    customer: String,
    kind: &'static str,
    at: String,
    note: String,
    follow_up: Option<FollowUpJson>,
}

/// Whom a query names.
#[derive(Debug, PartialEq)]
pub enum Match {
    One(i64),
    None,
    Several(Vec<i64>),
}

/// The customers `query` names: an existing id, else the search matches;
/// among several, a single exact name or phone wins.
pub fn resolve(store: &Store, query: &str) -> Result<Match, crate::storage::StorageError> {
    let q = query.trim();
    if let Ok(id) = q.parse::<i64>()
        && store.customer_row(id).is_ok()
    {
        return Ok(Match::One(id));
    }
    let keys = store.search_keys_like(&crate::search::normalize_query(q))?;
    let ranked: Vec<i64> = rank_keys(&keys, q).into_iter().map(|(id, _)| id).collect();
    match ranked.len() {
        0 => return Ok(Match::None),
        1 => return Ok(Match::One(ranked[0])),
        _ => {}
    }
    let lower = q.to_lowercase();
    let digits = phone_key(q);
    let mut exact = Vec::new();
    for id in &ranked {
        let row = store.customer_row(*id)?;
        let phone_hit = digits.len() >= 5 && row.phone.split(',').any(|p| phone_key(p) == digits);
        if row.name.trim().to_lowercase() == lower || phone_hit {
            exact.push(*id);
        }
    }
    Ok(match exact.as_slice() {
        [one] => Match::One(*one),
        _ => Match::Several(ranked),
    })
}

/// "2026-12-01 14:30", `yesterday 15:00`, `昨天`, `11-20 15:00`: read as the
/// log form's When field reads them (a date alone is now today, noon
/// another day; a month and day, the last one).
fn when(lang: Lang, s: &str, now: NaiveDateTime) -> Result<NaiveDateTime, String> {
    crate::app::form::when(s, now, lang)
}

pub fn run(ctx: &Context, store: &mut Store, args: LogArgs) -> ExitCode {
    let lang = ctx.lang;
    let now = ctx.clock.now();
    let Some(kind) = InteractionKind::parse(&args.kind.trim().to_lowercase()) else {
        let all: Vec<&str> = InteractionKind::ALL.iter().map(|k| k.as_str()).collect();
        return user_error(tf(
            lang,
            "tools.bad_choice",
            &[
                ("field", &"--kind"),
                ("value", &args.kind),
                ("choices", &all.join(", ")),
            ],
        ));
    };
    let at = match args.at.as_deref().map(|s| when(lang, s, now)) {
        None => now,
        Some(Ok(at)) if at > now + chrono::Duration::minutes(5) => {
            return user_error(format!("--at: {}", t(lang, "error.future")));
        }
        Some(Ok(at)) => at,
        Some(Err(e)) => return user_error(format!("--at: {e}")),
    };
    // As the log form's next contact: any date word, today or later.
    let next = match args
        .next
        .as_deref()
        .map(|s| crate::app::form::next_contact_day(s, now.date(), lang))
    {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => return user_error(format!("--next: {e}")),
    };
    let note = match validate::limit(&args.note, validate::MAX_NOTE) {
        Ok(n) => n,
        Err(e) => return user_error(format!("NOTE: {}", t(lang, e.key()))),
    };
    let for_text = args.for_text.clone().unwrap_or_else(|| note.clone());
    let storage = |e| super::fail(storage_message(lang, &e, &ctx.db_path));
    let id = match resolve(store, &args.customer) {
        Ok(Match::One(id)) => id,
        Ok(Match::None) => {
            crate::stderr::warnln!(
                "rapport: {}",
                tf(lang, "tools.no_match", &[("query", &clean(&args.customer))])
            );
            return ExitCode::from(2);
        }
        Ok(Match::Several(ids)) => {
            crate::stderr::warnln!(
                "rapport: {}",
                tf(
                    lang,
                    "tools.ambiguous",
                    &[("query", &clean(&args.customer)), ("n", &ids.len())]
                )
            );
            for id in ids.iter().take(20) {
                if let Ok(row) = store.customer_row(*id) {
                    crate::stderr::warnln!("  {:>6}  {}", id, candidate(&row));
                }
            }
            return ExitCode::from(2);
        }
        Err(e) => return storage(e),
    };
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    let follow = next.map(|d| (d, for_text.as_str()));
    let written = store.log_with_follow_up(id, kind, at, &note, follow, now);
    let (log_id, follow) = match written {
        Ok(w) => w,
        Err(e) => return storage(e),
    };
    let _ = store.checkpoint();
    let row = match store.customer_row(id) {
        Ok(r) => r,
        Err(e) => return storage(e),
    };
    let at_text = at.format("%Y-%m-%d %H:%M").to_string();
    if args.json {
        let out = LogJson {
            id: log_id,
            customer_id: id,
            customer: clean(&row.name).into_owned(),
            kind: kind.as_str(),
            at: at_text,
            note: clean(&note).into_owned(),
            follow_up: follow.zip(next).map(|(fid, day)| FollowUpJson {
                id: fid,
                due: day.to_string(),
                note: clean(&for_text).into_owned(),
            }),
        };
        print(&serde_json::to_string_pretty(&out).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    print(&tf(
        lang,
        "tools.logged",
        &[
            ("kind", &t(lang, kind.key())),
            ("who", &candidate(&row)),
            ("at", &at_text),
            ("note", &clean(&note)),
        ],
    ));
    if let Some(day) = next {
        print(&tf(
            lang,
            "tools.follow_up",
            &[("date", &day), ("note", &clean(&for_text))],
        ));
    }
    ExitCode::SUCCESS
}

fn candidate(row: &CustomerRow) -> String {
    let mut parts = vec![clean(&row.name).into_owned()];
    for s in [&row.company, &row.phone, &row.city] {
        if !s.is_empty() {
            parts.push(clean(s).into_owned());
        }
    }
    parts.join(" · ")
}
