//! Finding the right customer: the list's filters, ranking by match while
//! a query is typed, the scrolling pre-call card, namesakes told apart,
//! and duplicates (the warning when adding or editing, delete, merge and
//! the "possible duplicates" view).

mod dups;
mod keys;

use chrono::NaiveDate;

pub use dups::{DupRow, DupView, FindConfirm, MergeView, Who, confirm, look_alike_asked, view_action};
pub use keys::{Cmd, KEYS};

use super::form::{Field, FieldId, Form, FormKind};
use super::{Action, App, Level, Overlay};
pub use crate::app::form::kinds::FilterForm as PaneForm;
use crate::domain::customer::{Grade, Status};
use crate::domain::filter::Filters;
use crate::domain::qualification::Verdict;
use crate::i18n::{t, tf};
use crate::search::Index;
use crate::storage::{StorageError, Store};

/// State of the customer list beyond the search itself.
#[derive(Debug, Default)]
pub struct FindState {
    /// The chosen sort applies to a query's matches too (`o` while a query
    /// is typed); otherwise matches rank best first.
    pub sort_on_query: bool,
    pub filters: Filters,
    /// Ids passing the filters that need the database (ascending).
    store_ids: Option<Vec<i64>>,
    /// `allowed[i]`: index entry `i` passes every filter; with the index
    /// generation and the day it was computed for.
    allowed: Option<(u64, NaiveDate, Vec<bool>)>,
    /// The "possible duplicates" view.
    pub dups: Option<DupView>,
    /// Merging two customers field by field.
    pub merge: Option<MergeView>,
    /// The customer marked with `M`, to merge into the next one marked.
    pub mark: Option<i64>,
    /// First line of the card's scrolling part on screen.
    pub card_scroll: usize,
    /// The user chose to save despite a look-alike.
    pub(super) dup_ack: bool,
}

impl FindState {
    /// The filter mask for the index, recomputed when the index or the
    /// filters changed.
    pub fn allowed(&mut self, index: &Index, today: NaiveDate) -> Option<&[bool]> {
        if self.filters.is_empty() {
            self.allowed = None;
            return None;
        }
        let fresh = matches!(&self.allowed, Some((g, d, _)) if *g == index.generation() && *d == today);
        if !fresh {
            let mask = (0..index.len() as u32)
                .map(|i| {
                    let e = index.entry(i);
                    self.filters
                        .keeps(e.grade, e.status, e.last_contact, e.next_due(), today)
                        && self
                            .store_ids
                            .as_ref()
                            .is_none_or(|ids| ids.binary_search(&e.id).is_ok())
                })
                .collect();
            self.allowed = Some((index.generation(), today, mask));
        }
        self.allowed.as_ref().map(|(_, _, m)| m.as_slice())
    }

    /// Sets the filters, reading the ids the database decides.
    pub fn set_filters(&mut self, filters: Filters, store: &Store) -> crate::storage::Result<()> {
        self.store_ids = store.filter_ids(&filters)?;
        self.filters = filters;
        self.allowed = None;
        Ok(())
    }

    /// After a write: the database-side filters may keep other customers
    /// (when they cannot be read, the list keeps the customers it had and
    /// the caller says why).
    pub fn refresh(&mut self, store: &Store) -> Result<(), StorageError> {
        if self.filters.needs_store() {
            self.store_ids = store.filter_ids(&self.filters)?;
            self.allowed = None;
        }
        Ok(())
    }
}

/// Agenda lines of customers who share their name with another: company,
/// city and the phone's last four digits beside the name.
pub fn label_namesakes(
    index: &Index,
    store: &Store,
    items: &mut [crate::domain::agenda::Item],
) -> Result<(), StorageError> {
    use std::collections::HashMap;
    let mut counts: HashMap<String, usize> = items.iter().map(|i| (i.customer.clone(), 0)).collect();
    if counts.is_empty() {
        return Ok(());
    }
    for i in 0..index.len() as u32 {
        if let Some(n) = counts.get_mut(index.entry(i).name()) {
            *n += 1;
        }
    }
    for item in items {
        if counts.get(&item.customer).is_some_and(|&n| n > 1) {
            let c = store.customer(item.customer_id)?;
            let phone = c.phones.first().map_or("", String::as_str);
            item.customer = crate::domain::text::person_label(&c.name, &c.company, &c.city, phone);
        }
    }
    Ok(())
}

/// The filter form, showing the active filters.
pub fn filter_form(f: &Filters) -> Form {
    let mut grades = vec![("", "filter.any")];
    grades.extend(Grade::ALL.iter().map(|g| (g.as_str(), g.key())));
    let mut statuses = vec![("", "filter.any")];
    statuses.extend(Status::ALL.iter().map(|s| (s.as_str(), s.key())));
    let mut verdicts = vec![("", "filter.any")];
    verdicts.extend(Verdict::ALL.iter().map(|v| (v.as_str(), v.key())));
    let yes_no = || vec![("", "filter.any"), ("yes", "filter.yes")];
    let due = vec![
        ("", "filter.any"),
        ("overdue", "filter.overdue"),
        ("today", "filter.due_today"),
    ];
    let due_now = if f.overdue {
        "overdue"
    } else if f.due_today {
        "today"
    } else {
        ""
    };
    Form {
        kind: FormKind::Find(PaneForm::Filter),
        fields: vec![
            Field::choice(FieldId::Grade, "field.grade", grades, f.grade.map_or("", Grade::as_str)),
            Field::choice(
                FieldId::Status,
                "field.status",
                statuses,
                f.status.map_or("", Status::as_str),
            ),
            Field::text(FieldId::City, "field.city", f.city.as_deref().unwrap_or("")),
            Field::text(FieldId::Tags, "filter.tag", f.tag.as_deref().unwrap_or("")),
            Field::choice(
                FieldId::Verdict,
                "filter.verdict",
                verdicts,
                f.verdict.map_or("", Verdict::as_str),
            ),
            Field::choice(
                FieldId::Complaint,
                "filter.open_complaint",
                yes_no(),
                if f.open_complaint { "yes" } else { "" },
            ),
            Field::choice(FieldId::Due, "filter.due", due, due_now),
            Field::text(
                FieldId::Silent,
                "filter.silent_days",
                &f.silent_days.map(|n| n.to_string()).unwrap_or_default(),
            )
            .hint("filter.hint.silent"),
        ],
        focus: 0,
        dirty: false,
        subject: String::new(),
        base: Vec::new(),
    }
}

/// Reads the filter form; `None` (with the error next to the field) when
/// the number of days is not a number.
pub fn filters_of(form: &mut Form, lang: crate::i18n::Lang) -> Option<Filters> {
    let text = |form: &Form, id| {
        let v = form.get(id).trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    let silent = match text(form, FieldId::Silent) {
        None => None,
        Some(s) => match s.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                form.set_error(FieldId::Silent, t(lang, "filter.error.days").to_string());
                return None;
            }
        },
    };
    Some(Filters {
        grade: Grade::parse(form.get(FieldId::Grade)),
        status: Status::parse(form.get(FieldId::Status)),
        city: text(form, FieldId::City),
        tag: text(form, FieldId::Tags),
        verdict: Verdict::parse(form.get(FieldId::Verdict)),
        open_complaint: form.get(FieldId::Complaint) == "yes",
        overdue: form.get(FieldId::Due) == "overdue",
        due_today: form.get(FieldId::Due) == "today",
        silent_days: silent,
    })
}

/// Saves a form of this module.
pub fn submit(app: &mut App, store: &mut Store, mut form: Form, kind: PaneForm) {
    match kind {
        PaneForm::Filter => match filters_of(&mut form, app.lang) {
            Some(f) => apply_filters(app, store, f),
            None => {
                form.focus_first_error();
                app.overlay = Some(Overlay::Form(form));
            }
        },
    }
}

fn apply_filters(app: &mut App, store: &Store, f: Filters) {
    match app.find.set_filters(f, store) {
        Ok(()) => {
            app.customers.cursor = 0;
            app.refilter();
            let n = app.customers.results.len(&app.index);
            app.message = Some((tf(app.lang, "filter.applied", &[("n", &n)]), Level::Info));
        }
        Err(e) => app.error(&e),
    }
}

/// What this module does with an action in the customer list or card.
pub fn update(app: &mut App, cmd: Cmd, store: &mut Store) {
    match cmd {
        Cmd::Filter => app.overlay = Some(Overlay::Form(filter_form(&app.find.filters))),
        Cmd::ClearFilters => {
            if app.find.filters.is_empty() {
                app.info("filter.none");
            } else {
                apply_filters(app, store, Filters::default());
                app.info("filter.cleared");
            }
        }
        Cmd::NextCustomer | Cmd::PrevCustomer => {
            let delta = if cmd == Cmd::NextCustomer { 1 } else { -1 };
            app.step_card(store, delta);
        }
        Cmd::Delete => dups::ask_delete(app, store),
        Cmd::Mark => dups::mark(app, store),
        Cmd::Duplicates => dups::open_view(app, store),
        Cmd::OpenOther | Cmd::Toggle | Cmd::DoMerge => dups::update(app, cmd, store),
    }
}

/// Scrolls the card's lower part (`j`/`k`, page keys).
pub fn scroll_card(app: &mut App, action: Action) {
    let page = app.viewport.max(1);
    let s = &mut app.find.card_scroll;
    *s = match action {
        Action::Down => s.saturating_add(1),
        Action::Up => s.saturating_sub(1),
        Action::PageDown => s.saturating_add(page),
        Action::PageUp => s.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => usize::MAX / 2,
        _ => *s,
    };
    if let Some(card) = &app.customers.card {
        let total = card.scroll_len();
        app.find.card_scroll = app.find.card_scroll.min(total.saturating_sub(1));
    }
}
