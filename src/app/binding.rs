//! The shape of the key table: the contexts the keyboard can be in and one
//! binding (context, key, action, description). The panes write their
//! tables with it; `keymap` gathers them and resolves keys.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::action::Action;

/// Where the keyboard focus is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    /// Keys that work wherever no text is being typed.
    Global,
    Welcome,
    List,
    Search,
    Card,
    Form,
    Confirm,
    Help,
    /// Qualification pane: the prospect board.
    QualBoard,
    /// Qualification pane: one customer's MAN checklist.
    QualChecklist,
    /// Complaints pane: the list.
    Complaints,
    /// Complaints pane: one complaint's record and timeline.
    ComplaintDetail,
    /// Complaints pane: the review statistics.
    ComplaintReview,
    /// Agenda pane: a day's agenda.
    Agenda,
    /// Agenda pane: the week ahead.
    AgendaWeek,
    /// Insights pane: headline, Pareto, R×F grid, segments, suggestions.
    Insights,
    /// Insights pane: the customers of a grid cell or a segment.
    InsightsList,
    /// A customer's purchases, over the card.
    Purchases,
    /// Customers pane: the possible duplicates.
    Duplicates,
    /// Customers pane: merging two customers field by field.
    Merge,
    /// Customers pane: a company's account view.
    Account,
    /// Customers pane: finding a company by name or pinyin.
    AccountFind,
    /// Overlay: the sync conflicts.
    SyncConflicts,
    /// Overlay: typing the value that resolves a sync conflict.
    SyncEdit,
    /// Import overlay: typing the file's path.
    ImportFile,
    /// Import overlay: the preview and its mapping.
    Import,
    /// Import overlay: a question about a duplicate.
    ImportAsk,
    /// Import overlay: writing.
    ImportRun,
    /// Import overlay: the result.
    ImportDone,
}

impl Ctx {
    /// Every context, in the order help shows them.
    pub const ALL: [Ctx; 29] = [
        Ctx::Global,
        Ctx::List,
        Ctx::Search,
        Ctx::Card,
        Ctx::Purchases,
        Ctx::Duplicates,
        Ctx::Merge,
        Ctx::Account,
        Ctx::AccountFind,
        Ctx::SyncConflicts,
        Ctx::SyncEdit,
        Ctx::QualBoard,
        Ctx::QualChecklist,
        Ctx::Complaints,
        Ctx::ComplaintDetail,
        Ctx::ComplaintReview,
        Ctx::Agenda,
        Ctx::AgendaWeek,
        Ctx::Insights,
        Ctx::InsightsList,
        Ctx::Form,
        Ctx::Welcome,
        Ctx::ImportFile,
        Ctx::Import,
        Ctx::ImportAsk,
        Ctx::ImportRun,
        Ctx::ImportDone,
        Ctx::Confirm,
        Ctx::Help,
    ];

    /// Lists and scrollable views: every one moves with [`LIST_KEYS`]
    /// (a key the context binds to something else keeps its meaning).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Ctx::List
                | Ctx::Card
                | Ctx::Help
                | Ctx::Purchases
                | Ctx::Duplicates
                | Ctx::QualBoard
                | Ctx::Complaints
                | Ctx::ComplaintDetail
                | Ctx::Agenda
                | Ctx::AgendaWeek
                | Ctx::InsightsList
        )
    }

    /// Contexts where plain letters are text, not commands.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Ctx::Search | Ctx::Form | Ctx::ImportFile | Ctx::AccountFind | Ctx::SyncEdit
        )
    }

    /// Contexts where the global keys (quit, panes) do nothing.
    pub fn modal(self) -> bool {
        matches!(
            self,
            Ctx::Confirm
                | Ctx::Help
                | Ctx::Import
                | Ctx::ImportAsk
                | Ctx::ImportRun
                | Ctx::ImportDone
                | Ctx::SyncConflicts
                | Ctx::SyncEdit
        )
    }

    /// Catalog key of the section title in the help screen.
    pub fn title_key(self) -> &'static str {
        match self {
            Ctx::Global => "ctx.global",
            Ctx::Welcome => "ctx.welcome",
            Ctx::List => "ctx.list",
            Ctx::Search => "ctx.search",
            Ctx::Card => "ctx.card",
            Ctx::Form => "ctx.form",
            Ctx::Confirm => "ctx.confirm",
            Ctx::Help => "ctx.help",
            Ctx::QualBoard => "ctx.qual_board",
            Ctx::QualChecklist => "ctx.qual_checklist",
            Ctx::Complaints => "ctx.complaints",
            Ctx::ComplaintDetail => "ctx.complaint_detail",
            Ctx::ComplaintReview => "ctx.complaint_review",
            Ctx::Agenda => "ctx.agenda",
            Ctx::AgendaWeek => "ctx.agenda_week",
            Ctx::Insights => "ctx.insights",
            Ctx::InsightsList => "ctx.insights_list",
            Ctx::Purchases => "ctx.purchases",
            Ctx::Duplicates => "find.ctx.duplicates",
            Ctx::Merge => "find.ctx.merge",
            Ctx::Account => "account.ctx",
            Ctx::AccountFind => "account.find.ctx",
            Ctx::SyncConflicts => "sync.ctx.conflicts",
            Ctx::SyncEdit => "sync.ctx.edit",
            Ctx::ImportFile => "io.ctx.file",
            Ctx::Import => "io.ctx",
            Ctx::ImportAsk => "io.ctx.ask",
            Ctx::ImportRun => "io.ctx.run",
            Ctx::ImportDone => "io.ctx.done",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub ctx: Ctx,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// Catalog key of the description.
    pub desc: &'static str,
    /// Shown in the footer.
    pub hint: bool,
}

pub(crate) const NONE: KeyModifiers = KeyModifiers::NONE;
pub(crate) const CTRL: KeyModifiers = KeyModifiers::CONTROL;
pub(crate) const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

/// One row of a key table: `b!(Ctx, KeyCode, modifiers, Action, "desc.key", hint)`.
macro_rules! b {
    ($ctx:ident, $code:expr, $mods:expr, $action:expr, $desc:literal, $hint:literal) => {
        $crate::app::binding::Binding {
            ctx: $crate::app::binding::Ctx::$ctx,
            code: $code,
            mods: $mods,
            action: $action,
            desc: $desc,
            hint: $hint,
        }
    };
}
pub(crate) use b;

/// Modifier shorthands for the pane key tables.
pub(crate) const NO_MODS: KeyModifiers = NONE;
pub(crate) const CTRL_MOD: KeyModifiers = CTRL;
pub(crate) const SHIFT_MOD: KeyModifiers = SHIFT;

/// The keys of every list and scrollable view ([`Ctx::is_list`]).
pub static LIST_KEYS: &[(KeyCode, KeyModifiers, Action, &str)] = &[
    (KeyCode::Down, NONE, Action::Down, "key.down"),
    (KeyCode::Char('j'), NONE, Action::Down, "key.down"),
    (KeyCode::Up, NONE, Action::Up, "key.up"),
    (KeyCode::Char('k'), NONE, Action::Up, "key.up"),
    (KeyCode::PageDown, NONE, Action::PageDown, "key.page_down"),
    (KeyCode::Char('d'), CTRL, Action::PageDown, "key.page_down"),
    (KeyCode::PageUp, NONE, Action::PageUp, "key.page_up"),
    (KeyCode::Char('u'), CTRL, Action::PageUp, "key.page_up"),
    (KeyCode::Home, NONE, Action::Top, "key.top"),
    (KeyCode::Char('g'), NONE, Action::Top, "key.top"),
    (KeyCode::End, NONE, Action::Bottom, "key.bottom"),
    (KeyCode::Char('G'), SHIFT, Action::Bottom, "key.bottom"),
];
