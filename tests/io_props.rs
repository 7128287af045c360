//! Property tests: whatever a CSV or vCard file holds, reading it never
//! panics, every rejected row carries a line number inside the file, and
//! the counts add up (read = imported + duplicates + rejected).

use chrono::NaiveDateTime;
use proptest::prelude::*;
use rapport::io::Source;
use rapport::io::load::{Loaded, load_bytes};
use rapport::io::plan::{DupPolicy, Known, Plan};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

/// A cell: plain words, Chinese, numbers, phones, dates, and the
/// characters that make CSV hard (quotes, separators, line breaks,
/// control characters).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{0,12}",
        "[张伟李娜王芳深圳华强电子]{1,6}",
        "1[3-9][0-9]{9}",
        "[0-9+ ()-]{0,16}",
        "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]",
        "[A-Dz]",
        ".{0,10}",
        prop::collection::vec(
            prop::sample::select(vec!["\"", ",", ";", "\t", "\n", "\r\n", "\x1b", "\0", "'=", "a"]),
            0..6
        )
        .prop_map(|v| v.concat()),
    ]
}

fn header() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::sample::select(vec![
            "姓名",
            "Name",
            "公司",
            "Company",
            "手机",
            "Phone",
            "邮箱",
            "E-mail 1 - Value",
            "生日",
            "Birthday",
            "等级",
            "Grade",
            "状态",
            "备注",
            "Notes",
            "Labels",
            "First Name",
            "Last Name",
            "other",
        ])
        .prop_map(str::to_string),
        1..8,
    )
}

/// Quotes a cell the way a CSV writer would, or (sometimes) not at all.
fn render(cells: &[String], sep: char, quote_all: bool) -> String {
    cells
        .iter()
        .map(|c| {
            if quote_all || c.contains(['"', sep, '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

fn file() -> impl Strategy<Value = String> {
    (
        header(),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..25),
        prop::sample::select(vec![',', ';', '\t']),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec!["\n", "\r\n"]),
    )
        .prop_map(|(h, rows, sep, quote, raw, eol)| {
            let mut lines = vec![render(&h, sep, quote)];
            for r in rows {
                // Some rows are written without any quoting: broken files.
                lines.push(if raw {
                    r.join(&sep.to_string())
                } else {
                    render(&r, sep, quote)
                });
            }
            lines.join(eol) + eol
        })
}

fn check(text: &str, bytes: Vec<u8>, source: Source) -> Result<(), TestCaseError> {
    let b = text.as_bytes();
    let lines = 1 + (0..b.len()).filter(|i| rapport::io::csvin::is_break(b, *i)).count();
    match load_bytes(source, bytes, None, now()) {
        Ok(loaded) => {
            let converted = loaded.convert(now());
            let known = vec![Known {
                id: 1,
                name: "张伟".into(),
                company: String::new(),
                phones: vec!["13800138000".into()],
                uid: String::new(),
            }];
            let rows = match &loaded {
                Loaded::Csv { table, .. } => {
                    let ls: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
                    prop_assert!(ls.windows(2).all(|w| w[0] < w[1]), "lines rise: {ls:?}");
                    Some(table.rows.len())
                }
                _ => None,
            };
            for r in &converted.rejects {
                let min = if source == Source::Csv { 2 } else { 1 };
                prop_assert!(r.line >= min && r.line <= lines, "reject on line {} of {lines}", r.line);
            }
            let plan = Plan::new(converted, &known, DupPolicy::Skip);
            let s = plan.summary();
            prop_assert_eq!(s.read, s.imported + s.duplicates() + s.rejected);
            if let Some(n) = rows {
                prop_assert_eq!(s.read, n);
            }
        }
        Err(e) => {
            // A refusal always has something to say.
            prop_assert!(!e.message(rapport::i18n::Lang::En).is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_csv_files_never_panic_and_rejects_carry_lines(text in file()) {
        check(&text, text.clone().into_bytes(), Source::Csv)?;
        // The same file as Chinese Windows saves it.
        let gb = encoding_rs::GB18030.encode(&text).0.into_owned();
        check(&text, gb, Source::Csv)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for source in [Source::Csv, Source::VCard] {
            let _ = load_bytes(source, bytes.clone(), None, now()).map(|l| l.convert(now()));
        }
    }

    #[test]
    fn generated_vcards_never_panic_and_rejects_carry_lines(
        cards in prop::collection::vec(
            (cell(), cell(), cell(), any::<bool>(), any::<bool>()),
            0..8,
        )
    ) {
        let mut text = String::new();
        for (name, tel, note, end, qp) in cards {
            text.push_str("BEGIN:VCARD\r\nVERSION:2.1\r\n");
            if qp {
                let hex: String = name.bytes().map(|b| format!("={b:02X}")).collect();
                text.push_str(&format!("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{hex}\r\n"));
            } else {
                text.push_str(&format!("FN:{}\r\n", name.replace(['\r', '\n'], " ")));
            }
            text.push_str(&format!("TEL:{}\r\nNOTE:{}\r\n", tel.replace(['\r', '\n'], ""), note.replace(['\r', '\n'], "\\n")));
            if end {
                text.push_str("END:VCARD\r\n");
            }
        }
        check(&text, text.clone().into_bytes(), Source::VCard)?;
    }
}
