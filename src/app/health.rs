//! What the app shows about the book's health: a damaged book (found when
//! it was opened, or by the day's full check running in the background)
//! puts a banner over every pane that says it is open read-only and how
//! to restore the latest backup; what the open found (a leftover WAL set
//! aside, a book others can read) is said once in the status line.

use super::{App, Level};
use crate::i18n::{t, tf};
use crate::storage::health::State;
use crate::storage::{Notice, Store};

impl App {
    /// Follows the book's health; true when the screen changed.
    pub fn poll_health(&mut self, store: &Store) -> bool {
        if self.banner.is_some() {
            return false;
        }
        let State::Damaged(_) = store.health() else {
            return false;
        };
        let restore = match &self.latest_backup {
            Some(p) => tf(self.lang, "safety.banner_restore", &[("path", &p.display())]),
            None => t(self.lang, "safety.banner_restore_any").to_string(),
        };
        self.banner = Some(format!("{} {restore}", t(self.lang, "safety.banner_damaged")));
        true
    }

    /// Says once what opening the book found.
    pub fn tell(&mut self, notices: &[Notice]) {
        if let Some(n) = notices.first() {
            self.message = Some((notice_text(self.lang, n), Level::Error));
        }
    }
}

/// A notice in the user's language (the CLI prints the same on stderr).
pub fn notice_text(lang: crate::i18n::Lang, n: &Notice) -> String {
    match n {
        Notice::WalSetAside(p) => tf(lang, "safety.wal_set_aside", &[("path", &p.display())]),
        Notice::ReadableByOthers(mode) => tf(lang, "safety.readable", &[("mode", &format!("{mode:o}"))]),
    }
}
