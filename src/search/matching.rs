//! How one key matches a query, and how well.
//!
//! A query matches inside one field of the key (name, company, a phone,
//! city, a tag, or the pinyin of a Chinese field); letters scattered across
//! fields are noise. Matches rank in tiers:
//!
//! 1. the query is a whole field (`zw` is exactly the initials of 张伟);
//! 2. a field or a word starts with it (`wang` in "Wang Fang");
//! 3. it appears inside a field as typed;
//! 4. its letters appear in order inside a field (from three characters
//!    on) — these fuzzy matches are scored by skim (fuzzy-matcher), below
//!    every match as typed.
//!
//! Ties go to the list's chosen order. Up to two characters a query must
//! appear as typed: one or two scattered letters match nearly every long
//! company name or pinyin string and only bury the customer looked for.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memchr2;
use memchr::memmem::Finder;

use crate::domain::searchkey::FIELD_SEP;

pub const WHOLE_FIELD: i64 = 4000;
pub const START: i64 = 3000;
pub const INSIDE: i64 = 2000;
/// Fuzzy scores are kept below every match as typed.
const FUZZY_MAX: i64 = INSIDE - 1;

pub const EXACT_UP_TO: usize = 2;

pub(super) const SEP_BYTE: u8 = FIELD_SEP as u8;

/// Whether a query must appear as typed.
pub fn is_exact(query: &str) -> bool {
    query.chars().count() <= EXACT_UP_TO
}

/// Lower-cases a query the way the keys were lower-cased and drops spaces
/// (`zhang wei` finds the pinyin `zhangwei`; a fuzzy match skips the space
/// in `wang fang` anyway).
pub fn normalize_query(q: &str) -> String {
    q.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Cheap necessary condition for a fuzzy match: the query's bytes appear in
/// the key in order (true of UTF-8 whenever the characters do).
pub fn is_subsequence(query: &[u8], key: &[u8]) -> bool {
    let mut q = query.iter();
    let Some(mut want) = q.next() else { return true };
    for b in key {
        if b == want {
            match q.next() {
                Some(n) => want = n,
                None => return true,
            }
        }
    }
    false
}

/// The skim matcher as Rapport uses it: keys and queries are lower-cased
/// already, and long fields take skim's linear-time path.
pub fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().respect_case().element_limit(64)
}

/// How a key matches, before any fuzzy scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// As typed, with its tier score.
    Typed(i64),
    /// Letters in order inside a field; skim scores it when it is needed.
    Scattered,
}

/// A normalized query prepared for matching many keys: its substring
/// searcher is built once, not once per key.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    finder: Finder<'static>,
    /// More than one character (a single one is never a whole field).
    several: bool,
    exact: bool,
    /// Bits of the query's ASCII letters and digits (see `query_mask`).
    pub mask: u64,
}

impl Query {
    /// Prepares a query already passed through [`normalize_query`].
    pub fn new(normalized: &str) -> Query {
        Query {
            text: normalized.to_string(),
            finder: Finder::new(normalized.as_bytes()).into_owned(),
            several: normalized.chars().count() > 1,
            exact: is_exact(normalized),
            mask: super::query_mask(normalized),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// How `key` matches; `None` when it does not.
    pub fn classify(&self, key: &str) -> Option<Match> {
        if let Some(tier) = self.typed_tier(key) {
            return Some(Match::Typed(tier));
        }
        if self.exact {
            return None;
        }
        in_one_field(self.text.as_bytes(), key.as_bytes()).then_some(Match::Scattered)
    }

    /// The best tier of the query appearing as typed in the key.
    fn typed_tier(&self, key: &str) -> Option<i64> {
        let bytes = key.as_bytes();
        let mut best: Option<i64> = None;
        for p in self.finder.find_iter(bytes) {
            let end = p + self.text.len();
            let starts = p == 0 || matches!(bytes[p - 1], SEP_BYTE | b' ');
            let whole = (p == 0 || bytes[p - 1] == SEP_BYTE) && (end == bytes.len() || bytes[end] == SEP_BYTE);
            let tier = if whole && self.several {
                WHOLE_FIELD
            } else if starts {
                START
            } else {
                INSIDE
            };
            if best.is_none_or(|b| tier > b) {
                best = Some(tier);
            }
            if tier == WHOLE_FIELD {
                break;
            }
        }
        best
    }
}

/// Classifies a key for a normalized query; `None` when it does not match.
/// (For many keys, prepare the [`Query`] once.)
pub fn classify(key: &str, query: &str) -> Option<Match> {
    Query::new(query).classify(key)
}

/// Whether the query's bytes appear in order within one field of the key,
/// greedily (matching restarts at each field separator), jumping from one
/// wanted byte or separator to the next.
fn in_one_field(query: &[u8], key: &[u8]) -> bool {
    if query.is_empty() {
        return true;
    }
    let (mut pos, mut at) = (0, 0);
    while let Some(off) = memchr2(query[at], SEP_BYTE, &key[pos..]) {
        let b = key[pos + off];
        pos += off + 1;
        if b == SEP_BYTE {
            at = 0;
        } else {
            at += 1;
            if at == query.len() {
                return true;
            }
        }
    }
    false
}

/// Skim's score of a scattered match on the key's best field, kept below
/// the tiers of matches as typed.
pub fn fuzzy_score(matcher: &SkimMatcherV2, key: &str, query: &str) -> i64 {
    let q = query.as_bytes();
    key.split(FIELD_SEP)
        .filter(|f| is_subsequence(q, f.as_bytes()))
        .filter_map(|f| matcher.fuzzy_match(f, query))
        .max()
        .unwrap_or(0)
        .clamp(0, FUZZY_MAX)
}

/// The final score of a key; `None` when it does not match. The same
/// function serves the TUI (lazily) and `rapport find`.
pub fn score(matcher: &SkimMatcherV2, key: &str, query: &Query) -> Option<i64> {
    match query.classify(key)? {
        Match::Typed(t) => Some(t),
        Match::Scattered => Some(fuzzy_score(matcher, key, query.text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(fields: &[&str]) -> String {
        fields.join(&FIELD_SEP.to_string())
    }

    #[test]
    fn tiers() {
        let k = key(&["张伟", "北京华联", "zhangwei", "zw", "beijinghualian", "bjhl"]);
        assert_eq!(classify(&k, "zw"), Some(Match::Typed(WHOLE_FIELD)));
        assert_eq!(classify(&k, "zhang"), Some(Match::Typed(START)));
        assert_eq!(classify(&k, "hua"), Some(Match::Typed(INSIDE)));
        assert_eq!(classify(&k, "z"), Some(Match::Typed(START)));
        assert_eq!(classify(&k, "zgw"), Some(Match::Scattered));
        // Two letters must be typed; scattered across fields never match.
        assert_eq!(classify(&k, "zg"), None);
        assert_eq!(classify(&k, "wbj"), None);
        let w = key(&["wang fang"]);
        assert_eq!(classify(&w, "fang"), Some(Match::Typed(START)));
    }

    #[test]
    fn fuzzy_scores_stay_below_typed_matches() {
        let m = matcher();
        let k = key(&["shenzhenshihuaqiangdianziyouxiangongsi"]);
        let s = score(&m, &k, &Query::new("szhq")).unwrap();
        assert!((0..INSIDE).contains(&s));
    }

    #[test]
    fn one_field_subsequence() {
        let k = key(&["wang fang", "northwind"]);
        assert!(in_one_field(b"wgfg", k.as_bytes()));
        assert!(in_one_field(b"nwd", k.as_bytes()));
        assert!(!in_one_field(b"gw", k.as_bytes()));
        assert!(in_one_field(b"", k.as_bytes()));
    }

    proptest::proptest! {
        /// The jumping single pass agrees with checking each field alone.
        #[test]
        fn one_field_pass_agrees_with_field_by_field(
            fields in proptest::collection::vec("[abz 华]{0,8}", 0..5),
            query in "[abz华]{0,4}",
        ) {
            let k = fields.join(&FIELD_SEP.to_string());
            let naive = query.is_empty()
                || fields.iter().any(|f| is_subsequence(query.as_bytes(), f.as_bytes()));
            proptest::prop_assert_eq!(in_one_field(query.as_bytes(), k.as_bytes()), naive);
        }
    }

    #[test]
    fn subsequence_prefilter() {
        assert!(is_subsequence(b"zw", b"zhang wei"));
        assert!(!is_subsequence(b"wz", b"zhang"));
        assert!(is_subsequence("华联".as_bytes(), "北京华联商贸".as_bytes()));
        assert!(is_subsequence(b"", b"x"));
    }
}
