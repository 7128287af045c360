//! Help comes from the whole key table, opens where you are and scrolls
//! like every list; every list moves with the same keys.

mod common;

use common::Harness;
use rapport::app::Action;
use rapport::app::help::{self, HelpLine};
use rapport::app::keymap::{Binding, Ctx, KeyTable, Resolved, key_label, same_key};
use rapport::app::{Overlay, Pane};
use rapport::i18n::{Lang, t};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The key table of the app's panes.
fn keys() -> &'static KeyTable {
    static KEYS: std::sync::LazyLock<KeyTable> = std::sync::LazyLock::new(|| KeyTable::new(&rapport::panes::PANES));
    &KEYS
}

/// The help lines of one context's section.
fn section(ctx: Ctx) -> Vec<HelpLine> {
    let lines = help::lines(keys());
    let start = lines
        .iter()
        .position(|l| *l == HelpLine::Title(ctx))
        .unwrap_or_else(|| panic!("{ctx:?} has no section in help"));
    lines[start + 1..]
        .iter()
        .take_while(|l| !matches!(l, HelpLine::Title(_)))
        .cloned()
        .collect()
}

#[test]
fn every_context_has_a_section_and_every_bound_key_is_in_it() {
    for b in keys().bindings() {
        assert!(
            keys().contexts().contains(&b.ctx),
            "{:?} is in no pane's contexts",
            b.ctx
        );
    }
    for &ctx in keys().contexts() {
        let rows = section(ctx);
        assert!(!rows.is_empty(), "{ctx:?}: empty section");
        for b in keys().bindings().filter(|b| b.ctx == ctx) {
            let label = key_label(b.code, b.mods);
            let found = rows.iter().any(|l| match l {
                HelpLine::Row(keys, desc) => *desc == b.desc && keys.split(" / ").any(|k| k == label),
                _ => false,
            });
            assert!(found, "{ctx:?}: {label} ({}) is not in help", b.desc);
        }
        // Every section title is in both catalogs.
        for lang in [Lang::En, Lang::Zh] {
            assert_ne!(t(lang, ctx.title_key()), ctx.title_key(), "{ctx:?} has no title");
        }
    }
}

#[test]
fn help_opens_at_the_section_of_the_pane_you_are_in() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = Harness::demo(lang, 60);
        h.keys("4");
        assert_eq!(h.app.pane, Pane::AGENDA);
        h.screen(80, 24);
        h.keys("?");
        let screen = h.screen(80, 24);
        let first = screen.lines().nth(1).unwrap_or_default();
        assert!(
            first.contains(t(lang, "ctx.agenda")),
            "{lang:?}: help starts at\n{screen}"
        );
        // The agenda's own keys are listed: region care, the week, days.
        for desc in ["agenda.key.region", "agenda.key.week", "agenda.key.next_day"] {
            assert!(screen.contains(t(lang, desc)), "{lang:?}: {desc} missing\n{screen}");
        }
        h.keys("<Esc>");
        assert!(h.app.overlay.is_none());
    }
}

#[test]
fn help_scrolls_with_the_list_keys_and_stops_at_the_end() {
    let mut h = Harness::demo(Lang::En, 10);
    h.screen(80, 24);
    h.keys("?");
    let scroll = |h: &Harness| match &h.app.overlay {
        Some(Overlay::Help { scroll, .. }) => *scroll as usize,
        other => panic!("help is not open: {other:?}"),
    };
    assert_eq!(scroll(&h), help::section_start(keys(), Ctx::List));
    let last = help::max_scroll(keys(), h.app.viewport);
    h.keys("<End>");
    assert_eq!(scroll(&h), last);
    h.keys("jj<Down><PgDn><C-d>");
    assert_eq!(scroll(&h), last, "scrolled past the end");
    // The last line of help is on screen, the box is not empty.
    let screen = h.screen(80, 24);
    assert!(screen.contains(t(Lang::En, "ctx.help")), "{screen}");
    h.keys("<Home>");
    assert_eq!(scroll(&h), 0);
    h.keys("<PgDn>");
    assert_eq!(scroll(&h), help::page(h.app.viewport));
    h.keys("<C-u>");
    assert_eq!(scroll(&h), 0);
    h.keys("G");
    assert_eq!(scroll(&h), last);
    h.keys("g");
    assert_eq!(scroll(&h), 0);
}

#[test]
fn f1_opens_help_over_a_form_and_esc_returns_to_the_draft() {
    let mut h = Harness::demo(Lang::En, 10);
    h.keys("aWang");
    let screen = h.screen(80, 24);
    assert!(screen.contains("F1"), "the form's footer offers help:\n{screen}");
    h.keys("<F1>");
    let screen = h.screen(80, 24);
    assert!(
        screen
            .lines()
            .nth(1)
            .unwrap_or_default()
            .contains(t(Lang::En, "ctx.form")),
        "{screen}"
    );
    h.keys("<Esc>");
    match &h.app.overlay {
        Some(Overlay::Form(f)) => assert_eq!(f.get(rapport::app::form::FieldId::Name), "Wang"),
        other => panic!("the form did not come back: {other:?}"),
    }
}

#[test]
fn the_footer_always_offers_help() {
    let mut h = Harness::demo(Lang::En, 10);
    for keys in ["", "4", "3", "2", "5", "1<Enter>"] {
        h.keys(keys);
        let screen = h.screen(80, 24);
        let footer = screen.lines().last().unwrap_or_default();
        assert!(
            footer.contains("? ") || footer.contains("F1"),
            "after {keys:?}: {footer}"
        );
    }
}

#[test]
fn the_agenda_moves_like_every_list() {
    let mut h = Harness::demo(Lang::En, 150);
    h.screen(80, 24);
    h.keys("4");
    let n = h.app.agenda.agenda.items.len();
    assert!(n > 2 * h.app.viewport, "a long agenda: {n}");
    h.keys("<End>");
    assert_eq!(h.app.agenda.cursor, n - 1);
    h.keys("<Home>");
    assert_eq!(h.app.agenda.cursor, 0);
    h.keys("G");
    assert_eq!(h.app.agenda.cursor, n - 1);
    h.keys("<C-u>");
    assert_eq!(h.app.agenda.cursor, n - 1 - h.app.viewport);
    h.keys("<C-d>");
    assert_eq!(h.app.agenda.cursor, n - 1);
    // `g` stays region care in the agenda.
    h.keys("g");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))));
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn vim_keys_and_arrows_move_the_same_way() {
    assert_eq!(
        keys().resolve(Ctx::List, &key(KeyCode::Char('j'))),
        Resolved::Action(Action::Down)
    );
    assert_eq!(
        keys().resolve(Ctx::List, &key(KeyCode::Down)),
        Resolved::Action(Action::Down)
    );
    assert_eq!(
        keys().resolve(Ctx::List, &key(KeyCode::Char('k'))),
        Resolved::Action(Action::Up)
    );
}

#[test]
fn letters_are_text_while_typing() {
    assert_eq!(
        keys().resolve(Ctx::Search, &key(KeyCode::Char('q'))),
        Resolved::Text('q')
    );
    assert_eq!(
        keys().resolve(Ctx::Form, &key(KeyCode::Char('张'))),
        Resolved::Text('张')
    );
    assert_eq!(
        keys().resolve(Ctx::List, &key(KeyCode::Char('q'))),
        Resolved::Action(Action::Quit)
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(
        keys().resolve(Ctx::Search, &ctrl_c),
        Resolved::Action(Action::Interrupt)
    );
}

#[test]
fn shifted_characters_match_without_the_shift_flag_mattering() {
    let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(keys().resolve(Ctx::List, &g), Resolved::Action(Action::Bottom));
    let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
    assert_eq!(keys().resolve(Ctx::List, &q), Resolved::Action(Action::Help));
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    let all: Vec<&Binding> = keys().bindings().collect();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert!(
                !(a.ctx == b.ctx && same_key(a.code, a.mods, b.code, b.mods)),
                "{:?} {:?} bound twice",
                a.ctx,
                a.code
            );
        }
    }
}

#[test]
fn help_lists_every_key_once_in_a_row() {
    // The prospect board binds G without the Shift flag the shared list keys
    // carry: one key, listed once ("End / G", not "End / G / G").
    for &ctx in keys().contexts() {
        for (k, d) in keys().help_rows(ctx) {
            let labels: Vec<&str> = k.split(" / ").collect();
            for (i, l) in labels.iter().enumerate() {
                assert!(!labels[i + 1..].contains(l), "{ctx:?} {d}: {k}");
            }
        }
    }
    let rows = keys().help_rows(Ctx::QualBoard);
    assert!(
        rows.iter().any(|(k, d)| *d == "key.bottom" && k == "End / G"),
        "{rows:?}"
    );
}

#[test]
fn help_merges_keys_with_the_same_meaning() {
    let rows = keys().help_rows(Ctx::List);
    assert!(rows.iter().any(|(k, d)| *d == "key.down" && k == "↓ / j"));
}
