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
fn sigquit_usr1_usr2_and_sigalrm_end_like_sigterm_and_keep_the_draft() {
    signal_keeps_the_draft(libc::SIGQUIT, "Quit Kept");
    signal_keeps_the_draft(libc::SIGUSR1, "User One");
    signal_keeps_the_draft(libc::SIGUSR2, "User Two");
    signal_keeps_the_draft(libc::SIGALRM, "Alarm Kept");
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

/// The terminal goes away without a signal reaching the app (it was
/// started in a session of its own, as under some wrappers): the pty is
/// hung up, and reading it returns nothing forever. The app must notice,
/// keep the form being typed as a draft and end, not spin on a dead
/// terminal.
#[test]
fn a_vanished_terminal_without_a_signal_ends_the_app_and_keeps_the_draft() {
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;

    let book = Book::new();
    book.demo(20, 1);
    let (mut master, slave) = {
        let (mut m, mut s) = (-1, -1);
        let size = libc::winsize {
            ws_row: ROWS,
            ws_col: COLS,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two new descriptors, owned from here on.
        let rc = unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &size) };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: both descriptors were just opened and are not shared.
        unsafe { (std::fs::File::from_raw_fd(m), OwnedFd::from_raw_fd(s)) }
    };
    // The child must not inherit the master side (it would keep the
    // terminal alive), nor the slave beyond its standard streams.
    for fd in [
        std::os::fd::AsRawFd::as_raw_fd(&master),
        std::os::fd::AsRawFd::as_raw_fd(&slave),
    ] {
        // SAFETY: both descriptors stay open while this runs.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: `m` stays open as long as `master`.
    unsafe {
        libc::fcntl(
            std::os::fd::AsRawFd::as_raw_fd(&master),
            libc::F_SETFL,
            libc::O_NONBLOCK,
        )
    };
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("--db")
        .arg(book.db())
        .args(["--now", NOW, "--config", NO_CONFIG])
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave.try_clone().unwrap());
    for (k, v) in hermetic_env(book.dir.path()) {
        cmd.env(k, v);
    }
    for k in REMOVED_ENV {
        cmd.env_remove(k);
    }
    // SAFETY: setsid is async-signal-safe; the child gets a session with
    // no controlling terminal, so no SIGHUP reaches it at the hang-up.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn rapport");
    drop(slave);

    let mut parser = vt100::Parser::new(ROWS, COLS, 0);
    let mut wait_for = |master: &mut std::fs::File, text: &str| {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        loop {
            match master.read(&mut buf) {
                Ok(n) if n > 0 => parser.process(&buf[..n]),
                _ => std::thread::sleep(POLL),
            }
            if parser.screen().contents().contains(text) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {text:?}; screen:\n{}",
                parser.screen().contents()
            );
        }
    };
    wait_for(&mut master, "Name");
    master.write_all(b"a").unwrap();
    wait_for(&mut master, "New customer");
    master.write_all("赵敏".as_bytes()).unwrap();
    wait_for(&mut master, "赵敏");

    // Hang up: close the terminal's only master side.
    drop(master);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rapport kept running on a terminal that is gone");
        }
        std::thread::sleep(POLL);
    };
    assert!(
        start.elapsed() < Duration::from_millis(2500),
        "took {:?} to notice the terminal was gone",
        start.elapsed()
    );
    assert!(!status.success(), "a hang-up is not a normal quit: {status}");
    let draft = std::fs::read_to_string(book.dir.path().join("book.db.draft.json")).expect("a draft was saved");
    assert!(draft.contains("赵敏"), "the draft holds what was typed: {draft}");
}
