//! The import overlay's key table, chained into the keymap's `bindings()`.

use ratatui::crossterm::event::KeyCode as K;

use super::Cmd as C;
use crate::app::Action as A;
use crate::app::binding::{Binding, CTRL_MOD, Ctx, NO_MODS, SHIFT_MOD, b};

/// The import overlay's contexts.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// Typing the file's path.
    pub const ImportFile: Ctx = Ctx::new("io.ctx.file").typing();
    /// The preview and its mapping.
    pub const Import: Ctx = Ctx::new("io.ctx").blocking();
    /// A question about a duplicate.
    pub const ImportAsk: Ctx = Ctx::new("io.ctx.ask").blocking();
    /// Writing.
    pub const ImportRun: Ctx = Ctx::new("io.ctx.run").blocking();
    /// The result.
    pub const ImportDone: Ctx = Ctx::new("io.ctx.done").blocking();
}

pub static KEYS: &[Binding] = &[
    // The welcome screen's `i` opens it too (core table).
    b!(List, K::Char('I'), SHIFT_MOD, A::ImportHelp, "io.key.import", false),
    b!(ImportFile, K::Enter, NO_MODS, A::Submit, "io.key.open", true),
    b!(
        ImportFile,
        K::Tab,
        NO_MODS,
        A::Import(C::Complete),
        "io.key.complete",
        true
    ),
    b!(
        ImportFile,
        K::Char('e'),
        CTRL_MOD,
        A::Import(C::Encoding),
        "io.key.encoding",
        true
    ),
    b!(ImportFile, K::Esc, NO_MODS, A::Back, "key.cancel", true),
    b!(ImportFile, K::Backspace, NO_MODS, A::Backspace, "key.backspace", false),
    b!(ImportFile, K::Delete, NO_MODS, A::Delete, "key.delete", false),
    b!(ImportFile, K::Left, NO_MODS, A::Left, "key.left", false),
    b!(ImportFile, K::Right, NO_MODS, A::Right, "key.right", false),
    b!(ImportFile, K::Home, NO_MODS, A::Home, "key.home", false),
    b!(ImportFile, K::End, NO_MODS, A::End, "key.end", false),
    b!(
        ImportFile,
        K::Char('u'),
        CTRL_MOD,
        A::ClearInput,
        "key.clear_input",
        false
    ),
    b!(
        ImportFile,
        K::Char('w'),
        CTRL_MOD,
        A::DeleteWord,
        "key.delete_word",
        false
    ),
    b!(Import, K::Enter, NO_MODS, A::Yes, "io.key.start", true),
    b!(Import, K::Down, NO_MODS, A::Down, "io.key.column", true),
    b!(Import, K::Char('j'), NO_MODS, A::Down, "io.key.column", false),
    b!(Import, K::Up, NO_MODS, A::Up, "io.key.column", false),
    b!(Import, K::Char('k'), NO_MODS, A::Up, "io.key.column", false),
    b!(Import, K::Right, NO_MODS, A::Right, "io.key.field", true),
    b!(Import, K::Char('l'), NO_MODS, A::Right, "io.key.field", false),
    b!(Import, K::Left, NO_MODS, A::Left, "io.key.field", false),
    b!(Import, K::Char('h'), NO_MODS, A::Left, "io.key.field", false),
    b!(
        Import,
        K::Char('x'),
        NO_MODS,
        A::Import(C::Ignore),
        "io.key.ignore",
        true
    ),
    b!(Import, K::Delete, NO_MODS, A::Import(C::Ignore), "io.key.ignore", false),
    b!(
        Import,
        K::Char('d'),
        NO_MODS,
        A::Import(C::Policy),
        "io.key.policy",
        true
    ),
    b!(
        Import,
        K::Char('e'),
        NO_MODS,
        A::Import(C::Encoding),
        "io.key.encoding",
        true
    ),
    b!(
        Import,
        K::Char('t'),
        NO_MODS,
        A::Import(C::Sheet),
        "tools.key.sheet",
        true
    ),
    b!(
        Import,
        K::Char('s'),
        NO_MODS,
        A::Import(C::DefaultStatus),
        "io.key.default_status",
        true
    ),
    b!(
        Import,
        K::Char('g'),
        NO_MODS,
        A::Import(C::DefaultGrade),
        "io.key.default_grade",
        true
    ),
    b!(
        Import,
        K::Char('n'),
        NO_MODS,
        A::Import(C::AsNew),
        "io.key.as_new",
        true
    ),
    b!(Import, K::Esc, NO_MODS, A::Back, "io.key.back", true),
    b!(Import, K::Char('q'), NO_MODS, A::Back, "io.key.back", false),
    b!(Import, K::Char('c'), CTRL_MOD, A::Back, "io.key.back", false),
    b!(
        ImportAsk,
        K::Char('s'),
        NO_MODS,
        A::Import(C::Skip),
        "io.key.skip",
        true
    ),
    b!(
        ImportAsk,
        K::Char('m'),
        NO_MODS,
        A::Import(C::Merge),
        "io.key.merge",
        true
    ),
    b!(
        ImportAsk,
        K::Char('k'),
        NO_MODS,
        A::Import(C::Keep),
        "io.key.keep",
        true
    ),
    b!(
        ImportAsk,
        K::Char('S'),
        SHIFT_MOD,
        A::Import(C::SkipAll),
        "io.key.skip_all",
        true
    ),
    b!(
        ImportAsk,
        K::Char('M'),
        SHIFT_MOD,
        A::Import(C::MergeAll),
        "io.key.merge_all",
        true
    ),
    b!(ImportAsk, K::Esc, NO_MODS, A::Back, "io.key.back", true),
    b!(ImportAsk, K::Char('c'), CTRL_MOD, A::Back, "io.key.back", false),
    b!(ImportRun, K::Esc, NO_MODS, A::Back, "io.key.cancel", true),
    b!(ImportRun, K::Char('c'), CTRL_MOD, A::Back, "io.key.cancel", false),
    b!(ImportDone, K::Enter, NO_MODS, A::Back, "key.close", true),
    b!(ImportDone, K::Esc, NO_MODS, A::Back, "key.close", false),
    b!(ImportDone, K::Char('q'), NO_MODS, A::Back, "key.close", false),
];
