//! The search key of a customer: lower-cased display text plus full pinyin
//! and pinyin initials of every Chinese field (every reading of a
//! character with several, see [`super::pinyin`]) and each phone in its
//! normalised form, computed once when the record is written and stored
//! with it, so `zw`, `zhangwei` and `张伟` all find 张伟, `bjhl` finds
//! 北京华联, `cs` and `changsha` find 长沙, and `13800138000` finds
//! `+86 (138) 0013-8000`.
//!
//! Layout: every field is [`FIELD_SEP`], one kind byte (which field it
//! is, see [`FieldKind`], plus [`ALT`] for a reading other than the
//! preferred one), then the text. A query matches inside one field; the
//! kind byte lets the ranking put a match in the name above one in the
//! company, city, tags or phone.

use super::phone::normalize_phone;
use super::pinyin::variants;
use super::text::{is_invisible, visible};

/// Separates the fields of a search key. A query must match inside one
/// field: letters scattered across a name, a company and a city are noise.
pub const FIELD_SEP: char = '\u{1f}';

/// Marks a field holding a reading other than the preferred one.
pub const ALT: u8 = 0x08;

/// Which field of the customer a key field comes from, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum FieldKind {
    Phone = 1,
    Tag = 2,
    City = 3,
    Company = 4,
    Name = 5,
}

impl FieldKind {
    /// The kind of a kind byte (its [`ALT`] bit ignored).
    pub fn of_byte(b: u8) -> Option<FieldKind> {
        Some(match b & !ALT {
            1 => FieldKind::Phone,
            2 => FieldKind::Tag,
            3 => FieldKind::City,
            4 => FieldKind::Company,
            5 => FieldKind::Name,
            _ => return None,
        })
    }
}

/// Whether `b` is a kind byte, i.e. the byte before a field's text.
pub fn is_kind_byte(b: u8) -> bool {
    FieldKind::of_byte(b).is_some() && b < 0x10
}

/// Version of the key layout and of the readings it holds: keys stored
/// under another version are recomputed when the database is opened
/// (4: characters no one sees, such as a zero-width space, left out).
pub const KEY_VERSION: i64 = 4;

/// Full pinyin (no tones, `ü` as `v`) and initials of the Chinese
/// characters in `s`, in the preferred reading; `None` when `s` holds no
/// Chinese character.
pub fn pinyin_of(s: &str) -> Option<(String, String)> {
    variants(s, false).first().cloned()
}

/// The key that search matches against (see the module's layout).
pub fn search_key(name: &str, company: &str, phones: &[String], city: &str, tags: &[String]) -> String {
    // What the rep sees of each field, and so types: a name pasted with a
    // zero-width space or a direction mark inside is found as shown.
    let (name, company, city) = (&*visible(name), &*visible(company), &*visible(city));
    let mut key = String::with_capacity(256);
    let mut push = |kind: FieldKind, alt: bool, s: &str| {
        if s.is_empty() {
            return;
        }
        key.push(FIELD_SEP);
        key.push(char::from(kind as u8 | if alt { ALT } else { 0 }));
        if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_control()) {
            // Most fields (pinyin, phones, Latin names): copied and
            // lower-cased in place.
            let start = key.len();
            key.push_str(s);
            key[start..].make_ascii_lowercase();
        } else {
            key.extend(s.chars().filter(|&c| !is_invisible(c)).flat_map(char::to_lowercase));
        }
    };
    push(FieldKind::Name, false, name);
    push(FieldKind::Company, false, company);
    for p in phones {
        push(FieldKind::Phone, false, &normalize_phone(p));
    }
    push(FieldKind::City, false, city);
    for t in tags {
        push(FieldKind::Tag, false, t);
    }
    // The given name on its own: `wei` starts a syllable of 张伟.
    if let Some(given) = super::pinyin::given_name(name) {
        push(FieldKind::Name, true, &given);
    }
    for (kind, field) in [
        (FieldKind::Name, name),
        (FieldKind::Company, company),
        (FieldKind::City, city),
    ] {
        let variants = variants(field, kind == FieldKind::Name);
        let mut initials_seen: Vec<&str> = Vec::new();
        for (n, (full, initials)) in variants.iter().enumerate() {
            push(kind, n > 0, full);
            if !initials_seen.contains(&initials.as_str()) {
                push(kind, n > 0, initials);
                initials_seen.push(initials);
            }
        }
    }
    key
}

/// Sort key for "sort by name": pinyin for Chinese names, so 张伟 sorts
/// under Z next to Zhang Wei, then the name itself as a tie-breaker.
pub fn name_sort_key(name: &str) -> String {
    let name = &*visible(name);
    let base = match variants(name, true).first() {
        Some((full, _)) => full.clone(),
        None => name.to_lowercase(),
    };
    format!("{base}\u{1}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(k: &str) -> Vec<(FieldKind, bool, &str)> {
        k.split(FIELD_SEP)
            .filter(|f| !f.is_empty())
            .map(|f| {
                let b = f.as_bytes()[0];
                (FieldKind::of_byte(b).unwrap(), b & ALT != 0, &f[1..])
            })
            .collect()
    }

    #[test]
    fn pinyin_full_and_initials() {
        assert_eq!(pinyin_of("张伟"), Some(("zhangwei".into(), "zw".into())));
        assert_eq!(pinyin_of("北京华联"), Some(("beijinghualian".into(), "bjhl".into())));
        assert_eq!(pinyin_of("Acme"), None);
    }

    #[test]
    fn key_holds_text_phones_and_pinyin() {
        let k = search_key(
            "张伟",
            "北京华联",
            &["+86 138 0013-8000".into()],
            "北京",
            &["VIP".into()],
        );
        for part in ["张伟", "北京华联", "13800138000", "vip", "zhangwei", "zw", "bjhl"] {
            assert!(k.contains(part), "{part} missing from {k}");
        }
        let f = fields(&k);
        assert_eq!(f[0], (FieldKind::Name, false, "张伟"));
        assert!(f.contains(&(FieldKind::Phone, false, "13800138000")));
        assert!(f.contains(&(FieldKind::City, false, "bj")));
    }

    #[test]
    fn every_reading_is_in_the_key_the_context_one_first() {
        let k = search_key("", "", &[], "长沙", &[]);
        let f = fields(&k);
        assert!(f.contains(&(FieldKind::City, false, "changsha")), "{f:?}");
        assert!(f.contains(&(FieldKind::City, true, "zhangsha")), "{f:?}");
        assert!(f.contains(&(FieldKind::City, false, "cs")), "{f:?}");
        assert!(f.contains(&(FieldKind::City, true, "zs")), "{f:?}");
        let k = search_key("吕晓婷", "", &[], "", &[]);
        assert!(k.contains("lvxiaoting") && k.contains("luxiaoting"), "{k}");
    }

    #[test]
    fn chinese_names_sort_by_pinyin() {
        let mut names = vec!["张伟", "Anna Berg", "李娜", "Zoe"];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(names, vec!["Anna Berg", "李娜", "张伟", "Zoe"]);
    }
}
