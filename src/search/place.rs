//! What a match as typed scores: the field it is in, and where in it.
//! Shared by the search of each key and the scan of the whole arena.

use memchr::memrchr;

use crate::domain::searchkey::{ALT, FIELD_SEP, FieldKind, is_kind_byte};

/// Every match as typed scores at least this.
pub const TYPED: i64 = 10_000;
const KIND_STEP: i64 = 1000;
pub const WHOLE_FIELD: i64 = 300;
pub const START: i64 = 200;
pub const INSIDE: i64 = 100;
/// A match in the preferred reading of a Chinese field.
const PREFERRED: i64 = 50;
pub(super) const SEP_BYTE: u8 = FIELD_SEP as u8;

/// The score of a match as typed in a field of `kind` at `place`
/// ([`WHOLE_FIELD`], [`START`] or [`INSIDE`]).
pub fn typed_score(kind: FieldKind, alt: bool, place: i64) -> i64 {
    TYPED + kind as i64 * KIND_STEP + place + if alt { 0 } else { PREFERRED }
}

/// The field a typed score was found in.
pub fn score_kind(score: i64) -> Option<FieldKind> {
    (score >= TYPED)
        .then(|| FieldKind::of_byte(((score - TYPED) / KIND_STEP) as u8))
        .flatten()
}

/// A score as typed in one byte: its field's kind and its place with its
/// reading, which are multiples of 50 below [`KIND_STEP`] (see
/// [`typed_score`]). At most 47: [`code_score`] reads it back.
pub(super) fn score_code(score: i64) -> u8 {
    let rest = score - TYPED;
    ((rest / KIND_STEP) * 8 + (rest % KIND_STEP) / 50) as u8
}

/// The score [`score_code`] made `code` of.
pub(super) fn code_score(code: u8) -> i64 {
    TYPED + i64::from(code / 8) * KIND_STEP + i64::from(code % 8) * 50
}

const _: () = assert!(
    WHOLE_FIELD + PREFERRED < 8 * 50
        && WHOLE_FIELD % 50 == 0
        && START % 50 == 0
        && INSIDE % 50 == 0
        && PREFERRED % 50 == 0
);

/// A match of a query of several words scores its worst word's score
/// first, then the sum of every word's place (see [`score_code`]): `li na
/// bei jing` lists 李娜 at 北京福盛 (`li` starting the name) before 白丽娜 at
/// 北京福达 (`li` inside it), where only the worst word (`jing` inside the
/// company) made them equal.
const WORDS_STEP: i64 = 1 << 12;

/// The score of a match of several words: the worst of the words' scores
/// as typed, and the sum of their codes.
pub(super) fn words_score(worst: i64, codes: i64) -> i64 {
    worst * WORDS_STEP + codes.min(WORDS_STEP - 1)
}

/// The score of a query of several words found as typed with its words
/// together (`lina` for `li na`): its own score, above the words apart
/// at that score.
pub(super) fn together_score(score: i64) -> i64 {
    words_score(score, WORDS_STEP - 1)
}

const _: () = assert!(TOP * WORDS_STEP + WORDS_STEP < i32::MAX as i64);

/// The best score a match as typed can have: the whole name.
pub(super) const TOP: i64 = TYPED + FieldKind::Name as i64 * KIND_STEP + WHOLE_FIELD + PREFERRED;

/// The score of a query of `len` bytes found as typed at `p` in `key`:
/// the field it is in (its kind byte follows its separator), and whether
/// it is the whole field, at the start of the field or of a word, or
/// inside.
pub(super) fn score_at(key: &[u8], p: usize, len: usize, several: bool) -> i64 {
    let kind_at = memrchr(SEP_BYTE, &key[..p]).map_or(0, |s| s + 1);
    score_in_field(key, kind_at, p, len, several)
}

/// [`score_at`] where the field's start is known: `kind_at` is just after
/// the last separator before `p` (0 when there is none).
pub(super) fn score_in_field(key: &[u8], kind_at: usize, p: usize, len: usize, several: bool) -> i64 {
    let end = p + len;
    let kb = key.get(kind_at).copied().unwrap_or(0);
    let (kind, alt, text_at) = match FieldKind::of_byte(kb) {
        Some(k) if is_kind_byte(kb) => (k, kb & ALT != 0, kind_at + 1),
        _ => (FieldKind::Tag, false, kind_at),
    };
    let at_start = p == text_at;
    let starts = at_start || key[p - 1] == b' ';
    let whole = at_start && (end == key.len() || key[end] == SEP_BYTE);
    let place = if whole && several {
        WHOLE_FIELD
    } else if starts {
        START
    } else {
        INSIDE
    };
    typed_score(kind, alt, place)
}
