//! Drafts: a form the user was typing when Rapport was closed by a signal
//! (lid closed, ssh dropped, `kill`) is saved next to the database, and
//! the next start offers to restore it. Nothing typed is lost.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::form::{Field, FieldId, FieldKind, Form, FormKind};
use super::input::TextInput;
use crate::storage::Store;

/// What is kept of a form: which form, for whom, and every field as it
/// was, typed values included, so any form comes back exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: FormKind,
    pub subject: String,
    pub fields: Vec<DraftField>,
    pub focus: usize,
}

/// One field of a kept form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftField {
    pub id: FieldId,
    pub label: String,
    pub required: bool,
    pub hint: Option<String>,
    pub value: String,
    /// The choices `(stored value, catalog key)` of a choice field.
    pub options: Option<Vec<(String, String)>>,
}

/// The draft file of a database.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".draft.json");
    PathBuf::from(p)
}

/// A label, hint or choice read back from a draft. The forms hold these as
/// `&'static str` (catalog keys and values); a restored draft's few short
/// strings are kept for the rest of the run.
fn keep(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl Draft {
    /// The draft of a form.
    pub fn of(form: &Form) -> Draft {
        let fields = form
            .fields
            .iter()
            .map(|f| DraftField {
                id: f.id,
                label: f.label.to_string(),
                required: f.required,
                hint: f.hint.map(str::to_string),
                value: f.value().to_string(),
                options: match &f.kind {
                    FieldKind::Text(_) => None,
                    FieldKind::Choice { options, .. } => {
                        Some(options.iter().map(|(v, k)| (v.to_string(), k.to_string())).collect())
                    }
                },
            })
            .collect();
        Draft {
            kind: form.kind,
            subject: form.subject.clone(),
            fields,
            focus: form.focus,
        }
    }

    /// Rebuilds the form with the typed values; `None` when what it was
    /// about (a customer, a complaint) no longer exists.
    pub fn restore(&self, store: &Store) -> Option<Form> {
        use super::complaints::PaneForm as C;
        use super::qualification::PaneForm as Q;
        let customer = |id: i64| store.customer(id).is_ok();
        let exists = match self.kind {
            FormKind::NewCustomer | FormKind::Agenda(super::agenda::PaneForm::RegionCare) => true,
            FormKind::EditCustomer(id) | FormKind::LogInteraction(id) | FormKind::ChangeStatus(id) => customer(id),
            FormKind::Qualification(Q::Evidence(id, _) | Q::Decider(id)) => customer(id),
            FormKind::Complaint(C::Record(id)) => id.is_none_or(customer),
            FormKind::Complaint(C::Step(id, _)) => store.has_complaint(id).unwrap_or(false),
            FormKind::Agenda(super::agenda::PaneForm::FollowUp(id) | super::agenda::PaneForm::Event(id)) => {
                customer(id)
            }
            // Acting on one agenda item of that moment: kept as what it
            // records instead (see `App::draft`).
            FormKind::Agenda(_) => false,
            FormKind::Find(_) => true,
        };
        if !exists || self.fields.is_empty() {
            return None;
        }
        let fields = self
            .fields
            .iter()
            .map(|f| Field {
                id: f.id,
                label: keep(f.label.clone()),
                required: f.required,
                hint: f.hint.clone().map(keep),
                error: None,
                kind: match &f.options {
                    None => FieldKind::Text(TextInput::new(&f.value)),
                    Some(options) => {
                        let options: Vec<(&'static str, &'static str)> = options
                            .iter()
                            .map(|(v, k)| (keep(v.clone()), keep(k.clone())))
                            .collect();
                        let selected = options.iter().position(|(v, _)| *v == f.value).unwrap_or(0);
                        FieldKind::Choice { options, selected }
                    }
                },
            })
            .collect::<Vec<_>>();
        Some(Form {
            kind: self.kind,
            focus: self.focus.min(fields.len() - 1),
            fields,
            dirty: true,
            subject: self.subject.clone(),
        })
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
    use crate::domain::customer::Customer;

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
        let draft = Draft::of(&form);
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
        let restored = back.restore(&store).unwrap();
        assert_eq!(restored.fields[0].value(), "张伟");
        assert_eq!(restored.fields[1].value(), "北京华联");
        assert_eq!(restored.focus, 1);
        assert!(Draft::load(&db).is_none());
    }
}
