//! The Complaints pane's commands.

/// Pane commands that have no general action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Record a complaint (for the selected customer).
    Record,
    /// Open the form of the step to do next.
    NextStep,
    /// Skip the current step with a reason.
    Skip,
    /// Record or revise the promised action and its due date.
    Promise,
    /// Put on "waiting for customer", or resume.
    WaitResume,
    /// Open or close the review.
    Review,
    /// Filter: open → overdue → waiting → closed → all.
    CycleState,
    /// Filter: every category in turn, then all.
    CycleCategory,
    /// Filter: only the highlighted complaint's customer (again: everyone).
    OnlyCustomer,
    /// Review period: 30 → 90 → 365 days.
    Period,
    /// Correct the saved record (each change kept in the timeline).
    Edit,
}
