//! The book's side of sync: where it syncs, how far it has pulled, which
//! changes wait, and the conflicts waiting for the rep.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::super::{Result, Store};

/// Where and when this book last synced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncState {
    pub capturing: bool,
    pub server: Option<String>,
    pub rep: Option<String>,
    pub last_sync: Option<String>,
    /// The server's change counter up to which everything is applied.
    pub pulled: i64,
    /// This book's own id: the server notes which book sent a change.
    pub book: Option<String>,
}

/// A field changed on both sides to different values (values as JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalConflict {
    pub id: i64,
    pub server_id: i64,
    pub table: String,
    pub gid: String,
    pub field: String,
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub found_at: String,
}

pub fn state(conn: &Connection) -> rusqlite::Result<SyncState> {
    conn.query_row(
        "SELECT capturing, server, rep, last_sync, pulled, book FROM sync_state WHERE id = 1",
        [],
        |r| {
            Ok(SyncState {
                capturing: r.get::<_, i64>(0)? == 1,
                server: r.get(1)?,
                rep: r.get(2)?,
                last_sync: r.get(3)?,
                pulled: r.get(4)?,
                book: r.get(5)?,
            })
        },
    )
}

pub fn set_server(tx: &Transaction<'_>, server: &str, rep: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sync_state SET server = ?1, rep = ?2 WHERE id = 1",
        [server, rep],
    )?;
    Ok(())
}

pub fn set_pulled(tx: &Transaction<'_>, rev: i64) -> rusqlite::Result<()> {
    tx.execute("UPDATE sync_state SET pulled = max(pulled, ?1) WHERE id = 1", [rev])?;
    Ok(())
}

pub fn set_last_sync(tx: &Transaction<'_>, at: &str) -> rusqlite::Result<()> {
    tx.execute("UPDATE sync_state SET last_sync = ?1 WHERE id = 1", [at])?;
    Ok(())
}

/// Forgets the changes up to `seq`: the server has them.
pub fn sent(tx: &Transaction<'_>, seq: i64) -> rusqlite::Result<()> {
    if seq < 0 {
        return super::snapshot::sent(tx, seq);
    }
    super::snapshot::done(tx)?;
    tx.execute("DELETE FROM sync_outbox WHERE seq <= ?1", [seq])?;
    Ok(())
}

/// Nothing waits to be sent: the book as it started syncing is all sent.
pub fn all_sent(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    if super::snapshot::open(tx)? {
        super::snapshot::done(tx)?;
    }
    Ok(())
}

/// What waits to be sent about one row: whether it is a delete, and the
/// fields changed.
pub fn pending_for(conn: &Connection, gid: &str) -> rusqlite::Result<(bool, HashSet<String>)> {
    let mut stmt = conn.prepare_cached("SELECT op, fields FROM sync_outbox WHERE gid = ?1")?;
    let mut rows = stmt.query([gid])?;
    let (mut deleted, mut fields) = (false, HashSet::new());
    while let Some(r) = rows.next()? {
        let op: String = r.get(0)?;
        deleted |= op == "delete";
        let f: String = r.get(1)?;
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(&f) {
            fields.extend(m.keys().cloned());
        }
    }
    Ok((deleted, fields))
}

/// The fields of one row with a conflict the rep has not resolved.
pub fn conflicted_fields(conn: &Connection, gid: &str) -> rusqlite::Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT field FROM sync_conflicts WHERE gid = ?1 AND resolved_at IS NULL")?;
    stmt.query_map([gid], |r| r.get(0))?.collect()
}

/// Records a conflict the server reported (once).
#[allow(clippy::too_many_arguments)]
pub fn add_conflict(
    tx: &Transaction<'_>,
    server_id: i64,
    table: &str,
    gid: &str,
    field: &str,
    base: &str,
    mine: &str,
    theirs: &str,
    at: &str,
) -> rusqlite::Result<bool> {
    Ok(tx.execute(
        "INSERT OR IGNORE INTO sync_conflicts (server_id, tbl, gid, field, base, mine, theirs, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![server_id, table, gid, field, base, mine, theirs, at],
    )? > 0)
}

fn conflict_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<LocalConflict> {
    Ok(LocalConflict {
        id: r.get(0)?,
        server_id: r.get(1)?,
        table: r.get(2)?,
        gid: r.get(3)?,
        field: r.get(4)?,
        base: r.get::<_, Option<String>>(5)?.unwrap_or_else(|| "null".into()),
        mine: r.get::<_, Option<String>>(6)?.unwrap_or_else(|| "null".into()),
        theirs: r.get::<_, Option<String>>(7)?.unwrap_or_else(|| "null".into()),
        found_at: r.get(8)?,
    })
}

const CONFLICT_COLUMNS: &str = "id, server_id, tbl, gid, field, base, mine, theirs, found_at";

pub fn open_conflicts(conn: &Connection) -> rusqlite::Result<Vec<LocalConflict>> {
    conn.prepare(&format!(
        "SELECT {CONFLICT_COLUMNS} FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY id"
    ))?
    .query_map([], conflict_from)?
    .collect()
}

pub fn conflict(conn: &Connection, id: i64) -> rusqlite::Result<Option<LocalConflict>> {
    conn.query_row(
        &format!("SELECT {CONFLICT_COLUMNS} FROM sync_conflicts WHERE id = ?1 AND resolved_at IS NULL"),
        [id],
        conflict_from,
    )
    .optional()
}

pub fn mark_resolved(tx: &Transaction<'_>, id: i64, at: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sync_conflicts SET resolved_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// Resolutions the server has not been told of: (local id, server id).
pub fn resolved_unsent(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64)>> {
    conn.prepare("SELECT id, server_id FROM sync_conflicts WHERE resolved_at IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

pub fn forget_conflicts(tx: &Transaction<'_>, ids: &[i64]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached("DELETE FROM sync_conflicts WHERE id = ?1")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Records a change made by sync itself (keeping this side of a conflict:
/// the field goes from their value back to mine on the server).
pub fn queue_update(tx: &Transaction<'_>, table: &str, gid: &str, fields: &serde_json::Value) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO sync_outbox (change_id, tbl, gid, anchor, op, fields, at)
             VALUES ({}, ?1, ?2, NULL, 'update', ?3, strftime('%Y-%m-%d %H:%M:%f', 'now'))",
            super::uuid7_counted_sql(super::schema::OUTBOX_COUNTER)
        ),
        params![table, gid, fields.to_string()],
    )?;
    Ok(())
}

impl Store {
    pub fn sync_state(&self) -> Result<SyncState> {
        Ok(state(&self.conn)?)
    }

    pub fn sync_conflicts(&self) -> Result<Vec<LocalConflict>> {
        Ok(open_conflicts(&self.conn)?)
    }

    /// What a conflict's row is called in this book: the customer's or
    /// the company's name (rows of other tables: `None`).
    pub fn sync_row_name(&self, table: &str, gid: &str) -> Result<Option<String>> {
        if !matches!(table, "customers" | "companies") {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT t.name FROM \"{table}\" t JOIN sync_ids s ON s.key = CAST(t.rowid AS TEXT)
                     WHERE s.tbl = ?1 AND s.gid = ?2"
                ),
                [table, gid],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn sync_conflict(&self, id: i64) -> Result<Option<LocalConflict>> {
        Ok(conflict(&self.conn, id)?)
    }

    pub fn resolved_conflicts(&self) -> Result<Vec<(i64, i64)>> {
        Ok(resolved_unsent(&self.conn)?)
    }
}
