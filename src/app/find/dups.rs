//! Duplicates in the TUI: the warning when a new or edited customer looks
//! like another, delete with a confirmation naming what goes, merge field
//! by field, and the "possible duplicates" view.

use super::super::form::{Form, FormKind};
use super::super::{Action, App, Change, Confirm, Effect, Level, Overlay};
use super::Cmd;
use crate::domain::customer::Customer;
use crate::domain::duplicates::{Because, Field, merged};
use crate::domain::text::person_label;
use crate::i18n::{t, tf};
use crate::storage::{Hanging, Store};

/// One side of a possible duplicate, as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Who {
    pub id: i64,
    /// Name, company, city and the phone's last four digits.
    pub label: String,
}

impl Who {
    fn of(c: &Customer) -> Who {
        Who {
            id: c.id,
            label: person_label(
                &c.name,
                &c.company,
                &c.city,
                c.phones.first().map_or("", String::as_str),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DupRow {
    pub because: Because,
    pub a: Who,
    pub b: Who,
}

/// The "possible duplicates" view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DupView {
    pub rows: Vec<DupRow>,
    pub cursor: usize,
}

/// Two customers being merged: `keep` stays, `other` goes.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeView {
    pub keep: Customer,
    pub other: Customer,
    /// The fields whose values differ, and whether the other's is taken.
    pub fields: Vec<(Field, bool)>,
    pub cursor: usize,
}

impl MergeView {
    pub fn new(keep: Customer, other: Customer) -> MergeView {
        let fields = Field::ALL
            .into_iter()
            .filter(|f| f.differs(&keep, &other))
            .map(|f| (f, false))
            .collect();
        MergeView {
            keep,
            other,
            fields,
            cursor: 0,
        }
    }

    /// The kept record as the merge would write it.
    pub fn result(&self) -> Customer {
        let take: Vec<Field> = self.fields.iter().filter(|(_, o)| *o).map(|(f, _)| *f).collect();
        merged(&self.keep, &self.other, &take)
    }
}

/// Questions this module asks.
#[derive(Debug, Clone, PartialEq)]
pub enum FindConfirm {
    /// Delete this customer, with what goes with them.
    Delete { who: Who, hanging: Hanging },
    /// Merge as shown in the merge view.
    Merge,
    /// The form's customer looks like these; `o` opens the first instead,
    /// `y` saves anyway, `n` goes back to the form.
    LookAlike { form: Form, others: Vec<(Who, Because)> },
}

impl FindConfirm {
    /// The question, in the user's language.
    pub fn text(&self, app: &App) -> String {
        let lang = app.lang;
        match self {
            FindConfirm::Delete { who, hanging } => tf(
                lang,
                "find.confirm.delete",
                &[
                    ("who", &who.label),
                    ("interactions", &hanging.interactions),
                    ("complaints", &hanging.complaints),
                    ("follow_ups", &hanging.follow_ups),
                ],
            ),
            FindConfirm::Merge => match &app.find.merge {
                Some(m) => tf(
                    lang,
                    "find.confirm.merge",
                    &[("other", &Who::of(&m.other).label), ("keep", &Who::of(&m.keep).label)],
                ),
                None => String::new(),
            },
            FindConfirm::LookAlike { others, .. } => {
                let (who, because) = &others[0];
                let more = if others.len() > 1 {
                    tf(lang, "find.confirm.more", &[("n", &(others.len() - 1))])
                } else {
                    String::new()
                };
                tf(
                    lang,
                    "find.confirm.look_alike",
                    &[
                        ("who", &who.label),
                        ("because", &t(lang, because.key())),
                        ("more", &more),
                    ],
                )
            }
        }
    }
}

/// Before saving a new or edited customer: when it looks like another
/// (same phone, or same name at the same company), asks first. Returns
/// true when the question was put (the form waits in it).
pub fn look_alike_asked(app: &mut App, store: &Store, c: &Customer, form: &Form) -> bool {
    if std::mem::take(&mut app.find.dup_ack) {
        return false;
    }
    let except = match form.kind {
        FormKind::EditCustomer(id) => Some(id),
        _ => None,
    };
    // Those sharing a phone are among the customers whose search key holds
    // it (the index's one read of its keys, milliseconds at a million),
    // not found by reading every customer's phones (seconds); until the
    // index is loaded, by reading them.
    let phone_ids: Option<Vec<i64>> = app.index_ready().then(|| {
        let mut ids: Vec<i64> = (crate::storage::looked_up_phones(c).iter())
            .flat_map(|p| app.index.ids_holding(p))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    });
    let others = match store.look_alikes_among(c, except, phone_ids.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            app.error(&e);
            return false;
        }
    };
    if others.is_empty() {
        return false;
    }
    // A look-alike that cannot be read is said (the question still asks
    // about the others, and is asked even when none could be read).
    let mut shown = Vec::new();
    for (cand, b) in others {
        match store.customer(cand.id) {
            Ok(c) => shown.push((Who::of(&c), b)),
            Err(e) => app.error(&e),
        }
    }
    let others = shown;
    app.overlay = Some(Overlay::Confirm(Confirm::Find(FindConfirm::LookAlike {
        form: form.clone(),
        others,
    })));
    true
}

pub(super) fn ask_delete(app: &mut App, store: &Store) {
    let Some(id) = app
        .customers
        .card
        .as_ref()
        .map(|c| c.customer.id)
        .or(app.current().map(|e| e.id))
    else {
        app.info("msg.nothing_selected");
        return;
    };
    match (store.customer(id), store.hanging(id)) {
        (Ok(c), Ok(hanging)) => {
            app.overlay = Some(Overlay::Confirm(Confirm::Find(FindConfirm::Delete {
                who: Who::of(&c),
                hanging,
            })))
        }
        (Err(e), _) | (_, Err(e)) => app.error(&e),
    }
}

pub(super) fn mark(app: &mut App, store: &Store) {
    let Some(id) = app
        .customers
        .card
        .as_ref()
        .map(|c| c.customer.id)
        .or(app.current().map(|e| e.id))
    else {
        app.info("msg.nothing_selected");
        return;
    };
    match app.find.mark {
        Some(other) if other != id => open_merge(app, store, id, other),
        _ => {
            app.find.mark = Some(id);
            match store.customer(id) {
                Ok(c) => {
                    let name = Who::of(&c).label;
                    app.message = Some((tf(app.lang, "find.marked", &[("who", &name)]), Level::Info));
                }
                Err(e) => app.error(&e),
            }
        }
    }
}

fn open_merge(app: &mut App, store: &Store, keep: i64, other: i64) {
    match (store.customer(keep), store.customer(other)) {
        (Ok(k), Ok(o)) => {
            app.find.mark = None;
            app.customers.card = None;
            app.find.merge = Some(MergeView::new(k, o));
        }
        (Err(e), _) | (_, Err(e)) => app.error(&e),
    }
}

pub(super) fn open_view(app: &mut App, store: &Store) {
    let pairs = match store.duplicate_pairs() {
        Ok(p) => p,
        Err(e) => return app.error(&e),
    };
    let mut rows = Vec::new();
    for p in pairs {
        if let (Ok(a), Ok(b)) = (store.customer(p.a), store.customer(p.b)) {
            rows.push(DupRow {
                because: p.because,
                a: Who::of(&a),
                b: Who::of(&b),
            });
        }
    }
    if rows.is_empty() {
        app.info("find.no_duplicates");
        return;
    }
    app.customers.card = None;
    app.find.dups = Some(DupView { rows, cursor: 0 });
}

/// Keys of the duplicates and merge views and this module's questions.
pub(super) fn update(app: &mut App, cmd: Cmd, store: &mut Store) {
    match cmd {
        Cmd::Toggle => {
            if let Some(m) = &mut app.find.merge
                && let Some(f) = m.fields.get_mut(m.cursor)
            {
                f.1 = !f.1;
            }
        }
        Cmd::DoMerge if app.find.merge.is_some() => {
            app.overlay = Some(Overlay::Confirm(Confirm::Find(FindConfirm::Merge)));
        }
        Cmd::OpenOther => {
            if let Some(Overlay::Confirm(Confirm::Find(FindConfirm::LookAlike { others, .. }))) = app.overlay.take() {
                app.apply(store, [Effect::Card(others[0].0.id)]);
                app.info("find.opened_other");
            }
        }
        _ => {}
    }
}

/// Moving in the duplicates and merge views.
pub fn view_action(app: &mut App, action: Action, store: &mut Store) {
    if let Some(m) = &mut app.find.merge {
        match action {
            Action::Down => m.cursor = (m.cursor + 1).min(m.fields.len().saturating_sub(1)),
            Action::Up => m.cursor = m.cursor.saturating_sub(1),
            Action::Back => {
                app.find.merge = None;
                app.info("msg.cancelled");
            }
            _ => {}
        }
        return;
    }
    let Some(v) = &mut app.find.dups else { return };
    match action {
        Action::Down => v.cursor = (v.cursor + 1).min(v.rows.len().saturating_sub(1)),
        Action::Up => v.cursor = v.cursor.saturating_sub(1),
        Action::Back => app.find.dups = None,
        Action::OpenCard => {
            if let Some(r) = v.rows.get(v.cursor) {
                let (keep, other) = (r.a.id, r.b.id);
                open_merge(app, store, keep, other);
            }
        }
        _ => {}
    }
}

/// The answer to one of this module's questions.
pub fn confirm(app: &mut App, store: &mut Store, c: FindConfirm, action: Action) {
    match (c, action) {
        (FindConfirm::Delete { who, .. }, Action::Yes) => match store.delete_customer(who.id) {
            Ok(()) => {
                app.customers.card = None;
                app.announce(store, Change::Removed(who.id));
                app.message = Some((tf(app.lang, "find.deleted", &[("who", &who.label)]), Level::Info));
            }
            Err(e) => app.error(&e),
        },
        (FindConfirm::Merge, Action::Yes) => {
            let Some(m) = app.find.merge.take() else { return };
            let result = m.result();
            let reason = crate::domain::app_note::AppNote::Merged(Who::of(&m.other).label).encode();
            match store.merge_customers(&result, m.other.id, app.now, &reason) {
                Ok(()) => {
                    app.announce(store, Change::Removed(m.other.id));
                    app.announce(store, Change::Customer(m.keep.id));
                    app.find.dups = None;
                    app.message = Some((
                        tf(app.lang, "find.merged", &[("who", &Who::of(&result).label)]),
                        Level::Info,
                    ));
                }
                Err(e) => {
                    app.error(&e);
                    app.find.merge = Some(m);
                }
            }
        }
        (FindConfirm::LookAlike { form, .. }, Action::Yes) => {
            app.find.dup_ack = true;
            app.overlay = Some(Overlay::Form(form));
            app.submit_form(store);
        }
        (FindConfirm::LookAlike { form, .. }, _) => app.overlay = Some(Overlay::Form(form)),
        (_, _) => app.info("msg.cancelled"),
    }
}
