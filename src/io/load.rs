//! Reading an import file up to the point where the user checks it: the
//! type by extension, the encoding, the CSV table and its suggested
//! mapping, or the vCards. Shared by `rapport import` and the import
//! overlay, so both report the same problems in the same words.

use std::path::Path;

use chrono::NaiveDateTime;
use encoding_rs::Encoding;

use super::convert::{self, Converted};
use super::csvin::{self, Malformed, Table};
use super::decode::{self, DecodeError};
use super::fields::Mapping;
use super::sheet::{self, SheetError, SheetInfo};
use super::{Source, vcard};
use crate::domain::text;
use crate::i18n::{Lang, t, tf};

/// A file read and understood, not yet checked row by row.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Csv {
        encoding: String,
        table: Table,
        mapping: Mapping,
        /// Read from a workbook: which sheet, among which.
        sheet: Option<SheetInfo>,
    },
    VCard {
        encoding: String,
        cards: Converted,
    },
    /// A Rapport JSON export, restored as it is.
    Json {
        bytes: Vec<u8>,
    },
}

#[derive(Debug)]
pub enum LoadError {
    Read(std::io::Error),
    UnknownType,
    Decode(DecodeError),
    Malformed(Malformed),
    Sheet(SheetError),
}

impl LoadError {
    /// What went wrong, in the user's language; nothing was imported.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoadError::Read(e) => tf(lang, "io.err.read", &[("error", &e)]),
            LoadError::UnknownType => t(lang, "io.err.type").to_string(),
            LoadError::Decode(DecodeError::Binary) => t(lang, "io.err.binary").to_string(),
            LoadError::Decode(DecodeError::Invalid { encoding, line }) => {
                tf(lang, "io.err.decode", &[("line", line), ("encoding", encoding)])
            }
            LoadError::Decode(DecodeError::Mixed { line }) => tf(lang, "io.err.mixed", &[("line", line)]),
            LoadError::Decode(DecodeError::Unsure) => t(lang, "io.err.unsure").to_string(),
            LoadError::Malformed(Malformed::Empty) | LoadError::Sheet(SheetError::Empty) => {
                t(lang, "io.err.empty").to_string()
            }
            LoadError::Sheet(SheetError::Unreadable(e)) => tf(lang, "tools.err.workbook", &[("error", e)]),
            LoadError::Sheet(SheetError::NoSuchSheet { wanted, names }) => tf(
                lang,
                "tools.err.no_sheet",
                &[("sheet", wanted), ("sheets", &names.join(", "))],
            ),
            LoadError::Malformed(Malformed::UnterminatedQuote { line, swallowed }) => {
                tf(lang, "io.err.unterminated", &[("line", line), ("n", swallowed)])
            }
            LoadError::Malformed(Malformed::RowsInQuote { line, end }) => {
                tf(lang, "io.err.rows_in_quote", &[("line", line), ("end", end)])
            }
            LoadError::Malformed(Malformed::ColumnCounts {
                expected,
                bad,
                rows,
                first,
            }) => tf(
                lang,
                "io.err.columns",
                &[("bad", bad), ("rows", rows), ("expected", expected), ("first", first)],
            ),
        }
    }
}

/// `message` ended as a sentence, then the sentence `key` says what came
/// of it (`io.nothing_imported`, `io.nothing_changed`): "… try again.
/// Nothing was imported.", "……再试。未导入任何数据。".
pub fn then_say(lang: Lang, message: &str, key: &str) -> String {
    let mut out = message.trim_end().to_string();
    if !out.is_empty() && !out.ends_with(['.', '!', '?', '。', '！', '？']) {
        out.push_str(if lang.is_zh() { "。" } else { "." });
    }
    // Chinese runs on after its full stop; an English one takes a space.
    if out.ends_with(|c: char| c.is_ascii()) {
        out.push(' ');
    }
    out.push_str(t(lang, key));
    out
}

/// Reads `path`; `encoding` overrides detection.
pub fn load(path: &Path, encoding: Option<&'static Encoding>) -> Result<Loaded, LoadError> {
    load_sheet(path, encoding, None)
}

/// [`load`], reading sheet `sheet` (name or number) of a workbook
/// instead of the first non-empty one.
pub fn load_sheet(path: &Path, encoding: Option<&'static Encoding>, sheet: Option<&str>) -> Result<Loaded, LoadError> {
    let source = Source::of(path).ok_or(LoadError::UnknownType)?;
    let bytes = std::fs::read(path).map_err(LoadError::Read)?;
    if source == Source::Workbook {
        return workbook(bytes, sheet);
    }
    load_bytes(source, bytes, encoding, NaiveDateTime::default())
}

/// A workbook's sheet as a table, mapped like a CSV file's.
pub fn workbook(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Loaded, LoadError> {
    let (table, info) = sheet::read(bytes, sheet).map_err(LoadError::Sheet)?;
    let mapping = Mapping::detect(&table.header);
    Ok(Loaded::Csv {
        encoding: String::new(),
        table,
        mapping,
        sheet: Some(info),
    })
}

/// [`load`] on bytes already read; `now` dates vCard customers.
pub fn load_bytes(
    source: Source,
    bytes: Vec<u8>,
    encoding: Option<&'static Encoding>,
    now: NaiveDateTime,
) -> Result<Loaded, LoadError> {
    match source {
        Source::Json => return Ok(Loaded::Json { bytes }),
        Source::Workbook => return workbook(bytes, None),
        _ => {}
    }
    let decoded = decode::decode(&bytes, encoding).map_err(LoadError::Decode)?;
    let label = decoded.label();
    match source {
        Source::VCard => Ok(Loaded::VCard {
            encoding: label,
            cards: vcard::parse(&decoded.text, now),
        }),
        _ => {
            let table = csvin::parse(&decoded.text).map_err(LoadError::Malformed)?;
            let mapping = Mapping::detect(&table.header);
            Ok(Loaded::Csv {
                encoding: label,
                table,
                mapping,
                sheet: None,
            })
        }
    }
}

impl Loaded {
    /// The rows checked: customers to import and rejects. vCard customers
    /// get `now` as their creation time here.
    pub fn convert(&self, now: NaiveDateTime) -> Converted {
        match self {
            Loaded::Csv { table, mapping, .. } => convert::table(table, mapping, now),
            Loaded::VCard { cards, .. } => {
                let mut c = cards.clone();
                for i in &mut c.incoming {
                    i.customer.created_at = now;
                }
                c
            }
            Loaded::Json { .. } => Converted::default(),
        }
    }

    /// The header for the rejects file.
    /// What the file says about companies: (name, industry, size).
    pub fn company_facts(&self) -> Vec<(String, String, Option<crate::domain::account::Size>)> {
        match self {
            Loaded::Csv { table, mapping, .. } => super::convert::company_facts(table, mapping)
                .into_iter()
                .map(|f| (f.name, f.industry, f.size))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn reject_header(&self, lang: Lang) -> Vec<String> {
        match self {
            Loaded::Csv { table, .. } => table.header.clone(),
            _ => vec![t(lang, "io.field.name").to_string()],
        }
    }

    /// Why the mapping cannot import: no column gives the name.
    pub fn missing_name(&self, lang: Lang) -> Option<String> {
        match self {
            Loaded::Csv { table, mapping, .. } if !mapping.has_name() => {
                let cols: Vec<String> = table.header.iter().map(|h| text::clean(h).into_owned()).collect();
                Some(tf(lang, "io.err.no_name", &[("columns", &cols.join(", "))]))
            }
            _ => None,
        }
    }

    /// "Read as UTF-8, separator ",", 12 rows." or, for a workbook, which
    /// sheet was read among which.
    pub fn detected(&self, lang: Lang) -> String {
        match self {
            Loaded::Csv {
                table, sheet: Some(s), ..
            } => tf(
                lang,
                "tools.detected_sheet",
                &[
                    ("sheet", &text::clean(&s.name)),
                    ("k", &s.number()),
                    ("of", &s.names.len()),
                    ("sheets", &text::clean(&s.names.join(", "))),
                    ("n", &table.rows.len()),
                ],
            ),
            Loaded::Csv { encoding, table, .. } => tf(
                lang,
                "io.detected_csv",
                &[
                    ("encoding", encoding),
                    ("sep", &separator_name(lang, table.separator)),
                    ("n", &table.rows.len()),
                ],
            ),
            Loaded::VCard { encoding, cards } => tf(
                lang,
                "io.detected_vcf",
                &[
                    ("encoding", encoding),
                    ("n", &(cards.incoming.len() + cards.rejects.len())),
                ],
            ),
            Loaded::Json { .. } => String::new(),
        }
    }
}

/// A separator as people call it.
pub fn separator_name(lang: Lang, sep: u8) -> String {
    match sep {
        b'\t' => t(lang, "io.sep.tab").to_string(),
        other => (other as char).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_ends_its_sentence_before_the_outcome() {
        let key = "io.nothing_imported";
        assert_eq!(
            then_say(
                Lang::En,
                "the disk is full; nothing was written. Free some space and try again",
                key
            ),
            "the disk is full; nothing was written. Free some space and try again. Nothing was imported."
        );
        assert_eq!(
            then_say(Lang::En, "cannot read the file: gone.", key),
            "cannot read the file: gone. Nothing was imported."
        );
        assert_eq!(
            then_say(Lang::En, "b.db: database error (disk I/O error)", "io.nothing_changed"),
            "b.db: database error (disk I/O error). Nothing was changed."
        );
        assert_eq!(
            then_say(Lang::Zh, "磁盘已满，请腾出空间后再试", key),
            "磁盘已满，请腾出空间后再试。未导入任何数据。"
        );
        assert_eq!(
            then_say(Lang::Zh, "无法读取文件。", key),
            "无法读取文件。未导入任何数据。"
        );
    }
}
