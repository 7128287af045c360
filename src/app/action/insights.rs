//! The Insights pane's and the purchases' commands.

/// This pane's own commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Cycle the window: 90 / 180 / 365 days / all.
    Period,
    /// Move between the grid, the segments and the suggestions.
    Focus,
    /// Mark or unmark the highlighted suggestion.
    Mark,
    /// Accept the marked suggestions (or the highlighted one).
    Accept,
    /// Accept every suggestion (asks first).
    AcceptAll,
    /// Record a purchase for the customer in focus.
    AddPurchase,
    /// The customer's purchases, to edit or delete.
    Purchases,
    EditPurchase,
    DeletePurchase,
}
