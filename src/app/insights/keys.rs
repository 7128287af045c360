//! The Insights pane's keys, and the purchase keys of the card and list.

use ratatui::crossterm::event::KeyCode as K;

use crate::app::Action as A;
pub use crate::app::action::insights::Cmd;
use crate::app::binding::{Binding, Ctx, NO_MODS, SHIFT_MOD, b};

/// The Insights pane's contexts, and the purchases over the card.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// Headline, Pareto, R×F grid, segments, suggestions.
    pub const Insights: Ctx = Ctx::new("ctx.insights");
    /// The customers of a grid cell or a segment.
    pub const InsightsList: Ctx = Ctx::new("ctx.insights_list").scrolling();
    /// A customer's purchases, over the card.
    pub const Purchases: Ctx = Ctx::new("ctx.purchases").scrolling();
}

pub static KEYS: &[Binding] = &[
    b!(
        Insights,
        K::Char('t'),
        NO_MODS,
        A::Insights(Cmd::Period),
        "insights.key.period",
        true
    ),
    b!(
        Insights,
        K::Char('f'),
        NO_MODS,
        A::Insights(Cmd::Focus),
        "insights.key.focus",
        true
    ),
    b!(Insights, K::Enter, NO_MODS, A::OpenCard, "insights.key.open", true),
    b!(
        Insights,
        K::Char(' '),
        NO_MODS,
        A::Insights(Cmd::Mark),
        "insights.key.mark",
        true
    ),
    b!(
        Insights,
        K::Char('a'),
        NO_MODS,
        A::Insights(Cmd::Accept),
        "insights.key.accept",
        true
    ),
    b!(
        Insights,
        K::Char('A'),
        SHIFT_MOD,
        A::Insights(Cmd::AcceptAll),
        "insights.key.accept_all",
        false
    ),
    b!(Insights, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(Insights, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(Insights, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(Insights, K::Char('k'), NO_MODS, A::Up, "key.up", false),
    b!(Insights, K::Left, NO_MODS, A::Left, "insights.key.left", false),
    b!(Insights, K::Char('h'), NO_MODS, A::Left, "insights.key.left", false),
    b!(Insights, K::Right, NO_MODS, A::Right, "insights.key.right", false),
    b!(Insights, K::Char('l'), NO_MODS, A::Right, "insights.key.right", false),
    b!(Insights, K::PageDown, NO_MODS, A::PageDown, "key.page_down", false),
    b!(Insights, K::PageUp, NO_MODS, A::PageUp, "key.page_up", false),
    b!(InsightsList, K::Enter, NO_MODS, A::OpenCard, "key.card", true),
    b!(InsightsList, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(InsightsList, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(InsightsList, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(InsightsList, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(InsightsList, K::Char('k'), NO_MODS, A::Up, "key.up", false),
    b!(InsightsList, K::PageDown, NO_MODS, A::PageDown, "key.page_down", false),
    b!(InsightsList, K::PageUp, NO_MODS, A::PageUp, "key.page_up", false),
    b!(InsightsList, K::Home, NO_MODS, A::Top, "key.top", false),
    b!(InsightsList, K::End, NO_MODS, A::Bottom, "key.bottom", false),
    b!(
        Card,
        K::Char('b'),
        NO_MODS,
        A::Insights(Cmd::AddPurchase),
        "insights.key.add_purchase",
        true
    ),
    b!(
        Card,
        K::Char('p'),
        NO_MODS,
        A::Insights(Cmd::Purchases),
        "insights.key.purchases",
        true
    ),
    b!(
        List,
        K::Char('b'),
        NO_MODS,
        A::Insights(Cmd::AddPurchase),
        "insights.key.add_purchase",
        false
    ),
    b!(
        Purchases,
        K::Char('a'),
        NO_MODS,
        A::Insights(Cmd::AddPurchase),
        "insights.key.add_purchase",
        true
    ),
    b!(
        Purchases,
        K::Char('b'),
        NO_MODS,
        A::Insights(Cmd::AddPurchase),
        "insights.key.add_purchase",
        false
    ),
    b!(
        Purchases,
        K::Enter,
        NO_MODS,
        A::Insights(Cmd::EditPurchase),
        "insights.key.edit_purchase",
        true
    ),
    b!(
        Purchases,
        K::Char('e'),
        NO_MODS,
        A::Insights(Cmd::EditPurchase),
        "insights.key.edit_purchase",
        false
    ),
    b!(
        Purchases,
        K::Char('x'),
        NO_MODS,
        A::Insights(Cmd::DeletePurchase),
        "insights.key.delete_purchase",
        true
    ),
    b!(
        Purchases,
        K::Delete,
        NO_MODS,
        A::Insights(Cmd::DeletePurchase),
        "insights.key.delete_purchase",
        false
    ),
    b!(Purchases, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(Purchases, K::Down, NO_MODS, A::Down, "key.down", false),
    b!(Purchases, K::Char('j'), NO_MODS, A::Down, "key.down", false),
    b!(Purchases, K::Up, NO_MODS, A::Up, "key.up", false),
    b!(Purchases, K::Char('k'), NO_MODS, A::Up, "key.up", false),
];
