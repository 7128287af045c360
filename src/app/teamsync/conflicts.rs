//! The conflicts overlay (issue 20): each field changed differently here
//! and on the server, with both values; `m` keeps mine (sent at the next
//! sync), `t` takes theirs, `e` types the value to keep instead.

use super::super::input::TextInput;
use super::super::{Action, App, Change, Level, Overlay};
use super::Cmd;
use crate::domain::text::clean;
use crate::i18n::{Lang, t, tf};
use crate::storage::Store;
use crate::storage::capture::state::LocalConflict;
use crate::sync::{self, Side};

/// One conflict as the overlay shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub conflict: LocalConflict,
    /// The record: a customer's or company's name, else the table.
    pub record: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConflictsView {
    pub rows: Vec<Row>,
    pub cursor: usize,
    /// The value being typed for the highlighted conflict.
    pub editing: Option<TextInput>,
}

/// A stored value (JSON) as the rep reads it.
pub fn shown(lang: Lang, json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Null) => t(lang, "sync.value.empty").to_string(),
        Ok(serde_json::Value::String(s)) if s.is_empty() => t(lang, "sync.value.empty").to_string(),
        Ok(serde_json::Value::String(s)) => clean(&s).into_owned(),
        Ok(v) => v.to_string(),
        Err(_) => clean(json).into_owned(),
    }
}

/// The field as the rep knows it ("City", "城市"), for the columns the
/// forms show; other columns by their table and name.
pub fn field_label(lang: Lang, table: &str, field: &str) -> String {
    const CUSTOMER: &[(&str, &str)] = &[
        ("name", "field.name"),
        ("role", "field.role"),
        ("phones", "field.phones"),
        ("wechat", "field.wechat"),
        ("email", "field.email"),
        ("city", "field.city"),
        ("grade", "field.grade"),
        ("status", "field.status"),
        ("notes", "field.notes"),
        ("hobbies", "field.hobbies"),
        ("family", "field.family"),
        ("relationship", "field.relationship"),
        ("personality", "field.personality"),
        ("company_id", "field.company"),
    ];
    const COMPANY: &[(&str, &str)] = &[
        ("name", "account.field.name"),
        ("industry", "account.field.industry"),
        ("size", "account.field.size"),
        ("city", "field.city"),
        ("address", "account.field.address"),
        ("website", "account.field.website"),
        ("notes", "account.field.notes"),
    ];
    let known = match table {
        "customers" => CUSTOMER,
        "companies" => COMPANY,
        _ => &[],
    };
    match known.iter().find(|(f, _)| *f == field) {
        Some((_, key)) => t(lang, key).to_string(),
        None => format!("{table}.{field}"),
    }
}

/// The value as the edit field starts: mine, as text.
fn editable(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Null) => String::new(),
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v.to_string(),
        Err(_) => json.to_string(),
    }
}

fn load(store: &Store) -> crate::storage::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for c in store.sync_conflicts()? {
        let record = store
            .sync_row_name(&c.table, &c.gid)?
            .unwrap_or_else(|| c.table.clone());
        rows.push(Row { conflict: c, record });
    }
    Ok(rows)
}

/// Opens the overlay (or says there is nothing to resolve).
pub fn open(app: &mut App, store: &Store) {
    if app.overlay.is_some() {
        return;
    }
    match load(store) {
        Ok(rows) if rows.is_empty() => app.info("sync.msg.no_conflicts"),
        Ok(rows) => {
            app.overlay = Some(Overlay::Sync(Box::new(ConflictsView {
                rows,
                cursor: 0,
                editing: None,
            })))
        }
        Err(e) => app.error(&e),
    }
}

fn view(app: &mut App) -> Option<&mut ConflictsView> {
    match &mut app.overlay {
        Some(Overlay::Sync(v)) => Some(v),
        _ => None,
    }
}

/// Keep mine, keep theirs, or start typing a value.
pub fn action(app: &mut App, cmd: Cmd, store: &mut Store) {
    let Some(v) = view(app) else { return };
    if v.editing.is_some() {
        return;
    }
    let Some(row) = v.rows.get(v.cursor).cloned() else {
        return;
    };
    match cmd {
        Cmd::KeepMine => settle(app, store, &row, Settle::Side(Side::Mine)),
        Cmd::KeepTheirs => settle(app, store, &row, Settle::Side(Side::Theirs)),
        Cmd::Edit => v.editing = Some(TextInput::new(&editable(&row.conflict.mine))),
        _ => {}
    }
}

enum Settle {
    Side(Side),
    Value(String),
}

/// Resolves one conflict in the book, then shows the next one (or closes).
fn settle(app: &mut App, store: &mut Store, row: &Row, how: Settle) {
    let c = &row.conflict;
    let now = app.now.format("%Y-%m-%d %H:%M:%S").to_string();
    let result = match &how {
        Settle::Side(side) => sync::resolve(store, c.id, *side, &now),
        Settle::Value(text) => sync::resolve_with(store, c.id, sync::typed_value(text, &c.mine, &c.theirs), &now),
    };
    if let Err(e) = result {
        app.message = Some((e.text(app.lang), Level::Error));
        return;
    }
    let key = match how {
        Settle::Side(Side::Mine) => "sync.msg.kept_mine",
        Settle::Side(Side::Theirs) => "sync.msg.took_theirs",
        Settle::Value(_) => "sync.msg.edited",
    };
    let field = field_label(app.lang, &c.table, &c.field);
    let msg = tf(app.lang, key, &[("field", &field), ("record", &clean(&row.record))]);
    // The value may have changed here: every pane reads it again.
    if !matches!(how, Settle::Side(Side::Mine)) {
        app.start_loader();
        app.announce(store, Change::Book);
    }
    super::refresh(app, store);
    let rest = load(store).unwrap_or_default();
    match view(app) {
        Some(v) if !rest.is_empty() => {
            v.cursor = v.cursor.min(rest.len() - 1);
            v.rows = rest;
            v.editing = None;
        }
        _ => app.overlay = None,
    }
    app.message = Some((msg, Level::Info));
}

/// Moving, closing, and the value being typed.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    let Some(v) = view(app) else { return };
    let n = v.rows.len();
    match (&mut v.editing, action) {
        (Some(_), Action::Back) => v.editing = None,
        (Some(input), Action::Backspace) => input.backspace(),
        (Some(input), Action::Left) => input.left(),
        (Some(input), Action::Right) => input.right(),
        (Some(input), Action::ClearInput) => input.clear(),
        (Some(input), Action::Submit) => {
            let text = input.text().to_string();
            if let Some(row) = v.rows.get(v.cursor).cloned() {
                settle(app, store, &row, Settle::Value(text));
            }
        }
        (None, Action::Down) => v.cursor = (v.cursor + 1).min(n.saturating_sub(1)),
        (None, Action::Up) => v.cursor = v.cursor.saturating_sub(1),
        (None, Action::Back) => app.overlay = None,
        _ => {}
    }
}
