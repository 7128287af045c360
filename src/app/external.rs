//! Changes other programs make to the book while the app is open (a
//! `rapport import` or `rapport add` in another terminal, a second
//! Rapport, a script): SQLite's data version moves when another
//! connection commits, and the app then reloads the list and every pane,
//! as after a sync's pull. The app's own workers write through their own
//! connections too (an import, a sync, the index file's mark, the kept
//! analysis); while one runs, or when one started or ran since the last
//! look, the version is only noted.

use std::time::{Duration, Instant};

use super::App;
use super::seam::Change;
use crate::storage::Store;

/// How often the data version is read (a statement of a few microseconds).
const EVERY: Duration = Duration::from_secs(2);

/// What the app last saw of the book.
#[derive(Debug, Default)]
pub struct Watch {
    /// The data version last read; `None` before the first look.
    seen: Option<i64>,
    checked: Option<Instant>,
    /// Workers of this app started since the last look.
    started: u32,
    /// One of them ran at the last look (it may have written since).
    running: bool,
}

impl App {
    /// Notes that a worker of this app starts that may write to the book:
    /// what it writes is not another program's change.
    pub(crate) fn own_work_starts(&mut self) {
        self.external.started += 1;
    }

    fn own_work_running(&self) -> bool {
        let importing = matches!(
            &self.overlay,
            Some(super::Overlay::Import(st)) if matches!(st.stage, super::import::Stage::Running { .. })
        );
        !self.index_ready() || self.insights.loading() || self.sync.running() || importing
    }

    /// Looks, at most every two seconds, whether another program changed
    /// the book; when it did, the list and every pane reload. True when
    /// the screen changed.
    pub fn poll_book(&mut self, store: &Store) -> bool {
        if self.external.checked.is_some_and(|at| at.elapsed() < EVERY) {
            return false;
        }
        self.look_at_book(store)
    }

    /// [`App::poll_book`] without waiting for the interval (tests).
    pub fn look_at_book(&mut self, store: &Store) -> bool {
        self.external.checked = Some(Instant::now());
        let Ok(version) = store.data_version() else {
            return false;
        };
        let seen = self.external.seen.replace(version);
        let running = self.own_work_running();
        let ran = std::mem::replace(&mut self.external.running, running);
        let own = std::mem::take(&mut self.external.started) > 0 || running || ran;
        if own || seen.is_none_or(|s| s == version) {
            return false;
        }
        self.start_loader();
        self.announce(store, Change::Book);
        true
    }
}
