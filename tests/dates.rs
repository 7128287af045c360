//! One date and time entry for every date field, with a preview of what
//! the words resolve to.

mod common;

use common::{Harness, now, person};
use rapport::domain::customer::Grade;
use rapport::i18n::Lang;

fn book(lang: Lang) -> (Harness, i64) {
    let mut id = 0;
    let h = Harness::with(lang, |s| {
        id = person(s, "张美兰", "华强电子", "深圳", "13800138000", Grade::A);
    });
    (h, id)
}

/// Logs an interaction typing `when` into the When field; returns when it
/// was stored, or the screen when the form stayed open.
fn log_at(lang: Lang, when: &str) -> Result<chrono::NaiveDateTime, String> {
    let (mut h, id) = book(lang);
    h.keys("l<Tab><C-u>");
    h.keys(when);
    let screen = h.screen(80, 24);
    h.keys("<C-s>");
    if h.app.overlay.is_some() {
        return Err(h.screen(80, 24));
    }
    let logged = h.store.recent_interactions(id, 5).unwrap();
    assert!(screen.contains('→'), "no preview for {when:?}:\n{screen}");
    Ok(logged[0].at)
}

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn the_log_form_takes_the_words_every_date_field_takes() {
    // Now is Monday 2026-11-23 09:00.
    assert_eq!(log_at(Lang::En, "yesterday 15:00"), Ok(at("2026-11-22 15:00")));
    assert_eq!(log_at(Lang::En, "yesterday"), Ok(at("2026-11-22 12:00")));
    assert_eq!(log_at(Lang::Zh, "昨天"), Ok(at("2026-11-22 12:00")));
    assert_eq!(log_at(Lang::En, "11-20 15:00"), Ok(at("2026-11-20 15:00")));
    assert_eq!(log_at(Lang::En, "2026-11-20"), Ok(at("2026-11-20 12:00")));
    assert_eq!(log_at(Lang::En, "today"), Ok(now()));
    assert_eq!(log_at(Lang::En, "2026-11-23 08:30"), Ok(at("2026-11-23 08:30")));
    // Words it cannot read, and the future, keep the form open with a message.
    let screen = log_at(Lang::En, "someday").unwrap_err();
    assert!(screen.contains("someday"), "{screen}");
    assert!(log_at(Lang::En, "tomorrow 10:00").is_err());
}

#[test]
fn every_date_field_previews_what_it_resolves_to() {
    for (lang, words, shown) in [
        (Lang::En, "yesterday 15:00", "→ Sun 11-22 15:00"),
        (Lang::Zh, "昨天 15:00", "→ 周日 11-22 15:00"),
    ] {
        let (mut h, _) = book(lang);
        h.keys("l<Tab><C-u>");
        h.keys(words);
        let screen = h.screen(80, 24);
        assert!(screen.contains(shown), "{lang:?}:\n{screen}");
        // It fits at 80 columns: the preview line ends inside the box.
        let line = screen.lines().find(|l| l.contains(shown)).unwrap();
        assert!(line.trim_end().ends_with('│'), "{line}");
    }
    // The follow-up form (agenda `f`): next mon → Mon 11-30.
    let (mut h, _) = book(Lang::En);
    h.keys("f<C-u>next mon");
    let screen = h.screen(80, 24);
    assert!(screen.contains("→ Mon 11-30"), "{screen}");
    // The purchase date.
    let (mut h, _) = book(Lang::Zh);
    h.keys("<Enter>");
    h.keys("b<BackTab><C-u>下周一");
    let screen = h.screen(80, 24);
    assert!(screen.contains("→ 周一 11-30"), "{screen}");
}
