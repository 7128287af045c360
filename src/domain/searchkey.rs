//! The search key of a customer: lower-cased display text plus full pinyin
//! and pinyin initials of every Chinese field, computed once when the record
//! is written and stored with it, so `zw`, `zhangwei` and `张伟` all find 张伟
//! and `bjhl` finds 北京华联.

use pinyin::ToPinyin;

/// Full pinyin (no tones) and initials of the Chinese characters in `s`;
/// `None` when `s` holds no Chinese character.
pub fn pinyin_of(s: &str) -> Option<(String, String)> {
    let mut full = String::new();
    let mut initials = String::new();
    let mut any = false;
    for (c, py) in s.chars().zip(s.to_pinyin()) {
        match py {
            Some(p) => {
                any = true;
                full.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
            None if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    full.push(l);
                    initials.push(l);
                }
            }
            None => {}
        }
    }
    any.then_some((full, initials))
}

/// Separates the fields of a search key. A query must match inside one
/// field: letters scattered across a name, a company and a city are noise.
pub const FIELD_SEP: char = '\u{1f}';

/// The key that search matches against, fields separated by `FIELD_SEP`.
pub fn search_key(name: &str, company: &str, phones: &[String], city: &str, tags: &[String]) -> String {
    let mut key = String::with_capacity(64);
    let mut push = |s: &str| {
        if !s.is_empty() {
            if !key.is_empty() {
                key.push(FIELD_SEP);
            }
            key.extend(s.chars().flat_map(char::to_lowercase).filter(|c| !c.is_control()));
        }
    };
    push(name);
    push(company);
    for p in phones {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        push(&digits);
    }
    push(city);
    for t in tags {
        push(t);
    }
    for field in [name, company, city] {
        if let Some((full, initials)) = pinyin_of(field) {
            push(&full);
            push(&initials);
        }
    }
    key
}

/// Sort key for "sort by name": pinyin for Chinese names, so 张伟 sorts
/// under Z next to Zhang Wei, then the name itself as a tie-breaker.
pub fn name_sort_key(name: &str) -> String {
    let base = match pinyin_of(name) {
        Some((full, _)) => full,
        None => name.to_lowercase(),
    };
    format!("{base}\u{1}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_full_and_initials() {
        assert_eq!(pinyin_of("张伟"), Some(("zhangwei".into(), "zw".into())));
        assert_eq!(pinyin_of("北京华联"), Some(("beijinghualian".into(), "bjhl".into())));
        assert_eq!(pinyin_of("Acme"), None);
    }

    #[test]
    fn key_holds_text_phones_and_pinyin() {
        let k = search_key("张伟", "北京华联", &["138 0013-8000".into()], "北京", &["VIP".into()]);
        for part in ["张伟", "北京华联", "13800138000", "vip", "zhangwei", "zw", "bjhl"] {
            assert!(k.contains(part), "{part} missing from {k}");
        }
    }

    #[test]
    fn chinese_names_sort_by_pinyin() {
        let mut names = vec!["张伟", "Anna Berg", "李娜", "Zoe"];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(names, vec!["Anna Berg", "李娜", "张伟", "Zoe"]);
    }
}
