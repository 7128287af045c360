//! End-to-end tests: the real `rapport` binary in a pseudo-terminal and as
//! a plain process.
//!
//! Every wait is bounded: the screen is polled every few tens of
//! milliseconds up to a deadline, and a timeout fails with the screen.

mod common;

use common::pty::*;
use std::path::PathBuf;

#[test]
fn pinyin_initials_search_shows_the_chinese_name() {
    let book = Book::new();
    // An empty book: the TUI creates the database and shows the welcome screen.
    let mut tui = book.tui(&[]);
    tui.wait_for("Welcome to Rapport");
    add_customer(&tui, "张伟", "北京华联");
    add_customer(&tui, "Anna Berg", "Nordic Trade");
    tui.wait_for("Name");

    tui.send(b"/");
    tui.wait_for("2 matches");
    tui.send(b"zw");
    let screen = tui.wait_until("`/ zw` with one match", |s| {
        search_line(s).contains("/ zw") && s.contains("1 match")
    });
    assert!(screen.contains("张伟"), "张伟 not listed for zw:\n{screen}");
    assert!(screen.contains("北京华联"), "company not listed for zw:\n{screen}");
    assert!(
        !screen.contains("Anna Berg"),
        "Anna Berg should not match zw:\n{screen}"
    );

    tui.send(b"\x7f\x7f");
    let screen = tui.wait_until("the emptied search", |s| s.contains("2 matches"));
    assert!(
        screen.contains("Anna Berg") && screen.contains("张伟"),
        "both customers back:\n{screen}"
    );

    tui.send(b"bjhl");
    let screen = tui.wait_until("`/ bjhl` with one match", |s| {
        search_line(s).contains("/ bjhl") && s.contains("1 match")
    });
    assert!(screen.contains("张伟"), "张伟 not listed for bjhl:\n{screen}");
    assert!(
        !screen.contains("Anna Berg"),
        "Anna Berg should not match bjhl:\n{screen}"
    );

    // Enter keeps the results, Enter again opens the card, Esc backs out.
    tui.send(b"\r");
    tui.wait_until("the search accepted", |s| {
        !s.contains("keep results") && search_line(s).contains("bjhl")
    });
    tui.send(b"\r");
    let screen = tui.wait_for("Pre-call card");
    assert!(
        screen.contains("张伟") && screen.contains("北京华联"),
        "card of 张伟:\n{screen}"
    );
    tui.send(b"\x1b");
    tui.wait_until("the list after Esc", |s| {
        !s.contains("Pre-call card") && s.contains("1 match")
    });
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    // What was typed in the TUI is in the file.
    let out = book.cli(&["find", "--json", "zw"]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && json.contains("张伟") && json.contains("北京华联"),
        "{json}"
    );
}

#[test]
fn q_quits_and_the_terminal_comes_back() {
    let book = Book::new();
    book.demo(50, 1);
    let mut tui = book.tui(&[]);
    tui.wait_until("the customer list", |s| {
        s.contains("Name") && s.contains("50 customers")
    });
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    let out = tui.output();
    let enter = rfind(&out, b"\x1b[?1049h").expect("the alternate screen was never entered");
    let leave = find_from(&out, enter, b"\x1b[?1049l");
    assert!(
        leave.is_some(),
        "the alternate screen was not left; tail: {:?}",
        String::from_utf8_lossy(&out[enter..])
    );
    let show = find_from(&out, enter, b"\x1b[?25h");
    assert!(
        show.is_some(),
        "the cursor was not shown again; tail: {:?}",
        String::from_utf8_lossy(&out[enter..])
    );
    assert!(
        find_from(&out, enter, b"\x1b[?2004l").is_some(),
        "bracketed paste was not turned off; tail: {:?}",
        String::from_utf8_lossy(&out[enter..])
    );
    // Nothing is drawn on the main screen after leaving the alternate one.
    let after = &out[leave.unwrap()..];
    assert!(
        !String::from_utf8_lossy(after).contains("Name"),
        "drawing after leaving: {after:?}"
    );
}

#[test]
fn chinese_interface_shows_chinese_labels() {
    let book = Book::new();
    book.demo(50, 1);
    let mut tui = book.tui(&["--lang", "zh"]);
    let screen = tui.wait_until("the Chinese interface", |s| {
        s.contains("客户") && s.contains("日程") && s.contains("退出")
    });
    let tabs = screen.lines().next().unwrap_or("");
    assert!(tabs.contains("客户") && tabs.contains("日程"), "tabs: {tabs:?}");
    let footer = screen.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
    assert!(footer.contains("退出"), "footer: {footer:?}\n{screen}");
    assert!(screen.contains("姓名"), "column header not translated:\n{screen}");
    assert!(
        !screen.contains("Customers") && !screen.contains("quit"),
        "English left over:\n{screen}"
    );
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_corrupt_file_is_refused_without_touching_it() {
    let book = Book::new();
    let path = book.dir.path().join("garbage.db");
    // Deterministic noise (a small LCG), certainly not an SQLite header.
    let mut x: u32 = 0x1234_5678;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    assert_ne!(&garbage[..16], b"SQLite format 3\0");
    std::fs::write(&path, &garbage).unwrap();

    let out = book.cli_on(&path, &["find", "x"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a garbage file was accepted: {:?}", out.status);
    assert!(
        stderr.contains(&path.display().to_string()),
        "stderr does not name the file: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "the file was modified");
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        assert!(
            !side.exists(),
            "{} was created next to the refused file",
            side.display()
        );
    }
}

fn is_chinese(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn find_by_pinyin_prints_the_card_and_json() {
    use pinyin::ToPinyin;

    let book = Book::new();
    book.demo(200, 7);
    let out = book.cli(&["find", "--json", "--limit", "50", "华"]);
    assert!(
        out.status.success(),
        "find 华: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("find --json prints a JSON array");
    let target = hits
        .iter()
        .find(|h| h["name"].as_str().is_some_and(is_chinese))
        .unwrap_or_else(|| panic!("no Chinese name among the matches for 华: {hits:?}"));
    let (id, name) = (
        target["id"].as_i64().unwrap(),
        target["name"].as_str().unwrap().to_string(),
    );
    let initials: String = name.as_str().to_pinyin().flatten().map(|p| p.first_letter()).collect();
    assert!(initials.len() >= 2, "initials of {name}: {initials}");

    let out = book.cli(&["find", &initials, "--json", "--limit", "50"]);
    assert!(
        out.status.success(),
        "find {initials}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON array");
    assert!(!hits.is_empty() && hits.len() <= 50, "{} hits", hits.len());
    assert!(
        hits.iter().any(|h| h["id"].as_i64() == Some(id)),
        "{name} (#{id}) not found by {initials}: {hits:#?}"
    );
    for h in &hits {
        let obj = h.as_object().unwrap_or_else(|| panic!("not an object: {h}"));
        for key in [
            "id",
            "name",
            "company",
            "phone",
            "grade",
            "status",
            "last_contact",
            "next_due",
        ] {
            assert!(obj.contains_key(key), "{key} missing in {h}");
        }
    }

    // The text form: the list, then the pre-call card of the best match.
    let out = book.cli(&["find", &initials]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains(&name), "find {initials}:\n{text}");

    let out = book.cli(&["find", "zzzzqqqxxx"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no match must exit 1; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "stdout on no match: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = book.cli(&["find", "--json", "zzzzqqqxxx"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}
