//! What the capture triggers are generated from: the book's own tables,
//! read with `PRAGMA table_list`, `table_info` and `foreign_key_list`.
//! Nothing here names a synced table, so a table added by a later schema
//! step is covered as soon as that step has run.

use rusqlite::Connection;

/// Tables that stay in this book: settings, caches, and the sync
/// machinery itself. Every other ordinary table is synced. (Virtual tables
/// and their shadow tables, e.g. a full-text index, are derived data and
/// stay local too; SQLite's own `sqlite_*` tables are never touched.)
pub const LOCAL_ONLY: &[&str] = &[
    "meta",
    "sync_ids",
    "sync_outbox",
    "sync_state",
    "sync_conflicts",
    "index_log",
    "value_stamp",
    "value_cache",
];

/// The sync machinery's own tables, the search index's change log and the
/// agenda's kept list: they describe this file, not the customers, so a
/// JSON export leaves them out. Every local table but `meta` (the first).
pub const MACHINERY: &[&str] = LOCAL_ONLY.split_at(1).1;

/// Columns computed from others in this book (search and sort keys, due
/// dates): never sent, recomputed here after a pulled change.
pub const LOCAL_COLUMNS: &[(&str, &str)] = &[
    ("customers", "search_key"),
    ("customers", "sort_key"),
    ("customers", "next_due_on"),
    ("customers", "churn_on"),
    ("customers", "last_purchase_on"),
    // Each book counts its own people per company (triggers on customers).
    ("companies", "people"),
    ("companies", "best_grade"),
    ("companies", "deciders"),
    ("companies", "decider_contact"),
];

/// The table every record hangs off: its owner decides who may see it.
pub const ANCHOR: &str = "customers";

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub notnull: bool,
    pub has_default: bool,
    /// Position in the primary key (0: not part of it).
    pub pk: i64,
    pub decl: String,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub from: String,
    pub table: String,
    /// The referenced column (`None`: the referenced table's primary key).
    pub to: Option<String>,
}

/// One synced table as the triggers see it.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub fks: Vec<ForeignKey>,
}

impl Table {
    pub fn read(conn: &Connection, name: &str) -> rusqlite::Result<Table> {
        let mut columns = Vec::new();
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote_ident(name)))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            columns.push(Column {
                name: r.get(1)?,
                decl: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                notnull: r.get::<_, i64>(3)? != 0,
                has_default: r.get::<_, Option<String>>(4)?.is_some(),
                pk: r.get(5)?,
            });
        }
        let mut fks = Vec::new();
        let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list({})", quote_ident(name)))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, seq): (i64, i64) = (r.get(0)?, r.get(1)?);
            // A composite key is carried as plain values.
            if seq > 0 {
                fks.retain(|f: &(i64, ForeignKey)| f.0 != id);
                continue;
            }
            fks.push((
                id,
                ForeignKey {
                    table: r.get(2)?,
                    from: r.get(3)?,
                    to: r.get(4)?,
                },
            ));
        }
        Ok(Table {
            name: name.to_string(),
            columns,
            fks: fks.into_iter().map(|(_, f)| f).collect(),
        })
    }

    /// The primary key columns in key order (empty: the rowid).
    pub fn pk(&self) -> Vec<&str> {
        let mut pk: Vec<&Column> = self.columns.iter().filter(|c| c.pk > 0).collect();
        pk.sort_by_key(|c| c.pk);
        pk.iter().map(|c| c.name.as_str()).collect()
    }

    /// The column that is SQLite's rowid (`x INTEGER PRIMARY KEY`): a local
    /// number, replaced by the row's stable id when synced.
    pub fn rowid_alias(&self) -> Option<&str> {
        match self.pk().as_slice() {
            [one] => {
                let c = self.columns.iter().find(|c| c.name == *one)?;
                c.decl.eq_ignore_ascii_case("INTEGER").then_some(one)
            }
            _ => None,
        }
    }

    pub fn fk(&self, column: &str) -> Option<&ForeignKey> {
        self.fks.iter().find(|f| f.from == column)
    }

    /// The columns that travel: all but the local rowid (unless it is
    /// itself a reference) and the computed ones.
    pub fn synced_columns(&self) -> Vec<&Column> {
        let alias = self.rowid_alias();
        self.columns
            .iter()
            .filter(|c| Some(c.name.as_str()) != alias || self.fk(&c.name).is_some())
            .filter(|c| !LOCAL_COLUMNS.contains(&(self.name.as_str(), c.name.as_str())))
            .collect()
    }

    /// SQL for the row's local key as text, columns read through `prefix`
    /// (`NEW`, `OLD`, or a table alias).
    pub fn key_sql(&self, prefix: &str) -> String {
        let pk = self.pk();
        if pk.is_empty() {
            return format!("CAST({prefix}.rowid AS TEXT)");
        }
        pk.iter()
            .map(|c| format!("CAST({prefix}.{} AS TEXT)", quote_ident(c)))
            .collect::<Vec<_>>()
            .join(" || ',' || ")
    }
}

/// Every synced table of the book, in creation order.
pub fn synced_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT l.name, l.type FROM pragma_table_list AS l
         JOIN sqlite_master AS m ON m.name = l.name AND m.type = 'table'
         WHERE l.schema = 'main' ORDER BY m.rowid",
    )?;
    let all = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all
        .into_iter()
        .filter(|(name, kind)| kind == "table" && !name.starts_with("sqlite_") && !LOCAL_ONLY.contains(&name.as_str()))
        .map(|(name, _)| name)
        .collect())
}

pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub fn quote_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A fresh UUIDv7 in SQL: 48 bits of Unix milliseconds, the version,
/// the variant, random bits. One expression without a subquery, so that
/// it is evaluated anew for every row of a statement.
pub const UUID7_SQL: &str = "(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) \
     || '-' || substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) \
     || '-7' || substr(lower(hex(randomblob(2))), 2, 3) \
     || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2, 3) \
     || '-' || lower(hex(randomblob(6))))";

/// A UUIDv7 in SQL whose 26 bits after the milliseconds hold `counter`
/// (RFC 9562, 6.2, method 1), then 48 random bits. SQLite's clock stands
/// still for the whole of one statement, so the ids of the many rows one
/// statement writes would otherwise be in random order, and every index
/// over them (here and on the team server) written and later cleared at
/// random places: at 100,000 customers that made the first sync's start
/// and its clearing of the outbox take minutes.
pub fn uuid7_counted_sql(counter: &str) -> String {
    let ms = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    format!(
        "(substr(printf('%012x', {ms}), 1, 8) || '-' || substr(printf('%012x', {ms}), 9, 4) \
         || '-7' || printf('%03x', (({counter}) >> 14) & 4095) \
         || '-' || printf('%04x', 32768 | (({counter}) & 16383)) \
         || '-' || lower(hex(randomblob(6))))"
    )
}

/// The counter of the ids a trigger writes: one above the last change
/// recorded (the largest key of a table is read at once).
pub(super) const OUTBOX_COUNTER: &str = "(SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox)";
