//! Reading a CSV file into rows with their line numbers: the separator
//! (`,` `;` or tab, or Excel's `sep=` line) is detected, and a malformed
//! file — a quote that is never closed, a quote that swallows rows, most
//! rows with the wrong number of fields — is refused with the line where it
//! goes wrong instead of being absorbed as data.

/// The separators tried, most common first.
pub const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// A parsed file: its header and data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub separator: u8,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data row and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    /// The values, kept in one buffer per row (a large file is many rows).
    pub fields: csv::StringRecord,
}

/// Why a whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    /// No header, no rows.
    Empty,
    /// A quote opened on `line` is never closed: it swallows the
    /// `swallowed` lines after it.
    UnterminatedQuote { line: usize, swallowed: usize },
    /// A quoted value from `line` to `end` holds lines that look like rows:
    /// a quote is missing and rows were swallowed.
    RowsInQuote { line: usize, end: usize },
    /// Most rows have a different number of fields than the header.
    ColumnCounts {
        expected: usize,
        bad: usize,
        rows: usize,
        first: usize,
    },
}

/// Reads `text` (already decoded) as CSV.
pub fn parse(text: &str) -> Result<Table, Malformed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (text, forced, skipped) = excel_sep_line(text);
    let separator = forced.unwrap_or_else(|| detect_separator(text));
    let quotes = quotes(text, separator);
    if let Some((line, swallowed)) = quotes.unterminated {
        return Err(Malformed::UnterminatedQuote {
            line: line + skipped,
            swallowed,
        });
    }
    // A large file is read in two parts at once, split where a line starts
    // outside any quote (the reader starts a record there too).
    let (header, mut rows) = match quotes.middle {
        Some((at, line)) if text.len() >= SPLIT_FROM => {
            let (first, second) = text.split_at(at);
            let (header, mut rows, rest) = std::thread::scope(|s| {
                let other = s.spawn(|| records(second, separator, line + skipped, true));
                let (header, rows) = records(first, separator, 1 + skipped, false);
                let rest = other.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                (header, rows, rest.1)
            });
            match header {
                Some(h) => {
                    rows.extend(rest);
                    (Some(h), rows)
                }
                // Nothing but blank lines before the middle.
                None => records(text, separator, 1 + skipped, false),
            }
        }
        _ => records(text, separator, 1 + skipped, false),
    };
    let header = header.ok_or(Malformed::Empty)?;
    check_rows(&header, &mut rows, separator)?;
    Ok(Table {
        separator,
        header,
        rows,
    })
}

/// Texts from this many bytes are read in two parts at once.
const SPLIT_FROM: usize = 1 << 20;

/// The header (the first record that is not blank, unless `all_rows`) and
/// the rows of `text`, whose first line is line `first_line`.
fn records(text: &str, separator: u8, first_line: usize, all_rows: bool) -> (Option<Vec<String>>, Vec<Row>) {
    let mut reader = reader(text, separator);
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    // The text is valid UTF-8 and every quote closes, so the reader has
    // nothing left to refuse; an error ends the rows rather than loops.
    while let Ok(true) = reader.read_record(&mut record) {
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = lines.at(record.position().map(|p| p.byte() as usize).unwrap_or(0)) + first_line - 1;
        match &header {
            None if !all_rows => header = Some(record.iter().map(|h| h.trim().to_string()).collect()),
            _ => rows.push(Row {
                line,
                fields: record.clone(),
            }),
        }
    }
    (header, rows)
}

/// The reader of every record of `text`, the header among them, rows of
/// any length kept.
fn reader(text: &str, separator: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Line numbers of byte offsets, counted forward once: the reader reports
/// where a record's bytes begin, which may be the line breaks before it.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of the first character at or after `byte` that is
    /// not a line break (offsets must not decrease).
    fn at(&mut self, byte: usize) -> usize {
        let mut start = byte.max(self.pos);
        while start < self.bytes.len() && matches!(self.bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        let end = start.min(self.bytes.len());
        self.line += (self.pos..end).filter(|i| is_break(self.bytes, *i)).count();
        self.pos = end;
        self.line
    }
}

/// Excel's first line `sep=;` names the separator.
fn excel_sep_line(text: &str) -> (&str, Option<u8>, usize) {
    let first = text.lines().next().unwrap_or("");
    let t = first.trim_end_matches('\r');
    if let Some(rest) = t.strip_prefix("sep=")
        && rest.len() == 1
    {
        let after = &text[first.len()..];
        // Excel ends it with `\r\n`.
        let after = (after.strip_prefix("\r\n").or_else(|| after.strip_prefix('\n'))).unwrap_or(after);
        return (after, Some(rest.as_bytes()[0]), 1);
    }
    (text, None, 0)
}

/// Fields per record of the first records, quotes respected.
fn field_counts(text: &str, sep: u8, records: usize) -> Vec<usize> {
    reader(text, sep)
        .records()
        .take(records)
        .filter_map(Result::ok)
        .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
        .map(|r| r.len())
        .collect()
}

/// The separator under which the header has several fields and most rows
/// have as many.
pub fn detect_separator(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for sep in SEPARATORS {
        let counts = field_counts(text, sep, 50);
        let Some(&head) = counts.first() else { continue };
        if head < 2 {
            continue;
        }
        let same = counts.iter().filter(|n| **n == head).count();
        if (same, head) > (best.1, best.2) {
            best = (sep, same, head);
        }
    }
    best.0
}

/// Whether byte `i` ends a line: `\n`, or a `\r` not followed by `\n`
/// (old Mac files end lines with `\r` alone, and the reader agrees).
pub fn is_break(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// What [`quotes`] finds.
struct Quotes {
    /// Where a quote opens that never closes, and how many lines follow it.
    unterminated: Option<(usize, usize)>,
    /// The first line that starts outside any quote in the second half of
    /// the text: its byte offset and its line number.
    middle: Option<(usize, usize)>,
}

/// Follows the quotes of `text`: a quote opens a value only at its start
/// (RFC 4180), as the reader treats it.
fn quotes(text: &str, sep: u8) -> Quotes {
    let bytes = text.as_bytes();
    let half = bytes.len() / 2;
    let (mut line, mut at_start, mut quoted, mut opened) = (1usize, true, false, 0usize);
    let mut middle = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            } else if is_break(bytes, i) {
                line += 1;
            }
        } else if b == b'"' && at_start {
            quoted = true;
            opened = line;
        } else if is_break(bytes, i) {
            line += 1;
            at_start = true;
            i += 1;
            if middle.is_none() && i >= half && i < bytes.len() {
                middle = Some((i, line));
            }
            continue;
        } else {
            // The `\r` of a `\r\n` keeps a field's start.
            at_start = b == sep || (b == b'\r' && at_start);
            i += 1;
            continue;
        }
        at_start = false;
        i += 1;
    }
    let total = line - usize::from(is_break(bytes, bytes.len().wrapping_sub(1)));
    Quotes {
        unterminated: quoted.then(|| (opened, total.saturating_sub(opened))),
        middle,
    }
}

/// Refuses rows swallowed by a misplaced quote and files whose rows mostly
/// disagree with the header; trailing empty fields (`a,b,,,`) are dropped.
fn check_rows(header: &[String], rows: &mut [Row], sep: u8) -> Result<(), Malformed> {
    let expected = header.len();
    let sep = sep as char;
    for row in rows.iter() {
        for f in row.fields.iter().filter(|f| f.contains('\n')) {
            let looks_like_rows = f
                .split('\n')
                .skip(1)
                .any(|l| expected >= 3 && l.matches(sep).count() + 1 >= expected);
            if looks_like_rows {
                let end = row.line + row.fields.iter().map(|f| f.matches('\n').count()).sum::<usize>();
                return Err(Malformed::RowsInQuote { line: row.line, end });
            }
        }
    }
    let mut bad = 0;
    let mut first = 0;
    for row in rows.iter_mut() {
        let mut keep = row.fields.len();
        while keep > expected && row.fields.get(keep - 1).is_some_and(|f| f.trim().is_empty()) {
            keep -= 1;
        }
        row.fields.truncate(keep);
        if row.fields.len() != expected {
            bad += 1;
            if first == 0 {
                first = row.line;
            }
        }
    }
    if bad >= 2 && bad * 2 > rows.len() {
        return Err(Malformed::ColumnCounts {
            expected,
            bad,
            rows: rows.len(),
            first,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_in_two_parts_gives_the_rows_and_lines_of_one_reading() {
        // Quoted values over several lines (one with a quoted quote), blank
        // lines, `\r\n` and Chinese text, around the middle of the file too.
        let mut text = String::from("sep=,\r\nName,Company,Notes\r\n\r\n");
        let mut i = 0;
        while text.len() < 3 * SPLIT_FROM {
            match i % 5 {
                0 => text.push_str(&format!("张伟{i},华联,\"line one\nline \"\"two\"\"\"\r\n")),
                1 => text.push('\n'),
                2 => text.push_str(&format!("Wang {i},\"A, B\",\"\r\n\r\nthree\"\n")),
                _ => text.push_str(&format!("Li {i},\"\",x\r\n")),
            }
            i += 1;
        }
        let (stripped, forced, skipped) = excel_sep_line(&text);
        assert_eq!((forced, skipped), (Some(b','), 1));
        let q = quotes(stripped, b',');
        let (at, _) = q.middle.expect("a line starts in the second half");
        assert!(at >= stripped.len() / 2 && at < stripped.len());
        let split = parse(&text).unwrap();
        let (header, rows) = records(stripped, b',', 1 + skipped, false);
        let mut whole = Table {
            separator: b',',
            header: header.unwrap(),
            rows,
        };
        check_rows(&whole.header, &mut whole.rows, b',').unwrap();
        assert_eq!(
            split.rows.len(),
            i - (i + 3) / 5,
            "one row per record, blank lines skipped"
        );
        assert_eq!(split, whole);
        // The line numbers are the file's: the first row is on line 4.
        assert_eq!(split.rows[0].line, 4);
    }

    #[test]
    fn separators_are_detected() {
        for (text, sep) in [
            ("姓名,电话\n张伟,138\n", b','),
            ("Name;Company;Phone\nAnna;\"Acme, Inc\";123\n", b';'),
            ("Name\tPhone\nAnna\t1,2\n", b'\t'),
        ] {
            let t = parse(text).unwrap();
            assert_eq!(t.separator, sep, "{text}");
            assert_eq!(t.rows.len(), 1);
        }
    }

    #[test]
    fn excel_sep_line_is_honoured_and_counted_in_line_numbers() {
        let t = parse("sep=;\nName;Phone\nAnna;123\n").unwrap();
        assert_eq!(t.separator, b';');
        assert_eq!(t.header, vec!["Name", "Phone"]);
        assert_eq!(t.rows[0].line, 3);
    }

    #[test]
    fn line_numbers_count_blank_lines_and_multiline_values() {
        let t = parse("Name,Notes\r\n\r\nAnna,\"two\r\nlines\"\r\nBo,x\r\n").unwrap();
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![3, 5]);
        assert_eq!(&t.rows[0].fields[1], "two\r\nlines");
    }

    #[test]
    fn an_unterminated_quote_is_refused_with_its_line() {
        let text = "Name,Company,Phone\nAnna,Acme,1\nBo,\"Broken,2\nCy,Foo,3\nDi,Bar,4\n";
        assert_eq!(parse(text), Err(Malformed::UnterminatedQuote { line: 3, swallowed: 2 }));
    }

    #[test]
    fn rows_swallowed_by_a_stray_quote_are_refused() {
        let text = "Name,Company,Phone\nAnna,\"Acme,1\nBo,Foo,2\nCy,Bar\",3\nDi,Baz,4\n";
        assert_eq!(parse(text), Err(Malformed::RowsInQuote { line: 2, end: 4 }));
        // A genuine multi-line note is fine.
        let ok = "Name,Notes,Phone\nAnna,\"met at the fair\nwants a quote, soon\",1\n";
        assert_eq!(parse(ok).unwrap().rows.len(), 1);
    }

    #[test]
    fn mostly_wrong_column_counts_refuse_the_file() {
        let text = "Name,Company,Phone\nAnna,Acme\nBo,Foo\nCy,Bar,3\n";
        assert!(matches!(
            parse(text),
            Err(Malformed::ColumnCounts {
                expected: 3,
                bad: 2,
                first: 2,
                ..
            })
        ));
        // One odd row is left for the row checks to reject.
        let t = parse("Name,Company\nAnna,Acme\nBo\nCy,Bar\nDi,Baz,,,\n").unwrap();
        assert_eq!(
            t.rows.iter().map(|r| r.fields.len()).collect::<Vec<_>>(),
            vec![2, 1, 2, 2]
        );
    }

    #[test]
    fn old_mac_line_ends() {
        let t = parse("Name,Phone\rAnna,5550101\rBo,5550102\r").unwrap();
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(
            parse("Name,Phone\rAnna,\"5550101\rBo,5550102\r"),
            Err(Malformed::UnterminatedQuote { line: 2, swallowed: 1 })
        );
    }

    #[test]
    fn empty_files() {
        assert_eq!(parse(""), Err(Malformed::Empty));
        assert_eq!(parse("\n,,\n"), Err(Malformed::Empty));
        assert_eq!(parse("Name\n").unwrap().rows.len(), 0);
    }
}
