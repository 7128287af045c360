//! Push: the outbox goes to the server in batches, each batch one server
//! transaction that also records the batch's change ids, so a batch sent
//! twice (the book was killed before it forgot the batch) changes nothing
//! the second time. Fields are merged three ways on the server's current
//! row; a field both sides changed differently is a conflict, recorded on
//! the server (the server keeps its value, the book keeps the rep's).

use std::collections::{HashMap, HashSet};

use postgres::{Client, Transaction};
use serde_json::{Map, Value};

use super::rules;
use super::{Report, SyncError};
use crate::storage::Store;
use crate::storage::capture::state;
use crate::storage::capture::{ANCHOR, Change};

const BATCH: i64 = 2000;

/// Every change goes through one lock, so that the server's change
/// counter grows in commit order and a pull never skips a change.
pub(super) const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('rapport.push'))";

pub fn push(store: &mut Store, client: &mut Client, report: &mut Report) -> Result<(), SyncError> {
    let book = store.sync_state()?.book.unwrap_or_default();
    send_resolutions(store, client)?;
    let reader = store.change_reader()?;
    std::thread::scope(|s| {
        // The next batch is read from the book while the server takes this
        // one (the two took turns: at 100,000 customers the reading was a
        // fifth of the first sync).
        let (ahead, batches) = std::sync::mpsc::sync_channel(1);
        s.spawn(move || {
            let mut after = 0;
            loop {
                let batch = reader.changes(after, BATCH);
                let last = batch.as_ref().ok().and_then(|b| b.last()).map(|c| c.seq);
                if ahead.send(batch).is_err() {
                    return;
                }
                match last {
                    Some(l) => after = l,
                    None => return,
                }
            }
        });
        for batch in batches {
            let batch = batch?;
            let Some(last) = batch.last().map(|c| c.seq) else {
                break;
            };
            send_batch(store, client, &book, &batch, last, report)?;
        }
        store.write_batch(|tx| Ok(state::all_sent(tx)?))?;
        Ok(())
    })
}

/// Sends one batch in one server transaction, then forgets it here.
fn send_batch(
    store: &mut Store,
    client: &mut Client,
    book: &str,
    batch: &[Change],
    last: i64,
    report: &mut Report,
) -> Result<(), SyncError> {
    let mut tx = client.transaction()?;
    tx.execute(LOCK, &[])?;
    tx.execute("SELECT set_config('rapport.book', $1, true)", &[&book])?;
    // Rows of the book as it started syncing are new to the server
    // unless an earlier push of this very batch reached it: they are
    // inserted where their ids are not there yet, and their change ids
    // need not be recorded.
    let fresh = batch.iter().all(Change::is_start);
    let done: HashSet<String> = if fresh {
        HashSet::new()
    } else {
        let ids: Vec<String> = batch.iter().map(|c| c.change_id.clone()).collect();
        tx.query(
            "SELECT change_id::text FROM rapport.applied WHERE change_id = ANY($1::text[]::uuid[])",
            &[&ids],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let todo: Vec<&Change> = batch.iter().filter(|c| !done.contains(&c.change_id)).collect();
    let refused = refused(&mut tx, &todo)?;
    let kept = kept_customers(&mut tx, &todo)?;
    let mut inserts: Vec<&Change> = Vec::new();
    let mut sent = Vec::new();
    for c in &todo {
        if c.anchor.as_ref().is_some_and(|a| refused.contains(a)) {
            report.refused += 1;
            continue;
        }
        sent.push(c.change_id.clone());
        match c.op.as_str() {
            "insert" => inserts.push(c),
            "update" => {
                flush(&mut tx, &mut inserts, fresh, &mut report.echo)?;
                update(&mut tx, c, report)?;
            }
            // Team-wide rows (companies, tags) are not deleted on the
            // server: other reps' customers may refer to them.
            _ if c.anchor.is_none() => {}
            _ => {
                flush(&mut tx, &mut inserts, fresh, &mut report.echo)?;
                delete(&mut tx, c, &kept, report)?;
            }
        }
    }
    flush(&mut tx, &mut inserts, fresh, &mut report.echo)?;
    if !fresh {
        tx.execute(
            "INSERT INTO rapport.applied (change_id) SELECT unnest($1::text[])::uuid",
            &[&sent],
        )?;
    }
    tx.commit()?;
    store.write_batch(|tx| Ok(state::sent(tx, last)?))?;
    report.pushed += sent.len();
    Ok(())
}

/// Tells the server which conflicts the rep has resolved.
fn send_resolutions(store: &mut Store, client: &mut Client) -> Result<(), SyncError> {
    let resolved = store.resolved_conflicts()?;
    if resolved.is_empty() {
        return Ok(());
    }
    let server_ids: Vec<i64> = resolved.iter().map(|r| r.1).collect();
    client.execute(
        "UPDATE rapport.conflicts SET resolved = true WHERE id = ANY($1::bigint[])",
        &[&server_ids],
    )?;
    let local: Vec<i64> = resolved.iter().map(|r| r.0).collect();
    store.write_batch(|tx| Ok(state::forget_conflicts(tx, &local)?))?;
    Ok(())
}

/// The customers among the batch's owners that this rep may no longer
/// write (given to another rep): their changes are not sent.
fn refused(tx: &mut Transaction<'_>, todo: &[&Change]) -> Result<HashSet<String>, SyncError> {
    let anchors: Vec<String> = todo
        .iter()
        .filter_map(|c| c.anchor.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if anchors.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(tx
        .query(
            "SELECT rapport.refused($1::text[]::uuid[], current_user)::text",
            &[&anchors],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

fn parse(data: &str) -> Map<String, Value> {
    serde_json::from_str(data).unwrap_or_default()
}

/// Whether the server's row differs from what this side deleted.
fn edited_since(server: &Map<String, Value>, deleted: &Map<String, Value>) -> bool {
    deleted.iter().any(|(f, v)| {
        !rules::latest_wins(f) && server.get(f).unwrap_or(&Value::Null) != v.get(0).unwrap_or(&Value::Null)
    })
}

/// Customers this batch deletes but which changed elsewhere since, or
/// gained rows this side never saw: they are kept, with everything this
/// batch deletes with them.
fn kept_customers(tx: &mut Transaction<'_>, todo: &[&Change]) -> Result<HashSet<String>, SyncError> {
    let deleted: Vec<String> = todo
        .iter()
        .filter(|c| c.op == "delete")
        .map(|c| c.gid.clone())
        .collect();
    let mut kept = HashSet::new();
    for c in todo.iter().filter(|c| c.op == "delete" && c.table == ANCHOR) {
        let Some(row) = tx.query_opt(
            "SELECT data::text, deleted FROM rapport.rows WHERE gid = $1::text::uuid",
            &[&c.gid],
        )?
        else {
            continue;
        };
        if row.get::<_, bool>(1) {
            continue;
        }
        let unseen: i64 = tx
            .query_one(
                "SELECT count(*) FROM rapport.rows WHERE anchor = $1::text::uuid AND gid <> $1::text::uuid
                 AND NOT deleted AND NOT (gid::text = ANY($2::text[]))",
                &[&c.gid, &deleted],
            )?
            .get(0);
        if unseen > 0 || edited_since(&parse(row.get(0)), &c.fields) {
            kept.insert(c.gid.clone());
        }
    }
    Ok(kept)
}

/// Sends the pending inserts in one statement; `fresh`: rows the server
/// holds already are left as they are (see `push`).
fn flush(
    tx: &mut Transaction<'_>,
    inserts: &mut Vec<&Change>,
    fresh: bool,
    echo: &mut super::Echo,
) -> Result<(), SyncError> {
    if inserts.is_empty() {
        return Ok(());
    }
    let customers: Vec<String> = inserts
        .iter()
        .filter(|c| c.table == ANCHOR)
        .map(|c| c.gid.clone())
        .collect();
    if !customers.is_empty() {
        tx.execute(
            "INSERT INTO rapport.owners (customer, owner) SELECT unnest($1::text[])::uuid, current_user
             ON CONFLICT DO NOTHING",
            &[&customers],
        )?;
    }
    let gids: Vec<String> = inserts.iter().map(|c| c.gid.clone()).collect();
    let tables: Vec<String> = inserts.iter().map(|c| c.table.clone()).collect();
    let anchors: Vec<Option<String>> = inserts.iter().map(|c| c.anchor.clone()).collect();
    let data: Vec<String> = inserts
        .iter()
        .map(|c| Value::Object(new_values(&c.fields)).to_string())
        .collect();
    let rows = if fresh {
        // New rows, checked for the batch at once (see the team schema's
        // `insert_new`); every row returned is as sent.
        tx.query(
            "SELECT r, true FROM rapport.insert_new($1::text[]::uuid[], $2, $3::text[]::uuid[], $4,
                current_setting('rapport.book', true)) AS r",
            &[&gids, &tables, &anchors, &data],
        )?
    } else {
        tx.query(
            "INSERT INTO rapport.rows (gid, tbl, anchor, data, rev, origin)
             SELECT g::uuid, t, a::uuid, d::jsonb, nextval('rapport.revs'), current_setting('rapport.book', true)
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(g, t, a, d, n)
             ORDER BY n
             ON CONFLICT (gid) DO UPDATE SET data = rapport.rows.data || excluded.data, deleted = false,
                rev = excluded.rev, changed_by = current_user, origin = excluded.origin
             RETURNING rev, xmax = 0",
            &[&gids, &tables, &anchors, &data],
        )?
    };
    // Rows the server now holds exactly as this book sent them: the pull
    // that follows need not write them back.
    echo.add(rows.iter().filter(|r| r.get::<_, bool>(1)).map(|r| r.get::<_, i64>(0)));
    inserts.clear();
    Ok(())
}

fn new_values(fields: &Map<String, Value>) -> Map<String, Value> {
    fields
        .iter()
        .map(|(k, v)| (k.clone(), v.get(1).cloned().unwrap_or(Value::Null)))
        .collect()
}

fn bump(tx: &mut Transaction<'_>, gid: &str, set: &Map<String, Value>) -> Result<(), SyncError> {
    tx.execute(
        "UPDATE rapport.rows SET data = data || $2::text::jsonb, deleted = false,
            rev = nextval('rapport.revs'), changed_by = current_user, origin = current_setting('rapport.book', true)
         WHERE gid = $1::text::uuid",
        &[&gid, &Value::Object(set.clone()).to_string()],
    )?;
    Ok(())
}

fn update(tx: &mut Transaction<'_>, c: &Change, report: &mut Report) -> Result<(), SyncError> {
    let row = tx.query_opt(
        "SELECT data::text, deleted FROM rapport.rows WHERE gid = $1::text::uuid FOR UPDATE",
        &[&c.gid],
    )?;
    let Some(row) = row else {
        // The server never had the row: it is sent whole as far as known.
        let mut one = vec![c];
        return flush(tx, &mut one, false, &mut report.echo);
    };
    let server = parse(row.get(0));
    let deleted: bool = row.get(1);
    let mut set = Map::new();
    let mut conflicts = HashMap::new();
    for (f, v) in &c.fields {
        let (old, new) = (v.get(0).unwrap_or(&Value::Null), v.get(1).unwrap_or(&Value::Null));
        let theirs = server.get(f).unwrap_or(old);
        match rules::field(f, old, new, theirs) {
            Ok(merged) if merged != *theirs || deleted => {
                set.insert(f.clone(), merged);
            }
            Ok(_) => {}
            Err(conflict) => {
                conflicts.insert(f.clone(), conflict);
            }
        }
    }
    if deleted {
        // An edit against a delete keeps the record.
        report.kept.push(super::Kept {
            table: c.table.clone(),
            gid: c.gid.clone(),
            name: server.get("name").and_then(Value::as_str).map(str::to_string),
        });
    }
    if !set.is_empty() || deleted {
        bump(tx, &c.gid, &set)?;
    }
    for (f, k) in conflicts {
        tx.execute(
            "INSERT INTO rapport.conflicts (change_id, tbl, gid, field, base, mine, theirs)
             VALUES ($1::text::uuid, $2, $3::text::uuid, $4, $5::text::jsonb, $6::text::jsonb, $7::text::jsonb)",
            &[
                &c.change_id,
                &c.table,
                &c.gid,
                &f,
                &k.base.to_string(),
                &k.mine.to_string(),
                &k.theirs.to_string(),
            ],
        )?;
    }
    Ok(())
}

fn delete(tx: &mut Transaction<'_>, c: &Change, kept: &HashSet<String>, report: &mut Report) -> Result<(), SyncError> {
    let row = tx.query_opt(
        "SELECT data::text, deleted FROM rapport.rows WHERE gid = $1::text::uuid FOR UPDATE",
        &[&c.gid],
    )?;
    let Some(row) = row else {
        return Ok(());
    };
    if row.get::<_, bool>(1) {
        return Ok(());
    }
    let server = parse(row.get(0));
    let keep = c.anchor.as_ref().is_some_and(|a| kept.contains(a)) || edited_since(&server, &c.fields);
    if keep {
        // Sent again so that this book gets it back at the pull, with the
        // team-wide rows it refers to (its company, its tags).
        bump(tx, &c.gid, &Map::new())?;
        tx.execute(
            "UPDATE rapport.rows SET rev = nextval('rapport.revs')
             WHERE anchor IS NULL AND NOT deleted AND gid::text IN
                (SELECT e.value FROM rapport.rows r, jsonb_each_text(r.data) e WHERE r.gid = $1::text::uuid)",
            &[&c.gid],
        )?;
        if c.table == ANCHOR || c.anchor.is_none() {
            report.kept.push(super::Kept {
                table: c.table.clone(),
                gid: c.gid.clone(),
                name: server.get("name").and_then(Value::as_str).map(str::to_string),
            });
        }
    } else {
        tx.execute(
            "UPDATE rapport.rows SET deleted = true, rev = nextval('rapport.revs'), changed_by = current_user,
                origin = current_setting('rapport.book', true)
             WHERE gid = $1::text::uuid",
            &[&c.gid],
        )?;
    }
    Ok(())
}
