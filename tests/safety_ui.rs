//! Two Rapports on one book, through the real keymap: an edit form saved
//! after the record changed elsewhere keeps both changes, and a field both
//! changed is shown with both values and asked about.

mod common;

use common::Harness;
use rapport::i18n::Lang;
use rapport::storage::Store;

/// The customer under the cursor, and a second Rapport on the same file.
fn two(h: &Harness) -> (i64, Store) {
    let id = h.app.current().expect("a customer").id;
    (id, Store::open(&h.dir.path().join("t.db")).unwrap())
}

fn down(n: usize) -> String {
    "<Down>".repeat(n)
}

const CITY: usize = 6;
const NOTES: usize = 15;

/// A opens the edit form of the customer under the cursor; B (another
/// Rapport on the file) then saves the city as Hangzhou.
fn city_saved_elsewhere() -> (Harness, i64, Store) {
    let mut h = Harness::demo(Lang::En, 5);
    let (id, mut other) = two(&h);
    h.keys("e");
    let mut c = other.customer(id).unwrap();
    c.city = "Hangzhou".into();
    other.update_customer(&c, common::now(), "").unwrap();
    (h, id, other)
}

#[test]
fn a_field_saved_elsewhere_is_kept_when_another_field_is_saved_here() {
    let (mut h, id, other) = city_saved_elsewhere();
    // A changes the notes and saves.
    h.keys(&down(NOTES));
    h.keys("<C-u>Met at the fair<C-s>");
    assert!(h.app.overlay.is_none(), "saved: {:?}", h.app.message);
    let saved = other.customer(id).unwrap();
    assert_eq!(saved.city, "Hangzhou", "B's city is not put back");
    assert_eq!(saved.notes, "Met at the fair");
}

#[test]
fn a_field_changed_in_both_places_shows_both_and_asks() {
    let (mut h, id, other) = city_saved_elsewhere();
    h.keys(&down(CITY));
    h.keys("<C-u>Suzhou<C-s>");
    // Not saved: the form shows the other value next to this one.
    assert!(h.app.open_form().is_some(), "the form stays open");
    assert_eq!(other.customer(id).unwrap().city, "Hangzhou");
    let screen = h.screen(100, 40);
    assert!(screen.contains("Suzhou"), "{screen}");
    assert!(screen.contains("changed elsewhere to “Hangzhou”"), "{screen}");
    // Saving again keeps what the form shows.
    h.keys("<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    assert_eq!(other.customer(id).unwrap().city, "Suzhou");
}

#[test]
fn an_import_merge_while_the_form_is_open_is_kept() {
    let mut h = Harness::demo(Lang::En, 5);
    let (id, mut other) = two(&h);
    h.keys("e");
    // An import with --duplicates merge adds a phone and fills the e-mail.
    let mut incoming = other.customer(id).unwrap();
    incoming.phones.push("13911112222".into());
    incoming.email = "merged@example.com".into();
    other
        .import_customers(
            &[],
            &[(id, vec![incoming])],
            i64::MAX,
            "import",
            common::now(),
            &mut |_, _| true,
        )
        .unwrap();
    let merged = other.customer(id).unwrap();
    assert!(merged.phones.contains(&"13911112222".to_string()));
    h.keys(&down(NOTES));
    h.keys("<C-u>After the import<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let saved = other.customer(id).unwrap();
    assert_eq!(saved.phones, merged.phones);
    assert_eq!(saved.email, merged.email);
    assert_eq!(saved.notes, "After the import");
}

/// The MAN evidence form follows the same rule: the answer given
/// elsewhere stays when only the note is saved here.
#[test]
fn evidence_saved_elsewhere_is_kept() {
    use rapport::domain::qualification::{Answer, Criterion};
    let mut h = Harness::demo(Lang::En, 30);
    h.keys("2<Enter>");
    let id = h.app.qual.checklist.as_ref().expect("a checklist").customer.id;
    let mut other = Store::open(&h.dir.path().join("t.db")).unwrap();
    // No note yet (a new answer starts an empty note, so the note is then
    // changed by this side only).
    let before = other.qualification(id).unwrap().money.answer;
    other
        .set_criterion(id, Criterion::Money, before, "", common::now())
        .unwrap();
    h.keys("<Esc>2<Enter><Enter>");
    assert!(h.app.open_form().is_some());
    let elsewhere = if before == Answer::Yes { Answer::No } else { Answer::Yes };
    other
        .set_criterion(id, Criterion::Money, elsewhere, "", common::now())
        .unwrap();
    h.keys("<Tab><C-u>CFO signs above 50k<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let q = other.qualification(id).unwrap();
    assert_eq!(q.money.answer, elsewhere, "the answer given elsewhere stays");
    assert_eq!(q.money.note, "CFO signs above 50k");
}

/// A draft whose choice field has no options (damaged, or edited by hand)
/// used to panic and be deleted: it is set aside with a message.
#[test]
fn a_malformed_draft_is_set_aside_with_a_message() {
    let mut h = Harness::demo(Lang::En, 3);
    let db = h.dir.path().join("t.db");
    let path = rapport::app::draft::path_for(&db);
    let draft = r#"{"kind":"NewCustomer","subject":"","focus":0,"fields":[
        {"id":"Name","label":"field.name","required":true,"hint":null,"value":"Kept Name","options":null},
        {"id":"Grade","label":"field.grade","required":false,"hint":null,"value":"B","options":[]}]}"#;
    std::fs::write(&path, draft).unwrap();
    h.app.offer_draft(&h.store);
    assert!(h.app.overlay.is_none());
    let msg = h.app.message.clone().expect("a message").0;
    assert!(msg.contains("could not be read"), "{msg}");
    assert!(!path.exists());
    let aside: Vec<_> = std::fs::read_dir(h.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".draft.json.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1);
    let kept = std::fs::read_to_string(h.dir.path().join(&aside[0])).unwrap();
    assert!(kept.contains("Kept Name"), "what was typed is still there");
}

/// Ctrl-Z is in the key table (so `?` lists it) and works from a form.
#[test]
fn ctrl_z_asks_to_suspend_from_anywhere_and_help_lists_it() {
    let mut h = Harness::demo(Lang::En, 3);
    h.keys("a");
    assert!(h.app.open_form().is_some());
    h.keys("<C-z>");
    assert!(h.app.suspend, "asked from a form");
    assert!(h.app.open_form().is_some(), "the form stays");
    h.app.suspend = false;
    // Help opens at the section of where you are; Ctrl-Z is in the first.
    h.keys("<Esc>y?<Home>");
    let mut screen = String::new();
    for _ in 0..10 {
        screen.push_str(&h.screen(100, 40));
        h.key(
            ratatui::crossterm::event::KeyCode::PageDown,
            ratatui::crossterm::event::KeyModifiers::NONE,
        );
    }
    assert!(screen.contains("suspend (fg comes back)"), "{screen}");
}

/// Today's backup of a large book takes a while (19 s for a book of a
/// million customers), and writes wait for it. A save in the app waits
/// only a moment, then says the backup still runs, with nothing written
/// and the form kept (it froze the screen until the copy was done); once
/// the backup is done the same save goes in.
#[test]
fn a_save_while_the_days_backup_runs_says_so_at_once_and_keeps_the_form() {
    let mut h = Harness::demo(Lang::En, 20);
    let id = h.app.current().expect("a customer").id;
    let (backup_running, gate) = std::sync::mpsc::channel::<()>();
    h.store.hold_writes_until(gate);
    // The backup: done when told, or after 3 s (a save that waits for it
    // goes in then, and the test fails instead of hanging).
    let (finish, told) = std::sync::mpsc::channel::<()>();
    let backup = std::thread::spawn(move || {
        let _ = told.recv_timeout(std::time::Duration::from_secs(3));
        drop(backup_running);
    });
    h.keys("e<C-u>Zoe Quinn<C-s>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("backup is still being taken"), "{screen}");
    assert!(screen.contains("Zoe Quinn"), "the form stays open:\n{screen}");
    assert_ne!(h.store.customer_row(id).unwrap().name, "Zoe Quinn");
    finish.send(()).unwrap();
    backup.join().unwrap();
    h.keys("<C-s>");
    assert_eq!(h.store.customer_row(id).unwrap().name, "Zoe Quinn");
}

/// The day's check of a large book runs for minutes, and writes wait for
/// it. A save in the app waits only a moment, then says the check still
/// runs, with nothing written and the form kept (it waited up to a minute,
/// the screen frozen); once the check has passed the same save goes in.
#[test]
fn a_save_while_the_days_check_runs_says_so_at_once_and_keeps_the_form() {
    use rapport::storage::health::State;
    let mut h = Harness::demo(Lang::En, 20);
    let id = h.app.current().expect("a customer").id;
    h.store.health_gate().set(State::Pending);
    assert_eq!(h.store.write_wait(), rapport::app::WRITE_WAIT);
    h.keys("e<C-u>Zoe Quinn<C-s>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("still being checked"), "{screen}");
    assert!(screen.contains("Zoe Quinn"), "the form stays open:\n{screen}");
    assert_ne!(h.store.customer_row(id).unwrap().name, "Zoe Quinn");
    h.store.health_gate().set(State::Passed);
    h.keys("<C-s>");
    assert_eq!(h.store.customer_row(id).unwrap().name, "Zoe Quinn");
}
