//! The seam between the app and its panes.
//!
//! A pane is one entry in `crate::panes::PANES` (a [`PaneEntry`]): its
//! [`PaneDef`] — its id, its keyboard contexts and key tables, what it does
//! when it gains focus, how it handles an action and typed text, and how it
//! follows a write — and its render in `src/ui`. Its state is a field of
//! `App` or, for a pane added without touching `App`, a value in
//! [`PaneStates`]. A pane answers an action with
//! [`Effect`]s that the app applies; a write is announced once as a
//! [`Change`] and every pane hears it through [`super::App::announce`],
//! never through refresh calls wired at each write site.

use std::any::{Any, TypeId};
use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::binding::{Binding, Ctx};
use super::form::Form;
use super::{Action, App, Overlay};
use crate::storage::{StorageError, Store};

/// Which pane: the catalog key of its tab title, which names it. Each
/// pane's module declares its own (`impl Pane { pub const AGENDA ... }`),
/// so adding a pane touches no list of variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pane(&'static str);

impl Pane {
    /// The pane whose tab title is the catalog key `title`.
    pub const fn named(title: &'static str) -> Pane {
        Pane(title)
    }

    /// Catalog key of the tab title.
    pub fn key(self) -> &'static str {
        self.0
    }
}

/// What a write changed, announced once to every pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A customer's record, status, contact or anything shown with them.
    Customer(i64),
    /// A customer was deleted or merged into another.
    Removed(i64),
    /// A complaint (and so its customer's last contact).
    Complaint { id: i64, customer: i64 },
    /// A purchase of this customer (the value analysis follows).
    Purchase(i64),
    /// A customer's MAN answers or decider.
    Qualification(i64),
    /// Many customers at once (demo data, an import).
    Book,
}

impl Change {
    /// The customer the change is about, when there is one.
    pub fn customer(self) -> Option<i64> {
        match self {
            Change::Customer(id) | Change::Removed(id) | Change::Purchase(id) | Change::Qualification(id) => Some(id),
            Change::Complaint { customer, .. } => Some(customer),
            Change::Book => None,
        }
    }
}

/// What a pane asks of the app after an action.
#[derive(Debug)]
pub enum Effect {
    /// A message in the status bar (catalog key).
    Info(&'static str),
    /// A read or a write failed: the status bar says so.
    Failed(StorageError),
    /// Open a form over the pane.
    Form(Form),
    /// Open the pre-call card of this customer.
    Card(i64),
    /// Go to a pane (remembering where we came from, for `Esc`).
    Go(Pane),
    /// Something was written: every pane follows.
    Wrote(Change),
}

/// How a pane draws itself from `&App` (the function lives in `src/ui`).
pub type Render = fn(&App, &mut Frame, Rect);

/// One entry of the list of panes (`crate::panes::PANES`): what the pane
/// does ([`PaneDef`], in `src/app`) and how it is drawn (in `src/ui`). The
/// app is given the list when it is built, so `src/app` never names
/// `src/ui`.
#[derive(Clone, Copy)]
pub struct PaneEntry {
    pub def: &'static PaneDef,
    pub render: Render,
}

/// One pane: its id and the functions the app routes to.
pub struct PaneDef {
    pub pane: Pane,
    /// Catalog key of what its digit does ("go to the agenda"); the digits
    /// follow the order of the list.
    pub go_key: &'static str,
    /// Its keyboard contexts, in the order help lists them.
    pub contexts: &'static [Ctx],
    /// Its key tables (gathered by `keymap::KeyTable`).
    pub keys: &'static [&'static [Binding]],
    /// The pane gains focus: load or refresh what it shows.
    pub enter: fn(&mut App, &mut Store),
    /// The keyboard context while the pane has focus and nothing is over it.
    pub context: fn(&App) -> Ctx,
    /// An action while the pane has focus.
    pub update: fn(&mut App, Action, &mut Store),
    /// Text typed while the pane has focus (its search line).
    pub type_text: fn(&mut App, &str),
    /// A write happened (in this pane or another): follow it.
    pub changed: fn(&mut App, &Store, Change),
}

impl App {
    /// Applies what a pane answered, in order.
    pub fn apply(&mut self, store: &mut Store, effects: impl IntoIterator<Item = Effect>) {
        for effect in effects {
            match effect {
                Effect::Info(key) => self.info(key),
                Effect::Failed(e) => self.error(&e),
                Effect::Form(form) => self.overlay = Some(Overlay::Form(form)),
                Effect::Card(id) => self.show_card(store, id),
                Effect::Go(pane) => self.go(pane, store),
                Effect::Wrote(change) => self.announce(store, change),
            }
        }
    }

    /// The one path by which a write reaches every pane.
    pub fn announce(&mut self, store: &Store, change: Change) {
        for entry in self.panes {
            (entry.def.changed)(self, store, change);
        }
    }
}

/// The state of panes, one value of each type: a pane added later keeps
/// its state here (`app.state::<NotesState>()`), so adding a pane adds no
/// field to `App`.
#[derive(Default)]
pub struct PaneStates(HashMap<TypeId, Box<dyn Any>>);

impl App {
    /// The entry of `pane` in the list of panes.
    pub fn entry(&self, pane: Pane) -> &'static PaneEntry {
        let panes = self.panes;
        panes
            .iter()
            .find(|e| e.def.pane == pane)
            .or(panes.first())
            .expect("the app has at least one pane")
    }

    /// What `pane` does.
    pub fn def(&self, pane: Pane) -> &'static PaneDef {
        self.entry(pane).def
    }

    /// The focused pane's place in the tab order.
    pub fn tab(&self) -> usize {
        self.panes.iter().position(|e| e.def.pane == self.pane).unwrap_or(0)
    }

    pub(super) fn go_pane(&mut self, n: usize, store: &mut Store) {
        if let Some(p) = self.panes.get(n) {
            // Chosen by hand: the card no longer goes back anywhere.
            self.customers.back_to = None;
            self.go(p.def.pane, store);
        }
    }

    /// Gives a pane the focus: it loads or refreshes what it shows.
    pub fn go(&mut self, pane: Pane, store: &mut Store) {
        self.pane = pane;
        self.customers.searching = false;
        (self.def(pane).enter)(self, store);
    }

    /// The state of type `T`, made with its `Default` at first use.
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        self.states
            .0
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut()
            .expect("a state is kept under its own type")
    }

    /// The state of type `T`, if a pane made it (for drawing).
    pub fn state_of<T: 'static>(&self) -> Option<&T> {
        self.states.0.get(&TypeId::of::<T>()).and_then(|s| s.downcast_ref())
    }
}
