//! The pre-call card's last-contact line: its day and the words beside it
//! come from one contact.

#[path = "complaints/book.rs"]
mod book;
mod common;

use common::Harness;
use rapport::domain::interaction::InteractionKind;
use rapport::i18n::Lang;

/// 张伟's last contact is a complaint received the day before (it counts
/// as contact); the latest interaction, a visit, is three weeks older.
fn harness(lang: Lang) -> Harness {
    Harness::with(lang, |s| {
        let b = book::book(s);
        s.log_interaction(
            b.zhang,
            InteractionKind::Visit,
            book::t("2026-11-01 15:00"),
            "请对方老板喝茶",
        )
        .unwrap();
    })
}

#[test]
fn a_visit_older_than_the_last_contact_says_its_own_day() {
    for (lang, want) in [
        (Lang::En, "Contacted: 1d ago — visit 22d ago: 请对方老板喝茶"),
        (Lang::Zh, "最近联系：1天前 — 拜访 22天前"),
    ] {
        let mut h = harness(lang);
        h.keys("/zw<Enter><Enter>");
        let screen = h.screen(120, 40);
        assert!(screen.contains(want), "{lang:?}:\n{screen}");
    }
}

#[test]
fn the_latest_interaction_that_is_the_last_contact_shows_no_second_day() {
    let mut h = Harness::with(Lang::En, |s| {
        let id = book::customer(s, "Noah Reed", "Quarterline", "+1 555 0100");
        s.log_interaction(id, InteractionKind::Call, book::t("2026-11-20 10:00"), "Quote sent")
            .unwrap();
    });
    h.keys("/noah<Enter><Enter>");
    let screen = h.screen(120, 40);
    assert!(screen.contains("Contacted: 3d ago — call: Quote sent"), "{screen}");
}

#[test]
fn a_follow_up_sooner_than_the_cadence_shows_at_the_top_of_the_card() {
    let mut h = Harness::with(Lang::En, |s| {
        let id = book::customer(s, "Noah Reed", "Quarterline", "+1 555 0100");
        let next = book::t("2026-11-26 00:00").date();
        s.log_with_follow_up(
            id,
            InteractionKind::Call,
            book::t("2026-11-23 08:00"),
            "Budget talk",
            Some((next, "Send the quote")),
            book::t("2026-11-23 08:00"),
        )
        .unwrap();
    });
    h.keys("/noah<Enter><Enter>");
    let screen = h.screen(120, 40);
    let lines: Vec<&str> = screen.lines().collect();
    let due = lines
        .iter()
        .position(|l| l.contains("Next due:"))
        .expect("next due line");
    assert!(
        lines[due + 1].contains("follow-up in 3 days — Send the quote"),
        "{screen}"
    );
}
