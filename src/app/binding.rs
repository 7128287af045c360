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
    /// Contexts where plain letters are text, not commands.
    pub fn takes_text(self) -> bool {
        matches!(self, Ctx::Search | Ctx::Form | Ctx::ImportFile)
    }

    /// Contexts where the global keys (quit, panes) do nothing.
    pub fn modal(self) -> bool {
        matches!(
            self,
            Ctx::Confirm | Ctx::Help | Ctx::Import | Ctx::ImportAsk | Ctx::ImportRun | Ctx::ImportDone
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
            Ctx::ImportFile | Ctx::Import | Ctx::ImportAsk | Ctx::ImportRun | Ctx::ImportDone => "io.ctx",
        }
    }
}

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
