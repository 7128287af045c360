//! The forms of the Agenda pane: done, snooze, dates, business events.

use super::form::kinds::AgendaForm as PaneForm;
use super::form::{DateEntry, Field, FieldId, Form, FormKind};
use crate::domain::agenda::{EventKind, Item, Reason};
use crate::domain::interaction::InteractionKind;

/// The channel a "done" most likely took.
pub(super) fn default_channel(r: &Reason) -> InteractionKind {
    match r {
        Reason::Visit { .. } => InteractionKind::Visit,
        Reason::Birthday { .. } | Reason::Holiday { .. } | Reason::Event { .. } => InteractionKind::Message,
        _ => InteractionKind::Call,
    }
}

fn channel_field(kind: InteractionKind) -> Field {
    let options = InteractionKind::ALL.iter().map(|k| (k.as_str(), k.key())).collect();
    Field::choice(FieldId::Kind, "field.kind", options, kind.as_str())
}

pub(super) fn done_form(item: &Item, kind: InteractionKind) -> Form {
    Form {
        base: Vec::new(),
        kind: FormKind::Agenda(PaneForm::Done),
        fields: [
            channel_field(kind),
            Field::text(FieldId::Note, "field.note", "").multiline(),
        ]
        .into_iter()
        .chain(super::form::next_contact_fields())
        .collect(),
        focus: 1,
        dirty: false,
        subject: item.customer.clone(),
    }
}

pub(super) fn snooze_form(item: &Item) -> Form {
    let options = vec![
        ("1", "agenda.snooze.day"),
        ("3", "agenda.snooze.three_days"),
        ("7", "agenda.snooze.week"),
        ("date", "agenda.snooze.date"),
    ];
    Form {
        base: Vec::new(),
        kind: FormKind::Agenda(PaneForm::Snooze),
        fields: vec![
            Field::choice(FieldId::Kind, "agenda.field.snooze", options, "1"),
            Field::text(FieldId::At, "agenda.field.date", "")
                .hint("agenda.hint.date")
                .date_entry(DateEntry::Upcoming),
        ],
        focus: 0,
        dirty: false,
        subject: item.customer.clone(),
    }
}

pub(super) fn date_form(kind: PaneForm, subject: &str, default: &str) -> Form {
    Form {
        base: Vec::new(),
        kind: FormKind::Agenda(kind),
        fields: vec![
            Field::text(FieldId::At, "agenda.field.date", default)
                .required()
                .hint("agenda.hint.date")
                .date_entry(DateEntry::Upcoming),
            Field::text(FieldId::Note, "field.note", ""),
        ],
        focus: 0,
        dirty: false,
        subject: subject.to_string(),
    }
}

pub(super) fn event_form(customer_id: i64, subject: &str) -> Form {
    let options = EventKind::ALL.iter().map(|k| (k.as_str(), k.key())).collect();
    Form {
        base: Vec::new(),
        kind: FormKind::Agenda(PaneForm::Event(customer_id)),
        fields: vec![
            Field::choice(FieldId::Kind, "agenda.field.event_kind", options, "store_opening"),
            Field::text(FieldId::At, "agenda.field.event_date", "")
                .required()
                .hint("agenda.hint.event_date")
                .date_entry(DateEntry::Yearly),
            Field::text(FieldId::Note, "field.note", ""),
        ],
        focus: 0,
        dirty: false,
        subject: subject.to_string(),
    }
}
