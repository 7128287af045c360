//! The in-memory search index over every customer and the fuzzy search on
//! it (fuzzy-matcher's skim scorer over precomputed keys). Built on a worker
//! thread at start; each keystroke only re-scores what can still match:
//! a longer query narrows the previous matches, a backspace restores the
//! cached earlier result, a byte-subsequence test rejects cheaply before
//! scoring, scoring is split across cores, and only the rows on screen are
//! sorted until the user scrolls past them.

mod matching;
mod results;

use std::cmp::Ordering;

use chrono::NaiveDate;

pub use matching::{Match, classify, is_exact, is_subsequence, matcher, normalize_query, score};
pub use results::{Results, Searcher, rank_keys};

use crate::domain::cadence::{Cadence, Due};
use crate::domain::customer::{Grade, Status};
use crate::storage::CustomerRow;

/// The list orders the user can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    /// Longest without contact first (never contacted at the top).
    LastContact,
    /// Most overdue first.
    NextDue,
    /// A first, then by name.
    Grade,
}

impl SortBy {
    pub const ALL: [SortBy; 4] = [SortBy::Name, SortBy::LastContact, SortBy::NextDue, SortBy::Grade];

    pub fn next(self) -> SortBy {
        SortBy::ALL[(self as usize + 1) % 4]
    }

    pub fn key(self) -> &'static str {
        match self {
            SortBy::Name => "sort.name",
            SortBy::LastContact => "sort.last_contact",
            SortBy::NextDue => "sort.next_due",
            SortBy::Grade => "sort.grade",
        }
    }
}

/// One customer as the list shows it, kept compact: 100k of these must fit
/// in a few tens of megabytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub name: Box<str>,
    pub company: Box<str>,
    pub grade: Grade,
    pub status: Status,
    pub last_contact: Option<NaiveDate>,
    pub next_due: Due,
    key: Box<str>,
    sort_key: Box<str>,
    /// Letters and digits present in the key, one bit each.
    chars: u64,
    /// Letters and digits that start a field or a word of the key.
    starts: u64,
}

/// The bit of an ASCII letter or digit (keys are lower-cased).
fn ascii_bit(b: u8) -> Option<u64> {
    match b {
        b'a'..=b'z' => Some(1 << (b - b'a')),
        b'0'..=b'9' => Some(1 << (26 + b - b'0')),
        _ => None,
    }
}

/// The presence and start masks of a key.
fn masks(key: &str) -> (u64, u64) {
    let (mut chars, mut starts) = (0u64, 0u64);
    let mut prev: Option<u8> = None;
    for &b in key.as_bytes() {
        if let Some(bit) = ascii_bit(b) {
            chars |= bit;
            if matches!(prev, None | Some(matching::SEP_BYTE) | Some(b' ')) {
                starts |= bit;
            }
        }
        prev = Some(b);
    }
    (chars, starts)
}

/// Bits of the query's ASCII letters and digits.
pub fn query_mask(q: &str) -> u64 {
    q.bytes().filter_map(ascii_bit).fold(0, |m, b| m | b)
}

impl Entry {
    pub fn from_row(r: CustomerRow, cadence: &Cadence) -> Entry {
        let next_due = cadence.due_for(r.status, r.grade, r.last_call, r.last_visit, r.created);
        let (chars, starts) = masks(&r.search_key);
        Entry {
            chars,
            starts,
            id: r.id,
            name: r.name.into(),
            company: r.company.into(),
            grade: r.grade,
            status: r.status,
            last_contact: r.last_contact,
            next_due,
            key: r.search_key.into(),
            sort_key: r.sort_key.into(),
        }
    }

    pub fn search_key(&self) -> &str {
        &self.key
    }

    /// The name order key (pinyin for Chinese names).
    pub fn sort_key(&self) -> &str {
        &self.sort_key
    }

    /// The same answer as [`classify`] on this entry's key, from the
    /// precomputed masks where they suffice: a key lacking one of the
    /// query's letters is rejected without reading it, and a single letter
    /// or digit is placed without reading the key at all.
    pub fn classify(&self, query: &str, qmask: u64) -> Option<Match> {
        if self.chars & qmask != qmask {
            return None;
        }
        if query.len() == 1 && qmask != 0 {
            return Some(Match::Typed(if self.starts & qmask != 0 {
                matching::START
            } else {
                matching::INSIDE
            }));
        }
        classify(&self.key, query)
    }
}

fn compare(a: &Entry, b: &Entry, by: SortBy) -> Ordering {
    let name = || a.sort_key.cmp(&b.sort_key);
    match by {
        SortBy::Name => name(),
        SortBy::LastContact => a.last_contact.cmp(&b.last_contact).then_with(name),
        SortBy::NextDue => a.next_due.cmp(&b.next_due).then_with(name),
        SortBy::Grade => a.grade.cmp(&b.grade).then_with(name),
    }
}

/// Every customer, with the four list orders precomputed.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    orders: [Vec<u32>; 4],
    /// `ranks[s][i]`: position of entry `i` in order `s` (search tie-break).
    ranks: [Vec<u32>; 4],
    /// Bumped on every change, so cached search results are never stale.
    generation: u64,
}

impl Index {
    pub fn build(rows: Vec<CustomerRow>, cadence: &Cadence) -> Index {
        Index::from_entries(rows.into_iter().map(|r| Entry::from_row(r, cadence)).collect())
    }

    /// Builds the index from every customer of the database file, reading
    /// rows one at a time.
    pub fn load(path: &std::path::Path, cadence: &Cadence) -> crate::storage::Result<Index> {
        let mut entries = Vec::new();
        crate::storage::for_each_row(path, |r, total| {
            entries.reserve_exact(total.saturating_sub(entries.len()));
            entries.push(Entry::from_row(r, cadence))
        })?;
        Ok(Index::from_entries(entries))
    }

    fn from_entries(entries: Vec<Entry>) -> Index {
        let mut index = Index {
            entries,
            ..Index::default()
        };
        for by in SortBy::ALL {
            let mut order: Vec<u32> = (0..index.entries.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| index.cmp_idx(a, b, by));
            index.orders[by as usize] = order;
        }
        index.rebuild_ranks();
        index
    }

    fn cmp_idx(&self, a: u32, b: u32, by: SortBy) -> Ordering {
        compare(&self.entries[a as usize], &self.entries[b as usize], by).then(a.cmp(&b))
    }

    fn rebuild_ranks(&mut self) {
        for by in SortBy::ALL {
            let order = &self.orders[by as usize];
            let mut rank = vec![0u32; order.len()];
            for (pos, &i) in order.iter().enumerate() {
                rank[i as usize] = pos as u32;
            }
            self.ranks[by as usize] = rank;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }

    pub fn position_of(&self, id: i64) -> Option<u32> {
        self.entries.iter().position(|e| e.id == id).map(|p| p as u32)
    }

    pub fn order(&self, by: SortBy) -> &[u32] {
        &self.orders[by as usize]
    }

    /// `rank(s)[i]`: position of entry `i` in order `s`.
    pub fn rank(&self, by: SortBy) -> &[u32] {
        &self.ranks[by as usize]
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Adds or replaces one customer after a write, keeping every order.
    pub fn upsert(&mut self, entry: Entry) {
        let idx = match self.position_of(entry.id) {
            Some(i) => {
                self.entries[i as usize] = entry;
                for order in &mut self.orders {
                    if let Some(p) = order.iter().position(|&x| x == i) {
                        order.remove(p);
                    }
                }
                i
            }
            None => {
                self.entries.push(entry);
                (self.entries.len() - 1) as u32
            }
        };
        for by in SortBy::ALL {
            let mut order = std::mem::take(&mut self.orders[by as usize]);
            let pos = order.partition_point(|&x| self.cmp_idx(x, idx, by) == Ordering::Less);
            order.insert(pos, idx);
            self.orders[by as usize] = order;
        }
        self.rebuild_ranks();
        self.generation += 1;
    }
}

#[cfg(test)]
mod tests;
