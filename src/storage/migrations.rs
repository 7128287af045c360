//! Schema migrations. Each step is SQL run in order; all pending steps run
//! in one transaction together with the new `user_version`.

use rusqlite::Connection;

use super::{APPLICATION_ID, Result};

const FOUNDATION: &str = r#"
    CREATE TABLE companies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
        role TEXT NOT NULL DEFAULT '',
        phones TEXT NOT NULL DEFAULT '',
        wechat TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        birth_month INTEGER,
        birth_day INTEGER,
        birth_year INTEGER,
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        status TEXT NOT NULL,
        relationship TEXT NOT NULL,
        personality TEXT,
        hobbies TEXT NOT NULL DEFAULT '',
        family TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_contact_at TEXT,
        last_call_on TEXT,
        last_visit_on TEXT,
        search_key TEXT NOT NULL,
        sort_key TEXT NOT NULL
    );
    CREATE INDEX customers_sort ON customers(sort_key);
    CREATE INDEX customers_company ON customers(company_id);
    CREATE INDEX customers_last_contact ON customers(last_contact_at);
    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE customer_tags (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (customer_id, tag_id)
    );
    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX interactions_customer ON interactions(customer_id, at);
    CREATE TABLE status_history (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX status_history_customer ON status_history(customer_id, at);
"#;

/// Every schema step in order; a step never changes once released.
const STEPS: &[&str] = &[
    // 1: customers, companies, interactions, status history, tags.
    FOUNDATION,
    // 2: MAN qualification and its history.
    super::qualification::SCHEMA,
    // 3: complaints and their timelines.
    super::complaints::SCHEMA,
    // 4: follow-ups, business events, agenda snoozes.
    super::agenda::SCHEMA,
    // 5: lunar birthdays.
    super::customers::LUNAR_BIRTHDAYS,
    // 6: purchases and the grade history.
    super::value::SCHEMA,
    // 7: a stable UID per customer for the contacts round trip.
    super::uid::SCHEMA,
    // 8: imported customers followed up as new, or by the cadence.
    super::customers::FOLLOW_UP_AS_NEW,
    // 9: the company record, roles, departures and personnel changes.
    super::company_schema::SCHEMA,
    // 10: team sync: stable row ids, the outbox, the sync state.
    super::capture::SCHEMA,
    // 11: the agenda's birthday index with grade and status.
    super::agenda::CARE_INDEX,
    // 12: notes the app wrote keep their kind and parameter, not a sentence.
    super::notes::APP_NOTES,
    // 13: three indexes no query uses go; two leave out who they never list.
    super::agenda::LEAN_INDEXES,
    // 14: business events by customer; birthdays read from their index.
    super::agenda::BOOK_SCALE_INDEXES,
    super::index_log::SCHEMA,
    // 16: the agenda's valuable customers at risk, kept between runs.
    super::value_cache::SCHEMA,
];

/// The schema this program writes.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, from: i64) -> Result<()> {
    if from >= SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock.
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // The steps' own rewrites are not changes to send: every book runs them.
    super::capture::drop_triggers(&tx)?;
    for step in STEPS.iter().skip(now.max(0) as usize) {
        tx.execute_batch(step)?;
    }
    super::capture::install(&tx)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// The schema version just before the step `sql` (its index in STEPS).
#[cfg(test)]
pub(crate) fn version_before(sql: &str) -> i64 {
    STEPS.iter().position(|s| *s == sql).expect("a step") as i64
}

/// Applies only the first `version` steps; lets tests build every earlier
/// schema and check the migration from it.
#[cfg(test)]
pub(crate) fn create_at_version(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    for step in &STEPS[..version as usize] {
        conn.execute_batch(step)?;
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", version)
}
