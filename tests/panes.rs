//! A pane is one entry in one list: a pane defined here, outside the
//! crate, joins the app through its entry alone (no enum variant, no match
//! arm in the app or the screen) and gets the keys, the tab bar, the
//! routing of actions and the announcement of writes like the others.

mod common;

use std::sync::Mutex;

use common::{Harness, now};
use rapport::app::binding::Ctx;
use rapport::app::{App, Change, Pane, PaneDef, PaneEntry};
use rapport::domain::cadence::Cadence;
use rapport::i18n::Lang;
use rapport::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;

/// What the pane below was asked to do, in order.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn seen(s: String) {
    SEEN.lock().unwrap().push(s);
}

const NOTES: Pane = Pane::named("Notes");

static NOTES_PANE: PaneDef = PaneDef {
    pane: NOTES,
    enter: |_, _| seen("enter".into()),
    context: |_| Ctx::List,
    update: |_, action, _| seen(format!("{action:?}")),
    type_text: |_, _| {},
    changed: |_, _, change| seen(format!("{change:?}")),
};

fn render_notes(_: &App, f: &mut Frame, area: Rect) {
    f.render_widget("a pane the app was never told about", area);
}

static PANES: [PaneEntry; 2] = [
    rapport::panes::PANES[0],
    PaneEntry {
        def: &NOTES_PANE,
        render: render_notes,
    },
];

#[test]
fn a_pane_added_by_one_entry_in_the_list_works_like_the_others() {
    let mut h = Harness::demo(Lang::En, 5);
    let mut app = App::new(&h.store, &PANES, Lang::En, Theme::default(), Cadence::default(), now()).unwrap();
    app.wait_for_index();
    h.app = app;
    // Its tab is numbered after the Customers pane; `2` gives it focus.
    let screen = h.screen(80, 24);
    assert!(screen.lines().next().unwrap().contains("2 Notes"), "{screen}");
    h.keys("2");
    assert_eq!(h.app.pane, NOTES);
    assert!(h.screen(80, 24).contains("a pane the app was never told about"));
    // Tab wraps over the two panes only.
    h.keys("<Tab>");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    h.keys("<BackTab>");
    assert_eq!(h.app.pane, NOTES);
    // An action while it has focus reaches it.
    h.keys("<Down>");
    // A write in the Customers pane is announced to it too.
    h.keys("1l");
    let id = h.app.selected_id.unwrap();
    h.keys("<C-s>");
    let got = SEEN.lock().unwrap().clone();
    assert_eq!(got[0], "enter");
    assert!(got.contains(&"Down".to_string()), "{got:?}");
    assert_eq!(got.last().unwrap(), &format!("{:?}", Change::Customer(id)));
}
