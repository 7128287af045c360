//! Accounts (DOMAIN §6): the company record, the roles of its people, the
//! coverage figures the agenda reads, and personnel changes (DOMAIN §4).
//!
//! Each company keeps how many people are still there, their best grade,
//! how many decision makers it has and when one was last contacted, kept
//! by triggers on `customers`; `risk_key` then orders the grade-A and -B
//! accounts by how long they have gone uncovered, so the agenda reads the
//! accounts at risk through one index range.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::customers::{DAY, parse_day, parse_ts, ts};
use super::{Result, StorageError, Store};
use crate::domain::account::{BusinessStatus, Company, Departure, Member, Roles, Size, TransactionStatus};
use crate::domain::customer::{Grade, Status};

/// A company as listed and searched: the record and how many people.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyRow {
    pub company: Company,
    pub people: i64,
    pub best_grade: Option<Grade>,
}

const COMPANY_COLUMNS: &str = "co.id, co.name, co.industry, co.size, co.city, co.address, co.website,
    co.business_status, co.transaction_status, co.notes, co.people, co.best_grade";

fn company_from(r: &Row<'_>) -> rusqlite::Result<CompanyRow> {
    let size: Option<String> = r.get(3)?;
    let business: String = r.get(7)?;
    let transaction: String = r.get(8)?;
    let best: Option<String> = r.get(11)?;
    Ok(CompanyRow {
        company: Company {
            id: r.get(0)?,
            name: r.get(1)?,
            industry: r.get(2)?,
            size: size.as_deref().and_then(Size::parse),
            city: r.get(4)?,
            address: r.get(5)?,
            website: r.get(6)?,
            business: BusinessStatus::parse(&business).unwrap_or(BusinessStatus::Normal),
            transaction: TransactionStatus::parse(&transaction).unwrap_or(TransactionStatus::Prospect),
            notes: r.get(9)?,
        },
        people: r.get(10)?,
        best_grade: best.as_deref().and_then(Grade::parse),
    })
}

/// One personnel change: who left, when, where to, who took over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonnelChange {
    pub id: i64,
    pub company_id: Option<i64>,
    pub company: String,
    pub person_id: i64,
    pub person: String,
    pub successor_id: Option<i64>,
    pub successor: String,
    pub left_on: NaiveDate,
    pub moved_to: String,
    /// They stayed a contact, at the company they moved to.
    pub stayed_contact: bool,
    pub note: String,
    /// The roles handed over.
    pub roles: Roles,
}

const CHANGE_SELECT: &str = "SELECT p.id, p.company_id, coalesce(co.name, ''), p.person_id, c.name,
    p.successor_id, coalesce(s.name, ''), p.left_on, p.moved_to, p.stayed_contact, p.note, p.roles
    FROM personnel_changes p
    JOIN customers c ON c.id = p.person_id
    LEFT JOIN customers s ON s.id = p.successor_id
    LEFT JOIN companies co ON co.id = p.company_id";

fn change_from(r: &Row<'_>) -> rusqlite::Result<PersonnelChange> {
    let on: String = r.get(7)?;
    Ok(PersonnelChange {
        id: r.get(0)?,
        company_id: r.get(1)?,
        company: r.get(2)?,
        person_id: r.get(3)?,
        person: r.get(4)?,
        successor_id: r.get(5)?,
        successor: r.get(6)?,
        left_on: parse_day(&on).unwrap_or_default(),
        moved_to: r.get(8)?,
        stayed_contact: r.get(9)?,
        note: r.get(10)?,
        roles: Roles::from_bits(r.get(11)?),
    })
}

const MEMBER_COLUMNS: &str = "c.id, c.name, c.role, c.roles, c.grade, c.status, c.last_contact_at, c.next_due_on";

fn member_from(r: &Row<'_>, left: Option<Departure>) -> rusqlite::Result<Member> {
    let grade: String = r.get(4)?;
    let status: String = r.get(5)?;
    let last: Option<String> = r.get(6)?;
    let next: Option<String> = r.get(7)?;
    Ok(Member {
        id: r.get(0)?,
        name: r.get(1)?,
        title: r.get(2)?,
        roles: Roles::from_bits(r.get(3)?),
        grade: Grade::parse(&grade).unwrap_or(Grade::C),
        status: Status::parse(&status).unwrap_or(Status::Potential),
        last_contact: last.as_deref().and_then(parse_ts),
        next_due: next.as_deref().and_then(parse_day),
        left,
    })
}

/// A departure from columns `i..i+4` (left_on, to, note, successor).
fn departure_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Departure>> {
    let on: Option<String> = r.get(i)?;
    Ok(match on.as_deref().and_then(parse_day) {
        Some(on) => Some(Departure {
            on,
            to: r.get(i + 1)?,
            note: r.get(i + 2)?,
            successor_id: r.get(i + 3)?,
        }),
        None => None,
    })
}

/// An account at risk as the agenda reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskyAccount {
    pub company_id: i64,
    pub company: String,
    pub figures: crate::domain::account::Figures,
    /// The decision maker contacted last (id, name).
    pub decision_maker: Option<(i64, String)>,
    /// The most important person there (best grade).
    pub top: Option<(i64, String)>,
}

/// What the rep records when a person leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub person_id: i64,
    pub on: NaiveDate,
    pub to: String,
    pub note: String,
    /// Who takes over: a person of the company, or a new one by name.
    pub successor: Successor,
    /// Keep them as a contact at the company they moved to (`to`).
    pub stay_contact: bool,
    /// "Rebuild the relationship" falls due this day (see
    /// `domain::account::rebuild_due`), with this note.
    pub rebuild_on: NaiveDate,
    pub rebuild_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Successor {
    None,
    Existing(i64),
    /// A new person at the company, by name (and title).
    New {
        name: String,
        title: String,
    },
}

/// What a departure wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    pub change_id: i64,
    pub successor_id: Option<i64>,
    pub follow_up_id: Option<i64>,
}

/// The company of customer `id` (its id), inside `tx`.
fn company_of(tx: &Transaction<'_>, id: i64) -> Result<Option<i64>> {
    tx.query_row("SELECT company_id FROM customers WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(StorageError::NoSuchCustomer(id))
}

/// Writes a departure inside `tx` (also used by the sample data).
pub(crate) fn leave_in(tx: &Transaction<'_>, l: &Leaving, now: NaiveDateTime) -> Result<Left> {
    let company = company_of(tx, l.person_id)?;
    let (roles, name): (i64, String) =
        tx.query_row("SELECT roles, name FROM customers WHERE id = ?1", [l.person_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let successor_id = match &l.successor {
        Successor::None => None,
        Successor::Existing(id) => {
            if *id == l.person_id {
                return Err(StorageError::NoSuchCustomer(*id));
            }
            company_of(tx, *id)?;
            Some(*id)
        }
        Successor::New { name, title } => {
            let mut c = crate::domain::customer::Customer::new(name.clone(), now);
            c.role = title.clone();
            c.company = tx
                .query_row("SELECT name FROM companies WHERE id = ?1", [company], |r| r.get(0))
                .optional()?
                .unwrap_or_default();
            c.grade = tx.query_row("SELECT grade FROM customers WHERE id = ?1", [l.person_id], |r| {
                Ok(Grade::parse(&r.get::<_, String>(0)?).unwrap_or(Grade::C))
            })?;
            c.status = Status::Target;
            Some(super::inserts::insert_in(tx, &c, "successor")?)
        }
    };
    let day = l.on.format(DAY).to_string();
    tx.execute(
        "INSERT INTO personnel_changes (company_id, person_id, successor_id, left_on, moved_to,
            stayed_contact, note, roles, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            company,
            l.person_id,
            successor_id,
            day,
            l.to,
            l.stay_contact,
            l.note,
            roles,
            ts(now)
        ],
    )?;
    let change_id = tx.last_insert_rowid();
    if let Some(s) = successor_id {
        tx.execute(
            "UPDATE customers SET roles = roles | ?2 WHERE id = ?1",
            params![s, roles],
        )?;
    }
    if l.stay_contact && !l.to.trim().is_empty() {
        // They stay in the book, at the company they moved to.
        let new_company = super::customers::company_id_in(tx, l.to.trim(), &ts(now))?;
        tx.execute(
            "UPDATE customers SET roles = 0, company_id = ?2, successor_id = ?3, updated_at = ?4 WHERE id = ?1",
            params![l.person_id, new_company, successor_id, ts(now)],
        )?;
        super::customers::refresh_search_key_in(tx, l.person_id)?;
    } else {
        tx.execute(
            "UPDATE customers SET roles = 0, left_on = ?2, left_to = ?3, left_note = ?4, successor_id = ?5,
                next_due_on = NULL, churn_on = NULL, updated_at = ?6 WHERE id = ?1",
            params![l.person_id, day, l.to, l.note, successor_id, ts(now)],
        )?;
        // Their open follow-ups end with them.
        tx.execute(
            "UPDATE follow_ups SET done_at = ?2 WHERE customer_id = ?1 AND done_at IS NULL",
            params![l.person_id, ts(now)],
        )?;
    }
    let follow_up_id = match successor_id {
        Some(s) => {
            let note = l.rebuild_note.replace("{name}", &name);
            Some(super::agenda::add_follow_up_in(
                tx,
                s,
                l.rebuild_on,
                &note,
                "personnel_change",
                now,
            )?)
        }
        None => None,
    };
    Ok(Left {
        change_id,
        successor_id,
        follow_up_id,
    })
}

impl Store {
    /// Every company with its head count, in name order.
    pub fn companies(&self) -> Result<Vec<CompanyRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COMPANY_COLUMNS} FROM companies co ORDER BY co.name, co.id"
        ))?;
        let v = stmt.query_map([], company_from)?.collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Company `id`, or `None`.
    pub fn company(&self, id: i64) -> Result<Option<CompanyRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COMPANY_COLUMNS} FROM companies co WHERE co.id = ?1"))?
            .query_row([id], company_from)
            .optional()?)
    }

    /// The company customer `id` is at, if any.
    pub fn company_id_of(&self, customer_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT company_id FROM customers WHERE id = ?1", [customer_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StorageError::NoSuchCustomer(customer_id))
    }

    /// Saves the editable fields of a company (already validated). A new
    /// name must not be another company's: `Ok(false)` then, nothing written.
    pub fn save_company(&mut self, c: &Company, now: NaiveDateTime) -> Result<bool> {
        self.write_batch(|tx| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM companies WHERE name = ?1 AND id <> ?2)",
                params![c.name, c.id],
                |r| r.get(0),
            )?;
            if taken {
                return Ok(false);
            }
            let n = tx.execute(
                "UPDATE companies SET name = ?2, industry = ?3, size = ?4, city = ?5, address = ?6,
                    website = ?7, business_status = ?8, transaction_status = ?9, notes = ?10, updated_at = ?11
                 WHERE id = ?1",
                params![
                    c.id,
                    c.name,
                    c.industry,
                    c.size.map(Size::as_str),
                    c.city,
                    c.address,
                    c.website,
                    c.business.as_str(),
                    c.transaction.as_str(),
                    c.notes,
                    ts(now)
                ],
            )?;
            if n == 0 {
                return Err(StorageError::Sql(rusqlite::Error::QueryReturnedNoRows));
            }
            // The people's search keys hold the company name.
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM customers WHERE company_id = ?1")?
                .query_map([c.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                super::customers::refresh_search_key_in(tx, id)?;
            }
            Ok(true)
        })
    }

    /// Company facts read from an import file: (company name, industry,
    /// size); a fact given sets it, an empty one leaves it. Companies not
    /// in the book are skipped. Returns how many companies changed.
    pub fn set_company_facts(&mut self, facts: &[(String, String, Option<Size>)], now: NaiveDateTime) -> Result<usize> {
        self.write_batch(|tx| {
            let mut n = 0;
            let mut stmt = tx.prepare(
                "UPDATE companies SET industry = CASE WHEN ?2 = '' THEN industry ELSE ?2 END,
                    size = coalesce(?3, size), updated_at = ?4
                 WHERE name = ?1 AND (industry IS NOT ?2 OR size IS NOT coalesce(?3, size)) AND (?2 <> '' OR ?3 IS NOT NULL)",
            )?;
            for (name, industry, size) in facts {
                n += stmt.execute(params![name, industry, size.map(Size::as_str), ts(now)])?;
            }
            Ok(n)
        })
    }

    /// Sets the roles customer `id` holds.
    pub fn set_roles(&mut self, id: i64, roles: Roles, now: NaiveDateTime) -> Result<()> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, id)?;
            tx.execute(
                "UPDATE customers SET roles = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, roles.bits(), ts(now)],
            )?;
            Ok(())
        })
    }

    /// The people of company `id`: those there now (the ones who left
    /// marked so), then those who moved on but stayed contacts elsewhere.
    pub fn members(&self, company_id: i64) -> Result<Vec<Member>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS}, c.left_on, c.left_to, c.left_note, c.successor_id FROM customers c
             WHERE c.company_id = ?1 ORDER BY c.left_on IS NOT NULL, c.sort_key, c.id"
        ))?;
        let mut out: Vec<Member> = stmt
            .query_map([company_id], |r| member_from(r, departure_at(r, 8)?))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS}, p.left_on, p.moved_to, p.note, p.successor_id
             FROM personnel_changes p JOIN customers c ON c.id = p.person_id
             WHERE p.company_id = ?1 AND c.company_id IS NOT ?1 ORDER BY p.left_on, p.id"
        ))?;
        let moved: Vec<Member> = stmt
            .query_map([company_id], |r| member_from(r, departure_at(r, 8)?))?
            .collect::<rusqlite::Result<_>>()?;
        for m in moved {
            if !out.iter().any(|o| o.id == m.id) {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// Personnel changes of company `id`, oldest first.
    pub fn company_changes(&self, company_id: i64) -> Result<Vec<PersonnelChange>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{CHANGE_SELECT} WHERE p.company_id = ?1 ORDER BY p.left_on, p.id"
        ))?;
        let v = stmt
            .query_map([company_id], change_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Personnel changes customer `id` took part in (as the one who left
    /// or as the successor), oldest first.
    pub fn personnel_changes(&self, customer_id: i64) -> Result<Vec<PersonnelChange>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{CHANGE_SELECT} WHERE p.person_id = ?1 OR p.successor_id = ?1 ORDER BY p.left_on, p.id"
        ))?;
        let v = stmt
            .query_map([customer_id], change_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Every personnel change, oldest first (the export).
    pub fn all_personnel_changes(&self) -> Result<Vec<PersonnelChange>> {
        let mut stmt = self.conn.prepare_cached(&format!("{CHANGE_SELECT} ORDER BY p.id"))?;
        let v = stmt.query_map([], change_from)?.collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Whether customer `id` left their company, and when.
    pub fn departure(&self, id: i64) -> Result<Option<Departure>> {
        Ok(self
            .conn
            .prepare_cached("SELECT left_on, left_to, left_note, successor_id FROM customers WHERE id = ?1")?
            .query_row([id], |r| departure_at(r, 0))
            .optional()?
            .flatten())
    }

    /// Records that a person left: the change, their roles moved to the
    /// successor (a new person when named), their cadence and follow-ups
    /// stopped (unless they stay a contact at their new company), and
    /// "rebuild the relationship" put on the successor's agenda. One
    /// transaction.
    pub fn mark_left(&mut self, l: &Leaving, now: NaiveDateTime) -> Result<Left> {
        self.write_batch(|tx| {
            super::customers::require_customer(tx, l.person_id)?;
            leave_in(tx, l, now)
        })
    }

    /// The accounts `accounts_at_risk` finds, with their figures, the
    /// decision maker contacted last and the most important person there
    /// (id, name), read in one statement.
    pub fn risky_accounts(&self, since: NaiveDate, limit: usize) -> Result<Vec<RiskyAccount>> {
        let cutoff = ts(since.and_hms_opt(0, 0, 0).unwrap_or_default());
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.name, r.best_grade, r.people, r.deciders, r.decider_contact,
                    r.dm, d.name, r.top, t.name
             FROM (SELECT co.id, co.name, co.best_grade, co.people, co.deciders, co.decider_contact,
                    (SELECT c.id FROM customers c WHERE c.company_id = co.id AND c.left_on IS NULL
                        AND c.roles & 1 ORDER BY c.last_contact_at DESC, c.id LIMIT 1) AS dm,
                    (SELECT c.id FROM customers c WHERE c.company_id = co.id AND c.left_on IS NULL
                        ORDER BY c.grade, c.id LIMIT 1) AS top,
                    co.risk_key
                   FROM companies co INDEXED BY companies_risk
                   WHERE co.risk_key IS NOT NULL AND co.risk_key < ?1
                   ORDER BY co.risk_key, co.id LIMIT ?2) r
             LEFT JOIN customers d ON d.id = r.dm
             LEFT JOIN customers t ON t.id = r.top
             ORDER BY r.risk_key, r.id",
        )?;
        let rows = stmt.query_map(params![cutoff, limit as i64], |r| {
            let best: Option<String> = r.get(2)?;
            let last: Option<String> = r.get(5)?;
            let person = |i: usize| -> rusqlite::Result<Option<(i64, String)>> {
                Ok(
                    match (r.get::<_, Option<i64>>(i)?, r.get::<_, Option<String>>(i + 1)?) {
                        (Some(id), Some(name)) => Some((id, name)),
                        _ => None,
                    },
                )
            };
            Ok(RiskyAccount {
                company_id: r.get(0)?,
                company: r.get(1)?,
                figures: crate::domain::account::Figures {
                    people: r.get(3)?,
                    best: best.as_deref().and_then(Grade::parse),
                    deciders: r.get(4)?,
                    decider_last: last.as_deref().and_then(parse_ts).map(|t| t.date()),
                },
                decision_maker: person(6)?,
                top: person(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every snooze of one kind of agenda item: customer → (until, times).
    pub fn snoozes_of(&self, kind: &str) -> Result<std::collections::HashMap<i64, (NaiveDate, u32)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT customer_id, until_on, count FROM agenda_snoozes WHERE kind = ?1")?;
        let rows = stmt.query_map([kind], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?))
        })?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (id, until, n) = row?;
            if let Some(d) = parse_day(&until) {
                out.insert(id, (d, n));
            }
        }
        Ok(out)
    }

    /// Grade-A and -B accounts whose coverage is at risk on a day whose
    /// "not contacted since" limit is `since`: companies, most at risk
    /// first (no decision maker or one contact, then the longest
    /// uncovered), at most `limit`, and how many there are (up to `cap`).
    pub fn accounts_at_risk(&self, since: NaiveDate, limit: usize, cap: usize) -> Result<(Vec<i64>, usize)> {
        let cutoff = ts(since.and_hms_opt(0, 0, 0).unwrap_or_default());
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM companies INDEXED BY companies_risk
             WHERE risk_key IS NOT NULL AND risk_key < ?1 ORDER BY risk_key, id LIMIT ?2",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(params![cutoff, cap as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let n = ids.len();
        Ok((ids.into_iter().take(limit).collect(), n))
    }
}

#[cfg(test)]
mod tests;
