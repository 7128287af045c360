//! Everything the user can ask for, independent of the key that asks.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// A line break in a multi-line form field.
    NewLine,
    /// Ctrl-C: cancel what is open, or ask before quitting.
    Interrupt,
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
    Help,
    NextPane,
    PrevPane,
    GoPane(u8),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    StartSearch,
    /// Leaves search typing, keeping the filter.
    AcceptSearch,
    Back,
    OpenCard,
    AddCustomer,
    EditCustomer,
    LogInteraction,
    ChangeStatus,
    CycleSort,
    LoadDemo,
    ImportHelp,
    // Forms
    NextField,
    PrevField,
    Submit,
    /// Enter in a form: next field, or save on the last one.
    FieldEnter,
    Left,
    Right,
    Home,
    End,
    Backspace,
    Delete,
    DeleteWord,
    ClearInput,
    Yes,
    No,
    /// Qualification pane (MAN checklist, prospect board).
    Qual(super::qualification::QualAction),
    /// Complaints pane (record, steps, filters, review).
    Complaint(super::complaints::Cmd),
    /// Finding customers: filters, duplicates, delete, merge.
    Find(super::find::Cmd),
    /// The import overlay.
    Import(super::import::Cmd),
    /// The Insights pane and purchases.
    Insights(super::insights::Cmd),
    /// The account view (DOMAIN §6).
    Account(super::accounts::Cmd),
    // Agenda
    /// Mark the agenda item done (logs the interaction).
    Done,
    Snooze,
    Reschedule,
    ScheduleFollowUp,
    RegionCare,
    AddEvent,
    WeekAhead,
    NextDay,
    PrevDay,
    Today,
}
