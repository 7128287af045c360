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
