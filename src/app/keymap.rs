//! One static key table: the keymap, the footer hints and the `?` help are
//! all derived from it, so help never drifts from behaviour.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

pub use super::binding::{Binding, Ctx};
use super::binding::{CTRL, LIST_KEYS, NONE, SHIFT, b};

use Action as A;
use KeyCode as K;

/// Every key binding: the core table, each pane's own table, then the
/// list keys of every list context that does not bind that key otherwise.
pub fn bindings() -> impl Iterator<Item = &'static Binding> {
    static ALL: std::sync::OnceLock<Vec<Binding>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Binding> = KEYS
            .iter()
            .chain(super::find::KEYS)
            .chain(super::qualification::KEYS)
            .chain(super::complaints::KEYS)
            .chain(super::agenda::KEYS)
            .chain(super::import::KEYS)
            .chain(super::insights::KEYS)
            .chain(super::accounts::KEYS)
            .chain(super::teamsync::KEYS)
            .cloned()
            .collect();
        for ctx in Ctx::ALL.into_iter().filter(|c| c.is_list()) {
            for &(code, mods, action, desc) in LIST_KEYS {
                if !all.iter().any(|b| b.ctx == ctx && b.code == code && b.mods == mods) {
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
        for ctx in Ctx::ALL.into_iter().filter(|c| *c != Ctx::Help && *c != Ctx::Global) {
            all.push(Binding {
                ctx,
                code: KeyCode::F(1),
                mods: NONE,
                action: Action::Help,
                desc: "key.help",
                hint: false,
            });
        }
        all
    })
    .iter()
}

/// The core table: moving around, the customer list, card, forms.
pub static KEYS: &[Binding] = &[
    b!(Global, K::Char('q'), NONE, A::Quit, "key.quit", true),
    b!(Global, K::Char('c'), CTRL, A::Interrupt, "key.interrupt", false),
    b!(Global, K::Char('z'), CTRL, A::Suspend, "key.suspend", false),
    b!(Global, K::Char('?'), NONE, A::Help, "key.help", true),
    b!(Global, K::Tab, NONE, A::NextPane, "key.next_pane", false),
    b!(Global, K::BackTab, SHIFT, A::PrevPane, "key.prev_pane", false),
    b!(Global, K::Char('1'), NONE, A::GoPane(0), "key.pane_customers", false),
    b!(
        Global,
        K::Char('2'),
        NONE,
        A::GoPane(1),
        "key.pane_qualification",
        false
    ),
    b!(Global, K::Char('3'), NONE, A::GoPane(2), "key.pane_complaints", false),
    b!(Global, K::Char('4'), NONE, A::GoPane(3), "key.pane_agenda", false),
    b!(Global, K::Char('5'), NONE, A::GoPane(4), "key.pane_insights", false),
    b!(Welcome, K::Char('a'), NONE, A::AddCustomer, "key.add", true),
    b!(Welcome, K::Char('d'), NONE, A::LoadDemo, "key.demo", true),
    b!(Welcome, K::Char('i'), NONE, A::ImportHelp, "key.import_help", true),
    b!(List, K::Down, NONE, A::Down, "key.down", false),
    b!(List, K::Char('j'), NONE, A::Down, "key.down", false),
    b!(List, K::Up, NONE, A::Up, "key.up", false),
    b!(List, K::Char('k'), NONE, A::Up, "key.up", false),
    b!(List, K::PageDown, NONE, A::PageDown, "key.page_down", false),
    b!(List, K::Char('d'), CTRL, A::PageDown, "key.page_down", false),
    b!(List, K::PageUp, NONE, A::PageUp, "key.page_up", false),
    b!(List, K::Char('u'), CTRL, A::PageUp, "key.page_up", false),
    b!(List, K::Home, NONE, A::Top, "key.top", false),
    b!(List, K::Char('g'), NONE, A::Top, "key.top", false),
    b!(List, K::End, NONE, A::Bottom, "key.bottom", false),
    b!(List, K::Char('G'), SHIFT, A::Bottom, "key.bottom", false),
    b!(List, K::Char('/'), NONE, A::StartSearch, "key.search", true),
    b!(List, K::Enter, NONE, A::OpenCard, "key.card", true),
    b!(List, K::Char('a'), NONE, A::AddCustomer, "key.add", true),
    b!(List, K::Char('e'), NONE, A::EditCustomer, "key.edit", true),
    b!(List, K::Char('l'), NONE, A::LogInteraction, "key.log", true),
    b!(List, K::Char('s'), NONE, A::ChangeStatus, "key.status", true),
    b!(List, K::Char('o'), NONE, A::CycleSort, "key.sort", true),
    b!(List, K::Esc, NONE, A::Back, "key.clear_search", false),
    b!(Search, K::Enter, NONE, A::AcceptSearch, "key.accept_search", true),
    b!(Search, K::Esc, NONE, A::Back, "key.cancel_search", true),
    b!(Search, K::Down, NONE, A::Down, "key.down", true),
    b!(Search, K::Up, NONE, A::Up, "key.up", false),
    b!(Search, K::Char('u'), CTRL, A::ClearInput, "key.clear_input", false),
    b!(Card, K::Esc, NONE, A::Back, "key.back", true),
    // Before the card's other keys, so the footer shows it at 80 columns.
    b!(
        Card,
        K::Char(']'),
        NONE,
        A::Find(super::find::Cmd::NextCustomer),
        "key.next_customer",
        true
    ),
    b!(
        Card,
        K::Char('['),
        NONE,
        A::Find(super::find::Cmd::PrevCustomer),
        "key.prev_customer",
        false
    ),
    b!(Card, K::Char('e'), NONE, A::EditCustomer, "key.edit", true),
    b!(Card, K::Char('l'), NONE, A::LogInteraction, "key.log", true),
    b!(Card, K::Char('s'), NONE, A::ChangeStatus, "key.status", true),
    b!(Card, K::Down, NONE, A::Down, "key.scroll_down", false),
    b!(Card, K::Char('j'), NONE, A::Down, "key.scroll_down", false),
    b!(Card, K::Up, NONE, A::Up, "key.scroll_up", false),
    b!(Card, K::Char('k'), NONE, A::Up, "key.scroll_up", false),
    b!(Card, K::PageDown, NONE, A::PageDown, "key.page_down", false),
    b!(Card, K::Char('d'), CTRL, A::PageDown, "key.page_down", false),
    b!(Card, K::PageUp, NONE, A::PageUp, "key.page_up", false),
    b!(Card, K::Char('u'), CTRL, A::PageUp, "key.page_up", false),
    b!(Card, K::Home, NONE, A::Top, "key.top", false),
    b!(Card, K::Char('g'), NONE, A::Top, "key.top", false),
    b!(Card, K::End, NONE, A::Bottom, "key.bottom", false),
    b!(Card, K::Char('G'), SHIFT, A::Bottom, "key.bottom", false),
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
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let want = b.mods - KeyModifiers::SHIFT;
    // Shift is implied by the character itself ('G', '?') and by BackTab.
    b.code == key.code && mods == want
}

/// Resolves a key in a context: the context's own bindings first, then the
/// global ones (except while typing), then text input.
pub fn resolve(ctx: Ctx, key: &KeyEvent) -> Resolved {
    // Ctrl-Z suspends from anywhere, a form or a question included.
    if key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Resolved::Action(Action::Suspend);
    }
    if let Some(b) = bindings().find(|b| b.ctx == ctx && matches(b, key)) {
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
    if !modal && let Some(b) = bindings().find(|b| b.ctx == Ctx::Global && matches(b, key)) {
        return Resolved::Action(b.action);
    }
    Resolved::Nothing
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

/// Help rows for one context: keys with the same description merged
/// ("j / ↓"), in table order.
pub fn help_rows(ctx: Ctx) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    for b in bindings().filter(|b| b.ctx == ctx) {
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
pub fn hints(ctx: Ctx) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let own = bindings().filter(|b| b.ctx == ctx && b.hint);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_move_the_same_way() {
        assert_eq!(
            resolve(Ctx::List, &key(KeyCode::Char('j'))),
            Resolved::Action(Action::Down)
        );
        assert_eq!(resolve(Ctx::List, &key(KeyCode::Down)), Resolved::Action(Action::Down));
        assert_eq!(
            resolve(Ctx::List, &key(KeyCode::Char('k'))),
            Resolved::Action(Action::Up)
        );
    }

    #[test]
    fn letters_are_text_while_typing() {
        assert_eq!(resolve(Ctx::Search, &key(KeyCode::Char('q'))), Resolved::Text('q'));
        assert_eq!(resolve(Ctx::Form, &key(KeyCode::Char('张'))), Resolved::Text('张'));
        assert_eq!(
            resolve(Ctx::List, &key(KeyCode::Char('q'))),
            Resolved::Action(Action::Quit)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(Ctx::Search, &ctrl_c), Resolved::Action(Action::Interrupt));
    }

    #[test]
    fn shifted_characters_match_without_the_shift_flag_mattering() {
        let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(resolve(Ctx::List, &g), Resolved::Action(Action::Bottom));
        let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(resolve(Ctx::List, &q), Resolved::Action(Action::Help));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let all: Vec<&Binding> = bindings().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(
                    !(a.ctx == b.ctx && a.code == b.code && a.mods == b.mods),
                    "{:?} {:?} bound twice",
                    a.ctx,
                    a.code
                );
            }
        }
    }

    #[test]
    fn help_merges_keys_with_the_same_meaning() {
        let rows = help_rows(Ctx::List);
        assert!(rows.iter().any(|(k, d)| *d == "key.down" && k == "↓ / j"));
    }
}
