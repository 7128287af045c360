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

/// The agenda's business event (`e`): the date field takes the shared
/// words too, previews the day it means, and keeps a month and day as
/// every year, a full date or a word as that one day.
#[test]
fn the_event_date_previews_and_takes_the_shared_words() {
    // Every year on 12-01; once on Monday 2026-11-30.
    let yearly = (12, 1, None);
    let once = (11, 30, Some(2026));
    for (lang, typed, shown, kept) in [
        (Lang::En, "12-01", "→ Tue 12-01", yearly),
        (Lang::Zh, "12-01", "→ 周二 12-01", yearly),
        (Lang::En, "next mon", "→ Mon 11-30", once),
        (Lang::Zh, "下周一", "→ 周一 11-30", once),
    ] {
        let (mut h, id) = book(lang);
        h.keys("4e<Tab>");
        h.keys(typed);
        let screen = h.screen(80, 24);
        assert!(screen.contains(shown), "{lang:?} {typed}:\n{screen}");
        let line = screen.lines().find(|l| l.contains(shown)).unwrap();
        assert!(line.trim_end().ends_with('│'), "{line}");
        h.keys("<C-s>");
        assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
        let e = h.store.events_of(id).unwrap().pop().unwrap();
        assert_eq!((e.month, e.day, e.year), kept, "{typed}");
    }
    // Words it cannot read: the message comes from the catalog, in the
    // user's language, and the form stays.
    for (lang, said) in [
        (Lang::En, "Unrecognised date \"someday\""),
        (Lang::Zh, "无法识别的日期“someday”"),
    ] {
        let (mut h, _) = book(lang);
        h.keys("4e<Tab>someday<C-s>");
        let screen = h.screen(120, 30);
        assert!(h.app.overlay.is_some());
        assert!(screen.contains(said), "{screen}");
    }
}

/// The customer's birthday field: the same preview (the next birthday)
/// and the shared words besides its own forms.
#[test]
fn the_birthday_field_previews_the_next_birthday() {
    for (lang, typed, shown) in [
        (Lang::En, "1985-03-12", "→ Fri 03-12"),
        (Lang::Zh, "3月12日", "→ 周五 03-12"),
    ] {
        let (mut h, _) = book(lang);
        h.keys("e");
        for _ in 0..7 {
            h.keys("<Tab>");
        }
        h.keys(typed);
        let screen = h.screen(80, 24);
        assert!(screen.contains(shown), "{lang:?}:\n{screen}");
    }
}

/// `rapport log --at` reads a time as the log form's When field does: a
/// month and day is the last one, not next year's.
#[test]
fn the_cli_reads_when_as_the_form_does() {
    let (h, id) = book(Lang::En);
    let db = h.dir.path().join("t.db");
    let o = common::pty::cli(&db, &["log", "张美兰", "called", "--at", "11-20 15:00"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = common::pty::cli(
        &db,
        &["log", "张美兰", "called", "--at", "yesterday", "--next", "next mon"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = rapport::storage::Store::open(&db).unwrap();
    let logged = store.recent_interactions(id, 5).unwrap();
    let ats: Vec<_> = logged.iter().map(|i| i.at).collect();
    assert!(ats.contains(&at("2026-11-20 15:00")), "{ats:?}");
    assert!(ats.contains(&at("2026-11-22 12:00")), "{ats:?}");
    // A next contact in the past is refused, as in the form.
    let o = common::pty::cli(&db, &["log", "张美兰", "called", "--next", "yesterday"]);
    assert!(!o.status.success());
}
