//! Automatic backups: the first start of a day — a writing command or the
//! TUI — copies the book into the backup folder before its first write,
//! rotated like `rapport backup`; later starts that day do not; a failure
//! is one line (stderr, or the status bar) and one in the log, and the
//! work goes on.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::pty::*;
use rapport::domain::customer::Customer;
use rapport::storage::Store;

fn run(home: &Path, db: &Path, config: &Path, now: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db")
        .arg(db)
        .arg("--config")
        .arg(config)
        .args(["--now", now])
        .args(args);
    for (k, v) in hermetic_env(home) {
        cmd.env(k, v);
    }
    cmd.env_remove("LC_ALL").env_remove("LC_MESSAGES");
    cmd.output().unwrap()
}

/// The backups in `dir` (not the lock files opening one leaves).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().file_name().into_string().unwrap()).collect())
        .unwrap_or_default();
    v.retain(|n| n.ends_with(".db"));
    v.sort();
    v
}

/// A book of `n` customers written without the command line.
fn filled(db: &Path, n: usize) {
    let mut store = Store::open(db).unwrap();
    for i in 0..n {
        store
            .insert_customer(&Customer::new(format!("Customer {i}"), Default::default()))
            .unwrap();
    }
}

/// The name `rapport backup` gives a backup of the book `db` taken at local time `at`.
fn bk(db: &Path, at: &str) -> String {
    let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap();
    let utc = rapport::domain::complaint::zone::Zone::Local.to_utc(local);
    rapport::io::backup::name(&rapport::io::backup::Series::of(db), utc, 1)
}

fn count(db: &Path) -> usize {
    Store::open(db).unwrap().customer_count().unwrap()
}

#[test]
fn the_first_write_of_a_day_backs_up_first_and_rotates() {
    let book = Book::new();
    let home = book.dir.path();
    let db = book.db();
    filled(&db, 3);
    let config = home.join("config.toml");
    std::fs::write(&config, "[backup]\nkeep = 2\n").unwrap();
    let backups = home.join("backups");

    let o = run(home, &db, &config, "2026-11-23 09:00", &["add", "--name", "Anna"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(names(&backups), vec![bk(&db, "2026-11-23 09:00")]);
    assert_eq!(
        count(&backups.join(bk(&db, "2026-11-23 09:00"))),
        3,
        "taken before the write"
    );
    assert_eq!(count(&db), 4);

    // Later that day: no second backup; reading commands never take one.
    assert!(
        run(home, &db, &config, "2026-11-23 17:00", &["add", "--name", "Bo"])
            .status
            .success()
    );
    assert!(
        run(home, &db, &config, "2026-11-24 08:00", &["agenda"])
            .status
            .success()
    );
    assert_eq!(names(&backups).len(), 1, "{:?}", names(&backups));

    // Each next day's first write does, and only `keep` stay.
    for now in ["2026-11-24 08:30", "2026-11-25 08:30"] {
        let o = run(home, &db, &config, now, &["log", "Anna", "called"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(names(&backups).contains(&bk(&db, now)));
    }
    assert_eq!(
        names(&backups),
        vec![bk(&db, "2026-11-24 08:30"), bk(&db, "2026-11-25 08:30")]
    );

    // Switched off: none.
    std::fs::write(&config, "[backup]\nauto = false\n").unwrap();
    assert!(
        run(home, &db, &config, "2026-11-26 08:30", &["add", "--name", "Cy"])
            .status
            .success()
    );
    assert_eq!(names(&backups).len(), 2);
}

#[test]
fn a_failed_backup_is_one_line_and_never_a_blocker() {
    let book = Book::new();
    let home = book.dir.path();
    let db = book.db();
    filled(&db, 1);
    // The backup folder cannot be made: a file has its name.
    std::fs::write(home.join("backups"), "not a folder").unwrap();
    let o = run(home, &db, Path::new(NO_CONFIG), NOW, &["add", "--name", "Anna"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("automatic backup failed"), "{err}");
    assert_eq!(count(&db), 2, "the write happened");
    let log = std::fs::read_to_string(log_file(home)).unwrap();
    assert!(log.contains("automatic backup failed"), "{log}");
}

fn log_file(home: &Path) -> PathBuf {
    home.join("data/rapport/rapport.log")
}

#[test]
fn the_tui_backs_up_beside_the_first_frame() {
    let book = Book::new();
    filled(&book.db(), 2);
    let mut tui = book.tui(&[]);
    tui.wait_for("Customer 0");
    tui.send(b"q");
    tui.wait_exit();
    assert_eq!(names(&book.dir.path().join("backups")), vec![bk(&book.db(), NOW)]);

    // A failure shows in the status bar, and the app works on.
    let book = Book::new();
    filled(&book.db(), 2);
    std::fs::write(book.dir.path().join("backups"), "not a folder").unwrap();
    let mut tui = book.tui(&[]);
    let screen = tui.wait_for("automatic backup failed");
    assert!(screen.contains("Customer 1"), "{screen}");
    tui.send(b"q");
    tui.wait_exit();
    assert!(
        std::fs::read_to_string(log_file(book.dir.path()))
            .unwrap()
            .contains("automatic backup failed")
    );
}
