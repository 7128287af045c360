//! The export and backup commands never lose data: an export never
//! overwrites the book or its own files, a link is written through,
//! backups of two books with one file name keep apart, `--keep 0` is
//! refused, two restores in one second keep both copies, and a killed
//! backup's partial files are removed from the folder it wrote into.

mod common;

use common::names;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapport(db: &Path, now: &str) -> Command {
    let mut c = common::pty::command(db, now);
    c.env("TZ", "UTC");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    rapport(db, "2026-11-23 09:00").args(args).output().unwrap()
}

fn at(db: &Path, now: &str, args: &[&str]) -> Output {
    rapport(db, now).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn count(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

fn demo(db: &Path, n: usize, seed: u64) {
    let o = run(
        db,
        &["demo", "--customers", &n.to_string(), "--seed", &seed.to_string()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The binary with a config file of its own (the other runs have none).
fn with_config(db: &Path, config: &Path, now: &str, args: &[&str]) -> Output {
    let mut c = Command::new(common::pty::BIN);
    c.arg("--db").arg(db).arg("--config").arg(config).args(["--now", now]);
    for (k, v) in common::pty::hermetic_env(db.parent().unwrap()) {
        c.env(k, v);
    }
    c.env("TZ", "UTC").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c.args(args).output().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_export_onto_the_book_or_its_own_files_is_refused_whatever_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    demo(&db, 30, 1);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&db, dir.path().join("link.db")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("book.db-wal"), dir.path().join("wal-link.csv")).unwrap();
    }
    std::fs::hard_link(&db, dir.path().join("hard.db")).unwrap();
    let before = std::fs::read(&db).unwrap();
    let mut targets: Vec<PathBuf> = vec![
        db.clone(),
        dir.path().join("sub/../book.db"),
        dir.path().join("./book.db"),
        dir.path().join("hard.db"),
        dir.path().join("book.db-wal"),
        dir.path().join("book.db-shm"),
        dir.path().join("book.db.lock"),
        dir.path().join("book.db.index"),
    ];
    #[cfg(unix)]
    targets.extend([dir.path().join("link.db"), dir.path().join("wal-link.csv")]);
    for target in &targets {
        for format in ["csv", "json", "vcf", "ics"] {
            let o = run(&db, &["export", "--format", format, "-o", s(target)]);
            assert_eq!(
                o.status.code(),
                Some(2),
                "{format} to {}: {}",
                target.display(),
                stderr(&o)
            );
            assert!(stderr(&o).contains("is the book itself"), "{}", stderr(&o));
            assert!(stderr(&o).contains("Nothing was written."), "{}", stderr(&o));
        }
        let o = run(&db, &["purchases", "export", "-o", s(target)]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "purchases to {}: {}",
            target.display(),
            stderr(&o)
        );
    }
    // A relative path from the book's own folder.
    let o = rapport(&db, "2026-11-23 09:00")
        .current_dir(dir.path())
        .args(["export", "--format", "csv", "-o", "book.db"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is the book itself"), "{}", stderr(&o));
    // In Chinese too, and told before the format.
    let o = run(&db, &["--lang", "zh", "export", "-o", s(&db)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("就是客户库本身"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&db).unwrap(), before, "the book is untouched");
    assert_eq!(count(&db), 30);
    assert!(!dir.path().join("book.db.index").exists(), "nothing was written");
    // Any other file is written as before.
    let o = run(&db, &["export", "-o", s(&dir.path().join("out.csv"))]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `-o link.csv`, a link to the real file: the file the link points to is
/// written, and the link stays a link.
#[cfg(unix)]
#[test]
fn an_export_through_a_link_writes_the_file_it_points_to() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    demo(&db, 5, 1);
    let out = dir.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("real.csv"), "old").unwrap();
    std::os::unix::fs::symlink("exports/real.csv", dir.path().join("link.csv")).unwrap();
    let o = run(&db, &["export", "-o", s(&dir.path().join("link.csv"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(dir.path().join("link.csv")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link is still a link");
    let text = std::fs::read_to_string(out.join("real.csv")).unwrap();
    assert!(text.lines().count() == 6, "{text}");
    // A link to a file not made yet: that file is made.
    std::os::unix::fs::symlink("exports/new.json", dir.path().join("new-link.json")).unwrap();
    let o = run(&db, &["export", "-o", s(&dir.path().join("new-link.json"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("new.json").is_file());
    assert!(
        std::fs::symlink_metadata(dir.path().join("new-link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// `x/book.db` of 10 customers and `y/book.db` of 20 in `dir`.
fn two_books_of_one_name(dir: &Path) -> (PathBuf, PathBuf) {
    let x = dir.join("x/book.db");
    let y = dir.join("y/book.db");
    for (db, n, seed) in [(&x, 10, 1), (&y, 20, 2)] {
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        demo(db, n, seed);
    }
    (x, y)
}

/// Two books named book.db in two folders, one backup folder: each keeps
/// its own `keep` backups, and each gets its own automatic backup.
#[test]
fn two_books_of_one_name_keep_their_own_backups_in_a_shared_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = two_books_of_one_name(dir.path());
    let shared = dir.path().join("shared");
    for minute in 0..3 {
        let now = format!("2026-11-23 09:0{minute}");
        for db in [&x, &y] {
            let o = at(db, &now, &["backup", s(&shared), "--keep", "2"]);
            assert!(o.status.success(), "{}", stderr(&o));
        }
    }
    let left = names(&shared);
    assert_eq!(left.len(), 4, "{left:?}");
    let xs: Vec<&String> = left
        .iter()
        .filter(|n| n.contains(&rapport::io::backup::book_id(&x)))
        .collect();
    assert_eq!(xs.len(), 2, "{left:?}");
    for n in &left {
        let want = if xs.contains(&n) { 10 } else { 20 };
        assert_eq!(count(&shared.join(n)), want, "{n}");
    }

    // Automatic backups into one configured folder.
    let auto = dir.path().join("auto");
    let config = dir.path().join("cfg.toml");
    std::fs::write(&config, format!("[backup]\ndir = {:?}\n", s(&auto))).unwrap();
    for (db, who) in [(&x, "XPerson"), (&y, "YPerson")] {
        let o = with_config(db, &config, "2026-11-24 09:00", &["add", "--name", who]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let taken = names(&auto);
    assert_eq!(taken.len(), 2, "each book its own backup of the day: {taken:?}");
}

/// Backups named the earlier way (no book id) are still rotated by the
/// book they are copies of, and by no other.
#[test]
fn earlier_named_backups_are_rotated_by_their_own_book_only() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = two_books_of_one_name(dir.path());
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::copy(&x, shared.join("book-20261101-090000Z.db")).unwrap();
    std::fs::copy(&y, shared.join("book-20261102-090000Z.db")).unwrap();
    let o = at(&x, "2026-11-23 09:00", &["backup", s(&shared), "--keep", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let left = names(&shared);
    assert!(
        !left.contains(&"book-20261101-090000Z.db".to_string()),
        "x's old one rotated: {left:?}"
    );
    assert!(
        left.contains(&"book-20261102-090000Z.db".to_string()),
        "y's kept: {left:?}"
    );
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn keep_zero_is_refused_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    demo(&db, 5, 1);
    let bk = dir.path().join("kb");
    for minute in 0..3 {
        let o = at(&db, &format!("2026-11-23 09:0{minute}"), &["backup", s(&bk)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = at(&db, "2026-11-23 09:05", &["backup", s(&bk), "--keep", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("keep at least 1"), "{}", stderr(&o));
    assert_eq!(names(&bk).len(), 3, "nothing deleted, nothing written");
    let o = at(
        &db,
        "2026-11-23 09:05",
        &["--lang", "zh", "backup", s(&bk), "--keep", "0"],
    );
    assert!(stderr(&o).contains("至少保留 1 份"), "{}", stderr(&o));

    let config = dir.path().join("cfg.toml");
    std::fs::write(&config, "[backup]\nkeep = 0\n").unwrap();
    let o = with_config(&db, &config, "2026-11-23 09:06", &["backup", s(&bk)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("keep = 0"), "{}", stderr(&o));
    assert_eq!(names(&bk).len(), 3);
}

/// Restoring a wrong backup and then the right one in the same second:
/// both copies of the book as it was are kept.
#[test]
fn two_restores_in_one_second_keep_both_copies_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let a = dir.path().join("a.db");
    let e = dir.path().join("e.db");
    demo(&db, 3, 1);
    demo(&a, 5, 2);
    demo(&e, 7, 3);
    for from in [&a, &e] {
        let o = run(&db, &["restore", s(from)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(count(&db), 7);
    let aside: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("l.db.before-restore-") && !n.contains("-wal") && !n.contains("-shm"))
        .collect();
    assert_eq!(
        aside,
        vec![
            "l.db.before-restore-20261123-090000".to_string(),
            "l.db.before-restore-20261123-090000-2".to_string()
        ]
    );
    assert_eq!(count(&dir.path().join(&aside[0])), 3);
    assert_eq!(count(&dir.path().join(&aside[1])), 5);
}

/// What a `backup DIR` killed mid-copy leaves in DIR (named after a
/// process that no longer runs) goes at the next backup into DIR; a
/// partial file of a running process stays.
#[test]
fn a_killed_backups_partial_files_go_at_the_next_backup_into_that_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    demo(&db, 5, 1);
    let bk = dir.path().join("bk");
    std::fs::create_dir(&bk).unwrap();
    let gone = 4_194_305u32;
    let stale = [
        bk.join(format!(".b-20261123-090000Z.db.{gone}.part")),
        bk.join(format!(".b-20261123-090000Z.db.{gone}.part-journal")),
    ];
    for p in &stale {
        std::fs::write(p, vec![0u8; 4096]).unwrap();
    }
    let running = bk.join(format!(".b-20261123-090000Z.db.{}.part", std::process::id()));
    std::fs::write(&running, "x").unwrap();
    std::fs::write(bk.join("notes.part"), "mine").unwrap();
    let o = run(&db, &["backup", s(&bk)]);
    assert!(o.status.success(), "{}", stderr(&o));
    for p in &stale {
        assert!(!p.exists(), "{} is still there", p.display());
    }
    assert!(running.exists(), "a running process's file stays");
    assert!(bk.join("notes.part").exists());
}
