//! Searching the index and holding the results. Each keystroke only does
//! what the screen needs: a longer query narrows the previous matches, a
//! backspace restores a cached earlier result, masks reject keys without
//! reading them, work is split across cores, only the rows on screen are
//! sorted, and fuzzy matches are scored by skim only when the user scrolls
//! down to them.

use std::cmp::Reverse;
use std::sync::Arc;

use fuzzy_matcher::skim::SkimMatcherV2;

use super::matching::{self, Match, NO_TIER, Query, SCATTERED_TIER, matcher, normalize_query};
use super::{Index, SortBy};

/// Runs `f` on every candidate on the machine's cores (see
/// [`crate::par::filter_map`]), each thread with its own matcher.
fn par_filter_map<T: Send>(candidates: &[u32], f: impl Fn(&SkimMatcherV2, u32) -> Option<T> + Sync) -> Vec<T> {
    crate::par::filter_map(candidates, matcher, |m, &i| f(m, i))
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

/// Rows sorted eagerly (more than a screen); the rest only when scrolled to.
pub(super) const EAGER_ROWS: usize = 64;

type Row = (Reverse<i64>, u32, u32);

/// The current result list: all customers in the chosen order, or the
/// matches of a query, best first.
#[derive(Debug, Clone, Default)]
pub struct Results {
    filtered: bool,
    /// Matches as typed: `(tier, rank in the chosen order, entry)`,
    /// sorted up to `typed_sorted`.
    typed: Vec<Row>,
    typed_sorted: usize,
    /// Fuzzy matches, after every typed one; scored and sorted on demand.
    scattered: Vec<Row>,
    scattered_sorted: bool,
    query: String,
    sort: SortBy,
}

impl Results {
    pub fn len(&self, index: &Index) -> usize {
        if self.filtered {
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

    /// Entry shown at `pos`; call `ensure_sorted(index, pos + 1)` first.
    pub fn get(&self, index: &Index, pos: usize) -> Option<u32> {
        if !self.filtered {
            return index.order(self.sort).get(pos).copied();
        }
        match self.typed.get(pos) {
            Some(r) => Some(r.2),
            None => self.scattered.get(pos - self.typed.len()).map(|r| r.2),
        }
    }

    /// Makes the first `upto` rows final.
    pub fn ensure_sorted(&mut self, index: &Index, upto: usize) {
        if !self.filtered {
            return;
        }
        if upto > self.typed_sorted {
            let t = &mut self.typed;
            if upto <= EAGER_ROWS && t.len() > EAGER_ROWS {
                t.select_nth_unstable(EAGER_ROWS);
                t[..EAGER_ROWS].sort_unstable();
                self.typed_sorted = EAGER_ROWS;
            } else {
                t[self.typed_sorted..].sort_unstable();
                self.typed_sorted = t.len();
            }
        }
        if upto > self.typed.len() && !self.scattered_sorted {
            let q = &self.query;
            let idxs: Vec<u32> = self.scattered.iter().map(|r| r.2).collect();
            let scores = par_filter_map(&idxs, |m, i| Some(matching::fuzzy_score(m, index.key(i), q)));
            for (row, s) in self.scattered.iter_mut().zip(scores) {
                row.0 = Reverse(s);
            }
            self.scattered.sort_unstable();
            self.scattered_sorted = true;
        }
    }

    /// Lists the entries `keep` holds, in the chosen order (already final).
    fn set_in_order(&mut self, index: &Index, keep: impl Fn(u32) -> bool) {
        self.typed = index
            .order(self.sort)
            .iter()
            .filter(|&&i| keep(i))
            .enumerate()
            .map(|(pos, &i)| (Reverse(0), pos as u32, i))
            .collect();
        self.typed_sorted = self.typed.len();
    }

    /// Where `entry` is listed, sorting as far as needed.
    pub fn position_of(&mut self, index: &Index, entry: u32) -> Option<usize> {
        if !self.filtered {
            return index.order(self.sort).iter().position(|&i| i == entry);
        }
        let len = self.len(index);
        self.ensure_sorted(index, len);
        (0..len).find(|&p| self.get(index, p) == Some(entry))
    }
}

/// `(entry, how it matched)` for every match of one query.
/// `(entry, tier)` of every match of one query; a fuzzy match has tier
/// `SCATTERED`. Kept small: a few of these are cached while typing.
type Hits = Arc<Vec<(u32, i32)>>;

const SCATTERED: i32 = SCATTERED_TIER;

/// Search with a cache of the results of each prefix of the current query.
#[derive(Debug, Default)]
pub struct Searcher {
    /// `(query, its matches)`, each query a prefix of the next.
    stack: Vec<(String, Hits)>,
    generation: u64,
}

impl Searcher {
    /// For a query of several words, each word's tier for every entry when
    /// the word was searched alone earlier (`li` while typing `li na`):
    /// those words are not looked for in the keys again.
    fn word_tiers(&self, index: &Index, q: &str) -> Vec<Option<Vec<i32>>> {
        if !q.contains(' ') {
            return Vec::new();
        }
        q.split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let (_, hits) = self.stack.iter().find(|(p, _)| p == w)?;
                let mut tiers = vec![NO_TIER; index.len()];
                for &(i, tier) in hits.iter() {
                    tiers[i as usize] = tier;
                }
                Some(tiers)
            })
            .collect()
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
        while self.stack.last().is_some_and(|(p, _)| !q.starts_with(p.as_str())) {
            self.stack.pop();
        }
        // A fuzzy query narrows only a fuzzy prefix's matches: the exact
        // matches of `wa` do not hold every fuzzy match of `wan`.
        let base = self
            .stack
            .iter()
            .rev()
            .find(|(p, _)| *p == q || matching::narrows(p, &q));
        let hits: Hits = match base {
            Some((p, hits)) if *p == q => hits.clone(),
            base => {
                let prepared = Query::new(&q);
                let tiers = self.word_tiers(index, &q);
                let one = |_: &SkimMatcherV2, i: u32| {
                    index.classify_known(i, &prepared, &tiers).map(|m| match m {
                        Match::Typed(t) => (i, t as i32),
                        Match::Scattered => (i, SCATTERED),
                    })
                };
                let found = match base {
                    Some((_, prev)) => par_filter_map(&prev.iter().map(|h| h.0).collect::<Vec<_>>(), one),
                    None => par_filter_map(&(0..index.len() as u32).collect::<Vec<_>>(), one),
                };
                let found = Arc::new(found);
                self.stack.push((q.clone(), found.clone()));
                found
            }
        };
        let mut r = Results {
            filtered: true,
            query: q.replace(' ', ""),
            sort,
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
        let rank = index.name_rank();
        for &(i, tier) in hits.iter().filter(|h| keep(h.0)) {
            match tier {
                SCATTERED => r.scattered.push((Reverse(0), rank[i as usize], i)),
                tier => r.typed.push((Reverse(tier as i64), rank[i as usize], i)),
            }
        }
        r.ensure_sorted(index, EAGER_ROWS);
        r
    }
}
