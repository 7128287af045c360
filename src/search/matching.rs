//! How one key matches a query, and how well.
//!
//! A query matches inside one field of the key (name, company, a phone,
//! city, a tag, or the pinyin of a Chinese field); letters scattered across
//! fields are noise. A match as typed scores, from the most to the least
//! important:
//!
//! 1. the field it is in: name, then company, city, tags, phone;
//! 2. where in the field: the whole field (`zw` is exactly the initials of
//!    张伟), then the start of the field or of a word (`wang` in "Wang
//!    Fang"), then inside it;
//! 3. the preferred reading of a Chinese field above another reading
//!    (`zhangsha` still finds 长沙, below people named 张).
//!
//! Letters that only appear in order inside a field (from three characters
//! on) match fuzzily; skim (fuzzy-matcher) scores them, below every match
//! as typed. Up to two characters a query must appear as typed: one or two
//! scattered letters match nearly every long company name or pinyin string
//! and only bury the customer looked for.
//!
//! A query of several words (`翟玉兰 贵阳`, `wang 8000`) matches when its
//! words together appear as typed in one field (`zhang wei` in
//! `zhangwei`), or when every word matches, each in any field. Its letters
//! scattered without regard to the spaces typed are not a match: `li n`
//! means a word starting `li` and another with an `n`, not any field with
//! an `l`, an `i` and an `n` in order.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memchr;
use memchr::memmem::Finder;

use crate::domain::phone::{looks_like_phone, phone_query};
use crate::domain::searchkey::FIELD_SEP;

use super::place::{SEP_BYTE, TOP, TYPED, code_score, score_at, score_code, together_score, words_score};

#[path = "masks.rs"]
mod masks;
pub use masks::query_mask;
pub(super) use masks::{Masks, class_score};

/// Fuzzy scores are kept below every match as typed.
const FUZZY_MAX: i64 = TYPED - 1;

pub const EXACT_UP_TO: usize = 2;

/// Whether a query must appear as typed: up to two characters, or several
/// words taken together (each word on its own follows this rule).
pub fn is_exact(query: &str) -> bool {
    query.trim().contains(' ') || query.chars().filter(|&c| c != ' ').count() <= EXACT_UP_TO
}

/// Lower-cases a query the way the keys were lower-cased, writes `ü` as
/// `v`, and keeps one space between words. A query that reads as a phone
/// number (`+86 (138) 0013-8000`, `176-7095`) becomes its digits, and so
/// does each word that does (`翟玉兰 1234`).
pub fn normalize_query(q: &str) -> String {
    // Pasted text may hold characters no one sees (a zero-width space, a
    // direction mark): the keys leave them out too.
    let q: String = q.chars().filter(|&c| !crate::domain::text::is_invisible(c)).collect();
    if looks_like_phone(&q) && q.chars().filter(char::is_ascii_digit).count() >= 4 {
        return phone_query(&q);
    }
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| {
            if looks_like_phone(w) {
                phone_query(w)
            } else {
                w.chars()
                    .flat_map(char::to_lowercase)
                    .map(|c| if c == 'ü' { 'v' } else { c })
                    .collect()
            }
        })
        .filter(|w: &String| !w.is_empty())
        .collect();
    words.join(" ")
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
    /// As typed, with its score.
    Typed(i64),
    /// Letters in order inside a field; skim scores it when it is needed.
    Scattered,
}

/// A search's tier for a fuzzy match (a match as typed stores its score).
pub(super) const SCATTERED_TIER: i32 = -1;
/// No match, in [`Known`]'s tiers.
pub(super) const NO_TIER: i32 = i32::MIN;

/// What earlier searches already know of one entry for the words of a
/// query of several words: `(tiers, entry)`, where `tiers[w]`, when
/// present, holds every entry's tier for word `w` searched alone (while
/// typing `li na` the results of `li` are at hand), so that word is not
/// looked for in the key again.
pub(super) type Known<'a> = (&'a [Option<Tiers>], u32);

/// One word's tier for every entry, one byte each: a score as typed by
/// its code ([`score_code`]), [`SCATTERED_TIER`] or [`NO_TIER`].
pub(super) type Tiers = Vec<u8>;

const NO_CODE: u8 = u8::MAX;
const SCATTERED_CODE: u8 = u8::MAX - 1;

/// A tier as [`Tiers`] keep it.
pub(super) fn pack_tier(t: i32) -> u8 {
    match t {
        NO_TIER => NO_CODE,
        SCATTERED_TIER => SCATTERED_CODE,
        t => score_code(i64::from(t)),
    }
}

/// A tier [`Tiers`] kept.
pub(super) fn unpack_tier(t: u8) -> i32 {
    match t {
        NO_CODE => NO_TIER,
        SCATTERED_CODE => SCATTERED_TIER,
        code => code_score(code) as i32,
    }
}

/// A normalized query prepared for matching many keys: its substring
/// searcher is built once, not once per key.
#[derive(Debug, Clone)]
pub struct Query {
    /// The query without spaces.
    text: String,
    finder: Finder<'static>,
    /// More than one character (a single one is never a whole field).
    several: bool,
    /// One ASCII letter or digit, placed from the masks.
    single: bool,
    exact: bool,
    /// The bits of the characters every matching key holds (see
    /// [`query_mask`]): those of its ASCII letters and digits only when the
    /// query mixes Chinese and Latin letters, whose Chinese characters may
    /// match as pinyin instead.
    pub mask: u64,
    /// Its words, when it has several.
    words: Vec<Query>,
    /// A query mixing Chinese and Latin letters (`张w`, `zhang伟`) also
    /// matches as pinyin: each reading of its Chinese characters.
    readings: Vec<Query>,
}

/// Whether `s` holds a Chinese character (anything the pinyin table reads).
fn has_chinese(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_ascii() && !crate::domain::pinyin::readings(c).is_empty())
}

/// A query mixing Chinese characters and ASCII letters or digits.
pub fn is_mixed(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_alphanumeric()) && has_chinese(s)
}

/// Whether the matches of `longer` are among those of `prefix` (a prefix
/// of it), so a search may narrow the earlier results: not when a fuzzy
/// query follows an exact one, nor when Chinese characters start being
/// read as pinyin, whether of the whole query or of the word being typed.
/// The earlier words of a query of several words are the same in both,
/// and more words only ask for more.
pub fn narrows(prefix: &str, longer: &str) -> bool {
    let words = |s: &'_ str| {
        s.split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (p, l) = (words(prefix), words(longer));
    let Some((last, before)) = p.split_last().filter(|_| l.len() >= p.len()) else {
        return false;
    };
    let same_start = l[..before.len()] == *before && l[before.len()].starts_with(last.as_str());
    let read_alike = |p: &str, l: &str| !is_mixed(l) || is_mixed(p) || !has_chinese(p);
    let (pl, ll) = (last.as_str(), l[before.len()].as_str());
    same_start && (!is_exact(pl) || is_exact(ll)) && read_alike(pl, ll) && read_alike(&p.concat(), &l.concat())
}

impl Query {
    /// Prepares a query already passed through [`normalize_query`].
    pub fn new(normalized: &str) -> Query {
        let text: String = normalized.chars().filter(|&c| c != ' ').collect();
        let words: Vec<Query> = if normalized.contains(' ') {
            normalized
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(Query::new)
                .collect()
        } else {
            Vec::new()
        };
        let exact = is_exact(normalized);
        let mask = if is_mixed(&text) {
            query_mask(&text) & ((1 << 36) - 1)
        } else {
            query_mask(&text)
        };
        let readings = if is_mixed(&text) {
            crate::domain::pinyin::variants(&text, false)
                .iter()
                .map(|(full, _)| {
                    let mut q = Query::new(full);
                    q.exact = exact;
                    q
                })
                .collect()
        } else {
            Vec::new()
        };
        Query {
            finder: Finder::new(text.as_bytes()).into_owned(),
            several: text.chars().count() > 1,
            single: text.len() == 1 && text.as_bytes()[0].is_ascii_alphanumeric(),
            exact,
            mask,
            words,
            readings,
            text,
        }
    }

    /// The query without spaces.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How `key` matches; `None` when it does not.
    pub fn classify(&self, key: &str) -> Option<Match> {
        self.classify_in(key.as_bytes(), None, None)
    }

    /// [`Query::classify`], with the key's masks when they are at hand
    /// (a one-letter word of the query is placed from them).
    fn classify_in(&self, key: &[u8], masks: Option<Masks>, known: Option<Known<'_>>) -> Option<Match> {
        if self.single {
            return masks.unwrap_or_else(|| Masks::of(key)).single(self.mask);
        }
        // The query as typed lies inside one field, so a fuzzy query whose
        // letters are not in order inside any field is not looked for as
        // typed either: most keys a fuzzy query reads end at this one pass.
        let fits = self.exact || self.in_one_field(key);
        // Several words found together rank with the words apart.
        let together = |m: Match| match m {
            Match::Typed(s) if self.words.len() >= 2 => Match::Typed(together_score(s)),
            m => m,
        };
        if fits && let Some(score) = self.typed(key) {
            return Some(together(Match::Typed(score)));
        }
        if fits && !self.exact {
            return Some(Match::Scattered);
        }
        if let Some(m) = self.readings.iter().find_map(|r| r.classify_in(key, masks, None)) {
            return Some(together(m));
        }
        if self.words.len() < 2 {
            return None;
        }
        let (mut worst, mut codes) = (i64::MAX, 0);
        let mut scattered = false;
        for (n, w) in self.words.iter().enumerate() {
            let cached = known.and_then(|(tiers, i)| tiers.get(n)?.as_ref().map(|t| unpack_tier(t[i as usize])));
            let m = match cached {
                Some(NO_TIER) => return None,
                Some(SCATTERED_TIER) => Match::Scattered,
                Some(t) => Match::Typed(i64::from(t)),
                None => w.classify_in(key, masks, None)?,
            };
            match m {
                Match::Typed(s) => {
                    worst = worst.min(s);
                    codes += i64::from(score_code(s));
                }
                Match::Scattered => scattered = true,
            }
        }
        Some(if scattered {
            Match::Scattered
        } else {
            Match::Typed(words_score(worst, codes))
        })
    }

    /// Whether the query's characters appear in order within one field of
    /// the key. A query of ASCII looks for its first letter (one search,
    /// which skips the fields without it) and follows the rest byte by
    /// byte to the end of that field (fields are short; a call to a
    /// searcher per letter costs more than reading them); any other
    /// query letter by letter.
    fn in_one_field(&self, key: &[u8]) -> bool {
        let q = self.text.as_bytes();
        let Some((&first, rest)) = q.split_first().filter(|_| q.is_ascii()) else {
            return in_one_field(&self.text, key);
        };
        let mut pos = 0;
        while let Some(p) = memchr(first, &key[pos..]) {
            let mut i = pos + p + 1;
            let mut got = 0;
            while got < rest.len() && i < key.len() {
                let b = key[i];
                if b == SEP_BYTE {
                    break;
                }
                got += usize::from(b == rest[got]);
                i += 1;
            }
            if got == rest.len() {
                return true;
            }
            pos = i;
        }
        false
    }

    /// The best score of the query appearing as typed in the key.
    pub(super) fn typed(&self, bytes: &[u8]) -> Option<i64> {
        let mut best: Option<i64> = None;
        for p in self.finder.find_iter(bytes) {
            let score = score_at(bytes, p, self.text.len(), self.several);
            if best.is_none_or(|b| score > b) {
                best = Some(score);
            }
            if score == TOP {
                break;
            }
        }
        best
    }

    /// Its substring searcher.
    pub(super) fn finder(&self) -> &Finder<'static> {
        &self.finder
    }

    /// More than one character.
    pub(super) fn several(&self) -> bool {
        self.several
    }

    /// A single word read only as typed (no Chinese read as pinyin): its
    /// matches as typed hold those of every longer such word it starts,
    /// and it matches nothing else but its letters in order in a field.
    pub(super) fn is_plain(&self) -> bool {
        self.words.is_empty() && self.readings.is_empty() && !self.text.is_empty()
    }

    /// Placed from the masks alone (one ASCII letter or digit).
    pub(super) fn is_single(&self) -> bool {
        self.single
    }

    /// Its words, when it has several.
    pub(super) fn words(&self) -> &[Query] {
        &self.words
    }

    /// Whether it is also read as pinyin (it mixes Chinese and Latin).
    pub(super) fn has_readings(&self) -> bool {
        !self.readings.is_empty()
    }

    /// Its characters' bits (see [`query_mask`]).
    pub(super) fn mask(&self) -> u64 {
        self.mask
    }

    pub(super) fn is_exact(&self) -> bool {
        self.exact
    }
}

/// Classifies a key for a normalized query; `None` when it does not match.
/// (For many keys, prepare the [`Query`] once.)
pub fn classify(key: &str, query: &str) -> Option<Match> {
    Query::new(query).classify(key)
}

/// Whether the query's characters appear in order within one field of the
/// key. Each field is read from the query's first character on: the
/// earliest one of a field is the best start, so when the rest does not
/// follow it inside the field, the search goes on at the next field.
fn in_one_field(query: &str, key: &[u8]) -> bool {
    let mut chars = query.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let mut first_buf = [0u8; 4];
    let first = first.encode_utf8(&mut first_buf).as_bytes();
    let rest = chars.as_str();
    let mut buf = [0u8; 4];
    let mut pos = 0;
    while let Some(p) = find_char(first, &key[pos..]) {
        let start = pos + p + first.len();
        let end = memchr(SEP_BYTE, &key[start..]).map_or(key.len(), |e| start + e);
        let mut at = start;
        let follows = rest.chars().all(|c| {
            let c = c.encode_utf8(&mut buf).as_bytes();
            find_char(c, &key[at..end]).map(|o| at += o + c.len()).is_some()
        });
        if follows {
            return true;
        }
        pos = end;
    }
    false
}

/// Where a character (its UTF-8 bytes) first appears in `hay`; UTF-8 never
/// finds one inside another.
fn find_char(c: &[u8], hay: &[u8]) -> Option<usize> {
    match c {
        [b] => memchr(*b, hay),
        c => memchr::memmem::find(hay, c),
    }
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
#[path = "matching_tests.rs"]
mod tests;
