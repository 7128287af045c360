//! What an import gives rows that say nothing of status or grade, and
//! whether the customers it brings are followed up as new ones: chosen in
//! the preview (`s`, `g`, `n`) or with `--status`, `--grade`, `--as-new`,
//! and read by the agenda (new customers within days, or the grade's
//! cadence from the day of the import).

mod common;

use chrono::Duration;
use common::pty::Book;
use common::{Harness, now};
use rapport::domain::agenda::{Reason, Section};
use rapport::domain::customer::{Customer, Grade, Status};
use rapport::i18n::Lang;
use rapport::storage::Store;

fn write_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("book.csv");
    std::fs::write(
        &path,
        "Name,Phone,Status,Grade\nAnna Lopez,13800000001,,\nBo Chen,13800000002,loyal,A\n",
    )
    .unwrap();
    path
}

fn by_name(store: &Store, name: &str) -> Customer {
    (1..=2)
        .map(|id| store.customer(id).unwrap())
        .find(|c| c.name == name)
        .unwrap()
}

/// An empty book with the import preview open on [`write_csv`]'s file.
fn previewed(lang: Lang) -> Harness {
    let mut h = Harness::empty(lang);
    let path = write_csv(h.dir.path());
    // The welcome screen of an empty book: `i` imports.
    h.keys("i");
    h.keys("<C-u>");
    h.app.type_text(&path.display().to_string());
    h.keys("<Enter>");
    h
}

#[test]
fn the_preview_chooses_status_grade_and_new_and_the_import_writes_them() {
    let mut h = previewed(Lang::En);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains(
            "Rows without a status or grade: potential, grade C; called by their grade's cadence from today."
        ),
        "{screen}"
    );
    // Status: the next after potential; grade: the next after C (D); new.
    h.keys("s");
    h.keys("g");
    h.keys("n");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Rows without a status or grade: target, grade D; followed up as new customers."),
        "{screen}"
    );
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    let anna = by_name(&h.store, "Anna Lopez");
    assert_eq!(
        (anna.status, anna.grade, anna.follow_up_as_new),
        (Status::Target, Grade::D, true)
    );
    // A row that says keeps what it says.
    let bo = by_name(&h.store, "Bo Chen");
    assert_eq!((bo.status, bo.grade), (Status::Loyal, Grade::A));
}

#[test]
fn the_preview_in_chinese_says_the_defaults() {
    let mut h = previewed(Lang::Zh);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("未写状态或等级的行：潜在客户，C 级；从今天起按等级节奏联系。"),
        "{screen}"
    );
}

#[test]
fn the_command_line_takes_the_defaults_and_refuses_unknown_ones() {
    let book = Book::new();
    let path = write_csv(book.dir.path());
    let file = path.display().to_string();
    let out = book.cli(&["import", &file, "--grade", "Z"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--grade Z: use A, B, C or D."), "{err}");
    assert!(!book.db().exists() || Store::open(&book.db()).unwrap().customer_count().unwrap() == 0);

    let out = book.cli(&["import", &file, "--status", "目标客户", "--grade", "b"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = Store::open(&book.db()).unwrap();
    let anna = by_name(&store, "Anna Lopez");
    assert_eq!(
        (anna.status, anna.grade, anna.follow_up_as_new),
        (Status::Target, Grade::B, false)
    );
    let bo = by_name(&store, "Bo Chen");
    assert_eq!((bo.status, bo.grade), (Status::Loyal, Grade::A));
}

#[test]
fn as_new_on_the_command_line_puts_them_among_new_customers() {
    let book = Book::new();
    let path = write_csv(book.dir.path());
    let out = book.cli(&["import", &path.display().to_string(), "--as-new"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = Store::open(&book.db()).unwrap();
    assert!(by_name(&store, "Anna Lopez").follow_up_as_new);
}

/// Imported 40 days ago, never contacted, grade A (a call a month).
fn imported_long_ago(store: &mut Store, name: &str, as_new: bool) {
    let mut c = Customer::new(name, now() - Duration::days(40));
    c.grade = Grade::A;
    c.status = Status::Active;
    c.follow_up_as_new = as_new;
    store.insert_customer(&c).unwrap();
}

#[test]
fn the_agenda_follows_an_import_by_cadence_and_a_new_customer_within_days() {
    let h = Harness::with(Lang::En, |s| {
        imported_long_ago(s, "Ivan Imported", false);
        imported_long_ago(s, "Nina New", true);
    });
    let today = now().date();
    let a = h.store.agenda(today, today, &[], 50).unwrap();
    let find = |name: &str| a.items.iter().find(|i| i.customer == name).cloned();
    // The import's cadence counts from the day it came in (October 14):
    // a month on.
    let ivan = find("Ivan Imported").expect("due by cadence");
    assert_eq!(ivan.section(), Section::Cadence);
    assert!(
        matches!(
            ivan.reason,
            Reason::Call {
                grade: Grade::A,
                last: None
            }
        ),
        "{:?}",
        ivan.reason
    );
    assert_eq!(ivan.due, chrono::NaiveDate::from_ymd_opt(2026, 11, 14).unwrap());
    // Added by hand: a new customer, due three days after being added.
    let nina = find("Nina New").expect("a new customer");
    assert_eq!(nina.section(), Section::NewCustomers);
    assert_eq!(nina.due, (now() - Duration::days(37)).date());
    assert_eq!(a.counts[Section::NewCustomers as usize], 1);
}
