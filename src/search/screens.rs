//! The first screen of every query of two letters or digits (`zh`, `li`,
//! `13`), and how many customers it matches, kept beside the index. The
//! second key of almost every search is such a query, and was the slowest:
//! it matches up to a third of the book, so the key arena holds it hundreds
//! of thousands of times. The table answers it at once; the rest of its
//! matches are found only when the list is scrolled past the first screen,
//! or a longer query needs them.
//!
//! Built with the index (one pass over every key, on every core), kept up to
//! date by each edit, 1,296 pairs of at most a screen each: under a megabyte.
//! A pair whose screen an edit leaves unknown (a customer on it removed while
//! more match than it holds) is answered by a scan again, which refills it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use super::Index;
use super::pending::Row;
use super::place::{INSIDE, SEP_BYTE, START, WHOLE_FIELD, typed_score};
use crate::domain::searchkey::{ALT, FieldKind, is_kind_byte};

/// Letters and digits: the bytes of a pair.
const SYMBOLS: usize = 36;
const PAIRS: usize = SYMBOLS * SYMBOLS;

/// The matches of a pair kept in order: a screen of them.
pub(super) const KEPT: usize = super::pending::EAGER_ROWS;

/// A byte's place among [`SYMBOLS`] (keys are lower-cased).
const fn symbol(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some((b - b'a') as usize),
        b'0'..=b'9' => Some(26 + (b - b'0') as usize),
        _ => None,
    }
}

/// Not one of [`SYMBOLS`], in [`SYMBOL_OF`].
const NOT_SYMBOL: u8 = u8::MAX;

/// Every byte's [`symbol`], read once per byte of a million keys.
static SYMBOL_OF: [u8; 256] = {
    let mut t = [NOT_SYMBOL; 256];
    let mut b = 0;
    while b < 256 {
        if let Some(s) = symbol(b as u8) {
            t[b] = s as u8;
        }
        b += 1;
    }
    t
};

/// The pair a query is, when it is two letters or digits.
pub(super) fn pair_of(query: &[u8]) -> Option<usize> {
    match *query {
        [a, b] => Some(symbol(a)? * SYMBOLS + symbol(b)?),
        _ => None,
    }
}

/// One pair's matches: how many, and the best of them.
#[derive(Debug, Clone, Default)]
struct Pair {
    count: u32,
    /// `(entry, score)` of the best matches as typed (score first, then name
    /// order), at most [`KEPT`], in no order; every match when fewer.
    best: Vec<(u32, i32)>,
    /// An edit took one of `best` away while more matched: the next one is
    /// not known.
    unknown: bool,
}

/// Every pair's count and first screen.
#[derive(Debug, Default)]
pub(super) struct Screens {
    pairs: Mutex<Vec<Pair>>,
}

/// What [`Screens::screen`] answers: how many match, the first screen as
/// rows (score, then name rank), sorted, and every match when they are
/// all on it.
pub(super) struct Screen {
    pub(super) count: usize,
    pub(super) rows: Vec<Row>,
    pub(super) all: Option<Vec<(u32, i32)>>,
}

/// Each pair in `key` with its best score as typed (what a scan of the
/// arena gives the key for that query, see
/// [`super::place::score_in_field`]):
/// `best[pair]`, the pairs listed in `seen` (both reset by the caller).
fn pairs_in(key: &[u8], best: &mut [i32], seen: &mut Vec<u16>) {
    let mut from = 0;
    while from < key.len() {
        let end = memchr::memchr(SEP_BYTE, &key[from..]).map_or(key.len(), |e| from + e);
        if end > from {
            field_pairs(key, from..end, best, seen);
        }
        from = end + 1;
    }
}

/// [`pairs_in`] for the field at `kind_at..end` (its kind byte first): its
/// kind and reading worked out once, each pair's place from its
/// neighbours. Two characters are several: a field of just them is whole.
fn field_pairs(
    key: &[u8],
    std::ops::Range { start: kind_at, end }: std::ops::Range<usize>,
    best: &mut [i32],
    seen: &mut Vec<u16>,
) {
    let kb = key[kind_at];
    let (base, text_at) = match FieldKind::of_byte(kb) {
        Some(k) if is_kind_byte(kb) => (typed_score(k, kb & ALT != 0, 0), kind_at + 1),
        _ => (typed_score(FieldKind::Tag, false, 0), kind_at),
    };
    for p in text_at..end.saturating_sub(1) {
        let (a, b) = (SYMBOL_OF[usize::from(key[p])], SYMBOL_OF[usize::from(key[p + 1])]);
        if a == NOT_SYMBOL || b == NOT_SYMBOL {
            continue;
        }
        let place = if p == text_at {
            if p + 2 == end { WHOLE_FIELD } else { START }
        } else if key[p - 1] == b' ' {
            START
        } else {
            INSIDE
        };
        let pair = usize::from(a) * SYMBOLS + usize::from(b);
        let score = (base + place) as i32;
        if best[pair] == i32::MIN {
            seen.push(pair as u16);
        }
        best[pair] = best[pair].max(score);
    }
}

/// Calls `f` with each pair of `key` and its score.
fn each_pair(key: &[u8], mut f: impl FnMut(usize, i32)) {
    let mut best = vec![i32::MIN; PAIRS];
    let mut seen = Vec::new();
    pairs_in(key, &mut best, &mut seen);
    for &p in &seen {
        f(usize::from(p), best[usize::from(p)]);
    }
}

/// A match kept: its row (score, then name rank), and its entry.
type Kept = (Reverse<i32>, u32, u32);

/// The table of the entries `range`: counts and each pair's best rows.
fn part(index: &Index, range: std::ops::Range<usize>) -> (Vec<u32>, Vec<BinaryHeap<Kept>>) {
    let rank = index.name_rank();
    let mut counts = vec![0u32; PAIRS];
    let mut heaps: Vec<BinaryHeap<Kept>> = (0..PAIRS).map(|_| BinaryHeap::new()).collect();
    // Each pair's worst row kept once its heap is full (a row must beat
    // it), read before the heap: most rows are not kept.
    let mut bar = vec![(Reverse(i32::MIN), u32::MAX); PAIRS];
    let mut best = vec![i32::MIN; PAIRS];
    let mut seen = Vec::new();
    for i in range {
        pairs_in(index.key_bytes(i as u32), &mut best, &mut seen);
        for &p in &seen {
            let p = usize::from(p);
            counts[p] += 1;
            let row = (Reverse(best[p]), rank[i]);
            if row < bar[p] {
                offer(&mut heaps[p], (row.0, row.1, i as u32));
                if let Some(&(s, r, _)) = heaps[p].peek().filter(|_| heaps[p].len() == KEPT) {
                    bar[p] = (s, r);
                }
            }
            best[p] = i32::MIN;
        }
        seen.clear();
    }
    (counts, heaps)
}

/// Keeps `row` in `heap` when it is among the best [`KEPT`].
fn offer(heap: &mut BinaryHeap<Kept>, row: Kept) {
    if heap.len() < KEPT {
        heap.push(row);
    } else if let Some(mut worst) = heap.peek_mut()
        && row < *worst
    {
        *worst = row;
    }
}

impl Screens {
    /// The table of every entry of `index` (its name ranks made).
    pub(super) fn build(index: &Index) -> Screens {
        let n = index.len();
        let threads = crate::par::threads();
        let parts = if n < 65_536 { 1 } else { threads };
        let bounds: Vec<usize> = (0..=parts).map(|k| k * n / parts).collect();
        let mut tables = crate::par::parts(parts, |k| part(index, bounds[k]..bounds[k + 1])).into_iter();
        let (mut counts, mut heaps) = tables.next().unwrap_or_default();
        for (c, h) in tables {
            for (p, (count, heap)) in c.into_iter().zip(h).enumerate() {
                counts[p] += count;
                for row in heap {
                    offer(&mut heaps[p], row);
                }
            }
        }
        let pairs = (counts.into_iter().zip(heaps))
            .map(|(count, heap)| Pair {
                count,
                best: heap.into_iter().map(|(Reverse(s), _, i)| (i, s)).collect(),
                unknown: false,
            })
            .collect();
        Screens {
            pairs: Mutex::new(pairs),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Pair>> {
        self.pairs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The count and first screen of `pair`, `None` when not known (an
    /// empty table, or an edit left it unknown).
    pub(super) fn screen(&self, pair: usize, rank: &[u32]) -> Option<Screen> {
        let pairs = self.lock();
        let p = pairs.get(pair).filter(|p| !p.unknown)?;
        let mut rows: Vec<Row> = p.best.iter().map(|&(i, s)| (Reverse(s), rank[i as usize])).collect();
        rows.sort_unstable();
        Some(Screen {
            count: p.count as usize,
            rows,
            all: (p.count as usize == p.best.len()).then(|| p.best.clone()),
        })
    }

    /// Fills `pair` again, when an edit left it unknown, from every one of
    /// its matches (a search's `(entry, score)`; the fuzzy ones,
    /// [`super::matching::SCATTERED_TIER`], left out).
    pub(super) fn refill_unknown(&self, pair: usize, hits: &[(u32, i32)], rank: &[u32]) {
        let mut pairs = self.lock();
        let Some(p) = pairs.get_mut(pair).filter(|p| p.unknown) else {
            return;
        };
        let mut heap = BinaryHeap::new();
        let mut count = 0;
        for &(i, s) in hits.iter().filter(|h| h.1 != super::matching::SCATTERED_TIER) {
            count += 1;
            offer(&mut heap, (Reverse(s), rank[i as usize], i));
        }
        *p = Pair {
            count,
            best: heap.into_iter().map(|(Reverse(s), _, i)| (i, s)).collect(),
            unknown: false,
        };
    }

    /// Takes entry `i`, whose key was `key`, out of every pair it is in.
    pub(super) fn take_out(&self, i: u32, key: &[u8]) {
        let mut pairs = self.lock();
        if pairs.is_empty() {
            return;
        }
        each_pair(key, |p, _| {
            let pair = &mut pairs[p];
            pair.count = pair.count.saturating_sub(1);
            if let Some(at) = pair.best.iter().position(|b| b.0 == i) {
                pair.best.swap_remove(at);
                if pair.count as usize > pair.best.len() {
                    pair.unknown = true;
                }
            }
        });
    }

    /// Puts entry `i`, whose key is `key`, in every pair it is in (the
    /// name ranks are those with it).
    pub(super) fn put_in(&self, i: u32, key: &[u8], rank: &[u32]) {
        let mut pairs = self.lock();
        if pairs.is_empty() {
            return;
        }
        each_pair(key, |p, s| {
            let pair = &mut pairs[p];
            pair.count += 1;
            if pair.unknown {
                return;
            }
            let row = |&(e, s): &(u32, i32)| (Reverse(s), rank[e as usize]);
            if pair.best.len() < KEPT {
                pair.best.push((i, s));
            } else if let Some(worst) = (0..pair.best.len()).max_by_key(|&k| row(&pair.best[k]))
                && row(&(i, s)) < row(&pair.best[worst])
            {
                pair.best[worst] = (i, s);
            }
        });
    }

    /// Entry `from` is now entry `to` (the last one took a removed one's
    /// place).
    pub(super) fn renumber(&self, from: u32, to: u32) {
        for pair in self.lock().iter_mut() {
            for b in pair.best.iter_mut().filter(|b| b.0 == from) {
                b.0 = to;
            }
        }
    }
}
