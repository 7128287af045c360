//! `rapport add`, `rapport edit` and `rapport log` as whole processes:
//! the same checks as the form, the duplicate warning, what each prints,
//! `--json`, and the exit codes (0 written, 1 user error, 2 no match).

mod common;

use std::process::Output;

use rapport::storage::Store;

fn rapport(db: &std::path::Path, args: &[&str]) -> Output {
    common::pty::cli(db, args)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}

#[test]
fn add_checks_like_the_form_and_warns_about_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = rapport(
        &db,
        &[
            "add",
            "--name",
            "张伟",
            "--company",
            "华强电子",
            "--phone",
            "138 0013 8000",
            "--city",
            "深圳",
            "--grade",
            "a",
            "--status",
            "target",
            "--tag",
            "VIP",
            "--tag",
            "华南",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let c = json(&o);
    assert_eq!(c["name"], "张伟");
    assert_eq!(c["company"], "华强电子");
    assert_eq!(c["phones"], serde_json::json!(["138 0013 8000"]));
    assert_eq!((c["grade"].as_str(), c["status"].as_str()), (Some("A"), Some("target")));
    assert_eq!(c["tags"], serde_json::json!(["VIP", "华南"]));
    let id = c["id"].as_i64().unwrap();

    // The same phone written differently: a duplicate, nothing added.
    let o = rapport(&db, &["add", "--name", "Wei Zhang", "--phone", "+86 138-0013-8000"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains(&format!("looks like customer {id}")), "{}", err(&o));
    assert!(
        err(&o).contains("same phone") && err(&o).contains("--yes"),
        "{}",
        err(&o)
    );
    // Same name at the same company, too.
    let o = rapport(&db, &["add", "--name", "张伟", "--company", "华强电子"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("same name and company"), "{}", err(&o));
    // --yes adds anyway, and says what it wrote.
    let o = rapport(
        &db,
        &["add", "--name", "Wei Zhang", "--phone", "+86 138-0013-8000", "--yes"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("Added customer "), "{}", out(&o));
    assert!(out(&o).contains("Wei Zhang"), "{}", out(&o));

    // Bad values are errors that name the field; nothing is written.
    for (args, field) in [
        (vec!["add", "--name", "Bo", "--grade", "E"], "grade"),
        (vec!["add", "--name", "Bo", "--status", "happy"], "status"),
        (vec!["add", "--name", "Bo", "--phone", "call me"], "phone"),
        (vec!["add", "--name", "  "], "name"),
    ] {
        let o = rapport(&db, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(err(&o).contains(field), "{args:?}: {}", err(&o));
    }
    assert_eq!(Store::open(&db).unwrap().customer_count().unwrap(), 2);

    // In Chinese.
    let o = rapport(&db, &["--lang", "zh", "add", "--name", "张伟", "--company", "华强电子"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("姓名和公司相同"), "{}", err(&o));
}

#[test]
fn edit_sets_any_field_of_the_form_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let id = json(&rapport(&db, &["add", "--name", "Anna Lopez", "--json"]))["id"]
        .as_i64()
        .unwrap();
    let sid = id.to_string();
    let o = rapport(
        &db,
        &[
            "edit",
            &sid,
            "--set",
            "city=Seattle",
            "--set",
            "birthday=03-12",
            "--set",
            "email=anna@westbrook.com",
            "--set",
            "personality=rational",
            "--set",
            "status=active",
            "--set",
            "reason=first order",
            "--set",
            "城市=Tacoma",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let c = json(&o);
    assert_eq!(
        c["city"], "Tacoma",
        "the last --set of a field wins, by its Chinese label too"
    );
    assert_eq!(c["birthday"], "03-12");
    assert_eq!(c["personality"], "rational");
    assert_eq!(c["status"], "active");
    let store = Store::open(&db).unwrap();
    let history = store.status_history(id).unwrap();
    assert_eq!(history.last().unwrap().reason, "first order");
    drop(store);

    let cases: [(&[&str], &str); 5] = [
        (&["--set", "colour=red"], "no field \"colour\""),
        (&["--set", "birthday=02-30"], "birthday"),
        (&["--set", "email=not-an-address"], "email"),
        (&["--set", "grade=Z"], "grade"),
        (&["--set", "status=lost"], "reason"),
    ];
    for (args, says) in cases {
        let mut all = vec!["edit", sid.as_str()];
        all.extend_from_slice(args);
        let o = rapport(&db, &all);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(err(&o).contains(says), "{args:?}: {}", err(&o));
    }
    assert_eq!(
        Store::open(&db).unwrap().customer(id).unwrap().city,
        "Tacoma",
        "nothing written"
    );
    let o = rapport(&db, &["edit", "999", "--set", "city=x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no customer 999"), "{}", err(&o));
}

#[test]
fn log_finds_one_customer_or_lists_the_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    for (name, phone) in [
        ("张伟", "13800138000"),
        ("张伟明", "13900139000"),
        ("Anna Lopez", "5550101"),
    ] {
        assert!(
            rapport(&db, &["add", "--name", name, "--phone", phone])
                .status
                .success()
        );
    }
    // A query that names several: the candidates, exit 2, nothing logged.
    let o = rapport(&db, &["log", "zw", "called"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("matches 2 customers"), "{}", err(&o));
    assert!(
        err(&o).contains("张伟明") && err(&o).contains("13800138000"),
        "{}",
        err(&o)
    );
    // Nothing matches: exit 2.
    let o = rapport(&db, &["log", "nobody-at-all", "called"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no customer matches"), "{}", err(&o));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.interaction_count().unwrap(), 0);
    drop(store);

    // The exact name among several wins; --at and --next use the form's dates.
    let o = rapport(
        &db,
        &[
            "log",
            "张伟",
            "--kind",
            "visit",
            "--at",
            "yesterday 15:30",
            "--next",
            "+3d",
            "--for",
            "send the quote",
            "brought tea; wants a quote",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("Logged visit with 张伟 · 13800138000 at 2026-11-22 15:30"),
        "{text}"
    );
    assert!(
        text.contains("Follow-up scheduled for 2026-11-26: send the quote"),
        "{text}"
    );
    let store = Store::open(&db).unwrap();
    let zw = 1; // the first customer added
    let last = &store.recent_interactions(zw, 1).unwrap()[0];
    assert_eq!(last.note, "brought tea; wants a quote");
    assert_eq!(store.open_follow_ups(zw).unwrap()[0].note, "send the quote");
    drop(store);

    // By phone, and by id, with --json.
    let o = rapport(
        &db,
        &["log", "5550101", "--kind", "message", "sent the catalogue", "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let j = json(&o);
    assert_eq!(
        (j["customer"].as_str(), j["kind"].as_str()),
        (Some("Anna Lopez"), Some("message"))
    );
    assert_eq!(j["at"], "2026-11-23 09:00");
    assert!(j["follow_up"].is_null());
    let id = j["customer_id"].as_i64().unwrap().to_string();
    assert!(rapport(&db, &["log", &id, "called back"]).status.success());

    // User errors: exit 1, naming what is wrong.
    for (args, says) in [
        (vec!["log", "Anna", "--kind", "fax", "x"], "--kind"),
        (vec!["log", "Anna", "--at", "tomorrow", "x"], "future"),
        (vec!["log", "Anna", "--next", "someday", "x"], "--next"),
    ] {
        let o = rapport(&db, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", err(&o));
        assert!(err(&o).contains(says), "{args:?}: {}", err(&o));
    }
}

#[test]
fn edit_asks_for_yes_when_the_man_check_argues_against_the_status() {
    use rapport::domain::qualification::{Answer, Criterion};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let id = json(&rapport(&db, &["add", "--name", "Bo", "--status", "lost", "--json"]))["id"]
        .as_i64()
        .unwrap();
    let mut store = Store::open(&db).unwrap();
    for c in [Criterion::Money, Criterion::Authority, Criterion::Need] {
        store.set_criterion(id, c, Answer::No, "", Default::default()).unwrap();
    }
    drop(store);
    let sid = id.to_string();
    let args = [
        "edit",
        sid.as_str(),
        "--set",
        "status=target",
        "--set",
        "reason=new budget",
    ];
    let o = rapport(&db, &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("non-customer") && err(&o).contains("--yes"),
        "{}",
        err(&o)
    );
    assert_eq!(Store::open(&db).unwrap().customer(id).unwrap().status.as_str(), "lost");
    let mut yes = args.to_vec();
    yes.push("--yes");
    assert!(rapport(&db, &yes).status.success());
    let history = Store::open(&db).unwrap().status_history(id).unwrap();
    let last = &history.last().unwrap().reason;
    assert!(
        last.starts_with("new budget (confirmed against the MAN verdict"),
        "{last}"
    );
}
