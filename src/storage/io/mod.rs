//! The SQL of imports and exports: bulk import of customers in one
//! transaction, the customer list and the agenda feed for export, the JSON
//! dump and restore of every table (`dump`), online backups, restores and
//! the read-only health check (`backup`).

mod backup;
mod dump;
mod journal;

use chrono::NaiveDateTime;
use std::collections::HashMap;

use rusqlite::{OptionalExtension as _, Transaction};

pub(crate) use backup::backup_before_migration;
pub use backup::{Health, backup_file, check_file, restore_file, same_book};
pub use dump::Restored;

use super::customers::{parse_day, ts};
use super::{Result, StorageError, Store};
use crate::domain::cadence::Cadence;
use crate::domain::customer::Customer;
use crate::domain::dates::Birthday;
use crate::io::csvout::Exported;
use crate::io::ics::{Entry, Feed, Who};
use crate::io::plan::{FnvBuild, Known, merge};

/// Why a transfer (restore, JSON import, backup) did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    File(#[from] std::io::Error),
    #[error("{0:?}")]
    Refused(Refusal),
}

impl From<rusqlite::Error> for TransferError {
    fn from(e: rusqlite::Error) -> Self {
        TransferError::Storage(e.into())
    }
}

/// A transfer refused before anything was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A JSON import restores a whole book and needs an empty database.
    NotEmpty { customers: i64 },
    /// The file was written by a newer Rapport.
    Newer { found: i64, known: i64 },
    /// Not a Rapport export or backup, or broken; the detail says where.
    Invalid(String),
    /// The backup fails SQLite's integrity check.
    Damaged(Vec<String>),
    /// Other processes have the book open (a restore waits for them to
    /// close it).
    InUse(Vec<crate::storage::lock::Holder>),
}

/// Page cache for a bulk import, in KiB.
const IMPORT_CACHE_KIB: i64 = 128 * 1024;

/// Page cache while a bulk import rebuilds its indexes, in KiB (see
/// [`restore`]): SQLite's smallest sorting runs are 250 pages.
const SORT_CACHE_KIB: i64 = 1024;

/// Customers whose keys a bulk import computes at a time, and how many such
/// batches may wait for the writer: up to a quarter of a million
/// customers' keys (about 80 MB), so the thread computing them works on
/// while the writer creates the companies, instead of waiting for it.
const KEY_BATCH: usize = 256;
const KEY_BATCHES: usize = 1024;

/// The most names, and as many companies, whose readings the thread that
/// computes a bulk import's keys remembers (see
/// [`crate::domain::pinyin::remember_up_to`]).
const REMEMBERED_FIELDS: usize = 1 << 18;

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub inserted: usize,
    /// Existing customers that received merged data.
    pub merged: usize,
    /// New rows skipped because another import added them meanwhile.
    pub late: usize,
}

use super::customers::{CUSTOMER_SELECT as SELECT_FULL, customer_from};

fn full_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Exported> {
    let customer = customer_from(r)?;
    let o = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    Ok(Exported {
        customer,
        next_due: o(22)?.as_deref().and_then(parse_day),
    })
}

/// New rows from which an import rebuilds indexes instead of updating them.
const BULK_ROWS: usize = 5000;

/// Drops the secondary indexes of the tables an import fills, inside the
/// import's transaction, and returns the SQL that creates them again (as
/// the schema defines them; a rollback restores them anyway). The trigger
/// that keeps a company's figures as each customer comes in is set aside
/// too: [`restore`] computes every company's figures once, before putting
/// it back. The companies' index of accounts at risk stays: each company
/// is written once, with its figures, and few enter it.
fn drop_indexes(tx: &Transaction<'_>) -> rusqlite::Result<Vec<(bool, String)>> {
    let list: Vec<(String, String, String)> = tx
        .prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL
             AND ((type = 'index' AND tbl_name IN ('customers', 'status_history', 'companies')
                   AND name <> 'companies_risk')
                  OR (type = 'trigger' AND name = 'customers_account_insert'))
             ORDER BY tbl_name = 'companies' OR type = 'trigger', type = 'trigger'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let refresh = list.iter().any(|(kind, _, _)| kind == "trigger");
    let mut out = Vec::new();
    for (kind, name, sql) in list {
        let companies = kind == "trigger" || sql.contains(" ON companies");
        if companies && !refresh {
            // Without the trigger the figures are not recomputed: keep it.
            continue;
        }
        let kind = if kind == "trigger" { "TRIGGER" } else { "INDEX" };
        tx.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
        out.push((companies, sql));
    }
    Ok(out)
}

/// Puts back what [`drop_indexes`] set aside: the customers' indexes, then
/// the figures of the companies that existed before the import (`existing`;
/// those it created got theirs when created), then the companies' index
/// and the trigger.
fn restore(tx: &Transaction<'_>, set_aside: &[(bool, String)], existing: &[i64]) -> rusqlite::Result<()> {
    let mut refreshed = false;
    if !set_aside.is_empty() {
        // SQLite sorts an index's entries in runs as large as the page
        // cache: with the import's 128 MiB, one run of every entry on this
        // core alone; with a small cache, runs of a megabyte, each sorted
        // in the processor's cache on a worker thread (`PRAGMA threads`)
        // and merged (7.2 → 4.3 s for the eleven indexes of a million
        // customers). Put back by `import_customers`.
        tx.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
    }
    for (companies, sql) in set_aside {
        if *companies && !refreshed {
            if !existing.is_empty() {
                let ids = serde_json::to_string(existing).unwrap_or_else(|_| "[]".into());
                tx.execute(crate::storage::company_schema::REFRESH_LISTED, [ids])?;
            }
            refreshed = true;
        }
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// Inserts `fresh` in order, for a bulk import. Their search and sort keys
/// (the pinyin readings of every name, company and city: a fifth of the
/// work), due dates (by `cadence`, as the database's own functions would)
/// and uids are computed on another thread while this one writes; their
/// companies are looked up and created once each, with their figures, and
/// their first status-history rows written in one statement, instead of
/// several statements per customer. The companies that existed before, or
/// `None` when `progress` cancelled.
fn insert_all(
    tx: &Transaction<'_>,
    cadence: &Cadence,
    fresh: &[&Customer],
    reason: &str,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<Option<Vec<i64>>> {
    let before: i64 = tx.query_row("SELECT COALESCE(max(id), 0) FROM customers", [], |r| r.get(0))?;
    // Batches, so the two threads meet once per batch, not per row; at
    // most `KEY_BATCHES` of them wait (a few megabytes).
    let (send, keys) = std::sync::mpsc::sync_channel::<super::inserts::KeyBatch>(KEY_BATCHES);
    let written = std::thread::scope(|s| -> Result<Option<Vec<i64>>> {
        // Owned here, so an early return drops it and ends the sender.
        let keys = keys;
        // Started first: it works while this thread creates the companies.
        s.spawn(move || {
            let mut uids = super::uid::Uids::new();
            crate::domain::pinyin::remember_up_to(REMEMBERED_FIELDS);
            for chunk in fresh.chunks(KEY_BATCH) {
                let mut batch = super::inserts::KeyBatch::default();
                for c in chunk {
                    batch.push(c, cadence, &mut uids);
                }
                if send.send(batch).is_err() {
                    break;
                }
            }
        });
        let (ids, existing) = companies_of(tx, fresh)?;
        let mut lookups = super::inserts::Lookups::with_companies(ids);
        let mut insert = tx.prepare(super::inserts::INSERT_CUSTOMER_DUE)?;
        let mut fresh = fresh.iter().enumerate();
        for batch in keys.iter() {
            // The batch's range first: `zip` then takes no customer past it.
            for (j, (i, c)) in (0..batch.len()).zip(fresh.by_ref()) {
                let (k, pre) = batch.row(j);
                super::inserts::insert_row_with(&mut insert, tx, c, k, Some(pre), &mut lookups)?;
                if i % 500 == 0 && !progress(i) {
                    return Ok(None);
                }
            }
        }
        Ok(Some(existing))
    })?;
    if written.is_some() {
        tx.execute(
            "INSERT INTO status_history (customer_id, at, from_status, to_status, reason)
             SELECT id, created_at, NULL, status, ?2 FROM customers WHERE id > ?1 ORDER BY id",
            rusqlite::params![before, reason],
        )?;
    }
    Ok(written)
}

/// A new company's coverage figures, from the customers an import adds to
/// it (a company the import creates has no others): what the
/// `customers_account_*` triggers would compute, customer by customer.
#[derive(Debug)]
struct Coverage {
    created_at: NaiveDateTime,
    people: i64,
    best_grade: &'static str,
    deciders: i64,
    /// The last contact of any of its decision makers (`Some(None)`: they
    /// have none yet), when it has one.
    decider_contact: Option<Option<NaiveDateTime>>,
}

/// Creates the companies `fresh` name that do not exist yet (each dated by
/// the first customer naming it, in that order, with its figures) and
/// returns every named company's id, and the ids of those that existed
/// before: their figures are computed again once the import is written.
fn companies_of(tx: &Transaction<'_>, fresh: &[&Customer]) -> Result<(HashMap<String, i64, FnvBuild>, Vec<i64>)> {
    let mut order: Vec<&str> = Vec::new();
    // Grown as companies come (a million rows name a quarter as many):
    // room for one per row is a table of hundreds of megabytes, touched
    // all over.
    let mut cover: HashMap<&str, Coverage, FnvBuild> = HashMap::default();
    for c in fresh.iter().filter(|c| !c.company.is_empty()) {
        let e = cover.entry(c.company.as_str()).or_insert_with(|| {
            order.push(c.company.as_str());
            Coverage {
                created_at: c.created_at,
                people: 0,
                best_grade: c.grade.as_str(),
                deciders: 0,
                decider_contact: None,
            }
        });
        e.people += 1;
        e.best_grade = e.best_grade.min(c.grade.as_str());
        // `roles & 1`: a decision maker; the last contact of any of them.
        if c.roles.bits() & 1 != 0 {
            e.deciders += 1;
            e.decider_contact = e.decider_contact.max(Some(c.contact.last_contact));
        }
    }
    let mut ids = HashMap::with_capacity_and_hasher(order.len(), FnvBuild::default());
    let mut existing = Vec::new();
    if tx.query_row("SELECT EXISTS (SELECT 1 FROM companies)", [], |r| r.get(0))? {
        let mut stmt = tx.prepare_cached("SELECT id FROM companies WHERE name = ?1")?;
        for name in &order {
            if let Some(id) = stmt.query_row([name], |r| r.get::<_, i64>(0)).optional()? {
                ids.insert(name.to_string(), id);
                existing.push(id);
            }
        }
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO companies (name, created_at, people, best_grade, deciders, decider_contact)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for name in order {
        if ids.contains_key(name) {
            continue;
        }
        let c = &cover[name];
        // As the triggers write it: no contact yet is ''.
        let contact = c.decider_contact.map(|at| at.map(ts).unwrap_or_default());
        insert.execute(rusqlite::params![
            name,
            ts(c.created_at),
            c.people,
            c.best_grade,
            c.deciders,
            contact
        ])?;
        ids.insert(name.to_string(), tx.last_insert_rowid());
    }
    Ok((ids, existing))
}

impl Store {
    /// Every customer's name, company and phones, for duplicate detection.
    pub fn known_customers(&self) -> Result<Vec<Known>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name, COALESCE(co.name, ''), c.phones, COALESCE(c.uid, '') FROM customers c
             LEFT JOIN companies co ON co.id = c.company_id",
        )?;
        let v = stmt
            .query_map([], |r| {
                let phones: String = r.get(3)?;
                Ok(Known {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    company: r.get(2)?,
                    phones: phones.lines().map(str::to_string).collect(),
                    uid: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Imports in one transaction: `new` customers are added (with their
    /// search keys and due dates, and `reason` in their status history),
    /// each `(id, records)` is merged into existing customer `id`. Either
    /// everything is written or nothing. `progress(done, total)` is called
    /// as rows are written; when it returns false the import is cancelled
    /// and rolled back (`Ok(None)`).
    ///
    /// The plan was made against the customers up to id `since`; under the
    /// write lock, a new customer that duplicates one added since (by an
    /// import running at the same time) is skipped, and each merge reads
    /// the customer as it is now: the duplicate check and the writes happen
    /// under one lock, so each customer is added once.
    pub fn import_customers(
        &mut self,
        new: &[crate::domain::customer::Customer],
        merges: &[(i64, Vec<Customer>)],
        since: i64,
        reason: &str,
        at: NaiveDateTime,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<Written>> {
        self.writable()?;
        self.before_write()?;
        let total = new.len() + merges.len();
        // A bulk write touches every index page many times: a larger page
        // cache keeps them in memory instead of spilling to the WAL and
        // reading them back. Put back afterwards.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        if total > 2000 {
            self.conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
            // Index rebuilds sort on the other cores too.
            self.conn.pragma_update(None, "threads", 4)?;
            // The only checked columns an import writes are a grade from
            // its typed `Grade` and the companies' statuses left at their
            // defaults: every row passes, and evaluating the checks was a
            // tenth of the import.
            self.conn.pragma_update(None, "ignore_check_constraints", true)?;
            // Every reference an import writes is to a row it has just
            // written or looked up in the same transaction (a customer's
            // company and tags, a history row's customer): checking each
            // again was one more lookup per row. SQLite's foreign-key check,
            // part of every full check, would still find a wrong one.
            self.conn.pragma_update(None, "foreign_keys", false)?;
        }
        // Many new rows: written once, through a rollback journal, when no
        // one else has the book open (see `journal`); the pages the cache
        // lets go are then in the book itself, and read back through
        // memory mapping instead of a system call each.
        let rollback = new.len() >= BULK_ROWS && journal::leave_wal(&self.conn, super::BUSY_WAIT);
        let mapped: i64 = self.conn.query_row("PRAGMA mmap_size", [], |r| r.get(0))?;
        if rollback {
            self.conn.pragma_update(None, "mmap_size", super::MMAP_BYTES)?;
        }
        let result = self.import_in(new, merges, since, reason, at, progress);
        if rollback {
            journal::back_to_wal(&self.conn);
        }
        self.conn.pragma_update(None, "mmap_size", mapped)?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.pragma_update(None, "ignore_check_constraints", false)?;
        self.conn.pragma_update(None, "cache_size", cache)?;
        result
    }

    /// Which of `new` duplicate a customer added after id `since`.
    fn late_twins(&self, new: &[Customer], since: i64) -> Result<Vec<bool>> {
        use crate::io::plan::{name_key, phone_key};
        let mut phones = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        let mut stmt = self.conn.prepare(
            "SELECT c.name, COALESCE(co.name, ''), c.phones FROM customers c
             LEFT JOIN companies co ON co.id = c.company_id WHERE c.id > ?1",
        )?;
        let mut rows = stmt.query([since])?;
        while let Some(r) = rows.next()? {
            let (name, company, ph): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            names.insert(name_key(&name, &company));
            phones.extend(ph.lines().map(phone_key).filter(|k| k.len() >= 5));
        }
        if names.is_empty() {
            return Ok(vec![false; new.len()]);
        }
        Ok(new
            .iter()
            .map(|c| {
                c.phones.iter().any(|p| phones.contains(&phone_key(p)))
                    || names.contains(&name_key(&c.name, &c.company))
            })
            .collect())
    }

    fn import_in(
        &mut self,
        new: &[Customer],
        merges: &[(i64, Vec<Customer>)],
        since: i64,
        reason: &str,
        at: NaiveDateTime,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<Written>> {
        let tx = Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?;
        let late = self.late_twins(new, since)?;
        let mut merged = Vec::new();
        for (id, records) in merges {
            let mut c = match self.customer(*id) {
                Ok(c) => c,
                // Deleted meanwhile: nothing to merge into.
                Err(StorageError::NoSuchCustomer(_)) => continue,
                Err(e) => return Err(e),
            };
            let mut changed = false;
            for r in records {
                changed |= merge(&mut c, r);
            }
            if changed {
                merged.push(c);
            }
        }
        let fresh: Vec<&Customer> = new.iter().zip(&late).filter(|(_, l)| !**l).map(|(c, _)| c).collect();
        let total = fresh.len() + merged.len();
        // Many new rows: the secondary indexes are rebuilt once at the end
        // (a sort) instead of being updated row by row.
        let rebuild = if fresh.len() >= BULK_ROWS {
            drop_indexes(&tx)?
        } else {
            Vec::new()
        };
        for (i, c) in merged.iter().enumerate() {
            // A merge keeps the status, so no history entry is due.
            super::customers::update_in(&tx, c, &ts(at))?;
            if i % 500 == 0 && !progress(i, total) {
                return Ok(None);
            }
        }
        let Some(existing) = insert_all(&tx, &self.cadence, &fresh, reason, &mut |i| {
            progress(merged.len() + i, total)
        })?
        else {
            return Ok(None);
        };
        restore(&tx, &rebuild, &existing)?;
        if !progress(total, total) {
            return Ok(None);
        }
        tx.commit()?;
        Ok(Some(Written {
            inserted: fresh.len(),
            merged: merged.len(),
            late: new.len() - fresh.len(),
        }))
    }

    /// Every customer with tags and next due date, by id.
    pub fn export_customers(&self) -> Result<Vec<Exported>> {
        let tx = self.conn.unchecked_transaction()?;
        let mut list: Vec<Exported> = tx
            .prepare(&format!("{SELECT_FULL} ORDER BY c.id"))?
            .query_map([], full_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = tx.prepare(
            "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
             ORDER BY ct.customer_id, ct.position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if let Ok(i) = list.binary_search_by_key(&id, |e| e.customer.id) {
                list[i].customer.tags.push(r.get(1)?);
            }
        }
        Ok(list)
    }

    /// The agenda as calendar entries: open follow-ups, the open
    /// complaints' next deadlines (UTC), birthdays of everyone who is not a
    /// non-customer, and business events.
    pub fn agenda_feed(&self) -> Result<Feed> {
        let mut feed = Feed::default();
        let who = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Who> {
            let phones: String = r.get(i + 3)?;
            Ok(Who {
                id: r.get(i)?,
                name: r.get(i + 1)?,
                company: r.get(i + 2)?,
                phone: phones.lines().next().unwrap_or("").to_string(),
            })
        };
        const WHO: &str = "c.id, c.name, COALESCE(co.name, ''), c.phones";
        const JOIN: &str = "JOIN customers c ON c.id = x.customer_id LEFT JOIN companies co ON co.id = c.company_id";
        let sql = format!(
            "SELECT {WHO}, x.id, x.due_on, x.note FROM follow_ups x {JOIN} WHERE x.done_at IS NULL ORDER BY x.due_on, x.id"
        );
        for item in self.conn.prepare(&sql)?.query_map([], |r| {
            let due: String = r.get(5)?;
            Ok((who(r, 0)?, r.get::<_, i64>(4)?, parse_day(&due), r.get::<_, String>(6)?))
        })? {
            let (w, id, due, note) = item?;
            if let Some(due) = due {
                feed.entries.push((w, Entry::FollowUp { id, due, note }));
            }
        }
        let deadlines = self.complaint_deadlines_in(crate::domain::complaint::zone::Zone::utc())?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {WHO} FROM customers c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?1"
        ))?;
        for d in deadlines {
            let w = stmt.query_row([d.customer_id], |r| who(r, 0))?;
            feed.entries.push((
                w,
                Entry::Deadline {
                    complaint_id: d.complaint_id,
                    kind: d.kind,
                    due: d.due,
                },
            ));
        }
        let sql = format!(
            "SELECT {WHO}, c.birth_month, c.birth_day, c.birth_year, c.birth_calendar FROM customers c
             LEFT JOIN companies co ON co.id = c.company_id
             WHERE c.birth_month IS NOT NULL AND c.birth_day IS NOT NULL AND c.status != 'non_customer'
             ORDER BY c.birth_month, c.birth_day, c.id"
        );
        for item in self.conn.prepare(&sql)?.query_map([], |r| {
            let b = Birthday {
                month: r.get(4)?,
                day: r.get(5)?,
                year: r.get(6)?,
                calendar: crate::domain::dates::Calendar::from_code(r.get(7)?),
            };
            Ok((who(r, 0)?, Entry::Birthday(b)))
        })? {
            feed.entries.push(item?);
        }
        let sql = format!(
            "SELECT {WHO}, x.id, x.kind, x.month, x.day, x.year, x.note FROM business_events x {JOIN}
             ORDER BY x.month, x.day, x.id"
        );
        for item in self.conn.prepare(&sql)?.query_map([], |r| {
            let e = Entry::Event {
                id: r.get(4)?,
                kind: r.get(5)?,
                month: r.get(6)?,
                day: r.get(7)?,
                year: r.get(8)?,
                note: r.get(9)?,
            };
            Ok((who(r, 0)?, e))
        })? {
            feed.entries.push(item?);
        }
        Ok(feed)
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
