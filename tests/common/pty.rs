//! Running the real `rapport` binary: in a pseudo-terminal for the TUI
//! (screen read back through a vt100 emulator) and as a plain process for
//! the command-line commands.
//!
//! Every wait is bounded: the screen is polled every few tens of
//! milliseconds up to a deadline, and a timeout fails with the screen.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_rapport");
pub const NOW: &str = "2026-11-23 09:00";
pub const NO_CONFIG: &str = "/nonexistent/config.toml";
pub const DEADLINE: Duration = Duration::from_secs(30);
pub const POLL: Duration = Duration::from_millis(25);
pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

/// The environment every run of the binary gets: no locale surprises, no
/// user config, no user data directory.
pub fn hermetic_env(home: &Path) -> Vec<(&'static str, String)> {
    let home = home.display().to_string();
    vec![
        ("LANG", "C".to_string()),
        ("TERM", "xterm-256color".to_string()),
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", format!("{home}/config")),
        ("XDG_DATA_HOME", format!("{home}/data")),
        ("XDG_STATE_HOME", format!("{home}/state")),
        ("XDG_CACHE_HOME", format!("{home}/cache")),
    ]
}

pub const REMOVED_ENV: [&str; 2] = ["LC_ALL", "LC_MESSAGES"];

/// A temporary home with a database path inside it.
pub struct Book {
    pub dir: tempfile::TempDir,
}

impl Book {
    pub fn new() -> Book {
        Book {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("book.db")
    }

    /// `rapport --db … --now … --config /nonexistent … <args>`, run to the end.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_on(&self.db(), args)
    }

    pub fn cli_on(&self, db: &Path, args: &[&str]) -> Output {
        cli_in(self.dir.path(), db, args)
    }

    /// Fills the database with `n` demo customers.
    pub fn demo(&self, n: usize, seed: u64) {
        let out = self.cli(&["demo", "--customers", &n.to_string(), "--seed", &seed.to_string()]);
        assert!(
            out.status.success(),
            "demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The TUI on this book, in a pseudo-terminal.
    pub fn tui(&self, extra: &[&str]) -> Tui {
        let mut args = vec!["--db".to_string(), self.db().display().to_string()];
        args.extend(["--now", NOW, "--config", NO_CONFIG].map(String::from));
        args.extend(extra.iter().map(|s| s.to_string()));
        Tui::spawn(&args, self.dir.path(), ROWS, COLS)
    }
}

/// `rapport --db DB --now … --config /nonexistent … <args>` with `home` as
/// the hermetic home, run to the end.
pub fn cli_in(home: &Path, db: &Path, args: &[&str]) -> Output {
    command_in(home, db, NOW).args(args).output().expect("run rapport")
}

/// `rapport --db DB --now NOW --config /nonexistent`, in the hermetic
/// environment with `home` as the home; not started, for a test that adds
/// arguments, input or environment of its own.
pub fn command_in(home: &Path, db: &Path, now: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db").arg(db).args(["--now", now, "--config", NO_CONFIG]);
    for (k, v) in hermetic_env(home) {
        cmd.env(k, v);
    }
    for k in REMOVED_ENV {
        cmd.env_remove(k);
    }
    cmd
}

/// [`command_in`] with the database's folder as the home.
pub fn command(db: &Path, now: &str) -> Command {
    command_in(db.parent().expect("a folder"), db, now)
}

/// [`cli_in`] with the database's folder as the home.
pub fn cli(db: &Path, args: &[&str]) -> Output {
    cli_in(db.parent().expect("a folder"), db, args)
}

/// The binary running in a pseudo-terminal, its screen emulated by vt100.
pub struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote.
    output: Arc<Mutex<Vec<u8>>>,
    /// The reader saw the end of the output (every slave side closed).
    eof: Arc<AtomicBool>,
    // Kept open for the life of the test; dropped after the child is gone.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tui {
    pub fn spawn(args: &[String], home: &Path, rows: u16, cols: u16) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| panic!("openpty: {e}"));
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(home);
        for (k, v) in hermetic_env(home) {
            cmd.env(k, v);
        }
        for k in REMOVED_ENV {
            cmd.env_remove(k);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn rapport: {e}"));
        // Only the child holds the slave side now, so the reader sees the
        // end of the output as soon as the child is gone.
        drop(pair.slave);
        let mut reader = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|e| panic!("pty reader: {e}"));
        let writer: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(
            pair.master.take_writer().unwrap_or_else(|e| panic!("pty writer: {e}")),
        ));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let output = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        {
            let (parser, output, eof, writer) = (parser.clone(), output.clone(), eof.clone(), writer.clone());
            // Detached: it ends when the child's side of the pty closes.
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let mut scanned = 0;
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let mut p = parser.lock().unwrap();
                            p.process(&buf[..n]);
                            let mut out = output.lock().unwrap();
                            out.extend_from_slice(&buf[..n]);
                            // Answer cursor-position queries like a terminal would.
                            let from = scanned.min(out.len()).saturating_sub(3);
                            let queries = count(&out[from..], b"\x1b[6n");
                            scanned = out.len();
                            for _ in 0..queries {
                                let (r, c) = p.screen().cursor_position();
                                let _ = write!(writer.lock().unwrap(), "\x1b[{};{}R", r + 1, c + 1);
                            }
                        }
                    }
                }
                eof.store(true, Ordering::SeqCst);
            });
        }
        Tui {
            child,
            writer,
            parser,
            output,
            eof,
            _master: pair.master,
        }
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(bytes).expect("write to pty");
        w.flush().expect("flush pty");
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `ok` holds for the screen text; fails with the screen
    /// and `what` after the deadline.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out after {DEADLINE:?} waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the program to exit and for its last output to be read.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                while !self.eof.load(Ordering::SeqCst) {
                    assert!(start.elapsed() < DEADLINE, "the pty output never ended after the exit");
                    std::thread::sleep(POLL);
                }
                return status;
            }
            if start.elapsed() > DEADLINE {
                panic!("rapport did not exit within {DEADLINE:?}; screen:\n{}", self.screen());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Sends a signal to the program.
    #[cfg(unix)]
    pub fn signal(&self, sig: i32) {
        let pid = self.child.process_id().expect("a pid") as i32;
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(pid, sig) };
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // A test that failed halfway must not leave the program running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Non-overlapping occurrences of `needle` in `hay`.
pub fn count(hay: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            n += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    n
}

pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

pub fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The line of the screen holding the search prompt and the match count.
pub fn search_line(screen: &str) -> &str {
    screen.lines().find(|l| l.contains(" match")).unwrap_or("")
}

/// Adds a customer through the add form: `a`, name, Tab, company, Ctrl-S.
pub fn add_customer(tui: &Tui, name: &str, company: &str) {
    tui.send(b"a");
    tui.wait_for("New customer");
    tui.send(name.as_bytes());
    tui.wait_for(name);
    tui.send(b"\t");
    tui.send(company.as_bytes());
    tui.wait_for(company);
    tui.send(b"\x13");
    tui.wait_until(&format!("{name} saved and the form closed"), |s| {
        s.contains("Customer added.") && !s.contains("New customer") && s.contains(name)
    });
}
