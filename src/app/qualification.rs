//! The qualification pane (DOMAIN §2): the prospect board, grouped by MAN
//! verdict, and one customer's MAN checklist with evidence and history.
//! Every edit is one storage transaction; the board row, the checklist and
//! an open pre-call card are refreshed from what was written.

mod board;
mod card;
mod forms;
mod keys;

pub use board::{Board, BoardLine};
pub use card::{card_section, question_key, verdict_line, who_to_find};
pub(super) use forms::confirm;
pub use forms::{PaneForm, QualConfirm, status_guard, submit};
pub use keys::KEYS;

use super::binding::Ctx;
use super::{Action, App, Change, Confirm, Effect, Level, Overlay, Pane, PaneDef};
use crate::domain::customer::{Customer, Status};
use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::domain::qualification::{Criterion, Man, QualChange, Qualification, suggests_non_customer, verdict};
use crate::i18n::{t, tf};
use crate::search::{Index, SortBy};
use crate::storage::{Burst, Colleague, ProspectRow, Store};

pub use super::action::qualification::QualAction;
use Action as A;
use QualAction as Q;

/// One customer's checklist as loaded from storage.
#[derive(Debug, Clone)]
pub struct Checklist {
    pub customer: Customer,
    pub record: Qualification,
    /// Oldest first: the qualification read as a story.
    pub history: Vec<QualChange>,
    /// Other people in the book at the same company.
    pub colleagues: Vec<Colleague>,
    pub focus: Criterion,
    /// History lines scrolled back from the newest.
    pub history_back: usize,
}

/// What the qualification pane shows.
#[derive(Debug, Default)]
pub struct QualState {
    pub board: Board,
    pub checklist: Option<Checklist>,
    /// Where Esc leaves the checklist for, when it was opened from there.
    pub return_to: Option<Pane>,
    /// A status change the user confirmed against the verdict (one shot).
    pub(super) confirmed: Option<(i64, Status)>,
    /// The criterion the last key cycled, with its burst: more presses on
    /// it in a row settle into one history entry.
    burst: Option<(i64, Criterion, Burst)>,
}

/// The keyboard context while this pane has focus.
pub fn context(app: &App) -> Ctx {
    if app.qual.checklist.is_some() {
        Ctx::QualChecklist
    } else if app.qual.board.searching {
        Ctx::Search
    } else {
        Ctx::QualBoard
    }
}

/// Called when the pane gains focus: loads the board and follows the
/// customer selected elsewhere.
pub fn enter(app: &mut App, store: &mut Store) {
    app.qual.return_to = None;
    app.qual.burst = None;
    app.qual.board.searching = false;
    reload_board(app, store);
    if app.qual.checklist.is_some()
        && let Some(id) = app.selected_id
    {
        open_checklist(app, store, id);
    }
}

/// Loads the board the first time, and again after writes that did not go
/// through [`customer_changed`] (demo data): every other write keeps it
/// current row by row, so switching panes stays instant on a large book.
fn reload_board(app: &mut App, store: &Store) {
    app.qual.board.viewport = board_rows(app.viewport);
    if app.qual.board.loaded && app.qual.board.seen_total == app.total {
        if let Some(id) = app.selected_id {
            app.qual.board.select_id(id);
        }
        return;
    }
    // With every customer in the index, only the MAN answers are read.
    let keep = app.selected_id;
    let loaded = if app.index_ready() {
        store
            .qualification_answers()
            .map(|answers| app.qual.board.load(prospects_from_index(&app.index, &answers), keep))
    } else {
        store.prospects().map(|rows| app.qual.board.load(rows, keep))
    };
    match loaded {
        Ok(()) => app.qual.board.seen_total = app.total,
        Err(e) => app.error(&e),
    }
}

/// The board rows from the search index (name order) and the answers,
/// one at a time.
fn prospects_from_index<'a>(
    index: &'a Index,
    answers: &'a HashMap<i64, (Man, Option<NaiveDateTime>)>,
) -> impl Iterator<Item = ProspectRow> + 'a {
    index
        .order(SortBy::Name)
        .iter()
        .map(|&i| (index.entry(i), index.key(i)))
        .filter(|(e, _)| matches!(e.status, Status::Potential | Status::Target))
        .map(|(e, key)| {
            let (man, updated_at) = answers.get(&e.id).copied().unwrap_or_default();
            ProspectRow {
                id: e.id,
                name: e.name().to_string(),
                company: e.company().to_string(),
                status: e.status,
                grade: e.grade,
                man,
                updated_at,
                search_key: key.to_string(),
                sort_key: e.sort_key().to_string(),
            }
        })
}

/// Rows of the board for the list's viewport (the board shows the count
/// bar, the search line and group headers above its rows).
fn board_rows(list_viewport: usize) -> usize {
    list_viewport.saturating_sub(2).max(1)
}

/// Makes `id` the selected customer everywhere: the customer list follows
/// when it is not filtered.
fn select(app: &mut App, id: i64) {
    app.selected_id = Some(id);
    if app.customers.query.is_empty() {
        app.refilter();
        app.selected_id = Some(id);
    }
}

/// Loads and shows the checklist of customer `id`.
pub fn open_checklist(app: &mut App, store: &Store, id: i64) {
    let loaded = (|| {
        Ok::<_, crate::storage::StorageError>((
            store.customer(id)?,
            store.qualification(id)?,
            store.qualification_history(id)?,
            store.colleagues(id)?,
        ))
    })();
    match loaded {
        Ok((customer, record, history, colleagues)) => {
            let same = app.qual.checklist.as_ref().is_some_and(|c| c.customer.id == id);
            let focus = match &app.qual.checklist {
                Some(c) if same => c.focus,
                _ => verdict(&record.man()).ask_next.unwrap_or(Criterion::Money),
            };
            app.qual.checklist = Some(Checklist {
                customer,
                record,
                history,
                colleagues,
                focus,
                history_back: 0,
            });
            app.qual.board.select_id(id);
            select(app, id);
        }
        Err(e) => app.error(&e),
    }
}

/// The Qualification pane in the list of panes.
impl Pane {
    pub const QUALIFICATION: Pane = Pane::named("pane.qualification");
}

pub static PANE: PaneDef = PaneDef {
    pane: Pane::QUALIFICATION,
    go_key: "key.pane_qualification",
    contexts: &[Ctx::QualBoard, Ctx::QualChecklist],
    keys: &[KEYS],
    enter,
    context,
    update,
    type_text: |app, s| {
        if takes_text(app) {
            type_text(app, s)
        }
    },
    changed,
};

/// A write: the customer's board row and an open checklist follow.
fn changed(app: &mut App, store: &Store, change: Change) {
    if let Some(id) = change.customer() {
        customer_changed(app, store, id);
    }
}

/// A customer's status, name, company or MAN answers changed: the board
/// row and an open checklist follow.
fn customer_changed(app: &mut App, store: &Store, id: i64) {
    if app.qual.board.loaded {
        app.qual.board.seen_total = app.total;
        match store.prospect(id) {
            Ok(row) => app.qual.board.replace(id, row),
            Err(e) => app.error(&e),
        }
    }
    if app.qual.checklist.as_ref().is_some_and(|c| c.customer.id == id) {
        open_checklist(app, store, id);
    }
}

/// Applies an action while this pane has focus, and `m` from the list or
/// the card.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    app.qual.board.viewport = board_rows(app.viewport);
    match app.context() {
        Ctx::QualChecklist => checklist_action(app, action, store),
        Ctx::QualBoard => board_action(app, action, store),
        Ctx::Search if app.pane == Pane::QUALIFICATION => search_action(app, action),
        _ => from_customers(app, action, store),
    }
}

/// `m` on the customer list or the pre-call card: that customer's checklist.
fn from_customers(app: &mut App, action: Action, store: &mut Store) {
    if action != A::Qual(Q::Open) {
        return;
    }
    let id = match &app.customers.card {
        Some(card) => Some(card.customer.id),
        None => app.current().map(|e| e.id),
    };
    let Some(id) = id else {
        app.info("msg.nothing_selected");
        return;
    };
    app.pane = Pane::QUALIFICATION;
    app.customers.searching = false;
    app.qual.board.searching = false;
    reload_board(app, store);
    open_checklist(app, store, id);
    app.qual.return_to = Some(Pane::CUSTOMERS);
}

fn board_action(app: &mut App, action: Action, store: &mut Store) {
    let page = app.qual.board.viewport as isize;
    let moved = match action {
        A::Down => app.qual.board.move_by(1),
        A::Up => app.qual.board.move_by(-1),
        A::PageDown => app.qual.board.move_by(page),
        A::PageUp => app.qual.board.move_by(-page),
        A::Top => app.qual.board.move_by(isize::MIN / 2),
        A::Bottom => app.qual.board.move_by(isize::MAX / 2),
        A::StartSearch => {
            app.qual.board.searching = true;
            false
        }
        A::Back => {
            app.qual.board.clear_filters();
            true
        }
        A::Qual(Q::Filter) => {
            app.qual.board.next_filter();
            let what = match app.qual.board.filter {
                Some(v) => t(app.lang, v.key()),
                None => t(app.lang, "qual.board.all"),
            };
            app.message = Some((tf(app.lang, "qual.msg.filter", &[("what", &what)]), Level::Info));
            true
        }
        A::Qual(Q::Open) => {
            match app.qual.board.current_id() {
                Some(id) => open_checklist(app, store, id),
                None => app.info("msg.nothing_selected"),
            }
            false
        }
        A::Qual(Q::Card) => {
            match app.qual.board.current_id() {
                Some(id) => jump_to_card(app, store, id),
                None => app.info("msg.nothing_selected"),
            }
            false
        }
        A::ChangeStatus => {
            if let Some(id) = app.qual.board.current_id() {
                open_status_form(app, store, id);
            }
            false
        }
        _ => false,
    };
    if moved && let Some(id) = app.qual.board.current_id() {
        select(app, id);
    }
}

fn search_action(app: &mut App, action: Action) {
    let board = &mut app.qual.board;
    match action {
        A::AcceptSearch => board.searching = false,
        A::Back => {
            board.searching = false;
            board.query.clear();
        }
        A::Down => {
            board.move_by(1);
        }
        A::Up => {
            board.move_by(-1);
        }
        A::Backspace => board.query.backspace(),
        A::DeleteWord => board.query.delete_word(),
        A::ClearInput => board.query.clear(),
        A::Left => board.query.left(),
        A::Right => board.query.right(),
        _ => return,
    }
    if !matches!(action, A::Left | A::Right | A::AcceptSearch | A::Down | A::Up) {
        board.rebuild();
    }
    if let Some(id) = app.qual.board.current_id() {
        select(app, id);
    }
}

/// Text typed into the board's search line.
pub fn type_text(app: &mut App, s: &str) {
    app.qual.board.query.insert_str(s);
    app.qual.board.rebuild();
    if let Some(id) = app.qual.board.current_id() {
        select(app, id);
    }
}

/// Whether typed text belongs to the board's search line.
pub fn takes_text(app: &App) -> bool {
    app.pane == Pane::QUALIFICATION && app.qual.checklist.is_none() && app.qual.board.searching
}

fn checklist_action(app: &mut App, action: Action, store: &mut Store) {
    let Some(list) = &mut app.qual.checklist else {
        return;
    };
    let id = list.customer.id;
    let idx = list.focus as usize;
    // Any other key ends a burst of cycling.
    let burst = app.qual.burst.take();
    match action {
        A::Down => list.focus = Criterion::ALL[(idx + 1) % 3],
        A::Up => list.focus = Criterion::ALL[(idx + 2) % 3],
        A::PageUp => list.history_back = (list.history_back + 5).min(list.history.len().saturating_sub(1)),
        A::PageDown => list.history_back = list.history_back.saturating_sub(5),
        A::Back => {
            app.qual.checklist = None;
            if let Some(pane) = app.qual.return_to.take() {
                // Back where it was opened; an open card follows the customer.
                app.pane = pane;
                if app.customers.card.is_some() {
                    app.open_card(store, id);
                }
            }
        }
        A::Qual(Q::Toggle(c)) => toggle(app, store, id, c, burst),
        A::Qual(Q::ToggleFocused) => {
            let c = list.focus;
            toggle(app, store, id, c, burst);
        }
        A::Qual(Q::Evidence) => {
            let c = list.focus;
            forms::open_evidence(app, c);
        }
        A::Qual(Q::Decider) => forms::open_decider(app, store),
        A::Qual(Q::Card) => jump_to_card(app, store, id),
        A::Qual(Q::MarkNonCustomer) => offer_non_customer(app),
        A::Qual(Q::NextProspect) | A::Qual(Q::PrevProspect) => {
            let step = if action == A::Qual(Q::NextProspect) { 1 } else { -1 };
            let board = &mut app.qual.board;
            if board.current_id() == Some(id) || !board.contains(id) {
                board.move_by(step);
            } else {
                board.select_id(id);
                board.move_by(step);
            }
            match board.current_id() {
                Some(next) if next != id => open_checklist(app, store, next),
                _ => app.info("qual.msg.no_more"),
            }
        }
        A::ChangeStatus => open_status_form(app, store, id),
        _ => {}
    }
}

/// Cycles criterion `c`; presses in a row on the same one are a burst that
/// leaves one history entry for the answer it settles on.
fn toggle(app: &mut App, store: &mut Store, id: i64, c: Criterion, burst: Option<(i64, Criterion, Burst)>) {
    let burst = match burst {
        Some((bid, bc, b)) if bid == id && bc == c => b,
        _ => {
            let Some(list) = &app.qual.checklist else { return };
            Burst {
                before: list.record.evidence(c).clone(),
                row: None,
            }
        }
    };
    match store.toggle_criterion_in_burst(id, c, &burst, app.now) {
        Ok((record, change, burst)) => {
            match change {
                Some(change) => after_edit(app, store, id, &record, &change),
                None => {
                    open_checklist(app, store, id);
                    app.info("qual.msg.back_as_before");
                }
            }
            app.qual.burst = Some((id, c, burst));
        }
        Err(e) => app.error(&e),
    }
}

/// After a saved edit: refreshes what shows it and says what happened,
/// offering non-customer for "m a n" (never automatically).
pub(super) fn after_edit(app: &mut App, store: &Store, id: i64, record: &Qualification, change: &QualChange) {
    app.announce(store, Change::Qualification(id));
    let man = record.man();
    let v = verdict(&man).verdict;
    let what = t(app.lang, change.topic.key());
    let mut msg = match change.topic {
        crate::domain::qualification::Topic::Criterion(c) => tf(
            app.lang,
            "qual.msg.set",
            &[
                ("criterion", &what),
                ("answer", &t(app.lang, man.get(c).key())),
                ("verdict", &t(app.lang, v.key())),
            ],
        ),
        crate::domain::qualification::Topic::Decider => t(app.lang, "qual.msg.saved").to_string(),
    };
    let status = app.qual.checklist.as_ref().map(|c| c.customer.status);
    if suggests_non_customer(&man) && status != Some(Status::NonCustomer) {
        msg.push(' ');
        msg.push_str(t(app.lang, "qual.msg.offer_non_customer"));
    }
    app.message = Some((msg, Level::Info));
}

fn offer_non_customer(app: &mut App) {
    let Some(list) = &app.qual.checklist else { return };
    let id = list.customer.id;
    if list.customer.status == Status::NonCustomer {
        app.info("qual.msg.already_non_customer");
    } else if suggests_non_customer(&list.record.man()) {
        app.overlay = Some(Overlay::Confirm(Confirm::Qual(QualConfirm::MarkNonCustomer { id })));
    } else {
        app.info("qual.msg.mark_only_man");
    }
}

fn open_status_form(app: &mut App, store: &Store, id: i64) {
    match store.customer(id) {
        Ok(c) => app.overlay = Some(Overlay::Form(super::form::Form::status(c.id, &c.name, c.status))),
        Err(e) => app.error(&e),
    }
}

/// Opens the pre-call card of `id` in the Customers pane.
fn jump_to_card(app: &mut App, store: &mut Store, id: i64) {
    app.qual.return_to = None;
    select(app, id);
    app.apply(store, [Effect::Card(id)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The board built from the index equals the one read from SQL.
    #[test]
    fn the_index_and_the_database_give_the_same_board() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut store = Store::open(&path).unwrap();
        let now = NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap();
        crate::demo::generate(&mut store, 150, 5, now).unwrap();
        let cadence = crate::domain::cadence::Cadence::default();
        let index = Index::build(crate::storage::read_all_rows(&path).unwrap(), &cadence);
        let answers = store.qualification_answers().unwrap();
        let from_index: Vec<ProspectRow> = prospects_from_index(&index, &answers).collect();
        let mut from_sql = store.prospects().unwrap();
        from_sql.sort_by(|a, b| (a.sort_key.as_str(), a.id).cmp(&(b.sort_key.as_str(), b.id)));
        assert!(from_index.len() > 40);
        assert_eq!(from_index, from_sql);
        // And the board holds them in that order, texts intact.
        let mut board = Board::default();
        board.load(from_sql.clone(), None);
        let names: Vec<&str> = board.rows.iter().map(|r| board.name(r)).collect();
        let expected: Vec<&str> = from_sql.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, expected);
    }
}
