//! One complaint opened: where it stands and its deadlines, each kept
//! whole on its line rather than broken inside a date or a time left.

#[path = "complaints/book.rs"]
mod book;
mod common;

use book::{Book, book};
use common::Harness;
use rapport::i18n::Lang;

/// The deadline, its date and the time left in brackets stay on one line
/// (English and Chinese, 80 and 120 columns), as does the first response's.
#[test]
fn the_state_line_keeps_the_time_left_whole_at_80_columns() {
    for (lang, due, then) in [
        (
            Lang::En,
            "First response due: 2026-11-23 03:00 (overdue 6h)",
            "(due 2026-11-23 03:00)",
        ),
        (
            Lang::Zh,
            "首次回应期限：2026-11-23 03:00（超时 6小时）",
            "（须在 2026-11-23 03:00 前）",
        ),
    ] {
        let mut ids = Book::default();
        let mut h = Harness::with(lang, |s| ids = book(s));
        h.keys("3");
        // Complaint A, not yet answered, at the top of the list.
        let pos = h
            .app
            .complaints
            .shown
            .iter()
            .position(|&i| h.app.complaints.rows[i].complaint.id == ids.a);
        h.keys(&format!("{}{}", "k".repeat(30), "j".repeat(pos.unwrap())));
        assert_eq!(h.app.complaints.current().map(|r| r.complaint.id), Some(ids.a));
        h.keys("<Enter>");
        for (w, hh) in [(80, 24), (120, 40)] {
            let screen = h.screen(w, hh);
            assert!(screen.contains(due) && screen.contains(then), "{lang:?} {w}:\n{screen}");
        }
    }
}
