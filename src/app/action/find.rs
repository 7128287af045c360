//! Commands for finding customers: filters, duplicates, delete, merge.

/// Commands that have no general action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Open the filter form.
    Filter,
    /// Clear every filter.
    ClearFilters,
    /// The card: the next or previous customer of the list.
    NextCustomer,
    PrevCustomer,
    /// Delete the highlighted customer (asks first).
    Delete,
    /// Mark the highlighted customer to merge; on a second customer, merge.
    Mark,
    /// The "possible duplicates" view.
    Duplicates,
    /// In the duplicate warning: open the existing customer instead.
    OpenOther,
    /// In the merge view: take the other value of the highlighted field.
    Toggle,
    /// In the merge view: merge now (asks first).
    DoMerge,
}
