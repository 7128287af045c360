//! A full disk: the write fails with a clear message, the app keeps
//! running with the draft open, everything committed before is intact, and
//! the same action succeeds once space is freed.
//!
//! Needs a small filesystem to fill, so it runs from `tests/diskfull.sh`
//! (as root: it mounts a 2 MB tmpfs) and is skipped by a plain `cargo test`.

mod common;

use common::now;
use rapport::app::{App, Overlay};
use rapport::clock::Clock;
use rapport::i18n::Lang;
use rapport::storage::Store;

#[test]
#[ignore = "run by tests/diskfull.sh on a small tmpfs"]
fn a_full_disk_is_a_clear_error_and_nothing_is_lost() {
    let dir = std::path::PathBuf::from(std::env::var("RAPPORT_FULL_DIR").expect("RAPPORT_FULL_DIR"));
    let db = dir.join("t.db");
    let mut store = Store::open(&db).unwrap();
    rapport::demo::generate(&mut store, 50, 1, now()).unwrap();
    store.checkpoint().unwrap();
    let before = store.customer_count().unwrap();

    // Fill the filesystem.
    let filler = dir.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
    }

    let mut app = rapport::panes::default_app(&store, Lang::En, now()).unwrap();
    let clock = Clock::Fixed(now());
    let key = |app: &mut App, store: &mut Store, c: ratatui::crossterm::event::KeyCode, m| {
        rapport::tui::handle_key(app, store, clock, &ratatui::crossterm::event::KeyEvent::new(c, m));
    };
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    key(&mut app, &mut store, KeyCode::Char('a'), KeyModifiers::NONE);
    let long_note = "满".repeat(3000);
    if let Some(Overlay::Form(f)) = &mut app.overlay {
        f.paste("Disk Full Test");
        f.focus = 14;
        f.paste(&long_note);
    }
    // Keep adding until the disk refuses (the WAL may absorb a few).
    let mut refused = false;
    for _ in 0..200 {
        key(&mut app, &mut store, KeyCode::Char('s'), KeyModifiers::CONTROL);
        if matches!(app.overlay, Some(Overlay::Form(_))) {
            refused = true;
            break;
        }
        key(&mut app, &mut store, KeyCode::Char('a'), KeyModifiers::NONE);
        if let Some(Overlay::Form(f)) = &mut app.overlay {
            f.paste("Disk Full Test");
            f.focus = 14;
            f.paste(&long_note);
        }
    }
    assert!(refused, "the disk never filled");
    let (msg, _) = app.message.clone().expect("a message");
    assert!(msg.contains("disk is full"), "{msg}");
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the draft was lost")
    };
    assert_eq!(form.fields[0].value(), "Disk Full Test");

    // Free the space: the same action succeeds.
    std::fs::remove_file(&filler).unwrap();
    key(&mut app, &mut store, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.overlay.is_none(), "{:?}", app.message);
    assert!(store.customer_count().unwrap() > before);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}
