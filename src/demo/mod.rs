//! Realistic sample data: about half Chinese names and companies, half
//! Latin ones, every grade and status, a year of interactions, birthdays,
//! two years of purchases.
//! Deterministic for a given seed. Word lists live in `assets/demo/`.

use chrono::{Duration, NaiveDateTime};
use rusqlite::params;

use crate::domain::customer::{ContactDates, Customer, Grade, Personality, Relationship, Status};
use crate::domain::dates::Birthday;
use crate::domain::interaction::InteractionKind;
use crate::domain::searchkey;
use crate::storage::{StorageError, Store};

mod accounts;
mod agenda;
mod complaints;
mod qualification;
mod value;

macro_rules! list {
    ($file:literal) => {
        include_str!(concat!("../../assets/demo/", $file))
    };
}

struct Words {
    zh_surnames: Vec<&'static str>,
    zh_given: Vec<&'static str>,
    zh_cities: Vec<&'static str>,
    zh_cores: Vec<&'static str>,
    zh_industries: Vec<&'static str>,
    zh_suffixes: Vec<&'static str>,
    zh_roles: Vec<&'static str>,
    zh_hobbies: Vec<&'static str>,
    zh_notes: Vec<&'static str>,
    en_first: Vec<&'static str>,
    en_last: Vec<&'static str>,
    en_cities: Vec<&'static str>,
    en_cores: Vec<&'static str>,
    en_kinds: Vec<&'static str>,
    en_suffixes: Vec<&'static str>,
    en_roles: Vec<&'static str>,
    en_hobbies: Vec<&'static str>,
    en_notes: Vec<&'static str>,
}

fn lines(s: &'static str) -> Vec<&'static str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

impl Words {
    fn load() -> Words {
        Words {
            zh_surnames: lines(list!("zh_surnames.txt")),
            zh_given: lines(list!("zh_given.txt")),
            zh_cities: lines(list!("zh_cities.txt")),
            zh_cores: lines(list!("zh_company_cores.txt")),
            zh_industries: lines(list!("zh_industries.txt")),
            zh_suffixes: lines(list!("zh_suffixes.txt")),
            zh_roles: lines(list!("zh_roles.txt")),
            zh_hobbies: lines(list!("zh_hobbies.txt")),
            zh_notes: lines(list!("zh_notes.txt")),
            en_first: lines(list!("en_first.txt")),
            en_last: lines(list!("en_last.txt")),
            en_cities: lines(list!("en_cities.txt")),
            en_cores: lines(list!("en_company_cores.txt")),
            en_kinds: lines(list!("en_company_kinds.txt")),
            en_suffixes: lines(list!("en_suffixes.txt")),
            en_roles: lines(list!("en_roles.txt")),
            en_hobbies: lines(list!("en_hobbies.txt")),
            en_notes: lines(list!("en_notes.txt")),
        }
    }
}

/// A customer the generator just wrote, for the panes' own sample data.
#[derive(Debug, Clone)]
pub struct DemoCustomer {
    pub id: i64,
    /// Chinese name and company (notes in Chinese) or Latin ones.
    pub zh: bool,
    pub grade: Grade,
    pub status: Status,
    pub company: String,
    pub created: NaiveDateTime,
}

/// SplitMix64: small, fast, and stable across versions, so a seed always
/// gives the same book.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Picks by weight.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|i| i.1).sum();
        let mut r = self.below(total);
        for (v, w) in items {
            if r < *w {
                return *v;
            }
            r -= w;
        }
        items[0].0
    }
}

const TAGS_ZH: &[&str] = &["VIP", "华南", "华东", "展会", "经销商", "老客户", "样品已寄"];
const TAGS_EN: &[&str] = &[
    "VIP",
    "Key account",
    "Trade show",
    "Distributor",
    "Referral",
    "Samples sent",
];

fn person(rng: &mut Rng, w: &Words, now: NaiveDateTime) -> (Customer, bool) {
    let zh = rng.chance(50);
    let created = now - Duration::days(rng.range(1, 730)) - Duration::minutes(rng.range(0, 600));
    let mut c = Customer::new("", created);
    if zh {
        c.name = format!("{}{}", rng.pick(&w.zh_surnames), rng.pick(&w.zh_given));
        let city = *rng.pick(&w.zh_cities);
        c.city = city.to_string();
        let core = rng.pick(&w.zh_cores);
        c.company = match rng.below(3) {
            0 => format!(
                "{city}市{core}{}{}",
                rng.pick(&w.zh_industries),
                rng.pick(&w.zh_suffixes)
            ),
            1 => format!("{core}{}{}", rng.pick(&w.zh_industries), rng.pick(&w.zh_suffixes)),
            _ => format!("{}{core}", &city),
        };
        c.role = rng.pick(&w.zh_roles).to_string();
        let prefix = *rng.pick(&[3u64, 5, 7, 8, 9]);
        c.phones.push(format!("1{prefix}{:09}", rng.below(1_000_000_000)));
        if rng.chance(20) {
            c.phones
                .push(format!("0{}-{:08}", rng.range(10, 999), rng.below(100_000_000)));
        }
        let py = searchkey::pinyin_of(&c.name).map(|p| p.0).unwrap_or_default();
        if rng.chance(80) {
            c.wechat = format!("{py}{}", rng.range(1, 9999));
        }
        if rng.chance(50) {
            c.email = format!(
                "{py}@{}.cn",
                searchkey::pinyin_of(core).map(|p| p.1).unwrap_or_default()
            );
        }
        if rng.chance(60) {
            c.hobbies = rng.pick(&w.zh_hobbies).to_string();
        }
        if rng.chance(25) {
            c.family = rng.pick(&w.zh_hobbies).to_string();
        }
        if rng.chance(30) {
            c.tags.push(rng.pick(TAGS_ZH).to_string());
        }
    } else {
        let first = *rng.pick(&w.en_first);
        let last = *rng.pick(&w.en_last);
        c.name = format!("{first} {last}");
        c.city = rng.pick(&w.en_cities).to_string();
        let core = *rng.pick(&w.en_cores);
        c.company = format!("{core} {} {}", rng.pick(&w.en_kinds), rng.pick(&w.en_suffixes));
        c.role = rng.pick(&w.en_roles).to_string();
        c.phones.push(format!(
            "+{} {:04} {:04}",
            rng.pick(&[1u64, 44, 49, 61, 65, 852, 971]),
            rng.below(10_000),
            rng.below(10_000)
        ));
        let domain: String = core
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let user: String = format!("{first}.{last}")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        c.email = format!("{}@{domain}.com", user.to_lowercase());
        if rng.chance(60) {
            c.hobbies = rng.pick(&w.en_hobbies).to_string();
        }
        if rng.chance(25) {
            c.family = rng.pick(&w.en_hobbies).to_string();
        }
        if rng.chance(30) {
            c.tags.push(rng.pick(TAGS_EN).to_string());
        }
    }
    c.grade = rng.weighted(&[(Grade::A, 10), (Grade::B, 20), (Grade::C, 40), (Grade::D, 30)]);
    c.status = rng.weighted(&[
        (Status::Potential, 25),
        (Status::Target, 15),
        (Status::Active, 30),
        (Status::Loyal, 12),
        (Status::Lost, 10),
        (Status::NonCustomer, 8),
    ]);
    c.relationship = *rng.pick(Relationship::ALL);
    if rng.chance(70) {
        c.personality = Some(*rng.pick(Personality::ALL));
    }
    if rng.chance(70) {
        let month = rng.range(1, 12) as u32;
        let day = rng.range(1, 28) as u32;
        let year = rng.chance(80).then(|| rng.range(1960, 1998) as i32);
        c.birthday = Some(if rng.chance(1) {
            Birthday {
                calendar: crate::domain::dates::Calendar::Gregorian,
                month: 2,
                day: 29,
                year: Some(1988),
            }
        } else {
            Birthday::gregorian(month, day, year)
        });
    }
    (c, zh)
}

fn interactions(
    rng: &mut Rng,
    w: &Words,
    c: &Customer,
    zh: bool,
    now: NaiveDateTime,
) -> Vec<(NaiveDateTime, InteractionKind, &'static str)> {
    if rng.chance(10) {
        return Vec::new();
    }
    let n = match c.grade {
        Grade::A => rng.range(6, 14),
        Grade::B => rng.range(3, 7),
        Grade::C => rng.range(1, 4),
        Grade::D => rng.range(0, 2),
    };
    let span = (now - c.created_at).num_minutes().clamp(60, 365 * 24 * 60);
    let mut out: Vec<_> = (0..n)
        .map(|_| {
            // Business hours, on a day within the customer's time with us.
            let day = (now - Duration::minutes(rng.range(30, span))).date();
            let at = day
                .and_hms_opt(rng.range(8, 19) as u32, rng.range(0, 59) as u32, 0)
                .unwrap_or(now)
                .min(now);
            let kind = rng.weighted(&[
                (InteractionKind::Call, 50),
                (InteractionKind::Visit, 15),
                (InteractionKind::Message, 20),
                (InteractionKind::Email, 8),
                (InteractionKind::Gift, 3),
                (InteractionKind::Other, 4),
            ]);
            let note = if zh {
                *rng.pick(&w.zh_notes)
            } else {
                *rng.pick(&w.en_notes)
            };
            (at, kind, note)
        })
        .collect();
    out.sort_by_key(|i| i.0);
    out
}

/// Status path leading to `to`, with reasons, for the history.
fn status_path(to: Status, zh: bool) -> Vec<(Status, &'static str)> {
    let r = |en: &'static str, cn: &'static str| if zh { cn } else { en };
    match to {
        Status::Potential => vec![],
        Status::Target => vec![(
            Status::Target,
            r("Budget confirmed, worth developing", "预算已确认，值得重点开发"),
        )],
        Status::Active => vec![
            (Status::Target, r("Met the buyer", "见到了采购负责人")),
            (Status::Active, r("First order signed", "首单签约")),
        ],
        Status::Loyal => vec![
            (Status::Active, r("First order signed", "首单签约")),
            (Status::Loyal, r("Third repeat order", "第三次复购")),
        ],
        Status::Lost => vec![
            (Status::Active, r("First order signed", "首单签约")),
            (Status::Lost, r("Switched to a competitor", "转向竞争对手")),
        ],
        Status::NonCustomer => vec![(Status::NonCustomer, r("No budget and no need", "没有预算也没有需求"))],
    }
}

/// Adds `n` sample customers to the database in one transaction; returns
/// how many were added.
pub fn generate(store: &mut Store, n: usize, seed: u64, now: NaiveDateTime) -> Result<usize, StorageError> {
    let words = Words::load();
    let mut rng = Rng::new(seed);
    // The whole book is written in one transaction.
    store.set_bulk_write(Some((n as i64 / 4).clamp(16_384, 393_216)))?;
    let done = store.write_batch(|tx| {
        let mut add_interaction =
            tx.prepare_cached("INSERT INTO interactions (customer_id, at, kind, note) VALUES (?1, ?2, ?3, ?4)")?;
        let mut add_history = tx.prepare_cached(
            "INSERT INTO status_history (customer_id, at, from_status, to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut set_status = tx.prepare_cached("UPDATE customers SET status = ?2 WHERE id = ?1")?;
        let mut made: Vec<DemoCustomer> = Vec::with_capacity(n);
        for _ in 0..n {
            let (mut c, zh) = person(&mut rng, &words, now);
            let log = interactions(&mut rng, &words, &c, zh, now);
            if log.is_empty() {
                // Customers nobody has contacted yet are the new ones.
                c.created_at = now - Duration::hours(rng.range(1, 24 * 10));
            }
            let mut contact = ContactDates::default();
            for (at, kind, _) in &log {
                contact.last_contact = Some(*at);
                if *kind == InteractionKind::Call {
                    contact.last_call = Some(at.date());
                }
                if kind.counts_as_visit() {
                    contact.last_visit = Some(at.date());
                }
            }
            c.contact = contact;
            let final_status = c.status;
            c.status = Status::Potential;
            let id = crate::storage::insert_customer_in(tx, &c, "")?;
            let mut from = Status::Potential;
            let span = (now - c.created_at).num_minutes().max(2);
            let mut at = c.created_at;
            for (to, reason) in status_path(final_status, zh) {
                at += Duration::minutes(rng.range(1, span / 3));
                add_history.execute(params![
                    id,
                    crate::storage::timestamp(at.min(now)),
                    from.as_str(),
                    to.as_str(),
                    reason
                ])?;
                from = to;
            }
            if final_status != Status::Potential {
                set_status.execute(params![id, final_status.as_str()])?;
            }
            for (at, kind, note) in log {
                add_interaction.execute(params![id, crate::storage::timestamp(at), kind.as_str(), note])?;
            }
            made.push(DemoCustomer {
                id,
                zh,
                grade: c.grade,
                status: final_status,
                company: c.company.clone(),
                created: c.created_at,
            });
        }
        // Each pane adds its sample data for these customers.
        qualification::fill(tx, &mut rng, &made, now)?;
        complaints::fill(tx, &mut rng, &made, now)?;
        agenda::fill(tx, &mut rng, &made, now)?;
        value::fill(tx, seed, &made, now)?;
        accounts::fill(tx, &mut rng, &made, now)?;
        Ok(n)
    });
    store.set_bulk_write(None)?;
    done
}
