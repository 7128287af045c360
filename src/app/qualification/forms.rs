//! The checklist's forms (a criterion's answer and evidence; who decides)
//! and its questions (marking non-customer; a status change the verdict
//! argues against).

pub use crate::app::form::kinds::QualForm as PaneForm;
use crate::app::form::{Field, FieldId, Form, FormKind};
use crate::app::{Action, App, Change, Confirm, Level, Overlay};
use crate::domain::customer::Status;
use crate::domain::qualification::{
    Answer, Conflict, Criterion, Decider, MAX_EVIDENCE, evidence_note, match_colleague, status_conflict, verdict,
};
use crate::domain::validate::{self, FieldError};
use crate::i18n::{Lang, t, tf};
use crate::storage::Store;

/// Questions this pane asks.
#[derive(Debug, Clone, PartialEq)]
pub enum QualConfirm {
    /// "m a n": mark the customer non-customer?
    MarkNonCustomer { id: i64 },
    /// A status change the verdict argues against; the form comes back on
    /// "no", nothing lost.
    Status {
        form: Form,
        id: i64,
        to: Status,
        conflict: Conflict,
    },
}

impl QualConfirm {
    /// Catalog key of the question.
    pub fn key(&self) -> &'static str {
        match self {
            QualConfirm::MarkNonCustomer { .. } => "qual.confirm.mark",
            QualConfirm::Status { conflict, .. } => conflict.key(),
        }
    }
}

const ANSWERS: [(&str, &str); 3] = [
    ("yes", "man.answer.yes"),
    ("no", "man.answer.no"),
    ("unknown", "man.answer.unknown"),
];

/// The answer-and-evidence form of criterion `c` of the open checklist.
pub(super) fn open_evidence(app: &mut App, c: Criterion) {
    let Some(list) = &app.qual.checklist else { return };
    let e = list.record.evidence(c);
    let form = Form {
        base: Vec::new(),
        kind: FormKind::Qualification(PaneForm::Evidence(list.customer.id, c)),
        fields: vec![
            Field::choice(FieldId::Kind, "qual.field.answer", ANSWERS.to_vec(), e.answer.as_str()),
            Field::text(FieldId::Note, "qual.field.evidence", &e.note)
                .hint("qual.hint.evidence")
                .multiline(),
        ],
        focus: 0,
        dirty: false,
        subject: list.customer.name.clone(),
    }
    .started();
    app.overlay = Some(Overlay::Form(form));
}

/// The decider form of the open checklist.
pub(super) fn open_decider(app: &mut App, store: &Store) {
    let Some(list) = &app.qual.checklist else { return };
    let d = &list.record.decider;
    let mut form = Form {
        base: Vec::new(),
        kind: FormKind::Qualification(PaneForm::Decider(list.customer.id)),
        fields: decider_fields(d, !list.customer.company.trim().is_empty()),
        focus: 0,
        dirty: false,
        subject: list.customer.name.clone(),
    }
    .started();
    // Nobody named yet: the account's decision maker is offered (a change
    // to the record, saved only with the form).
    if d.is_empty()
        && let Ok(Some(company)) = store.company_id_of(list.customer.id)
        && let Ok(people) = store.members(company)
        && let Some(m) = crate::domain::account::decision_makers(&people)
            .into_iter()
            .find(|m| m.id != list.customer.id)
    {
        form.set_value(FieldId::Name, &m.name);
        form.set_value(FieldId::Role, &m.title);
    }
    app.overlay = Some(Overlay::Form(form));
}

/// Who decides: one of the company's people (by name, or "name 1234"),
/// or a new name, who is added at the company as its decision maker when
/// the rep says so (a customer without a company can only note a name).
fn decider_fields(d: &Decider, at_company: bool) -> Vec<Field> {
    let mut fields = vec![
        Field::text(FieldId::Name, "field.name", &d.name).hint(if at_company {
            "qual.hint.decider_pick"
        } else {
            "qual.hint.decider"
        }),
        Field::text(FieldId::Role, "field.role", &d.role),
    ];
    if at_company {
        fields.push(Field::choice(
            FieldId::NewPerson,
            "qual.field.new_person",
            vec![("add", "qual.new_person.add"), ("note", "qual.new_person.note")],
            "add",
        ));
    }
    fields
}

fn too_long(lang: Lang, e: &FieldError) -> String {
    match e {
        FieldError::TooLong { max } => tf(lang, e.key(), &[("max", max)]),
        other => t(lang, other.key()).to_string(),
    }
}

/// Saves one of this pane's forms. A mistake keeps the draft with the
/// message next to its field; a storage error keeps it too.
pub fn submit(app: &mut App, store: &mut Store, mut form: Form, kind: PaneForm) {
    for f in &mut form.fields {
        f.error = None;
    }
    let now = app.now;
    // Changed elsewhere since the form opened: merged, or asked about.
    let theirs = match kind {
        PaneForm::Evidence(id, c) => store.qualification(id).map(|q| {
            let e = q.evidence(c);
            vec![
                (FieldId::Kind, e.answer.as_str().to_string()),
                (FieldId::Note, e.note.clone()),
            ]
        }),
        PaneForm::Decider(id) => store.qualification(id).map(|q| {
            vec![
                (FieldId::Name, q.decider.name.clone()),
                (FieldId::Role, q.decider.role.clone()),
            ]
        }),
    };
    // What is saved now, to merge with (a read that fails is said and the
    // form stays: nothing is saved over what could not be read).
    let theirs = match theirs {
        Ok(t) => t,
        Err(e) => {
            app.error(&e);
            app.overlay = Some(Overlay::Form(form));
            return;
        }
    };
    if app.merge_into_form(&mut form, theirs).is_none() {
        return;
    }
    let (id, saved) = match kind {
        PaneForm::Evidence(id, c) => {
            let answer = Answer::parse(form.get(FieldId::Kind)).unwrap_or_default();
            match evidence_note(form.get(FieldId::Note)) {
                Ok(note) => (id, store.set_criterion(id, c, answer, &note, now)),
                Err(e) => {
                    debug_assert_eq!(e, FieldError::TooLong { max: MAX_EVIDENCE });
                    form.set_error(FieldId::Note, too_long(app.lang, &e));
                    return keep_draft(app, form);
                }
            }
        }
        PaneForm::Decider(id) => {
            let name = validate::limit(form.get(FieldId::Name), validate::MAX_NAME);
            let role = validate::limit(form.get(FieldId::Role), validate::MAX_FIELD);
            let (name, role) = match (name, role) {
                (Ok(n), Ok(r)) => (n, r),
                (n, r) => {
                    if let Err(e) = n {
                        form.set_error(FieldId::Name, too_long(app.lang, &e));
                    }
                    if let Err(e) = r {
                        form.set_error(FieldId::Role, too_long(app.lang, &e));
                    }
                    return keep_draft(app, form);
                }
            };
            let colleagues = match &app.qual.checklist {
                Some(list) if list.customer.id == id => list.colleagues.clone(),
                _ => match store.colleagues(id) {
                    Ok(c) => c,
                    Err(e) => {
                        app.error(&e);
                        app.overlay = Some(Overlay::Form(form));
                        return;
                    }
                },
            };
            // Namesakes among the colleagues are told apart by the last
            // digits of their phone: "张伟 8000".
            let (name, last4) = match name.rsplit_once(' ') {
                Some((n, d)) if d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()) => {
                    (n.trim().to_string(), Some(d))
                }
                _ => (name.clone(), None),
            };
            let named = |name: &str, last4: Option<&str>| -> Vec<&crate::storage::Colleague> {
                colleagues
                    .iter()
                    .filter(|c| c.name.trim().to_lowercase() == name.trim().to_lowercase())
                    .filter(|c| last4.is_none_or(|d| crate::domain::phone::last_four(&c.phone).as_deref() == Some(d)))
                    .collect()
            };
            let mut same = named(&name, last4);
            // Digits that are no colleague's: part of the name as typed.
            let name = if same.is_empty() && last4.is_some() {
                let typed = form.get(FieldId::Name).trim().to_string();
                same = named(&typed, None);
                typed
            } else {
                name
            };
            if same.len() > 1 {
                let who: Vec<String> = same
                    .iter()
                    .map(|c| crate::domain::text::person_label(&c.name, "", "", &c.phone))
                    .collect();
                form.set_error(
                    FieldId::Name,
                    crate::i18n::tf(app.lang, "qual.error.which_colleague", &[("who", &who.join(", "))]),
                );
                return keep_draft(app, form);
            }
            let pairs: Vec<(i64, String)> = same.iter().map(|c| (c.id, c.name.clone())).collect();
            let customer_id = match_colleague(&name, &pairs);
            // A colleague named without a role takes the role on record.
            let role = match colleagues.iter().find(|c| Some(c.id) == customer_id) {
                Some(c) if role.is_empty() => c.role.clone(),
                _ => role,
            };
            let add = customer_id.is_none() && !name.trim().is_empty() && form.get(FieldId::NewPerson) == "add";
            if add && let Err(e) = validate::name(&name) {
                form.set_error(FieldId::Name, t(app.lang, e.key()).to_string());
                return keep_draft(app, form);
            }
            let d = Decider {
                customer_id,
                name,
                role,
            };
            if add {
                // Someone new: added at the company as its decision maker,
                // and linked, in one transaction.
                match store.set_new_decider(id, d, now) {
                    Ok((new, saved)) => {
                        app.announce(store, Change::Customer(new));
                        (id, Ok(saved))
                    }
                    Err(e) => (id, Err(e)),
                }
            } else {
                (id, store.set_decider(id, d, now))
            }
        }
    };
    match saved {
        Ok(Some((record, change))) => super::after_edit(app, store, id, &record, &change),
        Ok(None) => app.info("qual.msg.unchanged"),
        Err(e) => {
            app.error(&e);
            app.overlay = Some(Overlay::Form(form));
        }
    }
}

fn keep_draft(app: &mut App, mut form: Form) {
    form.focus_first_error();
    app.message = Some((t(app.lang, "msg.fix_fields").to_string(), Level::Error));
    app.overlay = Some(Overlay::Form(form));
}

/// Called before a status change is saved (the status form or the edit
/// form). Returns `None` when the change waits for the user: the verdict
/// argues against it and a question is open (the form comes back on "no").
/// Otherwise returns what the status history adds to the reason: nothing,
/// or, once confirmed, that it was confirmed against the verdict.
pub fn status_guard(app: &mut App, store: &Store, id: i64, to: Status, form: &Form) -> Option<String> {
    let confirmed = app.qual.confirmed.take();
    // A read that fails is said and the form stays: the verdict cannot be
    // checked, so nothing is saved yet.
    let read = store.customer(id).and_then(|c| Ok((c, store.qualification(id)?)));
    let (customer, record) = match read {
        Ok(r) => r,
        Err(e) => {
            app.error(&e);
            app.overlay = Some(Overlay::Form(form.clone()));
            return None;
        }
    };
    let v = verdict(&record.man()).verdict;
    let Some(conflict) = status_conflict(v, customer.status, to) else {
        return Some(String::new());
    };
    if confirmed == Some((id, to)) {
        let note = tf(app.lang, conflict.history_key(), &[("verdict", &t(app.lang, v.key()))]);
        return Some(crate::i18n::paren(app.lang, &note));
    }
    app.overlay = Some(Overlay::Confirm(Confirm::Qual(QualConfirm::Status {
        form: form.clone(),
        id,
        to,
        conflict,
    })));
    None
}

/// The answer to one of this pane's questions.
pub fn confirm(app: &mut App, store: &mut Store, c: QualConfirm, action: Action) {
    match (c, action) {
        (QualConfirm::Status { form, id, to, .. }, Action::Yes) => {
            // Save the same form again, this time past the guard.
            app.qual.confirmed = Some((id, to));
            app.overlay = Some(Overlay::Form(form));
            app.update(Action::Submit, store, app.now);
            app.qual.confirmed = None;
        }
        (QualConfirm::Status { form, .. }, _) => {
            app.overlay = Some(Overlay::Form(form));
            app.info("qual.msg.status_kept");
        }
        (QualConfirm::MarkNonCustomer { id }, Action::Yes) => {
            let reason = t(app.lang, "qual.reason.man");
            match store.change_status(id, Status::NonCustomer, reason, app.now) {
                Ok(()) => {
                    app.announce(store, Change::Customer(id));
                    app.info("qual.msg.marked");
                }
                Err(e) => app.error(&e),
            }
        }
        (QualConfirm::MarkNonCustomer { .. }, _) => app.info("qual.msg.not_marked"),
    }
}
