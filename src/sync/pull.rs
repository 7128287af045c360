//! Pull: the rows that changed on the server since the last pull (only
//! those the server lets this rep see), applied in batches of one book
//! transaction each; the pull mark moves after each batch, so a pull cut
//! short starts again where it stopped, and a row applied twice is the
//! same row. Fields the rep changed since the push, and fields with an
//! open conflict, keep the rep's value.

use postgres::Client;
use serde_json::{Map, Value};

use super::{Kept, Report, SyncError};
use crate::storage::Store;
use crate::storage::capture::{self, Applied, state};

const BATCH: i64 = 5000;

#[derive(Debug, Clone)]
struct Pulled {
    gid: String,
    table: String,
    data: Map<String, Value>,
    deleted: bool,
    rev: i64,
    by_me: bool,
}

/// Copies the server's open conflicts about this rep's changes.
pub fn conflicts(store: &mut Store, client: &mut Client, now: &str) -> Result<(), SyncError> {
    let rows = client.query(
        "SELECT id, tbl, gid::text, field, base::text, mine::text, theirs::text FROM rapport.conflicts
         WHERE NOT resolved AND by = current_user ORDER BY id",
        &[],
    )?;
    if rows.is_empty() {
        return Ok(());
    }
    store.write_batch(|tx| {
        for r in &rows {
            let s = |i: usize| r.get::<_, Option<String>>(i).unwrap_or_else(|| "null".into());
            state::add_conflict(
                tx,
                r.get(0),
                &r.get::<_, String>(1),
                &r.get::<_, String>(2),
                &r.get::<_, String>(3),
                &s(4),
                &s(5),
                &s(6),
                now,
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

pub fn pull(store: &mut Store, client: &mut Client, report: &mut Report) -> Result<(), SyncError> {
    let state = store.sync_state()?;
    let mut from = state.pulled;
    let book = state.book.unwrap_or_default();
    let synced: Vec<String> = store.synced_tables()?;
    let mut deferred: Vec<Pulled> = Vec::new();
    loop {
        // Rows the push just left as sent are not read back: a batch that
        // would start in a run of them starts after it.
        from = report.echo.skip(from);
        let rows = client.query(
            "SELECT gid::text, tbl, data::text, deleted, rev, origin IS NOT DISTINCT FROM $3
             FROM rapport.rows WHERE rev > $1 ORDER BY rev LIMIT $2",
            &[&from, &BATCH, &book],
        )?;
        if rows.is_empty() {
            break;
        }
        let batch: Vec<Pulled> = rows.iter().map(row).collect();
        from = batch.last().map_or(from, |p| p.rev);
        let mut todo = std::mem::take(&mut deferred);
        todo.extend(batch);
        let mut left = apply_batch(store, todo, &synced, report)?;
        // A row refers to one this book no longer has (a company deleted
        // here, still on the server): that one is fetched and applied first.
        let missing: Vec<String> = left.iter().map(|(_, gid)| gid.clone()).collect();
        if !missing.is_empty() {
            let parents = fetch(client, &missing, &book)?;
            if !parents.is_empty() {
                let mut again = parents;
                again.extend(left.into_iter().map(|(p, _)| p));
                left = apply_batch(store, again, &synced, report)?;
            }
        }
        deferred = left.into_iter().map(|(p, _)| p).collect();
        // Everything before the first row still waiting is applied (a row
        // applied twice after a crash here is the same row).
        let mark = deferred.iter().map(|p| p.rev - 1).min().unwrap_or(from).min(from);
        store.write_batch(|tx| Ok(state::set_pulled(tx, mark)?))?;
    }
    if deferred.is_empty() {
        store.write_batch(|tx| Ok(state::set_pulled(tx, from)?))?;
    } else {
        // Rows whose reference this rep cannot see (a decision maker who is
        // another rep's customer): placed without it where it may be empty.
        store.write_batch(|tx| {
            capture::with_applying(tx, |tx| {
                let left = apply_all(tx, std::mem::take(&mut deferred), true, &synced, report)?;
                report.unplaced += left.len();
                state::set_pulled(tx, from)?;
                Ok(())
            })
        })?;
    }
    Ok(())
}

/// Applies `rows` in one book transaction.
fn apply_batch(
    store: &mut Store,
    rows: Vec<Pulled>,
    synced: &[String],
    report: &mut Report,
) -> Result<Vec<(Pulled, String)>, SyncError> {
    Ok(store.write_batch(|tx| capture::with_applying(tx, |tx| apply_all(tx, rows, false, synced, report)))?)
}

/// Applies `rows`, again and again while some wait for a parent that a
/// later row brings; returns those still waiting, each with the id of the
/// row it waits for.
fn apply_all(
    tx: &rusqlite::Transaction<'_>,
    mut rows: Vec<Pulled>,
    lenient: bool,
    synced: &[String],
    report: &mut Report,
) -> crate::storage::Result<Vec<(Pulled, String)>> {
    loop {
        let before = rows.len();
        let mut waiting = Vec::new();
        for p in rows {
            if report.echo.contains(p.rev) {
                continue;
            }
            match apply_one(tx, &p, lenient, synced, report)? {
                Applied::MissingParent { gid, .. } => waiting.push((p, gid)),
                _ => {
                    if !p.by_me {
                        report.pulled += 1;
                    }
                }
            }
        }
        if waiting.is_empty() || waiting.len() == before {
            return Ok(waiting);
        }
        rows = waiting.into_iter().map(|(p, _)| p).collect();
    }
}

/// The live rows with these ids that this rep may see.
fn fetch(client: &mut Client, gids: &[String], book: &str) -> Result<Vec<Pulled>, postgres::Error> {
    Ok(client
        .query(
            "SELECT gid::text, tbl, data::text, deleted, rev, origin IS NOT DISTINCT FROM $2
             FROM rapport.rows WHERE gid = ANY($1::text[]::uuid[]) AND NOT deleted",
            &[&gids, &book],
        )?
        .iter()
        .map(row)
        .collect())
}

fn row(r: &postgres::Row) -> Pulled {
    Pulled {
        gid: r.get(0),
        table: r.get(1),
        data: serde_json::from_str(r.get(2)).unwrap_or_default(),
        deleted: r.get(3),
        rev: r.get(4),
        by_me: r.get(5),
    }
}

fn apply_one(
    tx: &rusqlite::Transaction<'_>,
    p: &Pulled,
    lenient: bool,
    synced: &[String],
    report: &mut Report,
) -> crate::storage::Result<Applied> {
    if !synced.contains(&p.table) {
        // A table of a newer Rapport: this book keeps nothing of it.
        report.unknown += 1;
        return Ok(Applied::Nothing);
    }
    let (pending_delete, pending) = state::pending_for(tx, &p.gid)?;
    if p.deleted {
        if !pending.is_empty() && !pending_delete {
            // Edited here, deleted there: the record stays and the next
            // push brings it back to the server.
            report.kept.push(Kept {
                table: p.table.clone(),
                gid: p.gid.clone(),
                name: p.data.get("name").and_then(Value::as_str).map(str::to_string),
            });
            return Ok(Applied::Nothing);
        }
        return capture::apply_delete(tx, &p.table, &p.gid);
    }
    if pending_delete {
        // Deleted here since the push: the delete goes out next.
        return Ok(Applied::Nothing);
    }
    let conflicted = state::conflicted_fields(tx, &p.gid)?;
    let fields: Map<String, Value> = p
        .data
        .iter()
        .filter(|(k, _)| !pending.contains(*k) && !conflicted.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if lenient {
        capture::apply_row_lenient(tx, &p.table, &p.gid, &fields)
    } else {
        capture::apply_row(tx, &p.table, &p.gid, &fields)
    }
}
