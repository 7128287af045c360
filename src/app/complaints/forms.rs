//! The complaint forms: record a complaint with every field of DOMAIN §5,
//! and one form per kind of step (a note, a skip reason, the verdict, the
//! promise, the follow-up, waiting and resuming), each stamped with a time
//! that defaults to now. A refusal is shown next to its field in the user's
//! language and the draft stays.

use chrono::{NaiveDateTime, NaiveTime};

use super::fields::*;

use super::{App, Cmd, Complaint, ComplaintRow, now_utc};
pub use crate::app::form::kinds::ComplaintForm as PaneForm;
pub use crate::app::form::kinds::StepForm;
use crate::app::form::{DateEntry, Field, FieldId, Form, FormKind, options as form_options};
use crate::app::{Confirm, Level, Overlay};
use crate::domain::complaint::record::Details;
use crate::domain::complaint::when::{SHOWN, parse_when};
use crate::domain::complaint::{Category, ComplaintError, Event, State, Step, Temperament};
use crate::domain::validate;
use crate::i18n::{t, tf};
use crate::search::{normalize_query, rank_keys};
use crate::storage::{StorageError, Store};

fn at_field(now: NaiveDateTime) -> Field {
    hinted(
        required(text(AT, &now.format(SHOWN).to_string())),
        "complaints.hint.when",
    )
    .date_entry(DateEntry::When)
}

/// Opens the record form for the selected customer (typed over to pick
/// another).
pub fn open_record(app: &mut App, store: &Store) {
    // A selected customer that cannot be read: said, and the form opens
    // without them (the customer can be typed).
    let preset = match app.selected_id.map(|id| store.customer(id)) {
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            app.error(&e);
            None
        }
        None => None,
    };
    let name = preset.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let reach = preset
        .as_ref()
        .and_then(|c| c.phones.first().cloned())
        .unwrap_or_default();
    let details = Details {
        complainant: name.clone(),
        reach,
        ..Details::default()
    };
    let mut fields = vec![
        hinted(required(text(CUSTOMER, &name)), "complaints.hint.customer"),
        required(text(COMPLAINANT, "")),
        hinted(
            required(text(RECEIVED, &app.now.format(SHOWN).to_string())),
            "complaints.hint.when",
        )
        .date_entry(DateEntry::When),
    ];
    // Who the form is for, told apart from namesakes.
    if let (Some(c), Some(f)) = (&preset, fields.first_mut()) {
        f.note = Some(label(c));
    }
    fields.extend(record_fields(&details, Category::Quality, Temperament::Emotional));
    // The form's order: customer, complainant, about, content, received…
    let complainant = fields.remove(3);
    fields[1] = complainant;
    let received = fields.remove(2);
    fields.insert(4, received);
    app.overlay = Some(Overlay::Form(Form {
        base: Vec::new(),
        kind: FormKind::Complaint(PaneForm::Record(preset.map(|c| c.id))),
        fields,
        focus: if name.is_empty() { 0 } else { 3 },
        dirty: false,
        subject: String::new(),
    }));
}

/// Opens the form `cmd` asks for on complaint `c`, or says why not.
pub fn open_step(app: &mut App, row: &ComplaintRow, c: &Complaint, cmd: Cmd) {
    use StepForm as F;
    let kind = match (cmd, c.state) {
        // The record stays editable, closed or not.
        (Cmd::Edit, _) => return super::edit::open(app, row, c),
        (_, State::ClosedResolved { .. } | State::ClosedNotValid) => return app.info("complaint.error.closed"),
        (Cmd::NextStep | Cmd::WaitResume, State::Waiting { .. }) => F::Resume,
        (_, State::Waiting { .. }) => return app.info("complaint.error.paused"),
        (Cmd::NextStep, State::Open(step)) => match step {
            Step::Judge => F::Judge,
            Step::FollowUp => F::FollowUp,
            Step::Execute if c.promised_due.is_none() => F::Promise,
            other => F::Complete(other),
        },
        (Cmd::Skip, State::Open(Step::FollowUp)) => return app.info("complaint.error.cannot_skip"),
        (Cmd::Skip, State::Open(step)) => F::Skip(step),
        (Cmd::Promise, State::Open(Step::Agree | Step::Execute)) => F::Promise,
        (Cmd::Promise, State::Open(_)) => return app.info("complaint.error.promise_not_now"),
        (Cmd::WaitResume, State::Open(_)) => F::Wait,
        _ => return,
    };
    let now = app.now;
    let zone = app.complaints.zone;
    let options = |pairs: &[(&'static str, &'static str)]| pairs.to_vec();
    let fields = match kind {
        F::Complete(Step::Agree) => vec![text(SOLUTION, ""), at_field(now)],
        F::Complete(Step::Execute) => vec![text(DONE, ""), at_field(now)],
        F::Complete(_) => vec![text(NOTE, ""), at_field(now)],
        F::Judge => vec![
            choice(VERDICT, form_options(&Verdict::ALL, Verdict::as_str, Verdict::key)),
            hinted(text(EXPLANATION, ""), "complaints.hint.explanation"),
            at_field(now),
        ],
        F::Promise => {
            let due = c.promised_due.map(|d| zone.to_local(d).format(SHOWN).to_string());
            vec![
                text(ACTION, ""),
                hinted(required(text(DUE, due.as_deref().unwrap_or(""))), "complaints.hint.due")
                    .date_entry(DateEntry::Due),
                at_field(now),
            ]
        }
        F::FollowUp => vec![
            choice(OUTCOME, form_options(&Outcome::ALL, Outcome::as_str, Outcome::key)),
            choice(
                SATISFACTION,
                options(&[
                    // Lowest first, so → raises the score.
                    ("", "complaints.satisfaction.none"),
                    ("1", "complaints.satisfaction.1"),
                    ("2", "complaints.satisfaction.2"),
                    ("3", "complaints.satisfaction.3"),
                    ("4", "complaints.satisfaction.4"),
                    ("5", "complaints.satisfaction.5"),
                ]),
            ),
            text(NOTE, ""),
            at_field(now),
        ],
        F::Skip(_) | F::Wait => vec![required(text(REASON, "")), at_field(now)],
        F::Resume => vec![text(NOTE, ""), at_field(now)],
    };
    app.overlay = Some(Overlay::Form(Form {
        base: Vec::new(),
        kind: FormKind::Complaint(PaneForm::Step(c.id, kind)),
        fields,
        focus: 0,
        dirty: false,
        subject: format!("#{} {}", c.id, row.customer),
    }));
}

/// A complaint written, with what to tell the user.
pub(super) type Saved = Option<(Complaint, String)>;

/// Saves one of this pane's forms; on a refusal the form comes back with
/// the message next to the field.
pub fn submit(app: &mut App, store: &mut Store, mut form: Form, kind: PaneForm) {
    for f in &mut form.fields {
        f.error = None;
    }
    let out = match kind {
        PaneForm::Record(preset) => save_record(app, store, &mut form, preset),
        PaneForm::Step(id, step) => save_step(app, store, &mut form, id, step),
        PaneForm::Edit(id) => super::edit::save(app, store, &mut form, id),
    };
    match out {
        Ok(Some((complaint, message))) => super::written(app, store, &complaint, message),
        // A question was asked instead, or the form is already back with
        // what it asks (a conflict).
        Ok(None) if app.overlay.is_some() => {}
        Ok(None) => {
            form.focus_first_error();
            if form.has_errors() || app.message.is_none() {
                app.message = Some((t(app.lang, "msg.fix_fields").to_string(), Level::Error));
            }
            app.overlay = Some(Overlay::Form(form));
        }
        Err(e) => {
            app.error(&e);
            app.overlay = Some(Overlay::Form(form));
        }
    }
}

/// The answer to "satisfaction too low to close: agree a new solution?":
/// yes records the follow-up as still unsatisfied (back to step 4); no
/// returns to the form.
pub fn low_satisfaction(app: &mut App, store: &mut Store, mut form: Form, id: i64, yes: bool) {
    if !yes {
        app.overlay = Some(Overlay::Form(form));
        return;
    }
    if let Some(f) = form.fields.iter_mut().find(|f| f.id == OUTCOME) {
        select(f, Outcome::Unsatisfied.as_str());
    }
    submit(app, store, form, PaneForm::Step(id, StepForm::FollowUp));
}

/// Reads a time field (local) as UTC, or marks the field. What already
/// happened reads like every date field (`11-20 15:00` is the last 20
/// November); a due time looks ahead and defaults to the evening.
fn read_when(app: &App, form: &mut Form, id: FieldId, default: NaiveTime) -> Option<NaiveDateTime> {
    let raw = value(form, id);
    let read = if id == DUE {
        parse_when(raw, app.now, default).map_err(|e| when_message(app.lang, &e))
    } else {
        crate::app::form::when(raw, app.now, app.lang)
    };
    match read {
        Ok(local) => Some(app.complaints.zone.to_utc(local)),
        Err(msg) => {
            set_error(form, id, msg);
            None
        }
    }
}

fn noon() -> NaiveTime {
    NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()
}

fn evening() -> NaiveTime {
    NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default()
}

/// Who the customer typed into the record form is.
enum Typed {
    /// This customer: the preselected one if unchanged, else the single
    /// best match (pinyin too).
    One(i64),
    /// Nobody matches.
    Nobody,
    /// These best matches tie (namesakes).
    Several(Vec<i64>),
}

fn match_customer(store: &Store, typed: &str, preset: Option<i64>) -> Result<Typed, StorageError> {
    if let Some(id) = preset
        && store.customer(id)?.name == typed
    {
        return Ok(Typed::One(id));
    }
    let keys = store.search_keys_like(&normalize_query(typed))?;
    let ranked = rank_keys(&keys, typed);
    let Some(&(_, best)) = ranked.first() else {
        return Ok(Typed::Nobody);
    };
    let top: Vec<i64> = ranked
        .iter()
        .take_while(|(_, s)| *s == best)
        .map(|(id, _)| *id)
        .collect();
    let mut names = Vec::new();
    for id in &top {
        let c = store.customer(*id)?;
        if top.len() == 1 || c.name.to_lowercase() == typed.to_lowercase() {
            names.push(c.id);
        }
    }
    Ok(match names.as_slice() {
        [id] => Typed::One(*id),
        _ => Typed::Several(top),
    })
}

/// A customer as the form shows who it picked: name, company, city and the
/// phone's last digits (namesakes told apart).
fn label(c: &crate::domain::customer::Customer) -> String {
    let phone = c.phones.first().map_or("", String::as_str);
    crate::domain::text::person_label(&c.name, &c.company, &c.city, phone)
}

/// The line under the customer field: who the text picks, or that it
/// picks nobody or several (to be told apart before saving).
fn customer_note(lang: crate::i18n::Lang, store: &Store, found: &Typed) -> Result<String, StorageError> {
    Ok(match found {
        Typed::One(id) => label(&store.customer(*id)?),
        Typed::Nobody => t(lang, "complaints.note.nobody").to_string(),
        Typed::Several(top) => tf(lang, "complaints.note.several", &[("n", &top.len())]),
    })
}

/// Finds the customer typed into the record form, or marks the field.
fn resolve_customer(
    app: &App,
    store: &Store,
    form: &mut Form,
    preset: Option<i64>,
) -> Result<Option<i64>, StorageError> {
    let typed = value(form, CUSTOMER).trim().to_string();
    if typed.is_empty() {
        set_error(form, CUSTOMER, t(app.lang, "error.required").to_string());
        return Ok(None);
    }
    let top = match match_customer(store, &typed, preset)? {
        Typed::One(id) => return Ok(Some(id)),
        Typed::Nobody => {
            set_error(
                form,
                CUSTOMER,
                tf(app.lang, "complaints.error.no_customer", &[("query", &typed)]),
            );
            return Ok(None);
        }
        Typed::Several(top) => top,
    };
    // Namesakes told apart: company, city and the phone's last digits.
    let mut shown: Vec<String> = Vec::new();
    for id in top.iter().take(3) {
        shown.push(label(&store.customer(*id)?));
    }
    let list = shown.join(t(app.lang, "card.list_sep"));
    set_error(
        form,
        CUSTOMER,
        tf(
            app.lang,
            "complaints.error.which_customer",
            &[("n", &top.len()), ("names", &list)],
        ),
    );
    Ok(None)
}

/// A field of an open complaint form changed: when it is the record's
/// customer and names one customer other than the one the defaults came
/// from, the defaults follow (the complainant, the phone to reach them),
/// except those the user typed over. A read that fails leaves the form as
/// it is and says so; saving reads again.
pub fn follow(app: &mut App, store: &Store, kind: PaneForm, changed: FieldId) {
    let PaneForm::Record(preset) = kind else { return };
    let Some(Overlay::Form(form)) = &mut app.overlay else {
        return;
    };
    if changed != CUSTOMER {
        return;
    }
    let typed = value(form, CUSTOMER).trim().to_string();
    if typed.is_empty() {
        set_note(form, CUSTOMER, None);
        return;
    }
    let lang = app.lang;
    let followed = match_customer(store, &typed, preset).and_then(|found| {
        set_note(form, CUSTOMER, Some(customer_note(lang, store, &found)?));
        match found {
            Typed::One(id) if Some(id) != preset => follow_customer(store, form, preset, id).map(|()| {
                form.kind = FormKind::Complaint(PaneForm::Record(Some(id)));
            }),
            _ => Ok(()),
        }
    });
    if let Err(e) = followed {
        app.error(&e);
    }
}

/// The customer typed is not the one the form opened with: the defaults
/// taken from that one (the complainant, the phone to reach them) follow
/// the customer typed, unless the user typed over them.
fn follow_customer(store: &Store, form: &mut Form, preset: Option<i64>, id: i64) -> Result<(), StorageError> {
    let defaults = |c: Option<&crate::domain::customer::Customer>| {
        (
            c.map(|c| c.name.clone()).unwrap_or_default(),
            c.and_then(|c| c.phones.first().cloned()).unwrap_or_default(),
        )
    };
    let before = match preset {
        Some(p) => defaults(Some(&store.customer(p)?)),
        None => Default::default(),
    };
    let now = defaults(Some(&store.customer(id)?));
    for (id, old, new) in [(COMPLAINANT, &before.0, &now.0), (REACH, &before.1, &now.1)] {
        if value(form, id).trim() == old.trim() {
            set_value(form, id, new);
        }
    }
    Ok(())
}

fn save_record(app: &mut App, store: &mut Store, form: &mut Form, preset: Option<i64>) -> Result<Saved, StorageError> {
    let lang = app.lang;
    let customer = resolve_customer(app, store, form, preset)?;
    if let Some(id) = customer
        && Some(id) != preset
    {
        follow_customer(store, form, preset, id)?;
    }
    let received = read_when(app, form, RECEIVED, noon());
    let Some(new) = read_record(app, form, customer, received) else {
        return Ok(None);
    };
    let zone = app.complaints.zone;
    let c = store.add_complaint(new, &app.complaints.config, zone)?;
    let due = zone.to_local(c.first_response_due).format(SHOWN).to_string();
    let msg = tf(lang, "complaints.msg.recorded", &[("id", &c.id), ("due", &due)]);
    Ok(Some((c, msg)))
}

/// The field a workflow refusal belongs to (`None`: the status line).
fn error_field(e: ComplaintError, kind: StepForm) -> Option<FieldId> {
    use ComplaintError as E;
    match e {
        E::BeforeReceipt | E::BeforePrevious | E::InFuture => Some(AT),
        E::ReasonRequired => Some(REASON),
        E::ExplanationRequired => Some(EXPLANATION),
        E::PromiseBeforeReceipt | E::PromiseInPast if kind == StepForm::Promise => Some(DUE),
        E::SatisfactionRequired | E::SatisfactionOutOfRange(_) => Some(SATISFACTION),
        _ => None,
    }
}

fn save_step(
    app: &mut App,
    store: &mut Store,
    form: &mut Form,
    id: i64,
    kind: StepForm,
) -> Result<Saved, StorageError> {
    let lang = app.lang;
    let at = read_when(app, form, AT, noon());
    let due = if kind == StepForm::Promise {
        read_when(app, form, DUE, evening())
    } else {
        None
    };
    // The one free text of the form (note, reason, explanation, action).
    let text_field = [NOTE, SOLUTION, DONE, EXPLANATION, ACTION, REASON]
        .into_iter()
        .find(|id| form.fields.iter().any(|f| f.id == *id))
        .unwrap_or(NOTE);
    let note = match validate::limit(value(form, text_field), validate::MAX_NOTE) {
        Ok(n) => n,
        Err(e) => {
            set_error(form, text_field, field_message(lang, &e));
            return Ok(None);
        }
    };
    let Some(at) = at else { return Ok(None) };
    let event = match kind {
        StepForm::Complete(step) => Event::Complete { step, note },
        StepForm::Judge => Event::Judge {
            valid: Verdict::chosen(form) == Verdict::Valid,
            note,
        },
        StepForm::Promise => match due {
            Some(due) => Event::SetPromise { due, note },
            None => return Ok(None),
        },
        StepForm::FollowUp => Event::FollowUp {
            satisfied: Outcome::chosen(form) == Outcome::Satisfied,
            satisfaction: value(form, SATISFACTION).parse().ok(),
            note,
        },
        StepForm::Skip(step) => Event::Skip { step, reason: note },
        StepForm::Wait => Event::Wait { reason: note },
        StepForm::Resume => Event::Resume { note },
    };
    let zone = app.complaints.zone;
    let out = store.complaint_events(id, vec![event], at, now_utc(app), &app.complaints.config, zone)?;
    let c = match out {
        Ok(c) => c,
        // Satisfied, but rated too low: ask whether to agree a new solution.
        Err(ComplaintError::SatisfactionTooLow { got, min }) => {
            app.overlay = Some(Overlay::Confirm(Confirm::LowSatisfaction {
                form: form.clone(),
                id,
                got,
                min,
            }));
            return Ok(None);
        }
        Err(e) => {
            let msg = t(lang, e.key()).to_string();
            match error_field(e, kind) {
                Some(id) => set_error(form, id, msg),
                None => app.message = Some((msg, Level::Error)),
            }
            return Ok(None);
        }
    };
    let local = |t: NaiveDateTime| zone.to_local(t).format(SHOWN).to_string();
    let msg = match (kind, c.state) {
        (_, State::ClosedNotValid) => t(lang, "complaints.msg.closed_not_valid").to_string(),
        (_, State::ClosedResolved { .. }) => t(lang, "complaints.msg.closed_resolved").to_string(),
        (StepForm::FollowUp, _) => t(lang, "complaints.msg.back_to_agree").to_string(),
        (StepForm::Complete(Step::Execute) | StepForm::Skip(Step::Execute), _) => tf(
            lang,
            "complaints.msg.follow_up_scheduled",
            &[("when", &c.follow_up_at.map(local).unwrap_or_default())],
        ),
        (StepForm::Promise, _) => tf(
            lang,
            "complaints.msg.promised",
            &[("due", &c.promised_due.map(local).unwrap_or_default())],
        ),
        (StepForm::Wait, _) => t(lang, "complaints.msg.waiting").to_string(),
        (StepForm::Resume, _) => t(lang, "complaints.msg.resumed").to_string(),
        (StepForm::Skip(step), _) => tf(lang, "complaints.msg.skipped", &[("step", &t(lang, step.key()))]),
        (_, state) => {
            let next = state.step().map(|s| t(lang, s.key())).unwrap_or_default();
            tf(lang, "complaints.msg.next", &[("step", &next)])
        }
    };
    Ok(Some((c, msg)))
}
