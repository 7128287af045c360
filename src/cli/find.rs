//! `rapport find`: the quick lookup from a shell, with the same matching as
//! the TUI and the pre-call card of the best match.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::app::Card;
use crate::domain::cadence::Due;
use crate::domain::customer::{Grade, Status};
use crate::domain::filter::Filters;
use crate::domain::qualification::Verdict;
use crate::domain::qualification::{Man, verdict};
use crate::domain::text::{clean, person_label};
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
    city: String,
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
    /// Days since the last purchase (`null`: none yet).
    recency_days: Option<i64>,
    /// Purchases and their total (currency units) in the value window.
    frequency: i64,
    monetary: Box<serde_json::value::RawValue>,
}

/// `rapport find [QUERY] [filters]`.
#[derive(Debug, clap::Args)]
pub struct FindArgs {
    /// Name, company, phone, city, tag or pinyin (full or initials); several
    /// words narrow (`翟玉兰 贵阳`, `wang 8000`). Optional when a filter is given.
    pub query: Option<String>,
    /// Most matches to list.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Only this grade: A, B, C or D.
    #[arg(long)]
    pub grade: Option<String>,
    /// Only this status: potential, target, active, loyal, lost, non_customer.
    #[arg(long)]
    pub status: Option<String>,
    /// Only customers in this city.
    #[arg(long)]
    pub city: Option<String>,
    /// Only customers with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only this MAN verdict: qualified, contactable, nurture, non_customer, undetermined.
    #[arg(long)]
    pub verdict: Option<String>,
    /// Only customers with an open complaint.
    #[arg(long)]
    pub open_complaint: bool,
    /// Only customers whose call or visit is overdue.
    #[arg(long)]
    pub overdue: bool,
    /// Only customers due today.
    #[arg(long)]
    pub due_today: bool,
    /// Only customers not contacted for at least N days.
    #[arg(long, value_name = "N")]
    pub silent_days: Option<u32>,
}

impl FindArgs {
    /// The filters given, or the message for a value that is not one.
    fn filters(&self, lang: crate::i18n::Lang) -> Result<Filters, String> {
        let bad = |flag: &str, value: &str, allowed: &str| {
            tf(
                lang,
                "cli.bad_filter",
                &[("flag", &flag), ("value", &clean(value)), ("allowed", &allowed)],
            )
        };
        let grade = match &self.grade {
            Some(g) => Some(Grade::parse(&g.trim().to_uppercase()).ok_or_else(|| bad("--grade", g, "A, B, C, D"))?),
            None => None,
        };
        let status = match &self.status {
            Some(s) => {
                let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                Some(Status::parse(s.trim()).ok_or_else(|| bad("--status", s, &names.join(", ")))?)
            }
            None => None,
        };
        let verdict = match &self.verdict {
            Some(v) => {
                let names: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
                Some(Verdict::parse(v.trim()).ok_or_else(|| bad("--verdict", v, &names.join(", ")))?)
            }
            None => None,
        };
        let text = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(Filters {
            grade,
            status,
            city: text(&self.city),
            tag: text(&self.tag),
            verdict,
            open_complaint: self.open_complaint,
            overdue: self.overdue,
            due_today: self.due_today,
            silent_days: self.silent_days,
        })
    }
}

/// A customer as listed: their entry, score, phone and city.
type Listed = (Entry, i64, String, String);

/// The first `limit` customers `take` keeps, best score first, ties by sort
/// key then id: of `ranked` (in that order, except that equal sort keys may
/// come in any order of ids) and of `changed` (in no order). `take` gives
/// a customer as listed (or `None`) and their sort key.
fn best<T, E>(
    ranked: impl Iterator<Item = (i64, i64)>,
    changed: Vec<(i64, i64)>,
    limit: usize,
    take: impl Fn(i64, i64) -> Result<(Option<T>, String), E>,
) -> Result<Vec<T>, E> {
    let mut pool = Vec::new();
    for (id, score) in changed {
        if let (Some(hit), key) = take(id, score)? {
            pool.push((Reverse(score), key, id, hit));
        }
    }
    let mut kept = 0;
    let mut last: Option<(i64, String)> = None;
    for (id, score) in ranked {
        // Past the limit, only what ties with the last kept is read: its
        // order among those is by id.
        let tied =
            |last: &Option<(i64, String)>, key: &str| last.as_ref().is_some_and(|(s, k)| *s == score && k == key);
        if kept >= limit && last.as_ref().is_none_or(|(s, _)| *s != score) {
            break;
        }
        let (hit, key) = take(id, score)?;
        if kept >= limit && !tied(&last, &key) {
            break;
        }
        if let Some(hit) = hit {
            kept += 1;
            last = Some((score, key.clone()));
            pool.push((Reverse(score), key, id, hit));
        }
    }
    pool.sort_unstable_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    pool.truncate(limit);
    Ok(pool.into_iter().map(|(.., hit)| hit).collect())
}

pub fn run(ctx: &Context, store: &Store, args: &FindArgs) -> ExitCode {
    let lang = ctx.lang;
    let today = ctx.clock.now().date();
    let cadence = match ctx.config.cadence() {
        Ok(c) => c,
        Err(e) => return super::fail(e),
    };
    let filters = match args.filters(lang) {
        Ok(f) => f,
        Err(e) => return super::fail(e),
    };
    let query = args.query.clone().unwrap_or_default();
    if query.trim().is_empty() && filters.is_empty() {
        return super::fail(t(lang, "cli.find_needs_query"));
    }
    let (limit, json) = (args.limit, args.json);
    let result = (|| -> Result<Vec<Listed>, crate::storage::StorageError> {
        let allowed = store.filter_ids(&filters)?;
        // A customer as listed, or `None` when the filters leave them out;
        // their sort key either way.
        let take = |id: i64, score: i64| -> Result<(Option<Listed>, String), _> {
            let row = store.customer_row(id)?;
            let (phone, city) = (row.phone.clone(), row.city.clone());
            let e = Entry::from_row(row, &cadence);
            let key = e.sort_key().to_string();
            let allowed = allowed.as_ref().is_none_or(|ids| ids.binary_search(&id).is_ok());
            let keep = allowed && filters.keeps(e.grade, e.status, e.last_contact, e.next_due, today);
            Ok::<_, crate::storage::StorageError>((keep.then_some((e, score, phone, city)), key))
        };
        // Best match first, ties in name order (as the TUI ranks them); no
        // query: everyone in name order.
        if query.trim().is_empty() {
            let mut out = Vec::new();
            for id in store.ids_by_name()? {
                if out.len() >= limit.max(1) {
                    break;
                }
                out.extend(take(id, 0)?.0);
            }
            return Ok(out);
        }
        // A large book's index file answers without reading every row.
        let (ranked, changed): (Box<dyn Iterator<Item = (i64, i64)>>, _) =
            match crate::search::quick::find(&ctx.db_path, &cadence, &query) {
                Some(mut r) => {
                    let changed = std::mem::take(&mut r.changed);
                    (Box::new(r), changed)
                }
                None => {
                    let keys = store.search_keys_like(&crate::search::normalize_query(&query))?;
                    (Box::new(rank_keys(&keys, &query).into_iter()), Vec::new())
                }
            };
        best(ranked, changed, limit.max(1), take)
    })();
    let hits = match result {
        Ok(h) => h,
        Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
    };
    if json {
        let mans: Result<Vec<Man>, _> = hits
            .iter()
            .map(|(e, ..)| store.qualification(e.id).map(|q| q.man()))
            .collect();
        let mans = match mans {
            Ok(m) => m,
            Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
        };
        let birthdays: Result<Vec<_>, _> = hits
            .iter()
            .map(|(e, ..)| store.customer(e.id).map(|c| c.birthday))
            .collect();
        let birthdays = match birthdays {
            Ok(b) => b,
            Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
        };

        let (value, cur) = match (ctx.config.value.to_domain(), ctx.config.value.currency()) {
            (Ok(v), Ok(c)) => (v, c),
            (Err(e), _) | (_, Err(e)) => return super::fail(e),
        };
        let sums: Result<Vec<_>, _> = hits
            .iter()
            .map(|(e, ..)| store.purchase_summary(e.id, today, value.window_days, 0))
            .collect();
        let sums = match sums {
            Ok(s) => s,
            Err(e) => return super::fail(super::storage_message(lang, &e, &ctx.db_path)),
        };
        let out: Vec<Hit> = hits
            .iter()
            .zip(mans)
            .zip(birthdays)
            .zip(sums)
            .map(|((((e, score, phone, city), man), birthday), sum)| Hit {
                id: e.id,
                name: clean(e.name()).into_owned(),
                company: clean(e.company()).into_owned(),
                city: clean(city).into_owned(),
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
                recency_days: sum.last.map(|d| (today - d).num_days()),
                frequency: sum.window_count,
                monetary: super::purchases::json_amount(sum.window_amount, cur),
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
        // A pasted paragraph is echoed cut to a line.
        let query = crate::domain::text::truncate(&clean(&query), 60).into_owned();
        crate::stderr::warnln!("{}", tf(lang, "cli.no_match", &[("query", &query)]));
        return ExitCode::from(1);
    }
    let mut out = String::new();
    for (e, _, phone, city) in &hits {
        let (due, _) = next_due_label(lang, e.next_due, e.next_is_visit, today);
        // Company, city and the phone's last digits tell namesakes apart.
        let _ = writeln!(
            out,
            "{:>6}  {}  {}  {}  {}  {}",
            e.id,
            person_label(e.name(), e.company(), city, phone),
            e.grade.as_str(),
            t(lang, e.status.key()),
            last_contact_label(lang, e.last_contact, today),
            due
        );
    }
    let top = hits[0].0.id;
    let value_cfg = ctx.config.value.to_domain().unwrap_or_default();
    let env = crate::app::CardEnv {
        lang,
        now: ctx.clock.now(),
        cadence: &cadence,
        value: &value_cfg,
        currency: ctx.config.value.currency().unwrap_or_default(),
        analysis: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `best` keeps what a full sort keeps, whatever order equal sort keys
    /// come in and whichever customers the filters drop.
    #[test]
    fn the_best_are_those_of_a_full_sort_by_score_sort_key_and_id() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for round in 0..300 {
            // `(id, score, sort key, kept by the filters)`: few scores and
            // keys, so ties are many.
            let all: Vec<(i64, i64, String, bool)> = (0..40)
                .map(|id| (id, next(3) as i64, format!("k{}", next(4)), next(5) != 0))
                .collect();
            let changed: Vec<(i64, i64)> = all.iter().filter(|_| next(6) == 0).map(|x| (x.0, x.1)).collect();
            let mut ranked: Vec<&(i64, i64, String, bool)> =
                all.iter().filter(|x| !changed.iter().any(|c| c.0 == x.0)).collect();
            // Best first, by sort key; equal keys in descending ids.
            ranked.sort_by(|a, b| (Reverse(a.1), &a.2, Reverse(a.0)).cmp(&(Reverse(b.1), &b.2, Reverse(b.0))));
            let limit = 1 + round % 12;
            let take = |id: i64, _score: i64| {
                let x = &all[id as usize];
                Ok::<_, ()>((x.3.then_some(id), x.2.clone()))
            };
            let got = best(ranked.iter().map(|x| (x.0, x.1)), changed.clone(), limit, take).unwrap();
            let mut want: Vec<&(i64, i64, String, bool)> = all.iter().filter(|x| x.3).collect();
            want.sort_by(|a, b| (Reverse(a.1), &a.2, a.0).cmp(&(Reverse(b.1), &b.2, b.0)));
            let want: Vec<i64> = want.iter().take(limit).map(|x| x.0).collect();
            assert_eq!(got, want, "round {round}");
        }
    }
}
