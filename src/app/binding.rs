//! The shape of the key table: the contexts the keyboard can be in and one
//! binding (context, key, action, description). The panes write their
//! tables with it; `keymap` gathers them and resolves keys.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::action::Action;

/// Where the keyboard focus is: a name (the catalog key of its section
/// title in help) and how keys behave there. The contexts every pane
/// shares are declared here; a pane declares its own in its module
/// (`impl Ctx { pub const Agenda: Ctx = ... }`) and lists them in its
/// `PaneDef`, so adding a pane adds no variant here.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ctx {
    title: &'static str,
    flags: u8,
}

const LIST: u8 = 1;
const TEXT: u8 = 2;
const MODAL: u8 = 4;

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title)
    }
}

impl Ctx {
    /// A context whose help section is titled by the catalog key `title`.
    pub const fn new(title: &'static str) -> Ctx {
        Ctx { title, flags: 0 }
    }

    /// A list or scrollable view: it moves with [`LIST_KEYS`] (a key the
    /// context binds to something else keeps its meaning).
    pub const fn scrolling(self) -> Ctx {
        Ctx {
            flags: self.flags | LIST,
            ..self
        }
    }

    /// Plain letters are text here, not commands.
    pub const fn typing(self) -> Ctx {
        Ctx {
            flags: self.flags | TEXT,
            ..self
        }
    }

    /// The global keys (quit, panes) do nothing here.
    pub const fn blocking(self) -> Ctx {
        Ctx {
            flags: self.flags | MODAL,
            ..self
        }
    }

    pub fn is_list(self) -> bool {
        self.flags & LIST != 0
    }

    pub fn takes_text(self) -> bool {
        self.flags & TEXT != 0
    }

    pub fn modal(self) -> bool {
        self.flags & MODAL != 0
    }

    /// Catalog key of the section title in the help screen.
    pub fn title_key(self) -> &'static str {
        self.title
    }
}

/// The contexts of the app itself and of the Customers pane's list, which
/// other panes share (a search line, the card, forms, questions, help).
#[allow(non_upper_case_globals)]
impl Ctx {
    /// Keys that work wherever no text is being typed.
    pub const Global: Ctx = Ctx::new("ctx.global");
    pub const Welcome: Ctx = Ctx::new("ctx.welcome");
    pub const List: Ctx = Ctx::new("ctx.list").scrolling();
    pub const Search: Ctx = Ctx::new("ctx.search").typing();
    pub const Card: Ctx = Ctx::new("ctx.card").scrolling();
    pub const Form: Ctx = Ctx::new("ctx.form").typing();
    pub const Confirm: Ctx = Ctx::new("ctx.confirm").blocking();
    pub const Help: Ctx = Ctx::new("ctx.help").scrolling().blocking();
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub ctx: Ctx,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// Catalog key of the description.
    pub desc: &'static str,
    /// Shown in the footer.
    pub hint: bool,
}

pub(crate) const NONE: KeyModifiers = KeyModifiers::NONE;
pub(crate) const CTRL: KeyModifiers = KeyModifiers::CONTROL;
pub(crate) const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

/// One row of a key table: `b!(Ctx, KeyCode, modifiers, Action, "desc.key", hint)`.
macro_rules! b {
    ($ctx:ident, $code:expr, $mods:expr, $action:expr, $desc:literal, $hint:literal) => {
        $crate::app::binding::Binding {
            ctx: $crate::app::binding::Ctx::$ctx,
            code: $code,
            mods: $mods,
            action: $action,
            desc: $desc,
            hint: $hint,
        }
    };
}
pub(crate) use b;

/// Modifier shorthands for the pane key tables.
pub(crate) const NO_MODS: KeyModifiers = NONE;
pub(crate) const CTRL_MOD: KeyModifiers = CTRL;
pub(crate) const SHIFT_MOD: KeyModifiers = SHIFT;

/// The keys of every list and scrollable view ([`Ctx::is_list`]).
pub static LIST_KEYS: &[(KeyCode, KeyModifiers, Action, &str)] = &[
    (KeyCode::Down, NONE, Action::Down, "key.down"),
    (KeyCode::Char('j'), NONE, Action::Down, "key.down"),
    (KeyCode::Up, NONE, Action::Up, "key.up"),
    (KeyCode::Char('k'), NONE, Action::Up, "key.up"),
    (KeyCode::PageDown, NONE, Action::PageDown, "key.page_down"),
    (KeyCode::Char('d'), CTRL, Action::PageDown, "key.page_down"),
    (KeyCode::PageUp, NONE, Action::PageUp, "key.page_up"),
    (KeyCode::Char('u'), CTRL, Action::PageUp, "key.page_up"),
    (KeyCode::Home, NONE, Action::Top, "key.top"),
    (KeyCode::Char('g'), NONE, Action::Top, "key.top"),
    (KeyCode::End, NONE, Action::Bottom, "key.bottom"),
    (KeyCode::Char('G'), SHIFT, Action::Bottom, "key.bottom"),
];
