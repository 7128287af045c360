//! Mapped rows to customers, checked field by field with the same rules as
//! the customer form. A row that fails any check is rejected with its line
//! number and the reason; values are otherwise kept as given (control
//! characters included: they are stored, and only ever shown cleaned).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDateTime;

use super::csvin::{Row, Table};
pub use super::defaults::{Defaults, Given};
use super::fields::{Field, Mapping};
use super::reject::{Problem, Reject};
use crate::domain::customer::{Customer, Grade, Personality, Relationship, Status};
use crate::domain::dates::{Birthday, parse_birthday};
use crate::domain::validate::{self, FieldError, MAX_FIELD, MAX_NOTE};
use crate::i18n::{Lang, t};

/// A customer read from a file, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub line: usize,
    pub customer: Customer,
    /// Which of the defaulted fields the row gave.
    pub given: Given,
}

/// Rows split into customers to import and rejects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Converted {
    pub incoming: Vec<Incoming>,
    pub rejects: Vec<Reject>,
}

/// Converts every row of `table` with `mapping`, large files on every
/// core; the result keeps the file's order.
pub fn table(table: &Table, mapping: &Mapping, now: NaiveDateTime) -> Converted {
    let expected = table.header.len();
    let threads = crate::par::threads();
    if table.rows.len() < 4000 || threads < 2 {
        return rows(&table.rows, expected, mapping, now);
    }
    let chunk = table.rows.len().div_ceil(threads);
    let parts: Vec<Converted> = std::thread::scope(|s| {
        let handles: Vec<_> = table
            .rows
            .chunks(chunk)
            .map(|part| s.spawn(move || rows(part, expected, mapping, now)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    // The first part grows in place to hold the others (a large block is
    // moved by remapping its pages, not copied): only the rest is copied.
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_default();
    let rest: Vec<Converted> = parts.collect();
    out.incoming.reserve_exact(rest.iter().map(|p| p.incoming.len()).sum());
    for mut p in rest {
        out.incoming.append(&mut p.incoming);
        out.rejects.append(&mut p.rejects);
    }
    out
}

fn rows(rows: &[Row], expected: usize, mapping: &Mapping, now: NaiveDateTime) -> Converted {
    let mut out = Converted::default();
    for row in rows {
        let result = if row.fields.len() != expected {
            Err(Problem::Columns {
                found: row.fields.len(),
                expected,
            })
        } else {
            let values = mapping.columns.iter().copied().zip(row.fields.iter());
            customer(values, now)
        };
        match result {
            Ok(customer) => out.incoming.push(Incoming {
                line: row.line,
                customer,
                given: given(mapping, row),
            }),
            Err(problem) => out.rejects.push(Reject {
                line: row.line,
                problem,
                raw: row.fields.iter().map(str::to_string).collect(),
            }),
        }
    }
    out
}

/// The company facts of a table's rows: (company, industry, size) for
/// every row naming a company and one of them, in file order.
pub fn company_facts(table: &Table, mapping: &Mapping) -> Vec<CompanyFacts> {
    let col = |f: Field| mapping.columns.iter().position(|c| *c == f);
    let (Some(company), industry, size) = (col(Field::Company), col(Field::Industry), col(Field::CompanySize)) else {
        return Vec::new();
    };
    if industry.is_none() && size.is_none() {
        return Vec::new();
    }
    let cell = |row: &Row, i: Option<usize>| -> String {
        i.and_then(|i| row.fields.get(i))
            .map(|v| unguard(v.trim()).to_string())
            .unwrap_or_default()
    };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let name = cell(row, Some(company));
            let industry = cell(row, industry);
            let size = crate::domain::account::Size::read(&cell(row, size));
            (!name.is_empty()
                && (!industry.is_empty() || size.is_some())
                && validate::limit(&industry, MAX_FIELD).is_ok())
            .then_some(CompanyFacts { name, industry, size })
        })
        .collect()
}

/// What a file says about a company beyond its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyFacts {
    pub name: String,
    pub industry: String,
    pub size: Option<crate::domain::account::Size>,
}

/// Which defaulted fields `row` has a value for.
fn given(mapping: &Mapping, row: &Row) -> Given {
    let has = |f: Field| {
        mapping
            .columns
            .iter()
            .zip(row.fields.iter())
            .any(|(c, v)| *c == f && !unguard(v.trim()).is_empty())
    };
    Given {
        status: has(Field::Status),
        grade: has(Field::Grade),
    }
}

/// A customer from (field, value) pairs; several columns may name the same
/// field: phones, tags and notes add up, other fields take the first value.
///
/// Every problem of the row is found, not only the first: one comes back
/// as itself, several as [`Problem::Several`].
pub fn customer<'a>(values: impl Iterator<Item = (Field, &'a str)>, now: NaiveDateTime) -> Result<Customer, Problem> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut keep = |r: Result<(), Problem>| {
        if let Err(p) = r {
            problems.push(p);
        }
    };
    let mut c = Customer::new("", now);
    let (mut name, mut given, mut middle, mut family) = (None, None, None, None);
    let mut notes: Vec<&str> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut seen: Vec<Field> = Vec::new();
    for (field, raw) in values {
        let v = unguard(raw.trim());
        if v.is_empty() || field == Field::Ignore {
            continue;
        }
        let first = !seen.contains(&field);
        seen.push(field);
        match field {
            Field::Ignore => {}
            Field::Name => name = name.or(Some(v)),
            Field::GivenName => given = given.or(Some(v)),
            Field::MiddleName => middle = middle.or(Some(v)),
            Field::FamilyName => family = family.or(Some(v)),
            Field::Phone => {
                for p in multi(v) {
                    let p = p.strip_prefix('\'').unwrap_or(p);
                    if excel_number(p) {
                        keep(Err(Problem::PhoneAsNumber(p.to_string())));
                        continue;
                    }
                    match validate::phones(p) {
                        Ok(list) => {
                            for phone in list {
                                if !c.phones.contains(&phone) {
                                    c.phones.push(phone);
                                }
                            }
                        }
                        Err(FieldError::BadPhone(bad)) => keep(Err(Problem::BadPhone(bad))),
                        Err(_) => keep(Err(Problem::BadPhone(p.to_string()))),
                    }
                }
            }
            Field::Email if first => {
                let e = multi(v).next().unwrap_or(v);
                keep(
                    validate::email(e)
                        .map(|e| c.email = e)
                        .map_err(|_| Problem::BadEmail(e.to_string())),
                );
            }
            Field::Birthday if first => {
                keep(
                    birthday(v)
                        .map(|b| c.birthday = b)
                        .map_err(|_| Problem::BadBirthday(v.to_string())),
                );
            }
            // A column headed 农历生日 holds lunar dates, marked or not.
            Field::LunarBirthday if first => {
                let marked = if crate::domain::lunar::parse_entry(v).is_some() || v.trim().is_empty() {
                    v.to_string()
                } else {
                    format!("农历{}", v.trim())
                };
                keep(
                    birthday(&marked)
                        .map(|b| c.birthday = b)
                        .map_err(|_| Problem::BadBirthday(v.to_string())),
                );
            }
            Field::Grade if first => match grade(v) {
                Some(g) => c.grade = g,
                None => keep(Err(Problem::BadGrade(v.to_string()))),
            },
            Field::Status if first => match status(v) {
                Some(s) => c.status = s,
                None => keep(Err(Problem::BadStatus(v.to_string()))),
            },
            Field::Relationship if first => {
                match labelled(&RELATIONSHIPS, Relationship::ALL, |r| r.as_str(), |r| r.key(), v) {
                    Some(r) => c.relationship = r,
                    None => keep(Err(Problem::BadRelationship(v.to_string()))),
                }
            }
            Field::Personality if first => {
                match labelled(&PERSONALITIES, Personality::ALL, |p| p.as_str(), |p| p.key(), v) {
                    Some(p) => c.personality = Some(p),
                    None => keep(Err(Problem::BadPersonality(v.to_string()))),
                }
            }
            Field::Tags => {
                for tag in multi(v).filter(|t| !t.starts_with("* ")) {
                    match validate::tags(tag) {
                        Ok(list) => {
                            for t in list {
                                if !tags.contains(&t) {
                                    tags.push(t);
                                }
                            }
                        }
                        Err(e) => keep(Err(too_long(e, Field::Tags))),
                    }
                }
            }
            Field::Notes => notes.push(v),
            Field::Company if first => keep(text(v, Field::Company, MAX_FIELD).map(|t| c.company = t)),
            Field::Role if first => keep(text(v, Field::Role, MAX_FIELD).map(|t| c.role = t)),
            Field::Wechat if first => keep(text(v, Field::Wechat, MAX_FIELD).map(|t| c.wechat = t)),
            Field::City if first => keep(text(v, Field::City, MAX_FIELD).map(|t| c.city = t)),
            Field::Hobbies if first => keep(text(v, Field::Hobbies, MAX_NOTE).map(|t| c.hobbies = t)),
            Field::Family if first => keep(text(v, Field::Family, MAX_NOTE).map(|t| c.family = t)),
            Field::Uid if first => keep(text(v, Field::Uid, MAX_FIELD).map(|t| c.uid = t)),
            Field::Roles => match crate::domain::account::Roles::read(v) {
                Ok(r) => c.roles = c.roles.union(r),
                Err(bad) => keep(Err(Problem::BadRole(bad))),
            },
            // Company facts go to the company (see `company_facts`).
            Field::Industry if first => keep(text(v, Field::Industry, MAX_FIELD).map(|_| ())),
            Field::CompanySize if first && crate::domain::account::Size::read(v).is_none() => {
                keep(Err(Problem::BadSize(v.to_string())));
            }
            // A second column for a single-valued field: the first wins.
            _ => {}
        }
    }
    let full = match name {
        Some(n) => n.to_string(),
        None => join_name(given, middle, family),
    };
    match validate::name(&full) {
        Ok(n) => c.name = n,
        Err(FieldError::Required) => keep(Err(Problem::NoName)),
        Err(e) => keep(Err(too_long(e, Field::Name))),
    }
    keep(text(&notes.join("\n"), Field::Notes, MAX_NOTE).map(|n| c.notes = n));
    c.tags = tags;
    match problems.len() {
        0 => Ok(c),
        1 => Err(problems.remove(0)),
        _ => Err(Problem::Several(problems)),
    }
}

/// A phone that a spreadsheet turned into a number: `1.39123E+10`.
fn excel_number(v: &str) -> bool {
    let Some((mantissa, exp)) = v.split_once(['E', 'e']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("0");
    !whole.is_empty() && !exp.is_empty() && [whole, frac, exp].iter().all(|s| s.bytes().all(|b| b.is_ascii_digit()))
}

fn too_long(e: FieldError, field: Field) -> Problem {
    match e {
        FieldError::TooLong { max } => Problem::TooLong { field, max },
        _ => Problem::TooLong { field, max: 0 },
    }
}

fn text(v: &str, field: Field, max: usize) -> Result<String, Problem> {
    validate::limit(v, max).map_err(|e| too_long(e, field))
}

/// Drops the `'` our CSV export puts before a value that a spreadsheet
/// would take for a formula (`'+86 138…`, `'=x`).
fn unguard(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => v,
    }
}

/// Google Contacts writes several values in one cell as `a ::: b`.
fn multi(v: &str) -> impl Iterator<Item = &str> {
    v.split(":::").map(str::trim).filter(|s| !s.is_empty())
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Name parts as a full name: 张 + 伟 → 张伟 (family name first, no
/// space, for Chinese), Anna + Lopez → Anna Lopez.
pub fn join_name(given: Option<&str>, middle: Option<&str>, family: Option<&str>) -> String {
    let parts = [given, middle, family];
    if parts.iter().flatten().any(|p| p.chars().any(is_cjk)) {
        return [family, given, middle].iter().flatten().copied().collect();
    }
    parts.iter().flatten().copied().collect::<Vec<_>>().join(" ")
}

/// A value that is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

/// A birthday as spreadsheets, phones and contact exports write it:
/// everything [`parse_birthday`] reads, plus `--03-12` and `--0312`
/// (vCard, Google), `19850312`, `3/12/1985` (Outlook: month first, unless
/// the first number cannot be a month), `12.03.1985` (day first), a date
/// with a time after it, and Outlook's `0/0/00` for none.
pub fn birthday(v: &str) -> Result<Option<Birthday>, NotADate> {
    let v = v.trim();
    if crate::domain::lunar::parse_entry(v).is_some() {
        return parse_birthday(v).map(Some).map_err(|_| NotADate);
    }
    let v = v.split(['T', ' ']).next().unwrap_or(v);
    if v.is_empty() || v.trim_matches(['0', '/', '.', '-']).is_empty() {
        return Ok(None);
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| NotADate);
    if let Some(md) = v.strip_prefix("--") {
        let (m, d) = match md.split_once('-') {
            Some(p) => p,
            None if md.len() == 4 => md.split_at(2),
            None => return Err(NotADate),
        };
        return parse_birthday(&format!("{}-{}", num(m)?, num(d)?))
            .map(Some)
            .map_err(|_| NotADate);
    }
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        let (y, md) = v.split_at(4);
        let (m, d) = md.split_at(2);
        return parse_birthday(&format!("{y}-{m}-{d}")).map(Some).map_err(|_| NotADate);
    }
    let (sep, day_first) = if v.contains('.') { ('.', true) } else { ('/', false) };
    let parts: Vec<&str> = v.split(sep).collect();
    if let [a, b, y] = parts.as_slice()
        && y.len() == 4
        && a.len() <= 2
    {
        let (a, b) = (num(a)?, num(b)?);
        let (m, d) = if day_first || a > 12 { (b, a) } else { (a, b) };
        return parse_birthday(&format!("{y}-{m}-{d}")).map(Some).map_err(|_| NotADate);
    }
    parse_birthday(v).map(Some).map_err(|_| NotADate)
}

/// Lower case without spaces, dashes and underscores.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A value by its stored name or its label in either language; Chinese
/// labels also without their 客户 ending (潜在 for 潜在客户).
/// The table of every way to write each value is built once.
fn labelled<T: Copy + Send + Sync + 'static>(
    cell: &'static OnceLock<HashMap<String, T>>,
    all: &[T],
    id: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
    v: &str,
) -> Option<T> {
    let table = cell.get_or_init(|| {
        let mut m = HashMap::new();
        for x in all {
            for l in [id(*x), t(Lang::En, key(*x)), t(Lang::Zh, key(*x))] {
                let l = squash(l);
                if let Some(short) = l.strip_suffix("客户").filter(|s| !s.is_empty()) {
                    m.entry(short.to_string()).or_insert(*x);
                }
                m.entry(l).or_insert(*x);
            }
        }
        m
    });
    table.get(&squash(v)).copied()
}

static GRADES: OnceLock<HashMap<String, Grade>> = OnceLock::new();
static STATUSES: OnceLock<HashMap<String, Status>> = OnceLock::new();
static RELATIONSHIPS: OnceLock<HashMap<String, Relationship>> = OnceLock::new();
static PERSONALITIES: OnceLock<HashMap<String, Personality>> = OnceLock::new();

/// `A`–`D` (also `a`, `A类`, `A级`), or the grade's name in either
/// language (key, 重要客户, 重要 ...).
pub fn grade(v: &str) -> Option<Grade> {
    let s = squash(v);
    let letter = s.strip_suffix('类').or_else(|| s.strip_suffix('级')).unwrap_or(&s);
    Grade::parse(&letter.to_ascii_uppercase()).or_else(|| labelled(&GRADES, Grade::ALL, |g| g.as_str(), |g| g.key(), v))
}

/// A status by its stored name or its label in either language.
pub fn status(v: &str) -> Option<Status> {
    labelled(&STATUSES, Status::ALL, |s| s.as_str(), |s| s.key(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_lists_every_problem_at_once() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let row = [
            (Field::Name, "Anna"),
            (Field::Phone, "12ab"),
            (Field::Birthday, "1988/2/30"),
            (Field::Grade, "Z"),
        ];
        let Err(Problem::Several(all)) = customer(row.into_iter(), now) else {
            panic!("several problems")
        };
        assert_eq!(
            all,
            vec![
                Problem::BadPhone("12ab".into()),
                Problem::BadBirthday("1988/2/30".into()),
                Problem::BadGrade("Z".into())
            ]
        );
        let one = [(Field::Name, "Ben"), (Field::Phone, "1.39123E+10")];
        assert_eq!(
            customer(one.into_iter(), now),
            Err(Problem::PhoneAsNumber("1.39123E+10".into()))
        );
        let m = Problem::PhoneAsNumber("1.39123E+10".into()).message(crate::i18n::Lang::En);
        assert!(m.contains("format the phone column as text"), "{m}");
        assert!(excel_number("1.39123e10") && excel_number("1E+11"));
        assert!(!excel_number("138 0013 8000") && !excel_number("ext.E12") && !excel_number("E+10"));
    }

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
    }

    fn one(pairs: &[(Field, &str)]) -> Result<Customer, Problem> {
        customer(pairs.iter().map(|(f, v)| (*f, *v)), now())
    }

    #[test]
    fn a_full_row() {
        let c = one(&[
            (Field::Name, " 张伟 "),
            (Field::Company, "深圳华强电子"),
            (Field::Phone, "138 0013 8000"),
            (Field::Phone, "'+86 755 8888 0000 ::: 138 0013 8000"),
            (Field::Email, "wei@huaqiang.cn"),
            (Field::Birthday, "1985/3/12"),
            (Field::Grade, "A类"),
            (Field::Status, "忠诚"),
            (Field::Tags, "VIP ::: * myContacts ::: 华南"),
            (Field::Notes, "likes tea"),
            (Field::Notes, "call after 6"),
        ])
        .unwrap();
        assert_eq!(c.name, "张伟");
        assert_eq!(c.phones, vec!["138 0013 8000", "+86 755 8888 0000"]);
        assert_eq!(c.birthday.map(|b| b.to_string()).as_deref(), Some("1985-03-12"));
        assert_eq!((c.grade, c.status), (Grade::A, Status::Loyal));
        assert_eq!(c.tags, vec!["VIP", "华南"]);
        assert_eq!(c.notes, "likes tea\ncall after 6");
    }

    #[test]
    fn name_parts() {
        assert_eq!(join_name(Some("伟"), None, Some("张")), "张伟");
        assert_eq!(join_name(Some("Anna"), Some("M."), Some("Lopez")), "Anna M. Lopez");
        let c = one(&[(Field::GivenName, "Anna"), (Field::FamilyName, "Lopez")]).unwrap();
        assert_eq!(c.name, "Anna Lopez");
        assert_eq!(one(&[(Field::Company, "Acme")]), Err(Problem::NoName));
    }

    #[test]
    fn bad_values_are_named() {
        assert_eq!(
            one(&[(Field::Name, "x"), (Field::Phone, "1.38001E+10")]),
            Err(Problem::PhoneAsNumber("1.38001E+10".into()))
        );
        assert_eq!(
            one(&[(Field::Name, "x"), (Field::Grade, "Z")]),
            Err(Problem::BadGrade("Z".into()))
        );
        assert_eq!(
            one(&[(Field::Name, "x"), (Field::Birthday, "02-30")]),
            Err(Problem::BadBirthday("02-30".into()))
        );
        assert!(matches!(
            one(&[(Field::Name, &"长".repeat(101))]),
            Err(Problem::TooLong {
                field: Field::Name,
                max: 100
            })
        ));
    }

    #[test]
    fn control_characters_are_kept_as_given() {
        let c = one(&[(Field::Name, "Evil\x1b[31m"), (Field::Notes, "a\x07b")]).unwrap();
        assert_eq!(c.name, "Evil\x1b[31m");
        assert_eq!(c.notes, "a\x07b");
    }

    #[test]
    fn birthdays_in_export_formats() {
        let b = |s: &str| birthday(s).unwrap().map(|b| b.to_string());
        assert_eq!(b("--03-12").as_deref(), Some("03-12"));
        assert_eq!(b("--0312").as_deref(), Some("03-12"));
        assert_eq!(b("19850312").as_deref(), Some("1985-03-12"));
        assert_eq!(b("3/12/1985").as_deref(), Some("1985-03-12"));
        assert_eq!(b("25/12/1985").as_deref(), Some("1985-12-25"));
        assert_eq!(b("12.03.1985").as_deref(), Some("1985-03-12"));
        assert_eq!(b("1985-03-12T00:00:00Z").as_deref(), Some("1985-03-12"));
        assert_eq!(b("1985/3/12 0:00").as_deref(), Some("1985-03-12"));
        assert_eq!(b("1985年3月12日").as_deref(), Some("1985-03-12"));
        assert_eq!(b("0/0/00"), None);
        assert!(birthday("someday").is_err());
    }

    #[test]
    fn grades_statuses_and_labels() {
        assert_eq!(grade("b"), Some(Grade::B));
        assert_eq!(grade("重要客户"), Some(Grade::A));
        assert_eq!(grade("small"), Some(Grade::D));
        assert_eq!(status("non-customer"), Some(Status::NonCustomer));
        assert_eq!(status("目标客户"), Some(Status::Target));
        assert_eq!(status("Potential"), Some(Status::Potential));
        assert_eq!(status("maybe"), None);
    }
}
