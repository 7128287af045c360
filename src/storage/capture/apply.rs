//! Applying a change that arrived from elsewhere (the team's server): the
//! row is found by its stable id, references are turned back into local
//! keys, and nothing applied here is captured again.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction};
use serde_json::{Map, Value};

use super::schema::{ANCHOR, LOCAL_COLUMNS, Table, quote_ident as qi, quote_str as qs};

/// What applying one row did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    Inserted,
    Updated,
    Deleted,
    /// Nothing to do (a delete of a row this book never had).
    Nothing,
    /// A reference names a row this book does not have (yet).
    MissingParent {
        table: String,
        gid: String,
    },
}

thread_local! {
    /// Customers whose computed columns wait to be recomputed, once each,
    /// at the end of `with_applying`.
    static DIRTY: RefCell<BTreeSet<i64>> = const { RefCell::new(BTreeSet::new()) };
    /// Tables as read from the schema, with the schema version read at.
    static TABLES: RefCell<HashMap<String, (i64, Table)>> = RefCell::new(HashMap::new());
}

/// Runs `f` with capture switched off: what it writes came from elsewhere.
/// Then every customer it touched gets its search and sort keys and due
/// dates recomputed.
pub fn with_applying<T>(
    tx: &Transaction<'_>,
    f: impl FnOnce(&Transaction<'_>) -> crate::storage::Result<T>,
) -> crate::storage::Result<T> {
    DIRTY.with(|d| d.borrow_mut().clear());
    run(tx, "UPDATE sync_state SET applying = 1 WHERE id = 1", [])?;
    let out = f(tx);
    run(tx, "UPDATE sync_state SET applying = 0 WHERE id = 1", [])?;
    let dirty = DIRTY.with(|d| std::mem::take(&mut *d.borrow_mut()));
    if out.is_ok() {
        for id in dirty {
            let exists: bool = one(tx, "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)", [id], |r| {
                r.get(0)
            })?;
            if exists {
                super::super::customers::refresh_keys_in(tx, id)?;
            }
        }
    }
    out
}

/// `query_row` through the statement cache (the same few statements run
/// for every pulled row).
fn one<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

/// `execute` through the statement cache.
fn run<P: rusqlite::Params>(conn: &rusqlite::Connection, sql: &str, params: P) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// The table as the schema has it now (read once per schema version).
fn table(tx: &rusqlite::Connection, name: &str) -> rusqlite::Result<Table> {
    let version: i64 = one(tx, "PRAGMA schema_version", [], |r| r.get(0))?;
    if let Some(t) = TABLES.with(|c| {
        c.borrow()
            .get(name)
            .filter(|(v, _)| *v == version)
            .map(|(_, t)| t.clone())
    }) {
        return Ok(t);
    }
    let t = Table::read(tx, name)?;
    TABLES.with(|c| c.borrow_mut().insert(name.to_string(), (version, t.clone())));
    Ok(t)
}

fn mark_dirty(id: i64) {
    DIRTY.with(|d| d.borrow_mut().insert(id));
}

pub(crate) fn local_key_of(tx: &rusqlite::Connection, table: &str, gid: &str) -> rusqlite::Result<Option<String>> {
    one(
        tx,
        "SELECT key FROM sync_ids WHERE tbl = ?1 AND gid = ?2",
        [table, gid],
        |r| r.get(0),
    )
    .optional()
}

fn json_to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// The rowid of the row of `t` whose local key is `key`.
fn rowid_of(tx: &Transaction<'_>, t: &Table, key: &str) -> rusqlite::Result<Option<i64>> {
    let pk = t.pk();
    if pk.is_empty() {
        return Ok(key.parse().ok());
    }
    let parts: Vec<&str> = key.splitn(pk.len(), ',').collect();
    let cond = pk
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", qi(c), i + 1))
        .collect::<Vec<_>>()
        .join(" AND ");
    one(
        tx,
        &format!("SELECT rowid FROM {} WHERE {cond}", qi(&t.name)),
        rusqlite::params_from_iter(parts),
        |r| r.get(0),
    )
    .optional()
}

/// Writes the row of `table` with stable id `gid`: its `fields` (field →
/// value, references as stable ids) are set, the row created if this book
/// does not have it. Call inside `with_applying`.
pub fn apply_row(
    tx: &Transaction<'_>,
    table: &str,
    gid: &str,
    fields: &Map<String, Value>,
) -> crate::storage::Result<Applied> {
    write_row(tx, table, gid, fields, false)
}

/// [`apply_row`], with a reference to a row this book does not have left
/// empty where the field may be empty (a decision maker who is another
/// rep's customer).
pub fn apply_row_lenient(
    tx: &Transaction<'_>,
    table: &str,
    gid: &str,
    fields: &Map<String, Value>,
) -> crate::storage::Result<Applied> {
    write_row(tx, table, gid, fields, true)
}

fn write_row(
    tx: &Transaction<'_>,
    table: &str,
    gid: &str,
    fields: &Map<String, Value>,
    lenient: bool,
) -> crate::storage::Result<Applied> {
    let t = self::table(tx, table)?;
    let synced: Vec<String> = t.synced_columns().iter().map(|c| c.name.clone()).collect();
    let mut cols = Vec::new();
    let mut vals = Vec::new();
    for (name, v) in fields {
        if !synced.contains(name) {
            continue;
        }
        let value = match (t.fk(name), v) {
            (Some(fk), Value::String(ref_gid)) => match local_key_of(tx, &fk.table, ref_gid)? {
                Some(k) => SqlValue::Text(k),
                None if lenient && t.columns.iter().any(|c| &c.name == name && !c.notnull && c.pk == 0) => {
                    SqlValue::Null
                }
                None => {
                    return Ok(Applied::MissingParent {
                        table: fk.table.clone(),
                        gid: ref_gid.clone(),
                    });
                }
            },
            _ => json_to_sql(v),
        };
        cols.push(name.clone());
        vals.push(value);
    }
    let existing = match local_key_of(tx, table, gid)? {
        Some(k) => rowid_of(tx, &t, &k)?,
        None => None,
    };
    let (rowid, outcome) = match existing {
        Some(rowid) => {
            update(tx, table, &cols, &vals, rowid)?;
            (rowid, Applied::Updated)
        }
        None => {
            // Computed columns that must not be empty start empty and are
            // filled in below.
            let mut all_cols = cols.clone();
            let mut all_vals = vals.clone();
            for c in &t.columns {
                if !all_cols.contains(&c.name)
                    && c.notnull
                    && !c.has_default
                    && LOCAL_COLUMNS.contains(&(table, c.name.as_str()))
                {
                    all_cols.push(c.name.clone());
                    all_vals.push(SqlValue::Text(String::new()));
                }
            }
            let names = all_cols.iter().map(|c| qi(c)).collect::<Vec<_>>().join(", ");
            let marks = (1..=all_cols.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let inserted = run(
                tx,
                &format!("INSERT INTO {} ({names}) VALUES ({marks})", qi(table)),
                rusqlite::params_from_iter(all_vals),
            );
            match inserted {
                Ok(_) => (tx.last_insert_rowid(), Applied::Inserted),
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    // The same row made on two books (a company, a tag on a
                    // customer): this book's row takes the other id too.
                    let Some(rowid) = same_row(tx, &t, &cols, &vals)? else {
                        return Err(e.into());
                    };
                    update(tx, table, &cols, &vals, rowid)?;
                    (rowid, Applied::Updated)
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let key: String = one(
        tx,
        &format!("SELECT {} FROM {} AS r WHERE r.rowid = ?1", t.key_sql("r"), qi(table)),
        [rowid],
        |r| r.get(0),
    )?;
    run(
        tx,
        "INSERT INTO sync_ids (gid, tbl, key) VALUES (?1, ?2, ?3)
         ON CONFLICT (gid) DO UPDATE SET tbl = excluded.tbl, key = excluded.key",
        [gid, table, &key],
    )?;
    after_apply(tx, &t, rowid)?;
    Ok(outcome)
}

/// Deletes the row of `table` with stable id `gid`, if this book has it.
/// Call inside `with_applying`.
pub fn apply_delete(tx: &Transaction<'_>, table: &str, gid: &str) -> crate::storage::Result<Applied> {
    let t = self::table(tx, table)?;
    let Some(key) = local_key_of(tx, table, gid)? else {
        return Ok(Applied::Nothing);
    };
    let customer = anchor_customer(tx, &t, &key)?;
    if let Some(rowid) = rowid_of(tx, &t, &key)? {
        run(tx, &format!("DELETE FROM {} WHERE rowid = ?1", qi(table)), [rowid])?;
    }
    run(tx, "DELETE FROM sync_ids WHERE tbl = ?1 AND key = ?2", [table, &key])?;
    if let Some(id) = customer
        && t.name != ANCHOR
    {
        mark_dirty(id);
    }
    Ok(Applied::Deleted)
}

fn update(tx: &Transaction<'_>, table: &str, cols: &[String], vals: &[SqlValue], rowid: i64) -> rusqlite::Result<()> {
    if cols.is_empty() {
        return Ok(());
    }
    let set = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", qi(c), i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let mut params = vals.to_vec();
    params.push(SqlValue::Integer(rowid));
    run(
        tx,
        &format!("UPDATE {} SET {set} WHERE rowid = ?{}", qi(table), params.len()),
        rusqlite::params_from_iter(params),
    )?;
    Ok(())
}

/// The row of `t` that has the same values as `cols`/`vals` in one of the
/// table's unique keys (the one an insert collided with).
fn same_row(tx: &Transaction<'_>, t: &Table, cols: &[String], vals: &[SqlValue]) -> rusqlite::Result<Option<i64>> {
    let indexes: Vec<String> = tx
        .prepare(&format!(
            "SELECT name FROM pragma_index_list({}) WHERE \"unique\" = 1",
            qs(&t.name)
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut keys: Vec<Vec<String>> = Vec::new();
    for ix in indexes {
        let k: Vec<String> = tx
            .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?
            .query_map([&ix], |r| r.get::<_, Option<String>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        keys.push(k);
    }
    if let Some(alias) = t.rowid_alias() {
        keys.push(vec![alias.to_string()]);
    }
    for key in keys {
        let Some(values) = key
            .iter()
            .map(|c| cols.iter().position(|x| x == c).map(|i| vals[i].clone()))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        let cond = key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", qi(c), i + 1))
            .collect::<Vec<_>>()
            .join(" AND ");
        let found = tx
            .query_row(
                &format!("SELECT rowid FROM {} WHERE {cond}", qi(&t.name)),
                rusqlite::params_from_iter(values),
                |r| r.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The local customer a row of `t` refers to directly, if any.
fn anchor_customer(tx: &Transaction<'_>, t: &Table, key: &str) -> rusqlite::Result<Option<i64>> {
    let Some(rowid) = rowid_of(tx, t, key)? else {
        return Ok(None);
    };
    if t.name == ANCHOR {
        return Ok(Some(rowid));
    }
    let Some(fk) = t.fks.iter().find(|f| f.table == ANCHOR) else {
        return Ok(None);
    };
    one(
        tx,
        &format!("SELECT {} FROM {} WHERE rowid = ?1", qi(&fk.from), qi(&t.name)),
        [rowid],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// Recomputes what this book derives from a changed row: a customer's
/// search and sort keys (which include its company and tags) and due dates.
fn after_apply(tx: &Transaction<'_>, t: &Table, rowid: i64) -> crate::storage::Result<()> {
    if let Some(id) = anchor_customer(tx, t, &rowid_key(tx, t, rowid)?)? {
        mark_dirty(id);
    }
    Ok(())
}

fn rowid_key(tx: &Transaction<'_>, t: &Table, rowid: i64) -> rusqlite::Result<String> {
    one(
        tx,
        &format!("SELECT {} FROM {} AS r WHERE r.rowid = ?1", t.key_sql("r"), qi(&t.name)),
        [rowid],
        |r| r.get(0),
    )
}
