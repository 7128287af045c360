//! `rapport find`: the quick lookup from a shell, with the same matching as
//! the TUI and the pre-call card of the best match.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::app::Card;
use crate::domain::cadence::Due;
use crate::domain::qualification::{Man, verdict};
use crate::domain::text::clean;
use crate::i18n::{t, tf};
use crate::search::{Entry, rank_keys};
use crate::storage::Store;
use crate::ui::card::card_lines;
use crate::ui::{last_contact_label, next_due_label};

#[derive(Serialize)]
struct Hit {
    id: i64,
    name: String,
    company: String,
    phone: String,
    grade: &'static str,
    status: &'static str,
    last_contact: Option<String>,
    next_due: Option<String>,
    score: i64,
    /// MAN answers: `{money, authority, need}`, each "yes" | "no" | "unknown".
    man: Man,
    /// The MAN verdict: qualified, contactable, nurture, non_customer or undetermined.
    verdict: &'static str,
    /// The birthday as written ("1985-03-12", "03-12", "农历八月十五").
    birthday: Option<String>,
    /// The birthday is kept by the lunar calendar.
    birthday_lunar: bool,
    /// The day it next falls on (a lunar one's Gregorian date this year).
    next_birthday: Option<String>,
}

pub fn run(ctx: &Context, store: &Store, query: &str, limit: usize, json: bool) -> ExitCode {
    let lang = ctx.lang;
    let today = ctx.clock.now().date();
    let cadence = match ctx.config.cadence() {
        Ok(c) => c,
        Err(e) => return super::fail(e),
    };
    let result = (|| -> Result<Vec<(Entry, i64, String)>, crate::storage::StorageError> {
        let keys = store.search_keys_like(&crate::search::normalize_query(query))?;
        let ranked = rank_keys(&keys, query);
        ranked
            .into_iter()
            .take(limit.max(1))
            .map(|(id, score)| {
                let row = store.customer_row(id)?;
                let phone = row.phone.clone();
                Ok((Entry::from_row(row, &cadence), score, phone))
            })
            .collect()
    })();
    let hits = match result {
        Ok(h) => h,
        Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    };
    if json {
        let mans: Result<Vec<Man>, _> = hits
            .iter()
            .map(|(e, _, _)| store.qualification(e.id).map(|q| q.man()))
            .collect();
        let mans = match mans {
            Ok(m) => m,
            Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
        };
        let birthdays: Result<Vec<_>, _> = hits
            .iter()
            .map(|(e, _, _)| store.customer(e.id).map(|c| c.birthday))
            .collect();
        let birthdays = match birthdays {
            Ok(b) => b,
            Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
        };
        let out: Vec<Hit> = hits
            .iter()
            .zip(mans)
            .zip(birthdays)
            .map(|(((e, score, phone), man), birthday)| Hit {
                id: e.id,
                name: clean(&e.name).into_owned(),
                company: clean(&e.company).into_owned(),
                phone: clean(phone).into_owned(),
                grade: e.grade.as_str(),
                status: e.status.as_str(),
                last_contact: e.last_contact.map(|d| d.to_string()),
                next_due: match e.next_due {
                    Due::On(d) => Some(d.to_string()),
                    Due::Now => Some(today.to_string()),
                    Due::Never => None,
                },
                score: *score,
                man,
                verdict: verdict(&man).verdict.as_str(),
                birthday: birthday.map(|b| b.to_string()),
                birthday_lunar: birthday.is_some_and(|b| b.lunar().is_some()),
                next_birthday: birthday.map(|b| crate::domain::dates::next_birthday(&b, today).to_string()),
            })
            .collect();
        super::print(&serde_json::to_string_pretty(&out).unwrap_or_else(|_| "[]".into()));
        return if hits.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if hits.is_empty() {
        eprintln!("{}", tf(lang, "cli.no_match", &[("query", &clean(query))]));
        return ExitCode::from(1);
    }
    let mut out = String::new();
    for (e, _, _) in &hits {
        let (due, _) = next_due_label(lang, e.next_due, e.next_is_visit, today);
        let _ = writeln!(
            out,
            "{:>6}  {}  {}  {}  {}  {}  {}",
            e.id,
            clean(&e.name),
            clean(&e.company),
            e.grade.as_str(),
            t(lang, e.status.key()),
            last_contact_label(lang, e.last_contact, today),
            due
        );
    }
    let top = hits[0].0.id;
    let env = crate::app::CardEnv {
        lang,
        now: ctx.clock.now(),
        cadence: &cadence,
    };
    let card = Card::load(&env, store, top);
    match card {
        Ok(card) => {
            out.push('\n');
            for line in card_lines(&card, lang, &crate::theme::Theme::default(), today, &cadence) {
                let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                out.push_str(&text);
                out.push('\n');
            }
            super::print(out.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    }
}
