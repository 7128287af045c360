//! The terminal runtime: raw mode and the alternate screen on the way in,
//! restored on every way out (quit, error, panic, SIGTERM/SIGHUP/SIGINT).
//! The loop is synchronous: draw, wait for a key, resolve it through the
//! key table, update.

use std::io::{self, Stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};

use crate::app::App;
use crate::app::draft::Draft;
use crate::app::keymap::Resolved;
use crate::clock::Clock;
use crate::i18n::{Lang, tf};
use crate::storage::Store;
use crate::ui;

/// Puts the terminal back the way the shell had it. Safe to call twice.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

/// On panic: restore the terminal first, then say what happened and where
/// the log is.
pub fn install_panic_hook(log: PathBuf) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        crate::logfile::append(&log, &format!("panic at {location}"));
        crate::stderr::warnln!(
            "\nRapport stopped because of an internal error (at {location}).\n\
             Everything you saved is in the database. Details are in {}.\n\
             Rapport 因内部错误而退出。已保存的数据都在数据库中，详情见 {}。\n",
            log.display(),
            log.display()
        );
        default(info);
    }));
}

/// How the process ends when the loop cannot end it: the reason to stop,
/// raised by SIGTERM, SIGHUP and SIGINT or by the terminal going away, and
/// a copy of the form being typed, kept by the loop after every key.
pub struct Lifeline {
    stop: AtomicBool,
    /// Ctrl-Z or SIGTSTP: give the terminal back and stop until `fg`.
    suspend: AtomicBool,
    draft: Mutex<Option<Draft>>,
    /// The draft was saved (or tried): by the loop or by the watcher, once.
    /// Held for the whole save, so the watcher never ends the process
    /// while the loop is still writing the draft (a slow disk under load).
    saved: Mutex<bool>,
    db: PathBuf,
    log: PathBuf,
    lang: Lang,
}

impl Lifeline {
    /// Whether the loop should leave.
    pub fn raised(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Keeps a copy of the app's open form (none when no form is open).
    pub fn keep_draft(&self, app: &App) {
        let d = app.draft();
        if let Ok(mut slot) = self.draft.lock() {
            *slot = d;
        }
    }

    /// Saves the kept form as a draft, once (whichever of the loop and
    /// the watcher gets there first). A draft that cannot be written is
    /// said on stderr and in the log, and the run ends with an error.
    fn save_draft(&self) -> Result<(), String> {
        let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        if std::mem::replace(&mut *saved, true) {
            return Ok(());
        }
        let taken = self.draft.lock().ok().and_then(|mut slot| slot.take());
        let Some(d) = taken else {
            return Ok(());
        };
        match d.save(&self.db) {
            Ok(_) => {
                crate::logfile::append(&self.log, "draft kept after a signal");
                Ok(())
            }
            Err(e) => {
                let msg = tf(
                    self.lang,
                    "safety.draft_not_saved",
                    &[("error", &e), ("path", &self.db.display())],
                );
                crate::logfile::append(&self.log, &format!("draft not saved: {e}"));
                Err(msg)
            }
        }
    }
}

/// Whether the terminal on standard input is still there. Once the
/// terminal is gone (window closed, ssh dropped) its size can no longer be
/// read, while reading it returns nothing forever.
fn terminal_alive() -> bool {
    rustix::termios::tcgetwinsize(io::stdin()).is_ok()
}

/// Starts the watcher. When a signal arrives or the terminal goes away it
/// raises the lifeline; the event loop sees that between events, saves the
/// form being typed as a draft and leaves cleanly. As a safety net, if the
/// loop has not left within 800 ms the watcher saves the draft itself,
/// restores the terminal and ends the process: when the terminal is gone
/// the terminal library can stay stuck reading it (and would keep a core
/// busy forever, draining the battery). Everything committed is already in
/// the database either way.
pub fn watch(db: PathBuf, log: PathBuf, lang: Lang) -> io::Result<Arc<Lifeline>> {
    use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2};
    let life = Arc::new(Lifeline {
        stop: AtomicBool::new(false),
        suspend: AtomicBool::new(false),
        draft: Mutex::new(None),
        saved: Mutex::new(false),
        db,
        log,
        lang,
    });
    // Every signal whose default would end the process without a word
    // ends it cleanly instead: terminal restored, draft kept.
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP])?;
    let watch_terminal = terminal_alive();
    let raised = life.clone();
    std::thread::spawn(move || {
        let code = 'watch: loop {
            for sig in signals.pending() {
                if sig == SIGTSTP {
                    raised.suspend.store(true, Ordering::SeqCst);
                } else {
                    break 'watch 128 + sig;
                }
            }
            if watch_terminal && !terminal_alive() {
                break 128 + SIGHUP;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        raised.stop.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(800));
        let saved = raised.save_draft();
        restore_terminal();
        if let Err(msg) = saved {
            crate::stderr::warnln!("rapport: {msg}");
        }
        std::process::exit(code);
    });
    Ok(life)
}

fn setup() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste) {
        restore_terminal();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Ctrl-Z or SIGTSTP: the terminal goes back to the shell as it was, the
/// process stops; `fg` (SIGCONT) brings it back in raw mode on the
/// alternate screen, drawn anew.
fn suspend(terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
    restore_terminal();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    terminal.clear()
}

/// Runs the TUI until the user quits or a signal arrives.
pub fn run(app: &mut App, store: &mut Store, clock: Clock, log: PathBuf) -> anyhow::Result<()> {
    install_panic_hook(log.clone());
    app.log_path = Some(log.clone());
    let life = watch(app.db_path.clone(), log, app.lang)?;
    let mut terminal = setup()?;
    let result = event_loop(&mut terminal, app, store, clock, &life);
    let saved = if life.raised() || result.is_err() {
        // Closed by a signal, or the terminal failed under the loop (it may
        // be gone): keep what the user was typing.
        life.keep_draft(app);
        life.save_draft()
    } else {
        Ok(())
    };
    restore_terminal();
    // A clean exit leaves an empty WAL: the .db file alone is a full copy.
    let _ = store.checkpoint();
    saved.map_err(|msg| anyhow::anyhow!(msg))?;
    result
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    store: &mut Store,
    clock: Clock,
    life: &Lifeline,
) -> anyhow::Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            let size = terminal.size()?;
            app.set_viewport(ui::list_rows(size.height));
            terminal.draw(|f| ui::render(app, f))?;
            dirty = false;
        }
        let wait = if app.index_ready() {
            Duration::from_millis(250)
        } else {
            Duration::from_millis(30)
        };
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    // A seam for the end-to-end test of the panic path.
                    if key.code == event::KeyCode::F(12) && std::env::var_os("RAPPORT_TEST_PANIC").is_some() {
                        panic!("panic requested by RAPPORT_TEST_PANIC");
                    }
                    handle_key(app, store, clock, &key);
                    life.keep_draft(app);
                    dirty = true;
                }
                Event::Paste(s) => {
                    app.paste(&s, store);
                    life.keep_draft(app);
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
        if life.suspend.swap(false, Ordering::SeqCst) | std::mem::take(&mut app.suspend) {
            suspend(terminal)?;
            dirty = true;
        }
        dirty |= app.poll_health(store);
        dirty |= app.poll_loader();
        dirty |= app.poll_insights(store);
        dirty |= app.poll_import(store);
        dirty |= app.poll_backup();
        dirty |= app.poll_sync(store);
        dirty |= app.poll_book(store);
        if life.raised() {
            return Ok(());
        }
        if app.should_quit {
            return Ok(());
        }
    }
}

/// One key through the key table into the app.
pub fn handle_key(app: &mut App, store: &mut Store, clock: Clock, key: &event::KeyEvent) {
    match app.keys.resolve(app.context(), key) {
        Resolved::Action(a) => app.update(a, store, clock.now()),
        Resolved::Text(c) => {
            if app.open_form().is_some() {
                app.form_type(c, store);
            } else {
                let mut buf = [0u8; 4];
                app.type_text(c.encode_utf8(&mut buf));
            }
        }
        Resolved::Nothing => {}
    }
}
