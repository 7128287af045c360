//! Keeping search keys current, finding duplicate customers, merging two
//! records into one and deleting one, each in one transaction.

use chrono::NaiveDateTime;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::customers::{DAY, require_customer, ts, update_in};
use super::{Result, StorageError, Store};
use crate::domain::customer::Customer;
use crate::domain::duplicates::{Candidate, Pair, find_pairs};
use crate::domain::phone::normalize_phone;
use crate::domain::searchkey::{KEY_VERSION, name_sort_key, search_key};

/// Every table holding rows about a customer, with the column naming the
/// customer. A merge moves all of them to the kept customer (a row the
/// kept one already has an equivalent of, such as its own MAN answers,
/// stays with the other one and goes with it). Adding a table about
/// customers means adding one line here; a test checks that every foreign
/// key to `customers` is listed.
pub(crate) const HANGING: &[(&str, &str)] = &[
    ("interactions", "customer_id"),
    ("status_history", "customer_id"),
    ("customer_tags", "customer_id"),
    ("qualification", "customer_id"),
    ("qualification", "decider_customer_id"),
    ("qualification_history", "customer_id"),
    ("complaints", "customer_id"),
    ("follow_ups", "customer_id"),
    ("business_events", "customer_id"),
    ("agenda_snoozes", "customer_id"),
    ("purchases", "customer_id"),
    ("grade_history", "customer_id"),
    ("personnel_changes", "person_id"),
    ("personnel_changes", "successor_id"),
    ("customers", "successor_id"),
];

/// Registers `rapport_has_phone(phones, normalised)`: whether one of the
/// stored phones (one per line) is that number however it was typed.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "rapport_has_phone",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let phones: String = ctx.get(0)?;
            let want: String = ctx.get(1)?;
            Ok(phones.lines().any(|p| normalize_phone(p) == want))
        },
    )
}

/// Customers from which recomputing the keys is announced (about a
/// second of work).
const SLOW_REFRESH: i64 = 100_000;

/// How long opening a book waits for another Rapport recomputing its keys.
const REFRESH_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Recomputes every search and sort key when they were written under
/// another [`KEY_VERSION`] (an earlier Rapport read pinyin differently),
/// or by a Rapport that did not record the version (`meta.search_keys`).
/// `slow` is called first when the book is large enough for that to be
/// felt (about 7 s for a million customers).
pub(super) fn refresh_keys(conn: &mut Connection, slow: impl FnOnce()) -> Result<()> {
    let current = |conn: &Connection| -> Result<bool> {
        let version: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'search_keys'", [], |r| r.get(0))
            .optional()?;
        Ok(version.as_deref() == Some(KEY_VERSION.to_string().as_str()))
    };
    if current(conn)? {
        return Ok(());
    }
    let customers: i64 = conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
    if customers >= SLOW_REFRESH {
        slow();
    }
    // Another Rapport opening the book at the same time may be doing this
    // already (seconds for a large book): it is waited for, and its keys
    // are not computed again.
    conn.busy_timeout(REFRESH_WAIT)?;
    let done = rewrite_keys(conn, current);
    conn.busy_timeout(super::BUSY_WAIT)?;
    done
}

/// Writes every key that differs from what [`KEY_VERSION`] computes, in
/// one transaction, unless `current` finds them written meanwhile.
fn rewrite_keys(conn: &mut Connection, current: impl Fn(&Connection) -> Result<bool>) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if current(&tx)? {
        return Ok(());
    }
    {
        let mut read = tx.prepare(
            "SELECT c.id, c.name, COALESCE(co.name, ''), c.phones, c.city,
                (SELECT group_concat(t.name, char(10)) FROM
                    (SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                     WHERE ct.customer_id = c.id ORDER BY ct.position) t),
                c.search_key, c.sort_key
             FROM customers c LEFT JOIN companies co ON co.id = c.company_id",
        )?;
        let mut write = tx.prepare("UPDATE customers SET search_key = ?2, sort_key = ?3 WHERE id = ?1")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let (id, name, company, phones, city): (i64, String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let tags: Option<String> = r.get(5)?;
            let phones: Vec<String> = phones.lines().map(str::to_string).collect();
            let tags: Vec<String> = tags.unwrap_or_default().lines().map(str::to_string).collect();
            let (key, sort) = (search_key(&name, &company, &phones, &city, &tags), name_sort_key(&name));
            // Only the keys that differ are written: a new version changes
            // few of a large book's, which is then not rewritten whole.
            let (was_key, was_sort): (Option<String>, Option<String>) = (r.get(6)?, r.get(7)?);
            if was_key.as_deref() != Some(key.as_str()) || was_sort.as_deref() != Some(sort.as_str()) {
                write.execute(params![id, key, sort])?;
            }
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('search_keys', ?1)",
        [KEY_VERSION.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

/// What goes with a customer who is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hanging {
    pub interactions: usize,
    pub complaints: usize,
    pub follow_ups: usize,
}

/// Deletes customer `id` inside `tx`, and their company and tags when no
/// one else uses them; the rest goes by cascade.
pub(super) fn delete_in(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let company: Option<Option<i64>> = tx
        .query_row("SELECT company_id FROM customers WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    let Some(company) = company else {
        return Err(StorageError::NoSuchCustomer(id));
    };
    tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    if let Some(c) = company {
        tx.execute(
            "DELETE FROM companies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM customers WHERE company_id = ?1)",
            [c],
        )?;
    }
    tx.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM customer_tags)",
        [],
    )?;
    Ok(())
}

fn candidate(r: &rusqlite::Row<'_>) -> rusqlite::Result<Candidate> {
    let phones: String = r.get(3)?;
    Ok(Candidate {
        id: r.get(0)?,
        name: r.get(1)?,
        company: r.get(2)?,
        phones: phones.lines().map(str::to_string).collect(),
    })
}

const CANDIDATE_SELECT: &str = "SELECT c.id, c.name, COALESCE(co.name, ''), c.phones FROM customers c LEFT JOIN companies co ON co.id = c.company_id";

impl Store {
    /// What deleting customer `id` would take with it.
    pub fn hanging(&self, id: i64) -> Result<Hanging> {
        let count = |sql: &str| -> Result<usize> {
            let n: i64 = self.conn.query_row(sql, [id], |r| r.get(0))?;
            Ok(n as usize)
        };
        Ok(Hanging {
            interactions: count("SELECT count(*) FROM interactions WHERE customer_id = ?1")?,
            complaints: count("SELECT count(*) FROM complaints WHERE customer_id = ?1")?,
            follow_ups: count("SELECT count(*) FROM follow_ups WHERE customer_id = ?1 AND done_at IS NULL")?,
        })
    }

    /// Deletes customer `id` and everything about them, in one transaction.
    pub fn delete_customer(&mut self, id: i64) -> Result<()> {
        self.write_batch(|tx| delete_in(tx, id))
    }

    /// Merges customer `other` into `merged.id`: `merged` (built with
    /// [`crate::domain::duplicates::merged`]) becomes the kept record,
    /// everything about `other` moves to it (see [`HANGING`]) and `other`
    /// is deleted, all in one transaction.
    pub fn merge_customers(&mut self, merged: &Customer, other: i64, at: NaiveDateTime, reason: &str) -> Result<()> {
        let keep = merged.id;
        if keep == other {
            return Err(StorageError::NoSuchCustomer(other));
        }
        self.write_batch(|tx| {
            require_customer(tx, keep)?;
            require_customer(tx, other)?;
            let old: String = tx.query_row("SELECT status FROM customers WHERE id = ?1", [keep], |r| r.get(0))?;
            for (table, column) in HANGING {
                tx.execute(
                    &format!("UPDATE OR IGNORE {table} SET {column} = ?1 WHERE {column} = ?2"),
                    [keep, other],
                )?;
            }
            let now = ts(at);
            update_in(tx, merged, &now)?;
            let c = &merged.contact;
            tx.execute(
                "UPDATE customers SET last_contact_at = ?2, last_call_on = ?3, last_visit_on = ?4, created_at = ?5
                 WHERE id = ?1",
                params![
                    keep,
                    c.last_contact.map(ts),
                    c.last_call.map(|d| d.format(DAY).to_string()),
                    c.last_visit.map(|d| d.format(DAY).to_string()),
                    ts(merged.created_at),
                ],
            )?;
            super::due::refresh_due_in(tx, keep)?;
            if old != merged.status.as_str() {
                tx.execute(
                    "INSERT INTO status_history (customer_id, at, from_status, to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![keep, now, old, merged.status.as_str(), reason],
                )?;
            }
            delete_in(tx, other)
        })
    }

    /// Every pair of customers that look like one (same phone, same name
    /// and company, or names read alike at the same company).
    pub fn duplicate_pairs(&self) -> Result<Vec<Pair>> {
        let mut stmt = self.conn.prepare(CANDIDATE_SELECT)?;
        let all = stmt.query_map([], candidate)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(find_pairs(&all))
    }

    /// Customers other than `except` that `c` looks like (its phone, or its
    /// name at its company): the warning when adding or editing.
    pub fn look_alikes(
        &self,
        c: &Customer,
        except: Option<i64>,
    ) -> Result<Vec<(Candidate, crate::domain::duplicates::Because)>> {
        self.look_alikes_among(c, except, None)
    }

    /// [`Store::look_alikes`], where those sharing a phone are among
    /// `phone_ids` when given (the customers whose search key holds one of
    /// [`looked_up_phones`]: each is read, not every customer's phones).
    pub fn look_alikes_among(
        &self,
        c: &Customer,
        except: Option<i64>,
        phone_ids: Option<&[i64]>,
    ) -> Result<Vec<(Candidate, crate::domain::duplicates::Because)>> {
        let phones = looked_up_phones(c);
        let mut found: Vec<Candidate> = Vec::new();
        let mut by_phone = self
            .conn
            .prepare_cached(&format!("{CANDIDATE_SELECT} WHERE rapport_has_phone(c.phones, ?1)"))?;
        let mut by_id_phone = self.conn.prepare_cached(&format!(
            "{CANDIDATE_SELECT} WHERE c.id = ?2 AND rapport_has_phone(c.phones, ?1)"
        ))?;
        for p in &phones {
            match phone_ids {
                None => found.extend(
                    by_phone
                        .query_map([p], candidate)?
                        .collect::<rusqlite::Result<Vec<_>>>()?,
                ),
                Some(ids) => {
                    for id in ids {
                        found.extend(
                            by_id_phone
                                .query_map(rusqlite::params![p, id], candidate)?
                                .collect::<rusqlite::Result<Vec<_>>>()?,
                        );
                    }
                }
            }
        }
        if !c.company.trim().is_empty() {
            let mut by_company = self.conn.prepare_cached(&format!(
                "{CANDIDATE_SELECT} WHERE c.company_id IN (SELECT id FROM companies WHERE lower(trim(name)) = lower(trim(?1)))"
            ))?;
            found.extend(
                by_company
                    .query_map([&c.company], candidate)?
                    .collect::<rusqlite::Result<Vec<_>>>()?,
            );
        }
        let mut out = Vec::new();
        for cand in found {
            if Some(cand.id) == except || out.iter().any(|(o, _): &(Candidate, _)| o.id == cand.id) {
                continue;
            }
            if let Some(b) = crate::domain::duplicates::looks_like(c, &cand) {
                out.push((cand, b));
            }
        }
        out.sort_by_key(|(c, b)| (*b, c.id));
        Ok(out)
    }
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;

/// The phones of `c` a look-alike is looked for by: each normalised, those
/// of six digits or more (a shorter one is an extension, not a number).
pub fn looked_up_phones(c: &Customer) -> Vec<String> {
    c.phones
        .iter()
        .map(|p| normalize_phone(p))
        .filter(|p| p.len() >= 6)
        .collect()
}
