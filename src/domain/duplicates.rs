//! Duplicates: two records of one customer, found by the same phone
//! (normalised, see [`super::phone::normalize_phone`]), the same name at
//! the same company, or names read alike (the same pinyin) at the same
//! company; and the merge of two records field by field.

use std::collections::HashMap;

use super::customer::{ContactDates, Customer};
use super::phone::normalize_phone;
use super::pinyin::variants;
use super::text::visible;

/// Name and company compared without case and spacing, and without the
/// characters no one sees (a zero-width space pasted with a name).
pub fn name_key(name: &str, company: &str) -> String {
    let mut k = String::with_capacity(name.len() + company.len() + 1);
    for (i, part) in [visible(name), visible(company)].iter().enumerate() {
        if i > 0 {
            k.push('\u{1f}');
        }
        for (j, word) in part.split_whitespace().enumerate() {
            if j > 0 {
                k.push(' ');
            }
            k.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    k
}

/// Why two records look like one customer, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Because {
    Phone,
    NameCompany,
    PinyinCompany,
}

impl Because {
    pub fn key(self) -> &'static str {
        match self {
            Because::Phone => "dup.phone",
            Because::NameCompany => "dup.name_company",
            Because::PinyinCompany => "dup.pinyin_company",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Because::Phone => "phone",
            Because::NameCompany => "name_company",
            Because::PinyinCompany => "pinyin_company",
        }
    }
}

/// What duplicate detection reads of a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub phones: Vec<String>,
}

/// A pair of records of one customer (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub because: Because,
    pub a: i64,
    pub b: i64,
}

/// Every pair of candidates that look like one customer, each pair once
/// with its strongest reason; by reason, then by ids.
pub fn find_pairs(all: &[Candidate]) -> Vec<Pair> {
    let mut groups: HashMap<(Because, String), Vec<i64>> = HashMap::new();
    for c in all {
        for p in &c.phones {
            let k = normalize_phone(p);
            // Too short to be a number of its own (an extension, a typo).
            if k.len() >= 6 {
                groups.entry((Because::Phone, k)).or_default().push(c.id);
            }
        }
        if c.company.trim().is_empty() || c.name.trim().is_empty() {
            continue;
        }
        groups
            .entry((Because::NameCompany, name_key(&c.name, &c.company)))
            .or_default()
            .push(c.id);
        if let Some((py, _)) = variants(&visible(&c.name), true).first().cloned() {
            groups
                .entry((Because::PinyinCompany, name_key(&py, &c.company)))
                .or_default()
                .push(c.id);
        }
    }
    let mut best: HashMap<(i64, i64), Because> = HashMap::new();
    for ((because, _), mut ids) in groups {
        ids.sort_unstable();
        ids.dedup();
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                let e = best.entry((a, b)).or_insert(because);
                *e = (*e).min(because);
            }
        }
    }
    let mut pairs: Vec<Pair> = best
        .into_iter()
        .map(|((a, b), because)| Pair { because, a, b })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Why `c` looks like `other`, if it does (the check when adding or
/// editing a customer).
pub fn looks_like(c: &Customer, other: &Candidate) -> Option<Because> {
    let mine: Vec<String> = c
        .phones
        .iter()
        .map(|p| normalize_phone(p))
        .filter(|p| p.len() >= 6)
        .collect();
    if other.phones.iter().any(|p| mine.contains(&normalize_phone(p))) {
        return Some(Because::Phone);
    }
    if !c.company.trim().is_empty() && name_key(&c.name, &c.company) == name_key(&other.name, &other.company) {
        return Some(Because::NameCompany);
    }
    None
}

/// A field of a customer that a merge takes from one record or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Company,
    Role,
    Wechat,
    Email,
    City,
    Birthday,
    Grade,
    Status,
    Relationship,
    Personality,
    Hobbies,
    Family,
    Notes,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Name,
        Field::Company,
        Field::Role,
        Field::Wechat,
        Field::Email,
        Field::City,
        Field::Birthday,
        Field::Grade,
        Field::Status,
        Field::Relationship,
        Field::Personality,
        Field::Hobbies,
        Field::Family,
        Field::Notes,
    ];

    /// Catalog key of the field's label (the form's labels).
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "field.name",
            Field::Company => "field.company",
            Field::Role => "field.role",
            Field::Wechat => "field.wechat",
            Field::Email => "field.email",
            Field::City => "field.city",
            Field::Birthday => "field.birthday",
            Field::Grade => "field.grade",
            Field::Status => "field.status",
            Field::Relationship => "field.relationship",
            Field::Personality => "field.personality",
            Field::Hobbies => "field.hobbies",
            Field::Family => "field.family",
            Field::Notes => "field.notes",
        }
    }

    /// Copies this field from `from` into `into`.
    fn copy(self, from: &Customer, into: &mut Customer) {
        match self {
            Field::Name => into.name = from.name.clone(),
            Field::Company => into.company = from.company.clone(),
            Field::Role => into.role = from.role.clone(),
            Field::Wechat => into.wechat = from.wechat.clone(),
            Field::Email => into.email = from.email.clone(),
            Field::City => into.city = from.city.clone(),
            Field::Birthday => into.birthday = from.birthday,
            Field::Grade => into.grade = from.grade,
            Field::Status => into.status = from.status,
            Field::Relationship => into.relationship = from.relationship,
            Field::Personality => into.personality = from.personality,
            Field::Hobbies => into.hobbies = from.hobbies.clone(),
            Field::Family => into.family = from.family.clone(),
            Field::Notes => into.notes = from.notes.clone(),
        }
    }

    /// Whether the two records hold different values for this field.
    pub fn differs(self, a: &Customer, b: &Customer) -> bool {
        let mut x = a.clone();
        self.copy(b, &mut x);
        x != *a
    }
}

/// The kept record after a merge: `keep`'s values, except the fields in
/// `from_other`, which come from `other`. Phones and tags are the union of
/// both (nothing typed is lost), and the contact dates the latest of each.
pub fn merged(keep: &Customer, other: &Customer, from_other: &[Field]) -> Customer {
    let mut m = keep.clone();
    for f in from_other {
        f.copy(other, &mut m);
    }
    for p in &other.phones {
        if !m.phones.iter().any(|q| normalize_phone(q) == normalize_phone(p)) {
            m.phones.push(p.clone());
        }
    }
    for t in &other.tags {
        if !m.tags.contains(t) {
            m.tags.push(t.clone());
        }
    }
    let (a, b) = (keep.contact, other.contact);
    m.contact = ContactDates {
        last_contact: a.last_contact.max(b.last_contact),
        last_call: a.last_call.max(b.last_call),
        last_visit: a.last_visit.max(b.last_visit),
    };
    m.created_at = keep.created_at.min(other.created_at);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Grade;

    fn cand(id: i64, name: &str, company: &str, phones: &[&str]) -> Candidate {
        Candidate {
            id,
            name: name.into(),
            company: company.into(),
            phones: phones.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn pairs_by_phone_name_and_pinyin() {
        let all = [
            cand(1, "张伟", "华联", &["+86 (138) 0013-8000"]),
            cand(2, "李娜", "", &["13800138000"]),
            cand(3, "Li Na", "Acme", &[]),
            cand(4, "li  na", "ACME", &[]),
            cand(5, "张玮", "华联", &[]),
            cand(6, "王芳", "华联", &["139"]),
            cand(7, "王芳", "", &["139"]),
        ];
        let pairs = find_pairs(&all);
        assert_eq!(
            pairs,
            vec![
                Pair {
                    because: Because::Phone,
                    a: 1,
                    b: 2
                },
                Pair {
                    because: Because::NameCompany,
                    a: 3,
                    b: 4
                },
                Pair {
                    because: Because::PinyinCompany,
                    a: 1,
                    b: 5
                },
            ]
        );
    }

    #[test]
    fn a_name_pasted_with_characters_no_one_sees_is_the_same_name() {
        let all = [
            cand(1, "王芳", "北京华联", &[]),
            cand(2, "王\u{200B}芳", "北京\u{202E}华联", &[]),
            cand(3, "张伟", "Acme", &[]),
            cand(4, "章\u{FEFF}伟", "Acme", &[]),
        ];
        let because: Vec<(Because, i64, i64)> = find_pairs(&all).iter().map(|p| (p.because, p.a, p.b)).collect();
        assert_eq!(
            because,
            vec![(Because::NameCompany, 1, 2), (Because::PinyinCompany, 3, 4)]
        );
    }

    #[test]
    fn adding_a_known_phone_or_name_and_company_is_noticed() {
        let mut c = Customer::new("李娜", chrono::NaiveDateTime::default());
        c.phones = vec!["0086 138 0013 8000".into()];
        assert_eq!(
            looks_like(&c, &cand(1, "张伟", "", &["+86 138-0013-8000"])),
            Some(Because::Phone)
        );
        c.phones.clear();
        c.company = "华联".into();
        assert_eq!(
            looks_like(&c, &cand(2, "李娜", "华联", &[])),
            Some(Because::NameCompany)
        );
        assert_eq!(looks_like(&c, &cand(3, "李娜", "北京华联", &[])), None);
    }

    #[test]
    fn merge_takes_chosen_fields_and_keeps_every_phone_and_tag() {
        let t = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        let mut keep = Customer::new("张伟", t(5).and_hms_opt(9, 0, 0).unwrap());
        keep.phones = vec!["138 0013 8000".into()];
        keep.tags = vec!["VIP".into()];
        keep.grade = Grade::C;
        keep.contact.last_call = Some(t(3));
        let mut other = Customer::new("张 伟", t(1).and_hms_opt(9, 0, 0).unwrap());
        other.phones = vec!["+86 13800138000".into(), "0755-1234 5678".into()];
        other.tags = vec!["华南".into(), "VIP".into()];
        other.grade = Grade::A;
        other.email = "w@x.cn".into();
        other.contact.last_call = Some(t(9));
        let m = merged(&keep, &other, &[Field::Grade]);
        assert_eq!(m.name, "张伟");
        assert_eq!(m.grade, Grade::A);
        assert_eq!(m.email, "");
        assert_eq!(m.phones, vec!["138 0013 8000", "0755-1234 5678"]);
        assert_eq!(m.tags, vec!["VIP", "华南"]);
        assert_eq!(m.contact.last_call, Some(t(9)));
        assert_eq!(m.created_at, other.created_at);
        assert!(Field::Email.differs(&keep, &other));
        assert!(!Field::Role.differs(&keep, &other));
    }
}
