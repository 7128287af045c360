//! The Insights pane (`5`): the 80/20 headline, the Pareto curve, the R×F
//! grid (Enter lists a cell's customers), the segments, and the grade
//! suggestions the rep accepts one, some or all at a time (DOMAIN §9).
//! Also the purchases of a customer (from the card) and the value section
//! of the card. The analysis runs on a worker thread for large books.

mod card;
mod keys;
mod load;
pub mod purchases;
pub mod text;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

pub use card::card_section;
pub use keys::{Cmd, KEYS};
pub use load::{compute, poll, refresh, wait};
pub use purchases::{PaneForm, PurchaseList, submit};
pub use text::{headline, reason_text, segment_totals};

use super::binding::Ctx;
use super::{Action, App, Change, Confirm, Effect, Level, Overlay, Pane, PaneDef};
use crate::domain::agenda::{Section, order};
use crate::domain::customer::Grade;
use crate::domain::value::{Analysis, Currency, CustomerValue, GradeChange, Risk, Segment, ValueConfig};
use crate::i18n::{Lang, t, tf};
use crate::storage::{Agenda, Store};
use text::SegmentTotal;

/// The windows the period key cycles through (days; `None` is all time).
pub const WINDOWS: [Option<i64>; 4] = [Some(90), Some(180), Some(365), None];

/// Books up to this many customers are analysed at once; larger ones on a
/// worker thread.
pub const SYNC_LIMIT: usize = 5000;

/// A valuable customer at risk is on the agenda unless contacted in this many days.
pub const QUIET_DAYS: i64 = 30;

/// Which part of the pane the arrows move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Grid,
    Segments,
    Suggestions,
}

/// One suggested grade change.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: i64,
    pub name: String,
    pub from: Grade,
    pub to: Grade,
    pub monetary: i64,
    /// Another customer in the book has the same name: the list tells
    /// them apart by company.
    pub namesake: bool,
    /// The figures the suggestion comes from: its words are written when
    /// shown (a large book has tens of thousands of suggestions).
    value: CustomerValue,
}

impl Suggestion {
    /// Why, in words (kept in the grade history).
    pub fn reason(&self, lang: Lang) -> String {
        reason_text(lang, &self.value)
    }

    /// Why, in a few words for the list.
    pub fn short(&self, lang: Lang, cur: Currency) -> String {
        text::short_reason(lang, &self.value, cur)
    }
}

/// A customer in a cell's or a segment's list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub grade: Grade,
    pub recency_days: Option<i64>,
    pub frequency: i64,
    pub monetary: i64,
    pub segment: Option<Segment>,
}

/// The customers of one grid cell or segment.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerList {
    pub title: String,
    pub rows: Vec<ListRow>,
    pub cursor: usize,
}

/// Everything the pane shows, derived from one analysis.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub grid: [[usize; 5]; 5],
    pub segments: Vec<SegmentTotal>,
    pub suggestions: Vec<Suggestion>,
    /// (id, name) of every customer, by id.
    pub names: Vec<(i64, String)>,
}

type Computed = Result<(Arc<Analysis>, Arc<Analysis>, Derived), String>;

#[derive(Default)]
pub struct InsightsState {
    pub cfg: ValueConfig,
    pub currency: Currency,
    /// The pane's window; `None` until first taken from the config.
    pub window: Option<Option<i64>>,
    /// The analysis over the configured window (agenda, card).
    pub base: Option<Arc<Analysis>>,
    /// The analysis the pane shows (its own window).
    pub view: Option<Arc<Analysis>>,
    pub derived: Derived,
    loader: Option<Receiver<Computed>>,
    pub focus: Focus,
    /// Grid cursor: row 0 is R 5, column 0 is F 1.
    pub cell: (usize, usize),
    pub seg_cursor: usize,
    pub sugg_cursor: usize,
    pub marked: BTreeSet<i64>,
    pub list: Option<CustomerList>,
    pub purchases: Option<PurchaseList>,
}

impl std::fmt::Debug for InsightsState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InsightsState").field("window", &self.window).finish()
    }
}

impl InsightsState {
    /// Uses these settings from now on (the `[value]` config).
    pub fn configure(&mut self, cfg: ValueConfig, currency: Currency) {
        self.cfg = cfg;
        self.currency = currency;
        self.window = None;
        self.base = None;
        self.view = None;
    }

    pub fn window(&self) -> Option<i64> {
        self.window.unwrap_or(self.cfg.window_days)
    }

    pub fn loading(&self) -> bool {
        self.loader.is_some()
    }
}

/// The keyboard context while this pane has focus.
pub fn context(app: &App) -> Ctx {
    if app.insights.list.is_some() {
        Ctx::InsightsList
    } else {
        Ctx::Insights
    }
}

/// The analysis is out of date (a purchase or a grade was written).
pub fn invalidate(app: &mut App, store: &Store) {
    if app.insights.base.is_some() || app.insights.loading() {
        refresh(app, store);
    }
}

/// The Insights pane in the list of panes.
impl Pane {
    pub const INSIGHTS: Pane = Pane::named("pane.insights");
}

pub static PANE: PaneDef = PaneDef {
    pane: Pane::INSIGHTS,
    go_key: "key.pane_insights",
    contexts: &[Ctx::Insights, Ctx::InsightsList],
    keys: &[KEYS],
    enter,
    context,
    update,
    type_text: |_, _| {},
    changed,
};

/// A purchase was written: the analysis is out of date.
fn changed(app: &mut App, store: &Store, change: Change) {
    if let Change::Purchase(_) = change {
        invalidate(app, store);
    }
}

/// Called when the pane gains focus.
pub fn enter(app: &mut App, store: &mut Store) {
    if app.insights.view.is_none() && !app.insights.loading() {
        refresh(app, store);
    }
}

/// Adds the valuable customers at risk (an analysis' `risks` over its
/// `window_days`) to the churn section of `agenda`, before the other churn
/// risks.
pub fn add_value_risks(
    store: &Store,
    agenda: &mut Agenda,
    (risks, window_days): (&[Risk], Option<i64>),
    currency: Currency,
    day: chrono::NaiveDate,
    limit: usize,
) -> crate::storage::Result<()> {
    let (items, n) = store.value_risk_items(risks, day, QUIET_DAYS, window_days, currency, limit)?;
    let ids: std::collections::HashSet<i64> = items.iter().map(|i| i.customer_id).collect();
    // A customer already listed as a plain churn risk is listed once, as the valuable one.
    let before = agenda.items.len();
    agenda
        .items
        .retain(|i| !(i.section() == Section::Churn && ids.contains(&i.customer_id)));
    let dropped = before - agenda.items.len();
    let churn = &mut agenda.counts[Section::Churn as usize];
    *churn = (*churn + n).saturating_sub(dropped).min(crate::storage::COUNT_CAP);
    agenda.items.extend(items);
    order(&mut agenda.items);
    Ok(())
}

/// Applies an action while this pane has focus.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    if app.insights.list.is_some() {
        return list_action(app, action, store);
    }
    let s = &mut app.insights;
    let seg_n = s.derived.segments.len();
    let sugg_n = s.derived.suggestions.len();
    match action {
        Action::Insights(Cmd::Period) => {
            let i = WINDOWS
                .iter()
                .position(|w| *w == s.window())
                .map_or(0, |i| (i + 1) % WINDOWS.len());
            s.window = Some(WINDOWS[i]);
            s.view = None;
            refresh(app, store);
            let label = text::window_label(app.lang, app.insights.window());
            app.message = Some((tf(app.lang, "insights.msg.window", &[("window", &label)]), Level::Info));
        }
        Action::Insights(Cmd::Focus) => {
            s.focus = match s.focus {
                Focus::Grid => Focus::Segments,
                Focus::Segments => Focus::Suggestions,
                Focus::Suggestions => Focus::Grid,
            }
        }
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let step: isize = match action {
                Action::Down => 1,
                Action::Up => -1,
                Action::PageDown => 10,
                _ => -10,
            };
            let mv = |c: usize, n: usize| (c as isize + step).clamp(0, n.saturating_sub(1) as isize) as usize;
            match s.focus {
                Focus::Grid => s.cell.0 = mv(s.cell.0, 5),
                Focus::Segments => s.seg_cursor = mv(s.seg_cursor, seg_n),
                Focus::Suggestions => s.sugg_cursor = mv(s.sugg_cursor, sugg_n),
            }
        }
        Action::Left if s.focus == Focus::Grid => s.cell.1 = s.cell.1.saturating_sub(1),
        Action::Right if s.focus == Focus::Grid => s.cell.1 = (s.cell.1 + 1).min(4),
        Action::OpenCard => match s.focus {
            Focus::Grid => open_cell(app),
            Focus::Segments => open_segment(app),
            Focus::Suggestions => {
                if let Some(id) = s.derived.suggestions.get(s.sugg_cursor).map(|x| x.id) {
                    app.apply(store, [Effect::Card(id)]);
                }
            }
        },
        Action::Insights(Cmd::Mark) => {
            if let Some(id) = s.derived.suggestions.get(s.sugg_cursor).map(|x| x.id) {
                s.focus = Focus::Suggestions;
                if !s.marked.remove(&id) {
                    s.marked.insert(id);
                }
                s.sugg_cursor = (s.sugg_cursor + 1).min(sugg_n.saturating_sub(1));
            }
        }
        Action::Insights(Cmd::Accept) => {
            let ids: Vec<i64> = if s.marked.is_empty() {
                s.derived
                    .suggestions
                    .get(s.sugg_cursor)
                    .map(|x| x.id)
                    .into_iter()
                    .collect()
            } else {
                s.marked.iter().copied().collect()
            };
            if ids.is_empty() {
                app.info("insights.msg.no_suggestions");
            } else {
                accept(app, store, &ids);
            }
        }
        Action::Insights(Cmd::AcceptAll) => {
            if sugg_n == 0 {
                app.info("insights.msg.no_suggestions");
            } else {
                app.overlay = Some(Overlay::Confirm(Confirm::Grades(sugg_n)));
            }
        }
        _ => {}
    }
}

/// Accepts every suggestion shown (after the confirmation).
pub fn accept_all(app: &mut App, store: &mut Store) {
    let ids: Vec<i64> = app.insights.derived.suggestions.iter().map(|x| x.id).collect();
    accept(app, store, &ids);
}

/// Changes the grades of `ids` as suggested, each recorded in the grade
/// history with its reason; due dates follow the new grades at once.
fn accept(app: &mut App, store: &mut Store, ids: &[i64]) {
    let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let changes: Vec<GradeChange> = app
        .insights
        .derived
        .suggestions
        .iter()
        .filter(|x| wanted.contains(&x.id))
        .map(|x| GradeChange {
            customer_id: x.id,
            at: app.now,
            from: x.from,
            to: x.to,
            reason: crate::domain::value::GradeReason::of(&x.value),
        })
        .collect();
    match store.apply_grade_changes(&changes) {
        Ok(n) => {
            app.insights.marked.clear();
            app.message = Some((tf(app.lang, "insights.msg.accepted", &[("n", &n)]), Level::Info));
            grades_changed(app, store, &changes);
        }
        Err(e) => app.error(&e),
    }
}

/// After grades changed: the list rows, the card and the analysis follow.
fn grades_changed(app: &mut App, store: &Store, changes: &[GradeChange]) {
    if changes.len() > 500 {
        app.start_loader();
    } else {
        for c in changes {
            match store.customer_row(c.customer_id) {
                Ok(row) => app.index.upsert(row, &app.cadence),
                Err(e) => app.error(&e),
            }
        }
        app.refilter();
    }
    if let Some(id) = app.customers.card.as_ref().map(|c| c.customer.id) {
        app.open_card(store, id);
    }
    refresh(app, store);
}

fn rows_where(app: &App, keep: impl Fn(&CustomerValue) -> bool) -> Vec<ListRow> {
    let Some(view) = &app.insights.view else {
        return Vec::new();
    };
    let names = &app.insights.derived.names;
    let mut rows: Vec<ListRow> = view
        .customers
        .iter()
        .filter(|c| keep(c))
        .map(|c| ListRow {
            id: c.id,
            name: names
                .binary_search_by_key(&c.id, |(i, _)| *i)
                .map(|k| names[k].1.clone())
                .unwrap_or_default(),
            grade: c.grade,
            recency_days: c.recency_days,
            frequency: c.frequency,
            monetary: c.monetary,
            segment: c.segment,
        })
        .collect();
    rows.sort_by(|a, b| b.monetary.cmp(&a.monetary).then(a.id.cmp(&b.id)));
    rows
}

fn open_cell(app: &mut App) {
    let (row, col) = app.insights.cell;
    let (r, f) = (5 - row as u8, col as u8 + 1);
    let rows = rows_where(app, |c| c.scores.is_some_and(|s| s[0] == r && s[1] == f));
    let title = tf(
        app.lang,
        "insights.list.cell",
        &[("r", &r), ("f", &f), ("n", &rows.len())],
    );
    show_list(app, title, rows);
}

fn open_segment(app: &mut App) {
    let Some(seg) = app
        .insights
        .derived
        .segments
        .get(app.insights.seg_cursor)
        .map(|s| s.segment)
    else {
        return;
    };
    let rows = rows_where(app, |c| c.segment == Some(seg));
    let title = format!("{} · {}", t(app.lang, seg.key()), rows.len());
    show_list(app, title, rows);
}

fn show_list(app: &mut App, title: String, rows: Vec<ListRow>) {
    if rows.is_empty() {
        app.info("insights.msg.empty_cell");
        return;
    }
    app.insights.list = Some(CustomerList { title, rows, cursor: 0 });
}

fn list_action(app: &mut App, action: Action, store: &mut Store) {
    let Some(list) = &mut app.insights.list else { return };
    let n = list.rows.len();
    let step: isize = match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => 10,
        Action::PageUp => -10,
        Action::Top => -(n as isize),
        Action::Bottom => n as isize,
        Action::Back => {
            app.insights.list = None;
            return;
        }
        Action::OpenCard => {
            if let Some(id) = list.rows.get(list.cursor).map(|r| r.id) {
                app.apply(store, [Effect::Card(id)]);
            }
            return;
        }
        _ => return,
    };
    list.cursor = (list.cursor as isize + step).clamp(0, n.saturating_sub(1) as isize) as usize;
    if let Some(id) = list.rows.get(list.cursor).map(|r| r.id) {
        app.selected_id = Some(id);
    }
}
