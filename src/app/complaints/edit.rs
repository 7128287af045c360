//! Correcting a saved complaint record: the same fields as recording it
//! (without the customer and the receipt, which anchor the 24-hour clock),
//! each change kept in the timeline with its old value.

use super::fields::{read_record, record_fields};
use super::forms::Saved;
use super::{App, Complaint, ComplaintRow, PaneForm, now_utc};
use crate::app::form::{FieldKind, Form, FormKind};
use crate::app::input::TextInput;
use crate::app::{Level, Overlay};
use crate::domain::merge;
use crate::i18n::{t, tf};
use crate::storage::{StorageError, Store};

/// Opens the saved record of complaint `c` for correction.
pub(super) fn open(app: &mut App, row: &ComplaintRow, c: &Complaint) {
    app.overlay = Some(Overlay::Form(
        Form {
            kind: FormKind::Complaint(PaneForm::Edit(c.id)),
            fields: record_fields(&c.details, c.category, c.temperament),
            focus: 0,
            dirty: false,
            subject: format!("#{} {}", c.id, row.customer),
            base: Vec::new(),
        }
        .started(),
    ));
}

/// The record's values now, in the form's field order.
fn values_of(c: &Complaint) -> Vec<String> {
    record_fields(&c.details, c.category, c.temperament)
        .iter()
        .map(|f| f.value().to_string())
        .collect()
}

/// Merges the form with the record as it is now, field by field against
/// what the form opened with (`domain::merge`): a field changed only
/// elsewhere comes into the form; one changed both here and elsewhere is
/// shown with the other value and the form asks again (saving again keeps
/// what it shows). `false` when it asks.
fn merge_with(app: &mut App, form: &mut Form, now: &Complaint) -> bool {
    let theirs = values_of(now);
    let base: Vec<String> = if form.base.len() == theirs.len() {
        form.base.iter().map(|(_, v)| v.clone()).collect()
    } else {
        theirs.clone()
    };
    let mut conflicts = 0;
    for (i, f) in form.fields.iter_mut().enumerate() {
        let mine = f.value().to_string();
        match merge::field(&base[i], &mine, &theirs[i]) {
            Ok(v) if v != mine => match &mut f.kind {
                FieldKind::Text(input) => *input = TextInput::new(&v),
                FieldKind::Choice { options, selected } => {
                    *selected = options.iter().position(|(o, _)| *o == v).unwrap_or(*selected);
                }
            },
            Ok(_) => {}
            Err(c) => {
                conflicts += 1;
                let shown = match &f.kind {
                    FieldKind::Choice { options, .. } => options
                        .iter()
                        .find(|(o, _)| *o == c.theirs)
                        .map(|(_, k)| t(app.lang, k).to_string())
                        .unwrap_or(c.theirs),
                    FieldKind::Text(_) => c.theirs,
                };
                f.error = Some(tf(app.lang, "safety.conflict_field", &[("theirs", &shown)]));
            }
        }
    }
    if conflicts == 0 {
        return true;
    }
    form.base = form.fields.iter().map(|f| f.id).zip(theirs).collect();
    form.focus_first_error();
    app.message = Some((tf(app.lang, "complaints.conflict", &[("n", &conflicts)]), Level::Error));
    app.overlay = Some(Overlay::Form(form.clone()));
    false
}

/// Saves a correction of complaint `id`'s record.
pub(super) fn save(app: &mut App, store: &mut Store, form: &mut Form, id: i64) -> Result<Saved, StorageError> {
    // Read it again: another Rapport may have changed it meanwhile.
    let old = store.complaint(id)?;
    if !merge_with(app, form, &old) {
        return Ok(None);
    }
    let Some(new) = read_record(app, form, Some(old.customer_id), Some(old.received_at)) else {
        return Ok(None);
    };
    let edits = store.edit_complaint_record(id, &new.details, new.category, new.temperament, now_utc(app))?;
    let c = store.complaint(id)?;
    let msg = if edits.is_empty() {
        t(app.lang, "complaints.msg.unchanged").to_string()
    } else {
        tf(app.lang, "complaints.msg.corrected", &[("n", &edits.len())])
    };
    Ok(Some((c, msg)))
}
