//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) read by calamine into the
//! same table a CSV file gives, so the preview, the column mapping, the
//! duplicate check and the rejects file work on them unchanged. One sheet
//! is read: the one asked for (by name or number), else the first that is
//! not empty. Dates come out as `YYYY-MM-DD`; a number comes out as its
//! digits, so a phone kept as a number stays `13912345678`, never
//! `1.39123E+10`. A row's line is its row number in the sheet.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::csvin::{Row, Table};

/// Which sheet was read, among which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    pub name: String,
    /// Every sheet of the workbook, in order.
    pub names: Vec<String>,
}

impl SheetInfo {
    /// The 1-based position of the sheet read.
    pub fn number(&self) -> usize {
        self.names.iter().position(|n| *n == self.name).map_or(1, |i| i + 1)
    }
}

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    /// Not a workbook the reader understands (or damaged).
    Unreadable(String),
    /// No sheet has that name or number.
    NoSuchSheet { wanted: String, names: Vec<String> },
    /// Every sheet is empty.
    Empty,
}

/// Reads one sheet of the workbook in `bytes` (the format is recognised
/// from the content); `wanted` is a sheet name (any case) or number.
pub fn read(bytes: Vec<u8>, wanted: Option<&str>) -> Result<(Table, SheetInfo), SheetError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let mut range_of = |name: &str| {
        book.worksheet_range(name)
            .map_err(|e| SheetError::Unreadable(e.to_string()))
    };
    let (name, range) = match wanted.map(str::trim) {
        Some(w) => {
            let by_number = w.parse::<usize>().ok().and_then(|n| names.get(n.checked_sub(1)?));
            let by_name = names.iter().find(|n| n.trim().to_lowercase() == w.to_lowercase());
            let Some(name) = by_name.or(by_number).cloned() else {
                return Err(SheetError::NoSuchSheet {
                    wanted: w.to_string(),
                    names,
                });
            };
            let range = range_of(&name)?;
            (name, range)
        }
        None => {
            let mut found = None;
            for name in &names {
                let range = range_of(name)?;
                if range.used_cells().any(|(_, _, c)| !text(c).trim().is_empty()) {
                    found = Some((name.clone(), range));
                    break;
                }
            }
            found.ok_or(SheetError::Empty)?
        }
    };
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let values: Vec<String> = cells.iter().map(text).collect();
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        match &header {
            None => header = Some(values.iter().map(|h| h.trim().to_string()).collect()),
            Some(_) => rows.push(Row {
                line: first_row + i + 1,
                fields: csv::StringRecord::from(values),
            }),
        }
    }
    let header = header.ok_or(SheetError::Empty)?;
    Ok((
        Table {
            separator: b',',
            header,
            rows,
        },
        SheetInfo { name, names },
    ))
}

/// A cell as the text a CSV cell would hold.
pub fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.format("%Y-%m-%d").to_string(),
            Some(at) => at.format("%Y-%m-%d %H:%M").to_string(),
            None => number(dt.as_f64()),
        },
        Data::DateTime(dt) => number(dt.as_f64()),
        // LibreOffice's dates: `1985-03-12`, or `1985-03-12T00:00:00`.
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((day, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => day.to_string(),
            Some((day, time)) => format!("{day} {}", time.get(..5).unwrap_or(time)),
            None => s.clone(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number in plain digits: whole numbers without a fraction or an
/// exponent (a phone stored as a number), others as written.
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e18 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(number(13912345678.0), "13912345678");
        assert_eq!(number(8613912345678.0), "8613912345678");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(text(&Data::Float(1.3912345678e10)), "13912345678");
        assert_eq!(text(&Data::Int(42)), "42");
        assert_eq!(text(&Data::Empty), "");
        assert_eq!(text(&Data::DateTimeIso("1985-03-12T00:00:00".into())), "1985-03-12");
        assert_eq!(
            text(&Data::DateTimeIso("2026-11-23T17:05:00".into())),
            "2026-11-23 17:05"
        );
        assert_eq!(text(&Data::DateTimeIso("1985-03-12".into())), "1985-03-12");
    }

    #[test]
    fn not_a_workbook_is_unreadable() {
        assert!(matches!(
            read(b"name,phone\nAnna,1\n".to_vec(), None),
            Err(SheetError::Unreadable(_))
        ));
    }
}
