//! The first screens of the queries of two letters or digits
//! ([`crate::search::screens`]) against what each key holds and what a
//! search that reads every key lists, through the edits the app makes.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::{book, edited, listed, reference, typed_key_by_key};
use crate::domain::cadence::Cadence;
use crate::search::matching::Query;
use crate::search::pending::Row;
use crate::search::place::score_at;
use crate::search::scan::typed_everywhere;
use crate::search::screens::{KEPT, pair_of};
use crate::search::{Index, Searcher, SortBy};

const SYMBOLS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Every pair's matches: each key's every place of it scored on its own.
fn each_key(index: &Index) -> HashMap<usize, Vec<(u32, i32)>> {
    let mut best: HashMap<(usize, u32), i32> = HashMap::new();
    for i in 0..index.len() as u32 {
        let key = index.key(i).as_bytes();
        for p in 0..key.len().saturating_sub(1) {
            if let Some(pair) = pair_of(&key[p..p + 2]) {
                let s = score_at(key, p, 2, true) as i32;
                let b = best.entry((pair, i)).or_insert(s);
                *b = (*b).max(s);
            }
        }
    }
    let mut pairs: HashMap<usize, Vec<(u32, i32)>> = HashMap::new();
    for ((pair, i), s) in best {
        pairs.entry(pair).or_default().push((i, s));
    }
    pairs
}

/// Checks every pair's count and first screen (and every match, where the
/// screen holds them all) against each key; how many pairs an edit left
/// unknown.
pub(in crate::search) fn check_every_pair(index: &Index) -> usize {
    let each = each_key(index);
    let rank = index.name_rank();
    let mut unknown = 0;
    for &a in SYMBOLS {
        for &b in SYMBOLS {
            let q = [a, b];
            let pair = pair_of(&q).unwrap();
            let Some(screen) = index.screens.screen(pair, rank) else {
                unknown += 1;
                continue;
            };
            let mut hits = each.get(&pair).cloned().unwrap_or_default();
            let mut rows: Vec<Row> = hits.iter().map(|&(i, s)| (Reverse(s), rank[i as usize])).collect();
            rows.sort_unstable();
            let name = String::from_utf8_lossy(&q);
            assert_eq!(screen.count, hits.len(), "count of {name}");
            assert_eq!(screen.rows, rows[..rows.len().min(KEPT)], "first screen of {name}");
            match screen.all {
                Some(mut all) => {
                    all.sort_unstable();
                    hits.sort_unstable();
                    assert_eq!(all, hits, "every match of {name}");
                }
                None => assert!(hits.len() > KEPT, "{name}: every match is on the screen"),
            }
        }
    }
    unknown
}

#[test]
fn every_pairs_first_screen_is_what_each_key_holds_through_edits() {
    let cadence = Cadence::default();
    let rows = book(12_000, 1);
    let mut index = Index::build(rows.clone(), &cadence);
    assert_eq!(check_every_pair(&index), 0, "a new index knows every pair");
    // The arena's scan scores as each key does (`na`, `li`: a whole field
    // of two letters, a given name).
    let each = each_key(&index);
    for q in ["zh", "li", "na", "wa", "an", "13", "00"] {
        let mut hits = typed_everywhere(&index, &Query::new(q));
        hits.sort_unstable();
        let mut want = each[&pair_of(q.as_bytes()).unwrap()].clone();
        want.sort_unstable();
        assert_eq!(hits, want, "{q}");
        assert!(hits.len() > KEPT, "{q}");
    }
    let first_of = |index: &Index, q: &str| -> Vec<i64> {
        let screen = index
            .screens
            .screen(pair_of(q.as_bytes()).unwrap(), index.name_rank())
            .unwrap();
        let order = index.order(SortBy::Name);
        screen
            .rows
            .iter()
            .take(5)
            .map(|r| index.entry(order[r.1 as usize]).id)
            .collect()
    };
    // Saved again with the same key and name (another field edited): still
    // known.
    let li = first_of(&index, "li");
    index.upsert(rows[li[0] as usize - 1].clone(), &cadence);
    assert!(
        index
            .screens
            .screen(pair_of(b"li").unwrap(), index.name_rank())
            .is_some()
    );
    assert_eq!(check_every_pair(&index), 0);
    // The first of `zh` removed: `zh` is unknown (more match than it held).
    let zh = first_of(&index, "zh");
    assert!(index.remove(zh[0]));
    assert!(
        index
            .screens
            .screen(pair_of(b"zh").unwrap(), index.name_rank())
            .is_none()
    );
    // Customers renamed (some of them on a first screen), removed, added.
    for (n, mut row) in book(300, 20_000).into_iter().enumerate() {
        row.id = zh.get(1 + n).copied().unwrap_or(1 + (n as i64 * 37) % 12_000);
        index.upsert(row, &cadence);
    }
    for id in (5..12_000).step_by(401) {
        index.remove(id);
    }
    for row in book(50, 30_000) {
        index.upsert(row, &cadence);
    }
    let unknown = check_every_pair(&index);
    assert!(unknown > 0);
    // A search answers an unknown pair from the keys, and fills it again.
    let mut s = Searcher::default();
    for q in ["zh", "li", "wa", "an", "ng", "13"] {
        let want = reference(&index, q);
        let mut r = s.search(&index, q, SortBy::Name, true, None);
        assert_eq!(r.len(&index), want.len(), "count of {q}");
        assert_eq!(listed(&index, &mut r, want.len()), want, "{q}");
    }
    assert!(
        index
            .screens
            .screen(pair_of(b"zh").unwrap(), index.name_rank())
            .is_some()
    );
    assert!(check_every_pair(&index) < unknown, "the pairs searched are known again");
}

#[test]
fn a_pair_and_the_words_after_it_list_what_reading_every_key_lists() {
    // A large book, and a small one where a pair's first screen holds all
    // its matches.
    for index in [edited(), Index::build(book(300, 1), &Cadence::default())] {
        // With a space after the pair and without.
        let texts = ["zh", "zh ", "zh w", "li na", "li nan", "wa 13", "an", "13 li", "bj hl"];
        typed_key_by_key(&index, &texts);
    }
}
