//! The Qualification pane's commands.

use crate::domain::qualification::Criterion;

/// What the keys of this pane ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualAction {
    /// The MAN checklist of the highlighted customer.
    Open,
    /// Cycles a criterion yes → no → unknown.
    Toggle(Criterion),
    /// Cycles the focused criterion.
    ToggleFocused,
    /// Answer and evidence note of the focused criterion.
    Evidence,
    /// Who holds the authority.
    Decider,
    /// Shows one verdict's group, the next one each time, then all.
    Filter,
    /// The pre-call card of the customer.
    Card,
    /// Offered for "m a n": mark the customer non-customer (asks first).
    MarkNonCustomer,
    NextProspect,
    PrevProspect,
}
