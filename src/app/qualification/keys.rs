//! The qualification pane's keys, merged into the one key table (the
//! keymap, the footer hints and the help screen all come from it).

use ratatui::crossterm::event::KeyCode as K;

use super::QualAction as Q;
use crate::app::Action as A;
use crate::app::binding::{Binding, CTRL_MOD, Ctx, NO_MODS, b};
use crate::domain::qualification::Criterion;

/// This pane's keys (merged into the one key table).
/// The Qualification pane's contexts.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// The prospect board.
    pub const QualBoard: Ctx = Ctx::new("ctx.qual_board").scrolling();
    /// One customer's MAN checklist.
    pub const QualChecklist: Ctx = Ctx::new("ctx.qual_checklist");
}

pub static KEYS: &[Binding] = &[
    b!(QualBoard, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(QualBoard, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(QualBoard, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(QualBoard, K::Char('k'), NO_MODS, A::Up, "key.up", false),
    b!(QualBoard, K::PageDown, NO_MODS, A::PageDown, "key.page_down", false),
    b!(QualBoard, K::Char('d'), CTRL_MOD, A::PageDown, "key.page_down", false),
    b!(QualBoard, K::PageUp, NO_MODS, A::PageUp, "key.page_up", false),
    b!(QualBoard, K::Char('u'), CTRL_MOD, A::PageUp, "key.page_up", false),
    b!(QualBoard, K::Home, NO_MODS, A::Top, "key.top", false),
    b!(QualBoard, K::Char('g'), NO_MODS, A::Top, "key.top", false),
    b!(QualBoard, K::End, NO_MODS, A::Bottom, "key.bottom", false),
    b!(QualBoard, K::Char('G'), NO_MODS, A::Bottom, "key.bottom", false),
    b!(QualBoard, K::Enter, NO_MODS, A::Qual(Q::Open), "qual.key.open", true),
    b!(QualBoard, K::Char('/'), NO_MODS, A::StartSearch, "key.search", true),
    b!(
        QualBoard,
        K::Char('f'),
        NO_MODS,
        A::Qual(Q::Filter),
        "qual.key.filter",
        true
    ),
    b!(QualBoard, K::Char('c'), NO_MODS, A::Qual(Q::Card), "key.card", true),
    b!(QualBoard, K::Char('s'), NO_MODS, A::ChangeStatus, "key.status", false),
    b!(QualBoard, K::Esc, NO_MODS, A::Back, "qual.key.clear", false),
    b!(
        QualChecklist,
        K::Char('m'),
        NO_MODS,
        A::Qual(Q::Toggle(Criterion::Money)),
        "qual.key.money",
        true
    ),
    b!(
        QualChecklist,
        K::Char('a'),
        NO_MODS,
        A::Qual(Q::Toggle(Criterion::Authority)),
        "qual.key.authority",
        true
    ),
    b!(
        QualChecklist,
        K::Char('n'),
        NO_MODS,
        A::Qual(Q::Toggle(Criterion::Need)),
        "qual.key.need",
        true
    ),
    b!(
        QualChecklist,
        K::Enter,
        NO_MODS,
        A::Qual(Q::Evidence),
        "qual.key.evidence",
        true
    ),
    b!(
        QualChecklist,
        K::Char('e'),
        NO_MODS,
        A::Qual(Q::Evidence),
        "qual.key.evidence",
        false
    ),
    b!(
        QualChecklist,
        K::Char('d'),
        NO_MODS,
        A::Qual(Q::Decider),
        "qual.key.decider",
        true
    ),
    b!(QualChecklist, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(
        QualChecklist,
        K::Down,
        NO_MODS,
        A::Down,
        "qual.key.next_criterion",
        false
    ),
    b!(
        QualChecklist,
        K::Char('j'),
        NO_MODS,
        A::Down,
        "qual.key.next_criterion",
        false
    ),
    b!(QualChecklist, K::Up, NO_MODS, A::Up, "qual.key.prev_criterion", false),
    b!(
        QualChecklist,
        K::Char('k'),
        NO_MODS,
        A::Up,
        "qual.key.prev_criterion",
        false
    ),
    b!(
        QualChecklist,
        K::Char(' '),
        NO_MODS,
        A::Qual(Q::ToggleFocused),
        "qual.key.toggle_focused",
        false
    ),
    b!(
        QualChecklist,
        K::Char('s'),
        NO_MODS,
        A::ChangeStatus,
        "key.status",
        false
    ),
    b!(
        QualChecklist,
        K::Char('x'),
        NO_MODS,
        A::Qual(Q::MarkNonCustomer),
        "qual.key.mark",
        false
    ),
    b!(
        QualChecklist,
        K::Char('c'),
        NO_MODS,
        A::Qual(Q::Card),
        "key.card",
        false
    ),
    b!(
        QualChecklist,
        K::Char(']'),
        NO_MODS,
        A::Qual(Q::NextProspect),
        "qual.key.next_prospect",
        false
    ),
    b!(
        QualChecklist,
        K::Char('['),
        NO_MODS,
        A::Qual(Q::PrevProspect),
        "qual.key.prev_prospect",
        false
    ),
    b!(
        QualChecklist,
        K::PageUp,
        NO_MODS,
        A::PageUp,
        "qual.key.history_older",
        false
    ),
    b!(
        QualChecklist,
        K::Char('u'),
        CTRL_MOD,
        A::PageUp,
        "qual.key.history_older",
        false
    ),
    b!(
        QualChecklist,
        K::PageDown,
        NO_MODS,
        A::PageDown,
        "qual.key.history_newer",
        false
    ),
    b!(
        QualChecklist,
        K::Char('d'),
        CTRL_MOD,
        A::PageDown,
        "qual.key.history_newer",
        false
    ),
    // From the customer list and the pre-call card.
    b!(List, K::Char('m'), NO_MODS, A::Qual(Q::Open), "qual.key.open", false),
    b!(Card, K::Char('m'), NO_MODS, A::Qual(Q::Open), "qual.key.open", true),
];
