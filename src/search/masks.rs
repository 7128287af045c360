//! What a search reads of one key before the key itself: which letters,
//! digits and other characters it holds, and where its letters and digits
//! stand (at a start, in the name), a few machine words for each key.

use crate::domain::searchkey::{FieldKind, is_kind_byte};
use crate::search::place::{INSIDE, SEP_BYTE, START, typed_score};

use super::{Known, Match, Query};

/// The bit of an ASCII letter or digit (keys are lower-cased).
fn ascii_bit(b: u8) -> Option<u64> {
    match b {
        b'a'..=b'z' => Some(1 << (b - b'a')),
        b'0'..=b'9' => Some(1 << (26 + b - b'0')),
        _ => None,
    }
}

/// Bits of [`Masks`]' `chars` standing for characters other than ASCII
/// (Chinese characters, mostly), each hashed onto one of them.
const OTHER_BITS: u32 = 64 - 36;

/// The bit of a character other than ASCII, from its UTF-8 bytes' hash.
fn other_bit(hash: u32) -> u64 {
    1 << (36 + hash % OTHER_BITS)
}

/// The character bits of a query: its ASCII letters and digits, and its
/// other characters hashed. A key lacking one of them cannot match.
pub fn query_mask(q: &str) -> u64 {
    Masks::of(q.as_bytes()).chars
}

/// [`Masks`] while a key is read.
#[derive(Default)]
struct Unpacked {
    chars: u64,
    starts: u64,
    name_chars: u64,
    name_starts: u64,
}

/// What a search reads of one key before reading the key itself.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(in crate::search) struct Masks {
    /// Letters and digits present in the key, one bit each, and its other
    /// characters, each hashed onto one of the remaining bits.
    chars: u64,
    /// Three masks of letters and digits only (36 bits each, see
    /// [`ascii_bit`]), one after another: those that start a field or a
    /// word of the key, then those in the name's fields, then those that
    /// start one of the name's words. 24 bytes in all, not 32: a million
    /// keys have them.
    places: [u64; 2],
}

const _: () = assert!(std::mem::size_of::<Masks>() == 24);

/// The bits of [`Masks`] standing for letters and digits.
const ASCII_MASK: u64 = (1 << 36) - 1;

/// Which of [`Masks`]' places.
const STARTS: u32 = 0;
const NAME_CHARS: u32 = 1;
const NAME_STARTS: u32 = 2;

impl Masks {
    fn new([chars, starts, name_chars, name_starts]: [u64; 4]) -> Masks {
        let p = u128::from(starts & ASCII_MASK)
            | u128::from(name_chars & ASCII_MASK) << 36
            | u128::from(name_starts & ASCII_MASK) << 72;
        Masks {
            chars,
            places: [p as u64, (p >> 64) as u64],
        }
    }

    fn place(self, which: u32) -> u64 {
        let p = u128::from(self.places[0]) | u128::from(self.places[1]) << 64;
        (p >> (36 * which)) as u64 & ASCII_MASK
    }

    pub(in crate::search) fn of(key: &[u8]) -> Masks {
        let mut m = Unpacked::default();
        let mut prev: u8 = SEP_BYTE;
        let mut in_name = false;
        // The hash of the character other than ASCII being read.
        let mut other: Option<u32> = None;
        for &b in key {
            if b & 0xc0 == 0x80 {
                if let Some(h) = &mut other {
                    *h = h.wrapping_mul(31).wrapping_add(u32::from(b));
                }
                continue;
            }
            if let Some(h) = other.take() {
                m.chars |= other_bit(h);
            }
            if b >= 0xc0 {
                other = Some(u32::from(b));
            } else if is_kind_byte(b) && prev == SEP_BYTE {
                in_name = FieldKind::of_byte(b) == Some(FieldKind::Name);
            } else if let Some(bit) = ascii_bit(b) {
                let start = is_kind_byte(prev) || prev == b' ' || prev == SEP_BYTE;
                m.chars |= bit;
                if start {
                    m.starts |= bit;
                }
                if in_name {
                    m.name_chars |= bit;
                    if start {
                        m.name_starts |= bit;
                    }
                }
            }
            prev = b;
        }
        if let Some(h) = other {
            m.chars |= other_bit(h);
        }
        Masks::new([m.chars, m.starts, m.name_chars, m.name_starts])
    }

    /// The characters the key holds (see [`query_mask`]).
    pub(in crate::search) fn chars(self) -> u64 {
        self.chars
    }

    /// The four masks as words, to be kept in a file.
    pub(in crate::search) fn words(self) -> [u64; 4] {
        [
            self.chars,
            self.place(STARTS),
            self.place(NAME_CHARS),
            self.place(NAME_STARTS),
        ]
    }

    pub(in crate::search) fn from_words(w: [u64; 4]) -> Masks {
        Masks::new(w)
    }

    /// A single letter or digit is placed from the masks alone: in the name
    /// or elsewhere, at the start of a field or word or inside one.
    pub(in crate::search) fn single(self, bit: u64) -> Option<Match> {
        self.class(bit).map(|c| Match::Typed(class_score(c)))
    }

    /// The class of a single letter or digit (its bit) in this key, best
    /// first: 0 at the start of a word of the name, 1 inside the name, 2 at
    /// the start of another field or word, 3 inside one.
    pub(in crate::search) fn class(self, bit: u64) -> Option<u8> {
        if self.place(NAME_STARTS) & bit != 0 {
            Some(0)
        } else if self.place(NAME_CHARS) & bit != 0 {
            Some(1)
        } else if self.place(STARTS) & bit != 0 {
            Some(2)
        } else if self.chars & bit != 0 {
            Some(3)
        } else {
            None
        }
    }

    /// The same answer as [`Query::classify`] on the key, from the masks
    /// where they suffice: a key lacking one of the query's letters is
    /// rejected without reading it, and a single letter or digit is placed
    /// without reading the key at all. `key` is read only when needed.
    pub(in crate::search) fn classify<'k>(
        self,
        query: &Query,
        key: impl FnOnce() -> &'k [u8],
        known: Option<Known<'_>>,
    ) -> Option<Match> {
        let qmask = query.mask;
        if self.chars & qmask != qmask {
            return None;
        }
        if query.single {
            return self.single(qmask);
        }
        query.classify_in(key(), Some(self), known)
    }
}

/// The score of a single letter or digit of [class](Masks::class) `c`.
pub(in crate::search) fn class_score(c: u8) -> i64 {
    match c {
        0 => typed_score(FieldKind::Name, false, START),
        1 => typed_score(FieldKind::Name, false, INSIDE),
        2 => typed_score(FieldKind::Phone, false, START),
        _ => typed_score(FieldKind::Phone, false, INSIDE),
    }
}
