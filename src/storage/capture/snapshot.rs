//! The book as it stood when it started syncing, sent by the first sync.
//!
//! Every row then existing is a change to send (an insert of the whole
//! row), but it is not copied into the outbox: a copy of a book of
//! 100,000 customers is about two million rows and half a gigabyte,
//! written once and cleared again as it is sent. The rows are read from
//! their tables instead, table by table in creation order (parents before
//! children) and in key order, from a cursor kept in `meta` that moves
//! when the server has a batch. Changes made after the start are recorded
//! in the outbox as usual and go out after the whole book.
//!
//! Such a change's id is the row's stable id: a batch sent again (the book
//! was killed before it moved the cursor) is known to the server and
//! changes nothing. Its place in the list of changes (its `seq`) is below
//! zero, before every change of the outbox.
//!
//! Only rows up to each table's last row at the start belong to it: a row
//! added later is in the outbox already.

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::schema::quote_ident as qi;
use super::{Change, Table, anchor_sql, gid_of, inserted_fields, tables};

/// The `meta` key of the cursor (a [`Cursor`] as JSON).
const CURSOR: &str = "sync_snapshot";

/// How far the first sync has come.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Cursor {
    /// The table being sent and the last of its rows the server has.
    table: String,
    row: i64,
    /// Each table's last row when syncing started.
    ends: std::collections::HashMap<String, i64>,
    /// How many rows wait, kept as they are sent: counting them at every
    /// edit (the status bar shows it) would read the whole book.
    #[serde(default)]
    left: i64,
}

/// Where seqs of the snapshot start: table `i`, row `r` is
/// `BASE + (i << ROW_BITS) + r`, below zero and in sending order.
const BASE: i64 = -(1 << 62);
const ROW_BITS: u32 = 40;

fn seq_of(table: usize, row: i64) -> i64 {
    BASE + ((table as i64) << ROW_BITS) + row
}

fn place_of(seq: i64) -> (usize, i64) {
    let off = seq - BASE;
    ((off >> ROW_BITS) as usize, off & ((1 << ROW_BITS) - 1))
}

/// Marks the whole book as waiting to be sent (when syncing starts).
pub(super) fn begin(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut ends = std::collections::HashMap::new();
    let mut left = 0;
    for t in tables(tx)? {
        let (end, rows): (i64, i64) = tx.query_row(
            &format!("SELECT coalesce(max(rowid), 0), count(*) FROM {}", qi(&t.name)),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if end > 0 {
            ends.insert(t.name, end);
            left += rows;
        }
    }
    if ends.is_empty() {
        return done(tx);
    }
    write(
        tx,
        &Cursor {
            ends,
            left,
            ..Cursor::default()
        },
    )
}

/// How many rows of the book as it started lie after `from` up to `to`
/// (places as (table index, row)).
fn rows_between(
    conn: &Connection,
    c: &Cursor,
    all: &[Table],
    from: (usize, i64),
    to: (usize, i64),
) -> rusqlite::Result<i64> {
    let mut n = 0;
    for (i, t) in all.iter().enumerate().take(to.0 + 1).skip(from.0) {
        let end = c.ends.get(&t.name).copied().unwrap_or(0);
        let lo = if i == from.0 { from.1 } else { 0 };
        let hi = if i == to.0 { to.1.min(end) } else { end };
        if hi > lo {
            n += conn.query_row(
                &format!("SELECT count(*) FROM {} WHERE rowid > ?1 AND rowid <= ?2", qi(&t.name)),
                [lo, hi],
                |r| r.get::<_, i64>(0),
            )?;
        }
    }
    Ok(n)
}

fn write(tx: &Transaction<'_>, c: &Cursor) -> rusqlite::Result<()> {
    let json = serde_json::to_string(c).unwrap_or_default();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (CURSOR, json),
    )?;
    Ok(())
}

fn read(conn: &Connection) -> rusqlite::Result<Option<Cursor>> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [CURSOR], |r| r.get(0))
        .optional()?;
    // A cursor that cannot be read sends the whole book again: the server
    // knows every row already sent by its id.
    Ok(value.map(|v| serde_json::from_str(&v).unwrap_or_default()))
}

/// The cursor, the tables, and the next place to read: (table index, last
/// row sent in it); `None` when the whole book is sent. The tables are
/// read only when needed.
#[allow(clippy::type_complexity)]
fn cursor(conn: &Connection) -> rusqlite::Result<Option<(Cursor, Vec<Table>, usize, i64)>> {
    let Some(c) = read(conn)? else {
        return Ok(None);
    };
    let all = tables(conn)?;
    // A table no longer in the book (or the very start): from the first
    // table on.
    let (i, row) = match all.iter().position(|t| t.name == c.table) {
        Some(i) => (i, c.row),
        None => (0, 0),
    };
    Ok(Some((c, all, i, row)))
}

/// Up to `limit` rows of the book not sent yet, after `after` (a seq of
/// this snapshot, or anything else for its start). Empty when the whole
/// book is sent.
pub(super) fn changes(conn: &Connection, after: i64, limit: i64) -> rusqlite::Result<Vec<Change>> {
    let Some((c, all, i, row)) = cursor(conn)? else {
        return Ok(Vec::new());
    };
    let mut at = (i, row);
    if after < 0 {
        at = at.max(place_of(after));
    }
    let mut out = Vec::new();
    while at.0 < all.len() && (out.len() as i64) < limit {
        let t = &all[at.0];
        let sql = format!(
            "SELECT r.rowid, {}, {}, json_object({}), strftime('%Y-%m-%d %H:%M:%f', 'now')
             FROM {} AS r WHERE r.rowid > ?1 AND r.rowid <= ?3 ORDER BY r.rowid LIMIT ?2",
            gid_of(&t.name, &t.key_sql("r")),
            anchor_sql(t, "r", &all, 0).unwrap_or_else(|| "NULL".into()),
            inserted_fields(t, "r"),
            qi(&t.name)
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let end = c.ends.get(&t.name).copied().unwrap_or(0);
        let mut rows = stmt.query((at.1, limit - out.len() as i64, end))?;
        let want = limit - out.len() as i64;
        let mut read = 0;
        while let Some(r) = rows.next()? {
            let row: i64 = r.get(0)?;
            at.1 = row;
            read += 1;
            // Every row has a stable id from the start on; one without
            // cannot be sent (and cannot exist).
            let Some(gid) = r.get::<_, Option<String>>(1)? else {
                continue;
            };
            let fields: String = r.get(3)?;
            out.push(Change {
                seq: seq_of(at.0, row),
                change_id: gid.clone(),
                table: t.name.clone(),
                gid,
                anchor: r.get(2)?,
                op: "insert".into(),
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                at: r.get(4)?,
            });
        }
        if read < want {
            at = (at.0 + 1, 0);
        }
    }
    Ok(out)
}

/// The server has every row up to `seq`: the cursor moves past it.
pub(super) fn sent(tx: &Transaction<'_>, seq: i64) -> rusqlite::Result<()> {
    let Some((mut c, all, i0, row0)) = cursor(tx)? else {
        return Ok(());
    };
    let (i, row) = place_of(seq);
    if (i, row) <= (i0, row0) {
        return Ok(());
    }
    let Some(t) = all.get(i) else {
        return done(tx);
    };
    c.left -= rows_between(tx, &c, &all, (i0, row0), (i, row))?;
    c.table = t.name.clone();
    c.row = row;
    write(tx, &c)
}

/// The whole book is sent.
pub(super) fn done(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM meta WHERE key = ?1", [CURSOR])?;
    Ok(())
}

/// Whether rows of the book may still wait to be sent.
pub(super) fn open(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) > 0 FROM meta WHERE key = ?1", [CURSOR], |r| r.get(0))
}

/// How many rows of the book wait to be sent (rows deleted since the
/// start, never to be sent, are counted until the first sync ends).
pub(super) fn pending(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(read(conn)?.map_or(0, |c| c.left.max(0)))
}
