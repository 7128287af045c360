//! The complaints pane's state and actions: every complaint nearest
//! deadline first with filters and search, one complaint's record and
//! timeline, the review statistics, and (in `forms`) the forms that record a
//! complaint and work it through the six steps (DOMAIN §5).
//!
//! Times: the database and the domain work in UTC; `zone` turns the app's
//! local clock into UTC and stored times back into wall-clock time.

mod card;
mod edit;
mod fields;
mod forms;
mod keys;
mod labels;

pub use card::card_section;
pub use forms::{PaneForm, StepForm, follow, low_satisfaction, submit};
pub use keys::{Cmd, KEYS};
pub use labels::{edit_line, span_label, time_left_label};

use super::binding::Ctx;
use super::input::TextInput;
use super::{Action, App, Change, Level, Pane, PaneDef};
use crate::domain::complaint::record::Complaint;
use crate::domain::complaint::review::{Review, review};
use crate::domain::complaint::zone::Zone;
use crate::domain::complaint::{Category, ComplaintConfig, TimelineEntry};
use crate::domain::searchkey::{FIELD_SEP, pinyin_of};
use crate::i18n::{t, tf};
use crate::search::{classify, normalize_query};

use crate::storage::{ComplaintRow, Store};
use Action as A;
use Cmd as C;

/// Which screen of the pane is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    Detail,
    Review,
}

/// The state filter of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateFilter {
    /// Open or waiting.
    #[default]
    Open,
    Overdue,
    Waiting,
    Closed,
    All,
}

impl StateFilter {
    const ALL: [StateFilter; 5] = [
        StateFilter::Open,
        StateFilter::Overdue,
        StateFilter::Waiting,
        StateFilter::Closed,
        StateFilter::All,
    ];

    pub fn key(self) -> &'static str {
        match self {
            StateFilter::Open => "complaints.filter.open",
            StateFilter::Overdue => "complaints.filter.overdue",
            StateFilter::Waiting => "complaints.filter.waiting",
            StateFilter::Closed => "complaints.filter.closed",
            StateFilter::All => "complaints.filter.all",
        }
    }

    fn keeps(self, c: &Complaint, now: chrono::NaiveDateTime) -> bool {
        match self {
            StateFilter::Open => !c.state.is_closed(),
            StateFilter::Overdue => c.is_overdue(now),
            StateFilter::Waiting => c.is_waiting(),
            StateFilter::Closed => c.state.is_closed(),
            StateFilter::All => true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub state: StateFilter,
    pub category: Option<Category>,
    /// Only this customer (id, name).
    pub customer: Option<(i64, String)>,
}

/// One complaint opened: its record and timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub row: ComplaintRow,
    pub timeline: Vec<TimelineEntry>,
    pub scroll: u16,
}

/// Review periods, in days.
pub const PERIODS: [i64; 3] = [30, 90, 365];

/// What the complaints pane shows.
#[derive(Debug, Default)]
pub struct ComplaintsState {
    /// Deadlines (from `[complaints]` in the config).
    pub config: ComplaintConfig,
    /// The zone of the app's clock.
    pub zone: Zone,
    pub view: View,
    /// Every complaint with its customer.
    pub rows: Vec<ComplaintRow>,
    /// Search text per row (customer key, complainant, subject, content).
    keys: Vec<String>,
    /// Rows listed: indices into `rows`, filtered and nearest deadline first.
    pub shown: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
    pub filters: Filters,
    pub query: TextInput,
    pub searching: bool,
    pub detail: Option<Detail>,
    pub review_days: i64,
    pub review: Option<Review>,
}

impl ComplaintsState {
    /// The complaint under the cursor.
    pub fn current(&self) -> Option<&ComplaintRow> {
        self.shown.get(self.cursor).map(|&i| &self.rows[i])
    }
}

/// The app's clock in UTC.
pub fn now_utc(app: &App) -> chrono::NaiveDateTime {
    app.complaints.zone.to_utc(app.now)
}

/// The keyboard context while this pane has focus.
pub fn context(app: &App) -> Ctx {
    let s = &app.complaints;
    match s.view {
        View::Detail => Ctx::ComplaintDetail,
        View::Review => Ctx::ComplaintReview,
        View::List if s.searching => Ctx::Search,
        View::List => Ctx::Complaints,
    }
}

/// Whether typed text belongs to the list's search line.
pub fn takes_text(app: &App) -> bool {
    app.pane == Pane::COMPLAINTS && app.complaints.view == View::List && app.complaints.searching
}

pub fn type_text(app: &mut App, s: &str) {
    app.complaints.query.insert_str(s);
    refilter(app);
}

/// Called when the pane gains focus: load what it shows.
pub fn enter(app: &mut App, store: &mut Store) {
    reload(app, store);
}

/// Re-reads every complaint, keeping the one under the cursor, and the
/// open complaint and review up to date.
pub fn reload(app: &mut App, store: &Store) {
    let keep = app.complaints.current().map(|r| r.complaint.id);
    match store.complaint_rows(false) {
        Ok(rows) => {
            app.complaints.keys = rows.iter().map(search_text).collect();
            app.complaints.rows = rows;
        }
        Err(e) => app.error(&e),
    }
    refilter_keeping(app, keep);
    let open = app.complaints.detail.as_ref().map(|d| d.row.complaint.id);
    if let Some(id) = open {
        open_detail(app, store, id);
    }
    if app.complaints.view == View::Review {
        compute_review(app);
    }
}

fn search_text(r: &ComplaintRow) -> String {
    let d = &r.complaint.details;
    let mut key = r.customer_key.clone();
    for field in [d.complainant.as_str(), d.about.as_str(), d.content.as_str()] {
        if field.is_empty() {
            continue;
        }
        key.push(FIELD_SEP);
        key.extend(field.chars().flat_map(char::to_lowercase).filter(|c| !c.is_control()));
    }
    if let Some((full, initials)) = pinyin_of(&d.complainant) {
        key.extend([FIELD_SEP.to_string(), full, FIELD_SEP.to_string(), initials]);
    }
    key
}

/// Sort key of a row: running deadlines (most overdue first), then waiting
/// ones, then open ones without a deadline, then closed ones (latest first).
pub fn list_order(c: &Complaint, now: chrono::NaiveDateTime) -> (u8, i64) {
    use crate::domain::complaint::deadline::Deadline;
    if let Some(closed) = c.closed_at {
        return (3, -closed.and_utc().timestamp());
    }
    match c.next_deadline().map(|d| d.deadline) {
        Some(Deadline::At(due)) => (0, (due - now).num_seconds()),
        Some(Deadline::Paused { remaining }) => (1, remaining.num_seconds()),
        None => (2, c.received_at.and_utc().timestamp()),
    }
}

fn refilter(app: &mut App) {
    let keep = app.complaints.current().map(|r| r.complaint.id);
    refilter_keeping(app, keep);
}

/// Applies filters, search and order; the cursor stays on `keep` if listed.
fn refilter_keeping(app: &mut App, keep: Option<i64>) {
    let now = now_utc(app);
    let s = &mut app.complaints;
    let q = normalize_query(s.query.text());
    let mut shown: Vec<usize> = (0..s.rows.len())
        .filter(|&i| {
            let c = &s.rows[i].complaint;
            s.filters.state.keeps(c, now)
                && s.filters.category.is_none_or(|cat| c.category == cat)
                && s.filters.customer.as_ref().is_none_or(|(id, _)| c.customer_id == *id)
                && (q.is_empty() || classify(&s.keys[i], &q).is_some())
        })
        .collect();
    shown.sort_by_key(|&i| (list_order(&s.rows[i].complaint, now), s.rows[i].complaint.id));
    s.shown = shown;
    s.cursor = keep
        .and_then(|id| s.shown.iter().position(|&i| s.rows[i].complaint.id == id))
        .unwrap_or(0)
        .min(s.shown.len().saturating_sub(1));
    scroll_into_view(app);
}

fn scroll_into_view(app: &mut App) {
    let h = app.viewport.max(1);
    let s = &mut app.complaints;
    if s.cursor < s.offset {
        s.offset = s.cursor;
    } else if s.cursor >= s.offset + h {
        s.offset = s.cursor + 1 - h;
    }
    s.offset = s.offset.min(s.shown.len().saturating_sub(1));
}

fn move_cursor(app: &mut App, delta: isize) {
    let len = app.complaints.shown.len();
    if len == 0 {
        return;
    }
    let c = (app.complaints.cursor as isize + delta).clamp(0, len as isize - 1) as usize;
    app.complaints.cursor = c;
    scroll_into_view(app);
    if let Some(id) = app.complaints.current().map(|r| r.complaint.customer_id) {
        app.selected_id = Some(id);
    }
}

/// Opens complaint `id` with its timeline.
pub fn open_detail(app: &mut App, store: &Store, id: i64) {
    let row = app.complaints.rows.iter().find(|r| r.complaint.id == id).cloned();
    let Some(row) = row else {
        app.complaints.detail = None;
        if app.complaints.view == View::Detail {
            app.complaints.view = View::List;
        }
        return;
    };
    match store.complaint_timeline(id) {
        Ok(timeline) => {
            let scroll = app
                .complaints
                .detail
                .as_ref()
                .filter(|d| d.row.complaint.id == id)
                .map_or(0, |d| d.scroll);
            app.selected_id = Some(row.complaint.customer_id);
            app.complaints.detail = Some(Detail { row, timeline, scroll });
            app.complaints.view = View::Detail;
        }
        Err(e) => app.error(&e),
    }
}

fn compute_review(app: &mut App) {
    let now = now_utc(app);
    let s = &mut app.complaints;
    if !PERIODS.contains(&s.review_days) {
        s.review_days = PERIODS[0];
    }
    let inputs: Vec<_> = s.rows.iter().map(|r| r.complaint.review_input()).collect();
    s.review = Some(review(&inputs, now, s.review_days));
}

fn say(app: &mut App, text: String) {
    app.message = Some((text, Level::Info));
}

/// Applies an action while this pane has focus.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    match context(app) {
        Ctx::Search => search_action(app, action),
        Ctx::ComplaintDetail => detail_action(app, action, store),
        Ctx::ComplaintReview => review_action(app, action),
        _ => list_action(app, action, store),
    }
}

fn search_action(app: &mut App, action: Action) {
    let s = &mut app.complaints;
    match action {
        A::AcceptSearch => s.searching = false,
        A::Back => {
            s.searching = false;
            s.query.clear();
        }
        A::Down => return move_cursor(app, 1),
        A::Up => return move_cursor(app, -1),
        A::Backspace => s.query.backspace(),
        A::DeleteWord => s.query.delete_word(),
        A::ClearInput => s.query.clear(),
        A::Left => return s.query.left(),
        A::Right => return s.query.right(),
        _ => return,
    }
    refilter(app);
}

fn list_action(app: &mut App, action: Action, store: &mut Store) {
    let page = app.viewport.max(1) as isize;
    match action {
        A::Down => move_cursor(app, 1),
        A::Up => move_cursor(app, -1),
        A::PageDown => move_cursor(app, page),
        A::PageUp => move_cursor(app, -page),
        A::Top => move_cursor(app, -(app.complaints.cursor as isize)),
        A::Bottom => move_cursor(app, app.complaints.shown.len() as isize),
        A::StartSearch => app.complaints.searching = true,
        A::OpenCard => match app.complaints.current().map(|r| r.complaint.id) {
            Some(id) => open_detail(app, store, id),
            None => app.info("complaints.msg.none_selected"),
        },
        A::Back => {
            let s = &mut app.complaints;
            if !s.query.is_empty() {
                s.query.clear();
            } else {
                s.filters = Filters::default();
            }
            refilter(app);
        }
        A::Complaint(C::Record) => forms::open_record(app, store),
        A::Complaint(C::CycleState) => {
            let f = app.complaints.filters.state;
            let next = StateFilter::ALL[(StateFilter::ALL.iter().position(|s| *s == f).unwrap_or(0) + 1) % 5];
            app.complaints.filters.state = next;
            refilter(app);
            let label = t(app.lang, next.key());
            say(app, tf(app.lang, "complaints.msg.showing", &[("what", &label)]));
        }
        A::Complaint(C::CycleCategory) => {
            let next = match app.complaints.filters.category {
                None => Some(Category::ALL[0]),
                Some(c) => Category::ALL
                    .iter()
                    .position(|x| *x == c)
                    .and_then(|i| Category::ALL.get(i + 1))
                    .copied(),
            };
            app.complaints.filters.category = next;
            refilter(app);
            let label = t(app.lang, next.map_or("complaints.filter.every_category", Category::key));
            say(app, tf(app.lang, "complaints.msg.showing", &[("what", &label)]));
        }
        A::Complaint(C::OnlyCustomer) => {
            if app.complaints.filters.customer.take().is_none() {
                let who = app
                    .complaints
                    .current()
                    .map(|r| (r.complaint.customer_id, r.customer.clone()));
                match who {
                    Some(who) => app.complaints.filters.customer = Some(who),
                    None => return app.info("complaints.msg.none_selected"),
                }
            }
            refilter(app);
        }
        A::Complaint(C::Review) => {
            app.complaints.view = View::Review;
            compute_review(app);
        }
        A::Complaint(cmd) => with_current(app, store, cmd),
        _ => {}
    }
}

/// Runs a step command on the highlighted (or opened) complaint.
fn with_current(app: &mut App, store: &mut Store, cmd: Cmd) {
    let current = match app.complaints.view {
        View::Detail => app.complaints.detail.as_ref().map(|d| d.row.clone()),
        _ => app.complaints.current().cloned(),
    };
    let Some(row) = current else {
        return app.info("complaints.msg.none_selected");
    };
    // Read it again: another Rapport may have moved it on.
    match store.complaint(row.complaint.id) {
        Ok(c) => forms::open_step(app, &row, &c, cmd),
        Err(e) => app.error(&e),
    }
}

fn detail_action(app: &mut App, action: Action, store: &mut Store) {
    match action {
        A::Back => {
            app.complaints.view = View::List;
            app.complaints.detail = None;
        }
        A::Down | A::Up => {
            move_cursor(app, if action == A::Down { 1 } else { -1 });
            if let Some(id) = app.complaints.current().map(|r| r.complaint.id) {
                app.complaints.detail = None;
                open_detail(app, store, id);
            }
        }
        A::PageDown | A::PageUp => {
            if let Some(d) = &mut app.complaints.detail {
                let step = app.viewport.max(1) as u16 / 2;
                d.scroll = if action == A::PageDown {
                    d.scroll.saturating_add(step)
                } else {
                    d.scroll.saturating_sub(step)
                };
            }
        }
        A::Complaint(cmd) => with_current(app, store, cmd),
        _ => {}
    }
}

fn review_action(app: &mut App, action: Action) {
    let i = PERIODS
        .iter()
        .position(|d| *d == app.complaints.review_days)
        .unwrap_or(0);
    match action {
        A::Back => app.complaints.view = View::List,
        A::Complaint(C::Period) => {
            app.complaints.review_days = PERIODS[(i + 1) % PERIODS.len()];
            compute_review(app);
        }
        A::Left => {
            app.complaints.review_days = PERIODS[(i + PERIODS.len() - 1) % PERIODS.len()];
            compute_review(app);
        }
        _ => {}
    }
}

/// After a write: every pane follows (the customer's row shows the last
/// contact), then the message.
fn written(app: &mut App, store: &Store, complaint: &Complaint, message: String) {
    app.announce(
        store,
        Change::Complaint {
            id: complaint.id,
            customer: complaint.customer_id,
        },
    );
    say(app, message);
}

/// The Complaints pane in the list of panes.
impl Pane {
    pub const COMPLAINTS: Pane = Pane::named("pane.complaints");
}

pub static PANE: PaneDef = PaneDef {
    pane: Pane::COMPLAINTS,
    go_key: "key.pane_complaints",
    contexts: &[Ctx::Complaints, Ctx::ComplaintDetail, Ctx::ComplaintReview],
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

/// A write: a complaint written shows in the list (filters cleared when
/// they would hide it), under the cursor; any other write reloads the list
/// while it is on screen.
fn changed(app: &mut App, store: &Store, change: Change) {
    let Change::Complaint { id, .. } = change else {
        if app.pane == Pane::COMPLAINTS {
            reload(app, store);
        }
        return;
    };
    reload(app, store);
    if !app
        .complaints
        .shown
        .iter()
        .any(|&i| app.complaints.rows[i].complaint.id == id)
    {
        app.complaints.filters = Filters::default();
        app.complaints.query.clear();
    }
    refilter_keeping(app, Some(id));
}
