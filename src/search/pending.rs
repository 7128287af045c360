//! A keystroke that matches a third of the book shows one screen of it.
//! Its matches are not made into rows (8 bytes each, a list the size of
//! the matches, on both cores) and the first ones chosen from those: the
//! first screen is chosen from the matches as they are, each core keeping
//! its best few as it reads, and the rows are made only when the list is
//! scrolled past that screen.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::matching::SCATTERED_TIER;

/// `(score, rank)`: a match's score and its entry's place in the order
/// the rows are ranked by (name order for matches), 8 bytes: a third of a
/// million customers may match.
pub(super) type Row = (Reverse<i32>, u32);

/// Matches of a query whose rows are not made yet.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    /// `None` for a query of two letters or digits answered from
    /// [`super::screens`]: found when the rows are made.
    pub(super) hits: Option<std::sync::Arc<Vec<(u32, i32)>>>,
    /// How many of them match as typed, and how many only fuzzily.
    pub(super) typed: usize,
    pub(super) scattered: usize,
}

/// Rows sorted eagerly (more than a screen); the rest only when scrolled to.
pub(super) const EAGER_ROWS: usize = 64;

/// Matches from which the first rows are chosen without making every row
/// (four screens: below that, making them costs no more).
pub(super) const PENDING_FROM: usize = 256;

/// Rows (or matches) from which the first ones are chosen on both cores.
pub(super) const APART_FROM: usize = 32_768;

/// The first `k` rows (sorted) of the matches as typed among `hits`,
/// entry `i` ranked `rank[i]`, and the matches, counted.
pub(super) fn first_of(rank: &[u32], hits: std::sync::Arc<Vec<(u32, i32)>>, k: usize) -> (Vec<Row>, Pending) {
    // The `k` best rows of a part, and its counts of typed and fuzzy hits.
    let best = |part: &[(u32, i32)]| {
        let mut heap: BinaryHeap<Row> = BinaryHeap::with_capacity(k + 1);
        let mut typed = 0;
        for &(i, tier) in part {
            if tier == SCATTERED_TIER {
                continue;
            }
            typed += 1;
            let row = (Reverse(tier), rank[i as usize]);
            if heap.len() < k {
                heap.push(row);
            } else if let Some(mut worst) = heap.peek_mut()
                && row < *worst
            {
                *worst = row;
            }
        }
        (heap.into_vec(), typed)
    };
    let (low, high) = hits.split_at(if hits.len() >= APART_FROM {
        hits.len() / 2
    } else {
        hits.len()
    });
    let halves = [low, high];
    let mut rows = Vec::new();
    let mut typed = 0;
    for (best, n) in crate::par::parts(if high.is_empty() { 1 } else { 2 }, |h| best(halves[h])) {
        rows.extend(best);
        typed += n;
    }
    rows.sort_unstable();
    rows.truncate(k);
    let pending = Pending {
        scattered: hits.len() - typed,
        typed,
        hits: Some(hits),
    };
    (rows, pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_rows_of_the_matches_are_those_of_every_row_sorted() {
        let mut seed = 11u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        };
        // Below a screen, one core, and both cores.
        for n in [10u32, 300, 40_000, 100_001] {
            let rank: Vec<u32> = (0..n).map(|i| i.wrapping_mul(2_654_435_761) % n).collect();
            let mut hits: Vec<(u32, i32)> = Vec::new();
            for i in 0..n {
                let r = next();
                if r % 3 != 0 {
                    let tier = if r % 5 == 0 {
                        SCATTERED_TIER
                    } else {
                        10_000 + (r / 15 % 7) as i32 * 50
                    };
                    hits.push((i, tier));
                }
            }
            let mut all: Vec<Row> = hits
                .iter()
                .filter(|h| h.1 != SCATTERED_TIER)
                .map(|&(i, t)| (Reverse(t), rank[i as usize]))
                .collect();
            all.sort_unstable();
            let (first, pending) = first_of(&rank, std::sync::Arc::new(hits.clone()), 64);
            assert_eq!(first, all[..all.len().min(64)], "{n} entries");
            assert_eq!(pending.typed, all.len());
            assert_eq!(pending.scattered, hits.len() - all.len());
        }
    }
}
