//! Finding a company (issue 16): by name, pinyin (full or initials),
//! industry or city, ranked as `rapport company` ranks them; `Enter`
//! opens the account view of the highlighted one. Opened with `C` from
//! the customer list (starting from the list's query, so a search that
//! names a company finds it as a company) or `/` in the account view.

use super::super::input::TextInput;
use super::super::{Action, App};
use crate::search::companies::{company_keys, rank_companies};
use crate::storage::{CompanyRow, Store};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Finder {
    pub query: TextInput,
    /// Every company, in name order, read once when the search opened.
    rows: Vec<CompanyRow>,
    keys: Vec<(i64, String)>,
    /// Each company's place in `rows`, by id.
    at: std::collections::HashMap<i64, usize>,
    /// The matches (indexes into `rows`), best first.
    hits: Vec<usize>,
    pub cursor: usize,
}

impl Finder {
    fn new(rows: Vec<CompanyRow>, query: &str) -> Finder {
        let keys = company_keys(rows.iter().map(|r| &r.company));
        let at = rows.iter().enumerate().map(|(i, r)| (r.company.id, i)).collect();
        let mut f = Finder {
            query: TextInput::new(query),
            rows,
            keys,
            at,
            hits: Vec::new(),
            cursor: 0,
        };
        f.rank();
        f
    }

    fn rank(&mut self) {
        self.hits = rank_companies(&self.keys, self.query.text())
            .into_iter()
            .filter_map(|id| self.at.get(&id).copied())
            .collect();
        self.cursor = 0;
    }

    /// The matches, best first.
    pub fn hits(&self) -> impl ExactSizeIterator<Item = &CompanyRow> {
        self.hits.iter().map(|&i| &self.rows[i])
    }

    pub fn len(&self) -> usize {
        self.hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// The highlighted company's id.
    pub fn selected(&self) -> Option<i64> {
        self.hits.get(self.cursor).map(|&i| self.rows[i].company.id)
    }

    fn move_by(&mut self, n: isize) {
        let last = self.hits.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(n).min(last);
    }
}

/// Opens the company search, starting from `query`.
pub fn open(app: &mut App, store: &Store, query: &str) {
    match store.companies() {
        Ok(rows) if rows.is_empty() => app.info("account.msg.no_companies"),
        Ok(rows) => app.accounts.finder = Some(Finder::new(rows, query.trim())),
        Err(e) => app.error(&e),
    }
}

/// Text typed into the search line.
pub fn type_text(app: &mut App, s: &str) {
    if let Some(f) = &mut app.accounts.finder {
        f.query.insert_str(s);
        f.rank();
    }
}

/// The keys of the company search.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    let Some(f) = &mut app.accounts.finder else { return };
    match action {
        Action::Down => f.move_by(1),
        Action::Up => f.move_by(-1),
        Action::PageDown => f.move_by(10),
        Action::PageUp => f.move_by(-10),
        Action::Left => f.query.left(),
        Action::Right => f.query.right(),
        Action::Backspace | Action::DeleteWord | Action::ClearInput => {
            match action {
                Action::Backspace => f.query.backspace(),
                Action::DeleteWord => f.query.delete_word(),
                _ => f.query.clear(),
            }
            f.rank();
        }
        Action::Back => app.accounts.finder = None,
        Action::AcceptSearch => match f.selected() {
            Some(id) => {
                app.accounts.finder = None;
                app.accounts.parked = None;
                super::open(app, store, id, None);
            }
            None => app.info("account.msg.no_match"),
        },
        _ => {}
    }
}
