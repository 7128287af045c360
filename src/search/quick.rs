//! `rapport find` in a book that keeps its index in a file (see
//! [`super::cache`]): the search keys are read from the file's first
//! sections (the key arena, spans, masks, id map and name ranks, mapped
//! into memory and each checked by its CRC) instead of from every row of
//! the customers table,
//! which at a million customers is half a gigabyte read for each lookup.
//! The customers changed since the file was written (the book's change
//! log says which) are searched from their rows as they are now.
//!
//! The matches come best first, ties in name order: matches as typed are
//! sorted at once, fuzzy ones (always ranked after) are scored by skim only
//! when the caller reads past the others.

use std::cmp::Reverse;
use std::fs::File;
use std::io;
use std::path::Path;

use super::cache::{MAX_CHANGES, masks_at, path_for, read_header};
use super::cache_io::{bad, u32_at, u64_at};
use super::matching::{self, Masks, Match, Query, fuzzy_score, matcher, normalize_query};
use crate::domain::cadence::Cadence;
use crate::storage::index_log::{self, Changes};

/// The parts of a kept index a search reads, in the file mapped into
/// memory: nothing is copied, and the pages come from the system's cache.
struct Kept {
    map: memmap2::Mmap,
    n: usize,
    /// Where the key arena, the spans, the masks, the id map and the name
    /// ranks start in the file.
    keys: usize,
    spans: usize,
    masks: usize,
    by_id: usize,
    rank: usize,
    /// Entry `i`'s customer id.
    ids: Vec<i64>,
}

impl Kept {
    fn span(&self, i: u32) -> (usize, usize) {
        let at = self.spans + 8 * i as usize;
        (u32_at(&self.map, at) as usize, u32_at(&self.map, at + 4) as usize)
    }
    fn key(&self, i: u32) -> &[u8] {
        let (start, len) = self.span(i);
        // Every span was checked to lie in the arena.
        &self.map[self.keys + start..self.keys + start + len]
    }
    fn masks(&self, i: u32) -> Masks {
        masks_at(&self.map, self.masks + 32 * i as usize)
    }
    /// The `k`th pair of the id map: `(customer id, entry)`.
    fn by_id(&self, k: usize) -> (i64, u32) {
        let at = self.by_id + 12 * k;
        (u64_at(&self.map, at) as i64, u32_at(&self.map, at + 8))
    }
    fn rank(&self, i: u32) -> u32 {
        u32_at(&self.map, self.rank + 4 * i as usize)
    }
    /// The entry of customer `id`.
    fn entry_of(&self, id: i64) -> Option<u32> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.by_id(mid) {
                (x, e) if x == id => return Some(e),
                (x, _) if x < id => lo = mid + 1,
                _ => hi = mid,
            }
        }
        None
    }
}

/// Maps what a search needs of the file at `file`, when it is whole (the
/// sections read), of this format, computed under `cadence`, and
/// consistent.
fn read_kept(file: &Path, cadence: &str) -> io::Result<(Kept, super::cache::Stamp)> {
    let mut f = File::open(file)?;
    let header = read_header(&mut f, cadence)?;
    // SAFETY: the file is only ever replaced by a rename, never written in
    // place, so the mapped bytes do not change while they are read.
    // Only the sections read: the orders and entries that follow are not.
    let lens = header.section_lens();
    let end = header.start + lens[..5].iter().map(|l| l + 4).sum::<u64>();
    let end = usize::try_from(end).map_err(|_| bad("length"))?;
    let map = unsafe { memmap2::MmapOptions::new().len(end).populate().map(&f)? };
    let n = header.n;
    let mut at = header.start as usize;
    let mut starts = [0usize; 5];
    for (start, len) in starts.iter_mut().zip(lens) {
        let len = len as usize;
        let body = map.get(at..at + len).ok_or_else(|| bad("short"))?;
        let crc = map.get(at + len..at + len + 4).ok_or_else(|| bad("short"))?;
        if crc32fast::hash(body).to_le_bytes() != crc {
            return Err(bad("checksum"));
        }
        *start = at;
        at += len + 4;
    }
    let [keys, spans, masks, by_id, rank] = starts;
    let mut kept = Kept {
        map,
        n,
        keys,
        spans,
        masks,
        by_id,
        rank,
        ids: Vec::new(),
    };
    let arena = header.keys_len as usize;
    if (0..n as u32).any(|i| {
        let (start, len) = kept.span(i);
        start + len > arena
    }) {
        return Err(bad("span"));
    }
    // The id map in id order, each entry named once.
    let mut ids = vec![i64::MIN; n];
    let mut prev = None;
    for k in 0..n {
        let (id, e) = kept.by_id(k);
        match ids.get_mut(e as usize) {
            Some(slot) if *slot == i64::MIN && prev.is_none_or(|p| p < id) && id != i64::MIN => *slot = id,
            _ => return Err(bad("id map")),
        }
        prev = Some(id);
    }
    kept.ids = ids;
    Ok((kept, header.stamp))
}

/// Matches sorted before any is read: more than `rapport find` lists by
/// default.
const FIRST: usize = 64;

/// What a query finds: `(customer id, score)`, best first, ties in name
/// order, as [`super::rank_keys`] ranks the keys of the whole book; and
/// beside them, in no order, the customers changed since the file was
/// written, scored on their keys as they are now.
pub struct Ranked {
    pub changed: Vec<(i64, i64)>,
    kept: Kept,
    query: Query,
    /// `(score, name rank, entry)`, best first up to `sorted_to` (a screen's
    /// worth at first; the rest when read past).
    sorted: Vec<(Reverse<i64>, u32, u32)>,
    sorted_to: usize,
    next: usize,
    /// Fuzzy matches, not scored yet.
    scattered: Vec<u32>,
}

impl Iterator for Ranked {
    type Item = (i64, i64);

    fn next(&mut self) -> Option<(i64, i64)> {
        if self.next == self.sorted.len() && !self.scattered.is_empty() {
            let (kept, q) = (&self.kept, self.query.text());
            let scattered = std::mem::take(&mut self.scattered);
            let scored = crate::par::filter_map(&scattered, matcher, |m, &i| {
                let key = std::str::from_utf8(kept.key(i)).ok()?;
                Some((Reverse(fuzzy_score(m, key, q)), kept.rank(i), i))
            });
            self.sorted = scored;
            self.sorted_to = 0;
            self.next = 0;
        }
        if self.next == self.sorted_to && self.next < self.sorted.len() {
            let rest = &mut self.sorted[self.next..];
            if self.next == 0 && rest.len() > FIRST {
                rest.select_nth_unstable(FIRST);
                rest[..FIRST].sort_unstable();
                self.sorted_to = FIRST;
            } else {
                rest.sort_unstable();
                self.sorted_to = self.sorted.len();
            }
        }
        let &(Reverse(score), _, i) = self.sorted.get(self.next)?;
        self.next += 1;
        Some((self.kept.ids[i as usize], score))
    }
}

/// Searches the index kept beside the book at `db` for `query`; `None`
/// when there is no usable file (none, another format or cadence,
/// damaged), or the book cannot say what changed since it was written:
/// the caller then searches the rows.
pub fn find(db: &Path, cadence: &Cadence, query: &str) -> Option<Ranked> {
    let q = normalize_query(query);
    if q.is_empty() {
        return None;
    }
    let fp = crate::storage::cadence_fingerprint(cadence);
    let (kept, stamp) = read_kept(&path_for(db), &fp).ok()?;
    let Ok(Changes::Rows(rows)) = index_log::changes_since(db, stamp.marker, stamp.max_id, MAX_CHANGES) else {
        return None;
    };
    let query = Query::new(&q);
    let m = matcher();
    // The entries of customers changed since: their keys in the file are
    // not theirs any more.
    let mut stale = vec![false; kept.ids.len()];
    for (id, _) in &rows {
        if let Some(e) = kept.entry_of(*id) {
            stale[e as usize] = true;
        }
    }
    let changed = rows
        .iter()
        .filter_map(|(id, row)| Some((*id, matching::score(&m, &row.as_ref()?.search_key, &query)?)))
        .collect();
    let found = crate::par::filter_map_range(
        kept.ids.len() as u32,
        || (),
        |_, i| {
            if stale[i as usize] {
                return None;
            }
            kept.masks(i).classify(&query, || kept.key(i), None).map(|m| (i, m))
        },
    );
    let mut sorted = Vec::new();
    let mut scattered = Vec::new();
    for (i, m) in found {
        match m {
            Match::Typed(s) => sorted.push((Reverse(s), kept.rank(i), i)),
            Match::Scattered => scattered.push(i),
        }
    }
    Some(Ranked {
        changed,
        kept,
        query,
        sorted,
        sorted_to: 0,
        next: 0,
        scattered,
    })
}

#[cfg(test)]
#[path = "quick_tests.rs"]
mod tests;
