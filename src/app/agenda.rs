//! The Agenda pane: today's plan, acting on items, follow-ups, region care,
//! business events and the week ahead.

use chrono::{Duration, NaiveDate};

use super::binding::{Binding, Ctx, NO_MODS, b};
use super::form::{Field, FieldId, Form, FormKind};
use super::{Action, App, Change, Confirm, Effect, Level, Overlay, Pane, PaneDef};
use crate::domain::agenda::{Item, Reason, Snooze};
use crate::domain::dates;
use crate::domain::interaction::InteractionKind;
use crate::domain::validate;
use crate::i18n::{t, tf};
use crate::storage::{Agenda, Contact, StorageError, Store, notes};

pub use super::agenda_card::{card_section, follow_up_note, localize_notes};
use super::agenda_day::{day_agenda, week_ahead};
use super::agenda_forms::{date_form, default_channel, done_form, event_form, snooze_form};
pub use super::agenda_text::{day_label, days_late, is_past, late_text, reason_text};

/// "in 3 days" or the date, for a day's title.
pub fn day_title(lang: crate::i18n::Lang, day: NaiveDate, today: NaiveDate) -> String {
    day_label(lang, day, today)
}

pub use crate::app::form::kinds::AgendaForm as PaneForm;
use Action as A;
use ratatui::crossterm::event::KeyCode as K;

/// This pane's keys (merged into the one key table).
/// The Agenda pane's contexts.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// A day's agenda.
    pub const Agenda: Ctx = Ctx::new("ctx.agenda").scrolling();
    /// The week ahead.
    pub const AgendaWeek: Ctx = Ctx::new("ctx.agenda_week").scrolling();
}

pub static KEYS: &[Binding] = &[
    b!(Agenda, K::Enter, NO_MODS, A::OpenCard, "key.card", true),
    b!(Agenda, K::Char('d'), NO_MODS, A::Done, "agenda.key.done", true),
    b!(Agenda, K::Char('z'), NO_MODS, A::Snooze, "agenda.key.snooze", true),
    b!(
        Agenda,
        K::Char('r'),
        NO_MODS,
        A::Reschedule,
        "agenda.key.reschedule",
        false
    ),
    b!(
        Agenda,
        K::Char('f'),
        NO_MODS,
        A::ScheduleFollowUp,
        "agenda.key.follow_up",
        true
    ),
    b!(Agenda, K::Char('g'), NO_MODS, A::RegionCare, "agenda.key.region", true),
    b!(Agenda, K::Char('e'), NO_MODS, A::AddEvent, "agenda.key.event", false),
    b!(Agenda, K::Char('w'), NO_MODS, A::WeekAhead, "agenda.key.week", true),
    b!(Agenda, K::Right, NO_MODS, A::NextDay, "agenda.key.next_day", false),
    b!(Agenda, K::Char('l'), NO_MODS, A::NextDay, "agenda.key.next_day", false),
    b!(Agenda, K::Left, NO_MODS, A::PrevDay, "agenda.key.prev_day", false),
    b!(Agenda, K::Char('h'), NO_MODS, A::PrevDay, "agenda.key.prev_day", false),
    b!(Agenda, K::Char('t'), NO_MODS, A::Today, "agenda.key.today", false),
    b!(AgendaWeek, K::Down, NO_MODS, A::Down, "agenda.key.next_day", false),
    b!(AgendaWeek, K::Char('j'), NO_MODS, A::Down, "agenda.key.next_day", false),
    b!(AgendaWeek, K::Up, NO_MODS, A::Up, "agenda.key.prev_day", false),
    b!(AgendaWeek, K::Char('k'), NO_MODS, A::Up, "agenda.key.prev_day", false),
    b!(AgendaWeek, K::Enter, NO_MODS, A::OpenCard, "agenda.key.open_day", true),
    b!(AgendaWeek, K::Esc, NO_MODS, A::Back, "key.back", true),
    b!(AgendaWeek, K::Char('w'), NO_MODS, A::Back, "key.back", false),
    b!(
        List,
        K::Char('f'),
        NO_MODS,
        A::ScheduleFollowUp,
        "agenda.key.follow_up",
        false
    ),
    b!(
        Card,
        K::Char('f'),
        NO_MODS,
        A::ScheduleFollowUp,
        "agenda.key.follow_up",
        true
    ),
];

/// Items per kind of query the pane loads (the counts cover the rest, up
/// to [`crate::storage::COUNT_CAP`]).
pub const SHOWN: usize = crate::storage::COUNT_CAP;

/// What the Agenda pane shows.
#[derive(Debug, Default)]
pub struct AgendaState {
    /// The day shown; `None` until first loaded.
    pub day: Option<NaiveDate>,
    pub agenda: Agenda,
    pub cursor: usize,
    /// The week ahead: (day, items per section), when that view is open.
    pub week: Option<Vec<(NaiveDate, [usize; 6])>>,
    pub week_cursor: usize,
    /// The item a form is acting on.
    pub pending: Option<Item>,
}

impl AgendaState {
    pub fn current(&self) -> Option<&Item> {
        self.agenda.items.get(self.cursor)
    }
}

/// The Agenda pane in the list of panes.
impl Pane {
    pub const AGENDA: Pane = Pane::named("pane.agenda");
}

pub static PANE: PaneDef = PaneDef {
    pane: Pane::AGENDA,
    go_key: "key.pane_agenda",
    contexts: &[Ctx::Agenda, Ctx::AgendaWeek],
    keys: &[KEYS],
    enter,
    context,
    update,
    type_text: |_, _| {},
    changed,
};

/// A write anywhere: the agenda shown follows (it loads afresh whenever
/// the pane gains focus).
fn changed(app: &mut App, store: &Store, _change: Change) {
    if app.pane == Pane::AGENDA && app.agenda.day.is_some() {
        reload(app, store);
    }
}

/// The keyboard context while this pane has focus.
pub fn context(app: &App) -> Ctx {
    if app.agenda.week.is_some() {
        Ctx::AgendaWeek
    } else {
        Ctx::Agenda
    }
}

/// Called when the pane gains focus: load what it shows.
pub fn enter(app: &mut App, store: &mut Store) {
    let day = app.agenda.day.unwrap_or(app.today());
    load(app, store, day);
}

/// The open complaints' next deadlines, for the agenda.
pub fn deadlines(store: &Store) -> Result<Vec<crate::domain::agenda::ComplaintDeadline>, StorageError> {
    store.complaint_deadlines()
}

/// The deadlines for the pane: a complaint that cannot be read is named in
/// the status bar (the log has the detail) and the other deadlines and the
/// rest of the agenda still show; when none can be read, the status bar
/// says so.
fn deadlines_or_say(app: &mut App, store: &Store) -> Vec<crate::domain::agenda::ComplaintDeadline> {
    match store.complaint_deadlines_each(crate::domain::complaint::zone::Zone::Local) {
        Ok((deadlines, unreadable)) => {
            if !unreadable.is_empty() {
                app.unreadable("agenda.unreadable_complaints", &unreadable);
            }
            deadlines
        }
        Err(e) => {
            app.error(&e);
            Vec::new()
        }
    }
}

/// Reloads the agenda of the day shown (the value analysis arrived).
pub fn enter_again(app: &mut App, store: &Store) {
    reload(app, store);
}

impl App {
    /// Takes a finished value analysis from its worker (the agenda then
    /// shows the valuable customers at risk); true when the screen changed.
    pub fn poll_insights(&mut self, store: &Store) -> bool {
        let arrived = super::insights::poll(self);
        if arrived && self.pane == Pane::AGENDA {
            enter_again(self, store);
        }
        arrived
    }

    /// Blocks until the value analysis is ready (tests, benchmark).
    pub fn wait_for_insights(&mut self, store: &Store) {
        if super::insights::wait(self) && self.pane == Pane::AGENDA {
            enter_again(self, store);
        }
    }
}

/// Reloads the agenda of `day`, keeping the cursor in range. Valuable
/// customers at risk join the churn section once the value analysis is
/// ready, or at once from the list a large book keeps while it still holds.
pub fn load(app: &mut App, store: &Store, day: NaiveDate) {
    if app.insights.base.is_none() && !app.insights.loading() {
        super::insights::refresh(app, store);
    }
    let deadlines = deadlines_or_say(app, store);
    let agenda = day_agenda(app, store, day, &deadlines, SHOWN).and_then(|mut a| {
        localize_notes(store, app.lang, &mut a)?;
        Ok(a)
    });
    match agenda {
        Ok(mut a) => {
            // Namesakes that cannot be told apart are said; the agenda shows.
            if let Err(e) = super::find::label_namesakes(&app.index, store, &mut a.items) {
                app.error(&e);
            }
            app.agenda.day = Some(day);
            app.agenda.agenda = a;
            let n = app.agenda.agenda.items.len();
            app.agenda.cursor = app.agenda.cursor.min(n.saturating_sub(1));
        }
        Err(e) => app.error(&e),
    }
}

fn reload(app: &mut App, store: &Store) {
    let day = app.agenda.day.unwrap_or(app.today());
    load(app, store, day);
}

/// Applies an action while this pane has focus.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    if app.agenda.week.is_some() {
        return week_action(app, action, store);
    }
    let n = app.agenda.agenda.items.len();
    let day = app.agenda.day.unwrap_or(app.today());
    match action {
        A::Down | A::Up | A::PageDown | A::PageUp | A::Top | A::Bottom => {
            if let Some(to) = super::list::moved(action, app.agenda.cursor, n, app.viewport) {
                app.agenda.cursor = to;
            }
            if let Some(item) = app.agenda.current() {
                app.selected_id = Some(item.customer_id);
            }
        }
        A::OpenCard => {
            if let Some(id) = app.agenda.current().map(|i| i.customer_id) {
                app.apply(store, [Effect::Card(id)]);
            }
        }
        A::Done => with_item(app, |app, item| {
            if let Reason::Complaint { .. } = item.reason {
                app.apply(
                    store,
                    [
                        Effect::Go(Pane::COMPLAINTS),
                        Effect::Info("agenda.msg.complaint_in_pane"),
                    ],
                );
                return;
            }
            // No decision maker known, or a key account with one contact:
            // a call does not change that, naming people at the account
            // does (a quiet decision maker is cleared by contacting them).
            if let Reason::Coverage { warning, .. } = item.reason
                && warning != "decision_maker_quiet"
            {
                app.info("agenda.msg.coverage_how");
                return;
            }
            let kind = default_channel(&item.reason);
            app.agenda.pending = Some(item.clone());
            app.overlay = Some(Overlay::Form(done_form(&item, kind)));
        }),
        A::Snooze => with_item(app, |app, item| {
            if let Reason::Complaint { .. } = item.reason {
                app.info("agenda.msg.no_snooze_complaint");
                return;
            }
            app.agenda.pending = Some(item.clone());
            app.overlay = Some(Overlay::Form(snooze_form(&item)));
        }),
        A::Reschedule => with_item(app, |app, item| match item.reason {
            Reason::FollowUp { .. } => {
                app.agenda.pending = Some(item.clone());
                let mut f = date_form(PaneForm::Reschedule, &item.customer, "+1d");
                f.fields.truncate(1);
                app.overlay = Some(Overlay::Form(f));
            }
            _ => app.info("agenda.msg.reschedule_follow_ups"),
        }),
        A::ScheduleFollowUp => open_follow_up_form(app, store),
        A::AddEvent => match app.agenda.current().map(|i| (i.customer_id, i.customer.clone())) {
            Some((id, name)) => app.overlay = Some(Overlay::Form(event_form(id, &name))),
            None => app.info("msg.nothing_selected"),
        },
        A::RegionCare => {
            let mut f = Form {
                base: Vec::new(),
                kind: FormKind::Agenda(PaneForm::RegionCare),
                fields: vec![
                    Field::text(FieldId::Note, "agenda.field.region", "")
                        .required()
                        .hint("agenda.hint.region"),
                ],
                focus: 0,
                dirty: false,
                subject: String::new(),
            };
            f.fields[0].required = true;
            app.overlay = Some(Overlay::Form(f));
        }
        A::WeekAhead => {
            let deadlines = deadlines_or_say(app, store);
            match week_ahead(app, store, &deadlines) {
                Ok(w) => {
                    app.agenda.week_cursor = w.iter().position(|(d, _)| *d == day).unwrap_or(0);
                    app.agenda.week = Some(w);
                }
                Err(e) => app.error(&e),
            }
        }
        A::NextDay => load(app, store, day + Duration::days(1)),
        A::PrevDay => load(app, store, (day - Duration::days(1)).max(app.today())),
        A::Today => load(app, store, app.today()),
        _ => {}
    }
}

fn week_action(app: &mut App, action: Action, store: &mut Store) {
    let n = app.agenda.week.as_ref().map_or(0, |w| w.len());
    match action {
        A::Down | A::Up | A::PageDown | A::PageUp | A::Top | A::Bottom => {
            if let Some(to) = super::list::moved(action, app.agenda.week_cursor, n, 7) {
                app.agenda.week_cursor = to;
            }
        }
        A::OpenCard => {
            let day = app
                .agenda
                .week
                .as_ref()
                .and_then(|w| w.get(app.agenda.week_cursor))
                .map(|(d, _)| *d);
            app.agenda.week = None;
            app.agenda.cursor = 0;
            if let Some(d) = day {
                load(app, store, d);
            }
        }
        A::Back => app.agenda.week = None,
        _ => {}
    }
}

fn with_item(app: &mut App, f: impl FnOnce(&mut App, Item)) {
    match app.agenda.current().cloned() {
        Some(item) => f(app, item),
        None => app.info("agenda.msg.nothing"),
    }
}

/// Opens the "schedule a follow-up" form for the customer in focus (from
/// the agenda, the customer list or the card).
pub fn open_follow_up_form(app: &mut App, store: &Store) {
    // On the agenda: the item's customer, else the one selected in the
    // list (so "press f" works on an empty day too).
    let target = match app.pane {
        Pane::AGENDA => app
            .agenda
            .current()
            .map(|i| i.customer_id)
            .or(app.selected_id)
            .or(app.current().map(|e| e.id)),
        _ => app
            .customers
            .card
            .as_ref()
            .map(|c| c.customer.id)
            .or(app.current().map(|e| e.id)),
    };
    let Some(id) = target else {
        app.info("agenda.msg.pick_customer");
        return;
    };
    match store.customer(id) {
        Ok(c) => app.overlay = Some(Overlay::Form(date_form(PaneForm::FollowUp(id), &c.name, "+3d"))),
        Err(e) => app.error(&e),
    }
}

/// Saves one of this pane's forms. On a mistake the form stays open with
/// the message next to the field.
pub fn submit(app: &mut App, store: &mut Store, mut form: Form, kind: PaneForm) {
    for f in &mut form.fields {
        f.error = None;
    }
    let today = app.today();
    let now = app.now;
    let lang = app.lang;
    let date_field = |form: &mut Form, required: bool| -> Option<Option<NaiveDate>> {
        let raw = form.get(FieldId::At).trim().to_string();
        if raw.is_empty() && !required {
            return Some(None);
        }
        match dates::parse_date_entry(&raw, today) {
            Ok(d) if d < today => {
                form.set_error(FieldId::At, t(lang, "agenda.error.past").to_string());
                None
            }
            Ok(d) => Some(Some(d)),
            Err(e) => {
                form.set_error(FieldId::At, e.message(lang.is_zh()));
                None
            }
        }
    };
    let note = match validate::limit(form.get(FieldId::Note), validate::MAX_NOTE) {
        Ok(n) => n,
        Err(_) => {
            form.set_error(
                FieldId::Note,
                tf(lang, "error.too_long", &[("max", &validate::MAX_NOTE)]),
            );
            String::new()
        }
    };
    let pending = app.agenda.pending.clone();
    let result: Option<Result<(i64, &'static str), StorageError>> = match kind {
        PaneForm::Done => pending.and_then(|item| {
            let channel = InteractionKind::parse(form.get(FieldId::Kind)).unwrap_or(InteractionKind::Call);
            let next = form.next_contact(lang, today)?;
            let next = next.as_ref();
            (!form.has_errors()).then(|| {
                let id = item.customer_id;
                let contact = Contact {
                    kind: channel,
                    at: now,
                    note: &note,
                    next,
                };
                match &item.reason {
                    Reason::FollowUp { follow_up_id, .. } => store.complete_follow_up(*follow_up_id, &contact),
                    Reason::Birthday { on, .. } | Reason::Holiday { on, .. } | Reason::Event { on, .. } => {
                        store.complete_moment(id, &item.reason.kind(), *on, &contact)
                    }
                    _ => store.log_and_schedule(id, &contact, now).map(|_| ()),
                }
                .map(|_| (id, "agenda.msg.done"))
            })
        }),
        PaneForm::Snooze => pending.and_then(|item| {
            // A date typed in wins over the chooser (and is checked).
            let kind = form.get(FieldId::Kind).to_string();
            let typed = !form.get(FieldId::At).trim().is_empty();
            let until = match kind.as_str() {
                k if k == "date" || typed => date_field(&mut form, true)?.map(Snooze::Until),
                n => Some(Snooze::Days(n.parse().unwrap_or(1))),
            }?
            .until(today);
            (!form.has_errors()).then(|| {
                let r = match &item.reason {
                    Reason::FollowUp { follow_up_id, .. } => store.move_follow_up(*follow_up_id, until, true),
                    other => store.snooze(item.customer_id, &snooze_kind(other), until).map(|_| ()),
                };
                r.map(|_| (item.customer_id, "agenda.msg.snoozed"))
            })
        }),
        PaneForm::Reschedule => pending.and_then(|item| {
            let d = date_field(&mut form, true)??;
            match item.reason {
                Reason::FollowUp { follow_up_id, .. } => Some(
                    store
                        .move_follow_up(follow_up_id, d, false)
                        .map(|_| (item.customer_id, "agenda.msg.rescheduled")),
                ),
                _ => None,
            }
        }),
        PaneForm::FollowUp(id) => date_field(&mut form, true).flatten().and_then(|d| {
            (!form.has_errors()).then(|| {
                store
                    .add_follow_up(id, d, &note, "manual", now)
                    .map(|_| (id, "agenda.msg.follow_up_added"))
            })
        }),
        PaneForm::Event(id) => {
            let raw = form.get(FieldId::At).trim().to_string();
            match dates::parse_yearly(&raw, today) {
                Ok(b) if !form.has_errors() => {
                    let k = form.get(FieldId::Kind).to_string();
                    Some(
                        store
                            .add_event(id, &k, b.month, b.day, b.year, &note)
                            .map(|_| (id, "agenda.msg.event_added")),
                    )
                }
                Ok(_) => None,
                Err(e) => {
                    form.set_error(FieldId::At, e.message(lang.is_zh()));
                    None
                }
            }
        }
        PaneForm::RegionCare => {
            let q = form.get(FieldId::Note).trim().to_string();
            if q.is_empty() {
                form.set_error(FieldId::Note, t(lang, "error.required").to_string());
                None
            } else {
                let ids = region_matches(app, &q);
                if ids.is_empty() {
                    form.set_error(FieldId::Note, tf(lang, "agenda.error.no_region", &[("q", &q)]));
                    None
                } else {
                    app.overlay = Some(Overlay::Confirm(Confirm::RegionCare { ids, label: q }));
                    return;
                }
            }
        }
    };
    match result {
        Some(Ok((id, msg))) => {
            app.agenda.pending = None;
            app.apply(store, [Effect::Info(msg), Effect::Wrote(Change::Customer(id))]);
        }
        // Storage failed: the draft stays.
        Some(Err(e)) => app.apply(store, [Effect::Failed(e), Effect::Form(form)]),
        None => {
            form.focus_first_error();
            app.message = Some((t(lang, "msg.fix_fields").to_string(), Level::Error));
            app.overlay = Some(Overlay::Form(form));
        }
    }
}

/// The snooze key of a non-follow-up item: one per kind of reminder.
fn snooze_kind(r: &Reason) -> String {
    match r {
        Reason::Call { .. } | Reason::Visit { .. } => "cadence".into(),
        other => other.kind(),
    }
}

/// Customers of a city (exact, any case) or, failing that, every match of
/// the same search as the customer list (pinyin too).
fn region_matches(app: &App, q: &str) -> Vec<i64> {
    let mut searcher = crate::search::Searcher::default();
    let mut results = searcher.search(&app.index, q, crate::search::SortBy::Name, true, None);
    results.complete(&app.index);
    let n = results.len(&app.index);
    results.ensure_sorted(&app.index, n);
    (0..n)
        .filter_map(|p| results.get(&app.index, p))
        .map(|i| app.index.entry(i).id)
        .collect()
}

/// Puts a "call today" follow-up on each customer (after confirmation).
pub fn region_care(app: &mut App, store: &mut Store, ids: &[i64], label: &str) {
    // Kept as data: the kind (the source) and the region; each reader sees
    // the sentence in their language (`follow_up_note`).
    match store.add_follow_ups(ids, app.today(), label, notes::REGION, app.now) {
        Ok(n) => {
            let mut msg = tf(app.lang, "agenda.msg.region_done", &[("n", &n)]);
            if n < ids.len() {
                let had = ids.len() - n;
                msg.push(' ');
                msg.push_str(&tf(app.lang, "agenda.msg.region_had", &[("n", &had)]));
            }
            app.message = Some((msg, Level::Info));
            app.announce(store, Change::Book);
        }
        Err(e) => app.error(&e),
    }
}
