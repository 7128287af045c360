//! A keystroke answered from [`crate::search::screens`]: a query of two
//! letters or digits, the second key of almost every search.

use std::sync::Arc;

use super::super::pending::Pending;
use super::super::{Index, SortBy};
use super::{Level, Query, Results, Searcher};

impl Searcher {
    /// The first screen of a query of two letters or digits (which matches
    /// as typed only) and how many it matches, from the table: the rest of
    /// its matches are found when the list is scrolled past that screen, or
    /// a longer query needs them, or at once with `find_now` (a space after
    /// it announces a second word, which reads them: `li` in `li na`).
    pub(super) fn pair_screen(&mut self, index: &Index, q: &str, sort: SortBy, find_now: bool) -> Option<Results> {
        // The table holds matches as typed: it answers only a query that
        // has no other.
        let pair = crate::search::screens::pair_of(q.as_bytes()).filter(|_| crate::search::is_exact(q))?;
        let screen = index.screens.screen(pair, index.name_rank())?;
        let level = match self.stack.iter().position(|l| l.query == q) {
            Some(at) => &mut self.stack[at],
            None => {
                self.stack.push(Level {
                    query: q.to_string(),
                    hits: screen.all.map(Arc::new),
                    count: screen.count,
                    typed_only: false,
                    plain: true,
                });
                self.stack.last_mut()?
            }
        };
        if find_now && level.hits.is_none() {
            level.hits = Some(Arc::new(crate::search::scan::typed_everywhere(index, &Query::new(q))));
        }
        let all_shown = screen.count == screen.rows.len();
        Some(Results {
            filtered: true,
            typed_sorted: screen.rows.len(),
            typed: screen.rows,
            pending: (!all_shown).then_some(Pending {
                hits: level.hits.clone(),
                typed: screen.count,
                scattered: 0,
            }),
            query: q.to_string(),
            sort,
            ..Results::default()
        })
    }
}
