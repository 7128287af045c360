//! End-to-end tests: the real `rapport` binary, in a pseudo-terminal for the
//! TUI (screen read back through a vt100 emulator) and as a plain process
//! for the command-line commands.
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

const BIN: &str = env!("CARGO_BIN_EXE_rapport");
const NOW: &str = "2026-11-23 09:00";
const NO_CONFIG: &str = "/nonexistent/config.toml";
const DEADLINE: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(25);
const ROWS: u16 = 30;
const COLS: u16 = 100;

/// The environment every run of the binary gets: no locale surprises, no
/// user config, no user data directory.
fn hermetic_env(home: &Path) -> Vec<(&'static str, String)> {
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

const REMOVED_ENV: [&str; 2] = ["LC_ALL", "LC_MESSAGES"];

/// A temporary home with a database path inside it.
struct Book {
    dir: tempfile::TempDir,
}

impl Book {
    fn new() -> Book {
        Book {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("book.db")
    }

    /// `rapport --db … --now … --config /nonexistent … <args>`, run to the end.
    fn cli(&self, args: &[&str]) -> Output {
        self.cli_on(&self.db(), args)
    }

    fn cli_on(&self, db: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("--db")
            .arg(db)
            .args(["--now", NOW, "--config", NO_CONFIG])
            .args(args);
        for (k, v) in hermetic_env(self.dir.path()) {
            cmd.env(k, v);
        }
        for k in REMOVED_ENV {
            cmd.env_remove(k);
        }
        cmd.output().expect("run rapport")
    }

    /// Fills the database with `n` demo customers.
    fn demo(&self, n: usize, seed: u64) {
        let out = self.cli(&["demo", "--customers", &n.to_string(), "--seed", &seed.to_string()]);
        assert!(
            out.status.success(),
            "demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The TUI on this book, in a pseudo-terminal.
    fn tui(&self, extra: &[&str]) -> Tui {
        let mut args = vec!["--db".to_string(), self.db().display().to_string()];
        args.extend(["--now", NOW, "--config", NO_CONFIG].map(String::from));
        args.extend(extra.iter().map(|s| s.to_string()));
        Tui::spawn(&args, self.dir.path(), ROWS, COLS)
    }
}

/// The binary running in a pseudo-terminal, its screen emulated by vt100.
struct Tui {
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
    fn spawn(args: &[String], home: &Path, rows: u16, cols: u16) -> Tui {
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

    fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(bytes).expect("write to pty");
        w.flush().expect("flush pty");
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `ok` holds for the screen text; fails with the screen
    /// and `what` after the deadline.
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the program to exit and for its last output to be read.
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

    fn output(&self) -> Vec<u8> {
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
fn count(hay: &[u8], needle: &[u8]) -> usize {
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

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The line of the screen holding the search prompt and the match count.
fn search_line(screen: &str) -> &str {
    screen.lines().find(|l| l.contains("matches")).unwrap_or("")
}

/// Adds a customer through the add form: `a`, name, Tab, company, Ctrl-S.
fn add_customer(tui: &Tui, name: &str, company: &str) {
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

#[test]
fn pinyin_initials_search_shows_the_chinese_name() {
    let book = Book::new();
    // An empty book: the TUI creates the database and shows the welcome screen.
    let mut tui = book.tui(&[]);
    tui.wait_for("Welcome to Rapport");
    add_customer(&tui, "张伟", "北京华联");
    add_customer(&tui, "Anna Berg", "Nordic Trade");
    tui.wait_for("Name");

    tui.send(b"/");
    tui.wait_for("2 matches");
    tui.send(b"zw");
    let screen = tui.wait_until("`/ zw` with one match", |s| {
        search_line(s).contains("/ zw") && s.contains("1 matches")
    });
    assert!(screen.contains("张伟"), "张伟 not listed for zw:\n{screen}");
    assert!(screen.contains("北京华联"), "company not listed for zw:\n{screen}");
    assert!(
        !screen.contains("Anna Berg"),
        "Anna Berg should not match zw:\n{screen}"
    );

    tui.send(b"\x7f\x7f");
    let screen = tui.wait_until("the emptied search", |s| s.contains("2 matches"));
    assert!(
        screen.contains("Anna Berg") && screen.contains("张伟"),
        "both customers back:\n{screen}"
    );

    tui.send(b"bjhl");
    let screen = tui.wait_until("`/ bjhl` with one match", |s| {
        search_line(s).contains("/ bjhl") && s.contains("1 matches")
    });
    assert!(screen.contains("张伟"), "张伟 not listed for bjhl:\n{screen}");
    assert!(
        !screen.contains("Anna Berg"),
        "Anna Berg should not match bjhl:\n{screen}"
    );

    // Enter keeps the results, Enter again opens the card, Esc backs out.
    tui.send(b"\r");
    tui.wait_until("the search accepted", |s| {
        !s.contains("keep results") && search_line(s).contains("bjhl")
    });
    tui.send(b"\r");
    let screen = tui.wait_for("Pre-call card");
    assert!(
        screen.contains("张伟") && screen.contains("北京华联"),
        "card of 张伟:\n{screen}"
    );
    tui.send(b"\x1b");
    tui.wait_until("the list after Esc", |s| {
        !s.contains("Pre-call card") && s.contains("1 matches")
    });
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    // What was typed in the TUI is in the file.
    let out = book.cli(&["find", "--json", "zw"]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && json.contains("张伟") && json.contains("北京华联"),
        "{json}"
    );
}

#[test]
fn q_quits_and_the_terminal_comes_back() {
    let book = Book::new();
    book.demo(50, 1);
    let mut tui = book.tui(&[]);
    tui.wait_until("the customer list", |s| {
        s.contains("Name") && s.contains("50 customers")
    });
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    let out = tui.output();
    let enter = rfind(&out, b"\x1b[?1049h").expect("the alternate screen was never entered");
    let leave = find_from(&out, enter, b"\x1b[?1049l");
    assert!(
        leave.is_some(),
        "the alternate screen was not left; tail: {:?}",
        String::from_utf8_lossy(&out[enter..])
    );
    let show = find_from(&out, enter, b"\x1b[?25h");
    assert!(
        show.is_some(),
        "the cursor was not shown again; tail: {:?}",
        String::from_utf8_lossy(&out[enter..])
    );
    assert!(
        find_from(&out, enter, b"\x1b[?2004l").is_some(),
        "bracketed paste was not turned off; tail: {:?}",
        String::from_utf8_lossy(&out[enter..])
    );
    // Nothing is drawn on the main screen after leaving the alternate one.
    let after = &out[leave.unwrap()..];
    assert!(
        !String::from_utf8_lossy(after).contains("Name"),
        "drawing after leaving: {after:?}"
    );
}

#[test]
fn chinese_interface_shows_chinese_labels() {
    let book = Book::new();
    book.demo(50, 1);
    let mut tui = book.tui(&["--lang", "zh"]);
    let screen = tui.wait_until("the Chinese interface", |s| {
        s.contains("客户") && s.contains("日程") && s.contains("退出")
    });
    let tabs = screen.lines().next().unwrap_or("");
    assert!(tabs.contains("客户") && tabs.contains("日程"), "tabs: {tabs:?}");
    let footer = screen.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
    assert!(footer.contains("退出"), "footer: {footer:?}\n{screen}");
    assert!(screen.contains("姓名"), "column header not translated:\n{screen}");
    assert!(
        !screen.contains("Customers") && !screen.contains("quit"),
        "English left over:\n{screen}"
    );
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_corrupt_file_is_refused_without_touching_it() {
    let book = Book::new();
    let path = book.dir.path().join("garbage.db");
    // Deterministic noise (a small LCG), certainly not an SQLite header.
    let mut x: u32 = 0x1234_5678;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    assert_ne!(&garbage[..16], b"SQLite format 3\0");
    std::fs::write(&path, &garbage).unwrap();

    let out = book.cli_on(&path, &["find", "x"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a garbage file was accepted: {:?}", out.status);
    assert!(
        stderr.contains(&path.display().to_string()),
        "stderr does not name the file: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "the file was modified");
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        assert!(
            !side.exists(),
            "{} was created next to the refused file",
            side.display()
        );
    }
}

fn is_chinese(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn find_by_pinyin_prints_the_card_and_json() {
    use pinyin::ToPinyin;

    let book = Book::new();
    book.demo(200, 7);
    let out = book.cli(&["find", "--json", "--limit", "50", "华"]);
    assert!(
        out.status.success(),
        "find 华: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("find --json prints a JSON array");
    let target = hits
        .iter()
        .find(|h| h["name"].as_str().is_some_and(is_chinese))
        .unwrap_or_else(|| panic!("no Chinese name among the matches for 华: {hits:?}"));
    let (id, name) = (
        target["id"].as_i64().unwrap(),
        target["name"].as_str().unwrap().to_string(),
    );
    let initials: String = name.as_str().to_pinyin().flatten().map(|p| p.first_letter()).collect();
    assert!(initials.len() >= 2, "initials of {name}: {initials}");

    let out = book.cli(&["find", &initials, "--json", "--limit", "50"]);
    assert!(
        out.status.success(),
        "find {initials}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON array");
    assert!(!hits.is_empty() && hits.len() <= 50, "{} hits", hits.len());
    assert!(
        hits.iter().any(|h| h["id"].as_i64() == Some(id)),
        "{name} (#{id}) not found by {initials}: {hits:#?}"
    );
    for h in &hits {
        let obj = h.as_object().unwrap_or_else(|| panic!("not an object: {h}"));
        for key in [
            "id",
            "name",
            "company",
            "phone",
            "grade",
            "status",
            "last_contact",
            "next_due",
        ] {
            assert!(obj.contains_key(key), "{key} missing in {h}");
        }
    }

    // The text form: the list, then the pre-call card of the best match.
    let out = book.cli(&["find", &initials]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains(&name), "find {initials}:\n{text}");

    let out = book.cli(&["find", "zzzzqqqxxx"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no match must exit 1; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "stdout on no match: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = book.cli(&["find", "--json", "zzzzqqqxxx"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}
