//! Data safety with the real TUI running in a pseudo-terminal: a restore
//! under a running app, suspend and resume, more signals, drafts of two
//! processes, damaged books opened read-only.

mod common;

use common::pty::*;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn restore_refuses_while_the_tui_has_the_book_open_and_names_it() {
    let book = Book::new();
    book.demo(10, 1);
    let backup = book.dir.path().join("b.db");
    let out = book.cli(&["backup", book.dir.path().join("bk").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let made = std::fs::read_dir(book.dir.path().join("bk"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(&made, &backup).unwrap();
    let before = std::fs::read(book.db()).unwrap();
    let mut tui = book.tui(&[]);
    tui.wait_for("Name");
    let out = book.cli(&["restore", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let msg = stderr(&out);
    assert!(msg.contains("open in another Rapport"), "{msg}");
    assert!(msg.contains(&tui.pid().to_string()), "names the process: {msg}");
    assert_eq!(std::fs::read(book.db()).unwrap(), before, "nothing changed");
    tui.send(b"q");
    tui.wait_exit();
    let out = book.cli(&["restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("now holds 10 customers"), "{}", stdout(&out));
}

fn restored_after(out: &[u8], from: usize) -> bool {
    let s = String::from_utf8_lossy(&out[from..]);
    s.contains("\x1b[?1049l") && s.contains("\x1b[?25h")
}

/// The process state letter from /proc (T: stopped).
fn state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|r| r.trim().chars().next())
        .unwrap_or('?')
}

fn wait_state(pid: u32, want: char) {
    let start = std::time::Instant::now();
    while state(pid) != want {
        assert!(start.elapsed() < DEADLINE, "process {pid} never reached state {want}");
        std::thread::sleep(POLL);
    }
}

#[test]
fn ctrl_z_and_sigtstp_suspend_cleanly_and_fg_brings_the_app_back() {
    let book = Book::new();
    book.demo(10, 1);
    let mut tui = book.tui(&[]);
    tui.wait_for("Name");
    for how in ["Ctrl-Z", "SIGTSTP"] {
        let mark = tui.output().len();
        if how == "Ctrl-Z" {
            tui.send(b"\x1a");
        } else {
            tui.signal(libc::SIGTSTP);
        }
        wait_state(tui.pid(), 'T');
        // What it wrote before stopping reaches the reader a moment later.
        tui.wait_until(&format!("{how}: terminal given back"), |_| {
            restored_after(&tui.output(), mark)
        });
        let mark = tui.output().len();
        tui.signal(libc::SIGCONT);
        tui.wait_until("redrawn", |_| {
            String::from_utf8_lossy(&tui.output()[mark..]).contains("\x1b[?1049h")
        });
        tui.wait_for("Name");
        // Raw mode again: one key acts without Enter.
        tui.send(b"?");
        tui.wait_for("Keys");
        tui.send(b"\x1b");
        tui.wait_until("help closed", |s| !s.contains("Keys"));
    }
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn two_tuis_closed_by_one_sighup_keep_both_drafts_and_the_next_start_offers_each() {
    let book = Book::new();
    book.demo(5, 1);
    let mut a = book.tui(&[]);
    let mut b = book.tui(&[]);
    for (tui, name) in [(&a, "Draft Alpha"), (&b, "Draft Beta")] {
        tui.wait_for("Name");
        tui.send(b"a");
        tui.wait_for("New customer");
        tui.send(name.as_bytes());
        tui.wait_for(name);
    }
    a.signal(libc::SIGHUP);
    b.signal(libc::SIGHUP);
    a.wait_exit();
    b.wait_exit();
    drop((a, b));
    let drafts = rapport::app::draft::files(&book.db());
    assert_eq!(drafts.len(), 2, "{drafts:?}");
    let tui = book.tui(&[]);
    for _ in 0..2 {
        tui.wait_for("Restore it?");
        tui.send(b"y");
        tui.wait_for("New customer");
        tui.send(b"\x13"); // Ctrl-S saves it
        tui.wait_until("saved", |s| !s.contains("New customer"));
    }
    for name in ["Draft Alpha", "Draft Beta"] {
        let out = book.cli(&["find", name, "--json"]);
        assert!(stdout(&out).contains(name), "{name} was not offered: {}", stdout(&out));
    }
    assert!(rapport::app::draft::files(&book.db()).is_empty());
}

/// A book damaged inside one page (the cheap checks cannot see it) is
/// found by the day's full check, run in the background at the first
/// start of the day: a banner says it is read-only and names the latest
/// backup; a save is refused and the file is not written.
#[test]
fn a_damaged_book_opens_read_only_with_a_banner_and_is_not_written() {
    let book = Book::new();
    book.demo(60, 1);
    let out = book.cli(&["backup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut bytes = std::fs::read(book.db()).unwrap();
    let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let page = ps * (bytes.len() / ps / 2);
    for b in &mut bytes[page..page + 16] {
        *b = 0x5A;
    }
    std::fs::write(book.db(), &bytes).unwrap();
    // The next day: the first start of the day checks the whole book.
    let args = [
        "--db".to_string(),
        book.db().display().to_string(),
        "--now".into(),
        "2026-11-24 09:00".into(),
        "--config".into(),
        NO_CONFIG.into(),
    ];
    let mut tui = Tui::spawn(&args, book.dir.path(), ROWS, COLS);
    tui.wait_for("damaged");
    let screen = tui.wait_for("rapport restore");
    assert!(screen.contains("backups/book-"), "names the latest backup: {screen}");
    tui.send(b"a");
    tui.wait_for("New customer");
    tui.send(b"Not Written\x13");
    tui.wait_for("nothing was written");
    tui.signal(libc::SIGTERM);
    tui.wait_exit();
    assert_eq!(
        std::fs::read(book.db()).unwrap(),
        bytes,
        "the damaged file was written to"
    );
}
