//! Drafts: a form the user was typing when Rapport was closed by a signal
//! (lid closed, ssh dropped, `kill`) is saved next to the database, and
//! the next start offers to restore it. Nothing typed is lost.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::form::{FieldKind, Form, FormKind};
use crate::domain::customer::Customer;
use crate::storage::Store;

/// What is kept of a form: which form, for whom, and the values typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: String,
    pub customer_id: Option<i64>,
    pub values: Vec<String>,
    pub focus: usize,
}

/// The draft file of a database.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".draft.json");
    PathBuf::from(p)
}

impl Draft {
    /// The draft of a form, for the forms that can be rebuilt on restore.
    pub fn of(form: &Form) -> Option<Draft> {
        let (kind, customer_id) = match form.kind {
            FormKind::NewCustomer => ("new_customer", None),
            FormKind::EditCustomer(id) => ("edit_customer", Some(id)),
            FormKind::LogInteraction(id) => ("log_interaction", Some(id)),
            FormKind::ChangeStatus(id) => ("change_status", Some(id)),
            _ => return None,
        };
        let values = form.fields.iter().map(|f| f.value().to_string()).collect();
        Some(Draft {
            kind: kind.into(),
            customer_id,
            values,
            focus: form.focus,
        })
    }

    /// Rebuilds the form with the typed values; `None` when the customer
    /// it was about no longer exists.
    pub fn restore(&self, store: &Store, now: chrono::NaiveDateTime) -> Option<Form> {
        let customer = |id: Option<i64>| store.customer(id?).ok();
        let mut form = match self.kind.as_str() {
            "new_customer" => Form::customer(FormKind::NewCustomer, &Customer::new("", now)),
            "edit_customer" => {
                let c = customer(self.customer_id)?;
                Form::customer(FormKind::EditCustomer(c.id), &c)
            }
            "log_interaction" => {
                let c = customer(self.customer_id)?;
                Form::interaction(c.id, &c.name, now)
            }
            "change_status" => {
                let c = customer(self.customer_id)?;
                Form::status(c.id, &c.name, c.status)
            }
            _ => return None,
        };
        for (field, value) in form.fields.iter_mut().zip(&self.values) {
            match &mut field.kind {
                FieldKind::Text(t) => *t = super::input::TextInput::new(value),
                FieldKind::Choice { options, selected } => {
                    if let Some(p) = options.iter().position(|(v, _)| v == value) {
                        *selected = p;
                    }
                }
            }
        }
        form.focus = self.focus.min(form.fields.len().saturating_sub(1));
        form.dirty = true;
        Some(form)
    }

    /// Writes the draft (mode 0600) atomically.
    pub fn save(&self, db: &Path) -> std::io::Result<()> {
        let path = path_for(db);
        let tmp = path.with_extension("json.tmp");
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        {
            use std::io::Write;
            let mut f = opts.open(&tmp)?;
            f.write_all(serde_json::to_string(self).unwrap_or_default().as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(tmp, path)
    }

    /// Reads the draft of a database, if there is one. It stays on disk
    /// until the user has decided (`discard`).
    pub fn load(db: &Path) -> Option<Draft> {
        let text = std::fs::read_to_string(path_for(db)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Removes the draft file once restored or declined.
    pub fn discard(db: &Path) {
        let _ = std::fs::remove_file(path_for(db));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let store = Store::open(&db).unwrap();
        let now = chrono::NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap();
        let mut form = Form::customer(FormKind::NewCustomer, &Customer::new("", now));
        form.paste("张伟");
        form.next();
        form.paste("北京华联");
        let draft = Draft::of(&form).unwrap();
        draft.save(&db).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(path_for(&db)).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let back = Draft::load(&db).unwrap();
        Draft::discard(&db);
        assert!(!path_for(&db).exists());
        let restored = back.restore(&store, now).unwrap();
        assert_eq!(restored.fields[0].value(), "张伟");
        assert_eq!(restored.fields[1].value(), "北京华联");
        assert_eq!(restored.focus, 1);
        assert!(Draft::load(&db).is_none());
    }
}
