//! What the agenda shows outside its pane: the pre-call card's section
//! (open follow-ups, business events) and follow-up notes the app wrote
//! itself, put in the reader's language.

use super::{CardEnv, CardLine, CardSection};
use crate::domain::agenda::{EventKind, Reason};
use crate::i18n::{Lang, t, tf};
use crate::storage::{Agenda, StorageError, Store, notes};

/// A follow-up's note as the reader reads it: a note the app wrote itself
/// (region care) is its kind and parameter, put in `lang`; a typed note as
/// typed.
pub fn follow_up_note(lang: Lang, source: &str, note: &str) -> String {
    match source {
        notes::REGION => tf(lang, "agenda.region_note", &[("label", &note)]),
        _ => note.to_string(),
    }
}

/// Puts the follow-up notes the app wrote itself into `lang` (the agenda
/// reads notes as stored).
pub fn localize_notes(store: &Store, lang: Lang, agenda: &mut Agenda) -> Result<(), StorageError> {
    let ids: Vec<i64> = agenda
        .items
        .iter()
        .filter_map(|i| match &i.reason {
            Reason::FollowUp { follow_up_id, .. } => Some(*follow_up_id),
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let sources = store.follow_up_sources(&ids)?;
    for item in &mut agenda.items {
        if let Reason::FollowUp { note, follow_up_id } = &mut item.reason
            && let Some(source) = sources.get(follow_up_id)
        {
            *note = follow_up_note(lang, source, note);
        }
    }
    Ok(())
}

/// This pane's section of the pre-call card: open follow-ups and business
/// events of the customer.
pub fn card_section(env: &CardEnv<'_>, store: &Store, customer_id: i64) -> Option<CardSection> {
    let today = env.now.date();
    let mut lines = Vec::new();
    let title = t(env.lang, "agenda.card.title");
    let read = store
        .open_follow_ups(customer_id)
        .and_then(|f| Ok((f, store.events_of(customer_id)?)));
    let (follow_ups, events) = match read {
        Ok(r) => r,
        Err(e) => return Some(CardSection::failed(env.lang, title, &e)),
    };
    for f in follow_ups {
        let when = super::agenda_text::day_label(env.lang, f.due_on, today);
        let note = if f.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", follow_up_note(env.lang, &f.source, &f.note))
        };
        lines.push(CardLine {
            text: format!("{} {when}{note}", t(env.lang, "agenda.card.follow_up")),
            alert: f.due_on <= today,
        });
    }
    for e in events {
        let kind = EventKind::parse(&e.kind).unwrap_or(EventKind::Other);
        let date = match e.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", e.month, e.day),
            None => format!("{:02}-{:02}", e.month, e.day),
        };
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", e.note)
        };
        lines.push(CardLine {
            text: format!("{} {date}{note}", t(env.lang, kind.key())),
            alert: false,
        });
    }
    (!lines.is_empty()).then(|| CardSection {
        title: title.to_string(),
        lines,
    })
}
