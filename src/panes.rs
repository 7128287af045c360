//! Every pane, in tab order (`1`–`5`, `Tab`). Each entry joins what a pane
//! does (its `PaneDef` in `src/app`: focus, keyboard context, actions,
//! typing, how it follows a write) with how it is drawn (its render in
//! `src/ui`). Adding a pane is its module and one entry here: the app
//! routes through this list and the screen draws through it, so there is
//! no list of variants or match of panes to extend.

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
