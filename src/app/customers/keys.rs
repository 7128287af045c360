//! The Customers pane's key table.

use ratatui::crossterm::event::KeyCode as K;

use crate::app::Action as A;
use crate::app::binding::{Binding, CTRL, NONE, SHIFT, b};

/// The Customers pane's keys: the welcome screen, the list and the card.
pub static KEYS: &[Binding] = &[
    b!(Welcome, K::Char('a'), NONE, A::AddCustomer, "key.add", true),
    b!(Welcome, K::Char('d'), NONE, A::LoadDemo, "key.demo", true),
    b!(Welcome, K::Char('i'), NONE, A::ImportHelp, "key.import_help", true),
    b!(List, K::Down, NONE, A::Down, "key.down", false),
    b!(List, K::Char('j'), NONE, A::Down, "key.down", false),
    b!(List, K::Up, NONE, A::Up, "key.up", false),
    b!(List, K::Char('k'), NONE, A::Up, "key.up", false),
    b!(List, K::PageDown, NONE, A::PageDown, "key.page_down", false),
    b!(List, K::Char('d'), CTRL, A::PageDown, "key.page_down", false),
    b!(List, K::PageUp, NONE, A::PageUp, "key.page_up", false),
    b!(List, K::Char('u'), CTRL, A::PageUp, "key.page_up", false),
    b!(List, K::Home, NONE, A::Top, "key.top", false),
    b!(List, K::Char('g'), NONE, A::Top, "key.top", false),
    b!(List, K::End, NONE, A::Bottom, "key.bottom", false),
    b!(List, K::Char('G'), SHIFT, A::Bottom, "key.bottom", false),
    b!(List, K::Char('/'), NONE, A::StartSearch, "key.search", true),
    b!(List, K::Enter, NONE, A::OpenCard, "key.card", true),
    b!(List, K::Char('a'), NONE, A::AddCustomer, "key.add", true),
    b!(List, K::Char('e'), NONE, A::EditCustomer, "key.edit", true),
    b!(List, K::Char('l'), NONE, A::LogInteraction, "key.log", true),
    b!(List, K::Char('s'), NONE, A::ChangeStatus, "key.status", true),
    b!(List, K::Char('o'), NONE, A::CycleSort, "key.sort", true),
    b!(List, K::Esc, NONE, A::Back, "key.clear_search", false),
    b!(Card, K::Esc, NONE, A::Back, "key.back", true),
    // Before the card's other keys, so the footer shows it at 80 columns.
    b!(
        Card,
        K::Char(']'),
        NONE,
        A::Find(crate::app::find::Cmd::NextCustomer),
        "key.next_customer",
        true
    ),
    b!(
        Card,
        K::Char('['),
        NONE,
        A::Find(crate::app::find::Cmd::PrevCustomer),
        "key.prev_customer",
        false
    ),
    b!(Card, K::Char('e'), NONE, A::EditCustomer, "key.edit", true),
    b!(Card, K::Char('l'), NONE, A::LogInteraction, "key.log", true),
    b!(Card, K::Char('s'), NONE, A::ChangeStatus, "key.status", true),
    b!(Card, K::Down, NONE, A::Down, "key.scroll_down", false),
    b!(Card, K::Char('j'), NONE, A::Down, "key.scroll_down", false),
    b!(Card, K::Up, NONE, A::Up, "key.scroll_up", false),
    b!(Card, K::Char('k'), NONE, A::Up, "key.scroll_up", false),
    b!(Card, K::PageDown, NONE, A::PageDown, "key.page_down", false),
    b!(Card, K::Char('d'), CTRL, A::PageDown, "key.page_down", false),
    b!(Card, K::PageUp, NONE, A::PageUp, "key.page_up", false),
    b!(Card, K::Char('u'), CTRL, A::PageUp, "key.page_up", false),
    b!(Card, K::Home, NONE, A::Top, "key.top", false),
    b!(Card, K::Char('g'), NONE, A::Top, "key.top", false),
    b!(Card, K::End, NONE, A::Bottom, "key.bottom", false),
    b!(Card, K::Char('G'), SHIFT, A::Bottom, "key.bottom", false),
];
