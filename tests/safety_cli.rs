//! Data safety through the real binary: backups across time zones,
//! exports into devices and pipes, bounded agenda, refused URIs, file
//! modes, leftover partial files.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::names;

fn rapport(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.arg("--db").arg(db).args(["--config", "/nonexistent/config.toml"]);
    c.env("LANG", "C").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    rapport(db).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_backup_taken_after_a_time_zone_change_is_the_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(run(&db, &["demo", "--customers", "5"]).status.success());
    let bk = dir.path().join("bk");
    let first = rapport(&db)
        .env("TZ", "Asia/Shanghai")
        .args(["backup", bk.to_str().unwrap(), "--keep", "1"])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = rapport(&db)
        .env("TZ", "UTC")
        .args(["backup", bk.to_str().unwrap(), "--keep", "1"])
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    let left = names(&bk);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        stdout(&second).contains(&left[0]),
        "the fresh backup is kept: {left:?} / {}",
        stdout(&second)
    );
    assert!(left[0].ends_with("Z.db"), "named in UTC: {left:?}");
}

fn csv(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("new.csv");
    std::fs::write(&p, "name,company,phone\nNew Person,New Co,13800000001\n").unwrap();
    p
}

fn fixed(db: &Path, args: &[&str]) -> Output {
    rapport(db)
        .args(["--now", "2026-11-23 09:00"])
        .args(args)
        .output()
        .unwrap()
}

/// A book damaged in its header (byte 52, which turns on auto-vacuum) or
/// inside one page is checked before any bulk write and never written to;
/// `check` says the same; reads still work.
#[test]
fn a_damaged_book_is_never_written_to() {
    for damage in ["header byte 52", "16 bytes in one page"] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        assert!(fixed(&db, &["demo", "--customers", "60"]).status.success());
        let mut bytes = std::fs::read(&db).unwrap();
        if damage == "header byte 52" {
            bytes[52] ^= 0x40;
        } else {
            let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
            let page = ps * (bytes.len() / ps / 2);
            for b in &mut bytes[page..page + 16] {
                *b = 0x5A;
            }
        }
        std::fs::write(&db, &bytes).unwrap();
        let out = fixed(&db, &["check"]);
        assert_eq!(out.status.code(), Some(1), "{damage}: {}", stdout(&out));
        assert!(stdout(&out).contains("is damaged"), "{damage}: {}", stdout(&out));
        let out = fixed(&db, &["import", csv(dir.path()).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{damage}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("damaged, so nothing was written"),
            "{damage}: {}",
            stderr(&out)
        );
        let out = fixed(&db, &["demo", "--customers", "5", "--force"]);
        assert_eq!(out.status.code(), Some(2), "{damage}: {}", stdout(&out));
        assert!(stderr(&out).contains("damaged"), "{damage}: {}", stderr(&out));
        assert_eq!(std::fs::read(&db).unwrap(), bytes, "{damage}: the file was written");
        // A command that writes one record: the day's backup finds the
        // damage, and nothing is written (it used to say so, then write).
        for args in [
            vec!["add", "--name", "New Person"],
            vec!["log", "1", "called"],
            vec!["edit", "1", "--set", "city=Q"],
            vec!["--lang", "zh", "delete", "1", "--yes"],
        ] {
            let out = fixed(&db, &args);
            assert_eq!(out.status.code(), Some(2), "{damage} {args:?}: {}", stdout(&out));
            let err = stderr(&out);
            assert!(
                err.contains("damaged") || err.contains("已损坏"),
                "{damage} {args:?}: {err}"
            );
            assert!(
                err.lines().count() <= 12,
                "{damage} {args:?}: a short message, not SQLite's every finding"
            );
            assert_eq!(
                std::fs::read(&db).unwrap(),
                bytes,
                "{damage} {args:?}: the file was written"
            );
        }
        if damage == "header byte 52" {
            // Found on open by the cheap checks: reads work, with a warning.
            let out = fixed(&db, &["find", "a", "--limit", "1"]);
            assert!(stderr(&out).contains("opened read-only"), "{}", stderr(&out));
            assert!(!stdout(&out).is_empty());
            assert_eq!(std::fs::read(&db).unwrap(), bytes);
        }
    }
}

#[test]
fn check_says_it_could_not_check_rather_than_damaged() {
    // A WAL file SQLite cannot use (a directory in its place) makes the
    // check unable to open the book: that is not damage.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "5"]).status.success());
    std::fs::create_dir(dir.path().join("book.db-wal")).unwrap();
    let out = fixed(&db, &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("could not check"), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("damaged") && !stderr(&out).contains("restore"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn agenda_days_is_bounded_and_uris_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "5"]).status.success());
    let out = fixed(&db, &["agenda", "--days", "400000000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("at most 366 days"), "{}", stderr(&out));
    assert!(fixed(&db, &["agenda", "--days", "366"]).status.success());
    let uri = dir.path().join("file:x.db?mode=memory");
    let out = rapport(Path::new("file:x.db?mode=memory"))
        .current_dir(dir.path())
        .args(["demo", "--customers", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("SQLite URI"), "{}", stderr(&out));
    assert!(!uri.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "only book.db and its lock"
    );
}

#[cfg(unix)]
#[test]
fn every_file_and_folder_rapport_creates_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "5"]).status.success());
    // A reader holds the book open so the WAL stays while we look.
    let store = rapport::storage::Store::open(&db).unwrap();
    store.checkpoint().unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Under a umask that would leave folders unreadable to their owner.
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "umask 277; exec \"$@\"", "sh", env!("CARGO_BIN_EXE_rapport")])
        .arg("--db")
        .arg(&db)
        .args(["--config", "/nonexistent/config.toml", "backup"])
        .arg(dir.path().join("a/b/bk"));
    let out = cmd.env("TZ", "UTC").env("LANG", "C").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for suffix in ["-wal", "-shm", ".lock"] {
        let p = dir.path().join(format!("book.db{suffix}"));
        assert_eq!(mode(&p), 0o600, "{suffix}");
    }
    for d in ["a", "a/b", "a/b/bk"] {
        assert_eq!(mode(&dir.path().join(d)), 0o700, "{d}");
    }
    for e in std::fs::read_dir(dir.path().join("a/b/bk")).unwrap() {
        assert_eq!(mode(&e.unwrap().path()), 0o600, "the backup");
    }
    // The book itself is left as it is, and that it is readable is said once.
    assert_eq!(mode(&db), 0o644);
    drop(store);
    let first = fixed(&db, &["agenda"]);
    let second = fixed(&db, &["agenda"]);
    assert!(
        stderr(&first).contains("can be read by other users"),
        "{}",
        stderr(&first)
    );
    assert!(
        !stderr(&second).contains("can be read by other users"),
        "{}",
        stderr(&second)
    );
}

#[cfg(unix)]
#[test]
fn exports_write_into_devices_pipes_and_stdout() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "8"]).status.success());
    // `-` is standard output, and nothing else is printed there.
    let out = fixed(&db, &["export", "--format", "csv", "-o", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.path().join("-").exists());
    assert!(!stdout(&out).contains("Exported"), "only the data on stdout");
    assert_eq!(stdout(&out).lines().count(), 9, "{}", stdout(&out));
    // A full device is an error, and stays a device.
    for format in ["csv", "json"] {
        let out = fixed(&db, &["export", "--format", format, "-o", "/dev/full"]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stdout(&out));
        assert!(stderr(&out).contains("/dev/full"), "{}", stderr(&out));
    }
    assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    let out = fixed(&db, &["export", "--format", "vcf", "-o", "/dev/null"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    // A named pipe is written into, not replaced.
    let fifo = dir.path().join("feed");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(&fifo).unwrap())
    };
    let out = fixed(&db, &["export", "--format", "ics", "-o", fifo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(reader.join().unwrap().starts_with("BEGIN:VCALENDAR"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // Standard output on a full device is an error too.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = rapport(&db)
        .args(["--now", "2026-11-23 09:00", "export", "--format", "json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn partial_files_of_a_killed_backup_are_cleaned_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "5"]).status.success());
    let bk = dir.path().join("backups");
    std::fs::create_dir(&bk).unwrap();
    // What a backup killed mid-copy leaves: a hidden copy named after its
    // process (one that no longer runs).
    let left = [
        bk.join(".book-20261123-090000Z.db.4194305.part"),
        bk.join(".book-20261123-090000Z.db.4194305.part-journal"),
        dir.path().join(".book.db.4194305.restore.part"),
    ];
    for p in &left {
        std::fs::write(p, vec![0u8; 4096]).unwrap();
    }
    assert!(fixed(&db, &["agenda"]).status.success());
    for p in &left {
        assert!(!p.exists(), "{} is still there", p.display());
    }
}

#[test]
fn a_wal_of_another_book_is_set_aside_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.db");
    let y = dir.path().join("y.db");
    assert!(fixed(&x, &["demo", "--customers", "200"]).status.success());
    assert!(
        fixed(&y, &["demo", "--customers", "30", "--seed", "2"])
            .status
            .success()
    );
    let before = std::fs::read(&x).unwrap();
    {
        let mut other = rapport::storage::Store::open(&y).unwrap();
        other
            .insert_customer(&rapport::domain::customer::Customer::new(
                "Only in y",
                chrono::NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap(),
            ))
            .unwrap();
        std::fs::copy(dir.path().join("y.db-wal"), dir.path().join("x.db-wal")).unwrap();
    }
    let out = fixed(&x, &["agenda"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not belong to this book"), "{}", stderr(&out));
    // Said before the check, which takes minutes for a large book.
    assert!(
        stderr(&out).contains("did not close cleanly last time"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&x).unwrap(), before, "the book is as it was");
    assert!(std::fs::read_dir(dir.path()).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("x.db-wal.not-this-book-")
    }));
    let out = fixed(&x, &["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(!stderr(&out).contains("did not close cleanly"), "{}", stderr(&out));
}

/// Two `rapport import` of one file started together add each customer
/// once, whichever gets the write lock first.
#[test]
fn two_import_processes_at_once_add_each_customer_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "10"]).status.success());
    let file = dir.path().join("many.csv");
    let mut text = String::from("name,company,phone\n");
    for i in 0..3000 {
        text.push_str(&format!("Person {i},Company {},1390000{i:04}\n", i % 97));
    }
    std::fs::write(&file, text).unwrap();
    let spawn = || {
        rapport(&db)
            .args(["--now", "2026-11-23 09:00", "import"])
            .arg(&file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let mut said = String::new();
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        said.push_str(&stdout(&out));
    }
    // Whichever came second, the summaries add up to what was written.
    if said.contains("were not added again") {
        assert!(said.contains("0 imported"), "{said}");
    }
    let n: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3010);
}

/// Another book's WAL copied beside a healthy book (no Rapport has it
/// open): opening the book sets that WAL aside, and `check` agrees with
/// it instead of calling the book damaged and advising a restore.
#[test]
fn check_and_opening_agree_on_a_wal_from_another_book() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("A.db");
    let b = dir.path().join("B.db");
    assert!(fixed(&a, &["demo", "--customers", "300"]).status.success());
    assert!(
        fixed(&b, &["demo", "--customers", "300", "--seed", "7"])
            .status
            .success()
    );
    {
        let conn = rusqlite::Connection::open(&b).unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn.execute(
            "UPDATE customers SET sort_key = 'zz' || sort_key, notes = 'changed'",
            [],
        )
        .unwrap();
        std::fs::copy(dir.path().join("B.db-wal"), dir.path().join("A.db-wal")).unwrap();
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .unwrap();
    }
    let out = fixed(&a, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("does not belong to it"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("Restore"), "{}", stdout(&out));
    // Opening agrees: the WAL is moved aside and the book reads whole.
    let out = fixed(&a, &["find", "--limit", "1", "a"]);
    assert!(stderr(&out).contains("did not belong to this book"), "{}", stderr(&out));
    let out = fixed(&a, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("is healthy"), "{}", stdout(&out));
}

/// A broken page met while reading (here the customers table's root) is
/// said as damage with what to do, not as a bare "database error".
#[test]
fn a_broken_page_met_while_reading_says_the_book_is_damaged_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(fixed(&db, &["demo", "--customers", "300"]).status.success());
    let root: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT rootpage FROM sqlite_master WHERE name = 'customers'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let at = ps * (root as usize - 1);
    for (i, b) in bytes[at..at + ps].iter_mut().enumerate() {
        *b = (i * 37 % 251) as u8;
    }
    std::fs::write(&db, &bytes).unwrap();
    for (lang, says) in [("en", "the book is damaged"), ("zh", "客户库已损坏")] {
        let out = fixed(&db, &["--lang", lang, "find", "a"]);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(says) && err.contains("rapport restore"), "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing written");
}
