//! Adding customers: one at a time, or many in a bulk import that looks
//! each company and tag up once and computes the keys beforehand.

use std::borrow::Cow;

use rusqlite::{Transaction, params};

use super::stamps::{day_str, ts};
use crate::domain::cadence::Cadence;
use crate::domain::customer::Customer;
use crate::domain::searchkey;
use crate::io::plan::FnvBuild;

/// Inserts a customer with its initial status-history row, inside `tx`.
pub fn insert_in(tx: &Transaction<'_>, c: &Customer, reason: &str) -> rusqlite::Result<i64> {
    insert_keyed_in(tx, c, reason, keys(c), &mut Lookups::default())
}

/// The ids of companies and tags a run of inserts has already looked up
/// (a bulk import names the same companies and tags many times).
#[derive(Debug, Default)]
pub struct Lookups {
    companies: std::collections::HashMap<String, i64, FnvBuild>,
    tags: std::collections::HashMap<String, i64>,
}

impl Lookups {
    /// Lookups that already know these companies' ids.
    pub fn with_companies(companies: std::collections::HashMap<String, i64, FnvBuild>) -> Lookups {
        Lookups {
            companies,
            tags: Default::default(),
        }
    }

    fn company(&mut self, tx: &Transaction<'_>, name: &str, at: &str) -> rusqlite::Result<Option<i64>> {
        if let Some(&id) = self.companies.get(name) {
            return Ok(Some(id));
        }
        let id = company_id(tx, name, at)?;
        if let Some(id) = id {
            self.companies.insert(name.to_string(), id);
        }
        Ok(id)
    }

    fn tag(&mut self, tx: &Transaction<'_>, name: &str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.tags.get(name) {
            return Ok(id);
        }
        exec(tx, "INSERT OR IGNORE INTO tags (name) VALUES (?1)", [name])?;
        let id = tx
            .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
            .query_row([name], |r| r.get(0))?;
        self.tags.insert(name.to_string(), id);
        Ok(id)
    }
}

/// A customer's search key and name sort key, as stored.
pub(crate) fn keys(c: &Customer) -> (String, String) {
    (
        searchkey::search_key(&c.name, &c.company, &c.phones, &c.city, &c.tags),
        searchkey::name_sort_key(&c.name),
    )
}

/// What a bulk import computes of its customers on another core while
/// this one writes (see [`INSERT_CUSTOMER_DUE`]), a batch at a time in one
/// buffer that the writer reads in order: the strings of separate
/// allocations, made on the other core, cost the writer as much again to
/// fetch and free.
#[derive(Debug, Default)]
pub(crate) struct KeyBatch {
    text: String,
    /// Where each field ends in `text`: [`FIELDS`] per customer, in the
    /// order of [`Field`]; a due date that is absent is empty.
    ends: Vec<usize>,
}

/// A customer's fields in a [`KeyBatch`].
#[derive(Debug, Clone, Copy)]
enum Field {
    Search,
    Sort,
    /// The customer's own uid, or a new one in time order (UUIDv7, in the
    /// same 32 hex digits as the database's own): rows added in order then
    /// extend the uid index at its end instead of all over it.
    Uid,
    Created,
    Phones,
    NextDue,
    Churn,
}
const FIELDS: usize = Field::Churn as usize + 1;

/// One customer's part of a [`KeyBatch`] besides the keys, as stored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Precomputed<'a> {
    due: (Option<&'a str>, Option<&'a str>),
    uid: &'a str,
    created: &'a str,
    phones: &'a str,
}

impl KeyBatch {
    /// Adds the keys and the rest of a customer a bulk import adds.
    pub(crate) fn push(&mut self, c: &Customer, cadence: &Cadence, uids: &mut super::uid::Uids) {
        let contact = &c.contact;
        let next = super::due::next_due_on(
            cadence,
            c.grade,
            (contact.last_call, contact.last_visit),
            c.created_at.date(),
            c.follow_up_as_new,
        );
        let churn = cadence
            .churn_from(c.grade, contact.last_contact.map(|t| t.date()))
            .map(day_str);
        let (search, sort) = keys(c);
        let new_uid;
        let uid = if c.uid.is_empty() {
            new_uid = uids.next();
            &new_uid
        } else {
            &c.uid
        };
        // In the order of `Field`.
        for part in [
            search.as_str(),
            &sort,
            uid,
            &ts(c.created_at),
            &c.phones.join("\n"),
            next.as_deref().unwrap_or(""),
            churn.as_deref().unwrap_or(""),
        ] {
            self.text.push_str(part);
            self.ends.push(self.text.len());
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len() / FIELDS
    }

    /// The keys and the rest of customer `i` of the batch.
    pub(crate) fn row(&self, i: usize) -> ((&str, &str), Precomputed<'_>) {
        let field = |f: Field| {
            let end = i * FIELDS + f as usize;
            let start = end.checked_sub(1).map_or(0, |before| self.ends[before]);
            &self.text[start..self.ends[end]]
        };
        let due = |f: Field| Some(field(f)).filter(|d| !d.is_empty());
        (
            (field(Field::Search), field(Field::Sort)),
            Precomputed {
                due: (due(Field::NextDue), due(Field::Churn)),
                uid: field(Field::Uid),
                created: field(Field::Created),
                phones: field(Field::Phones),
            },
        )
    }
}

/// [`insert_in`] with the keys computed beforehand (a bulk import computes
/// them on another core while this one writes) and the ids of companies
/// and tags looked up once per run.
pub(crate) fn insert_keyed_in(
    tx: &Transaction<'_>,
    c: &Customer,
    reason: &str,
    keys: (String, String),
    lookups: &mut Lookups,
) -> rusqlite::Result<i64> {
    let id = insert_row_in(tx, c, (&keys.0, &keys.1), lookups)?;
    exec(
        tx,
        "INSERT INTO status_history (customer_id, at, from_status, to_status, reason) VALUES (?1, ?2, NULL, ?3, ?4)",
        params![id, ts(c.created_at), c.status.as_str(), reason],
    )?;
    Ok(id)
}

/// The customer insert, with its due dates as `$due` (two SQL values).
macro_rules! insert_customer {
    ($due:literal) => {
        concat!(
            "INSERT INTO customers (name, company_id, role, phones, wechat, email, city,
        birth_month, birth_day, birth_year, grade, status, relationship, personality,
        hobbies, family, notes, created_at, updated_at, last_contact_at, last_call_on,
        last_visit_on, search_key, sort_key, birth_calendar, uid, follow_up_as_new, roles, next_due_on, churn_on)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18,
        ?19, ?20, ?21, ?22, ?23, ?24, COALESCE(NULLIF(?25, ''), lower(hex(randomblob(16)))), ?26, ?27, ",
            $due,
            ")"
        )
    };
}

/// Adds one customer's row; its parameters are bound by
/// [`insert_row_with`].
pub(crate) const INSERT_CUSTOMER: &str =
    insert_customer!("rapport_next_due(?11, ?20, ?21, ?18, ?26), rapport_churn_on(?11, ?19)");

/// [`INSERT_CUSTOMER`] with the due dates computed beforehand (`?28`,
/// `?29`; see [`bulk_keys`]).
pub(crate) const INSERT_CUSTOMER_DUE: &str = insert_customer!("?28, ?29");

/// The customer's row and tags, without the status history (a bulk import
/// writes every new customer's first history row in one statement).
pub(crate) fn insert_row_in(
    tx: &Transaction<'_>,
    c: &Customer,
    keys: (&str, &str),
    lookups: &mut Lookups,
) -> rusqlite::Result<i64> {
    insert_row_with(&mut *tx.prepare_cached(INSERT_CUSTOMER)?, tx, c, keys, None, lookups)
}

/// [`insert_row_in`] through `stmt`, [`INSERT_CUSTOMER`] prepared once for
/// a bulk import (the statement cache would hash its text for every row).
/// With `pre`, `stmt` is [`INSERT_CUSTOMER_DUE`].
pub(crate) fn insert_row_with(
    stmt: &mut rusqlite::Statement<'_>,
    tx: &Transaction<'_>,
    c: &Customer,
    (search_key, sort_key): (&str, &str),
    pre: Option<Precomputed<'_>>,
    lookups: &mut Lookups,
) -> rusqlite::Result<i64> {
    let (at, phones) = match pre {
        Some(p) => (Cow::Borrowed(p.created), Cow::Borrowed(p.phones)),
        None => (Cow::Owned(ts(c.created_at)), Cow::Owned(c.phones.join("\n"))),
    };
    let company = lookups.company(tx, &c.company, &at)?;
    let row = params![
        c.name,
        company,
        c.role,
        phones,
        c.wechat,
        c.email,
        c.city,
        c.birthday.map(|b| b.month),
        c.birthday.map(|b| b.day),
        c.birthday.and_then(|b| b.year),
        c.grade.as_str(),
        c.status.as_str(),
        c.relationship.as_str(),
        c.personality.map(|p| p.as_str()),
        c.hobbies,
        c.family,
        c.notes,
        at,
        c.contact.last_contact.map(ts),
        c.contact.last_call.map(day_str),
        c.contact.last_visit.map(day_str),
        search_key,
        sort_key,
        c.birthday.map_or(0, |b| b.calendar.code()),
        pre.map_or(c.uid.as_str(), |p| p.uid),
        c.follow_up_as_new,
        c.roles.bits(),
    ];
    match pre {
        Some(Precomputed { due: (next, churn), .. }) => {
            let mut with_due = row.to_vec();
            with_due.extend([&next as &dyn rusqlite::ToSql, &churn]);
            stmt.execute(&*with_due)?
        }
        None => stmt.execute(row)?,
    };
    // The due dates were computed by the same functions as
    // `due::refresh_due_in` in the insert itself (one write of the row).
    let id = tx.last_insert_rowid();
    // A new customer has no tag links to remove.
    for (pos, tag) in c.tags.iter().enumerate() {
        let tag_id = lookups.tag(tx, tag)?;
        exec(
            tx,
            "INSERT INTO customer_tags (customer_id, tag_id, position) VALUES (?1, ?2, ?3)
             ON CONFLICT (customer_id, tag_id) DO UPDATE SET position = excluded.position",
            params![id, tag_id, pos as i64],
        )?;
    }
    Ok(id)
}

pub(super) fn company_id(tx: &Transaction<'_>, name: &str, at: &str) -> rusqlite::Result<Option<i64>> {
    if name.is_empty() {
        return Ok(None);
    }
    exec(
        tx,
        "INSERT OR IGNORE INTO companies (name, created_at) VALUES (?1, ?2)",
        params![name, at],
    )?;
    tx.prepare_cached("SELECT id FROM companies WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .map(Some)
}

/// Runs a statement through the connection's statement cache.
fn exec(tx: &Transaction<'_>, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Grade;

    /// Each customer of a batch reads back exactly what was computed for
    /// it, next to customers with several phones, none, and no due dates.
    #[test]
    fn a_key_batch_gives_each_customer_its_own_fields() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .unwrap()
            .and_hms_opt(9, 5, 6)
            .unwrap();
        let mut people = Vec::new();
        for (i, (name, phones)) in [
            ("张伟", vec!["13800000001", "010-5555 1234"]),
            ("Anna Berg", vec![]),
            ("李娜", vec!["13900000002"]),
        ]
        .into_iter()
        .enumerate()
        {
            let mut c = Customer::new(name, at);
            c.phones = phones.into_iter().map(String::from).collect();
            c.grade = [Grade::A, Grade::D, Grade::C][i];
            c.company = "华信科技".into();
            c.uid = if i == 1 { "own-uid".into() } else { String::new() };
            c.follow_up_as_new = i != 0;
            c.contact.last_contact = (i == 2).then_some(at);
            people.push(c);
        }
        let cadence = Cadence::default();
        let mut batch = KeyBatch::default();
        let mut uids = crate::storage::uid::Uids::new();
        for c in &people {
            batch.push(c, &cadence, &mut uids);
        }
        assert_eq!(batch.len(), 3);
        for (i, c) in people.iter().enumerate() {
            let ((search, sort), pre) = batch.row(i);
            let (want_search, want_sort) = keys(c);
            assert_eq!((search, sort), (want_search.as_str(), want_sort.as_str()));
            assert_eq!(pre.phones, c.phones.join("\n"));
            assert_eq!(pre.created, ts(at));
            let next = super::super::due::next_due_on(&cadence, c.grade, (None, None), at.date(), c.follow_up_as_new);
            let churn = cadence
                .churn_from(c.grade, c.contact.last_contact.map(|t| t.date()))
                .map(day_str);
            assert_eq!(pre.due, (next.as_deref(), churn.as_deref()));
            if i == 1 {
                assert_eq!(pre.uid, "own-uid");
            } else {
                assert_eq!(pre.uid.len(), 32);
            }
        }
        assert_ne!(batch.row(0).1.uid, batch.row(2).1.uid);
    }
}
