//! The non-interactive commands as whole processes.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

fn rapport(db: &std::path::Path) -> Command {
    common::pty::command(db, common::pty::NOW)
}

#[test]
fn demo_refuses_a_book_that_holds_customers_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(
        rapport(&db)
            .args(["demo", "--customers", "20"])
            .status()
            .unwrap()
            .success()
    );
    let out = rapport(&db).args(["demo", "--customers", "20"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(
        rapport(&db)
            .args(["demo", "--customers", "5", "--force"])
            .status()
            .unwrap()
            .success()
    );
    let out = rapport(&db)
        .args(["find", "--json", "--limit", "1000", "a"])
        .output()
        .unwrap();
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(hits.as_array().unwrap().len() <= 25);
}

#[test]
fn a_demo_of_no_customers_or_of_too_many_is_refused_before_any_book_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    for (n, lang, says) in [
        (
            "0",
            "en",
            "--customers 0: a demo book holds from 1 to 2000000 customers",
        ),
        (
            "2000001",
            "zh",
            "--customers 2000001：演示客户库可容纳 1 至 2000000 位客户",
        ),
    ] {
        let out = rapport(&db)
            .args(["--lang", lang, "demo", "--customers", n])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{n}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{n}");
        // Refused before the book is opened: none is created.
        assert!(!db.exists(), "{n}");
    }
    // An agenda of more than a year is refused the same way.
    let out = rapport(&db).args(["agenda", "--days", "367"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 366 days"));
    assert!(!db.exists());
    // Nothing was added: a demo of one customer is still allowed.
    let out = rapport(&db).args(["demo", "--customers", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(
        rapport(&db)
            .args(["demo", "--customers", "300"])
            .status()
            .unwrap()
            .success()
    );
    let mut child = rapport(&db)
        .args(["find", "--limit", "300", "a"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the reader went away like `| head -c 10`.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_missing_directory_is_a_clear_error_in_the_users_language() {
    // A command that may start a book (a read refuses before: no book there).
    let out = rapport(std::path::Path::new("/nonexistent-dir/x/t.db"))
        .args(["--lang", "zh", "add", "--name", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("无法创建数据库文件") && err.contains("/nonexistent-dir/x/t.db"),
        "{err}"
    );
}

#[test]
fn a_broken_config_file_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "language = \"zh\"\n[theme\naccent = \"red\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .arg("--config")
        .arg(&cfg)
        .args(["find", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn every_command_has_help() {
    for args in [vec!["--help"], vec!["demo", "--help"], vec!["find", "--help"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}

#[test]
fn an_agenda_cut_at_the_cap_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(
        rapport(&db)
            .args(["demo", "--customers", "3000"])
            .status()
            .unwrap()
            .success()
    );
    let out = rapport(&db).args(["agenda", "--json"]).output().unwrap();
    assert!(out.status.success());
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let calls = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["section"] == "cadence")
        .count();
    assert_eq!(
        calls,
        rapport::storage::COUNT_CAP,
        "a book this size has more calls due"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let cut = format!("Calls and visits due: {} are listed", rapport::storage::COUNT_CAP);
    assert!(err.contains(&format!("{cut}; there are more")), "{err}");
    let text = rapport(&db).args(["agenda"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains(&cut));
}

#[test]
fn a_command_that_only_reads_refuses_a_book_that_does_not_exist_and_makes_none() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    for args in [
        vec!["agenda"],
        vec!["find", "wang"],
        vec!["export", "--format", "csv"],
        vec!["complaints"],
        vec!["insights"],
        vec!["--lang", "zh", "duplicates"],
    ] {
        let out = rapport(&db).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("there is no book at") || err.contains("处没有客户库"),
            "{args:?}: {err}"
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing is answered from an empty book"
        );
        assert!(!db.exists(), "{args:?} made a book");
        assert!(!dir.path().join("typo.db.lock").exists(), "{args:?} left a lock file");
    }
    // Adding a customer still starts a book.
    let out = rapport(&db).args(["add", "--name", "Noah Reed"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(rapport(&db).args(["find", "noah"]).status().unwrap().success());
}

#[test]
fn a_closed_stderr_loses_the_message_not_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("text.db");
    std::fs::write(&db, "not a database\n".repeat(100)).unwrap();
    let mut child = rapport(&db)
        .args(["find", "x"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reading end is closed before the program writes its error.
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "a panic gives 101");
}

#[test]
fn an_empty_agenda_on_the_command_line_names_no_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    drop(rapport::storage::Store::open(&db).unwrap());
    for (lang, says) in [("en", "Nothing due on this day."), ("zh", "这一天没有到期的事项。")] {
        let out = rapport(&db)
            .args(["--lang", lang, "agenda", "--date", "2026-12-05"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(says), "{text}");
        // A key to press means nothing outside the app.
        assert!(!text.contains("press") && !text.contains("按 f"), "{text}");
    }
}

#[test]
fn a_folder_or_a_device_given_as_the_book_is_said_to_be_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("dir.db");
    std::fs::create_dir(&folder).unwrap();
    let device = dir.path().join("zero.db");
    std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
    for (db, args) in [
        (&folder, vec!["find", "x"]),
        (&folder, vec![]),
        (&device, vec!["add", "--name", "x"]),
        (&device, vec!["--lang", "zh", "agenda"]),
    ] {
        let out = rapport(db).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is not a file") || err.contains("不是文件"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_lock_file_that_cannot_be_made_is_named_not_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(rapport(&db).args(["add", "--name", "x"]).status().unwrap().success());
    std::fs::remove_file(dir.path().join("t.db.lock")).ok();
    std::fs::create_dir(dir.path().join("t.db.lock")).unwrap();
    let out = rapport(&db).args(["find", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("t.db.lock"), "{err}");
}
