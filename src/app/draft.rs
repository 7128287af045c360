//! Drafts: a form the user was typing when Rapport was closed by a signal
//! (lid closed, ssh dropped, `kill`) is saved next to the database, and
//! the next start offers to restore it. Nothing typed is lost.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::form::{DateEntry, Field, FieldId, FieldKind, Form, FormKind};
use super::input::TextInput;
use crate::storage::{StorageError, Store};

/// What is kept of a form: which form, for whom, and every field as it
/// was, typed values included, so any form comes back exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: FormKind,
    pub subject: String,
    pub fields: Vec<DraftField>,
    pub focus: usize,
    /// The values an edit form started from (see `Form::base`).
    #[serde(default)]
    pub base: Vec<(FieldId, String)>,
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
    /// A multi-line text field (drafts written before it: one line).
    #[serde(default)]
    pub multiline: bool,
    /// A date entry field (drafts written before it: plain text).
    #[serde(default)]
    pub date: Option<DateEntry>,
}

/// The first draft file of a database; when it is taken (another
/// Rapport on the same book was closed at the same time), the next is
/// `<db>.draft-2.json`, and so on: no draft overwrites another.
pub fn path_for(db: &Path) -> PathBuf {
    numbered(db, 1)
}

fn numbered(db: &Path, n: usize) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    if n == 1 {
        p.push(".draft.json");
    } else {
        p.push(format!(".draft-{n}.json"));
    }
    PathBuf::from(p)
}

/// Every draft file of a database, oldest name first.
pub fn files(db: &Path) -> Vec<PathBuf> {
    let Some(name) = db.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let f = e.file_name().into_string().ok()?;
            let rest = f.strip_prefix(&name)?;
            let n = match rest {
                ".draft.json" => 1,
                r => r.strip_prefix(".draft-")?.strip_suffix(".json")?.parse().ok()?,
            };
            Some((n, db.with_file_name(f)))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Why a draft file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

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
                multiline: f.multiline,
                date: f.date,
            })
            .collect();
        Draft {
            kind: form.kind,
            subject: form.subject.clone(),
            fields,
            focus: form.focus,
            base: form.base.clone(),
        }
    }

    /// Rebuilds the form with the typed values; `Ok(None)` when what it
    /// was about (a customer, a complaint) no longer exists; `Err` when the
    /// draft cannot make a form (a file damaged or edited by hand).
    pub fn restore(&self, store: &Store) -> Result<Option<Form>, Malformed> {
        use super::complaints::PaneForm as C;
        use super::qualification::PaneForm as Q;
        // Only "not there" drops a draft: a read that fails keeps it (the
        // form comes back; saving says what is wrong).
        let customer = |id: i64| !matches!(store.customer(id), Err(StorageError::NoSuchCustomer(_)));
        let exists = match self.kind {
            FormKind::NewCustomer | FormKind::Agenda(super::agenda::PaneForm::RegionCare) => true,
            FormKind::EditCustomer(id) | FormKind::LogInteraction(id) | FormKind::ChangeStatus(id) => customer(id),
            FormKind::Qualification(Q::Evidence(id, _) | Q::Decider(id)) => customer(id),
            FormKind::Complaint(C::Record(id)) => id.is_none_or(customer),
            FormKind::Complaint(C::Step(id, _) | C::Edit(id)) => store.has_complaint(id).unwrap_or(true),
            FormKind::Agenda(super::agenda::PaneForm::FollowUp(id) | super::agenda::PaneForm::Event(id)) => {
                customer(id)
            }
            // Acting on one agenda item of that moment: kept as what it
            // records instead (see `App::draft`).
            FormKind::Agenda(_) => false,
            FormKind::Value(super::insights::PaneForm::Add(id)) => customer(id),
            FormKind::Value(super::insights::PaneForm::Edit(id)) => {
                !matches!(store.purchase(id), Err(StorageError::NoSuchPurchase(_)))
            }
            FormKind::Find(_) => true,
            FormKind::Account(super::form::kinds::AccountForm::Company(id)) => {
                store.company(id).map_or(true, |c| c.is_some())
            }
            FormKind::Account(
                super::form::kinds::AccountForm::Roles(id) | super::form::kinds::AccountForm::Leave(id),
            ) => customer(id),
        };
        self.check()?;
        if !exists {
            return Ok(None);
        }
        let fields = self
            .fields
            .iter()
            .map(|f| Field {
                // Complaint fields kept before they had ids of their own.
                id: match self.kind {
                    FormKind::Complaint(_) => super::form::kinds::complaint_field_of_label(&f.label).unwrap_or(f.id),
                    _ => f.id,
                },
                label: keep(f.label.clone()),
                required: f.required,
                multiline: f.multiline,
                hint: f.hint.clone().map(keep),
                error: None,
                note: None,
                date: f.date,
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
        Ok(Some(Form {
            base: self.base.clone(),
            kind: self.kind,
            focus: self.focus.min(fields.len() - 1),
            fields,
            dirty: true,
            subject: self.subject.clone(),
        }))
    }

    /// Whether the draft can make a form: fields, each choice with options
    /// and its value among them.
    fn check(&self) -> Result<(), Malformed> {
        if self.fields.is_empty() {
            return Err(Malformed("no fields".into()));
        }
        for f in &self.fields {
            if let Some(options) = &f.options {
                if options.is_empty() {
                    return Err(Malformed(format!("the choice {:?} has no options", f.id)));
                }
                if !options.iter().any(|(v, _)| *v == f.value) {
                    return Err(Malformed(format!("{:?} is not a choice of {:?}", f.value, f.id)));
                }
            }
        }
        Ok(())
    }

    /// Writes the draft (mode 0600) atomically under the first free draft
    /// name of `db`, never over another draft; returns where.
    pub fn save(&self, db: &Path) -> std::io::Result<PathBuf> {
        let json = serde_json::to_string(self).map_err(std::io::Error::other)?;
        let mut tmp = db.as_os_str().to_owned();
        tmp.push(format!(".draft.{}.part", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let _ = std::fs::remove_file(&tmp);
        let result = (|| {
            use std::io::Write;
            let mut f = crate::io::file::create_private(&tmp)?;
            f.write_all(json.as_bytes())?;
            f.sync_all()?;
            for n in 1..1000 {
                let path = numbered(db, n);
                // A link fails when the name is taken: no draft is replaced.
                match std::fs::hard_link(&tmp, &path) {
                    Ok(()) => return Ok(path),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(e),
                }
            }
            Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "too many drafts",
            ))
        })();
        let _ = std::fs::remove_file(&tmp);
        result
    }

    /// Reads a draft file.
    pub fn load(path: &Path) -> Result<Draft, Malformed> {
        let text = std::fs::read_to_string(path).map_err(|e| Malformed(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| Malformed(e.to_string()))
    }

    /// Removes every draft of the database at `db`.
    pub fn discard(db: &Path) {
        for p in files(db) {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Moves a draft that cannot be used out of the way (kept, not
    /// deleted: what was typed may still be read in it); returns where.
    pub fn set_aside(path: &Path) -> PathBuf {
        let at = chrono::Utc::now().format("%Y%m%d-%H%M%SZ");
        let mut to = path.as_os_str().to_owned();
        to.push(format!(".unreadable-{at}"));
        let to = PathBuf::from(to);
        match std::fs::rename(path, &to) {
            Ok(()) => to,
            Err(_) => path.to_path_buf(),
        }
    }
}

impl super::App {
    /// Offers the next draft kept when Rapport (or several Rapports on this
    /// book) was last closed by a signal. One that cannot be read is set
    /// aside with a message; one about a record deleted since is dropped.
    pub fn offer_draft(&mut self, store: &Store) {
        use super::{Confirm, Level, Overlay};
        use crate::i18n::tf;
        self.more_drafts = false;
        for path in files(&self.db_path) {
            match Draft::load(&path).and_then(|d| d.restore(store)) {
                Ok(Some(form)) => {
                    self.overlay = Some(Overlay::Confirm(Confirm::RestoreDraft(form)));
                    self.draft_file = Some(path);
                    self.more_drafts = true;
                    return;
                }
                Ok(None) => {
                    let _ = std::fs::remove_file(&path);
                }
                Err(Malformed(why)) => {
                    let aside = Draft::set_aside(&path);
                    let msg = tf(
                        self.lang,
                        "safety.draft_unreadable",
                        &[("path", &aside.display()), ("why", &why)],
                    );
                    self.message = Some((msg, Level::Error));
                }
            }
        }
    }

    /// The offered draft was restored or declined: its file goes.
    pub(super) fn drop_offered_draft(&mut self) {
        if let Some(p) = self.draft_file.take() {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Saves the open form as a draft (on SIGTERM, SIGHUP, SIGINT);
    /// `Ok(None)` when no form is open.
    pub fn save_draft(&self) -> std::io::Result<Option<PathBuf>> {
        self.draft().map(|d| d.save(&self.db_path)).transpose()
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
        assert_eq!(draft.save(&db).unwrap(), path_for(&db));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(path_for(&db)).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let back = Draft::load(&path_for(&db)).unwrap();
        let restored = back.restore(&store).unwrap().unwrap();
        assert_eq!(restored.fields[0].value(), "张伟");
        assert_eq!(restored.fields[1].value(), "北京华联");
        assert_eq!(restored.focus, 1);
        // A second draft of the same book does not replace the first.
        let second = draft.save(&db).unwrap();
        assert_eq!(second, db.with_file_name("t.db.draft-2.json"));
        assert_eq!(files(&db), vec![path_for(&db), second]);
    }

    #[test]
    fn a_malformed_draft_is_refused_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let store = Store::open(&db).unwrap();
        let now = chrono::NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap();
        let form = Form::customer(FormKind::NewCustomer, &Customer::new("x", now));
        let mut draft = Draft::of(&form);
        let choice = draft.fields.iter_mut().find(|f| f.options.is_some()).unwrap();
        choice.options = Some(Vec::new());
        assert!(draft.restore(&store).is_err());
        let mut draft = Draft::of(&form);
        let choice = draft.fields.iter_mut().find(|f| f.options.is_some()).unwrap();
        choice.value = "no such choice".into();
        assert!(draft.restore(&store).is_err());
    }
}
