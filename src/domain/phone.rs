//! Phones as people type them: `+86 (138) 0013-8000`, `0086 13800138000`,
//! `138 0013 8000` and `13800138000` are one number. The same
//! normalisation serves search keys, queries and duplicate detection.

/// Characters people put between the digits of a phone number.
pub fn is_phone_punct(c: char) -> bool {
    matches!(
        c,
        ' ' | '+' | '-' | '(' | ')' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{3000}'
    )
}

/// Whether `s` reads as (part of) a phone number: digits and the
/// punctuation of phone numbers only, with at least one digit.
pub fn looks_like_phone(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || is_phone_punct(c))
}

/// Mainland China's country code, optional in front of a number.
const CHINA: &str = "86";

/// The canonical form of a phone number: its digits, without a leading
/// international prefix for China (`+86`, `0086`, or `86` before an
/// 11-digit mobile number) and without the trunk `0` of a domestic area
/// code. Numbers of other countries keep their country code (`+971 50 …`
/// is `97150…`). Two spellings of one number give the same string.
pub fn normalize_phone(s: &str) -> String {
    let plus = s.trim_start().starts_with('+');
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let national = match international {
        Some(rest) => match rest.strip_prefix(CHINA) {
            Some(n) => n,
            None => return rest.to_string(),
        },
        None if digits.len() == 13 && digits.starts_with(CHINA) && digits.as_bytes()[2] == b'1' => &digits[2..],
        None => &digits,
    };
    let national = match national.strip_prefix('0') {
        // An area code's trunk 0 (0755-…, 010-…); a lone 0 stays.
        Some(rest) if rest.len() >= 6 => rest,
        _ => national,
    };
    national.to_string()
}

/// A search query that reads as a phone number, in the form keys store:
/// the punctuation goes; a country code or trunk `0` is dropped as in
/// [`normalize_phone`] once the query is long enough to be a whole number.
pub fn phone_query(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let plus = s.trim_start().starts_with('+');
    let whole = (plus && digits.len() >= 7) || (digits.starts_with("00") && digits.len() >= 11) || digits.len() >= 10;
    if whole { normalize_phone(s) } else { digits }
}

/// The last four digits, shown beside a name to tell namesakes apart.
pub fn last_four(s: &str) -> Option<String> {
    let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 4).then(|| digits[digits.len() - 4..].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_many_spellings() {
        for s in [
            "+86 (138) 0013-8000",
            "0086 138 0013 8000",
            "8613800138000",
            "138 0013 8000",
            "13800138000",
            "138.0013.8000",
            "138/0013/8000",
        ] {
            assert_eq!(normalize_phone(s), "13800138000", "{s}");
        }
        assert_eq!(normalize_phone("0755-8888 1234"), "75588881234");
        assert_eq!(normalize_phone("+86 755 8888 1234"), "75588881234");
        assert_eq!(normalize_phone("+971 50 123 6697"), "971501236697");
        assert_eq!(normalize_phone("00971 50 123 6697"), "971501236697");
        assert_eq!(normalize_phone("+1 (415) 555-0100"), "14155550100");
        assert_eq!(normalize_phone(""), "");
    }

    #[test]
    fn queries_drop_punctuation_and_prefixes() {
        assert_eq!(phone_query("176-7095"), "1767095");
        assert_eq!(phone_query("(176)7095"), "1767095");
        assert_eq!(phone_query("0013-8000"), "00138000");
        assert_eq!(phone_query("+86 138 0013 8000"), "13800138000");
        assert_eq!(phone_query("008613800138000"), "13800138000");
        assert_eq!(phone_query("+971 6697"), "9716697");
        assert_eq!(phone_query("8000"), "8000");
    }

    #[test]
    fn phone_like_text() {
        assert!(looks_like_phone("+86 (138) 0013-8000"));
        assert!(looks_like_phone("6697"));
        assert!(!looks_like_phone("zhang 138"));
        assert!(!looks_like_phone("+-()"));
        assert_eq!(last_four("+86 138-0013-8000").as_deref(), Some("8000"));
        assert_eq!(last_four("12"), None);
    }

    proptest::proptest! {
        /// Punctuation between the digits never changes the number.
        #[test]
        fn punctuation_is_ignored(d in "1[3-9][0-9]{9}", seps in proptest::collection::vec("[ ./()-]{0,2}", 11)) {
            let spaced: String = d.chars().zip(seps).map(|(c, s)| format!("{c}{s}")).collect();
            proptest::prop_assert_eq!(normalize_phone(&spaced), d.clone());
            proptest::prop_assert_eq!(normalize_phone(&format!("+86 {spaced}")), d);
        }
    }
}
