//! Everything the user can ask for, independent of the key that asks.

pub mod accounts;
pub mod complaints;
pub mod find;
pub mod import;
pub mod insights;
pub mod qualification;
pub mod sync;

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
    /// A command of its own of the pane whose context bound the key; what
    /// the number means is that pane's business (a pane added later needs
    /// no variant here).
    Pane(u8),
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
    Qual(qualification::QualAction),
    /// Complaints pane (record, steps, filters, review).
    Complaint(complaints::Cmd),
    /// Finding customers: filters, duplicates, delete, merge.
    Find(find::Cmd),
    /// The import overlay.
    Import(import::Cmd),
    /// The Insights pane and purchases.
    Insights(insights::Cmd),
    /// The account view (DOMAIN §6).
    Account(accounts::Cmd),
    /// Team sync: sync now, the conflicts overlay.
    Sync(sync::Cmd),
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
