//! The Customers pane's list: the search over the index, the cursor, the
//! scroll and the selection it shares with the other panes.

use crate::app::App;
use crate::search::EntryRef;

impl App {
    /// The entry under the cursor.
    pub fn current(&self) -> Option<EntryRef<'_>> {
        self.customers
            .results
            .get(&self.index, self.customers.cursor)
            .map(|i| self.index.entry(i))
    }

    /// Re-runs the search after the query, the sort or the index changed,
    /// keeping the selected customer under the cursor when still listed.
    pub fn refilter(&mut self) {
        let today = self.today();
        let by_match = !self.find.sort_on_query;
        let allowed = self.find.allowed(&self.index, today);
        // The last rows go before the next are made: at a million
        // customers each list may hold a third of them.
        self.customers.results = crate::search::Results::default();
        self.customers.results = self.customers.searcher.search(
            &self.index,
            self.customers.query.text(),
            self.customers.sort,
            by_match,
            allowed,
        );
        let len = self.customers.results.len(&self.index);
        // The cursor stays on the selected customer in the whole list; a
        // search starts at its best match.
        let keep = self.selected_id.filter(|_| self.customers.query.is_empty());
        self.customers.cursor = match keep.and_then(|id| self.index.position_of(id)) {
            Some(entry) => self.customers.results.position_of(&self.index, entry).unwrap_or(0),
            None => 0,
        };
        if len == 0 {
            self.customers.cursor = 0;
        }
        self.scroll_into_view();
        self.sync_selection();
    }

    pub(super) fn sync_selection(&mut self) {
        if let Some(id) = self.current().map(|e| e.id) {
            self.selected_id = Some(id);
        }
    }

    pub(crate) fn scroll_into_view(&mut self) {
        let h = self.viewport.max(1);
        self.customers
            .results
            .ensure_sorted(&self.index, self.customers.cursor + h + 1);
        if self.customers.cursor < self.customers.offset {
            self.customers.offset = self.customers.cursor;
        } else if self.customers.cursor >= self.customers.offset + h {
            self.customers.offset = self.customers.cursor + 1 - h;
        }
        let len = self.customers.results.len(&self.index);
        self.customers.offset = self.customers.offset.min(len.saturating_sub(1));
        self.customers
            .results
            .ensure_sorted(&self.index, self.customers.offset + h + 1);
    }

    pub(super) fn move_cursor(&mut self, delta: isize) {
        let len = self.customers.results.len(&self.index);
        if len == 0 {
            return;
        }
        let target = (self.customers.cursor as isize + delta).clamp(0, len as isize - 1) as usize;
        self.customers.cursor = target;
        self.scroll_into_view();
        self.sync_selection();
    }
}
