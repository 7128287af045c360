//! One key table: the keymap, the footer hints and the `?` help are all
//! derived from it, so help never drifts from behaviour. The core rows are
//! here; each pane brings its own contexts and rows through its `PaneDef`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::seam::PaneEntry;

pub use super::binding::{Binding, Ctx};
use super::binding::{CTRL, LIST_KEYS, NONE, SHIFT, b};

use Action as A;
use KeyCode as K;

/// The key table of an app: the core table, each pane's own tables, the
/// overlays' tables, a digit for each pane, then the list keys of every
/// list context that does not bind that key otherwise.
pub struct KeyTable {
    bindings: Vec<Binding>,
    /// Every context, in the order help shows them.
    contexts: Vec<Ctx>,
}

/// The contexts of the overlays, after the panes' in help.
const OVERLAYS: [Ctx; 10] = [
    Ctx::Form,
    Ctx::ImportFile,
    Ctx::Import,
    Ctx::ImportAsk,
    Ctx::ImportRun,
    Ctx::ImportDone,
    Ctx::SyncConflicts,
    Ctx::SyncEdit,
    Ctx::Confirm,
    Ctx::Help,
];

impl KeyTable {
    /// The table of `panes` (built once, when the app is).
    pub fn new(panes: &[PaneEntry]) -> KeyTable {
        let mut contexts = vec![Ctx::Global];
        for p in panes {
            contexts.extend(
                p.def
                    .contexts
                    .iter()
                    .filter(|c| !contexts.contains(c))
                    .collect::<Vec<_>>(),
            );
        }
        contexts.extend(OVERLAYS);
        let mut all: Vec<Binding> = KEYS.to_vec();
        for (i, p) in panes.iter().enumerate().take(9) {
            all.push(Binding {
                ctx: Ctx::Global,
                code: KeyCode::Char(char::from(b'1' + i as u8)),
                mods: NONE,
                action: Action::GoPane(i as u8),
                desc: p.def.go_key,
                hint: false,
            });
        }
        for table in panes.iter().flat_map(|p| p.def.keys) {
            all.extend(table.iter().cloned());
        }
        all.extend(super::import::KEYS.iter().chain(super::teamsync::KEYS).cloned());
        for &ctx in contexts.iter().filter(|c| c.is_list()) {
            for &(code, mods, action, desc) in LIST_KEYS {
                // A pane's own binding of the key wins, whatever its Shift
                // flag says ('G' and Shift-G are one key), so help lists it once.
                if !all.iter().any(|b| b.ctx == ctx && same_key(b.code, b.mods, code, mods)) {
                    all.push(Binding {
                        ctx,
                        code,
                        mods,
                        action,
                        desc,
                        hint: false,
                    });
                }
            }
        }
        // F1 opens help from anywhere, a form or a search included.
        for &ctx in contexts.iter().filter(|c| **c != Ctx::Help && **c != Ctx::Global) {
            all.push(Binding {
                ctx,
                code: KeyCode::F(1),
                mods: NONE,
                action: Action::Help,
                desc: "key.help",
                hint: false,
            });
        }
        KeyTable {
            bindings: all,
            contexts,
        }
    }

    /// Every binding.
    pub fn bindings(&self) -> impl Iterator<Item = &Binding> {
        self.bindings.iter()
    }

    /// Every context, in the order help shows them.
    pub fn contexts(&self) -> &[Ctx] {
        &self.contexts
    }
}

/// The core table: moving around, search lines, forms, questions, help.
pub static KEYS: &[Binding] = &[
    b!(Global, K::Char('q'), NONE, A::Quit, "key.quit", true),
    b!(Global, K::Char('c'), CTRL, A::Interrupt, "key.interrupt", false),
    b!(Global, K::Char('z'), CTRL, A::Suspend, "key.suspend", false),
    b!(Global, K::Char('?'), NONE, A::Help, "key.help", true),
    b!(Global, K::Tab, NONE, A::NextPane, "key.next_pane", false),
    b!(Global, K::BackTab, SHIFT, A::PrevPane, "key.prev_pane", false),
    b!(Search, K::Enter, NONE, A::AcceptSearch, "key.accept_search", true),
    b!(Search, K::Esc, NONE, A::Back, "key.cancel_search", true),
    b!(Search, K::Down, NONE, A::Down, "key.down", true),
    b!(Search, K::Up, NONE, A::Up, "key.up", false),
    b!(Search, K::Char('u'), CTRL, A::ClearInput, "key.clear_input", false),
    b!(Form, K::Tab, NONE, A::NextField, "key.next_field", true),
    b!(Form, K::Down, NONE, A::NextField, "key.next_field", false),
    b!(Form, K::BackTab, SHIFT, A::PrevField, "key.prev_field", false),
    b!(Form, K::Up, NONE, A::PrevField, "key.prev_field", false),
    b!(Form, K::Enter, NONE, A::FieldEnter, "key.field_enter", false),
    b!(Form, K::Char('s'), CTRL, A::Submit, "key.save", true),
    b!(Form, K::Esc, NONE, A::Back, "key.cancel", true),
    b!(Form, K::Char('c'), CTRL, A::Interrupt, "key.cancel", false),
    b!(Form, K::Left, NONE, A::Left, "key.left", false),
    b!(Form, K::Right, NONE, A::Right, "key.right", false),
    b!(Form, K::Home, NONE, A::Home, "key.home", false),
    b!(Form, K::End, NONE, A::End, "key.end", false),
    b!(Form, K::Backspace, NONE, A::Backspace, "key.backspace", false),
    b!(Form, K::Delete, NONE, A::Delete, "key.delete", false),
    b!(Form, K::Char('w'), CTRL, A::DeleteWord, "key.delete_word", false),
    b!(Form, K::Char('u'), CTRL, A::ClearInput, "key.clear_input", false),
    b!(Form, K::Char('j'), CTRL, A::NewLine, "key.new_line", false),
    b!(Search, K::Backspace, NONE, A::Backspace, "key.backspace", false),
    b!(Search, K::Char('w'), CTRL, A::DeleteWord, "key.delete_word", false),
    b!(Search, K::Left, NONE, A::Left, "key.left", false),
    b!(Search, K::Right, NONE, A::Right, "key.right", false),
    b!(Confirm, K::Char('y'), NONE, A::Yes, "key.yes", true),
    b!(Confirm, K::Enter, NONE, A::Yes, "key.yes", false),
    b!(Confirm, K::Char('n'), NONE, A::No, "key.no", true),
    b!(Confirm, K::Esc, NONE, A::No, "key.no", false),
    b!(Confirm, K::Char('c'), CTRL, A::No, "key.no", false),
    b!(Help, K::Esc, NONE, A::Back, "key.close", true),
    b!(Help, K::Char('?'), NONE, A::Back, "key.close", false),
    b!(Help, K::Char('q'), NONE, A::Back, "key.close", false),
    b!(Help, K::Down, NONE, A::Down, "key.down", false),
    b!(Help, K::Char('j'), NONE, A::Down, "key.down", false),
    b!(Help, K::Up, NONE, A::Up, "key.up", false),
    b!(Help, K::Char('k'), NONE, A::Up, "key.up", false),
];

/// What a key press means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Action(Action),
    /// Text typed into the focused input.
    Text(char),
    Nothing,
}

fn matches(b: &Binding, key: &KeyEvent) -> bool {
    same_key(b.code, b.mods, key.code, key.modifiers)
}

/// Whether two keys are one: Shift is implied by the character itself
/// ('G', '?') and by BackTab, so its flag does not tell keys apart.
pub fn same_key(a: KeyCode, a_mods: KeyModifiers, b: KeyCode, b_mods: KeyModifiers) -> bool {
    a == b && a_mods - KeyModifiers::SHIFT == b_mods - KeyModifiers::SHIFT
}

/// Human name of a key ("Ctrl-S", "↓", "Enter").
pub fn key_label(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        if let KeyCode::Char(c) = code {
            return format!("Ctrl-{}", c.to_ascii_uppercase());
        }
        return format!("Ctrl-{base}");
    }
    base
}

impl KeyTable {
    /// Resolves a key in a context: the context's own bindings first, then the
    /// global ones (except while typing), then text input.
    pub fn resolve(&self, ctx: Ctx, key: &KeyEvent) -> Resolved {
        // Ctrl-Z suspends from anywhere, a form or a question included.
        if key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Resolved::Action(Action::Suspend);
        }
        if let Some(b) = self.bindings().find(|b| b.ctx == ctx && matches(b, key)) {
            return Resolved::Action(b.action);
        }
        let modal = ctx.modal();
        if ctx.takes_text() {
            if let KeyCode::Char(c) = key.code
                && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                return Resolved::Text(c);
            }
            // Ctrl-C works everywhere.
            if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                return Resolved::Action(Action::Interrupt);
            }
            return Resolved::Nothing;
        }
        if !modal && let Some(b) = self.bindings().find(|b| b.ctx == Ctx::Global && matches(b, key)) {
            return Resolved::Action(b.action);
        }
        Resolved::Nothing
    }

    /// Help rows for one context: keys with the same description merged
    /// ("j / ↓"), in table order.
    pub fn help_rows(&self, ctx: Ctx) -> Vec<(String, &'static str)> {
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        for b in self.bindings().filter(|b| b.ctx == ctx) {
            let label = key_label(b.code, b.mods);
            match rows.iter_mut().find(|(_, d)| *d == b.desc) {
                Some((keys, _)) => {
                    keys.push_str(" / ");
                    keys.push_str(&label);
                }
                None => rows.push((label, b.desc)),
            }
        }
        rows
    }

    /// Footer hints for a context: the hinted global keys, then its own.
    pub fn hints(&self, ctx: Ctx) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        let own = self.bindings().filter(|b| b.ctx == ctx && b.hint);
        let global = KEYS
            .iter()
            .filter(|b| b.ctx == Ctx::Global && b.hint && !ctx.takes_text() && !ctx.modal());
        // "? help" and "q quit" first, so they survive a narrow terminal;
        // where `?` is text or a question is open, F1 opens help.
        if (ctx.takes_text() || ctx.modal()) && ctx != Ctx::Help {
            out.push(("F1".to_string(), "key.help"));
        }
        for b in global.chain(own) {
            if !out.iter().any(|(_, d)| *d == b.desc) {
                out.push((key_label(b.code, b.mods), b.desc));
            }
        }
        out
    }
}
