//! Purchases from the card: `b` records one (date through the shared date
//! entry, amount exact), `p` lists them to edit (`Enter`) or delete (`x`).

use chrono::NaiveDate;

use super::Cmd;
pub use crate::app::form::kinds::PurchaseForm as PaneForm;
use crate::app::form::{DateEntry, Field, FieldId, Form, FormKind};
use crate::app::{Action, App, Change, Confirm, Level, Overlay, Pane};
use crate::domain::validate::{MAX_FIELD, MAX_NOTE};
use crate::domain::value::{Purchase, format_units, parse_amount};
use crate::i18n::{t, tf};
use crate::io::purchases::{purchase_date, quantity};
use crate::storage::Store;

/// One customer's purchases, newest first, as the list over the card shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseList {
    pub customer_id: i64,
    pub name: String,
    pub items: Vec<Purchase>,
    pub cursor: usize,
}

fn form(kind: PaneForm, subject: &str, p: Option<&Purchase>, today: NaiveDate, app: &App) -> Form {
    let cur = app.insights.currency;
    let date = p.map(|p| p.date).unwrap_or(today).to_string();
    let amount = p.map(|p| format_units(p.amount, cur)).unwrap_or_default();
    let qty = p.map(|p| p.quantity.to_string()).unwrap_or_default();
    Form {
        kind: FormKind::Value(kind),
        fields: vec![
            Field::text(FieldId::At, "purchase.col.date", &date)
                .required()
                .hint("purchase.hint.date")
                .date_entry(DateEntry::Day),
            Field::text(FieldId::Amount, "purchase.col.amount", &amount)
                .required()
                .hint("purchase.hint.amount"),
            Field::text(FieldId::Product, "purchase.col.product", p.map_or("", |p| &p.product)),
            Field::text(FieldId::Quantity, "purchase.col.quantity", &qty).hint("purchase.hint.quantity"),
            Field::text(FieldId::Note, "field.note", p.map_or("", |p| &p.note)),
        ],
        focus: if p.is_some() { 0 } else { 1 },
        dirty: false,
        subject: subject.to_string(),
        base: Vec::new(),
    }
}

/// The customer the purchase keys act on: the open list's, the card's, or
/// the highlighted one in the customer list.
fn target(app: &App) -> Option<i64> {
    if let Some(l) = &app.insights.purchases {
        return Some(l.customer_id);
    }
    app.customers.card.as_ref().map(|c| c.customer.id).or_else(|| {
        (app.pane == Pane::CUSTOMERS)
            .then(|| app.current().map(|e| e.id))
            .flatten()
    })
}

/// Reloads the open purchase list.
fn reload(app: &mut App, store: &Store) {
    let Some(l) = &mut app.insights.purchases else { return };
    let mut items = Vec::new();
    match store.for_each_purchase(Some(l.customer_id), |p| items.push(p)) {
        Ok(()) => {
            items.reverse();
            l.cursor = l.cursor.min(items.len().saturating_sub(1));
            l.items = items;
        }
        Err(e) => app.error(&e),
    }
}

/// The purchase keys (card, customer list, purchase list).
pub fn action(app: &mut App, cmd: Cmd, store: &mut Store) {
    let today = app.today();
    match cmd {
        Cmd::AddPurchase => {
            let Some(id) = target(app) else {
                app.info("msg.nothing_selected");
                return;
            };
            let name = match store.customer(id) {
                Ok(c) => c.name,
                Err(e) => return app.error(&e),
            };
            app.overlay = Some(Overlay::Form(form(PaneForm::Add(id), &name, None, today, app)));
        }
        Cmd::Purchases => {
            let Some(id) = target(app) else {
                app.info("msg.nothing_selected");
                return;
            };
            let name = match store.customer(id) {
                Ok(c) => c.name,
                Err(e) => return app.error(&e),
            };
            app.insights.purchases = Some(PurchaseList {
                customer_id: id,
                name,
                items: Vec::new(),
                cursor: 0,
            });
            reload(app, store);
        }
        Cmd::EditPurchase | Cmd::DeletePurchase => {
            let Some((p, name)) = app
                .insights
                .purchases
                .as_ref()
                .and_then(|l| l.items.get(l.cursor).map(|p| (p.clone(), l.name.clone())))
            else {
                app.info("purchase.msg.none");
                return;
            };
            app.overlay = Some(if cmd == Cmd::EditPurchase {
                Overlay::Form(form(PaneForm::Edit(p.id), &name, Some(&p), today, app))
            } else {
                Overlay::Confirm(Confirm::DeletePurchase(p.id))
            });
        }
        _ => {}
    }
}

/// Moving in and leaving the purchase list.
pub fn list_action(app: &mut App, action: Action, store: &mut Store) {
    let Some(l) = &mut app.insights.purchases else { return };
    let n = l.items.len();
    match action {
        Action::Down => l.cursor = (l.cursor + 1).min(n.saturating_sub(1)),
        Action::Up => l.cursor = l.cursor.saturating_sub(1),
        Action::Back => {
            app.insights.purchases = None;
            if let Some(id) = app.customers.card.as_ref().map(|c| c.customer.id) {
                app.open_card(store, id);
            }
        }
        _ => {}
    }
}

/// Deletes a purchase (after the confirmation).
pub fn delete(app: &mut App, store: &mut Store, id: i64) {
    let customer = store.purchase(id).map(|p| p.customer_id);
    match customer.and_then(|c| store.delete_purchase(id).map(|()| c)) {
        Ok(customer) => {
            app.info("purchase.msg.deleted");
            written(app, store, customer);
        }
        Err(e) => app.error(&e),
    }
}

/// After a purchase was written: the list here, then every pane (the card,
/// the value analysis).
fn written(app: &mut App, store: &mut Store, customer: i64) {
    reload(app, store);
    app.announce(store, Change::Purchase(customer));
}

/// Checks and saves a purchase form; on a mistake the form stays open with
/// the message next to the field.
pub fn submit(app: &mut App, store: &mut Store, mut form: Form, kind: PaneForm) {
    for f in &mut form.fields {
        f.error = None;
    }
    let lang = app.lang;
    let cur = app.insights.currency;
    let date = match purchase_date(form.get(FieldId::At), app.today()) {
        Ok(d) => Some(d),
        Err(p) => {
            let msg = if form.get(FieldId::At).trim().is_empty() {
                t(lang, "error.required").to_string()
            } else {
                p.message(lang)
            };
            form.set_error(FieldId::At, msg);
            None
        }
    };
    let amount = match parse_amount(form.get(FieldId::Amount), cur) {
        Ok(a) => Some(a),
        Err(e) => {
            form.set_error(FieldId::Amount, t(lang, e.key()).to_string());
            None
        }
    };
    let qty = match quantity(form.get(FieldId::Quantity)) {
        Ok(q) => Some(q),
        Err(p) => {
            form.set_error(FieldId::Quantity, p.message(lang));
            None
        }
    };
    let product = form.get(FieldId::Product).trim().to_string();
    let note = form.get(FieldId::Note).trim().to_string();
    for (id, v, max) in [
        (FieldId::Product, &product, MAX_FIELD),
        (FieldId::Note, &note, MAX_NOTE),
    ] {
        if v.chars().count() > max {
            form.set_error(id, tf(lang, "purchase.reject.too_long", &[("max", &max)]));
        }
    }
    let (Some(date), Some(amount), Some(quantity), false) = (date, amount, qty, form.has_errors()) else {
        form.focus_first_error();
        app.message = Some((t(lang, "msg.fix_fields").to_string(), Level::Error));
        app.overlay = Some(Overlay::Form(form));
        return;
    };
    let mut p = Purchase {
        id: 0,
        customer_id: 0,
        date,
        product,
        quantity,
        amount,
        note,
    };
    let result = match kind {
        PaneForm::Add(customer_id) => {
            p.customer_id = customer_id;
            store.add_purchase(&p).map(|_| ())
        }
        PaneForm::Edit(id) => store.purchase(id).and_then(|old| {
            p.id = id;
            p.customer_id = old.customer_id;
            store.update_purchase(&p)
        }),
    };
    match result {
        Ok(()) => {
            app.message = Some((
                tf(
                    lang,
                    "purchase.msg.saved",
                    &[
                        ("amount", &crate::domain::value::format_amount(amount, cur)),
                        ("date", &date),
                    ],
                ),
                Level::Info,
            ));
            written(app, store, p.customer_id);
        }
        Err(e) => {
            app.error(&e);
            app.overlay = Some(Overlay::Form(form));
        }
    }
}
