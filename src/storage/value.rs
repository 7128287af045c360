//! Purchases (amounts as exact integers in the minor unit), the grade
//! history, and the per-customer aggregates the value analysis runs on.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Row, Transaction, params};

use super::customers::{DAY, parse_day, parse_ts, require_customer, ts};
use super::{Result, StorageError, Store};
use crate::domain::agenda::{Item, Reason, VALUE_AT_RISK};
use crate::domain::customer::{Grade, Status};
use crate::domain::value::{
    Analysis, Currency, Facts, GradeChange, GradeReason, Purchase, PurchaseSummary, Risk, ValueConfig, analyse,
};

pub(super) const SCHEMA: &str = r#"
    CREATE TABLE purchases (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        product TEXT NOT NULL DEFAULT '',
        quantity INTEGER NOT NULL DEFAULT 1,
        amount INTEGER NOT NULL CHECK (amount > 0),
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX purchases_customer ON purchases(customer_id, day, amount);
    CREATE INDEX purchases_day ON purchases(day);
    CREATE TABLE grade_history (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        from_grade TEXT NOT NULL,
        to_grade TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX grade_history_customer ON grade_history(customer_id, at);
    -- Each customer's latest purchase, kept by the database itself for
    -- every way a purchase is written (imports, edits, a merge moving
    -- purchases), so the analysis reads it without scanning them all.
    ALTER TABLE customers ADD COLUMN last_purchase_on TEXT;
    CREATE TRIGGER purchases_last_insert AFTER INSERT ON purchases BEGIN
        UPDATE customers SET last_purchase_on = NEW.day
        WHERE id = NEW.customer_id AND (last_purchase_on IS NULL OR last_purchase_on < NEW.day);
    END;
    CREATE TRIGGER purchases_last_delete AFTER DELETE ON purchases BEGIN
        UPDATE customers SET last_purchase_on = (SELECT max(day) FROM purchases WHERE customer_id = OLD.customer_id)
        WHERE id = OLD.customer_id;
    END;
    CREATE TRIGGER purchases_last_update AFTER UPDATE OF customer_id, day ON purchases BEGIN
        UPDATE customers SET last_purchase_on = (SELECT max(day) FROM purchases WHERE customer_id = customers.id)
        WHERE id IN (OLD.customer_id, NEW.customer_id);
    END;
"#;

fn day(d: NaiveDate) -> String {
    d.format(DAY).to_string()
}

const SELECT: &str = "SELECT id, customer_id, day, product, quantity, amount, note FROM purchases";

fn purchase_from(r: &Row<'_>) -> rusqlite::Result<Purchase> {
    let d: String = r.get(2)?;
    Ok(Purchase {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        date: parse_day(&d).unwrap_or_default(),
        product: r.get(3)?,
        quantity: r.get(4)?,
        amount: r.get(5)?,
        note: r.get(6)?,
    })
}

/// Inserts one purchase inside `tx`.
pub(crate) fn insert_purchase_in(tx: &Transaction<'_>, p: &Purchase) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO purchases (customer_id, day, product, quantity, amount, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        p.customer_id,
        day(p.date),
        p.product,
        p.quantity,
        p.amount,
        p.note
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A customer as the analysis needs them: id, grade, status, last contact,
/// latest purchase (any date).
type Person = (i64, Grade, Status, Option<NaiveDate>, Option<NaiveDate>);

/// Customers' names by id.
type Names = Vec<(i64, String)>;

/// Per-customer purchase aggregates: (customer, latest day, count and sum
/// in the window).
type Aggregate = (i64, Option<NaiveDate>, i64, i64);

/// The aggregates of customers `lo..hi`, in customer order: one pass over
/// that part of the purchases' covering index. With `to` (some purchase
/// lies after the day of the analysis) the latest purchase up to it is
/// found here; without, it is the customers' own `last_purchase_on` and
/// only the count and sum in the window are read.
fn aggregates(conn: &rusqlite::Connection, from: &str, to: Option<&str>, lo: i64, hi: i64) -> Result<Vec<Aggregate>> {
    let sql = match to {
        Some(_) => {
            "SELECT customer_id, max(day), count(*) FILTER (WHERE day >= ?1), sum(amount) FILTER (WHERE day >= ?1)
             FROM purchases WHERE customer_id >= ?3 AND customer_id < ?4 AND day <= ?2
             GROUP BY customer_id ORDER BY customer_id"
        }
        None => {
            "SELECT customer_id, NULL, count(*), sum(amount)
             FROM purchases WHERE customer_id >= ?3 AND customer_id < ?4 AND day >= ?1 AND ?2 IS NULL
             GROUP BY customer_id ORDER BY customer_id"
        }
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![from, to, lo, hi])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let last: Option<String> = r.get(1)?;
        let m: Option<i64> = r.get(3)?;
        out.push((
            r.get(0)?,
            last.as_deref().and_then(parse_day),
            r.get(2)?,
            m.unwrap_or(0),
        ));
    }
    Ok(out)
}

fn read_only(path: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "cache_size", -65536)?;
    Ok(conn)
}

/// Purchases above which the aggregates are read on two cores.
const PARALLEL_PURCHASES: i64 = 200_000;

/// The facts of `value_facts`: every customer (id order) with their
/// aggregates. A large book's purchases are read in two halves of the
/// customer ids at once, each through its own read-only connection to
/// `path`; the customers themselves through `conn`.
fn facts_in(
    conn: &rusqlite::Connection,
    path: &std::path::Path,
    as_of: NaiveDate,
    window_days: Option<i64>,
    names: Option<&mut Vec<(i64, String)>>,
) -> Result<Vec<Facts>> {
    let from = crate::domain::value::window_start(as_of, window_days)
        .map(day)
        .unwrap_or_default();
    let to = day(as_of);
    // Usually no purchase is dated after the day of the analysis: then no
    // row needs that comparison.
    let latest: Option<String> = conn.query_row("SELECT max(day) FROM purchases", [], |r| r.get(0))?;
    let to = latest.filter(|l| *l > to).map(|_| to);
    let to = to.as_deref();
    let (lo, hi): (i64, i64) = conn.query_row(
        "SELECT COALESCE(min(id), 0), COALESCE(max(id), 0) FROM customers",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let many: i64 = conn.query_row("SELECT COALESCE(max(id), 0) FROM purchases", [], |r| r.get(0))?;
    let mid = lo + (hi - lo) / 2;
    // The names, when wanted, come from the same pass over the customers.
    let want_names = names.is_some();
    let customers = |conn: &rusqlite::Connection| -> Result<(Vec<Person>, Names)> {
        let mut stmt = conn.prepare_cached(if want_names {
            "SELECT id, grade, status, substr(last_contact_at, 1, 10), last_purchase_on, name FROM customers ORDER BY id"
        } else {
            "SELECT id, grade, status, substr(last_contact_at, 1, 10), last_purchase_on FROM customers ORDER BY id"
        })?;
        let mut rows = stmt.query([])?;
        let mut v = Vec::new();
        let mut named = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let grade: String = r.get(1)?;
            let status: String = r.get(2)?;
            let contact: Option<String> = r.get(3)?;
            let bought: Option<String> = r.get(4)?;
            v.push((
                id,
                Grade::parse(&grade).unwrap_or(Grade::C),
                Status::parse(&status).unwrap_or(Status::Potential),
                contact.as_deref().and_then(parse_day),
                bought.as_deref().and_then(parse_day),
            ));
            if want_names {
                named.push((id, r.get::<_, String>(5)?));
            }
        }
        Ok((v, named))
    };
    let (people, aggs) = if many > PARALLEL_PURCHASES && path.exists() {
        std::thread::scope(|s| -> Result<_> {
            let upper = s.spawn(|| -> Result<Vec<Aggregate>> {
                let c = read_only(path)?;
                aggregates(&c, &from, to, mid, hi + 1)
            });
            let lower = s.spawn(|| -> Result<Vec<Aggregate>> {
                let c = read_only(path)?;
                aggregates(&c, &from, to, lo, mid)
            });
            let people = customers(conn)?;
            let mut aggs = lower.join().map_err(|_| StorageError::Busy)??;
            aggs.extend(upper.join().map_err(|_| StorageError::Busy)??);
            Ok((people, aggs))
        })?
    } else {
        (customers(conn)?, aggregates(conn, &from, to, lo, hi + 1)?)
    };
    let (people, named) = people;
    if let Some(names) = names {
        *names = named;
    }
    let mut aggs = aggs.into_iter().peekable();
    let mut out = Vec::with_capacity(people.len());
    for (id, grade, status, last_contact, bought) in people {
        while aggs.peek().is_some_and(|a| a.0 < id) {
            aggs.next();
        }
        let (last, f, m) = match aggs.peek() {
            Some(a) if a.0 == id => (a.1, a.2, a.3),
            _ => (None, 0, 0),
        };
        let last = if to.is_some() { last } else { bought };
        out.push(Facts {
            id,
            grade,
            status,
            last_purchase: last,
            frequency: f,
            monetary: m,
            last_contact,
        });
    }
    Ok(out)
}

/// The value analysis through its own read-only connection, so it can run
/// on a worker thread while the UI stays responsive.
pub fn value_analysis_at(path: &std::path::Path, as_of: NaiveDate, cfg: &ValueConfig) -> Result<Analysis> {
    let conn = read_only(path)?;
    let facts = facts_in(&conn, path, as_of, cfg.window_days, None)?;
    Ok(analyse(&facts, as_of, cfg))
}

/// [`value_analysis_at`] and every customer's name by id ascending, read in
/// the same pass over the customers.
pub fn value_analysis_named_at(
    path: &std::path::Path,
    as_of: NaiveDate,
    cfg: &ValueConfig,
) -> Result<(Analysis, Vec<(i64, String)>)> {
    let conn = read_only(path)?;
    let mut names = Vec::new();
    let facts = facts_in(&conn, path, as_of, cfg.window_days, Some(&mut names))?;
    Ok((analyse(&facts, as_of, cfg), names))
}

/// Every customer's name by id ascending, through its own read-only connection.
pub fn names_at(path: &std::path::Path) -> Result<Vec<(i64, String)>> {
    let conn = read_only(path)?;
    let mut stmt = conn.prepare("SELECT id, name FROM customers ORDER BY id")?;
    let v = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

impl Store {
    /// Records a purchase; returns its id.
    pub fn add_purchase(&mut self, p: &Purchase) -> Result<i64> {
        self.write_batch(|tx| {
            require_customer(tx, p.customer_id)?;
            Ok(insert_purchase_in(tx, p)?)
        })
    }

    /// Imports purchases in one transaction: all of them or none.
    pub fn import_purchases(&mut self, purchases: &[Purchase]) -> Result<usize> {
        self.write_batch(|tx| {
            for p in purchases {
                insert_purchase_in(tx, p)?;
            }
            Ok(purchases.len())
        })
    }

    /// Saves the date, product, quantity, amount and note of a purchase.
    pub fn update_purchase(&mut self, p: &Purchase) -> Result<()> {
        self.write_batch(|tx| {
            let n = tx.execute(
                "UPDATE purchases SET day = ?2, product = ?3, quantity = ?4, amount = ?5, note = ?6 WHERE id = ?1",
                params![p.id, day(p.date), p.product, p.quantity, p.amount, p.note],
            )?;
            if n == 0 {
                return Err(StorageError::NoSuchPurchase(p.id));
            }
            Ok(())
        })
    }

    pub fn delete_purchase(&mut self, id: i64) -> Result<()> {
        self.write_batch(|tx| {
            if tx.execute("DELETE FROM purchases WHERE id = ?1", [id])? == 0 {
                return Err(StorageError::NoSuchPurchase(id));
            }
            Ok(())
        })
    }

    pub fn purchase(&self, id: i64) -> Result<Purchase> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
        let mut rows = stmt.query_map([id], purchase_from)?;
        match rows.next() {
            Some(p) => Ok(p?),
            None => Err(StorageError::NoSuchPurchase(id)),
        }
    }

    /// Every purchase (of one customer, or all), oldest first, handed to `f`.
    pub fn for_each_purchase(&self, customer: Option<i64>, mut f: impl FnMut(Purchase)) -> Result<()> {
        let sql = match customer {
            Some(_) => format!("{SELECT} WHERE customer_id = ?1 ORDER BY day, id"),
            None => format!("{SELECT} WHERE ?1 IS NULL ORDER BY day, id"),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([customer])?;
        while let Some(r) = rows.next()? {
            f(purchase_from(r)?);
        }
        Ok(())
    }

    pub fn purchase_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM purchases", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// What the card shows: the latest `recent` purchases, the lifetime and
    /// window figures, this year's total and the account's.
    pub fn purchase_summary(
        &self,
        customer_id: i64,
        today: NaiveDate,
        window_days: Option<i64>,
        recent: usize,
    ) -> Result<PurchaseSummary> {
        let mut s = PurchaseSummary::default();
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE customer_id = ?1 AND day <= ?2 ORDER BY day DESC, id DESC LIMIT ?3"
        ))?;
        s.recent = stmt
            .query_map(params![customer_id, day(today), recent as i64], purchase_from)?
            .collect::<rusqlite::Result<_>>()?;
        let from = crate::domain::value::window_start(today, window_days).map(day);
        let year = day(NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
        let row = self
            .conn
            .prepare_cached(
                "SELECT count(*), COALESCE(sum(amount), 0), max(day),
                COALESCE(sum(?3 IS NULL OR day >= ?3), 0),
                COALESCE(sum(CASE WHEN ?3 IS NULL OR day >= ?3 THEN amount ELSE 0 END), 0),
                COALESCE(sum(CASE WHEN day >= ?4 THEN amount ELSE 0 END), 0)
             FROM purchases WHERE customer_id = ?1 AND day <= ?2",
            )?
            .query_row(params![customer_id, day(today), from, year], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
        (s.count, s.lifetime, _, s.window_count, s.window_amount, s.this_year) = row.clone();
        s.last = row.2.as_deref().and_then(parse_day);
        let (total, buyers) = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(sum(p.amount), 0), count(DISTINCT p.customer_id)
             FROM customers c JOIN purchases p ON p.customer_id = c.id
             WHERE c.company_id = (SELECT company_id FROM customers WHERE id = ?1)
               AND p.day >= ?2 AND p.day <= ?3",
            )?
            .query_row(params![customer_id, year, day(today)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        s.account_this_year = total;
        s.account_buyers = buyers;
        Ok(s)
    }

    /// Every customer with the aggregates of DOMAIN §9 as of `as_of`:
    /// the latest purchase on or before it, and the count and sum of the
    /// purchases in the window (all time when `window_days` is `None`).
    pub fn value_facts(&self, as_of: NaiveDate, window_days: Option<i64>) -> Result<Vec<Facts>> {
        facts_in(&self.conn, &self.path, as_of, window_days, None)
    }

    /// DOMAIN §9 over the whole book as of `as_of`.
    pub fn value_analysis(&self, as_of: NaiveDate, cfg: &ValueConfig) -> Result<Analysis> {
        let facts = self.value_facts(as_of, cfg.window_days)?;
        Ok(analyse(&facts, as_of, cfg))
    }

    /// [`Store::value_analysis`] and every customer's name by id ascending,
    /// read in the same pass over the customers.
    pub fn value_analysis_named(&self, as_of: NaiveDate, cfg: &ValueConfig) -> Result<(Analysis, Vec<(i64, String)>)> {
        let mut names = Vec::new();
        let facts = facts_in(&self.conn, &self.path, as_of, cfg.window_days, Some(&mut names))?;
        Ok((analyse(&facts, as_of, cfg), names))
    }

    /// Every customer's name, by id ascending (the order of `value_facts`).
    pub fn names_by_id(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM customers ORDER BY id")?;
        let v = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Applies accepted grade changes in one transaction: each customer's
    /// grade (only if it is still `from`), its history row, and its due
    /// dates, which follow the new grade at once. Returns how many changed.
    pub fn apply_grade_changes(&mut self, changes: &[GradeChange]) -> Result<usize> {
        self.write_batch(|tx| {
            let mut n = 0;
            for c in changes {
                let done = tx
                    .prepare_cached("UPDATE customers SET grade = ?3, updated_at = ?4 WHERE id = ?1 AND grade = ?2")?
                    .execute(params![c.customer_id, c.from.as_str(), c.to.as_str(), ts(c.at)])?;
                if done == 0 {
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO grade_history (customer_id, at, from_grade, to_grade, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![c.customer_id, ts(c.at), c.from.as_str(), c.to.as_str(), c.reason.stored()])?;
                super::due::refresh_due_in(tx, c.customer_id)?;
                n += 1;
            }
            Ok(n)
        })
    }

    /// Agenda items for valuable customers at risk (`risks`, largest first):
    /// those not contacted in the last `quiet_days` before `day` and not
    /// snoozed past it. The first `limit` become items (their names read
    /// by id); returns them and how many qualify.
    pub fn value_risk_items(
        &self,
        risks: &[Risk],
        day_: NaiveDate,
        quiet_days: i64,
        window_days: Option<i64>,
        currency: Currency,
        limit: usize,
    ) -> Result<(Vec<Item>, usize)> {
        let quiet = day_ - chrono::Duration::days(quiet_days);
        let mut snoozed: std::collections::HashMap<i64, (String, u32)> = std::collections::HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT customer_id, until_on, count FROM agenda_snoozes WHERE kind = ?1")?;
        let mut rows = stmt.query([VALUE_AT_RISK])?;
        while let Some(r) = rows.next()? {
            snoozed.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
        let today = day(day_);
        let due: Vec<&Risk> = risks
            .iter()
            .filter(|r| r.last_contact.is_none_or(|c| c < quiet))
            .filter(|r| snoozed.get(&r.id).is_none_or(|(until, _)| *until <= today))
            .collect();
        // The analysis may be older than the last contacts: the candidates
        // about to be shown are checked against the customers table.
        let checked: Vec<&Risk> = due.iter().take(limit + 50).copied().collect();
        let ids = serde_json::to_string(&checked.iter().map(|r| r.id).collect::<Vec<_>>()).unwrap_or_default();
        let mut fresh: std::collections::HashMap<i64, (String, Option<String>)> = std::collections::HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, last_contact_at FROM customers WHERE id IN (SELECT value FROM json_each(?1))",
        )?;
        let mut rows = stmt.query([ids])?;
        while let Some(r) = rows.next()? {
            fresh.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
        let quiet_ts = ts(quiet.and_hms_opt(0, 0, 0).unwrap_or_default());
        let mut gone = 0;
        let mut items = Vec::new();
        for risk in checked {
            let Some((name, contact)) = fresh.remove(&risk.id) else {
                gone += 1;
                continue;
            };
            if contact.is_some_and(|c| c >= quiet_ts) {
                gone += 1;
                continue;
            }
            if items.len() < limit {
                items.push(Item {
                    customer_id: risk.id,
                    customer: name,
                    reason: Reason::ValueAtRisk {
                        label_key: risk.label_key,
                        recency_days: risk.recency_days,
                        amount: risk.monetary,
                        window_days,
                        currency,
                    },
                    due: day_,
                    days_late: 0,
                    snoozes: snoozed.get(&risk.id).map_or(0, |s| s.1),
                });
            }
        }
        Ok((items, due.len() - gone))
    }

    /// A customer's grade history, newest first.
    pub fn grade_history(&self, customer_id: i64) -> Result<Vec<GradeChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, from_grade, to_grade, reason FROM grade_history WHERE customer_id = ?1 ORDER BY at DESC, id DESC",
        )?;
        let v = stmt
            .query_map([customer_id], |r| {
                let at: String = r.get(0)?;
                let from: String = r.get(1)?;
                let to: String = r.get(2)?;
                Ok(GradeChange {
                    customer_id,
                    at: parse_ts(&at).unwrap_or_default(),
                    from: Grade::parse(&from).unwrap_or(Grade::C),
                    to: Grade::parse(&to).unwrap_or(Grade::C),
                    reason: GradeReason::from_stored(&r.get::<_, String>(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests;
