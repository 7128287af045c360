//! Local change capture for team sync. Every synced row has a stable id
//! unique across books (a UUIDv7 in `sync_ids`, beside the local integer
//! keys, so no existing link changes); every change to a synced row is
//! written by SQLite triggers into `sync_outbox`, in the same transaction
//! as the change: a change id, the table, the row's id, the owning
//! customer's id, the operation, and each changed field's old and new
//! value (references given as the referenced row's stable id).
//!
//! The triggers are generated from the schema when the book starts
//! syncing (`start`) and again after every migration, so a table added by
//! a later step is covered without naming it here. A book that never
//! syncs has no triggers and pays nothing. Changes applied from the server
//! run with `applying` set and are not captured again.

mod apply;
mod schema;
mod snapshot;
pub mod state;
#[cfg(test)]
mod tests;

use rusqlite::{Connection, Transaction};

pub use apply::{Applied, apply_delete, apply_row, apply_row_lenient, with_applying};
use schema::OUTBOX_COUNTER;
pub use schema::{ANCHOR, LOCAL_COLUMNS, LOCAL_ONLY, MACHINERY, Table, UUID7_SQL, synced_tables, uuid7_counted_sql};
use schema::{quote_ident as qi, quote_str as qs};

/// Schema step: the id map, the outbox, the sync state, the conflicts.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        capturing INTEGER NOT NULL DEFAULT 0,
        applying INTEGER NOT NULL DEFAULT 0,
        server TEXT,
        rep TEXT,
        last_sync TEXT,
        pulled INTEGER NOT NULL DEFAULT 0,
        book TEXT
    );
    INSERT INTO sync_state (id) VALUES (1);
    CREATE TABLE sync_ids (
        gid TEXT PRIMARY KEY,
        tbl TEXT NOT NULL,
        key TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sync_ids_row ON sync_ids(tbl, key);
    CREATE TABLE sync_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        change_id TEXT NOT NULL UNIQUE,
        tbl TEXT NOT NULL,
        gid TEXT NOT NULL,
        anchor TEXT,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
        fields TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX sync_outbox_row ON sync_outbox(gid);
    CREATE TABLE sync_conflicts (
        id INTEGER PRIMARY KEY,
        server_id INTEGER NOT NULL UNIQUE,
        tbl TEXT NOT NULL,
        gid TEXT NOT NULL,
        field TEXT NOT NULL,
        base TEXT,
        mine TEXT,
        theirs TEXT,
        found_at TEXT NOT NULL,
        resolved_at TEXT
    );
    CREATE INDEX sync_conflicts_row ON sync_conflicts(gid) WHERE resolved_at IS NULL;
"#;

const TRIGGER_PREFIX: &str = "sync_capture_";

/// The condition every capture trigger fires under.
const GATE: &str = "(SELECT capturing = 1 AND applying = 0 FROM sync_state WHERE id = 1)";

/// Drops every capture trigger (before a migration: the steps' own
/// rewrites are run by every book and are not changes to send).
pub(super) fn drop_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, ?1) = ?2")?
        .query_map((TRIGGER_PREFIX.len() as i64, TRIGGER_PREFIX), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for n in names {
        conn.execute_batch(&format!("DROP TRIGGER {}", qi(&n)))?;
    }
    Ok(())
}

/// (Re)creates the capture triggers of every synced table, in a book that
/// syncs. Runs after the migration steps, in their transaction, and when
/// the book starts syncing; a book that never syncs has none (nothing to
/// run on its writes, nothing added to its schema).
pub(super) fn install(conn: &Connection) -> rusqlite::Result<()> {
    let has_state: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'",
        [],
        |r| r.get(0),
    )?;
    drop_triggers(conn)?;
    if !has_state || !capturing(conn)? {
        return Ok(());
    }
    let tables = tables(conn)?;
    for t in &tables {
        conn.execute_batch(&triggers(t, &tables))?;
    }
    Ok(())
}

/// Every synced table, read from the schema.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<Table>> {
    synced_tables(conn)?.iter().map(|n| Table::read(conn, n)).collect()
}

/// The stable id of the row of `table` whose local key is `key`. A row
/// made twice (the same company added on two books) has one id from each;
/// the smallest is its own, the others still find it.
fn gid_of(table: &str, key: &str) -> String {
    format!(
        "(SELECT min(gid) FROM sync_ids WHERE tbl = {} AND key = {key})",
        qs(table)
    )
}

/// A column's value as sent: a reference becomes the referenced row's
/// stable id.
fn value_sql(t: &Table, prefix: &str, column: &str) -> String {
    let v = format!("{prefix}.{}", qi(column));
    match t.fk(column) {
        Some(fk) => gid_of(&fk.table, &format!("CAST({v} AS TEXT)")),
        None => v,
    }
}

/// The stable id of the customer the row hangs off (NULL for rows that
/// belong to the whole team, such as companies and tags), following
/// references from `t`; columns are read through `prefix`.
fn anchor_sql(t: &Table, prefix: &str, all: &[Table], depth: usize) -> Option<String> {
    if t.name == ANCHOR {
        return Some(gid_of(ANCHOR, &t.key_sql(prefix)));
    }
    if depth > 4 {
        return None;
    }
    // A required reference first: it always leads somewhere.
    let mut fks: Vec<_> = t.fks.iter().collect();
    fks.sort_by_key(|f| {
        let c = t.columns.iter().find(|c| c.name == f.from);
        !c.is_some_and(|c| c.notnull || c.pk > 0)
    });
    for fk in fks {
        let v = format!("{prefix}.{}", qi(&fk.from));
        if fk.table == ANCHOR {
            return Some(gid_of(ANCHOR, &format!("CAST({v} AS TEXT)")));
        }
        let Some(parent) = all.iter().find(|p| p.name == fk.table) else {
            continue;
        };
        let alias = format!("a{depth}");
        let Some(inner) = anchor_sql(parent, &alias, all, depth + 1) else {
            continue;
        };
        let to = fk
            .to
            .clone()
            .or_else(|| parent.pk().first().map(|s| s.to_string()))
            .unwrap_or_else(|| "rowid".into());
        return Some(format!(
            "(SELECT {inner} FROM {} AS {alias} WHERE {alias}.{} = {v})",
            qi(&parent.name),
            qi(&to)
        ));
    }
    None
}

/// `json_object` arguments: every synced field as `[NULL, value]`.
fn inserted_fields(t: &Table, prefix: &str) -> String {
    t.synced_columns()
        .iter()
        .map(|c| format!("{}, json_array(NULL, {})", qs(&c.name), value_sql(t, prefix, &c.name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The three capture triggers of one table. A row made on two books has
/// both ids: its changes go out under each.
pub fn triggers(t: &Table, all: &[Table]) -> String {
    let name = &t.name;
    let (tn, tq) = (qi(name), qs(name));
    let cols = t.synced_columns();
    let key_new = t.key_sql("NEW");
    let key_old = t.key_sql("OLD");
    let anchor_new = anchor_sql(t, "NEW", all, 0).unwrap_or_else(|| "NULL".into());
    let anchor_old = anchor_sql(t, "OLD", all, 0).unwrap_or_else(|| "NULL".into());
    let inserted = inserted_fields(t, "NEW");
    let deleted = cols
        .iter()
        .map(|c| format!("{}, json_array({}, NULL)", qs(&c.name), value_sql(t, "OLD", &c.name)))
        .collect::<Vec<_>>()
        .join(", ");
    let changed = cols
        .iter()
        .map(|c| {
            let q = qi(&c.name);
            format!(
                "SELECT {} AS k, json_array({}, {}) AS v WHERE OLD.{q} IS NOT NEW.{q}",
                qs(&c.name),
                value_sql(t, "OLD", &c.name),
                value_sql(t, "NEW", &c.name)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let p = TRIGGER_PREFIX;
    let gid_new = gid_of(name, &key_new);
    let id = uuid7_counted_sql(OUTBOX_COUNTER);
    let outbox = "INSERT INTO sync_outbox (change_id, tbl, gid, anchor, op, fields, at)";
    format!(
        "CREATE TRIGGER {p}{name}_insert AFTER INSERT ON {tn} WHEN {GATE} BEGIN
            INSERT INTO sync_ids (tbl, key, gid) SELECT {tq}, {key_new}, {id}
                WHERE {gid_new} IS NULL;
            {outbox} VALUES ({id}, {tq}, {gid_new}, {anchor_new}, 'insert',
                json_object({inserted}), strftime('%Y-%m-%d %H:%M:%f', 'now'));
        END;
        CREATE TRIGGER {p}{name}_update AFTER UPDATE ON {tn} WHEN {GATE} BEGIN
            UPDATE sync_ids SET key = {key_new} WHERE tbl = {tq} AND key = {key_old} AND {key_old} IS NOT {key_new};
            INSERT INTO sync_ids (tbl, key, gid) SELECT {tq}, {key_new}, {id}
                WHERE {gid_new} IS NULL;
            {outbox} SELECT {id}, {tq}, ids.gid, {anchor_new}, 'update', f,
                strftime('%Y-%m-%d %H:%M:%f', 'now')
            FROM (SELECT json_group_object(k, json(v)) AS f FROM ({changed})),
                (SELECT gid FROM sync_ids WHERE tbl = {tq} AND key = {key_new}) AS ids
            WHERE f <> '{{}}';
        END;
        CREATE TRIGGER {p}{name}_delete AFTER DELETE ON {tn} WHEN {GATE} BEGIN
            {outbox} SELECT {id}, {tq}, ids.gid, {anchor_old}, 'delete',
                json_object({deleted}), strftime('%Y-%m-%d %H:%M:%f', 'now')
            FROM (SELECT gid FROM sync_ids WHERE tbl = {tq} AND key = {key_old}) AS ids;
            DELETE FROM sync_ids WHERE tbl = {tq} AND key = {key_old};
        END;"
    )
}

/// Starts capturing: every existing row gets its stable id (ids already
/// given are kept) and waits to be sent as inserted, so that the first
/// sync sends the whole book; from now on every change is recorded.
/// Running it again does nothing.
pub fn start(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    if capturing(tx)? {
        return Ok(());
    }
    let all = tables(tx)?;
    // Ids counted in the order the rows are written (see
    // `uuid7_counted_sql`): each table's rows after the previous table's.
    let mut offsets = Vec::with_capacity(all.len());
    let mut offset: i64 = 0;
    for t in &all {
        offsets.push(offset);
        let top: i64 = tx.query_row(
            &format!("SELECT coalesce(max(rowid), 0) FROM {}", qi(&t.name)),
            [],
            |r| r.get(0),
        )?;
        offset += top + 1;
    }
    for (t, offset) in all.iter().zip(&offsets) {
        tx.execute(
            &format!(
                "INSERT INTO sync_ids (tbl, key, gid)
                 SELECT {0}, {1}, {3} FROM {2} AS r
                 WHERE NOT EXISTS (SELECT 1 FROM sync_ids WHERE tbl = {0} AND key = {1})
                 ORDER BY r.rowid",
                qs(&t.name),
                t.key_sql("r"),
                qi(&t.name),
                uuid7_counted_sql(&format!("{offset} + r.rowid"))
            ),
            [],
        )?;
    }
    // The whole book waits to be sent, read from its tables (see
    // `snapshot`).
    snapshot::begin(tx)?;
    tx.execute(
        &format!("UPDATE sync_state SET capturing = 1, book = coalesce(book, {UUID7_SQL}) WHERE id = 1"),
        [],
    )?;
    install(tx)
}

/// Whether changes are being recorded.
pub fn capturing(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT capturing = 1 FROM sync_state WHERE id = 1", [], |r| r.get(0))
}

/// How many changes wait to be sent: rows of the book as it started
/// syncing not sent yet, and recorded changes.
pub fn pending(conn: &Connection) -> rusqlite::Result<i64> {
    let recorded: i64 = conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
    Ok(recorded + snapshot::pending(conn)?)
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub seq: i64,
    pub change_id: String,
    pub table: String,
    pub gid: String,
    pub anchor: Option<String>,
    pub op: String,
    /// field → [old, new]
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub at: String,
}

impl Change {
    /// A row of the book as it started syncing, sent whole by the first
    /// sync (see `snapshot`); its change id is the row's stable id.
    pub fn is_start(&self) -> bool {
        self.seq < 0
    }
}

/// The oldest `limit` changes after `after` (a `seq`): the rows of the
/// book as it started syncing not sent yet, then the recorded changes.
/// One call returns changes of one kind only.
pub fn changes(conn: &Connection, after: i64, limit: i64) -> rusqlite::Result<Vec<Change>> {
    if after <= 0 {
        let first = snapshot::changes(conn, after, limit)?;
        if !first.is_empty() {
            return Ok(first);
        }
    }
    let after = after.max(0);
    let mut stmt = conn.prepare_cached(
        "SELECT seq, change_id, tbl, gid, anchor, op, fields, at FROM sync_outbox
         WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    stmt.query_map((after, limit), |r| {
        let fields: String = r.get(6)?;
        Ok(Change {
            seq: r.get(0)?,
            change_id: r.get(1)?,
            table: r.get(2)?,
            gid: r.get(3)?,
            anchor: r.get(4)?,
            op: r.get(5)?,
            fields: serde_json::from_str(&fields).unwrap_or_default(),
            at: r.get(7)?,
        })
    })?
    .collect()
}

/// The stable id of a local row (`key`: its primary key as text).
pub fn gid(conn: &Connection, table: &str, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT min(gid) FROM sync_ids WHERE tbl = ?1 AND key = ?2",
        [table, key],
        |r| r.get(0),
    )
}

/// Reads the changes waiting to be sent on a connection of its own, so a
/// push reads the next batch while the server takes the last one.
pub struct ChangeReader {
    conn: Connection,
}

impl ChangeReader {
    /// See [`changes`].
    pub fn changes(&self, after: i64, limit: i64) -> super::Result<Vec<Change>> {
        Ok(changes(&self.conn, after, limit)?)
    }
}

impl super::Store {
    /// A reader of the changes waiting to be sent (see [`ChangeReader`]).
    pub fn change_reader(&self) -> super::Result<ChangeReader> {
        let path = self.conn.path().map(std::path::PathBuf::from).unwrap_or_default();
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(ChangeReader { conn })
    }

    /// Starts recording changes for sync (see `start`).
    pub fn start_capture(&mut self) -> super::Result<()> {
        self.write_batch(|tx| Ok(start(tx)?))
    }

    /// How many recorded changes wait to be sent.
    pub fn pending_changes(&self) -> super::Result<i64> {
        Ok(pending(&self.conn)?)
    }

    /// The recorded changes after `after`, oldest first.
    pub fn outbox(&self, after: i64, limit: i64) -> super::Result<Vec<Change>> {
        Ok(changes(&self.conn, after, limit)?)
    }

    /// The stable id of a local row.
    pub fn stable_id(&self, table: &str, key: i64) -> super::Result<Option<String>> {
        Ok(gid(&self.conn, table, &key.to_string())?)
    }
}

impl super::Store {
    /// The tables this book syncs.
    pub fn synced_tables(&self) -> super::Result<Vec<String>> {
        Ok(synced_tables(&self.conn)?)
    }
}

/// Every synced row of the book as the server holds it: stable id →
/// (table, fields with references as stable ids). Two books that have
/// synced the same rows give equal maps.
pub fn digest(conn: &Connection) -> rusqlite::Result<std::collections::BTreeMap<String, (String, serde_json::Value)>> {
    let mut out = std::collections::BTreeMap::new();
    for t in tables(conn)? {
        let sql = format!(
            "SELECT {}, json_object({}) FROM {} AS r",
            gid_of(&t.name, &t.key_sql("r")),
            t.synced_columns()
                .iter()
                .map(|c| format!("{}, {}", qs(&c.name), value_sql(&t, "r", &c.name)))
                .collect::<Vec<_>>()
                .join(", "),
            qi(&t.name)
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let gid: Option<String> = r.get(0)?;
            let json: String = r.get(1)?;
            let key = gid.unwrap_or_else(|| format!("{}:unmapped:{}", t.name, out.len()));
            out.insert(key, (t.name.clone(), serde_json::from_str(&json).unwrap_or_default()));
        }
    }
    Ok(out)
}

impl super::Store {
    /// See [`digest`].
    pub fn sync_digest(&self) -> super::Result<std::collections::BTreeMap<String, (String, serde_json::Value)>> {
        Ok(digest(&self.conn)?)
    }
}
