//! Searching the index and holding the results. Each keystroke only does
//! what the screen needs: a longer query narrows the previous matches, a
//! backspace restores a cached earlier result, masks reject keys without
//! reading them, work is split across cores, only the rows on screen are
//! sorted, and fuzzy matches are scored by skim only when the user scrolls
//! down to them.

use std::cmp::Reverse;
use std::sync::Arc;

use fuzzy_matcher::skim::SkimMatcherV2;

use super::matching::{
    self, Match, NO_TIER, Query, SCATTERED_TIER, Tiers, class_score, matcher, normalize_query, pack_tier,
};
use super::pending::{APART_FROM, EAGER_ROWS, PENDING_FROM, Pending, Row};
use super::{Index, SortBy};

/// Runs `f` on every candidate on the machine's cores (see
/// [`crate::par::filter_map`]), each thread with its own matcher.
fn par_filter_map<T: Send>(candidates: &[u32], f: impl Fn(&SkimMatcherV2, u32) -> Option<T> + Sync) -> Vec<T> {
    crate::par::filter_map(candidates, matcher, |m, &i| f(m, i))
}

/// [`par_filter_map`] over the entries of an earlier query's hits (no list
/// of them is made: a third of a million customers may be among them), for
/// an `f` that reads the entries' keys: each is asked for a few entries
/// ahead.
fn par_read_hits<T: Send>(
    index: &Index,
    hits: &[(u32, i32)],
    f: impl Fn(&SkimMatcherV2, u32, i32) -> Option<T> + Sync,
) -> Vec<T> {
    crate::par::filter_map_ahead(hits, matcher, |&(i, _)| index.ask_key(i), |m, &(i, tier)| f(m, i, tier))
}

/// Ranks `(id, key)` pairs for a query, best first. Used by the CLI.
pub fn rank_keys(keys: &[(i64, String)], query: &str) -> Vec<(i64, i64)> {
    let q = normalize_query(query);
    if q.is_empty() {
        return Vec::new();
    }
    let all: Vec<u32> = (0..keys.len() as u32).collect();
    let q = Query::new(&q);
    let mut hits = par_filter_map(&all, |m, i| matching::score(m, &keys[i as usize].1, &q).map(|s| (s, i)));
    hits.sort_unstable_by_key(|&(s, i)| (Reverse(s), i));
    hits.into_iter().map(|(s, i)| (keys[i as usize].0, s)).collect()
}

/// The current result list: all customers in the chosen order, or the
/// matches of a query, best first.
#[derive(Debug, Clone, Default)]
pub struct Results {
    filtered: bool,
    /// Matches as typed, sorted up to `typed_sorted`.
    typed: Vec<Row>,
    typed_sorted: usize,
    /// Fuzzy matches, after every typed one; scored and sorted on demand.
    scattered: Vec<Row>,
    scattered_sorted: bool,
    /// The fuzzy matches are not looked for yet: there are more matches as
    /// typed than a screen holds, and these come after all of them.
    fuzzy_pending: bool,
    /// A single letter or digit: its matches listed as far as shown.
    walk: Option<Box<Walk>>,
    /// Matches whose rows are not made yet: `typed` holds the first
    /// screen of them (see [`super::pending`]).
    pending: Option<Pending>,
    /// The normalized query, its words apart.
    query: String,
    sort: SortBy,
    /// The order the rows' ranks are places in: the chosen one for every
    /// customer in order, the name order for matches.
    ranked_by: SortBy,
}

/// Puts the first `k` rows of `t` (`k < t.len()`), sorted, in front; the
/// rest follow in no order. On a long list each half's first `k` are
/// chosen on its own core, and the first `k` among those.
pub(super) fn first_rows(t: &mut [Row], k: usize) {
    if t.len() >= APART_FROM.max(4 * k) {
        let mid = t.len() / 2;
        let (low, high) = t.split_at_mut(mid);
        crate::par::each_mut(vec![low, high], |_, half| {
            half.select_nth_unstable(k);
        });
        // The high half's first k join the low half's.
        for j in 0..k {
            t.swap(k + j, mid + j);
        }
        t[..2 * k].select_nth_unstable(k);
    } else {
        t.select_nth_unstable(k);
    }
    t[..k].sort_unstable();
}

/// The matches of a single letter or digit, listed by walking the name
/// order once for each class (see [`super::matching::Masks::class`]) as far
/// as the list is shown: a letter is in half the book, and a screen of them
/// is all a keystroke needs.
#[derive(Debug, Clone)]
struct Walk {
    classes: Vec<u8>,
    counts: [usize; 4],
    /// The class being listed, and how far the name order was walked for it.
    class: u8,
    pos: usize,
    taken: usize,
}

impl Walk {
    /// Lists matches onto `rows` until it holds `upto` (or all).
    fn extend(&mut self, index: &Index, rows: &mut Vec<Row>, upto: usize) {
        let order = index.order(SortBy::Name);
        while rows.len() < upto && self.class < 4 {
            let c = self.class as usize;
            if self.taken == self.counts[c] || self.pos == order.len() {
                (self.class, self.pos, self.taken) = (self.class + 1, 0, 0);
                continue;
            }
            let i = order[self.pos];
            if self.classes[i as usize] == self.class {
                rows.push((Reverse(class_score(self.class) as i32), self.pos as u32));
                self.taken += 1;
            }
            self.pos += 1;
        }
    }
}

impl Results {
    pub fn len(&self, index: &Index) -> usize {
        if let Some(w) = &self.walk {
            w.counts.iter().sum()
        } else if let Some(p) = &self.pending {
            p.typed + p.scattered + self.scattered.len()
        } else if self.filtered {
            self.typed.len() + self.scattered.len()
        } else {
            index.len()
        }
    }

    pub fn is_empty(&self, index: &Index) -> bool {
        self.len(index) == 0
    }

    pub fn is_filtered(&self) -> bool {
        self.filtered
    }

    /// Whether more matches may follow the ones counted (the fuzzy ones,
    /// looked for once the list is scrolled to them or [`Results::complete`]
    /// is called).
    pub fn more_to_find(&self) -> bool {
        self.fuzzy_pending
    }

    /// Finds the fuzzy matches left for later, so that every match is
    /// counted and listed.
    pub fn complete(&mut self, index: &Index) {
        if !std::mem::take(&mut self.fuzzy_pending) {
            return;
        }
        let q = Query::new(&self.query);
        let rank = index.name_rank();
        self.scattered = crate::par::in_shares(index.len(), matcher, |_, r| {
            index.classify_range(r, &q, &[], |i, m| {
                matches!(m, Match::Scattered).then(|| (Reverse(0), rank[i as usize]))
            })
        });
        self.scattered_sorted = false;
    }

    /// Entry shown at `pos`; call `ensure_sorted(index, pos + 1)` first.
    pub fn get(&self, index: &Index, pos: usize) -> Option<u32> {
        if !self.filtered {
            return index.order(self.sort).get(pos).copied();
        }
        let row = match self.typed.get(pos) {
            Some(r) => Some(r),
            None => self.scattered.get(pos - self.typed.len()),
        };
        row.and_then(|r| index.order(self.ranked_by).get(r.1 as usize).copied())
    }

    /// Makes the first `upto` rows final.
    pub fn ensure_sorted(&mut self, index: &Index, upto: usize) {
        if !self.filtered {
            return;
        }
        if let Some(w) = &mut self.walk {
            w.extend(index, &mut self.typed, upto);
            self.typed_sorted = self.typed.len();
            return;
        }
        if upto > self.typed.len() {
            self.make_rows(index);
        }
        if upto > self.typed_sorted {
            let t = &mut self.typed;
            if upto <= EAGER_ROWS && t.len() > EAGER_ROWS {
                first_rows(t, EAGER_ROWS);
                self.typed_sorted = EAGER_ROWS;
            } else {
                t[self.typed_sorted..].sort_unstable();
                self.typed_sorted = t.len();
            }
        }
        if upto > self.typed.len() {
            self.complete(index);
        }
        if upto > self.typed.len() && !self.scattered_sorted {
            let q = &self.query.replace(' ', "");
            let order = index.order(self.ranked_by);
            let idxs: Vec<u32> = self.scattered.iter().map(|r| order[r.1 as usize]).collect();
            let scores = par_filter_map(&idxs, |m, i| Some(matching::fuzzy_score(m, index.key(i), q)));
            for (row, s) in self.scattered.iter_mut().zip(scores) {
                row.0 = Reverse(s.clamp(i32::MIN.into(), i32::MAX.into()) as i32);
            }
            self.scattered.sort_unstable();
            self.scattered_sorted = true;
        }
    }

    /// Makes the rows of the pending matches, every one (the first screen
    /// is among them, and sorts first again).
    fn make_rows(&mut self, index: &Index) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let hits = p
            .hits
            .unwrap_or_else(|| Arc::new(super::scan::typed_everywhere(index, &Query::new(&self.query))));
        self.typed = rows_of(index, &hits, false, |_| true);
        self.typed_sorted = 0;
        if p.scattered > 0 {
            self.scattered = rows_of(index, &hits, true, |_| true);
            self.scattered_sorted = false;
        }
    }

    /// Lists the entries `keep` holds, in the chosen order (already final).
    fn set_in_order(&mut self, index: &Index, keep: impl Fn(u32) -> bool) {
        self.typed = index
            .order(self.sort)
            .iter()
            .enumerate()
            .filter(|&(_, &i)| keep(i))
            .map(|(pos, _)| (Reverse(0), pos as u32))
            .collect();
        self.ranked_by = self.sort;
        self.typed_sorted = self.typed.len();
    }

    /// Where `entry` is listed, sorting as far as needed.
    pub fn position_of(&mut self, index: &Index, entry: u32) -> Option<usize> {
        if !self.filtered {
            return index.order(self.sort).iter().position(|&i| i == entry);
        }
        self.complete(index);
        let len = self.len(index);
        self.ensure_sorted(index, len);
        (0..len).find(|&p| self.get(index, p) == Some(entry))
    }
}

/// `(entry, tier)` of every match of one query; a fuzzy match has tier
/// `SCATTERED`. Kept small: a few of these are cached while typing.
type Hits = Arc<Vec<(u32, i32)>>;

const SCATTERED: i32 = SCATTERED_TIER;

/// The rows of the matches as typed among `hits` (or of the fuzzy ones)
/// that `keep` keeps, on both cores (a third of the book may match).
fn rows_of(index: &Index, hits: &[(u32, i32)], fuzzy: bool, keep: impl Fn(u32) -> bool + Sync) -> Vec<Row> {
    let rank = index.name_rank();
    crate::par::map_kept(
        hits,
        |&(i, tier)| (tier == SCATTERED) == fuzzy && keep(i),
        |&(i, tier)| (Reverse(if fuzzy { 0 } else { tier }), rank[i as usize]),
    )
}

/// Every entry's tier among `hits` ([`NO_TIER`] where it is not), only
/// those as typed with `typed_only`.
fn tiers_of(index: &Index, hits: &[(u32, i32)], typed_only: bool) -> Tiers {
    let mut tiers = vec![pack_tier(NO_TIER); index.len()];
    for &(i, tier) in hits.iter().filter(|h| !typed_only || h.1 != SCATTERED) {
        tiers[i as usize] = pack_tier(tier);
    }
    tiers
}

/// One query's matches, kept while a longer query is typed.
#[derive(Debug)]
struct Level {
    query: String,
    /// `None` for a query answered from [`super::screens`].
    hits: Option<Hits>,
    /// How many `hits` holds (or would).
    count: usize,
    /// Only its matches as typed (the fuzzy ones are left for later, see
    /// [`Results::complete`]).
    typed_only: bool,
    /// A single word of printable ASCII (see [`Query::is_plain`]).
    plain: bool,
}

/// Search with a cache of the results of each prefix of the current query.
#[derive(Debug, Default)]
pub struct Searcher {
    /// Each query a prefix of the next.
    stack: Vec<Level>,
    generation: u64,
}

impl Searcher {
    /// For a query of several words, each word's tier for every entry when
    /// the word was searched alone earlier (`li` while typing `li na`):
    /// those words are not looked for in the keys again.
    fn word_tiers(&self, index: &Index, q: &str) -> Vec<Option<Tiers>> {
        if !q.contains(' ') {
            return Vec::new();
        }
        q.split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let level = self.stack.iter().find(|l| l.query == w && !l.typed_only)?;
                Some(tiers_of(index, level.hits.as_ref()?, false))
            })
            .collect()
    }

    /// The matches as typed of a query of several words (`wang w`) when
    /// there are a screen of them and its every match cannot be had
    /// without reading every key: a word of it (`wang`) was searched with
    /// its fuzzy matches left for later, or not at all. Each word's matches
    /// as typed are known from an earlier search or found in the arena,
    /// among an earlier query's matches when it holds these.
    fn typed_words(&self, index: &Index, q: &str, prepared: &Query) -> Option<Vec<(u32, i32)>> {
        let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        let complete = |w: &str| self.stack.iter().any(|l| l.query == w && !l.typed_only);
        // What the search of every match does without reading each key
        // (see [`super::words::by_words`]).
        let known = |w: &&str| {
            let word = Query::new(w);
            complete(w) || word.is_single() || (word.is_plain() && word.is_exact())
        };
        if words.len() < 2 || prepared.has_readings() || words.iter().all(known) {
            return None;
        }
        let tiers: Vec<Option<Tiers>> = words
            .iter()
            .map(|w| {
                let level = self.stack.iter().find(|l| l.query == *w)?;
                Some(tiers_of(index, level.hits.as_ref()?, true))
            })
            .collect();
        // Every match as typed of `wang we` is one of `wang w`, fuzzy or
        // not: the earlier query's list, whether or not it is complete.
        let base = self.stack.iter().rev().find(|l| matching::narrows(&l.query, q));
        if base.is_some_and(|l| l.count < EAGER_ROWS) {
            // Fewer than a screen: every match is looked for at once.
            return None;
        }
        let base = base.and_then(|l| l.hits.as_deref().map(Vec::as_slice));
        let found = super::words::by_words(index, prepared, &tiers, base, true)?;
        (found.len() >= EAGER_ROWS).then_some(found)
    }

    /// Forgets cached results (after the index changed).
    pub fn reset(&mut self) {
        self.stack.clear();
    }

    /// The results for `query`, best match first (ties in name order), or
    /// all in the order `sort` when `by_match` is false; everyone in the
    /// order `sort` for an empty query.
    /// `allowed[i]` false leaves entry `i` out (the list's filters).
    pub fn search(
        &mut self,
        index: &Index,
        query: &str,
        sort: SortBy,
        by_match: bool,
        allowed: Option<&[bool]>,
    ) -> Results {
        let q = normalize_query(query);
        let keep = |i: u32| allowed.is_none_or(|a| a.get(i as usize).copied().unwrap_or(false));
        if q.is_empty() {
            let Some(allowed) = allowed else {
                return Results {
                    sort,
                    ..Results::default()
                };
            };
            let mut r = Results {
                filtered: true,
                sort,
                ..Results::default()
            };
            r.set_in_order(index, |i| allowed.get(i as usize).copied().unwrap_or(false));
            return r;
        }
        if self.generation != index.generation() {
            self.stack.clear();
            self.generation = index.generation();
        }
        while self.stack.last().is_some_and(|l| !q.starts_with(l.query.as_str())) {
            self.stack.pop();
        }
        // The fuzzy matches may wait only where they come after a screen
        // of matches as typed, with no filter to apply to them later.
        let may_wait = by_match && allowed.is_none();
        let prepared = Query::new(&q);
        if may_wait && prepared.is_single() {
            let (classes, counts) = super::scan::classes(index, prepared.mask());
            let mut r = Results {
                filtered: true,
                query: q,
                sort,
                walk: Some(Box::new(Walk {
                    classes,
                    counts,
                    class: 0,
                    pos: 0,
                    taken: 0,
                })),
                ..Results::default()
            };
            r.ensure_sorted(index, EAGER_ROWS);
            return r;
        }
        if may_wait && let Some(r) = self.pair_screen(index, &q, sort, query.ends_with(char::is_whitespace)) {
            return r;
        }
        let (hits, typed_only) = self.hits(index, &q, may_wait);
        let mut r = Results {
            filtered: true,
            query: q,
            sort,
            fuzzy_pending: typed_only,
            ..Results::default()
        };
        if !by_match {
            // In the chosen order: the order walked, the matches kept.
            let mut hit = vec![false; index.len()];
            for &(i, _) in hits.iter() {
                hit[i as usize] = keep(i);
            }
            r.set_in_order(index, |i| hit[i as usize]);
            return r;
        }
        if allowed.is_none() && hits.len() >= PENDING_FROM {
            // A screen of them; the rows when scrolled past it.
            let (first, pending) = super::pending::first_of(index.name_rank(), hits, EAGER_ROWS);
            (r.typed, r.typed_sorted) = (first, EAGER_ROWS.min(pending.typed));
            r.pending = Some(pending);
        } else {
            r.typed = rows_of(index, &hits, false, keep);
            if hits.iter().any(|h| h.1 == SCATTERED) {
                r.scattered = rows_of(index, &hits, true, keep);
            }
        }
        r.ensure_sorted(index, EAGER_ROWS);
        r
    }

    /// The matches of the normalized query `q` (every one, or only those
    /// as typed when `may_wait` and there are a screen of them), from the
    /// cache, from an earlier query's, or from every key; cached.
    fn hits(&mut self, index: &Index, q: &str, may_wait: bool) -> (Hits, bool) {
        if let Some(l) = self
            .stack
            .iter()
            .rev()
            .find(|l| l.query == q && (may_wait || !l.typed_only))
            && let Some(hits) = &l.hits
        {
            return (hits.clone(), l.typed_only);
        }
        let prepared = Query::new(q);
        let plain = prepared.is_plain();
        let mut typed_only = false;
        let found = if plain && !prepared.is_single() {
            let typed = self.typed(index, &prepared);
            if prepared.is_exact() {
                typed
            } else if may_wait && typed.len() >= EAGER_ROWS {
                typed_only = true;
                typed
            } else {
                self.classified(index, q, &prepared)
            }
        } else if may_wait && let Some(typed) = self.typed_words(index, q, &prepared) {
            typed_only = true;
            typed
        } else {
            self.classified(index, q, &prepared)
        };
        if let Some(pair) = super::screens::pair_of(q.as_bytes()) {
            index.screens.refill_unknown(pair, &found, index.name_rank());
        }
        let hits = Arc::new(found);
        self.stack.push(Level {
            query: q.to_string(),
            count: hits.len(),
            hits: Some(hits.clone()),
            typed_only,
            plain,
        });
        (hits, typed_only)
    }

    /// The matches as typed of a plain query: among those of a plain
    /// query it starts (every match of `wang` as typed holds `wan` as
    /// typed) when they are few, else in the whole arena.
    fn typed(&self, index: &Index, query: &Query) -> Vec<(u32, i32)> {
        let base = self.stack.iter().rev().find(|l| l.plain);
        match base {
            Some(Level { hits: Some(hits), .. }) if hits.len() < index.len() / super::scan::NARROW_BELOW => {
                par_read_hits(index, hits, |_, i, tier| {
                    (tier != SCATTERED)
                        .then(|| index.typed_at(i, query).map(|t| (i, t as i32)))
                        .flatten()
                })
            }
            _ => super::scan::typed_everywhere(index, query),
        }
    }

    /// Every match of a query, each key classified: among an earlier
    /// query's matches when they hold this one's, else among every key.
    fn classified(&self, index: &Index, q: &str, prepared: &Query) -> Vec<(u32, i32)> {
        // A fuzzy query narrows only a fuzzy prefix's matches: the exact
        // matches of `wa` do not hold every fuzzy match of `wan`.
        let base = self
            .stack
            .iter()
            .rev()
            .find(|l| !l.typed_only && l.hits.is_some() && matching::narrows(&l.query, q));
        let tiers = self.word_tiers(index, q);
        let candidates = base.and_then(|l| l.hits.clone());
        if let Some(found) =
            super::words::by_words(index, prepared, &tiers, candidates.as_deref().map(Vec::as_slice), false)
        {
            return found;
        }
        let keep = |i: u32, m: Match| {
            Some(match m {
                Match::Typed(t) => (i, t as i32),
                Match::Scattered => (i, SCATTERED),
            })
        };
        match candidates {
            Some(c) => par_read_hits(index, &c, |_, i, _| keep(i, index.classify_known(i, prepared, &tiers)?)),
            None => crate::par::in_shares(index.len(), matcher, |_, r| {
                index.classify_range(r, prepared, &tiers, keep)
            }),
        }
    }
}

#[path = "results_screens.rs"]
mod screens;
