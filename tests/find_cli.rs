//! `rapport find` with filters, `rapport duplicates`, `merge` and `delete`
//! as whole processes, and the same ranking as the TUI.

mod common;

use std::process::Command;

use common::{Harness, now, person};
use rapport::domain::customer::Grade;
use rapport::i18n::Lang;
use rapport::storage::Store;

fn rapport(db: &std::path::Path) -> Command {
    common::pty::command(db, common::pty::NOW)
}

fn book(store: &mut Store) {
    rapport::demo::generate(store, 300, 3, now()).unwrap();
    person(store, "翟玉兰", "黔城建材", "贵阳", "139 0851 1234", Grade::B);
    person(store, "翟玉兰", "申江贸易", "上海", "139 2100 5678", Grade::D);
    person(store, "张伟", "北京华联", "北京", "+86 (138) 0013-8000", Grade::A);
    person(store, "张 伟", "北京华联", "北京", "0086 138 0013 8000", Grade::C);
}

fn json(cmd: &mut Command) -> (Option<i32>, serde_json::Value) {
    let out = cmd.output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), v)
}

fn ids(v: &serde_json::Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn the_cli_ranks_as_the_tui_does() {
    let mut h = Harness::with(Lang::En, book);
    let db = h.dir.path().join("t.db");
    for q in ["zhang", "cs", "wang", "xiamen", "8000", "翟玉兰", "li na", "zw"] {
        h.keys(&format!("<Esc>/{q}"));
        let n = h.app.customers.results.len(&h.app.index).min(20);
        h.app.customers.results.ensure_sorted(&h.app.index, n);
        let tui: Vec<i64> = (0..n)
            .map(|p| {
                h.app
                    .index
                    .entry(h.app.customers.results.get(&h.app.index, p).unwrap())
                    .id
            })
            .collect();
        let (_, v) = json(rapport(&db).args(["find", "--json", "--limit", "20", q]));
        assert_eq!(ids(&v), tui, "query {q}");
    }
    // `zhang` puts every person named 张 first, before companies and
    // cities read "zhang" (长春 as zhangchun comes last).
    let (_, v) = json(rapport(&db).args(["find", "--json", "--limit", "100", "zhang"]));
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    let zhang = names.iter().take_while(|n| n.starts_with('张')).count();
    assert!(zhang >= 3, "{names:?}");
    assert!(names[zhang..].iter().all(|n| !n.starts_with('张')), "{names:?}");
}

#[test]
fn find_with_filters_and_namesakes_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let mut store = Store::open(&db).unwrap();
        book(&mut store);
    }
    // Namesakes: company, city and the last four digits on each line.
    let out = rapport(&db).args(["find", "翟玉兰"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("翟玉兰 · 黔城建材 · 贵阳 · ···1234"), "{text}");
    assert!(text.contains("翟玉兰 · 申江贸易 · 上海 · ···5678"), "{text}");
    let (code, v) = json(rapport(&db).args(["find", "--json", "翟玉兰 贵阳"]));
    assert_eq!(code, Some(0));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["city"], "贵阳");
    let (_, v) = json(rapport(&db).args(["find", "--json", "翟玉兰", "--grade", "d"]));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["company"], "申江贸易");
    // No query: the filters alone, everyone listed passes all of them.
    let (code, v) = json(rapport(&db).args(["find", "--json", "--limit", "500", "--grade", "A", "--status", "active"]));
    assert_eq!(code, Some(0));
    let hits = v.as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["grade"] == "A" && h["status"] == "active"));
    let (_, v) = json(rapport(&db).args(["find", "--json", "--limit", "500", "--city", "上海", "--overdue"]));
    for h in v.as_array().unwrap() {
        assert!(h["next_due"].as_str().unwrap() < "2026-11-23", "{h}");
    }
    let (_, v) = json(rapport(&db).args(["find", "--json", "--limit", "500", "--tag", "VIP"]));
    assert!(!v.as_array().unwrap().is_empty());
    // Phones as people type them.
    let (_, v) = json(rapport(&db).args(["find", "--json", "+86 138-0013-8000"]));
    assert_eq!(v.as_array().unwrap().len(), 2);
    // Mistakes are refused with a message, in Chinese too.
    let out = rapport(&db).args(["find", "--grade", "Z"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("A, B, C, D"));
    let out = rapport(&db).args(["--lang", "zh", "find"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("筛选条件"));
}

#[test]
fn duplicates_merge_and_delete_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (keep, other) = {
        let mut store = Store::open(&db).unwrap();
        let keep = person(&mut store, "张伟", "北京华联", "北京", "+86 (138) 0013-8000", Grade::A);
        let other = person(&mut store, "张 伟", "北京华联", "北京", "0086 138 0013 8000", Grade::C);
        person(&mut store, "李娜", "Acme", "", "", Grade::B);
        person(&mut store, "Li Na", "", "", "", Grade::B);
        (keep, other)
    };
    let (code, v) = json(rapport(&db).args(["duplicates", "--json"]));
    assert_eq!(code, Some(0));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["reason"], "phone");
    assert_eq!(
        (v[0]["a"]["id"].as_i64(), v[0]["b"]["id"].as_i64()),
        (Some(keep), Some(other))
    );
    // Without a terminal and without --yes nothing happens.
    let out = rapport(&db)
        .args(["merge", &keep.to_string(), &other.to_string()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(Store::open(&db).unwrap().customer(other).is_ok());
    let out = rapport(&db)
        .args([
            "merge",
            &keep.to_string(),
            &other.to_string(),
            "--take",
            "grade",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    {
        let store = Store::open(&db).unwrap();
        assert!(store.customer(other).is_err());
        assert_eq!(store.customer(keep).unwrap().grade, Grade::C);
    }
    let (_, v) = json(rapport(&db).args(["duplicates", "--json"]));
    assert!(v.as_array().unwrap().is_empty());
    let out = rapport(&db)
        .args(["delete", &keep.to_string()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = rapport(&db)
        .args(["delete", &keep.to_string(), "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(Store::open(&db).unwrap().customer(keep).is_err());
    let out = rapport(&db).args(["delete", "999", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A pasted paragraph of hundreds of words is a query like any other: no
/// database error, no match unless every word matches.
#[test]
fn a_query_of_hundreds_of_words_finds_nothing_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    person(&mut store, "张伟", "北京华联", "北京", "+86 (138) 0013-8000", Grade::A);
    drop(store);
    let long: Vec<String> = (0..1200).map(|i| format!("w{i}")).collect();
    let long = long.join(" ");
    let out = rapport(&db).args(["--lang", "en", "find", &long]).output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("No customer matches") && !said.contains("error"),
        "{said}"
    );
    // The query is echoed cut to a line, not as the whole paragraph.
    assert!(said.chars().count() < 120 && said.contains('…'), "{said}");
    let many = "zhang wei ".repeat(600);
    let out = rapport(&db).args(["--lang", "en", "find", &many]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("张伟"));
}

/// A large book keeps its index in a file beside it, and `rapport find`
/// reads the keys from there: the same answers as from the rows, through
/// edits made after the file was written, with filters and namesakes.
#[test]
fn a_book_that_keeps_its_index_file_finds_as_the_rows_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cadence = rapport::domain::cadence::Cadence::default();
    {
        let mut store = Store::open(&db).unwrap();
        book(&mut store);
        rapport::search::cache::load(&db, &cadence, 0, &|| true).unwrap();
        // Edits after it: a namesake more, a rename, a removal.
        person(&mut store, "翟玉兰", "申江贸易", "上海", "139 2100 9999", Grade::B);
        let mut c = store.customer(5).unwrap();
        c.name = "翟玉兰".into();
        store.update_customer(&c, now(), "").unwrap();
        store.delete_customer(9).unwrap();
    }
    let file = rapport::search::cache::path_for(&db);
    assert!(rapport::search::quick::find(&db, &cadence, "wang").is_some());
    let queries: [&[&str]; 8] = [
        &["wang"],
        &["翟玉兰", "--limit", "2"],
        &["翟玉兰", "--limit", "3", "--grade", "b"],
        &["zw"],
        &["li na", "--limit", "20"],
        &["l", "--limit", "7"],
        &["8000"],
        &["bjhl", "--limit", "30"],
    ];
    let run = |args: &[&str]| {
        let out = rapport(&db).args(["find", "--json"]).args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let from_file: Vec<_> = queries.iter().map(|a| run(a)).collect();
    std::fs::remove_file(&file).unwrap();
    for (args, got) in queries.iter().zip(from_file) {
        assert_eq!(got, run(args), "{args:?}");
    }
    let (_, v) = json(rapport(&db).args(["find", "--json", "--limit", "9", "翟玉兰"]));
    assert_eq!(ids(&v).len(), 4);
}
