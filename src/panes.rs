//! Every pane, in tab order (`1`–`5`, `Tab`). Each entry joins what a pane
//! does (its `PaneDef` in `src/app`: focus, keyboard contexts and keys,
//! actions, typing, how it follows a write) with how it is drawn (its
//! render in `src/ui`). Adding a pane is its module and one entry here: the
//! app routes through this list, gathers its key table, help and digits
//! from it, and the screen draws through it, so there is no list of
//! variants or match of panes to extend.

use crate::app::{self, PaneEntry};
use crate::ui;

pub static PANES: [PaneEntry; 5] = [
    PaneEntry {
        def: &app::customers::PANE,
        render: ui::customers::render_pane,
    },
    PaneEntry {
        def: &app::qualification::PANE,
        render: ui::qualification::render,
    },
    PaneEntry {
        def: &app::complaints::PANE,
        render: ui::complaints::render,
    },
    PaneEntry {
        def: &app::agenda::PANE,
        render: ui::agenda::render,
    },
    PaneEntry {
        def: &app::insights::PANE,
        render: ui::insights::render,
    },
];

/// The app over `store` with every pane, the default theme and cadence:
/// what the benchmark and the tests drive (the program itself reads the
/// theme and cadence from the config).
pub fn default_app(
    store: &crate::storage::Store,
    lang: crate::i18n::Lang,
    now: chrono::NaiveDateTime,
) -> Result<app::App, crate::storage::StorageError> {
    app::App::new(
        store,
        &PANES,
        lang,
        crate::theme::Theme::default(),
        crate::domain::cadence::Cadence::default(),
        now,
    )
}
