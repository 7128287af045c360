//! `rapport import` as a whole process: the exit status the README
//! promises (a dry run the same as the import), the encoding of files
//! from Chinese Windows and of files that mix encodings, and refusals
//! that end their sentences.

mod common;

use std::path::Path;
use std::process::Output;

use encoding_rs::GB18030;

fn run(db: &Path, args: &[&str]) -> Output {
    let mut c = common::pty::command(db, "2026-11-23 09:00");
    c.env("TZ", "UTC").args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut q = c.prepare("SELECT name FROM customers ORDER BY id").unwrap();
    q.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// The exit status of a dry run, then of the import itself.
fn statuses(db: &Path, file: &Path) -> (Option<i32>, Option<i32>) {
    let f = file.to_str().unwrap();
    let dry = run(db, &["import", f, "--dry-run"]);
    let real = run(db, &["import", f]);
    (dry.status.code(), real.status.code())
}

#[test]
fn the_exit_status_is_the_readmes_and_a_dry_run_gives_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let good = write("good.csv", "name,phone\nAnna Berg,13811112222\nLi Na,13822223333\n");
    let some_bad = write(
        "some.csv",
        "name,phone,birthday\nOk Person,13833334444,\nBad Date,13844445555,1988-13-01\n",
    );
    let all_bad = write("allbad.csv", "name,phone,birthday\n,138,\nX,abc,1988-13-01\n");
    let header_only = write("header.csv", "name,phone\n");

    let db = dir.path().join("t.db");
    // Every row imported: 0.
    assert_eq!(statuses(&db, &good), (Some(0), Some(0)));
    // The same rows again are duplicates skipped as asked: still 0.
    assert_eq!(statuses(&db, &good), (Some(0), Some(0)));
    // Some rows rejected, the rest imported: 1, dry run or not.
    assert_eq!(statuses(&db, &some_bad), (Some(1), Some(1)));
    // Every row rejected: nothing was imported, 2.
    let db2 = dir.path().join("t2.db");
    assert_eq!(statuses(&db2, &all_bad), (Some(2), Some(2)));
    // A header and no rows: nothing was imported, 2, and said why.
    let out = run(&db2, &["import", header_only.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the file has a header but no rows. Nothing was imported."),
        "{}",
        stderr(&out)
    );
    assert_eq!(statuses(&db2, &header_only), (Some(2), Some(2)));
    assert!(names(&db2).is_empty());
    assert_eq!(names(&db).len(), 3);
}

#[test]
fn a_short_gbk_file_is_read_as_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g1.csv");
    std::fs::write(&file, GB18030.encode("name,phone\n王芳,13800000001\n").0).unwrap();
    let db = dir.path().join("t.db");
    let out = run(&db, &["--lang", "zh", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("按 GB18030 读取"), "{}", stdout(&out));
    // Once stored as "Нх·ј" (windows-1251).
    assert_eq!(names(&db), vec!["王芳"]);
    let two = dir.path().join("g3.csv");
    std::fs::write(&two, GB18030.encode("name\n陈静\n").0).unwrap();
    let out = run(&db, &["import", two.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&db), vec!["王芳", "陈静"]);
}

#[test]
fn a_utf8_file_with_one_gbk_line_is_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "name,phone\n".as_bytes().to_vec();
    for i in 0..50 {
        bytes.extend_from_slice(format!("客户{i},1380000{i:04}\n").as_bytes());
    }
    bytes.extend_from_slice(&GB18030.encode("王芳,13900000001\n").0);
    let file = dir.path().join("mix.csv");
    std::fs::write(&file, &bytes).unwrap();
    let db = dir.path().join("t.db");
    for dry in [true, false] {
        let mut args = vec!["import", file.to_str().unwrap()];
        if dry {
            args.push("--dry-run");
        }
        let out = run(&db, &args);
        // Once read whole as Shift_JIS: 51 names of mojibake, exit 0.
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains("line 52 is not valid UTF-8 text"), "{err}");
        assert!(err.contains("--encoding"), "{err}");
        assert!(err.trim_end().ends_with("). Nothing was imported."), "{err}");
    }
    assert!(names(&db).is_empty());
    // Told the encoding, the import reads the file that way (and finds
    // the UTF-8 lines are not GB18030 text, or imports what it is told).
    let out = run(&db, &["import", file.to_str().unwrap(), "--encoding", "utf-8"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 52 is not valid UTF-8"), "{}", stderr(&out));
}

#[test]
fn a_refusal_ends_its_sentence_before_saying_nothing_changed() {
    use rapport::i18n::Lang;
    use rapport::storage::io::{Refusal, TransferError};
    let e = TransferError::Refused(Refusal::InUse(Vec::new()));
    let (file, db) = (Path::new("book.json"), Path::new("book.db"));
    let en = rapport::app::import::transfer_message(Lang::En, &e, file, db);
    assert!(
        en.ends_with("quit it first, then restore. Nothing was changed."),
        "{en}"
    );
    let zh = rapport::app::import::transfer_message(Lang::Zh, &e, file, db);
    assert!(zh.ends_with("。未做任何更改。"), "{zh}");
}

#[test]
fn the_import_pane_reads_the_same_and_ctrl_e_still_overrides() {
    use common::Harness;
    let mut h = Harness::empty(rapport::i18n::Lang::En);
    let gbk = h.dir.path().join("g1.csv");
    std::fs::write(&gbk, GB18030.encode("name,phone\n王芳,13800000001\n").0).unwrap();
    let mut mixed = "name\n".as_bytes().to_vec();
    for i in 0..20 {
        mixed.extend_from_slice(format!("客户{i}\n").as_bytes());
    }
    mixed.extend_from_slice(&GB18030.encode("王芳\n").0);
    let mixed_path = h.dir.path().join("mix.csv");
    std::fs::write(&mixed_path, &mixed).unwrap();
    let open = |h: &mut Harness, path: &Path| {
        h.keys("<C-u>");
        h.app.type_text(&path.display().to_string());
        h.keys("<Enter>");
        h.screen(220, 30)
    };
    h.keys("i");
    let screen = open(&mut h, &mixed_path);
    assert!(screen.contains("line 22 is not valid UTF-8 text"), "{screen}");
    let screen = open(&mut h, &gbk);
    assert!(screen.contains("GB18030") && screen.contains("王芳"), "{screen}");
    // Ctrl-E (here `e` in the preview) to UTF-8: the GBK file is refused.
    h.keys("e");
    let screen = h.screen(220, 30);
    assert!(screen.contains("line 2 is not valid UTF-8"), "{screen}");
}

#[test]
fn a_file_of_one_row_is_read_as_one_row_in_each_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("one.csv");
    std::fs::write(&file, "Name,Phone\n王芳,13800138000\n").unwrap();
    let f = file.to_str().unwrap();
    let en = run(&db, &["import", f, "--dry-run"]);
    assert!(
        stdout(&en).contains("separator \",\", 1 row. Columns:"),
        "{}",
        stdout(&en)
    );
    std::fs::write(&file, "Name,Phone\n王芳,13800138000\n李娜,13900139000\n").unwrap();
    let en = run(&db, &["import", f, "--dry-run"]);
    assert!(stdout(&en).contains("2 rows. Columns:"), "{}", stdout(&en));
    let zh = run(&db, &["--lang", "zh", "import", f, "--dry-run"]);
    assert!(stdout(&zh).contains("共 2 行。各列："), "{}", stdout(&zh));
}

#[test]
fn one_rejected_row_past_the_twenty_shown_is_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("bad.csv");
    let mut text = String::from("Name,Phone\n王芳,13800138000\n");
    for i in 0..21 {
        text.push_str(&format!(",1390000{i:04}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let out = run(&db, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(stdout(&out).contains("… and 1 more rejected row."), "{}", stdout(&out));
}
