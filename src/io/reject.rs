//! Rows an import refuses, each with its line number and the reason, and
//! the file they are written to so the user can fix and import them again.

use crate::domain::text;
use crate::i18n::{Lang, t, tf};

use super::fields::Field;

/// Why a row (or a vCard) was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A different number of fields than the header has.
    Columns {
        found: usize,
        expected: usize,
    },
    /// No name in any name column.
    NoName,
    TooLong {
        field: Field,
        max: usize,
    },
    BadPhone(String),
    BadEmail(String),
    BadBirthday(String),
    BadGrade(String),
    BadStatus(String),
    BadRelationship(String),
    BadPersonality(String),
    /// A role that is none of the five (the name as written).
    BadRole(String),
    /// A company size that is no band nor head count.
    BadSize(String),
    /// A phone a spreadsheet turned into a number (`1.39123E+10`): its
    /// digits are gone.
    PhoneAsNumber(String),
    /// Every problem of one row, listed at once.
    Several(Vec<Problem>),
    /// A vCard without its `END:VCARD`.
    UnendedCard,
    /// A vCard property that cannot be decoded (bad quoted-printable,
    /// an unknown charset).
    BadCardValue(String),
    /// An order row whose customer is not in the book (the value that named them).
    NoCustomer(String),
    /// An order row that could be several customers.
    AmbiguousCustomer(String),
    BadDate(String),
    FutureDate(String),
    BadAmount(String, crate::domain::value::AmountError),
    BadQuantity(String),
    /// A product or note over this many characters.
    TooLongText(usize),
}

impl Problem {
    /// The reason in the user's language, safe to print.
    pub fn message(&self, lang: Lang) -> String {
        let v = |s: &String| text::truncate(&text::clean(s), 40).into_owned();
        match self {
            Problem::Columns { found, expected } => {
                tf(lang, "io.reject.columns", &[("found", found), ("expected", expected)])
            }
            Problem::NoName => t(lang, "io.reject.no_name").to_string(),
            Problem::TooLong { field, max } => tf(
                lang,
                "io.reject.too_long",
                &[("field", &t(lang, field.key())), ("max", max)],
            ),
            Problem::BadPhone(s) => tf(lang, "io.reject.phone", &[("value", &v(s))]),
            Problem::BadEmail(s) => tf(lang, "io.reject.email", &[("value", &v(s))]),
            Problem::BadBirthday(s) => tf(lang, "io.reject.birthday", &[("value", &v(s))]),
            Problem::BadGrade(s) => tf(lang, "io.reject.grade", &[("value", &v(s))]),
            Problem::BadStatus(s) => tf(lang, "io.reject.status", &[("value", &v(s))]),
            Problem::BadRelationship(s) => tf(lang, "io.reject.relationship", &[("value", &v(s))]),
            Problem::BadPersonality(s) => tf(lang, "io.reject.personality", &[("value", &v(s))]),
            Problem::BadRole(s) => tf(lang, "io.reject.role", &[("value", &v(s))]),
            Problem::BadSize(s) => tf(lang, "io.reject.size", &[("value", &v(s))]),
            Problem::PhoneAsNumber(s) => tf(lang, "io.reject.phone_as_number", &[("value", &v(s))]),
            Problem::Several(all) => all
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join(t(lang, "io.reject.separator")),
            Problem::UnendedCard => t(lang, "io.reject.unended_card").to_string(),
            Problem::BadCardValue(s) => tf(lang, "io.reject.card_value", &[("value", &v(s))]),
            Problem::NoCustomer(s) => tf(lang, "purchase.reject.no_customer", &[("value", &v(s))]),
            Problem::AmbiguousCustomer(s) => tf(lang, "purchase.reject.ambiguous", &[("value", &v(s))]),
            Problem::BadDate(s) => tf(lang, "purchase.reject.date", &[("value", &v(s))]),
            Problem::FutureDate(s) => tf(lang, "purchase.reject.future", &[("value", &v(s))]),
            Problem::BadAmount(s, e) => format!(
                "{} ({})",
                tf(lang, "purchase.reject.amount", &[("value", &v(s))]),
                t(lang, e.key())
            ),
            Problem::BadQuantity(s) => tf(lang, "purchase.reject.quantity", &[("value", &v(s))]),
            Problem::TooLongText(max) => tf(lang, "purchase.reject.too_long", &[("max", max)]),
        }
    }
}

/// One refused row: where it starts in the file, why, and what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// 1-based line of the file where the row (or card) starts.
    pub line: usize,
    pub problem: Problem,
    /// The row's fields as read (for a vCard: its name, if any).
    pub raw: Vec<String>,
}

/// The rejects file: UTF-8 with a byte-order mark so Excel opens it, the
/// columns `line`, `reason`, then the original header, so the fixed rows
/// import again (the two extra columns are ignored).
pub fn rejects_csv(lang: Lang, header: &[String], rejects: &[Reject]) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut head = vec![
            t(lang, "io.rejects.line").to_string(),
            t(lang, "io.rejects.reason").to_string(),
        ];
        head.extend(header.iter().map(|h| super::csvout::cell(h, false)));
        let _ = w.write_record(&head);
        for r in rejects {
            let mut row = vec![r.line.to_string(), r.problem.message(lang)];
            // Kept as read, except what would break the file or a cell.
            row.extend(r.raw.iter().map(|f| super::csvout::cell(f, true)));
            let _ = w.write_record(&row);
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_value_without_control_characters() {
        let m = Problem::BadPhone("13\x1b[2J8".into()).message(Lang::En);
        assert!(m.contains("13[2J8"), "{m}");
        assert!(!m.contains('\x1b'));
        let zh = Problem::Columns { found: 3, expected: 5 }.message(Lang::Zh);
        assert!(zh.contains('3') && zh.contains('5'));
    }

    #[test]
    fn the_rejects_file_reimports_its_rows() {
        let header = vec!["姓名".to_string(), "电话".to_string()];
        let rejects = vec![Reject {
            line: 7,
            problem: Problem::BadPhone("call me".into()),
            raw: vec!["张伟".into(), "call me".into()],
        }];
        let bytes = rejects_csv(Lang::Zh, &header, &rejects);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next(), Some("行号,原因,姓名,电话"));
        assert!(lines.next().unwrap().starts_with("7,"));
    }
}
