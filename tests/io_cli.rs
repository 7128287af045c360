//! `rapport import`, `export`, `backup`, `restore` and `check` as whole
//! processes: exit codes, messages, files written and files not written.

mod common;

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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/io")
        .join(name)
}

fn count(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn import_reports_rejects_by_line_and_writes_them_next_to_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let input = dir.path().join("contacts.csv");
    std::fs::copy(fixture("mixed_rejects.csv"), &input).unwrap();

    let dry = run(&db, &["import", input.to_str().unwrap(), "--dry-run"]);
    // Rows rejected: 1, as the import itself.
    assert_eq!(dry.status.code(), Some(1), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("Dry run, nothing written. Read 9: 3 would be imported"),
        "{}",
        stdout(&dry)
    );
    assert!(stdout(&dry).contains("line 4: \"call me\" is not a phone number"));
    assert_eq!(count(&db), 0);
    assert!(!dir.path().join("contacts.rejects.csv").exists());

    let out = run(&db, &["import", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "rejects make exit 1: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Read 9: 3 imported, 0 duplicates (0 merged, 0 skipped), 6 rejected."),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "control characters are never printed raw");
    assert_eq!(count(&db), 3);
    let rejects = std::fs::read_to_string(dir.path().join("contacts.rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "line,reason,Name,Company,Phone,Email,Birthday,Grade");
    let numbers: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(numbers, vec!["3", "4", "5", "6", "7", "8"]);

    // Importing it again adds nothing: every good row is a duplicate.
    let again = run(&db, &["import", input.to_str().unwrap()]);
    assert!(
        stdout(&again).contains("0 imported, 3 duplicates (0 merged, 3 skipped), 6 rejected"),
        "{}",
        stdout(&again)
    );
    assert_eq!(count(&db), 3);
}

#[test]
fn malformed_and_unknown_files_import_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    for (file, says) in [
        (
            "malformed_unterminated.csv",
            "line 3: a quote opened here is never closed",
        ),
        ("malformed_swallowed.csv", "lines 2–4"),
        ("malformed_columns.csv", "3 of 3 rows have a different number of fields"),
    ] {
        let out = run(&db, &["import", fixture(file).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(stderr(&out).contains(says), "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains("Nothing was imported."));
    }
    let xlsx = dir.path().join("book.xlsx");
    std::fs::write(&xlsx, b"PK\x03\x04").unwrap();
    let out = run(&db, &["import", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(count(&db), 0);
}

#[test]
fn the_mapping_and_encoding_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let input = dir.path().join("kunden.csv");
    std::fs::write(&input, "Kunde;Firma;Telefon\nAnna Schmidt;Acme GmbH;030 1234567\n").unwrap();
    let out = run(&db, &["import", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no column holds the name"), "{}", stderr(&out));
    let out = run(
        &db,
        &[
            "import",
            input.to_str().unwrap(),
            "--map",
            "Kunde=name",
            "--map",
            "2=company",
            "--map",
            "3=phone",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(count(&db), 1);
    // A GB18030 file read as UTF-8 on request is refused with its line.
    let out = run(
        &db,
        &[
            "import",
            fixture("zh_gb18030.csv").to_str().unwrap(),
            "--encoding",
            "utf-8",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1 is not valid UTF-8"), "{}", stderr(&out));
    let out = run(
        &db,
        &[
            "import",
            fixture("zh_gb18030.csv").to_str().unwrap(),
            "--encoding",
            "gbk",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(count(&db), 5);
}

#[test]
fn exports_write_whole_private_files_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(run(&db, &["demo", "--customers", "30"]).status.success());
    for (fmt, file) in [
        ("csv", "c.csv"),
        ("json", "all.json"),
        ("vcf", "c.vcf"),
        ("ics", "a.ics"),
    ] {
        let path = dir.path().join(file);
        let out = run(&db, &["export", "--format", fmt, "-o", path.to_str().unwrap()]);
        assert!(out.status.success(), "{fmt}: {}", stderr(&out));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The format can come from the file name; stdout works too.
    let out = run(&db, &["export", "-o", dir.path().join("x.ics").to_str().unwrap()]);
    assert!(out.status.success());
    let out = run(&db, &["export", "--format", "vcf"]);
    assert_eq!(stdout(&out).matches("BEGIN:VCARD").count(), 30);
    // The JSON export restores through `import` into a new file.
    let copy = dir.path().join("copy.db");
    let out = run(&copy, &["import", dir.path().join("all.json").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&copy), 30);
    // Unwritable places fail clearly and leave nothing behind.
    let missing = dir.path().join("no/such/dir/out.csv");
    let out = run(&db, &["export", "--format", "csv", "-o", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    let blocked = dir.path().join("blocked");
    std::fs::create_dir(&blocked).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&blocked, std::fs::Permissions::from_mode(0o500)).unwrap();
    let out = run(
        &db,
        &[
            "export",
            "--format",
            "json",
            "-o",
            blocked.join("all.json").to_str().unwrap(),
        ],
    );
    std::fs::set_permissions(&blocked, std::fs::Permissions::from_mode(0o700)).unwrap();
    if out.status.success() {
        // Running as root: permissions do not stop us; nothing to check.
        return;
    }
    assert_eq!(std::fs::read_dir(&blocked).unwrap().count(), 0);
}

#[test]
fn json_restores_through_import_and_refuses_a_full_book() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(run(&db, &["demo", "--customers", "25"]).status.success());
    let json = dir.path().join("all.json");
    assert!(run(&db, &["export", "-o", json.to_str().unwrap()]).status.success());
    let copy = dir.path().join("copy.db");
    let out = run(&copy, &["import", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Restored 25 customers"), "{}", stdout(&out));
    let out = run(&copy, &["import", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already holds 25 customers"), "{}", stderr(&out));
    assert_eq!(count(&copy), 25);
}

#[test]
fn backups_rotate_and_restore_and_check_say_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(run(&db, &["demo", "--customers", "10"]).status.success());
    let backups = dir.path().join("bk");
    std::fs::create_dir(&backups).unwrap();
    std::fs::write(backups.join("notes.txt"), "mine").unwrap();
    for minute in 0..5 {
        let now = format!("2026-11-23 09:0{minute}");
        let out = rapport(&db, &now)
            .args(["backup", backups.to_str().unwrap(), "--keep", "3"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // Named after the book and its id (where the book is), the time in UTC.
    let id = rapport::io::backup::book_id(&db);
    let named = |t: &str| format!("book-{id}-20261123-{t}Z.db");
    assert_eq!(
        names,
        vec![
            named("090200"),
            named("090300"),
            named("090400"),
            "notes.txt".to_string()
        ]
    );
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("is healthy"), "{}", stdout(&out));

    assert!(run(&db, &["demo", "--customers", "5", "--force"]).status.success());
    let out = run(&db, &["restore", backups.join(named("090400")).to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("the book now holds 10 customers"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(&db), 10);
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".before-restore-"))
        .expect("the previous database is kept");
    assert_eq!(count(&aside), 15);

    // A damaged file: check says so with exit 1 and leaves it as it was.
    let mut bytes = std::fs::read(&db).unwrap();
    let ps = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    for b in &mut bytes[ps..ps + 4096] {
        *b = 0xFF;
    }
    std::fs::write(&db, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("book.db-wal"));
    let _ = std::fs::remove_file(dir.path().join("book.db-shm"));
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("is damaged"), "{}", stdout(&out));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    let out = run(&dir.path().join("none.db"), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("none.db").exists(), "check creates nothing");
}
