//! The JSON export: every table of the book, every column, every row,
//! so that importing it into an empty database gives the same ids and the
//! same content. Written and read row by row, so a large book never sits
//! in memory twice.
//!
//! ```json
//! {"format": "rapport", "version": 1, "schema": 4, "exported_at": "2026-11-23 09:00:00",
//!  "tables": {"customers": [{"id": 1, "name": "张伟", ...}, ...], ...}}
//! ```

use std::fmt;
use std::io::{self, Write};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The `format` value of a Rapport export.
pub const FORMAT: &str = "rapport";
/// The layout of the file (not the database schema).
pub const VERSION: u32 = 1;

/// What the file says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub schema: i64,
    pub exported_at: String,
}

/// Receives the rows of a dump as they are read.
pub trait Sink {
    /// Called once, before any row; an error stops the reading.
    fn header(&mut self, h: &Header) -> Result<(), String>;
    fn row(&mut self, table: &str, row: Map<String, Value>) -> Result<(), String>;
}

/// Starts a dump: the header and the opening of the table list.
pub fn write_start(w: &mut dyn Write, h: &Header) -> io::Result<()> {
    write!(
        w,
        "{{\"format\":{},\"version\":{VERSION},\"schema\":{},\"exported_at\":{},\"tables\":{{",
        Value::from(FORMAT),
        h.schema,
        Value::from(h.exported_at.as_str())
    )
}

/// Writes one table; `first` is whether it is the first table.
pub fn write_table<I>(w: &mut dyn Write, first: bool, name: &str, rows: I) -> io::Result<()>
where
    I: IntoIterator<Item = io::Result<Map<String, Value>>>,
{
    if !first {
        w.write_all(b",")?;
    }
    write!(w, "\n{}:[", Value::from(name))?;
    for (i, row) in rows.into_iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(b"\n")?;
        let json = serde_json::to_string(&row?)?;
        w.write_all(escape_unsafe(&json).as_bytes())?;
    }
    w.write_all(b"]")
}

/// Writes the characters a terminal or text viewer would act on (C1
/// controls, DEL, bidi overrides) as `\uXXXX` escapes: the file holds
/// none of them raw, and reading it back gives the stored text unchanged.
/// serde_json already escapes the C0 controls; these others can only
/// appear inside JSON strings, where an escape is always valid.
fn escape_unsafe(json: &str) -> std::borrow::Cow<'_, str> {
    use crate::domain::text::is_unsafe;
    if !json.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            // Every such character is in the Basic Multilingual Plane.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

pub fn write_end(w: &mut dyn Write) -> io::Result<()> {
    w.write_all(b"\n}}\n")
}

/// Reads a dump, handing each row to `sink` in file order.
pub fn read(bytes: &[u8], sink: &mut dyn Sink) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Top { sink }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())
}

struct Top<'a> {
    sink: &'a mut dyn Sink,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Rapport export (a JSON object with \"format\": \"rapport\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut format, mut version, mut schema, mut at) = (None::<String>, None::<u32>, None::<i64>, None::<String>);
        let mut tables = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => format = Some(map.next_value()?),
                "version" => version = Some(map.next_value()?),
                "schema" => schema = Some(map.next_value()?),
                "exported_at" => at = Some(map.next_value()?),
                "tables" => {
                    if format.as_deref() != Some(FORMAT) {
                        return Err(de::Error::custom(
                            "not a Rapport export (\"format\" is not \"rapport\")",
                        ));
                    }
                    match version {
                        Some(VERSION) => {}
                        v => return Err(de::Error::custom(format!("export layout {v:?} is not {VERSION}"))),
                    }
                    let schema = schema.ok_or_else(|| de::Error::custom("\"schema\" must come before the tables"))?;
                    let h = Header {
                        schema,
                        exported_at: at.clone().unwrap_or_default(),
                    };
                    self.sink.header(&h).map_err(de::Error::custom)?;
                    map.next_value_seed(Tables { sink: &mut *self.sink })?;
                    tables = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !tables {
            return Err(de::Error::custom("not a Rapport export (no \"tables\")"));
        }
        Ok(())
    }
}

struct Tables<'a> {
    sink: &'a mut dyn Sink,
}

impl<'de> DeserializeSeed<'de> for Tables<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Tables<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of tables")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(table) = map.next_key::<String>()? {
            map.next_value_seed(Rows {
                table: &table,
                sink: &mut *self.sink,
            })?;
        }
        Ok(())
    }
}

struct Rows<'a> {
    table: &'a str,
    sink: &'a mut dyn Sink,
}

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of rows for table {}", self.table)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<Map<String, Value>>()? {
            self.sink.row(self.table, row).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// Counts the customers and rows of a dump without writing anything.
pub fn count(bytes: &[u8]) -> Result<(usize, usize), String> {
    struct Count(usize, usize);
    impl Sink for Count {
        fn header(&mut self, _: &Header) -> Result<(), String> {
            Ok(())
        }
        fn row(&mut self, table: &str, _: Map<String, Value>) -> Result<(), String> {
            self.0 += usize::from(table == "customers");
            self.1 += 1;
            Ok(())
        }
    }
    let mut c = Count(0, 0);
    read(bytes, &mut c)?;
    Ok((c.0, c.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        header: Option<Header>,
        rows: Vec<(String, Map<String, Value>)>,
    }

    impl Sink for Collect {
        fn header(&mut self, h: &Header) -> Result<(), String> {
            self.header = Some(h.clone());
            Ok(())
        }
        fn row(&mut self, table: &str, row: Map<String, Value>) -> Result<(), String> {
            if table == "bad" {
                return Err("no such table: bad".into());
            }
            self.rows.push((table.to_string(), row));
            Ok(())
        }
    }

    fn row(v: Value) -> io::Result<Map<String, Value>> {
        Ok(v.as_object().cloned().unwrap())
    }

    #[test]
    fn written_rows_read_back_in_order() {
        let mut out = Vec::new();
        let h = Header {
            schema: 4,
            exported_at: "2026-11-23 09:00:00".into(),
        };
        write_start(&mut out, &h).unwrap();
        let rows = vec![
            row(serde_json::json!({"id": 1, "name": "张伟", "note": "a\"b\n"})),
            row(serde_json::json!({"id": 2, "name": null})),
        ];
        write_table(&mut out, true, "customers", rows).unwrap();
        write_table(&mut out, false, "tags", Vec::new()).unwrap();
        write_end(&mut out).unwrap();
        let mut sink = Collect::default();
        read(&out, &mut sink).unwrap();
        assert_eq!(sink.header, Some(h));
        assert_eq!(sink.rows.len(), 2);
        assert_eq!(sink.rows[0].1["name"], "张伟");
        assert_eq!(sink.rows[0].1["note"], "a\"b\n");
        assert!(sink.rows[1].1["name"].is_null());
    }

    #[test]
    fn other_files_are_refused() {
        let mut sink = Collect::default();
        assert!(read(b"[1,2]", &mut sink).is_err());
        assert!(read(br#"{"format":"other","version":1,"schema":1,"tables":{}}"#, &mut sink).is_err());
        assert!(read(br#"{"format":"rapport","version":1,"tables":{}}"#, &mut sink).is_err());
        assert!(read(br#"{"format":"rapport","version":1,"schema":1}"#, &mut sink).is_err());
        let bad = br#"{"format":"rapport","version":1,"schema":1,"tables":{"bad":[{"id":1}]}}"#;
        assert!(read(bad, &mut sink).unwrap_err().contains("no such table"));
        let truncated = br#"{"format":"rapport","version":1,"schema":1,"tables":{"t":[{"id":1}"#;
        assert!(read(truncated, &mut sink).is_err());
        let two = br#"{"format":"rapport","version":1,"schema":1,"tables":{"customers":[{"id":1},{"id":2}],"tags":[{"id":1}]}}"#;
        assert_eq!(count(two), Ok((2, 3)));
    }
}
