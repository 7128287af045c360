//! Keys of the customer list's filters, the card's customer stepping and
//! duplicates (merged into the one key table).

use ratatui::crossterm::event::KeyCode as K;

use crate::app::Action;
use crate::app::binding::{Binding, Ctx, NO_MODS, SHIFT_MOD, b};

pub use crate::app::action::find::Cmd;
use Action as A;
use Cmd as C;

/// The Customers pane's duplicate views.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// The possible duplicates.
    pub const Duplicates: Ctx = Ctx::new("find.ctx.duplicates").scrolling();
    /// Merging two customers field by field.
    pub const Merge: Ctx = Ctx::new("find.ctx.merge");
}

pub static KEYS: &[Binding] = &[
    b!(
        List,
        K::Char('F'),
        SHIFT_MOD,
        A::Find(C::Filter),
        "find.key.filter",
        true
    ),
    b!(
        List,
        K::Char('x'),
        NO_MODS,
        A::Find(C::ClearFilters),
        "find.key.clear_filters",
        false
    ),
    b!(
        List,
        K::Char('X'),
        SHIFT_MOD,
        A::Find(C::Delete),
        "find.key.delete",
        false
    ),
    b!(List, K::Delete, NO_MODS, A::Find(C::Delete), "find.key.delete", false),
    b!(List, K::Char('M'), SHIFT_MOD, A::Find(C::Mark), "find.key.merge", false),
    b!(
        List,
        K::Char('D'),
        SHIFT_MOD,
        A::Find(C::Duplicates),
        "find.key.duplicates",
        false
    ),
    b!(
        Card,
        K::Char('X'),
        SHIFT_MOD,
        A::Find(C::Delete),
        "find.key.delete",
        false
    ),
    b!(Card, K::Char('M'), SHIFT_MOD, A::Find(C::Mark), "find.key.merge", false),
    b!(Duplicates, K::Enter, NO_MODS, A::OpenCard, "find.key.merge_pair", true),
    b!(Duplicates, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(Duplicates, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(Duplicates, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(Duplicates, K::Char('k'), NO_MODS, A::Up, "key.up", false),
    b!(Duplicates, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(Merge, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(Merge, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(Merge, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(Merge, K::Char('k'), NO_MODS, A::Up, "key.up", false),
    b!(
        Merge,
        K::Char(' '),
        NO_MODS,
        A::Find(C::Toggle),
        "find.key.toggle",
        true
    ),
    b!(Merge, K::Left, NO_MODS, A::Find(C::Toggle), "find.key.toggle", false),
    b!(Merge, K::Right, NO_MODS, A::Find(C::Toggle), "find.key.toggle", false),
    b!(Merge, K::Enter, NO_MODS, A::Find(C::DoMerge), "find.key.do_merge", true),
    b!(Merge, K::Esc, NO_MODS, A::Back, "key.cancel", true),
    b!(
        Confirm,
        K::Char('o'),
        NO_MODS,
        A::Find(C::OpenOther),
        "find.key.open_other",
        false
    ),
];
