//! Interactions: every call, visit, message, gift with date, channel, note.

use chrono::NaiveDateTime;

use crate::str_enum;

str_enum!(
    /// The channel of an interaction.
    InteractionKind, "interaction" {
        Call => "call",
        Visit => "visit",
        Message => "message",
        Email => "email",
        Gift => "gift",
        Other => "other",
    }
);

impl InteractionKind {
    /// Whether this touch restarts the call cadence. A visit also satisfies
    /// the call (DOMAIN §3); messages, e-mails and gifts do not.
    pub fn counts_as_call(self) -> bool {
        matches!(self, InteractionKind::Call | InteractionKind::Visit)
    }

    pub fn counts_as_visit(self) -> bool {
        self == InteractionKind::Visit
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub id: i64,
    pub customer_id: i64,
    pub at: NaiveDateTime,
    pub kind: InteractionKind,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_satisfies_the_call_but_a_message_does_not() {
        assert!(InteractionKind::Visit.counts_as_call());
        assert!(InteractionKind::Call.counts_as_call());
        assert!(!InteractionKind::Message.counts_as_call());
        assert!(!InteractionKind::Call.counts_as_visit());
    }
}
