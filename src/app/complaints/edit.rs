//! Correcting a saved complaint record: the same fields as recording it
//! (without the customer and the receipt, which anchor the 24-hour clock),
//! each change kept in the timeline with its old value.

use super::fields::{read_record, record_fields};
use super::forms::Saved;
use super::{App, Complaint, ComplaintRow, PaneForm, now_utc};
use crate::app::Overlay;
use crate::app::form::{Form, FormKind};
use crate::i18n::{t, tf};
use crate::storage::{StorageError, Store};

/// Opens the saved record of complaint `c` for correction.
pub(super) fn open(app: &mut App, row: &ComplaintRow, c: &Complaint) {
    app.overlay = Some(Overlay::Form(Form {
        kind: FormKind::Complaint(PaneForm::Edit(c.id)),
        fields: record_fields(&c.details, c.category, c.temperament),
        focus: 0,
        dirty: false,
        subject: format!("#{} {}", c.id, row.customer),
    }));
}

/// Saves a correction of complaint `id`'s record.
pub(super) fn save(app: &mut App, store: &mut Store, form: &mut Form, id: i64) -> Result<Saved, StorageError> {
    // Read it again: another Rapport may have changed it meanwhile.
    let old = store.complaint(id)?;
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
