//! `rapport insights [--as-of DATE] [--window DAYS] [--json]`: the value
//! analysis of DOMAIN §9 over the whole book — the 80/20 headline, every
//! buyer's RFM scores, segment, class and the grade it suggests.

use std::process::ExitCode;

use serde::Serialize;

use super::purchases::json_amount;
use super::{Context, fail, print, storage_message};
use crate::domain::dates::parse_date_entry;
use crate::domain::text::clean;
use crate::domain::value::{Analysis, Currency, CustomerValue, format_amount};
use crate::i18n::{Lang, t, tf};
use crate::storage::Store;

type Raw = Box<serde_json::value::RawValue>;

#[derive(Serialize)]
struct Report {
    as_of: String,
    /// `null` for all time.
    window_days: Option<i64>,
    buyers: usize,
    revenue: Raw,
    /// Share of revenue (0–1) from the first ceil(20%) of buyers.
    top20_share: Raw,
    customers: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    recency_days: Option<i64>,
    frequency: i64,
    monetary: Raw,
    aov: Option<Raw>,
    r: Option<u8>,
    f: Option<u8>,
    m: Option<u8>,
    segment: Option<&'static str>,
    cn_class: Option<&'static str>,
    abc: &'static str,
    grade: &'static str,
    suggested_grade: Option<&'static str>,
}

/// `0.8123`: a share in basis points as a JSON number.
fn share(bp: i64) -> Raw {
    serde_json::value::RawValue::from_string(format!("{}.{:04}", bp / 10_000, bp % 10_000)).unwrap_or_default()
}

/// Whether the report lists a customer: a purchase ever, or a suggested change.
pub fn listed(c: &CustomerValue) -> bool {
    c.recency_days.is_some() || c.change().is_some()
}

pub fn run(ctx: &Context, store: &Store, as_of: Option<&str>, window: Option<i64>, json: bool) -> ExitCode {
    let lang = ctx.lang;
    let today = ctx.clock.now().date();
    let as_of = match as_of.map(|s| parse_date_entry(s, today)) {
        None => today,
        Some(Ok(d)) => d,
        Some(Err(e)) => return fail(e.message(lang.is_zh())),
    };
    let mut cfg = match ctx.config.value.to_domain() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if let Some(w) = window {
        if !(0..=36_500).contains(&w) {
            return fail(tf(lang, "insights.err.window", &[("n", &w)]));
        }
        cfg.window_days = (w > 0).then_some(w);
    }
    let cur = match ctx.config.value.currency() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let storage = |e| fail(storage_message(lang, &e, &ctx.db_path));
    let analysis = match store.value_analysis(as_of, &cfg) {
        Ok(a) => a,
        Err(e) => return storage(e),
    };
    let names = match store.names_by_id() {
        Ok(n) => n,
        Err(e) => return storage(e),
    };
    if json {
        print_json(&analysis, &names, cur);
    } else {
        print_text(lang, &analysis, &names, cur);
    }
    ExitCode::SUCCESS
}

fn print_json(a: &Analysis, names: &[(i64, String)], cur: Currency) {
    // Both lists are in id order.
    let mut name_of = names.iter().peekable();
    let mut customers = Vec::new();
    for c in &a.customers {
        while name_of.peek().is_some_and(|(id, _)| *id < c.id) {
            name_of.next();
        }
        if !listed(c) {
            continue;
        }
        let name = name_of
            .peek()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, n)| n.as_str())
            .unwrap_or("");
        let s = c.scores;
        customers.push(Row {
            id: c.id,
            name: clean(name).into_owned(),
            recency_days: c.recency_days,
            frequency: c.frequency,
            monetary: json_amount(c.monetary, cur),
            aov: c.aov().map(|v| json_amount(v, cur)),
            r: s.map(|s| s[0]),
            f: s.map(|s| s[1]),
            m: s.map(|s| s[2]),
            segment: c.segment.map(|s| s.as_str()),
            cn_class: c.cn_class.map(|s| s.as_str()),
            abc: c.abc.as_str(),
            grade: c.grade.as_str(),
            suggested_grade: c.suggested.map(|g| g.as_str()),
        });
    }
    let report = Report {
        as_of: a.as_of.to_string(),
        window_days: a.window_days,
        buyers: a.buyers,
        revenue: json_amount(a.revenue, cur),
        top20_share: share(a.top20_bp),
        customers,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = serde_json::to_writer(&mut out, &report);
    use std::io::Write;
    let _ = writeln!(out).and_then(|_| out.flush());
}

fn print_text(lang: Lang, a: &Analysis, names: &[(i64, String)], cur: Currency) {
    print(&crate::app::insights::headline(lang, a, cur));
    let by_id: std::collections::HashMap<i64, &str> = names.iter().map(|(i, n)| (*i, n.as_str())).collect();
    let mut segs = crate::app::insights::segment_totals(a);
    segs.retain(|s| s.count > 0);
    for s in &segs {
        let name = t(lang, s.segment.key());
        let pad = 24usize.saturating_sub(crate::domain::text::width(name));
        print(&format!(
            "  {name}{} {:>7}  {:>16}",
            " ".repeat(pad),
            s.count,
            format_amount(s.revenue, cur)
        ));
    }
    let changes: Vec<&CustomerValue> = a.customers.iter().filter(|c| c.change().is_some()).collect();
    print(&tf(lang, "insights.cli.suggestions", &[("n", &changes.len())]));
    for c in changes.iter().take(50) {
        print(&format!(
            "  {:>6} {}  {} → {}  {}",
            c.id,
            clean(by_id.get(&c.id).copied().unwrap_or("")),
            c.grade.as_str(),
            c.suggested.map(|g| g.as_str()).unwrap_or("-"),
            crate::app::insights::reason_text(lang, c)
        ));
    }
    if changes.len() > 50 {
        print(&tf(lang, "insights.cli.more", &[("n", &(changes.len() - 50))]));
    }
}
