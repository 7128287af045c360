//! The complaints pane's keys: the list, one complaint, the review.

use ratatui::crossterm::event::KeyCode as K;

use crate::app::Action;
use crate::app::binding::{Binding, CTRL_MOD, Ctx, NO_MODS, SHIFT_MOD, b};

pub use crate::app::action::complaints::Cmd;
use Action as A;
use Cmd as C;

/// This pane's keys (merged into the one key table).
/// The Complaints pane's contexts.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// The list.
    pub const Complaints: Ctx = Ctx::new("ctx.complaints").scrolling();
    /// One complaint's record and timeline.
    pub const ComplaintDetail: Ctx = Ctx::new("ctx.complaint_detail").scrolling();
    /// The review statistics.
    pub const ComplaintReview: Ctx = Ctx::new("ctx.complaint_review");
}

pub static KEYS: &[Binding] = &[
    b!(Complaints, K::Enter, NO_MODS, A::OpenCard, "complaints.key.open", true),
    b!(
        Complaints,
        K::Char('a'),
        NO_MODS,
        A::Complaint(C::Record),
        "complaints.key.record",
        true
    ),
    b!(
        Complaints,
        K::Char('n'),
        NO_MODS,
        A::Complaint(C::NextStep),
        "complaints.key.next_step",
        true
    ),
    b!(
        Complaints,
        K::Char('e'),
        NO_MODS,
        A::Complaint(C::Edit),
        "complaints.key.edit",
        false
    ),
    b!(Complaints, K::Char('/'), NO_MODS, A::StartSearch, "key.search", true),
    b!(
        Complaints,
        K::Char('f'),
        NO_MODS,
        A::Complaint(C::CycleState),
        "complaints.key.state_filter",
        true
    ),
    b!(
        Complaints,
        K::Char('c'),
        NO_MODS,
        A::Complaint(C::CycleCategory),
        "complaints.key.category_filter",
        true
    ),
    b!(
        Complaints,
        K::Char('u'),
        NO_MODS,
        A::Complaint(C::OnlyCustomer),
        "complaints.key.customer_filter",
        true
    ),
    b!(
        Complaints,
        K::Char('r'),
        NO_MODS,
        A::Complaint(C::Review),
        "complaints.key.review",
        true
    ),
    b!(Complaints, K::Esc, NO_MODS, A::Back, "complaints.key.clear", false),
    b!(Complaints, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(Complaints, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(Complaints, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(Complaints, K::Char('k'), NO_MODS, A::Up, "key.up", false),
    b!(Complaints, K::PageDown, NO_MODS, A::PageDown, "key.page_down", false),
    b!(Complaints, K::Char('d'), CTRL_MOD, A::PageDown, "key.page_down", false),
    b!(Complaints, K::PageUp, NO_MODS, A::PageUp, "key.page_up", false),
    b!(Complaints, K::Char('u'), CTRL_MOD, A::PageUp, "key.page_up", false),
    b!(Complaints, K::Home, NO_MODS, A::Top, "key.top", false),
    b!(Complaints, K::Char('g'), NO_MODS, A::Top, "key.top", false),
    b!(Complaints, K::End, NO_MODS, A::Bottom, "key.bottom", false),
    b!(Complaints, K::Char('G'), SHIFT_MOD, A::Bottom, "key.bottom", false),
    b!(ComplaintDetail, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(
        ComplaintDetail,
        K::Char('n'),
        NO_MODS,
        A::Complaint(C::NextStep),
        "complaints.key.next_step",
        true
    ),
    b!(
        ComplaintDetail,
        K::Char('s'),
        NO_MODS,
        A::Complaint(C::Skip),
        "complaints.key.skip",
        true
    ),
    b!(
        ComplaintDetail,
        K::Char('p'),
        NO_MODS,
        A::Complaint(C::Promise),
        "complaints.key.promise",
        true
    ),
    b!(
        ComplaintDetail,
        K::Char('w'),
        NO_MODS,
        A::Complaint(C::WaitResume),
        "complaints.key.wait",
        true
    ),
    b!(
        ComplaintDetail,
        K::Char('e'),
        NO_MODS,
        A::Complaint(C::Edit),
        "complaints.key.edit",
        true
    ),
    b!(ComplaintDetail, K::Down, NO_MODS, A::Down, "complaints.key.next", false),
    b!(
        ComplaintDetail,
        K::Char('j'),
        NO_MODS,
        A::Down,
        "complaints.key.next",
        false
    ),
    b!(ComplaintDetail, K::Up, NO_MODS, A::Up, "complaints.key.prev", false),
    b!(
        ComplaintDetail,
        K::Char('k'),
        NO_MODS,
        A::Up,
        "complaints.key.prev",
        false
    ),
    b!(
        ComplaintDetail,
        K::PageDown,
        NO_MODS,
        A::PageDown,
        "complaints.key.scroll_down",
        false
    ),
    b!(
        ComplaintDetail,
        K::PageUp,
        NO_MODS,
        A::PageUp,
        "complaints.key.scroll_up",
        false
    ),
    b!(ComplaintReview, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(ComplaintReview, K::Char('r'), NO_MODS, A::Back, "key.back", false),
    b!(
        ComplaintReview,
        K::Char('t'),
        NO_MODS,
        A::Complaint(C::Period),
        "complaints.key.period",
        true
    ),
    b!(
        ComplaintReview,
        K::Right,
        NO_MODS,
        A::Complaint(C::Period),
        "complaints.key.period",
        false
    ),
    b!(
        ComplaintReview,
        K::Left,
        NO_MODS,
        A::Left,
        "complaints.key.period_back",
        false
    ),
];
