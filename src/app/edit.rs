//! Saving an edit form when the record may have changed elsewhere since
//! the form opened (another Rapport on the same book, an import that
//! merged into it). The form carries the values it started from; a save
//! merges field by field (`domain::merge`): what only this form changed
//! is written, what only the other side changed is kept, and a field both
//! changed differently is shown with both values for the user to decide.

use super::form::{FieldId, FieldKind, Form};
use super::{App, Level, Overlay};
use crate::domain::merge;
use crate::i18n::{t, tf};
use crate::storage::{StorageError, Store};

impl Form {
    /// Every field's value (the status reason, which is not part of the
    /// record, aside).
    pub fn values(&self) -> Vec<(FieldId, String)> {
        self.fields
            .iter()
            .filter(|f| f.id != FieldId::Reason)
            .map(|f| (f.id, f.value().to_string()))
            .collect()
    }

    /// Marks the current values as what the form started from.
    pub fn started(mut self) -> Form {
        self.base = self.values();
        self
    }

    /// Sets a field's value (a choice to the option with that value).
    pub fn set_value(&mut self, id: FieldId, value: &str) {
        let Some(f) = self.fields.iter_mut().find(|f| f.id == id) else {
            return;
        };
        match &mut f.kind {
            FieldKind::Text(input) => {
                if input.text() != value {
                    *input = super::input::TextInput::new(value);
                }
            }
            FieldKind::Choice { options, selected } => {
                if let Some(i) = options.iter().position(|(v, _)| *v == value) {
                    *selected = i;
                }
            }
        }
    }

    /// A value as the user reads it (a choice by its label).
    fn shown(&self, lang: crate::i18n::Lang, id: FieldId, value: &str) -> String {
        match self.fields.iter().find(|f| f.id == id).map(|f| &f.kind) {
            Some(FieldKind::Choice { options, .. }) => options
                .iter()
                .find(|(v, _)| *v == value)
                .map(|(_, k)| t(lang, k).to_string())
                .unwrap_or_else(|| value.to_string()),
            _ => value.to_string(),
        }
    }
}

/// What became of a save.
pub(super) enum Edit {
    /// Written (or nothing of this form's to write).
    Saved,
    /// The form is back on screen (a mistake, a conflict, a question).
    Back,
}

impl App {
    /// Saves the customer edit form, merged with what changed elsewhere.
    pub(super) fn save_customer_edit(
        &mut self,
        store: &mut Store,
        form: &mut Form,
        id: i64,
    ) -> Result<Edit, StorageError> {
        for _ in 0..5 {
            let theirs = store.customer(id)?;
            let base = form.base.clone();
            let Some(m) = self.merge_into_form(form, Form::customer(form.kind, &theirs).values()) else {
                return Ok(Edit::Back);
            };
            let Some(c) = form.to_customer(self.lang, &theirs, self.today()) else {
                return Ok(self.back(form, "msg.fix_fields"));
            };
            if c.status != theirs.status && form.get(FieldId::Reason).trim().is_empty() {
                form.set_error(FieldId::Reason, t(self.lang, "error.status_reason").to_string());
                return Ok(self.back(form, "msg.fix_fields"));
            }
            if !m.changed && c == theirs {
                return Ok(Edit::Saved);
            }
            // Looks like another customer (same phone, or name and
            // company): asked first.
            if super::find::look_alike_asked(self, store, &c, form) {
                return Ok(Edit::Back);
            }
            // A status the MAN verdict argues against is confirmed first.
            let Some(note) = super::qualification::status_guard(self, store, id, c.status, form) else {
                return Ok(Edit::Back);
            };
            let why = form.get(FieldId::Reason).trim();
            let reason = if why.is_empty() {
                crate::domain::app_note::AppNote::Edited(note).encode()
            } else {
                format!("{why}{note}")
            };
            if store.update_customer_if(&c, &theirs, self.now, &reason)? {
                return Ok(Edit::Saved);
            }
            // Changed again between reading and writing: merge once more.
            form.base = base;
        }
        Err(StorageError::Busy)
    }

    /// Merges the open edit form with the record's values now (`theirs`):
    /// fields changed only elsewhere are put into the form; when a field
    /// was changed both here and elsewhere, both values are shown, the form
    /// is put back on screen to ask, and `None` is returned. Saving again
    /// keeps what the form shows.
    pub(super) fn merge_into_form(
        &mut self,
        form: &mut Form,
        theirs: Vec<(FieldId, String)>,
    ) -> Option<merge::Merged<FieldId, String>> {
        let base = if form.base.is_empty() {
            theirs.clone()
        } else {
            form.base.clone()
        };
        let m = merge::fields(&base, &form.values(), &theirs);
        for (k, v) in &m.fields {
            if !m.conflicts.iter().any(|(c, _)| c == k) {
                form.set_value(*k, v);
            }
        }
        if m.conflicts.is_empty() {
            return Some(m);
        }
        for f in &mut form.fields {
            f.error = None;
        }
        for (k, c) in &m.conflicts {
            let msg = tf(
                self.lang,
                "safety.conflict_field",
                &[("theirs", &form.shown(self.lang, *k, &c.theirs))],
            );
            form.set_error(*k, msg);
        }
        form.base = theirs;
        form.focus_first_error();
        self.message = Some((
            tf(self.lang, "safety.conflict", &[("n", &m.conflicts.len())]),
            Level::Error,
        ));
        self.overlay = Some(Overlay::Form(form.clone()));
        None
    }

    fn back(&mut self, form: &mut Form, key: &str) -> Edit {
        form.focus_first_error();
        self.message = Some((t(self.lang, key).to_string(), Level::Error));
        self.overlay = Some(Overlay::Form(form.clone()));
        Edit::Back
    }
}
