//! The in-memory search index over every customer and the fuzzy search on
//! it (fuzzy-matcher's skim scorer over precomputed keys). Built on a worker
//! thread at start; each keystroke only re-scores what can still match:
//! a longer query narrows the previous matches, a backspace restores the
//! cached earlier result, a byte-subsequence test rejects cheaply before
//! scoring, scoring is split across cores, and only the rows on screen are
//! sorted until the user scrolls past them.

use std::cmp::{Ordering, Reverse};
use std::sync::Arc;

use chrono::NaiveDate;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::cadence::{Cadence, Due};
use crate::domain::customer::{Grade, Status};
use crate::domain::searchkey::FIELD_SEP;
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
    pub phone: Box<str>,
    pub grade: Grade,
    pub status: Status,
    pub last_contact: Option<NaiveDate>,
    pub next_due: Due,
    key: Box<str>,
    sort_key: Box<str>,
}

impl Entry {
    pub fn from_row(r: CustomerRow, cadence: &Cadence) -> Entry {
        let next_due = cadence.next_due_since(r.grade, r.last_call, r.last_visit, r.created);
        Entry {
            id: r.id,
            name: r.name.into(),
            company: r.company.into(),
            phone: r.phone.into(),
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
        let entries: Vec<Entry> = rows.into_iter().map(|r| Entry::from_row(r, cadence)).collect();
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

/// Lower-cases a query the way the keys were lower-cased and drops spaces
/// (`zhang wei` finds the pinyin `zhangwei`; a fuzzy match skips the space
/// in `wang fang` anyway).
pub fn normalize_query(q: &str) -> String {
    q.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Cheap necessary condition for a fuzzy match: the query's bytes appear in
/// the key in order (true of UTF-8 whenever the characters do).
pub fn is_subsequence(query: &[u8], key: &[u8]) -> bool {
    let mut q = query.iter();
    let Some(mut want) = q.next() else {
        return true;
    };
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

/// Above this many matrix cells (query × key characters) skim switches to
/// its linear-time scorer. Keys hold name, company, phones, city, tags and
/// pinyin, so almost every key takes the linear path: the full matrix
/// costs several microseconds a key, too much for 100k keys a keystroke.
const ELEMENT_LIMIT: usize = 64;

pub fn matcher() -> SkimMatcherV2 {
    // Keys and queries are both lower-cased already.
    SkimMatcherV2::default().respect_case().element_limit(ELEMENT_LIMIT)
}

/// Up to this many characters a query matches only as typed (a prefix or
/// inside a field); from the next character on, letters may be scattered
/// within a field. One or two scattered letters match almost every long
/// company name or pinyin string and only bury the customer being looked
/// for; `zw`, `华联`, `li` stay exact and instant.
pub const EXACT_UP_TO: usize = 2;

/// Whether a query is matched as typed rather than fuzzily.
pub fn is_exact(query: &str) -> bool {
    query.chars().count() <= EXACT_UP_TO
}

/// Scores one key; `None` when it does not match. The query must match
/// within one field; the best field counts. Short queries must appear as
/// typed; longer ones match fuzzily and are scored by skim (fuzzy-matcher)
/// on the best field. The same function serves the TUI and `rapport find`.
pub fn score(matcher: &SkimMatcherV2, key: &str, query: &str) -> Option<i64> {
    let (bonus, field) = if is_exact(query) { best_exact(key, query)? } else { best_fuzzy(key, query)? };
    if query.chars().count() == 1 {
        // One character has no fuzzy structure: where it stands (start of
        // a field, of a word, or inside) is the whole score.
        return Some(bonus);
    }
    // Skim scores only the best field: one scorer call per candidate.
    Some(matcher.fuzzy_match(field, query)? + bonus)
}

/// The field holding the best occurrence of `query` as typed.
fn best_exact<'k>(key: &'k str, query: &str) -> Option<(i64, &'k str)> {
    let bytes = key.as_bytes();
    let mut best: Option<(i64, usize)> = None;
    for (p, _) in key.match_indices(query) {
        let bonus = match p.checked_sub(1).map(|i| bytes[i]) {
            None | Some(SEP_BYTE) => 2000,
            Some(b' ') => 1500,
            Some(_) => 1000,
        };
        if best.is_none_or(|(b, _)| bonus > b) {
            best = Some((bonus, p));
            if bonus == 2000 {
                break;
            }
        }
    }
    let (bonus, p) = best?;
    let start = bytes[..p].iter().rposition(|&b| b == SEP_BYTE).map_or(0, |i| i + 1);
    let end = bytes[p..].iter().position(|&b| b == SEP_BYTE).map_or(bytes.len(), |i| p + i);
    Some((bonus, &key[start..end]))
}

/// The field where a fuzzy `query` fits best (a contiguous hit first).
fn best_fuzzy<'k>(key: &'k str, query: &str) -> Option<(i64, &'k str)> {
    let q = query.as_bytes();
    if !is_subsequence(q, key.as_bytes()) {
        return None;
    }
    let mut best: Option<(i64, &str)> = None;
    for field in key.split(FIELD_SEP) {
        if !is_subsequence(q, field.as_bytes()) {
            continue;
        }
        let bonus = contiguous_bonus(field, query);
        if best.is_none_or(|(b, _)| bonus > b) {
            best = Some((bonus, field));
        }
    }
    best
}

const SEP_BYTE: u8 = FIELD_SEP as u8;

/// The query appearing whole in a field is strong evidence, at the start
/// of the field (a name, `zw` in the initials) stronger still.
fn contiguous_bonus(field: &str, query: &str) -> i64 {
    match field.find(query) {
        None => 0,
        Some(0) => 2000,
        Some(p) if field.as_bytes()[p - 1] == b' ' => 1500,
        Some(_) => 1000,
    }
}

/// Scores many keys, split across the machine's cores when worth it.
fn score_all<'a>(candidates: &[u32], key_of: impl Fn(u32) -> &'a str + Sync, query: &str) -> Vec<(i64, u32)> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let run = |chunk: &[u32]| -> Vec<(i64, u32)> {
        let m = matcher();
        chunk
            .iter()
            .filter_map(|&i| score(&m, key_of(i), query).map(|s| (s, i)))
            .collect()
    };
    if threads < 2 || candidates.len() < 4096 {
        return run(candidates);
    }
    let size = candidates.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = candidates.chunks(size).map(|c| s.spawn(move || run(c))).collect();
        let mut out = Vec::new();
        for h in handles {
            out.extend(h.join().unwrap_or_default());
        }
        out
    })
}

/// Ranks `(id, key)` pairs for a query, best first. Used by the CLI.
pub fn rank_keys(keys: &[(i64, String)], query: &str) -> Vec<(i64, i64)> {
    let q = normalize_query(query);
    let all: Vec<u32> = (0..keys.len() as u32).collect();
    let mut hits = score_all(&all, |i| keys[i as usize].1.as_str(), &q);
    hits.sort_unstable_by_key(|&(s, i)| (Reverse(s), i));
    hits.into_iter().map(|(s, i)| (keys[i as usize].0, s)).collect()
}

/// Rows shown first are sorted eagerly; the rest only when scrolled to.
const EAGER_ROWS: usize = 256;

/// The current result list: all customers in the chosen order, or the
/// matches of a query, best first.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// `(score, rank in the chosen order, entry)`; sorted up to `sorted`.
    matches: Option<Vec<(Reverse<i64>, u32, u32)>>,
    sorted: usize,
    sort: SortBy,
}

impl Results {
    pub fn len(&self, index: &Index) -> usize {
        match &self.matches {
            Some(m) => m.len(),
            None => index.len(),
        }
    }

    pub fn is_empty(&self, index: &Index) -> bool {
        self.len(index) == 0
    }

    /// Entry shown at `pos`; call `ensure_sorted(pos + 1)` first.
    pub fn get(&self, index: &Index, pos: usize) -> Option<u32> {
        match &self.matches {
            Some(m) => m.get(pos).map(|t| t.2),
            None => index.order(self.sort).get(pos).copied(),
        }
    }

    pub fn position_of(&mut self, index: &Index, entry: u32) -> Option<usize> {
        match &self.matches {
            Some(m) => {
                let p = m.iter().position(|t| t.2 == entry)?;
                self.ensure_sorted(m.len());
                self.matches.as_ref()?.iter().position(|t| t.2 == entry).or(Some(p))
            }
            None => index.order(self.sort).iter().position(|&i| i == entry),
        }
    }

    /// Makes the first `upto` rows final.
    pub fn ensure_sorted(&mut self, upto: usize) {
        let Some(m) = &mut self.matches else { return };
        if upto <= self.sorted {
            return;
        }
        if upto <= EAGER_ROWS && m.len() > EAGER_ROWS {
            m.select_nth_unstable(EAGER_ROWS);
            m[..EAGER_ROWS].sort_unstable();
            self.sorted = EAGER_ROWS;
        } else {
            m[self.sorted..].sort_unstable();
            self.sorted = m.len();
        }
    }

    pub fn is_filtered(&self) -> bool {
        self.matches.is_some()
    }
}

/// `(score, entry)` of every match of one query.
type Hits = Arc<Vec<(i64, u32)>>;

/// Search with a cache of the results of each prefix of the current query.
#[derive(Debug, Default)]
pub struct Searcher {
    /// `(query, entries matching it)`, each a prefix of the next.
    stack: Vec<(String, Hits)>,
    generation: u64,
}

impl Searcher {
    /// Forgets cached results (after the index changed).
    pub fn reset(&mut self) {
        self.stack.clear();
    }

    /// The results for `query` in the order `sort`.
    pub fn search(&mut self, index: &Index, query: &str, sort: SortBy) -> Results {
        let q = normalize_query(query);
        if q.is_empty() {
            return Results {
                matches: None,
                sorted: 0,
                sort,
            };
        }
        if self.generation != index.generation() {
            self.stack.clear();
            self.generation = index.generation();
        }
        // Keep only cached prefixes of the new query.
        while self.stack.last().is_some_and(|(p, _)| !q.starts_with(p.as_str())) {
            self.stack.pop();
        }
        // A fuzzy query can only narrow the results of a fuzzy prefix: the
        // exact matches of `wa` do not hold every fuzzy match of `wan`.
        let base = self.stack.iter().rev().find(|(p, _)| *p == q || !is_exact(p) || is_exact(&q));
        let hits = match base {
            Some((p, hits)) if *p == q => hits.clone(),
            last => {
                let found = match last {
                    Some((_, prev)) => {
                        let cands: Vec<u32> = prev.iter().map(|h| h.1).collect();
                        score_all(&cands, |i| index.entry(i).search_key(), &q)
                    }
                    None => {
                        let all: Vec<u32> = (0..index.len() as u32).collect();
                        score_all(&all, |i| index.entry(i).search_key(), &q)
                    }
                };
                let found = Arc::new(found);
                self.stack.push((q, found.clone()));
                found
            }
        };
        let rank = &index.ranks[sort as usize];
        let matches = hits.iter().map(|&(s, i)| (Reverse(s), rank[i as usize], i)).collect();
        let mut r = Results {
            matches: Some(matches),
            sorted: 0,
            sort,
        };
        r.ensure_sorted(EAGER_ROWS);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::searchkey;

    fn row(id: i64, name: &str, company: &str, grade: Grade) -> CustomerRow {
        CustomerRow {
            id,
            name: name.into(),
            company: company.into(),
            phone: String::new(),
            city: String::new(),
            grade,
            status: Status::Active,
            last_contact: None,
            last_call: None,
            last_visit: None,
            created: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            search_key: searchkey::search_key(name, company, &[], "", &[]),
            sort_key: searchkey::name_sort_key(name),
        }
    }

    fn index() -> Index {
        Index::build(
            vec![
                row(1, "张伟", "深圳市华强电子有限公司", Grade::B),
                row(2, "Wang Fang", "Northwind Trading", Grade::A),
                row(3, "李娜", "北京华联商贸有限公司", Grade::C),
                row(4, "Anna Berg", "Bluefield GmbH", Grade::D),
            ],
            &Cadence::default(),
        )
    }

    fn names(idx: &Index, r: &mut Results) -> Vec<String> {
        r.ensure_sorted(r.len(idx));
        (0..r.len(idx))
            .map(|p| idx.entry(r.get(idx, p).unwrap()).name.to_string())
            .collect()
    }

    #[test]
    fn pinyin_initials_full_pinyin_and_chinese_find_the_customer() {
        let idx = index();
        let mut s = Searcher::default();
        for q in ["zw", "zhangwei", "张伟", "ZW"] {
            let mut r = s.search(&idx, q, SortBy::Name);
            assert_eq!(names(&idx, &mut r)[0], "张伟", "query {q}");
        }
        let mut r = s.search(&idx, "bjhl", SortBy::Name);
        assert_eq!(names(&idx, &mut r), vec!["李娜"]);
        // A whole-word hit outranks letters scattered across fields.
        let mut r = s.search(&idx, "wang", SortBy::Name);
        assert_eq!(names(&idx, &mut r)[0], "Wang Fang");
    }

    #[test]
    fn narrowing_and_backspace_give_the_same_results_as_a_fresh_search() {
        let idx = index();
        let mut s = Searcher::default();
        for q in ["w", "wa", "wan", "wang", "wan", "wa", "w", "华", "华联"] {
            let mut cached = s.search(&idx, q, SortBy::Name);
            let mut fresh = Searcher::default().search(&idx, q, SortBy::Name);
            assert_eq!(names(&idx, &mut cached), names(&idx, &mut fresh), "query {q}");
        }
    }

    #[test]
    fn empty_query_lists_everyone_in_the_chosen_order() {
        let idx = index();
        let mut s = Searcher::default();
        let mut by_name = s.search(&idx, "", SortBy::Name);
        assert_eq!(
            names(&idx, &mut by_name),
            vec!["Anna Berg", "李娜", "Wang Fang", "张伟"]
        );
        let mut by_grade = s.search(&idx, "", SortBy::Grade);
        assert_eq!(
            names(&idx, &mut by_grade),
            vec!["Wang Fang", "张伟", "李娜", "Anna Berg"]
        );
    }

    #[test]
    fn upsert_keeps_orders_and_invalidates_cached_searches() {
        let mut idx = index();
        let mut s = Searcher::default();
        assert_eq!(s.search(&idx, "赵", SortBy::Name).len(&idx), 0);
        idx.upsert(Entry::from_row(row(5, "赵敏", "", Grade::A), &Cadence::default()));
        let mut r = s.search(&idx, "赵", SortBy::Name);
        assert_eq!(names(&idx, &mut r), vec!["赵敏"]);
        idx.upsert(Entry::from_row(row(2, "Aaron Wang", "", Grade::A), &Cadence::default()));
        let mut all = s.search(&idx, "", SortBy::Name);
        assert_eq!(names(&idx, &mut all)[0], "Aaron Wang");
        assert_eq!(idx.len(), 5);
    }

    #[test]
    fn partial_sort_matches_a_full_sort() {
        let rows: Vec<CustomerRow> = (0..3000).map(|i| row(i, &format!("wang {i}"), "", Grade::C)).collect();
        let idx = Index::build(rows, &Cadence::default());
        let mut r = Searcher::default().search(&idx, "wang 1", SortBy::Name);
        let first: Vec<u32> = (0..10).map(|p| r.get(&idx, p).unwrap()).collect();
        let all = names(&idx, &mut r);
        let again: Vec<u32> = (0..10).map(|p| r.get(&idx, p).unwrap()).collect();
        assert_eq!(first, again);
        assert!(all.len() > EAGER_ROWS);
    }

    #[test]
    fn subsequence_prefilter() {
        assert!(is_subsequence(b"zw", b"zhang wei"));
        assert!(!is_subsequence(b"wz", b"zhang"));
        assert!(is_subsequence("华联".as_bytes(), "北京华联商贸".as_bytes()));
        assert!(is_subsequence(b"", b"x"));
    }
}
