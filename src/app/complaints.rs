//! The complaints pane's state and actions.

use super::keymap::{Binding, Ctx};
use super::{Action, App, CardEnv, CardSection};
use crate::app::form::Form;
use crate::storage::Store;

/// This pane's keys (merged into the one key table).
pub static KEYS: &[Binding] = &[];

/// What the complaints pane shows.
#[derive(Debug, Default)]
pub struct ComplaintsState {}

/// Forms this pane opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneForm {}

impl PaneForm {
    pub fn title_key(self) -> &'static str {
        match self {}
    }
}

/// The keyboard context while this pane has focus.
pub fn context(_app: &App) -> Ctx {
    Ctx::Coming
}

/// Called when the pane gains focus: load what it shows.
pub fn enter(_app: &mut App, _store: &mut Store) {}

/// Applies an action while this pane has focus.
pub fn update(_app: &mut App, _action: Action, _store: &mut Store) {}

/// Saves one of this pane's forms.
pub fn submit(_app: &mut App, _store: &mut Store, _form: Form, kind: PaneForm) {
    match kind {}
}

/// This pane's section of the pre-call card, if it has something to say.
pub fn card_section(_env: &CardEnv<'_>, _store: &Store, _customer_id: i64) -> Option<CardSection> {
    None
}
