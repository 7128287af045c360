//! Customers, companies, tags and status history.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{Result, StorageError, Store};
use crate::domain::customer::{ContactDates, Customer, Grade, Personality, Relationship, Status, StatusChange};
use crate::domain::dates::{Birthday, Calendar};

pub use super::stamps::ts;
pub(crate) use super::stamps::{DAY, parse_day, parse_ts};

/// What the customer list and the search index hold per customer: the
/// columns shown plus the precomputed search and sort keys.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub phone: String,
    pub city: String,
    pub grade: Grade,
    pub status: Status,
    pub last_contact: Option<NaiveDate>,
    pub last_call: Option<NaiveDate>,
    pub last_visit: Option<NaiveDate>,
    pub created: NaiveDate,
    pub search_key: String,
    pub sort_key: String,
    pub follow_up_as_new: bool,
    /// Left the company (DOMAIN §4: no cadence for them).
    pub left: bool,
}

/// A page of rows plus the total count, for the first frame.
pub struct RowsPage {
    pub rows: Vec<CustomerRow>,
    pub total: usize,
}

const ROW_SELECT: &str = "SELECT c.id, c.name, COALESCE(co.name, ''), c.phones, c.city, c.grade, c.status,
    c.last_contact_at, c.last_call_on, c.last_visit_on, c.created_at, c.search_key, c.sort_key,
    c.follow_up_as_new, c.left_on IS NOT NULL
    FROM customers c LEFT JOIN companies co ON co.id = c.company_id";

fn row_from(r: &Row<'_>) -> rusqlite::Result<CustomerRow> {
    row_from_with(r, |r| r.get(2))
}

/// A row, its company read by `company` (from column 2 or elsewhere).
fn row_from_with(r: &Row<'_>, company: impl Fn(&Row<'_>) -> rusqlite::Result<String>) -> rusqlite::Result<CustomerRow> {
    let phones: String = r.get(3)?;
    let grade: String = r.get(5)?;
    let status: String = r.get(6)?;
    let last_contact: Option<String> = r.get(7)?;
    let last_call: Option<String> = r.get(8)?;
    let last_visit: Option<String> = r.get(9)?;
    let created: String = r.get(10)?;
    Ok(CustomerRow {
        id: r.get(0)?,
        name: r.get(1)?,
        company: company(r)?,
        phone: phones.lines().next().unwrap_or("").to_string(),
        city: r.get(4)?,
        grade: Grade::parse(&grade).unwrap_or(Grade::C),
        status: Status::parse(&status).unwrap_or(Status::Potential),
        last_contact: last_contact.as_deref().and_then(parse_ts).map(|t| t.date()),
        last_call: last_call.as_deref().and_then(parse_day),
        last_visit: last_visit.as_deref().and_then(parse_day),
        created: parse_ts(&created).map(|t| t.date()).unwrap_or_default(),
        search_key: r.get(11)?,
        sort_key: r.get(12)?,
        follow_up_as_new: r.get(13)?,
        left: r.get(14)?,
    })
}

/// One customer's row; `None` when there is no such customer.
pub(super) fn customer_row_in(conn: &Connection, id: i64) -> Result<Option<CustomerRow>> {
    Ok(conn
        .prepare_cached(&format!("{ROW_SELECT} WHERE c.id = ?1"))?
        .query_row([id], row_from)
        .optional()?)
}

/// Every customer's row, read through its own read-only connection so the
/// search index can be built on a worker thread while the UI runs.
pub fn read_all_rows(path: &std::path::Path) -> Result<Vec<CustomerRow>> {
    let mut rows = Vec::new();
    for_each_row(path, |r, total| {
        rows.reserve_exact(total.saturating_sub(rows.len()));
        rows.push(r)
    })?;
    Ok(rows)
}

/// Streams every customer's row to `f`, in id order, with the number of
/// rows in all, so the search index is built without holding all rows and
/// all entries in memory at once, in a vector allocated once. The
/// companies' names are read first, in one pass: joining them row by row
/// reads their pages out of order, most of a large book's load.
pub fn for_each_row(path: &std::path::Path, mut f: impl FnMut(CustomerRow, usize)) -> Result<()> {
    // Every company's name in one text, found by id: a map of a string
    // each took twice the memory (a quarter of a million companies in a
    // book of a million), beside the index being built.
    let (mut names, mut spans) = (String::new(), Vec::new());
    for_each_item(path, |item| match item {
        Item::Company(id, name) => {
            spans.push((id, names.len(), name.len()));
            names.push_str(name);
        }
        Item::Row(mut row, company, total) => {
            let at = company.and_then(|id| spans.binary_search_by_key(&id, |s| s.0).ok());
            if let Some((_, start, len)) = at.map(|at| spans[at]) {
                row.company = names[start..start + len].to_string();
            }
            f(row, total);
        }
    })
}

/// What [`for_each_item`] reads, in this order: every company, then every
/// customer.
pub enum Item<'a> {
    /// A company's id and name, in id order.
    Company(i64, &'a str),
    /// A customer's row without its company's name (`company` empty), the
    /// company's id, and the number of rows in all; in id order.
    Row(CustomerRow, Option<i64>, usize),
}

/// Streams every company, then every customer's row, in one read
/// transaction (the companies, the count and the rows see the same
/// book), through its own read-only connection so the search index can be
/// built on a worker thread while the UI runs.
pub fn for_each_item(path: &std::path::Path, mut f: impl FnMut(Item<'_>)) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let tx = conn.unchecked_transaction()?;
    let mut stmt = tx.prepare("SELECT id, name FROM companies ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, name): (i64, String) = (r.get(0)?, r.get(1)?);
        f(Item::Company(id, &name));
    }
    drop(rows);
    let total: i64 = tx.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
    let mut stmt = tx.prepare(ROW_BY_ID_SELECT)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let company: Option<i64> = r.get(2)?;
        let row = row_from_with(r, |_| Ok(String::new()))?;
        f(Item::Row(row, company, total as usize));
    }
    Ok(())
}

/// [`ROW_SELECT`]'s columns with the company's id in place of its name,
/// every customer in id order.
const ROW_BY_ID_SELECT: &str = "SELECT c.id, c.name, c.company_id, c.phones, c.city, c.grade, c.status,
    c.last_contact_at, c.last_call_on, c.last_visit_on, c.created_at, c.search_key, c.sort_key,
    c.follow_up_as_new, c.left_on IS NOT NULL
    FROM customers c ORDER BY c.id";

/// Runs a statement through the connection's statement cache (bulk writes
/// such as the demo generator run the same statements many times).
fn exec(tx: &Transaction<'_>, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(p)
}

/// Schema step: a birthday may be kept by the lunar calendar (0 Gregorian,
/// 1 lunar, 2 lunar leap month; month, day and year are then lunar).
/// The agenda reads birthdays by calendar, month and day, and the calls
/// and visits due grade by grade (key customers first), each through its
/// own index.
pub(super) const LUNAR_BIRTHDAYS: &str = "
    ALTER TABLE customers ADD COLUMN birth_calendar INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX customers_birth_calendar ON customers(birth_calendar, birth_month, birth_day);
    CREATE INDEX customers_grade_due ON customers(grade, next_due_on);
";

/// Whether a customer never contacted is followed up as new (1, as every
/// customer was before) or by the cadence from the day they were added.
pub(super) const FOLLOW_UP_AS_NEW: &str = "
    ALTER TABLE customers ADD COLUMN follow_up_as_new INTEGER NOT NULL DEFAULT 1;
    DROP INDEX customers_new;
    CREATE INDEX customers_new ON customers(next_due_on) WHERE last_contact_at IS NULL AND follow_up_as_new = 1;
";

/// Every column of a customer, in the order `customer_from` reads them;
/// `next_due_on` at 22 is for the export.
pub(crate) const CUSTOMER_SELECT: &str = "SELECT c.id, c.name, COALESCE(co.name, ''), c.role, c.phones, c.wechat,
    c.email, c.city, c.birth_month, c.birth_day, c.birth_year, c.grade, c.status, c.relationship, c.personality,
    c.hobbies, c.family, c.notes, c.created_at, c.last_contact_at, c.last_call_on, c.last_visit_on, c.next_due_on,
    c.birth_calendar, COALESCE(c.uid, ''), c.follow_up_as_new, c.roles
    FROM customers c LEFT JOIN companies co ON co.id = c.company_id";

/// A customer from a `CUSTOMER_SELECT` row (tags are read separately).
pub(crate) fn customer_from(r: &Row<'_>) -> rusqlite::Result<Customer> {
    let s = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let o = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    let birthday = match (r.get::<_, Option<u32>>(8)?, r.get::<_, Option<u32>>(9)?) {
        (Some(month), Some(day)) => Some(Birthday {
            month,
            day,
            year: r.get(10)?,
            calendar: Calendar::from_code(r.get(23)?),
        }),
        _ => None,
    };
    Ok(Customer {
        id: r.get(0)?,
        name: s(1)?,
        company: s(2)?,
        role: s(3)?,
        roles: crate::domain::account::Roles::from_bits(r.get(26)?),
        phones: s(4)?.lines().map(str::to_string).collect(),
        wechat: s(5)?,
        email: s(6)?,
        city: s(7)?,
        birthday,
        grade: Grade::parse(&s(11)?).unwrap_or(Grade::C),
        status: Status::parse(&s(12)?).unwrap_or(Status::Potential),
        relationship: Relationship::parse(&s(13)?).unwrap_or(Relationship::Basic),
        personality: o(14)?.as_deref().and_then(Personality::parse),
        hobbies: s(15)?,
        family: s(16)?,
        notes: s(17)?,
        tags: Vec::new(),
        uid: s(24)?,
        created_at: parse_ts(&s(18)?).unwrap_or_default(),
        contact: ContactDates {
            last_contact: o(19)?.as_deref().and_then(parse_ts),
            last_call: o(20)?.as_deref().and_then(parse_day),
            last_visit: o(21)?.as_deref().and_then(parse_day),
        },
        follow_up_as_new: r.get(25)?,
    })
}

/// The id of the company named `name`, created when new, inside `tx`.
pub(super) fn company_id_in(tx: &Transaction<'_>, name: &str, at: &str) -> rusqlite::Result<Option<i64>> {
    super::inserts::company_id(tx, name, at)
}

/// Recomputes customer `id`'s search key (after their company changed).
pub(crate) fn refresh_search_key_in(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let c = customer_in(tx, id)?;
    let (search_key, _) = super::inserts::keys(&c);
    exec(
        tx,
        "UPDATE customers SET search_key = ?2 WHERE id = ?1",
        params![id, search_key],
    )?;
    Ok(())
}

/// Writes a customer's tags, touching only the links that change (a
/// synced book sends only those).
fn write_tags(tx: &Transaction<'_>, customer_id: i64, tags: &[String]) -> rusqlite::Result<()> {
    let keep = serde_json::to_string(tags).unwrap_or_else(|_| "[]".into());
    exec(
        tx,
        "DELETE FROM customer_tags WHERE customer_id = ?1
            AND tag_id NOT IN (SELECT t.id FROM tags t WHERE t.name IN (SELECT value FROM json_each(?2)))",
        params![customer_id, keep],
    )?;
    for (pos, tag) in tags.iter().enumerate() {
        exec(tx, "INSERT OR IGNORE INTO tags (name) VALUES (?1)", [tag])?;
        exec(
            tx,
            "INSERT INTO customer_tags (customer_id, tag_id, position)
             SELECT ?1, id, ?2 FROM tags WHERE name = ?3
             ON CONFLICT (customer_id, tag_id) DO UPDATE SET position = excluded.position
                WHERE position <> excluded.position",
            params![customer_id, pos as i64, tag],
        )?;
    }
    Ok(())
}

/// Refuses a write about a customer who is not (or no longer) in the book.
pub(super) fn require_customer(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)", [id], |r| {
        r.get(0)
    })?;
    if exists {
        Ok(())
    } else {
        Err(StorageError::NoSuchCustomer(id))
    }
}

/// Recomputes a customer's search and sort keys and due dates from what
/// is stored (after a change that arrived from elsewhere).
pub(super) fn refresh_keys_in(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let c = customer_in(tx, id)?;
    let (search_key, sort_key) = super::inserts::keys(&c);
    exec(
        tx,
        "UPDATE customers SET search_key = ?2, sort_key = ?3,
            last_purchase_on = (SELECT max(day) FROM purchases WHERE customer_id = ?1) WHERE id = ?1",
        params![id, search_key, sort_key],
    )?;
    super::due::refresh_due_in(tx, id)?;
    Ok(())
}

/// Writes every editable column of `c` (and its tags), inside `tx`.
pub(super) fn update_in(tx: &Transaction<'_>, c: &Customer, now: &str) -> rusqlite::Result<()> {
    let company = super::inserts::company_id(tx, &c.company, now)?;
    let (search_key, sort_key) = super::inserts::keys(c);
    exec(
        tx,
        "UPDATE customers SET name = ?2, company_id = ?3, role = ?4, phones = ?5, wechat = ?6,
            email = ?7, city = ?8, birth_month = ?9, birth_day = ?10, birth_year = ?11,
            grade = ?12, status = ?13, relationship = ?14, personality = ?15, hobbies = ?16,
            family = ?17, notes = ?18, updated_at = ?19, search_key = ?20, sort_key = ?21,
            birth_calendar = ?22, roles = ?23
         WHERE id = ?1",
        params![
            c.id,
            c.name,
            company,
            c.role,
            c.phones.join("\n"),
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
            now,
            search_key,
            sort_key,
            c.birthday.map_or(0, |b| b.calendar.code()),
            c.roles.bits(),
        ],
    )?;
    write_tags(tx, c.id, &c.tags)?;
    super::due::refresh_due_in(tx, c.id)
}

/// Customer `id` with its tags, read through `conn` (a transaction too).
fn customer_in(conn: &rusqlite::Connection, id: i64) -> Result<Customer> {
    let c = conn
        .prepare_cached(&format!("{CUSTOMER_SELECT} WHERE c.id = ?1"))?
        .query_row([id], customer_from)
        .optional()?;
    let mut c = c.ok_or(StorageError::NoSuchCustomer(id))?;
    let mut stmt = conn.prepare_cached(
        "SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.customer_id = ?1 ORDER BY ct.position",
    )?;
    c.tags = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(c)
}

/// Writes the editable fields of `c`; a changed status goes into the
/// history with `reason`.
fn write_edit(tx: &Transaction<'_>, c: &Customer, at: NaiveDateTime, reason: &str) -> Result<()> {
    let old: Option<String> = tx
        .query_row("SELECT status FROM customers WHERE id = ?1", [c.id], |r| r.get(0))
        .optional()?;
    let Some(old) = old else {
        return Err(StorageError::NoSuchCustomer(c.id));
    };
    let now = ts(at);
    update_in(tx, c, &now)?;
    if old != c.status.as_str() {
        tx.execute(
            "INSERT INTO status_history (customer_id, at, from_status, to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![c.id, now, old, c.status.as_str(), reason],
        )?;
    }
    Ok(())
}

/// The words of a query the SQL pre-filter of `rapport find` looks for.
const PREFILTER_WORDS: usize = 16;

impl Store {
    /// Adds a new customer; returns its id.
    pub fn insert_customer(&mut self, c: &Customer) -> Result<i64> {
        self.write_batch(|tx| Ok(super::inserts::insert_in(tx, c, "")?))
    }

    /// Saves the editable fields of `c`. A changed status is recorded in the
    /// history with `reason`.
    pub fn update_customer(&mut self, c: &Customer, at: NaiveDateTime, reason: &str) -> Result<()> {
        self.write_batch(|tx| write_edit(tx, c, at, reason))
    }

    /// Moves a customer to `to`, keeping the change and its reason.
    pub fn change_status(&mut self, id: i64, to: Status, reason: &str, at: NaiveDateTime) -> Result<()> {
        let mut c = self.customer(id)?;
        c.status = to;
        self.update_customer(&c, at, reason)
    }

    pub fn customer(&self, id: i64) -> Result<Customer> {
        customer_in(&self.conn, id)
    }

    /// Saves an edit of customer `c.id` made against `expected` (the
    /// customer as read when the edit was merged): written only if the
    /// customer is still exactly that, in the same transaction as the
    /// check; `Ok(false)` when it changed meanwhile (merge again).
    pub fn update_customer_if(
        &mut self,
        c: &Customer,
        expected: &Customer,
        at: NaiveDateTime,
        reason: &str,
    ) -> Result<bool> {
        self.write_batch(|tx| {
            if customer_in(tx, c.id)? != *expected {
                return Ok(false);
            }
            write_edit(tx, c, at, reason)?;
            Ok(true)
        })
    }

    /// One customer's list row, to refresh the index after a write.
    pub fn customer_row(&self, id: i64) -> Result<CustomerRow> {
        let sql = format!("{ROW_SELECT} WHERE c.id = ?1");
        self.conn
            .query_row(&sql, [id], row_from)
            .optional()?
            .ok_or(StorageError::NoSuchCustomer(id))
    }

    /// The first `limit` customers by name and the total count: what the
    /// first frame shows before the full index is ready.
    pub fn first_page(&self, limit: usize) -> Result<RowsPage> {
        let total: i64 = self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
        let sql = format!("{ROW_SELECT} ORDER BY c.sort_key LIMIT ?1");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([limit as i64], row_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(RowsPage {
            rows,
            total: total as usize,
        })
    }

    pub fn customer_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Ids and search keys of the customers whose key holds the query's
    /// characters in order (a necessary condition for any match), filtered
    /// inside SQLite so a one-shot lookup never loads the whole book.
    pub fn search_keys_like(&self, query: &str) -> Result<Vec<(i64, String)>> {
        // Each word of the query must be in the key, in any order; a word
        // mixing Chinese and Latin letters may match as pinyin, so only its
        // Latin letters are required.
        // A few words suffice to narrow the book, and SQLite refuses a
        // condition nested a thousand deep: the matcher checks every word
        // of a longer query after this.
        let mut words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        words.sort_unstable();
        words.dedup();
        words.truncate(PREFILTER_WORDS);
        let patterns: Vec<String> = words
            .into_iter()
            .map(|w| {
                let mixed = crate::search::is_mixed(w);
                let mut pattern = String::from("%");
                for c in w.chars().filter(|c| !mixed || c.is_ascii()) {
                    if matches!(c, '%' | '_' | '\\') {
                        pattern.push('\\');
                    }
                    pattern.push(c);
                    pattern.push('%');
                }
                pattern
            })
            .collect();
        // One pass over the table, the few matches sorted after: walking
        // the name index instead reads every row out of order.
        let mut sql = String::from("SELECT id, search_key FROM customers NOT INDEXED WHERE 1");
        for _ in &patterns {
            sql.push_str(" AND search_key LIKE ? ESCAPE '\\'");
        }
        // In name order, so equal scores rank as the TUI ranks them.
        sql.push_str(" ORDER BY sort_key, id");
        let mut stmt = self.conn.prepare(&sql)?;
        let v = stmt
            .query_map(rusqlite::params_from_iter(patterns), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Every customer's id in name order.
    pub fn ids_by_name(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare("SELECT id FROM customers ORDER BY sort_key, id")?;
        let v = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Only ids and search keys: enough to rank a query from the CLI.
    pub fn search_keys(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare("SELECT id, search_key FROM customers")?;
        let v = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    pub fn status_history(&self, id: i64) -> Result<Vec<StatusChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, from_status, to_status, reason FROM status_history WHERE customer_id = ?1 ORDER BY at, id",
        )?;
        let v = stmt
            .query_map([id], |r| {
                let at: String = r.get(0)?;
                let from: Option<String> = r.get(1)?;
                let to: String = r.get(2)?;
                Ok(StatusChange {
                    at: parse_ts(&at).unwrap_or_default(),
                    from: from.as_deref().and_then(Status::parse),
                    to: Status::parse(&to).unwrap_or(Status::Potential),
                    reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }
}
