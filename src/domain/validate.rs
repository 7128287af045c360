//! Validation of what the rep types into a customer form.

use super::text;

/// A field-level problem, shown next to the field in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooLong { max: usize },
    BadPhone(String),
    BadEmail,
    BadDate(String),
}

impl FieldError {
    /// Catalog key of the message; the UI fills in the details.
    pub fn key(&self) -> &'static str {
        match self {
            FieldError::Required => "error.required",
            FieldError::TooLong { .. } => "error.too_long",
            FieldError::BadPhone(_) => "error.bad_phone",
            FieldError::BadEmail => "error.bad_email",
            FieldError::BadDate(_) => "error.bad_date",
        }
    }
}

pub const MAX_NAME: usize = 100;
pub const MAX_FIELD: usize = 200;
pub const MAX_NOTE: usize = 4000;

/// A required, length-limited single-line text.
pub fn name(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::Required);
    }
    limit(t, MAX_NAME)
}

pub fn limit(s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(t.to_string())
}

/// Splits a comma/semicolon/、/，-separated phone list and checks each number:
/// digits with optional leading `+` and spaces, dashes, dots or parentheses,
/// 5 to 20 digits.
pub fn phones(s: &str) -> Result<Vec<String>, FieldError> {
    let mut out = Vec::new();
    for raw in s.split([',', ';', '，', '；', '、', '/']) {
        let p = raw.trim();
        if p.is_empty() {
            continue;
        }
        out.push(phone(p)?);
    }
    Ok(out)
}

pub fn phone(p: &str) -> Result<String, FieldError> {
    let bad = || FieldError::BadPhone(text::clean(p).into_owned());
    let body = p.strip_prefix('+').unwrap_or(p);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return Err(bad());
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(5..=20).contains(&digits) {
        return Err(bad());
    }
    Ok(p.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// An optional e-mail address: something@domain.tld, no spaces.
pub fn email(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let ok = match t.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !t.chars().any(|c| c.is_whitespace() || text::is_unsafe(c))
                && !domain.contains('@')
        }
        None => false,
    };
    if ok {
        limit(t, MAX_FIELD)
    } else {
        Err(FieldError::BadEmail)
    }
}

/// Tags separated by commas (Latin or Chinese), trimmed, de-duplicated.
pub fn tags(s: &str) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for t in s.split([',', '，', ';', '；', '、']) {
        let t = limit(t, 40)?;
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_required_and_trimmed() {
        assert_eq!(name("  张伟 "), Ok("张伟".into()));
        assert_eq!(name("   "), Err(FieldError::Required));
        assert_eq!(name(&"x".repeat(101)), Err(FieldError::TooLong { max: 100 }));
    }

    #[test]
    fn phone_lists() {
        assert_eq!(phones("138 0013 8000, +86 (755) 8888-0000").unwrap().len(), 2);
        assert_eq!(phones("13800138000；13900139000").unwrap().len(), 2);
        assert_eq!(phones("").unwrap(), Vec::<String>::new());
        assert!(matches!(phones("call me"), Err(FieldError::BadPhone(_))));
        assert!(phones("123").is_err());
        assert!(phones("1380013\x1b8000").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(email(""), Ok(String::new()));
        assert!(email("wei.zhang@huaqiang.cn").is_ok());
        for bad in ["wei", "wei@", "@x.cn", "a b@x.cn", "a@x", "a@x."] {
            assert_eq!(email(bad), Err(FieldError::BadEmail), "{bad}");
        }
    }

    #[test]
    fn tag_lists() {
        assert_eq!(tags("VIP, 华南，VIP、展会").unwrap(), vec!["VIP", "华南", "展会"]);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn validators_never_panic(s in "\\PC*") {
                let _ = phones(&s);
                let _ = email(&s);
                let _ = tags(&s);
                let _ = name(&s);
            }

            #[test]
            fn a_valid_phone_is_a_fixed_point(p in "\\+?[0-9]{3,4}([ -][0-9]{2,4}){1,3}") {
                let once = phone(&p).unwrap();
                prop_assert_eq!(phone(&once).unwrap(), once);
            }

            #[test]
            fn phone_lists_round_trip_through_their_format(ps in proptest::collection::vec("[0-9]{5,15}", 0..4)) {
                let parsed = phones(&ps.join(", ")).unwrap();
                prop_assert_eq!(phones(&parsed.join(", ")).unwrap(), parsed);
            }
        }
    }
}
