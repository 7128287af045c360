//! Sample qualification (MAN) for the prospects: every verdict and
//! unknowns appear, with dated evidence notes (Chinese for Chinese
//! customers), some history of changed answers, and named deciders.

use chrono::{Duration, NaiveDateTime};
use rusqlite::Transaction;

use super::{DemoCustomer, Rng};
use crate::domain::customer::Status;
use crate::domain::qualification::{Answer, Criterion, Decider, Man, QualChange, Qualification};

/// The first prospects get these, so a small book shows every verdict and
/// unknowns; the rest are drawn at random.
const FIRST: [&str; 12] = [
    "MAN", "MaN", "M?N", "man", "MAn", "mAN", "maN", "mAn", "Man", "??n", "MA?", "???",
];

/// (English, Chinese) evidence notes per criterion, for yes and for no.
fn notes(c: Criterion, yes: bool) -> &'static [(&'static str, &'static str)] {
    match (c, yes) {
        (Criterion::Money, true) => &[
            ("Budget approved for Q3", "第三季度预算已批"),
            ("CFO confirmed funds for the pilot", "财务总监确认试点资金到位"),
            ("Paid the last two invoices early", "前两笔货款都提前付清"),
            ("Annual equipment budget set aside", "年度设备预算已单独列出"),
        ],
        (Criterion::Money, false) => &[
            ("Budget frozen until next year", "预算冻结到明年"),
            (
                "Cash-flow trouble; asked for 180-day terms",
                "资金周转困难，要求 180 天账期",
            ),
            ("Lost their main contract; spending cut", "丢了最大的订单，正在压缩开支"),
        ],
        (Criterion::Authority, true) => &[
            ("Signs orders up to 200k himself", "20 万以内的订单他自己就能签"),
            ("Owner; decides alone", "老板本人，一个人说了算"),
            (
                "Head of purchasing, final say on suppliers",
                "采购部负责人，供应商由她拍板",
            ),
        ],
        (Criterion::Authority, false) => &[
            ("CFO signs above 50k", "5 万以上需要财务总监签字"),
            ("Only recommends; the board decides", "只能推荐，由董事会决定"),
            ("Head office chooses suppliers", "供应商由总部统一选定"),
        ],
        (Criterion::Need, true) => &[
            ("Old line breaks down every week", "旧生产线每周都出故障"),
            ("Opening a second store in spring", "春季要开第二家门店"),
            ("Asked for a quote twice", "已经两次主动要报价"),
        ],
        (Criterion::Need, false) => &[
            ("Just signed three years with a competitor", "刚和竞争对手签了三年合同"),
            ("Happy with the current supplier", "对现有供应商很满意"),
            ("No use for it in their business", "他们的业务用不上"),
        ],
    }
}

const UNKNOWN_NOTES: &[(&str, &str)] = &[
    ("Not asked yet; call after the trade fair", "还没问，展会后再打电话"),
    ("He dodged the question last time", "上次他回避了这个问题"),
];

const DECIDERS: &[(&str, &str, &str, &str)] = &[
    ("Laura Chen", "CFO", "刘芳", "财务总监"),
    ("Kwame Osei", "Owner", "王建国", "总经理"),
    ("Ingrid Berg", "Head of purchasing", "陈静", "采购总监"),
];

fn random_man(rng: &mut Rng) -> Man {
    let mut pick = || rng.weighted(&[(Answer::Yes, 50), (Answer::No, 30), (Answer::Unknown, 15)]);
    Man::new(pick(), pick(), pick())
}

/// A seed from the generated customers, so this pane's samples never draw
/// from the shared generator and the other panes' samples stay the same.
fn seed_of(customers: &[DemoCustomer]) -> u64 {
    customers.iter().fold(0x4D41_4E00, |h, c| {
        (h ^ c.id as u64 ^ c.created.and_utc().timestamp() as u64).wrapping_mul(0x0100_0000_01B3)
    })
}

/// The first two customers of each company in the book, so a prospect's
/// colleague is found without reading the whole book for each.
struct Colleagues<'a>(std::collections::HashMap<&'a str, (i64, Option<i64>)>);

impl<'a> Colleagues<'a> {
    fn of_book(customers: &'a [DemoCustomer]) -> Colleagues<'a> {
        let mut first = std::collections::HashMap::new();
        for c in customers {
            first
                .entry(c.company.as_str())
                .and_modify(|e: &mut (i64, Option<i64>)| {
                    e.1.get_or_insert(c.id);
                })
                .or_insert((c.id, None));
        }
        Colleagues(first)
    }

    /// The first other customer of `c`'s company.
    fn of(&self, c: &DemoCustomer) -> Option<i64> {
        let &(first, second) = self.0.get(c.company.as_str())?;
        if first != c.id { Some(first) } else { second }
    }
}

/// A time in business hours between `from` and `to` (or `from` itself
/// when the span holds none).
fn between(rng: &mut Rng, from: NaiveDateTime, to: NaiveDateTime) -> NaiveDateTime {
    let days = (to.date() - from.date()).num_days().max(0);
    let day = from.date() + Duration::days(rng.range(0, days));
    let at = day
        .and_hms_opt(rng.range(9, 17) as u32, rng.range(0, 59) as u32, 0)
        .unwrap_or(from);
    at.clamp(from, to.max(from))
}

/// The record and its story for one prospect.
fn story(
    rng: &mut Rng,
    c: &DemoCustomer,
    man: Man,
    colleagues: &Colleagues,
    now: NaiveDateTime,
) -> (Qualification, Vec<QualChange>) {
    let pick = |rng: &mut Rng, list: &'static [(&'static str, &'static str)]| {
        let (en, zh) = *rng.pick(list);
        if c.zh { zh } else { en }
    };
    let mut events: Vec<(NaiveDateTime, Criterion, Answer, &'static str)> = Vec::new();
    let start = c.created.max(now - Duration::days(240));
    for k in Criterion::ALL {
        let answer = man.get(k);
        let at = between(rng, start, now - Duration::hours(2));
        match answer {
            Answer::Unknown => {
                if rng.chance(25) {
                    events.push((at, k, Answer::Unknown, pick(rng, UNKNOWN_NOTES)));
                }
            }
            a => {
                // Some answers changed on the way: first the opposite, later corrected.
                if rng.chance(30) {
                    let earlier = between(rng, start, at);
                    let first_yes = a == Answer::No;
                    let first = if first_yes { Answer::Yes } else { Answer::No };
                    events.push((earlier, k, first, pick(rng, notes(k, first_yes))));
                }
                events.push((at, k, a, pick(rng, notes(k, a == Answer::Yes))));
            }
        }
    }
    events.sort_by_key(|e| e.0);
    let mut q = Qualification::default();
    let mut history: Vec<QualChange> = events
        .into_iter()
        .filter_map(|(at, k, a, note)| q.set(k, a, note, at))
        .collect();
    if man.authority == Answer::No && rng.chance(60) {
        // A colleague in the book when there is one, else a name heard on a call.
        let colleague = colleagues.of(c);
        let (en_name, en_role, zh_name, zh_role) = *rng.pick(DECIDERS);
        let d = Decider {
            customer_id: colleague,
            name: if c.zh { zh_name } else { en_name }.to_string(),
            role: if c.zh { zh_role } else { en_role }.to_string(),
        };
        let at = between(rng, start, now - Duration::hours(1));
        let at = at.max(q.updated_at.unwrap_or(at));
        history.extend(q.set_decider(d, at));
    }
    (q, history)
}

/// Adds sample qualification (MAN) for the prospects for the generated customers.
pub fn fill(
    tx: &Transaction<'_>,
    _rng: &mut Rng,
    customers: &[DemoCustomer],
    now: NaiveDateTime,
) -> rusqlite::Result<()> {
    let mut rng = Rng::new(seed_of(customers));
    let colleagues = Colleagues::of_book(customers);
    let prospects = customers
        .iter()
        .filter(|c| matches!(c.status, Status::Potential | Status::Target));
    for (n, c) in prospects.enumerate() {
        let man = match FIRST.get(n) {
            Some(code) => Man::from_code(code).unwrap_or_default(),
            // Some prospects were never assessed: no record at all.
            None if rng.chance(15) => continue,
            None => random_man(&mut rng),
        };
        let (q, history) = story(&mut rng, c, man, &colleagues, now);
        if !history.is_empty() {
            crate::storage::write_qualification_in(tx, c.id, &q, &history)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::qualification::{Verdict, verdict};

    #[test]
    fn a_demo_book_shows_every_verdict_with_dated_evidence_and_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::storage::Store::open(&dir.path().join("t.db")).unwrap();
        let now = NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap();
        super::super::generate(&mut store, 120, 7, now).unwrap();
        let rows = store.prospects().unwrap();
        let mut seen = std::collections::HashSet::new();
        let mut changed_twice = false;
        let mut zh_notes = false;
        let mut deciders = 0;
        for r in &rows {
            seen.insert(verdict(&r.man).verdict);
            let q = store.qualification(r.id).unwrap();
            for k in Criterion::ALL {
                let e = q.evidence(k);
                if e.answer != Answer::Unknown {
                    assert!(e.at.is_some_and(|at| at <= now) && !e.note.is_empty(), "{}", r.name);
                }
                zh_notes |= e.note.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch));
            }
            deciders += usize::from(!q.decider.is_empty());
            let h = store.qualification_history(r.id).unwrap();
            changed_twice |= Criterion::ALL
                .iter()
                .any(|k| h.iter().filter(|c| c.topic.as_str() == k.as_str()).count() > 1);
            assert!(h.windows(2).all(|w| w[0].at <= w[1].at));
        }
        for v in Verdict::ALL {
            assert!(seen.contains(&v), "no {v:?} in the demo");
        }
        assert!(changed_twice && zh_notes && deciders > 0);
        assert!(rows.iter().any(|r| r.man.combo_code() == "???"));
    }
}
