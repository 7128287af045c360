//! The customer list as CSV that Excel opens correctly in English and in
//! Chinese: UTF-8 with a byte-order mark, CRLF line ends, a header in the
//! user's language that Rapport's own import recognises. No value can
//! break the file or run as a spreadsheet formula.

use chrono::NaiveDate;

use crate::domain::customer::Customer;
use crate::domain::text;
use crate::i18n::{Lang, t};

/// One exported customer: the record plus what storage derives.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub customer: Customer,
    pub next_due: Option<NaiveDate>,
}

/// The columns, by catalog key.
pub(crate) const COLUMNS: [&str; 20] = [
    "io.col.id",
    "io.col.name",
    "io.col.company",
    "io.col.role",
    "io.col.phones",
    "io.col.wechat",
    "io.col.email",
    "io.col.city",
    "io.col.birthday",
    "io.col.grade",
    "io.col.status",
    "io.col.relationship",
    "io.col.personality",
    "io.col.tags",
    "io.col.hobbies",
    "io.col.family",
    "io.col.notes",
    "io.col.last_contact",
    "io.col.next_due",
    "io.col.added",
];

/// A value made safe for a CSV cell: control characters dropped (line
/// breaks kept in `multiline` values, as Excel shows them in the cell), and
/// a `'` before a leading `=`, `+`, `-` or `@` so a spreadsheet shows the
/// text instead of evaluating it (our import removes the `'` again).
pub fn cell(s: &str, multiline: bool) -> String {
    let mut out: String = if multiline {
        s.replace("\r\n", "\n")
            .split('\n')
            .map(|l| text::clean(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        text::clean(s).into_owned()
    };
    if out.starts_with(['=', '+', '-', '@']) {
        out.insert(0, '\'');
    }
    out
}

fn row(lang: Lang, e: &Exported) -> [String; 20] {
    let c = &e.customer;
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    [
        c.id.to_string(),
        cell(&c.name, false),
        cell(&c.company, false),
        cell(&c.role, false),
        cell(&c.phones.join("; "), false),
        cell(&c.wechat, false),
        cell(&c.email, false),
        cell(&c.city, false),
        c.birthday.map(|b| b.to_string()).unwrap_or_default(),
        c.grade.as_str().to_string(),
        t(lang, c.status.key()).to_string(),
        t(lang, c.relationship.key()).to_string(),
        c.personality.map(|p| t(lang, p.key()).to_string()).unwrap_or_default(),
        cell(&c.tags.join(", "), false),
        cell(&c.hobbies, true),
        cell(&c.family, true),
        cell(&c.notes, true),
        day(c.contact.last_contact.map(|t| t.date())),
        day(e.next_due),
        c.created_at.format("%Y-%m-%d").to_string(),
    ]
}

/// The whole file.
pub fn customers(lang: Lang, list: &[Exported]) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into memory cannot fail.
        let _ = w.write_record(COLUMNS.iter().map(|k| t(lang, k)));
        for e in list {
            let _ = w.write_record(row(lang, e));
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{convert, csvin, fields::Mapping};

    fn sample() -> Exported {
        let mut c = Customer::new("张伟\x1b[31m", Default::default());
        c.id = 4;
        c.company = "深圳华强, 电子".into();
        c.phones = vec!["+86 138 0013 8000".into(), "0755-8888".into()];
        c.notes = "line one\nline \"two\"\x07".into();
        c.tags = vec!["VIP".into(), "华南".into()];
        Exported {
            customer: c,
            next_due: NaiveDate::from_ymd_opt(2026, 12, 1),
        }
    }

    #[test]
    fn excel_friendly_and_safe() {
        let bytes = customers(Lang::Zh, &[sample()]);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\r\n"));
        assert!(!text.contains('\x1b') && !text.contains('\x07'));
        assert!(text.contains("'+86 138 0013 8000; 0755-8888"));
        assert!(text.contains("2026-12-01"));
    }

    #[test]
    fn an_export_imports_back_in_both_languages() {
        for lang in [Lang::En, Lang::Zh] {
            let bytes = customers(lang, &[sample()]);
            let decoded = crate::io::decode::decode(&bytes, None).unwrap();
            let table = csvin::parse(&decoded.text).unwrap();
            let mapping = Mapping::detect(&table.header);
            let conv = convert::table(&table, &mapping, Default::default());
            assert!(conv.rejects.is_empty(), "{lang:?}: {:?}", conv.rejects);
            let back = &conv.incoming[0].customer;
            let orig = &sample().customer;
            assert_eq!(back.name, "张伟[31m");
            assert_eq!(back.company, orig.company);
            assert_eq!(back.phones, orig.phones);
            assert_eq!(back.tags, orig.tags);
            assert_eq!(back.notes, "line one\nline \"two\"");
            assert_eq!((back.grade, back.status), (orig.grade, orig.status));
        }
    }
}
