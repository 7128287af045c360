//! A query of several words (`li na`) answered from what each word matches
//! (the masks, an earlier search, one scan of the arena per word) instead
//! of reading every key for each word.

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

use fuzzy_matcher::skim::SkimMatcherV2;

use super::Index;
use super::matching::{Masks, NO_TIER, Query, Tiers, class_score, matcher, pack_tier, unpack_tier};
use super::place::{score_code, together_score, words_score};
use super::scan::NARROW_BELOW;

const SCATTERED: i32 = super::matching::SCATTERED_TIER;

/// The most words of a query of several looked for in the arena.
const MAX_WORD_SCANS: usize = 3;

/// What is known of one word of a query of several for every entry.
enum Word<'a> {
    /// One letter or digit (its bit), placed from the masks.
    Single(u64),
    /// Each entry's tier for the word.
    Tiers(std::borrow::Cow<'a, [u8]>),
    /// A word that must appear as typed, looked for in each candidate's
    /// key: the candidates are few.
    Keyed(&'a Query),
}

/// Every entry's tier, [`NO_TIER`] to begin with; written by several
/// cores at once.
fn no_tiers(index: &Index) -> Vec<AtomicU8> {
    (0..index.len()).map(|_| AtomicU8::new(pack_tier(NO_TIER))).collect()
}

fn tiers_of(tiers: Vec<AtomicU8>) -> Tiers {
    tiers.into_iter().map(AtomicU8::into_inner).collect()
}

/// Every entry's tier for a query as typed, [`NO_TIER`] where it is not.
fn typed_tiers(index: &Index, query: &Query) -> Tiers {
    let tiers = no_tiers(index);
    // Each entry is written once, by the core whose part holds its key.
    super::scan::typed_each(index, query, |i, t| tiers[i as usize].store(pack_tier(t), Relaxed));
    tiers_of(tiers)
}

/// [`typed_tiers`] of the last word of a query of several, and of the
/// whole query as typed (its words together), from one scan.
fn typed_tiers_last(index: &Index, query: &Query, word: &Query) -> (Tiers, Tiers) {
    let before = &query.text().as_bytes()[..query.text().len() - word.text().len()];
    let (tiers, together) = (no_tiers(index), no_tiers(index));
    super::scan::typed_each_after(index, word, before, |i, t, both| {
        tiers[i as usize].store(pack_tier(t), Relaxed);
        if let Some(both) = both {
            together[i as usize].store(pack_tier(both), Relaxed);
        }
    });
    (tiers_of(tiers), tiers_of(together))
}

/// The matches of a query of several words without reading a key for
/// each word, when what each word matches is known without it: a single
/// letter (from the masks), a word searched alone before (`li` while typing
/// `li na`), or a word that must appear as typed, found in the whole arena
/// at once. A key where the words together appear as typed (`lina`) holds
/// every word as typed, so that is looked for only among the keys every
/// word matches: key by key when they are few, else in the whole arena.
/// The same answer as classifying each key (a test compares them); `None`
/// when some word needs its keys read (a fuzzy one not searched before, or
/// one read as pinyin).
///
/// With `typed_only`, only the matches where every word (or the words
/// together) appears as typed, those listed before any fuzzy one: every
/// word not known is looked for as typed in the arena, whatever its
/// length, and `known` holds each word's tiers as typed.
pub(super) fn by_words(
    index: &Index,
    query: &Query,
    known: &[Option<Tiers>],
    candidates: Option<&[(u32, i32)]>,
    typed_only: bool,
) -> Option<Vec<(u32, i32)>> {
    if query.words().len() < 2 || query.has_readings() {
        return None;
    }
    // Among few candidates (an earlier query's matches: `li na` while
    // typing `li na bei`), a word not known is looked for in their keys:
    // reading a few thousand keys costs less than a scan of the arena.
    let keyed = candidates.is_some_and(|c| c.len() < index.len() / NARROW_BELOW);
    // Each word looked for in the arena costs a scan of it and a tier for
    // every entry: a query of many words (pasted text) is read key by key,
    // where a key lacking one of its letters ends at once.
    let scans = (query.words().iter().enumerate())
        .filter(|(n, w)| !matches!(known.get(*n), Some(Some(_))) && !w.is_single())
        .count();
    if !keyed && scans > MAX_WORD_SCANS {
        return None;
    }
    let mut words = Vec::new();
    // The words together as typed, when the scan of the last word found
    // them.
    let mut together = None;
    let last = query.words().len() - 1;
    for (n, w) in query.words().iter().enumerate() {
        words.push(match known.get(n) {
            Some(Some(t)) => Word::Tiers(t.as_slice().into()),
            _ if w.is_single() => Word::Single(w.mask()),
            _ if w.is_plain() && (w.is_exact() || typed_only) && keyed => Word::Keyed(w),
            _ if w.is_plain() && (w.is_exact() || typed_only) && n == last => {
                let (tiers, both) = typed_tiers_last(index, query, w);
                together = Some(both);
                Word::Tiers(tiers.into())
            }
            _ if w.is_plain() && (w.is_exact() || typed_only) => Word::Tiers(typed_tiers(index, w).into()),
            _ => return None,
        });
    }
    // Words read from the keys last: a key another word rules out is not
    // read.
    words.sort_by_key(|w| matches!(w, Word::Keyed(_)));
    let qmask = query.mask();
    // A key every word matches holds every letter of the query: its masks
    // (24 bytes an entry, more memory than the tiers) are read only for a
    // word of one letter, placed from them.
    let singles = words.iter().any(|w| matches!(w, Word::Single(_)));
    // Each key every word matches, with the worst of the words' tiers.
    let one = |_: &SkimMatcherV2, i: u32| {
        let masks = if singles {
            index.masks[i as usize]
        } else {
            Masks::default()
        };
        if singles && masks.chars() & qmask != qmask {
            return None;
        }
        let (mut worst, mut codes) = (i32::MAX, 0);
        let mut scattered = false;
        for w in &words {
            let t = match w {
                Word::Single(bit) => masks.class(*bit).map_or(NO_TIER, |c| class_score(c) as i32),
                Word::Tiers(t) => unpack_tier(t[i as usize]),
                Word::Keyed(w) => index.typed_at(i, w).map_or(NO_TIER, |t| t as i32),
            };
            match t {
                NO_TIER => return None,
                SCATTERED => scattered = true,
                t => {
                    worst = worst.min(t);
                    codes += i64::from(score_code(i64::from(t)));
                }
            }
        }
        Some((
            i,
            if scattered {
                SCATTERED
            } else {
                words_score(i64::from(worst), codes) as i32
            },
        ))
    };
    let reads = words.iter().any(|w| matches!(w, Word::Keyed(_)));
    let mut found = match candidates {
        // Each key asked for a few candidates ahead of its reading.
        Some(c) if reads => {
            crate::par::filter_map_ahead(c, matcher, |&(i, _)| index.ask_key(i), |m, &(i, _)| one(m, i))
        }
        Some(c) => crate::par::filter_map(c, matcher, |m, &(i, _)| one(m, i)),
        None => crate::par::filter_map_range(index.len() as u32, matcher, one),
    };
    if let Some(together) = together {
        set_together(&mut found, &together);
    } else if found.len() < index.len() / NARROW_BELOW {
        let together = crate::par::filter_map_ahead(
            &found,
            || (),
            |&(i, _)| index.ask_key(i),
            |_, &(i, _)| index.typed_at(i, query).map(|t| (i, together_score(t) as i32)),
        );
        let mut k = 0;
        for (i, t) in found.iter_mut() {
            if let Some(&(j, s)) = together.get(k)
                && j == *i
            {
                *t = s;
                k += 1;
            }
        }
    } else {
        set_together(&mut found, &typed_tiers(index, query));
    }
    Some(found)
}

/// Each found entry's tier is that of the words together as typed, where
/// they are.
fn set_together(found: &mut [(u32, i32)], together: &[u8]) {
    for (i, t) in found.iter_mut() {
        let typed = unpack_tier(together[*i as usize]);
        if typed != NO_TIER {
            *t = together_score(i64::from(typed)) as i32;
        }
    }
}
