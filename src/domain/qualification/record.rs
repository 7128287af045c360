//! What the rep records per prospect: an answer with a dated evidence note
//! per criterion, who holds the authority, and every change as history.

use chrono::NaiveDateTime;

use super::{Answer, Criterion, Man};
use crate::domain::validate::{self, FieldError};

/// Longest evidence note, in characters ("budget approved for Q3").
pub const MAX_EVIDENCE: usize = 500;

/// One criterion's answer with its evidence note and when it was last set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    pub answer: Answer,
    pub note: String,
    /// When the answer or the note last changed; `None` if never.
    pub at: Option<NaiveDateTime>,
}

/// Who decides at the customer's company: a contact in the book (same
/// company) or free text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decider {
    /// The customer record of that person, when they are in the book.
    pub customer_id: Option<i64>,
    pub name: String,
    pub role: String,
}

impl Decider {
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.role.is_empty()
    }

    /// The name and role as the history keeps them: data, not a sentence,
    /// so each reader sees them in their own language's punctuation. The
    /// two are joined by the unit separator (never typed in a field).
    pub fn stored(&self) -> String {
        if self.role.is_empty() {
            self.name.clone()
        } else {
            format!("{}{SEP}{}", self.name, self.role)
        }
    }

    /// Name and role from [`Decider::stored`]; an older row's "name, role"
    /// label comes back whole as the name.
    pub fn from_stored(s: &str) -> (&str, &str) {
        s.split_once(SEP).unwrap_or((s, ""))
    }
}

/// Between a decider's name and role in the history.
const SEP: char = '\u{1f}';

/// A prospect's whole MAN record. `Default` is all unknown, nothing noted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Qualification {
    pub money: Evidence,
    pub authority: Evidence,
    pub need: Evidence,
    pub decider: Decider,
    pub updated_at: Option<NaiveDateTime>,
}

impl Qualification {
    pub fn man(&self) -> Man {
        Man::new(self.money.answer, self.authority.answer, self.need.answer)
    }

    pub fn evidence(&self, c: Criterion) -> &Evidence {
        match c {
            Criterion::Money => &self.money,
            Criterion::Authority => &self.authority,
            Criterion::Need => &self.need,
        }
    }

    pub fn evidence_mut(&mut self, c: Criterion) -> &mut Evidence {
        match c {
            Criterion::Money => &mut self.money,
            Criterion::Authority => &mut self.authority,
            Criterion::Need => &mut self.need,
        }
    }

    /// Nothing assessed, nothing noted, nobody named.
    pub fn is_blank(&self) -> bool {
        Criterion::ALL
            .iter()
            .all(|c| self.evidence(*c).answer == Answer::Unknown && self.evidence(*c).note.is_empty())
            && self.decider.is_empty()
    }

    /// Sets a criterion's answer and note at `at`. Returns the history entry,
    /// or `None` when nothing changed (no write, no history row). A new
    /// answer given with the old answer's note starts an empty note: the
    /// old note was evidence for the old answer and stays with it in the
    /// history, not re-dated as evidence for the new one.
    pub fn set(&mut self, c: Criterion, answer: Answer, note: &str, at: NaiveDateTime) -> Option<QualChange> {
        let e = self.evidence_mut(c);
        let note = if answer != e.answer && note == e.note { "" } else { note };
        if e.answer == answer && e.note == note {
            return None;
        }
        let change = QualChange {
            at,
            topic: Topic::Criterion(c),
            old: e.answer.as_str().to_string(),
            new: answer.as_str().to_string(),
            note: note.to_string(),
        };
        *e = Evidence {
            answer,
            note: note.to_string(),
            at: Some(at),
        };
        self.updated_at = Some(at);
        Some(change)
    }

    /// Cycles a criterion yes → no → unknown; the new answer starts with
    /// an empty note.
    pub fn toggle(&mut self, c: Criterion, at: NaiveDateTime) -> Option<QualChange> {
        let answer = self.evidence(c).answer.cycle();
        self.set(c, answer, "", at)
    }

    /// One more press in a burst of cycling a criterion that stood at
    /// `before` when the burst began: the record moves to the next answer
    /// as if from `before` in one step (one history entry per settled
    /// answer), and back to `before` whole (its note too) when the cycle
    /// comes round to it, with no change at all.
    pub fn toggle_from(&mut self, c: Criterion, before: &Evidence, at: NaiveDateTime) -> Option<QualChange> {
        let answer = self.evidence(c).answer.cycle();
        *self.evidence_mut(c) = before.clone();
        if answer == before.answer {
            return None;
        }
        self.set(c, answer, "", at)
    }

    /// Names who holds the authority. `None` when nothing changed.
    pub fn set_decider(&mut self, d: Decider, at: NaiveDateTime) -> Option<QualChange> {
        if self.decider == d {
            return None;
        }
        let change = QualChange {
            at,
            topic: Topic::Decider,
            old: self.decider.stored(),
            new: d.stored(),
            note: String::new(),
        };
        self.decider = d;
        self.updated_at = Some(at);
        Some(change)
    }
}

/// What a history entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Criterion(Criterion),
    /// Who holds the authority.
    Decider,
}

impl Topic {
    /// The identifier stored in the history.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Criterion(c) => c.as_str(),
            Topic::Decider => "decider",
        }
    }

    pub fn parse(s: &str) -> Option<Topic> {
        match s {
            "decider" => Some(Topic::Decider),
            s => Criterion::parse(s).map(Topic::Criterion),
        }
    }

    /// The catalog key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Topic::Criterion(c) => c.key(),
            Topic::Decider => "man.decider",
        }
    }
}

/// One kept change: criteria as `old`/`new` answer ids (`"unknown"` →
/// `"yes"`), the decider as [`Decider::stored`]; `note` is the evidence in
/// effect after the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualChange {
    pub at: NaiveDateTime,
    pub topic: Topic,
    pub old: String,
    pub new: String,
    pub note: String,
}

/// An evidence note as it will be stored: trimmed, length-checked.
pub fn evidence_note(s: &str) -> Result<String, FieldError> {
    validate::limit(s, MAX_EVIDENCE)
}

/// The contact among `colleagues` (id, name) whose name is `name`, ignoring
/// case and surrounding spaces: typing a colleague's name links the record.
pub fn match_colleague(name: &str, colleagues: &[(i64, String)]) -> Option<i64> {
    let want = name.trim().to_lowercase();
    if want.is_empty() {
        return None;
    }
    colleagues
        .iter()
        .find(|(_, n)| n.trim().to_lowercase() == want)
        .map(|(id, _)| *id)
}
