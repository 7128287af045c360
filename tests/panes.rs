//! A pane is one entry in one list: a pane defined here, outside the
//! crate, joins the app through its entry alone (no enum variant, no match
//! arm, no field of `App`, no row in the core key table) and gets its own
//! keyboard context and keys, a digit, a section in help, its state, the
//! tab bar, the routing of actions and the announcement of writes like the
//! others.

mod common;

use std::sync::Mutex;

use common::{Harness, now};
use rapport::app::binding::{Binding, Ctx};
use rapport::app::help::{self, HelpLine};
use rapport::app::{Action, App, Change, Pane, PaneDef, PaneEntry};
use rapport::domain::cadence::Cadence;
use rapport::i18n::Lang;
use rapport::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;

/// What the pane below was asked to do, in order.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn seen(s: String) {
    SEEN.lock().unwrap().push(s);
}

const NOTES: Pane = Pane::named("Notes");

/// The pane's own context: a list, with its own help section.
const NOTES_CTX: Ctx = Ctx::new("Notes pane").scrolling();

/// Its own command: `n` adds a note.
const ADD_NOTE: Action = Action::Pane(1);

static NOTES_KEYS: &[Binding] = &[Binding {
    ctx: NOTES_CTX,
    code: KeyCode::Char('n'),
    mods: KeyModifiers::NONE,
    action: ADD_NOTE,
    desc: "add a note",
    hint: true,
}];

/// Its state, kept by the app without a field of its own.
#[derive(Default)]
struct NotesState {
    notes: usize,
}

static NOTES_PANE: PaneDef = PaneDef {
    pane: NOTES,
    go_key: "go to the notes",
    contexts: &[NOTES_CTX],
    keys: &[NOTES_KEYS],
    enter: |_, _| seen("enter".into()),
    context: |_| NOTES_CTX,
    update: |app, action, _| {
        if action == ADD_NOTE {
            app.state::<NotesState>().notes += 1;
        }
        seen(format!("{action:?}"))
    },
    type_text: |_, _| {},
    changed: |_, _, change| seen(format!("{change:?}")),
};

fn render_notes(app: &App, f: &mut Frame, area: Rect) {
    let n = app.state_of::<NotesState>().map_or(0, |s| s.notes);
    f.render_widget(format!("a pane the app was never told about: {n} notes"), area);
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
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("a pane the app was never told about: 0 notes"),
        "{screen}"
    );
    // Its footer shows its own key; its key runs its own command on its
    // own state.
    assert!(screen.lines().last().unwrap().contains("n add a note"), "{screen}");
    h.keys("nn");
    assert!(h.screen(80, 24).contains("2 notes"));
    // Help has its section, opens there, and lists its key and digit.
    h.keys("?");
    let lines = help::lines(&h.app.keys);
    let at = lines
        .iter()
        .position(|l| *l == HelpLine::Title(NOTES_CTX))
        .expect("a section");
    assert_eq!(lines[at + 1], HelpLine::Row("n".into(), "add a note"));
    assert!(lines.contains(&HelpLine::Row("2".into(), "go to the notes")));
    let screen = h.screen(80, 24);
    assert!(screen.lines().nth(1).unwrap().contains("Notes pane"), "{screen}");
    h.keys("<Esc>");
    // The list keys come with a list context.
    h.keys("G");
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
    assert!(got.contains(&"Bottom".to_string()), "{got:?}");
    assert_eq!(got.last().unwrap(), &format!("{:?}", Change::Customer(id)));
}
