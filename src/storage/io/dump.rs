//! Every table as JSON and back: the export lists each table's rows with
//! every column (ids included); the import puts them back into an empty
//! database in one transaction, so the book comes back identical — or not
//! at all, with the reason.

use std::collections::HashMap;
use std::io::Write;

use rusqlite::types::{Value as Sql, ValueRef};
use serde_json::{Map, Value};

use super::{Refusal, TransferError};
use crate::io::dump::{self, Header, Sink};
use crate::storage::{SCHEMA_VERSION, Store};

/// Rows restored per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    pub tables: Vec<(String, usize)>,
}

impl Restored {
    pub fn rows(&self, table: &str) -> usize {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

/// Tables holding settings rather than the book: replaced, not refused.
const SETTINGS: &[&str] = &["meta"];

fn json_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            serde_json::json!({ "$blob": hex })
        }
    }
}

fn sql_of(v: Value) -> Result<Sql, String> {
    Ok(match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().ok_or("a number out of range")?),
        },
        Value::String(s) => Sql::Text(s),
        Value::Object(o) => {
            let hex = o
                .get("$blob")
                .and_then(Value::as_str)
                .ok_or("an object where a value belongs")?;
            let bytes = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("zz"), 16))
                .collect::<Result<Vec<u8>, _>>()
                .map_err(|_| "a damaged $blob")?;
            Sql::Blob(bytes)
        }
        Value::Array(_) => return Err("a list where a value belongs".into()),
    })
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The book's tables, without the sync machinery (which rows have which
/// team-wide id, what waits to be sent): that belongs to this file only.
fn tables(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let all: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|t| !crate::storage::capture::MACHINERY.contains(&t.as_str()))
        .collect())
}

fn columns_of(conn: &rusqlite::Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare(&format!("PRAGMA table_info({})", quote(table)))?
        .query_map([], |r| r.get(1))?
        .collect()
}

/// Inserts rows as they are read, inside the restore transaction.
struct Restore<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    columns: HashMap<String, Vec<String>>,
    counts: Vec<(String, usize)>,
    schema: i64,
}

impl Sink for Restore<'_> {
    fn header(&mut self, h: &Header) -> Result<(), String> {
        if h.schema > SCHEMA_VERSION {
            return Err(format!("newer:{}", h.schema));
        }
        self.schema = h.schema;
        Ok(())
    }

    fn row(&mut self, table: &str, row: Map<String, Value>) -> Result<(), String> {
        let known = self
            .columns
            .get(table)
            .ok_or_else(|| format!("table {table:?} does not exist in this version of Rapport"))?;
        let mut names = Vec::with_capacity(row.len());
        let mut values = Vec::with_capacity(row.len());
        for (col, v) in row {
            if !known.contains(&col) {
                return Err(format!("table {table:?} has no column {col:?}"));
            }
            values.push(sql_of(v).map_err(|e| format!("{table}.{col}: {e}"))?);
            names.push(quote(&col));
        }
        let verb = if SETTINGS.contains(&table) {
            "INSERT OR REPLACE"
        } else {
            "INSERT"
        };
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "{verb} INTO {} ({}) VALUES ({})",
            quote(table),
            names.join(", "),
            marks.join(", ")
        );
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
            .map_err(|e| format!("{table}: {e}"))?;
        match self.counts.iter_mut().find(|(t, _)| t == table) {
            Some((_, n)) => *n += 1,
            None => self.counts.push((table.to_string(), 1)),
        }
        Ok(())
    }
}

impl Store {
    /// Writes every table as JSON (one consistent snapshot).
    pub fn dump_json(&self, w: &mut dyn Write, exported_at: &str) -> std::result::Result<(), TransferError> {
        let tx = self.conn.unchecked_transaction()?;
        let schema: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        dump::write_start(
            w,
            &Header {
                schema,
                exported_at: exported_at.to_string(),
            },
        )?;
        for (i, table) in tables(&tx)?.iter().enumerate() {
            // Stored columns only: generated ones are computed again on restore.
            let cols: Vec<String> = columns_of(&tx, table)?.iter().map(|c| quote(c)).collect();
            let mut stmt = tx.prepare(&format!(
                "SELECT {} FROM {} ORDER BY rowid",
                cols.join(", "),
                quote(table)
            ))?;
            let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
            let mut rows = stmt.query([])?;
            let mut failed: Option<rusqlite::Error> = None;
            let iter = std::iter::from_fn(|| match rows.next() {
                Ok(Some(r)) => {
                    let mut m = Map::new();
                    for (i, n) in names.iter().enumerate() {
                        m.insert(n.clone(), r.get_ref(i).map(json_of).unwrap_or(Value::Null));
                    }
                    Some(Ok(m))
                }
                Ok(None) => None,
                Err(e) => {
                    failed = Some(e);
                    None
                }
            });
            dump::write_table(w, i == 0, table, iter)?;
            if let Some(e) = failed {
                return Err(e.into());
            }
        }
        dump::write_end(w)?;
        Ok(())
    }

    /// Restores a JSON export into this database, which must hold no
    /// customers (or anything else). One transaction: on any problem
    /// nothing is written and the reason names the table and column.
    pub fn restore_json(&mut self, bytes: &[u8]) -> std::result::Result<Restored, TransferError> {
        let mut columns = HashMap::new();
        for t in tables(&self.conn)? {
            if !SETTINGS.contains(&t.as_str()) {
                let n: i64 = self
                    .conn
                    .query_row(&format!("SELECT count(*) FROM {}", quote(&t)), [], |r| r.get(0))?;
                if n > 0 {
                    let customers: i64 = self
                        .conn
                        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
                    return Err(TransferError::Refused(Refusal::NotEmpty { customers }));
                }
            }
            columns.insert(t.clone(), columns_of(&self.conn, &t)?);
        }
        self.writable()?;
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        // Keys from an export that does not say how they were computed are
        // recomputed after the restore.
        tx.execute("DELETE FROM meta WHERE key = 'search_keys'", [])?;
        let mut sink = Restore {
            tx: &tx,
            columns,
            counts: Vec::new(),
            schema: SCHEMA_VERSION,
        };
        if let Err(e) = dump::read(bytes, &mut sink) {
            return Err(TransferError::Refused(match e.strip_prefix("newer:") {
                Some(found) => Refusal::Newer {
                    found: found
                        .split(|c: char| !c.is_ascii_digit())
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0),
                    known: SCHEMA_VERSION,
                },
                None => Refusal::Invalid(e),
            }));
        }
        let (counts, schema) = (std::mem::take(&mut sink.counts), sink.schema);
        if schema < SCHEMA_VERSION {
            // Columns added since are empty: recompute what derives from them.
            tx.execute("DELETE FROM meta WHERE key = 'cadence'", [])?;
        }
        tx.commit()
            .map_err(|e| TransferError::Refused(Refusal::Invalid(e.to_string())))?;
        let cadence = self.cadence.clone();
        self.set_cadence(&cadence)?;
        crate::storage::duplicates::refresh_keys(&mut self.conn, || {})?;
        Ok(Restored { tables: counts })
    }
}
