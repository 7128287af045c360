//! Actions of the Customers pane: list, search, card and the forms.

mod keys;
mod list;

pub use keys::KEYS;

use super::binding::Ctx;
use super::form::{Form, FormKind};
use super::input::TextInput;
use super::{Action, App, Card, CardLine, Change, Effect, Level, Overlay, Pane, PaneDef};
use crate::domain::customer::Customer;
use crate::i18n::{t, tf};
use crate::search::{Results, Searcher, SortBy};
use crate::storage::{StorageError, Store};

/// Interactions the pre-call card lists (every one, newest first, up to
/// this many).
pub const CARD_INTERACTIONS: usize = 10_000;

/// Customers the TUI's "load demo data" creates.
pub const TUI_DEMO_CUSTOMERS: usize = 300;

/// What the Customers pane shows: the list, its search and sort, and the
/// pre-call card.
#[derive(Default)]
pub struct CustomersState {
    pub(super) searcher: Searcher,
    pub results: Results,
    pub query: TextInput,
    pub searching: bool,
    pub sort: SortBy,
    /// Position of the highlighted row in `results`.
    pub cursor: usize,
    /// First row on screen.
    pub offset: usize,
    /// The pre-call card is open.
    pub card: Option<Card>,
    /// The pane the card was opened from: `Esc` goes back there.
    pub back_to: Option<Pane>,
}

/// The Customers pane in the list of panes.
impl Pane {
    pub const CUSTOMERS: Pane = Pane::named("pane.customers");
}

pub static PANE: PaneDef = PaneDef {
    pane: Pane::CUSTOMERS,
    go_key: "key.pane_customers",
    contexts: &[
        Ctx::List,
        Ctx::Search,
        Ctx::Card,
        Ctx::Purchases,
        Ctx::Duplicates,
        Ctx::Merge,
        Ctx::Account,
        Ctx::AccountFind,
        Ctx::Welcome,
    ],
    keys: &[KEYS, super::find::KEYS, super::accounts::KEYS],
    enter,
    context,
    update,
    type_text,
    changed,
};

/// An open card follows the customer selected meanwhile in another pane.
fn enter(app: &mut App, store: &mut Store) {
    if let (Some(card), Some(id)) = (&app.customers.card, app.selected_id)
        && card.customer.id != id
    {
        app.open_card(store, id);
    }
}

fn context(app: &App) -> Ctx {
    if app.insights.purchases.is_some() {
        Ctx::Purchases
    } else if app.find.merge.is_some() {
        Ctx::Merge
    } else if app.find.dups.is_some() {
        Ctx::Duplicates
    } else if app.accounts.finder.is_some() {
        Ctx::AccountFind
    } else if app.accounts.view.is_some() {
        Ctx::Account
    } else if app.customers.card.is_some() {
        Ctx::Card
    } else if app.customers.searching {
        Ctx::Search
    } else if app.total == 0 {
        Ctx::Welcome
    } else {
        Ctx::List
    }
}

fn update(app: &mut App, action: Action, store: &mut Store) {
    match context(app) {
        Ctx::Purchases => super::insights::purchases::list_action(app, action, store),
        Ctx::Duplicates | Ctx::Merge => super::find::view_action(app, action, store),
        Ctx::Account => super::accounts::update(app, action, store),
        Ctx::AccountFind => super::accounts::finder::update(app, action, store),
        _ => app.customers_action(action, store),
    }
}

fn type_text(app: &mut App, s: &str) {
    if app.accounts.finder.is_some() {
        super::accounts::finder::type_text(app, s);
    } else if app.customers.searching {
        app.customers.query.insert_str(s);
        app.refilter();
    }
}

/// A write: the customer's row in the index and the list, the possible
/// duplicates, and the card when it shows that customer.
fn changed(app: &mut App, store: &Store, change: Change) {
    match change {
        Change::Customer(id) | Change::Complaint { customer: id, .. } => app.refresh_customer(store, id),
        Change::Removed(id) => app.removed(store, id),
        Change::Purchase(id) | Change::Qualification(id) => {
            if app.customers.card.as_ref().is_some_and(|c| c.customer.id == id) {
                app.open_card(store, id);
            }
        }
        Change::Book => {}
    }
    super::accounts::changed(app, store, change);
    // One more change may wait to be sent to the team server.
    super::teamsync::refresh(app, store);
}

impl App {
    pub(super) fn customers_action(&mut self, action: Action, store: &mut Store) {
        let in_card = self.customers.card.is_some();
        match action {
            Action::Down | Action::Up | Action::PageDown | Action::PageUp | Action::Top | Action::Bottom if in_card => {
                super::find::scroll_card(self, action)
            }
            Action::Down => self.move_cursor(1),
            Action::Up => self.move_cursor(-1),
            Action::PageDown => self.move_cursor(self.viewport as isize),
            Action::PageUp => self.move_cursor(-(self.viewport as isize)),
            Action::Top => self.move_cursor(-(self.customers.cursor as isize)),
            Action::Bottom => {
                self.customers.results.complete(&self.index);
                self.move_cursor(self.customers.results.len(&self.index) as isize)
            }
            Action::StartSearch => {
                self.customers.searching = true;
                if !self.index_ready() {
                    self.info("msg.index_loading");
                }
            }
            Action::AcceptSearch => self.customers.searching = false,
            Action::Back if in_card => {
                self.customers.card = None;
                super::accounts::card_closed(self, store);
                // Back where the card was opened, its selection as it was.
                if let Some(pane) = self.customers.back_to.take() {
                    self.go(pane, store);
                }
            }
            Action::Back => {
                self.customers.searching = false;
                if !self.customers.query.is_empty() {
                    self.customers.query.clear();
                    self.find.sort_on_query = false;
                    self.refilter();
                }
            }
            Action::Backspace => self.edit_query(|q| q.backspace()),
            Action::DeleteWord => self.edit_query(|q| q.delete_word()),
            Action::ClearInput => self.edit_query(|q| q.clear()),
            Action::Left => self.customers.query.left(),
            Action::Right => self.customers.query.right(),
            Action::OpenCard => {
                self.customers.searching = false;
                self.reload_card(store);
            }
            Action::CycleSort => {
                // While a query ranks best match first, `o` first applies
                // the chosen sort to the matches.
                if !self.customers.query.is_empty() && !self.find.sort_on_query {
                    self.find.sort_on_query = true;
                } else {
                    self.customers.sort = self.customers.sort.next();
                }
                self.refilter();
                let label = t(self.lang, self.customers.sort.key());
                self.message = Some((tf(self.lang, "msg.sorted", &[("by", &label)]), Level::Info));
            }
            Action::AddCustomer => {
                let blank = Customer::new("", self.now);
                self.overlay = Some(Overlay::Form(Form::customer(FormKind::NewCustomer, &blank)));
            }
            Action::EditCustomer => self.with_selected(store, |app, c| {
                app.overlay = Some(Overlay::Form(
                    Form::customer(FormKind::EditCustomer(c.id), &c).started(),
                ));
            }),
            Action::LogInteraction => self.with_selected(store, |app, c| {
                app.overlay = Some(Overlay::Form(Form::interaction(c.id, &c.name, app.now)));
            }),
            Action::ChangeStatus => self.with_selected(store, |app, c| {
                app.overlay = Some(Overlay::Form(Form::status(c.id, &c.name, c.status)));
            }),
            Action::LoadDemo => self.load_demo(store),
            Action::ScheduleFollowUp => super::agenda::open_follow_up_form(self, store),
            Action::ImportHelp => super::import::open(self),
            _ => {}
        }
    }

    fn edit_query(&mut self, f: impl FnOnce(&mut super::TextInput)) {
        if self.customers.searching {
            f(&mut self.customers.query);
            if self.customers.query.is_empty() {
                self.find.sort_on_query = false;
            }
            self.refilter();
        }
    }

    fn with_selected(&mut self, store: &mut Store, f: impl FnOnce(&mut App, Customer)) {
        let Some(id) = self.current().map(|e| e.id) else {
            self.info("msg.nothing_selected");
            return;
        };
        match store.customer(id) {
            Ok(c) => f(self, c),
            Err(e) => self.error(&e),
        }
    }

    /// Loads the pre-call card of the highlighted customer.
    fn reload_card(&mut self, store: &Store) {
        let Some(id) = self.current().map(|e| e.id) else {
            self.customers.card = None;
            return;
        };
        self.open_card(store, id);
    }

    /// The card of the next (`delta` 1) or previous (-1) customer listed.
    pub(super) fn step_card(&mut self, store: &Store, delta: isize) {
        self.move_cursor(delta);
        self.reload_card(store);
    }

    /// After a customer was deleted (or merged into another): drops them
    /// from the list.
    fn removed(&mut self, store: &Store, id: i64) {
        if self.index.remove(id) {
            self.total = self.total.saturating_sub(1);
        }
        if self.selected_id == Some(id) {
            self.selected_id = None;
        }
        if let Err(e) = self.find.refresh(store) {
            self.error(&e);
        }
        self.refilter();
    }

    /// Goes to the Customers pane with the pre-call card of `id` open.
    pub(super) fn show_card(&mut self, store: &Store, id: i64) {
        if self.pane != Pane::CUSTOMERS {
            self.customers.back_to = Some(self.pane);
        }
        self.pane = Pane::CUSTOMERS;
        self.customers.searching = false;
        self.open_card(store, id);
    }

    /// Opens the pre-call card of customer `id` (from any pane).
    pub fn open_card(&mut self, store: &Store, id: i64) {
        if self.customers.card.as_ref().is_none_or(|c| c.customer.id != id) {
            self.find.card_scroll = 0;
        }
        match Card::load(&self.card_env(), store, id) {
            Ok(c) => {
                self.selected_id = Some(id);
                self.customers.card = Some(c);
            }
            Err(e) => self.error(&e),
        }
    }

    /// After a write: refreshes that customer's row in the index, the
    /// results, and the card if it is open (through [`App::announce`]).
    fn refresh_customer(&mut self, store: &Store, id: i64) {
        if let Err(e) = self.find.refresh(store) {
            self.error(&e);
        }
        match store.customer_row(id) {
            Ok(row) => {
                let was_new = self.index.position_of(id).is_none();
                self.index.upsert(row, &self.cadence);
                if was_new {
                    self.total += 1;
                }
                self.selected_id = Some(id);
                self.refilter();
                // The customer just written stays under the cursor: where
                // the search still lists them (a rep working down a
                // search's matches keeps the search), or in the whole
                // list when it no longer does.
                if self.current().map(|e| e.id) != Some(id) && !self.customers.query.is_empty() {
                    let listed = (self.index.position_of(id))
                        .and_then(|entry| self.customers.results.position_of(&self.index, entry));
                    match listed {
                        Some(pos) => self.customers.cursor = pos,
                        None => {
                            self.customers.query.clear();
                            // The search's best match was selected.
                            self.selected_id = Some(id);
                            self.refilter();
                        }
                    }
                    self.scroll_into_view();
                    self.sync_selection();
                }
            }
            Err(e) => self.error(&e),
        }
        if self.customers.card.is_some() {
            self.reload_card(store);
        }
    }

    /// Saves one of this pane's forms (a customer, an interaction, a
    /// status); on a refusal the form comes back with the message next to
    /// the field.
    pub(super) fn submit_customer_form(&mut self, store: &mut Store, mut form: Form) {
        let now = self.now;
        let outcome: Result<Option<i64>, StorageError> = match form.kind {
            FormKind::NewCustomer => match form.to_customer(self.lang, &Customer::new("", now), now.date()) {
                Some(c) if super::find::look_alike_asked(self, store, &c, &form) => return,
                Some(c) => store.insert_customer(&c).map(Some),
                None => Ok(None),
            },
            FormKind::EditCustomer(id) => match self.save_customer_edit(store, &mut form, id) {
                Ok(super::edit::Edit::Saved) => Ok(Some(id)),
                Ok(super::edit::Edit::Back) => return,
                Err(e) => Err(e),
            },
            FormKind::LogInteraction(id) => {
                let logged = form.to_interaction(self.lang, now);
                match (logged, form.next_contact(self.lang, now.date())) {
                    (Some((kind, at, note)), Some(next)) => {
                        let contact = crate::storage::Contact {
                            kind,
                            at,
                            note: &note,
                            next: next.as_ref(),
                        };
                        store.log_and_schedule(id, &contact, now).map(|_| Some(id))
                    }
                    _ => Ok(None),
                }
            }
            FormKind::ChangeStatus(id) => match form.to_status_change(self.lang) {
                Some((status, reason)) => match super::qualification::status_guard(self, store, id, status, &form) {
                    Some(note) => store
                        .change_status(id, status, &format!("{reason}{note}"), now)
                        .map(|_| Some(id)),
                    None => return,
                },
                None => Ok(None),
            },
            FormKind::Qualification(_)
            | FormKind::Complaint(_)
            | FormKind::Agenda(_)
            | FormKind::Value(_)
            | FormKind::Find(_)
            | FormKind::Account(_) => Ok(None),
        };
        match outcome {
            Ok(Some(id)) => {
                let key = match form.kind {
                    FormKind::NewCustomer => "msg.customer_added",
                    FormKind::EditCustomer(_) => "msg.customer_saved",
                    FormKind::LogInteraction(_) => "msg.interaction_logged",
                    FormKind::ChangeStatus(_) => "msg.status_changed",
                    FormKind::Qualification(_)
                    | FormKind::Complaint(_)
                    | FormKind::Agenda(_)
                    | FormKind::Value(_)
                    | FormKind::Find(_)
                    | FormKind::Account(_) => "msg.customer_saved",
                };
                self.apply(store, [Effect::Info(key), Effect::Wrote(Change::Customer(id))]);
            }
            Ok(None) => {
                // Validation failed: the draft stays, errors next to fields.
                form.focus_first_error();
                self.message = Some((t(self.lang, "msg.fix_fields").to_string(), Level::Error));
                self.overlay = Some(Overlay::Form(form));
            }
            // Storage failed: keep the draft so nothing typed is lost.
            Err(e) => self.apply(store, [Effect::Failed(e), Effect::Form(form)]),
        }
    }

    fn load_demo(&mut self, store: &mut Store) {
        if self.total > 0 {
            self.info("msg.demo_refused");
            return;
        }
        match crate::demo::generate(store, TUI_DEMO_CUSTOMERS, 1, self.now) {
            Ok(n) => {
                match store.first_page(usize::MAX >> 1) {
                    Ok(page) => {
                        self.total = page.total;
                        self.index = crate::search::Index::build(page.rows, &self.cadence);
                        self.customers.searcher.reset();
                        self.refilter();
                        // Every pane follows the new book (the list's
                        // "left" marks among them).
                        self.announce(store, Change::Book);
                    }
                    Err(e) => self.error(&e),
                }
                self.message = Some((tf(self.lang, "msg.demo_loaded", &[("n", &n)]), Level::Info));
            }
            Err(e) => self.error(&e),
        }
    }
}

impl Card {
    /// Everything the card shows for customer `id`, each pane adding its
    /// own section.
    pub fn load(env: &super::CardEnv<'_>, store: &Store, id: i64) -> Result<Card, StorageError> {
        let qual = super::qualification::card_section(env, store, id);
        let (account, account_top) = match super::accounts::card_section(env, store, id) {
            Some((s, top)) => (Some(s), top),
            None => (None, None),
        };
        let complaints = super::complaints::card_section(env, store, id);
        let agenda = super::agenda::card_section(env, store, id);
        // The top of the card: the nearest follow-up scheduled (it may come
        // before the cadence's next due), the MAN gap and the open
        // complaints.
        let mut summary: Vec<CardLine> = Vec::new();
        let follow_up = t(env.lang, "agenda.card.follow_up");
        if let Some(first) = agenda
            .as_ref()
            .and_then(|a| a.lines.iter().find(|l| l.text.starts_with(follow_up)))
        {
            summary.push(first.clone());
        }
        if let Some(q) = &qual
            && let Some(first) = q.lines.first()
        {
            summary.push(CardLine {
                text: format!("{}{}{}", q.title, t(env.lang, "card.label_sep"), first.text),
                alert: q.lines.iter().any(|l| l.alert),
            });
        }
        if let Some(c) = &complaints {
            let open: Vec<&CardLine> = c.lines.iter().filter(|l| l.text.starts_with('#')).collect();
            if let Some(first) = open.first() {
                summary.push(CardLine {
                    text: tf(
                        env.lang,
                        "card.open_complaints",
                        &[("n", &open.len()), ("first", &first.text)],
                    ),
                    alert: open.iter().any(|l| l.alert),
                });
            }
        }
        // Who the person is at the account comes after the MAN gap and
        // the open complaints.
        summary.extend(account_top);
        let sections = [
            qual,
            complaints,
            account,
            agenda,
            super::insights::card_section(env, store, id),
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(Card {
            customer: store.customer(id)?,
            history: store.status_history(id)?,
            recent: store.recent_interactions(id, CARD_INTERACTIONS)?,
            sections,
            summary,
            left: store.departure(id)?.map(|d| d.on),
        })
    }

    /// Lines of the card's scrolling part (before wrapping): every
    /// interaction, each pane's section, the personal details, the status
    /// history. The card's renderer lays out exactly these.
    pub fn scroll_len(&self) -> usize {
        let c = &self.customer;
        let details = [
            true, // the relationship level
            c.birthday.is_some(),
            !c.hobbies.is_empty(),
            !c.family.is_empty(),
            !c.notes.is_empty(),
            !c.tags.is_empty(),
        ]
        .into_iter()
        .filter(|x| *x)
        .count();
        let sections: usize = self.sections.iter().map(|s| 2 + s.lines.len()).sum();
        1 + self.recent.len().max(1) + sections + 2 + details + 2 + self.history.len()
    }
}
