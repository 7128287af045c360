//! The state of the screen and the one `update` that changes it.
//!
//! One keypress to SQLite and back: `d` on an agenda item, then `Ctrl-S`.
//! 1. `tui::handle_key` reads the key; `app.keys.resolve(app.context(), key)`
//!    turns it into an `Action` through the one key table (`binding` gives
//!    its shape, each pane adds its rows). `App::context` asks the overlay,
//!    else the focused pane's entry in `crate::panes::PANES`.
//! 2. `App::update` routes `Action::Done` to the focused pane's `update`
//!    (`agenda::update`), which opens the done form (`Overlay::Form`).
//! 3. `Ctrl-S` resolves to `Action::Submit` in the form's context;
//!    `App::form_action` (`forms.rs`) routes the submit by the form's kind
//!    to the module that owns it (`agenda::submit`).
//! 4. `agenda::submit` reads the typed fields (domain rules check them), and
//!    one storage method writes in one transaction (`Store::log_and_schedule`
//!    → SQLite).
//! 5. The pane answers with effects: `App::apply([Effect::Info(..),
//!    Effect::Wrote(Change::Customer(id))])` shows the message and announces
//!    the change once (`App::announce`): every pane's `changed` follows it
//!    (the customer list updates the row and the card, the board its
//!    prospect, the agenda reloads its day).
//! 6. The next frame `ui::render(&app)` draws the tabs and the focused
//!    pane through its entry's `render` (`ui::agenda::render`), never
//!    querying.

pub mod accounts;
pub mod action;
pub mod agenda;
mod agenda_card;
mod agenda_day;
mod agenda_forms;
mod agenda_text;
pub mod complaints;
mod confirm;
pub mod customers;
pub mod draft;
mod edit;
pub mod external;
pub mod find;
pub use customers::{CARD_INTERACTIONS, TUI_DEMO_CUSTOMERS};
pub mod binding;
pub mod form;
mod forms;
pub mod health;
pub mod help;
pub mod import;
pub mod input;
pub mod insights;
pub mod keymap;
pub mod list;
mod notice;
pub mod qualification;
mod seam;
pub mod teamsync;
pub use seam::{Change, Effect, Pane, PaneDef, PaneEntry, Render};

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use chrono::{NaiveDate, NaiveDateTime};

pub use action::Action;
use form::Form;
use input::TextInput;
use keymap::Ctx;

use crate::domain::cadence::Cadence;
use crate::domain::customer::{Customer, StatusChange};
use crate::domain::interaction::Interaction;
use crate::i18n::{Lang, t};
use crate::search::Index;
use crate::storage::{StorageError, Store};
use crate::theme::Theme;

/// What sits over the pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The help screen, scrolled to line `scroll`, over what was open.
    Help {
        scroll: u16,
        under: Option<Box<Overlay>>,
    },
    Form(Form),
    Confirm(Confirm),
    /// Importing a file: path, preview, questions, progress, result.
    Import(Box<import::ImportState>),
    /// The sync conflicts, each kept mine, theirs, or typed.
    Sync(Box<teamsync::ConflictsView>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    Quit,
    /// Discard the open form; the form comes back on "no".
    DiscardForm(Form),
    /// Restore the form saved when Rapport was last closed by a signal.
    RestoreDraft(Form),
    /// Put a "call today" on each of these customers (region care).
    RegionCare {
        ids: Vec<i64>,
        label: String,
    },
    /// Delete, merge, a look-alike when saving a customer.
    Find(find::FindConfirm),
    /// The qualification pane's questions (mark non-customer; a status
    /// change the MAN verdict argues against).
    Qual(qualification::QualConfirm),
    /// A follow-up recorded as satisfied with a satisfaction below the
    /// minimum: go back to agreeing a solution instead?
    LowSatisfaction {
        form: Form,
        id: i64,
        got: u8,
        min: u8,
    },
    /// Accept all these many grade suggestions.
    Grades(usize),
    /// Delete this purchase.
    DeletePurchase(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The pre-call card of one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub customer: Customer,
    pub history: Vec<StatusChange>,
    pub recent: Vec<Interaction>,
    /// What the other panes add (the MAN verdict, open complaints, what is
    /// due), already in the user's language.
    pub sections: Vec<CardSection>,
    /// One line each for the top of the card (the MAN gap, the open
    /// complaints), taken from the sections.
    pub summary: Vec<CardLine>,
    /// The day they left their company (DOMAIN §4): no cadence since.
    pub left: Option<NaiveDate>,
}

/// What building a card needs besides the database (the TUI and the CLI
/// both build cards).
pub struct CardEnv<'a> {
    pub lang: Lang,
    pub now: NaiveDateTime,
    pub cadence: &'a Cadence,
    /// The value analysis settings, and its result when already computed.
    pub value: &'a crate::domain::value::ValueConfig,
    pub currency: crate::domain::value::Currency,
    pub analysis: Option<&'a crate::domain::value::Analysis>,
}

/// A titled block of lines on the pre-call card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardSection {
    pub title: String,
    pub lines: Vec<CardLine>,
}

impl CardSection {
    /// A section that could not be read: it says so, the rest of the card
    /// still shows.
    pub fn failed(lang: Lang, title: &str, e: &StorageError) -> CardSection {
        CardSection {
            title: title.to_string(),
            lines: vec![CardLine {
                text: crate::i18n::tf(lang, "card.read_failed", &[("why", &t(lang, e.key()))]),
                alert: true,
            }],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardLine {
    pub text: String,
    /// Shown highlighted (overdue, ask on the next call).
    pub alert: bool,
}

/// Rows loaded on the worker thread, or why it failed.
type Loaded = Result<Index, String>;

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub cadence: Cadence,
    /// Every pane, in tab order (`crate::panes::PANES`).
    pub panes: &'static [PaneEntry],
    /// The key table of these panes.
    pub keys: keymap::KeyTable,
    /// The pane with the focus.
    pub pane: Pane,
    pub overlay: Option<Overlay>,
    pub now: NaiveDateTime,
    pub index: Index,
    /// Customers in the file; the index may still be loading.
    pub total: usize,
    loader: Option<Receiver<Loaded>>,
    /// Whether the book may be written yet (its check passed): the index
    /// worker writes into it only then.
    book_gate: std::sync::Arc<crate::storage::health::Gate>,
    /// The Customers pane: list, search and the pre-call card.
    pub customers: customers::CustomersState,
    /// Rows the list shows (set by the event loop from the terminal size).
    pub viewport: usize,
    /// The customer selected in any pane (shared between panes).
    pub selected_id: Option<i64>,
    pub message: Option<(String, Level)>,
    pub should_quit: bool,
    pub db_path: PathBuf,
    pub qual: qualification::QualState,
    pub complaints: complaints::ComplaintsState,
    pub agenda: agenda::AgendaState,
    /// Shown above the pane while it holds: the book is damaged and open
    /// read-only (see `health`).
    pub banner: Option<String>,
    /// The newest backup of this book, offered by the banner.
    pub latest_backup: Option<PathBuf>,
    /// The draft file being offered; more may wait (see `draft`).
    draft_file: Option<PathBuf>,
    more_drafts: bool,
    /// The state of panes that keep it here rather than in a field (see
    /// [`App::state`]).
    pub states: seam::PaneStates,
    /// Where failures are written in full (set by the terminal runtime).
    pub log_path: Option<PathBuf>,
    /// Ctrl-Z was pressed: the terminal runtime suspends and clears it.
    pub suspend: bool,
    pub insights: insights::InsightsState,
    pub find: find::FindState,
    pub accounts: accounts::AccountsState,
    /// Team sync: what waits, the last sync, the sync running.
    pub sync: teamsync::SyncState,
    /// Today's automatic backup, running beside the first frame: a message
    /// arrives only when it failed.
    pub backup_notice: Option<Receiver<String>>,
    /// What the app last saw of changes other programs make to the book.
    pub external: external::Watch,
}

/// Rows read synchronously for the first frame; more loads in the background.
pub const FIRST_PAGE: usize = 200;

/// How long a save waits for the day's check of the book (minutes for a
/// large one) before the app says it still runs, the form kept open: the
/// screen never freezes longer than this.
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

impl App {
    /// Builds the app over an open store with its `panes` (the first has
    /// the focus): reads the first page for the first frame and, for larger
    /// books, starts the index worker.
    pub fn new(
        store: &Store,
        panes: &'static [PaneEntry],
        lang: Lang,
        theme: Theme,
        cadence: Cadence,
        now: NaiveDateTime,
    ) -> Result<App, StorageError> {
        store.set_write_wait(WRITE_WAIT);
        let page = store.first_page(FIRST_PAGE)?;
        let complete = page.rows.len() >= page.total;
        let index = Index::build(page.rows, &cadence);
        let mut app = App {
            lang,
            theme,
            cadence: cadence.clone(),
            panes,
            keys: keymap::KeyTable::new(panes),
            pane: panes.first().map_or(Pane::CUSTOMERS, |p| p.def.pane),
            overlay: None,
            now,
            index,
            total: page.total,
            loader: None,
            book_gate: store.health_gate(),
            customers: Default::default(),
            viewport: 20,
            selected_id: None,
            message: None,
            should_quit: false,
            db_path: store.path().to_path_buf(),
            qual: Default::default(),
            complaints: Default::default(),
            agenda: Default::default(),
            banner: None,
            latest_backup: None,
            draft_file: None,
            more_drafts: false,
            suspend: false,
            log_path: None,
            states: Default::default(),
            insights: Default::default(),
            find: Default::default(),
            accounts: Default::default(),
            sync: Default::default(),
            backup_notice: None,
            external: Default::default(),
        };
        accounts::load_left(&mut app, store);
        if !complete {
            app.start_loader();
        }
        app.refilter();
        Ok(app)
    }

    pub(crate) fn start_loader(&mut self) {
        self.own_work_starts();
        let (tx, rx) = std::sync::mpsc::channel();
        let path = self.db_path.clone();
        let cadence = self.cadence.clone();
        let gate = self.book_gate.clone();
        std::thread::spawn(move || {
            let may_write = || gate.state().writable();
            let loaded = crate::search::cache::load(&path, &cadence, crate::search::cache::CACHE_FROM, &may_write)
                .map_err(|e| e.to_string());
            let _ = tx.send(loaded);
        });
        self.loader = Some(rx);
    }

    /// Whether every customer is searchable yet.
    pub fn index_ready(&self) -> bool {
        self.loader.is_none()
    }

    /// Takes the finished index from the worker, if it is done. Returns
    /// true when something changed on screen.
    pub fn poll_loader(&mut self) -> bool {
        let Some(rx) = &self.loader else { return false };
        match rx.try_recv() {
            Ok(Ok(index)) => {
                self.loader = None;
                self.total = index.len();
                self.index = index;
                self.customers.searcher.reset();
                self.refilter();
                true
            }
            Ok(Err(e)) => {
                self.loader = None;
                self.message = Some((format!("{}: {e}", t(self.lang, "msg.index_failed")), Level::Error));
                true
            }
            Err(TryRecvError::Empty) => false,
            Err(TryRecvError::Disconnected) => {
                self.loader = None;
                true
            }
        }
    }

    /// Blocks until the index is loaded (CLI, tests, benchmark).
    pub fn wait_for_index(&mut self) {
        while self.loader.is_some() {
            if let Some(rx) = &self.loader
                && let Ok(loaded) = rx.recv()
            {
                self.loader = None;
                match loaded {
                    Ok(index) => {
                        self.total = index.len();
                        self.index = index;
                        self.customers.searcher.reset();
                        self.refilter();
                    }
                    Err(e) => {
                        self.message = Some((format!("{}: {e}", t(self.lang, "msg.index_failed")), Level::Error));
                    }
                }
            } else {
                self.loader = None;
            }
        }
    }

    pub fn card_env(&self) -> CardEnv<'_> {
        CardEnv {
            lang: self.lang,
            now: self.now,
            cadence: &self.cadence,
            value: &self.insights.cfg,
            currency: self.insights.currency,
            analysis: self.insights.base.as_deref(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// The keyboard context.
    pub fn context(&self) -> Ctx {
        match &self.overlay {
            Some(Overlay::Help { .. }) => return Ctx::Help,
            Some(Overlay::Form(_)) => return Ctx::Form,
            Some(Overlay::Confirm(_)) => return Ctx::Confirm,
            Some(Overlay::Import(s)) => return s.ctx(),
            Some(Overlay::Sync(v)) => return teamsync::context(v),
            None => {}
        }
        (self.def(self.pane).context)(self)
    }

    pub fn is_empty_book(&self) -> bool {
        self.total == 0
    }

    pub fn set_viewport(&mut self, rows: usize) {
        if rows != self.viewport {
            self.viewport = rows.max(1);
            self.scroll_into_view();
        }
    }

    pub fn info(&mut self, key: &str) {
        self.message = Some((t(self.lang, key).to_string(), Level::Info));
    }

    pub fn error(&mut self, e: &StorageError) {
        if let Some(log) = &self.log_path {
            crate::logfile::append(log, &format!("read or write failed: {e}"));
        }
        let detail = match e {
            StorageError::Sql(inner) => format!(" ({inner})"),
            _ => String::new(),
        };
        self.message = Some((format!("{}{detail}", t(self.lang, e.key())), Level::Error));
    }

    /// Records that could not be read while the rest could: the status bar
    /// names them (`key` takes `{n}` and `{ids}`), the log gets each reason.
    pub fn unreadable(&mut self, key: &str, rows: &[(i64, StorageError)]) {
        if let Some(log) = &self.log_path {
            for (id, e) in rows {
                crate::logfile::append(log, &format!("record {id} could not be read: {e}"));
            }
        }
        let ids: Vec<String> = rows.iter().map(|(id, _)| format!("#{id}")).collect();
        let ids = ids.join(crate::i18n::t(self.lang, "card.list_sep"));
        self.message = Some((
            crate::i18n::tf(self.lang, key, &[("n", &rows.len()), ("ids", &ids)]),
            Level::Error,
        ));
    }

    /// Applies one action. Errors end up in the status bar, never in a panic
    /// and never in a lost draft.
    pub fn update(&mut self, action: Action, store: &mut Store, now: NaiveDateTime) {
        self.now = now;
        if !matches!(action, Action::Up | Action::Down) {
            self.message = None;
        }
        match action {
            Action::Quit => self.should_quit = true,
            Action::Interrupt => self.interrupt(),
            Action::Suspend => self.suspend = true,
            Action::Help => self.open_help(),
            Action::NextPane => self.go_pane((self.tab() + 1) % self.panes.len(), store),
            Action::PrevPane => self.go_pane((self.tab() + self.panes.len() - 1) % self.panes.len(), store),
            Action::GoPane(n) => self.go_pane(n as usize, store),
            Action::Qual(_) => qualification::update(self, action, store),
            Action::Insights(
                cmd @ (insights::Cmd::AddPurchase
                | insights::Cmd::Purchases
                | insights::Cmd::EditPurchase
                | insights::Cmd::DeletePurchase),
            ) if self.overlay.is_none() => insights::purchases::action(self, cmd, store),
            Action::Find(cmd) => find::update(self, cmd, store),
            Action::Account(cmd) => accounts::action(self, cmd, store),
            Action::Sync(cmd) => teamsync::action(self, cmd, store),
            _ => match &self.overlay {
                Some(Overlay::Help { .. }) => self.help_action(action),
                Some(Overlay::Confirm(_)) => self.confirm_action(action, store),
                Some(Overlay::Form(_)) => self.form_action(action, store),
                Some(Overlay::Import(_)) => import::update(self, action, store),
                Some(Overlay::Sync(_)) => teamsync::overlay_action(self, action, store),
                None => (self.def(self.pane).update)(self, action, store),
            },
        }
        // Drafts of several Rapports closed at once are offered in turn.
        if self.more_drafts && self.overlay.is_none() {
            self.offer_draft(store);
        }
    }

    /// Text typed into the focused input (search box or form field).
    pub fn type_text(&mut self, s: &str) {
        match &mut self.overlay {
            Some(Overlay::Form(f)) => f.paste(s),
            Some(Overlay::Import(st)) => st.type_text(s),
            Some(Overlay::Sync(_)) => teamsync::type_text(self, s),
            Some(_) => {}
            None => (self.def(self.pane).type_text)(self, s),
        }
    }

    fn interrupt(&mut self) {
        match self.overlay.take() {
            Some(Overlay::Form(f)) if f.dirty => self.overlay = Some(Overlay::Confirm(Confirm::DiscardForm(f))),
            Some(Overlay::Form(_)) => {}
            Some(Overlay::Help { under, .. }) => self.overlay = under.map(|o| *o),
            Some(Overlay::Import(st)) => import::interrupt(self, st),
            Some(Overlay::Confirm(Confirm::DiscardForm(f))) => self.overlay = Some(Overlay::Form(f)),
            Some(Overlay::Confirm(_)) | Some(Overlay::Sync(_)) => {}
            None if self.customers.searching => {
                self.customers.searching = false;
                self.customers.query.clear();
                self.refilter();
            }
            None => self.overlay = Some(Overlay::Confirm(Confirm::Quit)),
        }
    }
}
