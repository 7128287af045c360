//! The open form: its keys, a field that other fields follow, and its
//! submit, each routed to the module that owns the form's kind. The panes
//! build and save their forms; none routes another's.

use super::form::{FieldId, FormKind};
use super::{Action, App, Confirm, Overlay};
use crate::storage::Store;

impl App {
    /// An action while a form is open.
    pub(super) fn form_action(&mut self, action: Action, store: &mut Store) {
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return;
        };
        let before = form.focused_value();
        match action {
            Action::NextField => form.next(),
            Action::PrevField => form.prev(),
            Action::Left => form.left_right(false),
            Action::Right => form.left_right(true),
            Action::Home => form.edit(|t| t.home()),
            Action::End => form.edit(|t| t.end()),
            Action::Backspace => form.edit(|t| t.backspace()),
            Action::Delete => form.edit(|t| t.delete()),
            Action::DeleteWord => form.edit(|t| t.delete_word()),
            Action::ClearInput => form.edit(|t| t.clear()),
            Action::NewLine => form.new_line(),
            Action::FieldEnter if form.focus + 1 < form.fields.len() => form.next(),
            Action::FieldEnter | Action::Submit => return self.submit_form(store),
            Action::Back => {
                let Some(Overlay::Form(form)) = self.overlay.take() else {
                    return;
                };
                if form.dirty {
                    self.overlay = Some(Overlay::Confirm(Confirm::DiscardForm(form)));
                }
                return;
            }
            _ => {}
        }
        self.follow(store, before);
    }

    /// A character typed into the open form.
    pub fn form_type(&mut self, c: char, store: &Store) {
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return;
        };
        let before = form.focused_value();
        form.type_char(c, self.lang);
        self.follow(store, before);
    }

    /// Text pasted: into the open form (its followers follow), else where
    /// [`App::type_text`] puts it.
    pub fn paste(&mut self, s: &str, store: &Store) {
        let before = match &self.overlay {
            Some(Overlay::Form(form)) => Some(form.focused_value()),
            _ => None,
        };
        self.type_text(s);
        if let Some(before) = before {
            self.follow(store, before);
        }
    }

    /// The focused field changed from `before`: the fields that follow it
    /// in this kind of form follow (a complaint's complainant and phone
    /// follow its customer).
    fn follow(&mut self, store: &Store, before: (FieldId, String)) {
        let Some(Overlay::Form(form)) = &self.overlay else {
            return;
        };
        let (id, now) = form.focused_value();
        if id != before.0 || now == before.1 {
            return;
        }
        if let FormKind::Complaint(kind) = form.kind {
            super::complaints::follow(self, store, kind, id);
        }
    }

    /// Saves the open form through the module that owns its kind.
    pub(super) fn submit_form(&mut self, store: &mut Store) {
        let Some(Overlay::Form(form)) = self.overlay.take() else {
            return;
        };
        match form.kind {
            FormKind::Qualification(kind) => super::qualification::submit(self, store, form, kind),
            FormKind::Complaint(kind) => super::complaints::submit(self, store, form, kind),
            FormKind::Agenda(kind) => super::agenda::submit(self, store, form, kind),
            FormKind::Value(kind) => super::insights::submit(self, store, form, kind),
            FormKind::Find(kind) => super::find::submit(self, store, form, kind),
            FormKind::Account(kind) => super::accounts::submit(self, store, form, kind),
            FormKind::NewCustomer
            | FormKind::EditCustomer(_)
            | FormKind::LogInteraction(_)
            | FormKind::ChangeStatus(_) => self.submit_customer_form(store, form),
        }
    }
}
