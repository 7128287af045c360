//! Signals to the running TUI: it leaves within a second, gives the
//! terminal back, and keeps the form being typed as a draft that the next
//! start offers to restore. A panic restores the terminal first too.

mod common;

use std::time::{Duration, Instant};

use common::pty::*;

fn restored(out: &[u8]) -> bool {
    let s = String::from_utf8_lossy(out);
    let enter = s.rfind("\x1b[?1049h");
    let leave = s.rfind("\x1b[?1049l");
    matches!((enter, leave), (Some(e), Some(l)) if l > e) && s.contains("\x1b[?25h")
}

fn signal_keeps_the_draft(sig: i32, name: &str) {
    let book = Book::new();
    book.demo(20, 1);
    let mut tui = book.tui(&[]);
    tui.wait_for("Name");
    tui.send(b"a");
    tui.wait_for("New customer");
    tui.send(name.as_bytes());
    tui.wait_for(name);
    let start = Instant::now();
    tui.signal(sig);
    tui.wait_exit();
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "took {:?} to exit",
        start.elapsed()
    );
    assert!(restored(&tui.output()), "terminal not restored after signal {sig}");
    assert!(book.dir.path().join("book.db.draft.json").exists(), "no draft saved");
    drop(tui);

    let tui = book.tui(&[]);
    tui.wait_for("Restore it?");
    tui.send(b"y");
    tui.wait_for("New customer");
    let screen = tui.wait_for(name);
    assert!(screen.contains(name));
    assert!(
        !book.dir.path().join("book.db.draft.json").exists(),
        "draft not removed after restoring"
    );
}

#[test]
fn sigterm_exits_fast_restores_the_terminal_and_keeps_the_draft() {
    signal_keeps_the_draft(libc::SIGTERM, "王芳");
}

#[test]
fn sighup_exits_fast_restores_the_terminal_and_keeps_the_draft() {
    signal_keeps_the_draft(libc::SIGHUP, "Lid Closed");
}

#[test]
fn sigint_exits_fast_restores_the_terminal_and_keeps_the_draft() {
    signal_keeps_the_draft(libc::SIGINT, "李娜");
}

#[test]
fn a_clean_quit_leaves_an_empty_wal() {
    let book = Book::new();
    book.demo(20, 1);
    let mut tui = book.tui(&[]);
    tui.wait_for("Name");
    tui.send(b"q");
    tui.wait_exit();
    let wal = std::fs::metadata(book.dir.path().join("book.db-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert_eq!(wal, 0, "the -wal file still holds data after a clean quit");
}

#[test]
fn a_panic_restores_the_terminal_then_says_where_the_log_is() {
    // SAFETY: only this test reads the variable, through the child.
    unsafe { std::env::set_var("RAPPORT_TEST_PANIC", "1") };
    let book = Book::new();
    book.demo(5, 1);
    let mut tui = book.tui(&[]);
    tui.wait_for("Name");
    tui.send(b"\x1b[24~");
    let status = tui.wait_exit();
    assert!(!status.success());
    let out = String::from_utf8_lossy(&tui.output()).into_owned();
    let leave = out.rfind("\x1b[?1049l").expect("left the alternate screen");
    let message = out
        .rfind("Rapport stopped because of an internal error")
        .expect("a readable message");
    assert!(
        leave < message,
        "the message was printed before the terminal was restored"
    );
    assert!(out.contains("rapport.log"), "the message names the log");
    let log = book.dir.path().join("data/rapport/rapport.log");
    let text = std::fs::read_to_string(&log).expect("the log was written");
    assert!(text.contains("panic at"));
}
