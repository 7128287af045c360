//! Team sync in the TUI (issue 20): the status bar shows what waits to be
//! sent and when the book last synced; one key syncs on a worker thread
//! (typing never waits, the result comes back as a message); conflicts
//! open in an overlay (see `conflicts`). Nothing here when the book has no
//! team server.

pub mod conflicts;

use std::sync::mpsc::{Receiver, TryRecvError};

use super::binding::{Binding, Ctx, NO_MODS, SHIFT_MOD, b};
use super::{Action, App, Change, Level, Overlay};
use crate::i18n::{t, tf};
use crate::storage::Store;
use crate::sync::{self, Report};

pub use super::action::sync::Cmd;
pub use conflicts::ConflictsView;

use ratatui::crossterm::event::KeyCode as K;

/// The sync conflicts overlay's contexts.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// The sync conflicts.
    pub const SyncConflicts: Ctx = Ctx::new("sync.ctx.conflicts").blocking();
    /// Typing the value that resolves a conflict.
    pub const SyncEdit: Ctx = Ctx::new("sync.ctx.edit").typing().blocking();
}

pub static KEYS: &[Binding] = &[
    b!(
        Global,
        K::Char('S'),
        SHIFT_MOD,
        Action::Sync(Cmd::Now),
        "sync.key.now",
        false
    ),
    b!(
        Global,
        K::Char('R'),
        SHIFT_MOD,
        Action::Sync(Cmd::Conflicts),
        "sync.key.conflicts",
        false
    ),
    b!(
        SyncConflicts,
        K::Char('m'),
        NO_MODS,
        Action::Sync(Cmd::KeepMine),
        "sync.key.mine",
        true
    ),
    b!(
        SyncConflicts,
        K::Char('t'),
        NO_MODS,
        Action::Sync(Cmd::KeepTheirs),
        "sync.key.theirs",
        true
    ),
    b!(
        SyncConflicts,
        K::Char('e'),
        NO_MODS,
        Action::Sync(Cmd::Edit),
        "sync.key.edit",
        true
    ),
    b!(SyncConflicts, K::Down, NO_MODS, Action::Down, "key.down", false),
    b!(SyncConflicts, K::Char('j'), NO_MODS, Action::Down, "key.down", false),
    b!(SyncConflicts, K::Up, NO_MODS, Action::Up, "key.up", false),
    b!(SyncConflicts, K::Char('k'), NO_MODS, Action::Up, "key.up", false),
    b!(SyncConflicts, K::Esc, NO_MODS, Action::Back, "key.close", true),
    b!(SyncEdit, K::Enter, NO_MODS, Action::Submit, "sync.key.use_value", true),
    b!(SyncEdit, K::Esc, NO_MODS, Action::Back, "key.cancel", true),
    b!(
        SyncEdit,
        K::Backspace,
        NO_MODS,
        Action::Backspace,
        "key.backspace",
        false
    ),
    b!(SyncEdit, K::Left, NO_MODS, Action::Left, "key.left", false),
    b!(SyncEdit, K::Right, NO_MODS, Action::Right, "key.right", false),
    b!(
        SyncEdit,
        K::Char('u'),
        super::binding::CTRL_MOD,
        Action::ClearInput,
        "key.clear_input",
        false
    ),
];

/// What the status bar says about sync, and the sync running.
#[derive(Debug, Default)]
pub struct SyncState {
    /// The team server (config, else the one the book last synced with);
    /// `None`: the book does not sync and nothing is shown.
    pub url: Option<String>,
    /// Changes recorded here and not sent yet.
    pub pending: i64,
    /// When the book last synced ("2026-11-23 09:00:00").
    pub last_sync: Option<String>,
    /// Conflicts waiting for the rep.
    pub conflicts: usize,
    /// The sync running on its worker thread.
    worker: Option<Receiver<Result<Report, String>>>,
}

impl SyncState {
    pub fn running(&self) -> bool {
        self.worker.is_some()
    }
}

/// Reads where the book syncs (`config_url` first) and what waits.
pub fn configure(app: &mut App, store: &Store, config_url: &str) {
    let stored = match store.sync_state() {
        Ok(s) => s.server,
        Err(e) => {
            app.error(&e);
            None
        }
    };
    app.sync.url = Some(config_url.to_string()).filter(|u| !u.is_empty()).or(stored);
    refresh(app, store);
}

/// Re-reads the pending count, the last sync and the open conflicts
/// (a count on the outbox: cheap, and only for a book that syncs).
pub fn refresh(app: &mut App, store: &Store) {
    if app.sync.url.is_none() {
        return;
    }
    // A failed read is said (the log has the detail) rather than leaving
    // the last figures on the status bar as if they were current.
    match sync::status(store) {
        Ok(s) => {
            app.sync.pending = s.pending;
            app.sync.last_sync = s.last_sync;
            app.sync.conflicts = s.conflicts;
        }
        Err(sync::SyncError::Storage(e)) => app.error(&e),
        Err(e) => app.message = Some((e.text(app.lang), Level::Error)),
    }
}

/// The sync keys.
pub fn action(app: &mut App, cmd: Cmd, store: &mut Store) {
    match cmd {
        Cmd::Now => start(app, store),
        Cmd::Conflicts => conflicts::open(app, store),
        Cmd::KeepMine | Cmd::KeepTheirs | Cmd::Edit => conflicts::action(app, cmd, store),
    }
}

/// Starts a sync on a worker thread with its own connection to the book.
fn start(app: &mut App, store: &Store) {
    if app.overlay.is_some() {
        return;
    }
    if app.sync.running() {
        return app.info("sync.msg.running");
    }
    let Some(url) = app.sync.url.clone() else {
        app.message = Some((t(app.lang, "sync.err.no_server").to_string(), Level::Error));
        return;
    };
    app.own_work_starts();
    let (tx, rx) = std::sync::mpsc::channel();
    let path = store.path().to_path_buf();
    let cadence = app.cadence.clone();
    let (lang, now) = (app.lang, app.now.format("%Y-%m-%d %H:%M:%S").to_string());
    std::thread::spawn(move || {
        let result = (|| {
            let mut book = Store::open(&path).map_err(|e| t(lang, e.key()).to_string())?;
            book.set_cadence(&cadence).map_err(|e| t(lang, e.key()).to_string())?;
            sync::sync(&mut book, &url, &now).map_err(|e| e.text(lang))
        })();
        let _ = tx.send(result);
    });
    app.sync.worker = Some(rx);
    app.info("sync.msg.started");
}

impl App {
    /// Takes the sync's result when it is done: says what it did (or why
    /// it could not), reloads what the pull changed, and opens the
    /// conflicts when there are some. True when the screen changed.
    pub fn poll_sync(&mut self, store: &mut Store) -> bool {
        let Some(rx) = &self.sync.worker else { return false };
        let result = match rx.try_recv() {
            Ok(r) => r,
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => Err(t(self.lang, "sync.msg.stopped").to_string()),
        };
        self.sync.worker = None;
        match result {
            Ok(report) => {
                let mut msg = tf(
                    self.lang,
                    "sync.msg.done",
                    &[
                        ("pushed", &report.pushed),
                        ("pulled", &report.pulled),
                        ("conflicts", &report.conflicts),
                    ],
                );
                if !report.kept.is_empty() {
                    msg.push_str(&tf(self.lang, "sync.msg.kept", &[("n", &report.kept.len())]));
                }
                if report.pulled > 0 {
                    // What others changed: the list and every pane reload.
                    self.start_loader();
                    self.announce(store, Change::Book);
                }
                self.message = Some((msg, Level::Info));
                refresh(self, store);
                if report.conflicts > 0 && self.overlay.is_none() {
                    conflicts::open(self, store);
                }
            }
            Err(e) => {
                refresh(self, store);
                self.message = Some((e, Level::Error));
            }
        }
        true
    }

    /// Blocks until the sync worker is done (tests).
    pub fn wait_for_sync(&mut self, store: &mut Store) {
        while self.sync.running() {
            if !self.poll_sync(store) {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}

/// The status bar's part about sync: pending changes, the last sync,
/// conflicts; `None` for a book that does not sync.
pub fn status_text(app: &App) -> Option<String> {
    let s = &app.sync;
    s.url.as_ref()?;
    let lang = app.lang;
    let mut parts = Vec::new();
    if s.running() {
        parts.push(t(lang, "sync.bar.running").to_string());
    } else if s.pending == 0 && s.last_sync.is_none() {
        // Never synced: nothing is recorded yet, so nothing to count.
    } else if s.pending > 0 {
        parts.push(tf(lang, "sync.bar.pending", &[("n", &s.pending)]));
    } else {
        parts.push(t(lang, "sync.bar.all_sent").to_string());
    }
    parts.push(match &s.last_sync {
        Some(at) => {
            let today = app.today().format("%Y-%m-%d").to_string();
            let when = match at.strip_prefix(&today) {
                Some(time) => time.trim().get(..5).unwrap_or("").to_string(),
                None => at.get(..16).unwrap_or(at).to_string(),
            };
            tf(lang, "sync.bar.last", &[("at", &when)])
        }
        None => t(lang, "sync.bar.never").to_string(),
    });
    if s.conflicts > 0 {
        parts.push(tf(lang, "sync.bar.conflicts", &[("n", &s.conflicts)]));
    }
    Some(parts.join(" · "))
}

/// The overlay's context: the list of conflicts, or typing a value.
pub fn context(view: &ConflictsView) -> super::binding::Ctx {
    if view.editing.is_some() {
        super::binding::Ctx::SyncEdit
    } else {
        super::binding::Ctx::SyncConflicts
    }
}

/// The overlay is open: it takes the other actions.
pub fn overlay_action(app: &mut App, action: Action, store: &mut Store) {
    conflicts::update(app, action, store);
}

/// Text typed while a value is edited.
pub fn type_text(app: &mut App, s: &str) {
    if let Some(Overlay::Sync(v)) = &mut app.overlay
        && let Some(input) = &mut v.editing
    {
        input.insert_str(s);
    }
}
