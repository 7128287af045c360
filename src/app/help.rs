//! The help screen's content, from the whole key table: a section for every
//! context that has keys, in the key table's order. The app scrolls it (it
//! opens at the section of where you are); the UI draws these lines.

use super::keymap::{Ctx, KeyTable};
use super::{Action, App, Overlay};

/// One line of the help screen.
#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    /// A section's title (catalog key).
    Title(Ctx),
    /// Keys ("j / ↓") and the catalog key of what they do.
    Row(String, &'static str),
    Blank,
}

/// Every line of the help screen.
pub fn lines(keys: &KeyTable) -> Vec<HelpLine> {
    let mut out = Vec::new();
    for &ctx in keys.contexts() {
        let rows = keys.help_rows(ctx);
        if rows.is_empty() {
            continue;
        }
        out.push(HelpLine::Title(ctx));
        out.extend(rows.into_iter().map(|(k, d)| HelpLine::Row(k, d)));
        out.push(HelpLine::Blank);
    }
    out
}

/// The line where the section of `ctx` starts (the top when it has none).
pub fn section_start(keys: &KeyTable, ctx: Ctx) -> usize {
    lines(keys).iter().position(|l| *l == HelpLine::Title(ctx)).unwrap_or(0)
}

/// Rows of help on screen for a list viewport of `viewport` rows: the help
/// box spans the screen but the status and footer lines, inside its border
/// (see `ui::list_rows`).
pub fn page(viewport: usize) -> usize {
    viewport + 3
}

/// The furthest the help can scroll: its last line at the bottom.
pub fn max_scroll(keys: &KeyTable, viewport: usize) -> usize {
    lines(keys).len().saturating_sub(page(viewport))
}

impl App {
    /// Opens help at the section of where the keyboard is, over whatever
    /// is open (a form keeps its draft underneath).
    pub(super) fn open_help(&mut self) {
        let ctx = self.context();
        if ctx == Ctx::Help {
            return;
        }
        let scroll = section_start(&self.keys, ctx).min(max_scroll(&self.keys, self.viewport));
        let under = self.overlay.take().map(Box::new);
        self.overlay = Some(Overlay::Help {
            scroll: scroll as u16,
            under,
        });
    }

    pub(super) fn help_action(&mut self, action: Action) {
        let Some(Overlay::Help { scroll, .. }) = &mut self.overlay else {
            return;
        };
        let last = max_scroll(&self.keys, self.viewport);
        if let Some(to) = super::list::moved(action, *scroll as usize, last + 1, page(self.viewport)) {
            *scroll = to as u16;
        } else if action == Action::Back
            && let Some(Overlay::Help { under, .. }) = self.overlay.take()
        {
            self.overlay = under.map(|o| *o);
        }
    }
}
