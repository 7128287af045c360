//! The in-memory search index over every customer and the fuzzy search on
//! it (fuzzy-matcher's skim scorer over precomputed keys). Built on a worker
//! thread at start; each keystroke only re-scores what can still match:
//! a longer query narrows the previous matches, a backspace restores the
//! cached earlier result, a byte-subsequence test rejects cheaply before
//! scoring, scoring is split across cores, and only the rows on screen are
//! sorted until the user scrolls past them.

pub mod cache;
mod cache_io;
pub mod companies;
mod entry;
mod matching;
mod name_order;
mod pairs;
mod pending;
mod place;
pub mod quick;
mod results;
mod scan;
mod screens;
mod words;

use std::cmp::Ordering;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

pub use entry::{Entry, EntryRef, Slot};
use matching::Masks;
pub use matching::{
    Match, Query, classify, is_exact, is_mixed, is_subsequence, matcher, normalize_query, query_mask, score,
};
pub use place::{score_kind, typed_score};
pub use results::{Results, Searcher, rank_keys};

use crate::domain::cadence::{Cadence, Due};

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

/// Every customer, in name order; the other list orders are made when the
/// list is first sorted by them (4 bytes a customer each, which most
/// sessions never use).
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Slot>,
    /// The entries' sort keys, names and companies.
    texts: entry::Texts,
    /// Every search key, one after another; `spans[i]` is entry `i`'s.
    keys: String,
    spans: Vec<(u32, u32)>,
    masks: Vec<Masks>,
    /// Bytes of `keys` no longer used (replaced by an edit).
    stale: usize,
    orders: [OnceLock<Vec<u32>>; 4],
    /// `name_rank[i]`: position of entry `i` in name order (the search's
    /// tie-break). The other orders are walked, never looked up.
    name_rank: Vec<u32>,
    /// Every entry, by customer id.
    by_id: Vec<u32>,
    /// Every entry, in the order of their keys in the arena: a scan of the
    /// whole arena tells from it whose key a hit is in.
    by_start: Vec<u32>,
    /// Bumped on every change, so cached search results are never stale.
    generation: u64,
    /// The first screen of every query of two letters or digits.
    screens: screens::Screens,
}

impl Index {
    pub fn build(rows: Vec<CustomerRow>, cadence: &Cadence) -> Index {
        let mut index = Index::default();
        let mut interned = entry::Interned::default();
        for mut r in rows {
            let company = index
                .texts
                .company(&std::mem::take(&mut r.company), Some(&mut interned));
            index.push(r, cadence, company);
        }
        index.finish();
        index
    }

    /// Builds the index from every customer of the database file, reading
    /// rows one at a time (the companies' names first, in one pass).
    pub fn load(path: &std::path::Path, cadence: &Cadence) -> crate::storage::Result<Index> {
        use crate::storage::Item;
        let mut index = Index::default();
        // The companies' ids in order: a row's company is the one at its
        // id's place, its name kept once in the index's texts as it is
        // read (not beside them, nor in a map of names).
        let mut company_ids = Vec::new();
        index.texts.push_company("");
        crate::storage::for_each_item(path, |item| match item {
            Item::Company(id, name) => {
                company_ids.push(id);
                index.texts.push_company(name);
            }
            Item::Row(r, company, total) => {
                if index.entries.is_empty() {
                    index.entries.reserve_exact(total);
                    index.spans.reserve_exact(total);
                    index.masks.reserve_exact(total);
                }
                let company = company.and_then(|id| company_ids.binary_search(&id).ok());
                index.push(r, cadence, company.map_or(0, |at| at as u32 + 1));
            }
        })?;
        drop(company_ids);
        index.keys.shrink_to_fit();
        index.texts.shrink();
        index.finish();
        Ok(index)
    }

    /// Appends one customer of company number `company` (orders are built
    /// by `finish`).
    fn push(&mut self, mut r: CustomerRow, cadence: &Cadence, company: u32) {
        let key = std::mem::take(&mut r.search_key);
        let span = self.store_key(&key);
        self.spans.push(span);
        self.masks.push(Masks::of(key.as_bytes()));
        let slot = self.texts.slot_with(&Entry::from_row(r, cadence), company);
        self.entries.push(slot);
    }

    /// Appends a key to the arena; its `(start, len)`.
    fn store_key(&mut self, key: &str) -> (u32, u32) {
        let start = self.keys.len() as u32;
        self.keys.push_str(key);
        (start, key.len() as u32)
    }

    /// Builds the name order and the id map. The name order compares
    /// strings: entries are sorted by the first eight bytes of their sort
    /// keys, comparing whole keys only where those are equal (see
    /// [`name_order`]).
    fn finish(&mut self) {
        let n = self.entries.len() as u32;
        let prefix = |i: u32| {
            let key = self.entry(i).sort_key().as_bytes();
            let mut b = [0u8; 8];
            let len = key.len().min(8);
            b[..len].copy_from_slice(&key[..len]);
            u64::from_be_bytes(b)
        };
        let name = name_order::sorted(n, prefix, |a, b| self.cmp_idx(a, b, SortBy::Name));
        self.name_rank = ranks_of(&name, Vec::new());
        self.orders = Default::default();
        let _ = self.orders[SortBy::Name as usize].set(name);
        let mut by_id: Vec<u32> = (0..n).collect();
        by_id.sort_unstable_by_key(|&i| self.entries[i as usize].id);
        self.by_id = by_id;
        self.list_starts();
        self.screens = screens::Screens::build(self);
    }

    /// A list order other than by name, made from the name order: each
    /// entry's field, then its name position, as one number sorted.
    fn make_order(&self, by: SortBy) -> Vec<u32> {
        // A date as a number in date order, above 0.
        let day = |d: NaiveDate| (i64::from(d.num_days_from_ce()) - i64::from(i32::MIN)) as u32;
        let field = |x: &Slot| -> u32 {
            match by {
                SortBy::LastContact => x.last_contact.map_or(0, day),
                SortBy::NextDue => match x.next_due() {
                    Due::Now => 0,
                    Due::On(d) => day(d),
                    Due::Never => u32::MAX,
                },
                SortBy::Grade => x.grade as u32,
                SortBy::Name => 0,
            }
        };
        let mut keys: Vec<u64> = self
            .entries
            .iter()
            .zip(&self.name_rank)
            .map(|(x, &r)| (u64::from(field(x)) << 32) | u64::from(r))
            .collect();
        keys.sort_unstable();
        let name = self.order(SortBy::Name);
        keys.into_iter().map(|k| name[(k & 0xffff_ffff) as usize]).collect()
    }

    /// Builds `by_start` from the spans.
    fn list_starts(&mut self) {
        let mut v: Vec<u32> = (0..self.spans.len() as u32).collect();
        if !v.is_sorted_by_key(|&i| self.spans[i as usize].0) {
            v.sort_unstable_by_key(|&i| (self.spans[i as usize].0, i));
        }
        self.by_start = v;
    }

    /// Whether no two keys share a byte of the arena (read from a file, an
    /// index is used only when they do not).
    fn keys_apart(&self) -> bool {
        self.by_start.len() == self.spans.len()
            && self.by_start.windows(2).all(|w| {
                let ((start, len), (next, _)) = (self.spans[w[0] as usize], self.spans[w[1] as usize]);
                start as usize + len as usize <= next as usize
            })
    }

    /// Where in `by_start` the keys starting at `start` begin.
    fn first_at(&self, start: u32) -> usize {
        self.by_start.partition_point(|&e| self.spans[e as usize].0 < start)
    }

    /// Takes `entry`, whose key starts at `start`, out of `by_start`.
    fn unlist_start(&mut self, (start, entry): (u32, u32)) {
        let from = self.first_at(start);
        // Empty keys may start where another does.
        let found = self.by_start[from..]
            .iter()
            .take_while(|&&e| self.spans[e as usize].0 == start)
            .position(|&e| e == entry);
        if let Some(p) = found {
            self.by_start.remove(from + p);
        }
    }

    fn list_start(&mut self, (start, entry): (u32, u32)) {
        let at = self.first_at(start);
        self.by_start.insert(at, entry);
    }

    /// Entry `i`'s search key.
    pub fn key(&self, i: u32) -> &str {
        let (start, len) = self.spans[i as usize];
        &self.keys[start as usize..(start + len) as usize]
    }

    /// Entry `i`'s search key as bytes (the search reads no more).
    fn key_bytes(&self, i: u32) -> &[u8] {
        let (start, len) = self.spans[i as usize];
        &self.keys.as_bytes()[start as usize..(start + len) as usize]
    }

    /// How entry `i` matches a query (see [`Query::classify`]), reading its
    /// key only when the masks cannot tell.
    pub fn classify(&self, i: u32, query: &Query) -> Option<Match> {
        self.masks[i as usize].classify(query, || self.key_bytes(i), None)
    }

    /// The best score of a query as typed in entry `i`'s key (the masks
    /// first: a key lacking one of its letters is not read).
    fn typed_at(&self, i: u32, query: &Query) -> Option<i64> {
        let m = self.masks[i as usize].chars();
        (m & query.mask == query.mask)
            .then(|| query.typed(self.key_bytes(i)))
            .flatten()
    }

    /// [`Index::classify`] for a query of several words, with what earlier
    /// searches know of each word (see [`matching::Known`]).
    fn classify_known(&self, i: u32, query: &Query, tiers: &[Option<matching::Tiers>]) -> Option<Match> {
        self.masks[i as usize].classify(query, || self.key_bytes(i), Some((tiers, i)))
    }

    /// What `f` keeps of [`Index::classify_known`]'s matches among the
    /// entries of `range`: the masks are read first, then only the keys
    /// of the entries whose masks hold every letter of the query, each
    /// asked for a few keys ahead.
    fn classify_range<R>(
        &self,
        range: std::ops::Range<usize>,
        query: &Query,
        tiers: &[Option<matching::Tiers>],
        f: impl Fn(u32, Match) -> Option<R>,
    ) -> Vec<R> {
        let qmask = query.mask();
        let candidates: Vec<u32> = range
            .filter(|&i| self.masks[i].chars() & qmask == qmask)
            .map(|i| i as u32)
            .collect();
        crate::par::asking_ahead(
            &candidates,
            |&i| self.ask_key(i),
            |&i| self.classify_known(i, query, tiers).and_then(|m| f(i, m)),
        )
    }

    /// Asks for the memory of entry `i`'s key (its first two cache lines)
    /// ahead of reading it.
    fn ask_key(&self, i: u32) {
        #[cfg(target_arch = "x86_64")]
        for at in [0, 64] {
            if let Some(b) = self.key_bytes(i).get(at) {
                // SAFETY: a prefetch is only a hint: it never faults, reads
                // nothing into the program and writes nothing; the address
                // is that of a byte of the live arena.
                unsafe {
                    std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(std::ptr::from_ref(b).cast());
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = i;
    }

    fn cmp_idx(&self, a: u32, b: u32, by: SortBy) -> Ordering {
        entry::compare(self.entry(a), self.entry(b), by).then(a.cmp(&b))
    }

    fn rebuild_name_rank(&mut self) {
        let reuse = std::mem::take(&mut self.name_rank);
        self.name_rank = ranks_of(self.order(SortBy::Name), reuse);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, i: u32) -> EntryRef<'_> {
        EntryRef::new(&self.entries[i as usize], &self.texts)
    }

    /// The customers whose search key holds `text` (lower-cased, as the
    /// keys are) as typed: one read of the key arena, not of every row.
    pub fn ids_holding(&self, text: &str) -> Vec<i64> {
        if text.is_empty() {
            return Vec::new();
        }
        let hits = scan::typed_everywhere(self, &Query::new(text));
        hits.into_iter().map(|(i, _)| self.entries[i as usize].id).collect()
    }

    /// The entry of customer `id`.
    pub fn position_of(&self, id: i64) -> Option<u32> {
        self.by_id
            .binary_search_by_key(&id, |&i| self.entries[i as usize].id)
            .ok()
            .map(|p| self.by_id[p])
    }

    pub fn order(&self, by: SortBy) -> &[u32] {
        self.orders[by as usize].get_or_init(|| self.make_order(by))
    }

    /// `name_rank()[i]`: position of entry `i` in name order.
    pub fn name_rank(&self) -> &[u32] {
        &self.name_rank
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Adds or replaces one customer after a write, keeping every order.
    pub fn upsert(&mut self, mut row: CustomerRow, cadence: &Cadence) {
        let key = std::mem::take(&mut row.search_key);
        let entry = Entry::from_row(row, cadence);
        // An edited customer's key and name rank before the edit.
        let mut before = None;
        let idx = match self.position_of(entry.id) {
            Some(i) => {
                before = Some((self.key_bytes(i).to_vec(), self.name_rank[i as usize]));
                self.stale += self.spans[i as usize].1 as usize;
                self.unlist_start((self.spans[i as usize].0, i));
                self.spans[i as usize] = self.store_key(&key);
                self.list_start((self.spans[i as usize].0, i));
                self.masks[i as usize] = Masks::of(key.as_bytes());
                // The company is kept again only when it changed.
                let same = self.entry(i).company() == entry.company();
                let company = if same {
                    self.entry(i).company_number()
                } else {
                    self.texts.company(entry.company(), None)
                };
                let slot = self.texts.slot_with(&entry, company);
                let old = std::mem::replace(&mut self.entries[i as usize], slot);
                self.texts.replaced(&old, &mut self.entries);
                for order in self.orders.iter_mut().filter_map(OnceLock::get_mut) {
                    if let Some(p) = order.iter().position(|&x| x == i) {
                        order.remove(p);
                    }
                }
                i
            }
            None => {
                let i = self.entries.len() as u32;
                let at = self.by_id.partition_point(|&e| self.entries[e as usize].id < entry.id);
                self.by_id.insert(at, i);
                let span = self.store_key(&key);
                self.spans.push(span);
                self.list_start((span.0, i));
                self.masks.push(Masks::of(key.as_bytes()));
                let slot = self.texts.slot(&entry, None);
                self.entries.push(slot);
                i
            }
        };
        if self.stale > self.keys.len() / 2 {
            self.compact_keys();
        }
        for by in SortBy::ALL {
            let Some(mut order) = self.orders[by as usize].take() else {
                continue;
            };
            let pos = order.partition_point(|&x| self.cmp_idx(x, idx, by) == Ordering::Less);
            order.insert(pos, idx);
            self.orders[by as usize] = OnceLock::from(order);
        }
        self.rebuild_name_rank();
        // The first screens change only where the key or the name's place
        // did: an edit of anything else leaves them known.
        let now = (self.key_bytes(idx), self.name_rank[idx as usize]);
        if before.as_ref().is_none_or(|(key, rank)| (key.as_slice(), *rank) != now) {
            if let Some((key, _)) = &before {
                self.screens.take_out(idx, key);
            }
            self.screens.put_in(idx, now.0, &self.name_rank);
        }
        self.generation += 1;
    }

    /// Removes customer `id` (deleted, or merged into another); false when
    /// the index does not hold them.
    pub fn remove(&mut self, id: i64) -> bool {
        let Some(i) = self.position_of(id) else {
            return false;
        };
        let last = self.entries.len() as u32 - 1;
        self.screens.take_out(i, self.key_bytes(i));
        self.screens.renumber(last, i);
        self.stale += self.spans[i as usize].1 as usize;
        self.unlist_start((self.spans[i as usize].0, i));
        if i != last {
            // The last entry takes the removed one's place.
            let moved = self.spans[last as usize].0;
            self.unlist_start((moved, last));
            self.list_start((moved, i));
        }
        let old = self.entries.swap_remove(i as usize);
        self.texts.replaced(&old, &mut self.entries);
        self.spans.swap_remove(i as usize);
        self.masks.swap_remove(i as usize);
        self.by_id.retain(|&e| e != i);
        for e in &mut self.by_id {
            if *e == last {
                *e = i;
            }
        }
        for order in self.orders.iter_mut().filter_map(OnceLock::get_mut) {
            order.retain(|&x| x != i);
            for x in order.iter_mut() {
                if *x == last {
                    *x = i;
                }
            }
        }
        self.rebuild_name_rank();
        self.generation += 1;
        true
    }

    /// Rewrites the key arena without the keys edits replaced.
    fn compact_keys(&mut self) {
        let old = std::mem::take(&mut self.keys);
        self.keys.reserve(old.len() - self.stale);
        for span in &mut self.spans {
            let (start, len) = *span;
            let key = &old[start as usize..(start + len) as usize];
            *span = (self.keys.len() as u32, len);
            self.keys.push_str(key);
        }
        self.stale = 0;
        self.list_starts();
    }
}

/// `rank[i]`: the position of entry `i` in `order` (in `reuse`'s memory).
fn ranks_of(order: &[u32], mut reuse: Vec<u32>) -> Vec<u32> {
    reuse.clear();
    reuse.resize(order.len(), 0);
    for (pos, &i) in order.iter().enumerate() {
        reuse[i as usize] = pos as u32;
    }
    reuse
}

#[cfg(test)]
mod tests;
