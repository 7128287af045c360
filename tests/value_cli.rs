//! Purchases and the value analysis from the command line, as whole
//! processes: add, list, import (rejects with line and reason), export,
//! `insights --json`, and `find --json`'s value figures.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn rapport(db: &Path) -> Command {
    common::pty::command(db, common::pty::NOW)
}

fn run(db: &Path, args: &[&str]) -> Output {
    rapport(db).args(args).output().unwrap()
}

/// `rapport purchases add ID --date DATE --amount AMOUNT [more...]`.
fn buy(db: &Path, id: &str, date: &str, amount: &str, more: &[&str]) -> Output {
    let mut args = vec!["purchases", "add", id, "--date", date, "--amount", amount];
    args.extend_from_slice(more);
    run(db, &args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A book with three customers: 1 张伟 (华强), 2 张伟 (华联), 3 Li Na.
fn book(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("t.db");
    let mut store = rapport::storage::Store::open(&db).unwrap();
    let at = chrono::NaiveDateTime::parse_from_str("2025-01-01 09:00", "%Y-%m-%d %H:%M").unwrap();
    for (name, company, phone) in [
        ("张伟", "华强电子", "138 0013 8000"),
        ("张伟", "北京华联", ""),
        ("Li Na", "Acme", "+44 20 7946 0000"),
    ] {
        let mut c = rapport::domain::customer::Customer::new(name, at);
        c.company = company.into();
        c.status = rapport::domain::customer::Status::Active;
        c.grade = rapport::domain::customer::Grade::C;
        if !phone.is_empty() {
            c.phones.push(phone.into());
        }
        store.insert_customer(&c).unwrap();
    }
    db
}

#[test]
fn add_and_list_purchases_with_exact_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let o = buy(
        &db,
        "3",
        "2026-11-20",
        "¥1,234.5",
        &["--product", "Boxes", "--qty", "4"],
    );
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&o).contains("¥1,234.50"), "{}", stdout(&o));
    let o = run(
        &db,
        &["purchases", "add", "3", "--date", "2026-11-21", "--amount", "0.10"],
    );
    assert!(o.status.success());
    let o = run(&db, &["purchases", "list", "--customer", "3", "--json"]);
    let text = stdout(&o);
    // Amounts are numbers in currency units with their two decimals.
    assert!(
        text.contains("\"amount\": 1234.50") && text.contains("\"amount\": 0.10"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v[0]["quantity"], 4);
    assert_eq!(v[0]["customer"], "Li Na");
    // Mistakes: a clear message, nothing written.
    for (args, says) in [
        (
            vec!["purchases", "add", "3", "--date", "2026-11-20", "--amount", "12abc"],
            "not an amount",
        ),
        (
            vec!["purchases", "add", "3", "--date", "2027-01-01", "--amount", "5"],
            "future",
        ),
        (vec!["purchases", "add", "3", "--date", "soon", "--amount", "5"], "soon"),
        (
            vec!["purchases", "add", "99", "--date", "2026-11-20", "--amount", "5"],
            "no longer exists",
        ),
    ] {
        let o = run(&db, &args);
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // A negative amount is refused by the amount's own check, in the
    // user's language, written with `=` or with a space.
    for amount in [&["--amount=-5"][..], &["--amount", "-5"]] {
        let mut args = vec!["--lang", "zh", "purchases", "add", "3", "--date", "2026-11-20"];
        args.extend_from_slice(amount);
        let o = run(&db, &args);
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("金额必须大于零"), "{args:?}: {err}");
    }
    let o = run(&db, &["purchases", "list"]);
    assert!(stdout(&o).contains("2 purchases, ¥1,234.60 in all."), "{}", stdout(&o));
}

#[test]
fn import_finds_customers_or_rejects_with_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        "订单号,客户,公司,手机,下单日期,商品,数量,实付金额\n\
         A1,张伟,华强电子,,2026-03-04,纸箱,2,\"1,234.50\"\n\
         A2,,,+86 138-0013-8000,2026/3/5,胶带,1,¥99\n\
         A3,Li Na,,,2026年3月6日,,,1234.50元\n\
         A4,张伟,,,2026-03-07,纸箱,1,10\n\
         A5,王芳,,,2026-03-07,纸箱,1,10\n\
         A6,Li Na,,,2026-03-07,纸箱,1,ten\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let o = run(&db, &["purchases", "import", f, "--dry-run"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("Read 6: 3 would be imported (¥2,568), 3 rejected"),
        "{}",
        stdout(&o)
    );
    assert_eq!(run(&db, &["purchases", "list", "--json"]).stdout, b"[]\n");
    let o = run(&db, &["purchases", "import", f]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let out = stdout(&o);
    assert!(out.contains("line 5: 张伟 could be more than one customer"), "{out}");
    assert!(out.contains("line 6: no customer 王芳 in the book"), "{out}");
    assert!(out.contains("line 7: not an amount: ten"), "{out}");
    let rejects = std::fs::read_to_string(dir.path().join("orders.rejects.csv")).unwrap();
    assert!(rejects.starts_with('\u{feff}') && rejects.contains("A5"), "{rejects}");
    let v: serde_json::Value = serde_json::from_slice(&run(&db, &["purchases", "list", "--json"]).stdout).unwrap();
    let got: Vec<(i64, f64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["customer_id"].as_i64().unwrap(), p["amount"].as_f64().unwrap()))
        .collect();
    assert_eq!(got, vec![(1, 1234.5), (1, 99.0), (3, 1234.5)]);
    // A file whose columns are not recognised: --map names them.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "Kunde,Datum,Betrag\nLi Na,2026-01-02,7\n").unwrap();
    let o = run(&db, &["purchases", "import", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--map"));
    let o = run(
        &db,
        &[
            "purchases",
            "import",
            other.to_str().unwrap(),
            "--map",
            "Kunde=name",
            "--map",
            "2=date",
            "--map",
            "Betrag=amount",
        ],
    );
    assert!(o.status.success(), "{o:?}");
}

#[test]
fn the_purchase_export_opens_in_excel_and_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    buy(&db, "3", "2026-11-20", "12.30", &["--product", "=SUM(A1)"]);
    let out = dir.path().join("p.csv");
    let o = run(&db, &["purchases", "export", "-o", out.to_str().unwrap()]);
    assert!(o.status.success());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("'=SUM(A1)") && text.contains("12.30"), "{text}");
    let o = run(&db, &["purchases", "import", out.to_str().unwrap()]);
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&run(&db, &["purchases", "list"])).contains("2 purchases, ¥24.60"));
}

#[test]
fn insights_json_has_every_field_and_the_headline() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    for (id, day, amount) in [
        ("1", "2026-11-01", "800"),
        ("1", "2026-10-01", "100.50"),
        ("3", "2025-01-01", "99"),
    ] {
        assert!(
            run(&db, &["purchases", "add", id, "--date", day, "--amount", amount])
                .status
                .success()
        );
    }
    let o = run(&db, &["insights", "--json"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("\"revenue\":900.50") && text.contains("\"top20_share\":1.0000"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["as_of"], "2026-11-23");
    assert_eq!(v["window_days"], 365);
    assert_eq!(v["buyers"], 1);
    let customers = v["customers"].as_array().unwrap();
    // 张伟 (1) bought; Li Na (3) bought long ago; 张伟 (2) never bought but
    // is suggested D.
    let c1 = customers.iter().find(|c| c["id"] == 1).unwrap();
    for key in [
        "id",
        "name",
        "recency_days",
        "frequency",
        "monetary",
        "aov",
        "r",
        "f",
        "m",
        "segment",
        "cn_class",
        "abc",
        "grade",
        "suggested_grade",
    ] {
        assert!(c1.get(key).is_some(), "{key} missing");
    }
    assert_eq!(c1["recency_days"], 22);
    assert_eq!(c1["frequency"], 2);
    assert_eq!(c1["monetary"].as_f64(), Some(900.5));
    assert_eq!(c1["aov"].as_f64(), Some(450.25));
    assert!(text.contains("\"monetary\":900.50,\"aov\":450.25"), "{text}");
    assert_eq!(c1["abc"], "A");
    assert_eq!(c1["suggested_grade"], "A");
    let c3 = customers.iter().find(|c| c["id"] == 3).unwrap();
    assert_eq!(
        (c3["segment"].as_str(), c3["abc"].as_str(), c3["r"].is_null()),
        (Some("lost"), Some("D"), true)
    );
    assert!(customers.iter().any(|c| c["id"] == 2 && c["suggested_grade"] == "D"));
    // All time, and another day.
    let v: serde_json::Value =
        serde_json::from_slice(&run(&db, &["insights", "--json", "--window", "0", "--as-of", "2025-06-01"]).stdout)
            .unwrap();
    assert_eq!((v["window_days"].is_null(), v["buyers"].as_i64()), (true, Some(1)));
    let o = run(&db, &["insights", "--window", "-3"]);
    assert!(!o.status.success());
    // The text report, in Chinese too.
    assert!(stdout(&run(&db, &["--lang", "zh", "insights"])).contains("前 20% 买家"));
}

#[test]
fn find_json_carries_the_value_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    run(
        &db,
        &["purchases", "add", "3", "--date", "2026-11-13", "--amount", "50"],
    );
    let v: serde_json::Value = serde_json::from_slice(&run(&db, &["find", "Li Na", "--json"]).stdout).unwrap();
    assert_eq!(v[0]["recency_days"], 10);
    assert_eq!(v[0]["frequency"], 1);
    assert_eq!(v[0]["monetary"].as_f64(), Some(50.0));
    let o = run(&db, &["find", "Li Na"]);
    assert!(stdout(&o).contains("Purchases and value"), "{}", stdout(&o));
}

#[test]
fn agenda_lists_valuable_customers_at_risk_first_in_the_churn_section() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    // Li Na bought 13 times, the last 200 days ago (R 2, F 5: can't lose them).
    for k in 0..13 {
        let day = (chrono::NaiveDate::from_ymd_opt(2026, 5, 7).unwrap() - chrono::Duration::days(k * 7)).to_string();
        assert!(buy(&db, "3", &day, "100", &[]).status.success());
    }
    let o = run(&db, &["agenda", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let churn: Vec<&serde_json::Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["section"] == "churn")
        .collect();
    assert_eq!(churn[0]["customer_id"], 3, "{churn:?}");
    assert_eq!(churn[0]["kind"], "value_at_risk");
    let reason = churn[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("Can't lose them: last purchase 200 days ago, ¥1,300 in the last 365 days"),
        "{reason}"
    );
}

/// The command line lists what the Agenda pane lists: at most 100 items of
/// each kind in a section (the churn section gathers valuable customers at
/// risk, accounts at risk and quiet customers), and the note under a full
/// section says how many it lists.
#[test]
fn agenda_lists_at_most_a_hundred_items_of_each_kind_a_section() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = rapport::storage::Store::open(&db).unwrap();
    let now = chrono::NaiveDateTime::parse_from_str(common::pty::NOW, "%Y-%m-%d %H:%M").unwrap();
    rapport::demo::generate(&mut store, 3000, 3, now).unwrap();
    drop(store);
    let o = run(&db, &["agenda", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = v.as_array().unwrap();
    let mut kinds = std::collections::BTreeMap::new();
    for i in items {
        *kinds
            .entry((i["section"].as_str().unwrap(), i["kind"].as_str().unwrap()))
            .or_insert(0) += 1;
    }
    assert_eq!(kinds[&("churn", "value_at_risk")], 100, "{kinds:?}");
    assert!(kinds.values().all(|n| *n <= 100), "{kinds:?}");
    let churn = items.iter().filter(|i| i["section"] == "churn").count();
    assert!(churn > 100, "three kinds in the churn section: {kinds:?}");
    let note = String::from_utf8_lossy(&o.stderr);
    assert!(
        note.contains(&format!(
            "Churn risks and win-backs: {churn} are listed; there are more"
        )),
        "{note}"
    );
}
