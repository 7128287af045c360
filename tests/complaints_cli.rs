//! The complaints on the command line: `rapport complaints [--open] [--json]`.

#[path = "complaints/book.rs"]
#[allow(dead_code)]
mod book;

use book::{NOW, customer, t};
use rapport::domain::complaint::record::{Details, NewComplaint};
use rapport::domain::complaint::zone::Zone;
use rapport::domain::complaint::{Category, ComplaintConfig, Event, Step, Temperament};
use rapport::storage::Store;

fn cli(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .args(["--config", "/nonexistent/config.toml", "--now", NOW, "--lang", "en"])
        .args(args)
        .env("TZ", "Asia/Shanghai")
        .output()
        .unwrap()
}

#[test]
fn the_cli_lists_complaints_as_json_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    let who = customer(&mut store, "张伟", "华强电子", "138 0013 8000");
    let shanghai = Zone::east(8);
    let new = |received: &str, cat| NewComplaint {
        customer_id: who,
        details: Details {
            complainant: "张伟".into(),
            content: "外壳凹陷".into(),
            ..Details::default()
        },
        category: cat,
        temperament: Temperament::Prepared,
        received_at: shanghai.to_utc(t(received)),
    };
    let cfg = ComplaintConfig::default();
    let late = store
        .add_complaint(new("2026-11-22 03:00", Category::Quality), &cfg, shanghai)
        .unwrap();
    let closed = store
        .add_complaint(new("2026-11-20 10:00", Category::Misled), &cfg, shanghai)
        .unwrap();
    let at = shanghai.to_utc(t("2026-11-20 11:00"));
    for e in [
        Event::Complete {
            step: Step::Listen,
            note: String::new(),
        },
        Event::Complete {
            step: Step::Record,
            note: String::new(),
        },
        Event::Judge {
            valid: false,
            note: "解释".into(),
        },
    ] {
        store
            .complaint_events(closed.id, vec![e], at, at, &cfg, shanghai)
            .unwrap()
            .unwrap();
    }
    drop(store);
    let out = cli(&db, &["complaints", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2);
    let first = &all[0];
    assert_eq!(first["id"], late.id);
    assert_eq!(first["customer"], "张伟");
    assert_eq!(first["category"], "quality");
    assert_eq!(first["state"], "open");
    assert_eq!(first["step"], 1);
    assert_eq!(first["received_at"], "2026-11-22T03:00:00+08:00");
    assert_eq!(first["first_response_due"], "2026-11-23T03:00:00+08:00");
    assert_eq!(first["due"], "2026-11-23T03:00:00+08:00");
    assert_eq!(first["due_kind"], "first_response");
    assert_eq!(first["overdue"], true);
    assert_eq!(all[1]["state"], "closed_not_valid");
    assert_eq!(all[1]["step"], serde_json::Value::Null);
    assert_eq!(all[1]["overdue"], false);
    let open = cli(&db, &["complaints", "--open", "--json"]);
    let open: serde_json::Value = serde_json::from_slice(&open.stdout).unwrap();
    assert_eq!(open.as_array().unwrap().len(), 1);
    let text = cli(&db, &["complaints", "--open"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("2026-11-22 03:00  张伟  Product or service quality  1. Listen and apologise  overdue 6h"),
        "{text}"
    );
}
