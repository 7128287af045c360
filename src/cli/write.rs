//! `rapport add` and `rapport edit`: the customer form from the shell. The
//! values go through the form itself (the same checks, the same messages),
//! `add` warns about a duplicate the way an import finds one (same phone,
//! or same name at the same company), and each prints what it wrote.
//! Exit 0 when written, 1 for a user error, 2 when the customer is unknown.

use std::process::ExitCode;

use serde::Serialize;

use super::{Context, print, storage_message};
use crate::app::form::{FieldId, Form, FormKind};
use crate::domain::customer::Customer;
use crate::domain::text::clean;
use crate::i18n::{Lang, t, tf};
use crate::io::convert::{Converted, Incoming};
use crate::io::plan::{DupPolicy, Plan, Twin};
use crate::storage::{StorageError, Store};

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The customer's name (required).
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub company: Option<String>,
    /// A phone number; repeat for several.
    #[arg(long = "phone", value_name = "P")]
    pub phones: Vec<String>,
    #[arg(long)]
    pub city: Option<String>,
    /// A, B, C or D.
    #[arg(long, value_name = "A|B|C|D")]
    pub grade: Option<String>,
    /// potential, target, active, loyal, lost or non_customer.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Add even when a customer with the same phone, or the same name at the same company, exists.
    #[arg(long)]
    pub yes: bool,
    /// Print the record written as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The customer's id (as `rapport find --json` shows it).
    pub id: i64,
    /// FIELD=VALUE, repeatable: name, company, role, phones, wechat, email, city, birthday, grade,
    /// status, relationship, personality, hobbies, family, notes, tags, reason (why the status changes).
    #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
    pub set: Vec<String>,
    /// Change the status even when the MAN check argues against it (kept in the history).
    #[arg(long)]
    pub yes: bool,
    /// Print the record written as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The names `--set` accepts, as the form's fields.
const FIELDS: &[(&str, FieldId)] = &[
    ("name", FieldId::Name),
    ("company", FieldId::Company),
    ("role", FieldId::Role),
    ("phones", FieldId::Phones),
    ("phone", FieldId::Phones),
    ("wechat", FieldId::Wechat),
    ("email", FieldId::Email),
    ("city", FieldId::City),
    ("birthday", FieldId::Birthday),
    ("grade", FieldId::Grade),
    ("status", FieldId::Status),
    ("relationship", FieldId::Relationship),
    ("personality", FieldId::Personality),
    ("hobbies", FieldId::Hobbies),
    ("family", FieldId::Family),
    ("notes", FieldId::Notes),
    ("tags", FieldId::Tags),
    ("reason", FieldId::Reason),
];

/// A field by its name or by its label in the form (either language).
fn field_named(form: &Form, name: &str) -> Option<FieldId> {
    let n = name.trim().to_lowercase();
    FIELDS.iter().find(|(k, _)| *k == n).map(|(_, id)| *id).or_else(|| {
        form.fields
            .iter()
            .find(|f| [Lang::En, Lang::Zh].iter().any(|l| t(*l, f.label).to_lowercase() == n))
            .map(|f| f.id)
    })
}

fn field_label(form: &Form, id: FieldId) -> &'static str {
    FIELDS
        .iter()
        .find(|(_, f)| *f == id)
        .map(|(k, _)| *k)
        .filter(|_| form.fields.iter().any(|f| f.id == id))
        .unwrap_or("?")
}

/// A user mistake: the message on stderr, exit 1.
pub(crate) fn user_error(msg: impl std::fmt::Display) -> ExitCode {
    crate::stderr::warnln!("rapport: {}", clean(&msg.to_string()));
    ExitCode::from(1)
}

/// Sets `id` to `value` in the form, or says why not (naming the field).
fn set(form: &mut Form, lang: Lang, name: &str, id: FieldId, value: &str) -> Result<(), String> {
    form.set_typed(id, value).map_err(|choices| {
        tf(
            lang,
            "tools.bad_choice",
            &[("field", &name), ("value", &value), ("choices", &choices.join(", "))],
        )
    })
}

/// Every field error of the form, one line each, named as on the command line.
fn form_errors(form: &Form) -> String {
    form.fields
        .iter()
        .filter_map(|f| f.error.as_ref().map(|e| format!("{}: {e}", field_label(form, f.id))))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn add(ctx: &Context, store: &mut Store, args: AddArgs) -> ExitCode {
    let lang = ctx.lang;
    let now = ctx.clock.now();
    let base = Customer::new("", now);
    let mut form = Form::customer(FormKind::NewCustomer, &base);
    let phones = args.phones.join(", ");
    let tags = args.tags.join(", ");
    let values = [
        ("name", FieldId::Name, Some(args.name.as_str())),
        ("company", FieldId::Company, args.company.as_deref()),
        ("phone", FieldId::Phones, Some(phones.as_str())),
        ("city", FieldId::City, args.city.as_deref()),
        ("grade", FieldId::Grade, args.grade.as_deref()),
        ("status", FieldId::Status, args.status.as_deref()),
        ("tag", FieldId::Tags, Some(tags.as_str())),
    ];
    for (name, id, value) in values {
        if let Some(v) = value
            && let Err(e) = set(&mut form, lang, name, id, v)
        {
            return user_error(e);
        }
    }
    let Some(customer) = form.to_customer(lang, &base, now.date()) else {
        return user_error(form_errors(&form));
    };
    if !args.yes
        && let Some(msg) = duplicate_of(ctx, store, &customer)
    {
        return match msg {
            Ok(m) => user_error(m),
            Err(code) => code,
        };
    }
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    let id = match store.insert_customer(&customer) {
        Ok(id) => id,
        Err(e) => return super::fail(storage_message(lang, &e, &ctx.db_path)),
    };
    report(ctx, store, id, "tools.added", args.json)
}

/// The warning when `c` looks like someone already in the book.
fn duplicate_of(ctx: &Context, store: &Store, c: &Customer) -> Option<Result<String, ExitCode>> {
    let lang = ctx.lang;
    let known = match store.known_customers() {
        Ok(k) => k,
        Err(e) => return Some(Err(super::fail(storage_message(lang, &e, &ctx.db_path)))),
    };
    let converted = Converted {
        incoming: vec![Incoming {
            line: 0,
            customer: c.clone(),
            given: Default::default(),
        }],
        rejects: Vec::new(),
    };
    let plan = Plan::new(converted, &known, DupPolicy::Skip);
    let d = plan.duplicates.first()?;
    let Twin::Existing(id) = d.twin else { return None };
    let other = store.customer(id).ok();
    let because = t(lang, d.because.key());
    let who = other.map(|o| super::import::who(&o)).unwrap_or_default();
    Some(Ok(tf(
        lang,
        "tools.duplicate",
        &[("id", &id), ("who", &who), ("because", &because)],
    )))
}

pub fn edit(ctx: &Context, store: &mut Store, args: EditArgs) -> ExitCode {
    let lang = ctx.lang;
    let now = ctx.clock.now();
    let base = match store.customer(args.id) {
        Ok(c) => c,
        Err(StorageError::NoSuchCustomer(_)) => {
            crate::stderr::warnln!("rapport: {}", tf(lang, "tools.no_customer", &[("id", &args.id)]));
            return ExitCode::from(2);
        }
        Err(e) => return super::fail(storage_message(lang, &e, &ctx.db_path)),
    };
    let mut form = Form::customer(FormKind::EditCustomer(base.id), &base);
    for spec in &args.set {
        let Some((name, value)) = spec.split_once('=') else {
            return user_error(tf(lang, "tools.set_syntax", &[("spec", spec)]));
        };
        let Some(id) = field_named(&form, name) else {
            let names: Vec<&str> = FIELDS.iter().map(|(k, _)| *k).collect();
            return user_error(tf(
                lang,
                "tools.unknown_field",
                &[("field", &name.trim()), ("fields", &names.join(", "))],
            ));
        };
        if let Err(e) = set(&mut form, lang, name.trim(), id, value) {
            return user_error(e);
        }
    }
    let Some(customer) = form.to_customer(lang, &base, now.date()) else {
        return user_error(form_errors(&form));
    };
    let why = form.get(FieldId::Reason).trim().to_string();
    if customer.status != base.status && why.is_empty() {
        return user_error(format!("reason: {}", t(lang, "error.status_reason")));
    }
    if customer == base {
        print(&tf(lang, "tools.unchanged", &[("id", &base.id)]));
        return ExitCode::SUCCESS;
    }
    let note = match man_guard(ctx, store, &base, &customer, args.yes) {
        Ok(note) => note,
        Err(code) => return code,
    };
    let reason = if why.is_empty() {
        format!("{}{note}", t(lang, "tools.edited_reason"))
    } else {
        format!("{why}{note}")
    };
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    if let Err(e) = store.update_customer(&customer, now, &reason) {
        return super::fail(storage_message(lang, &e, &ctx.db_path));
    }
    report(ctx, store, base.id, "tools.saved", args.json)
}

/// A status the MAN verdict argues against (DOMAIN §2), as the form asks:
/// refused without `--yes`; with it, the history says it was confirmed.
fn man_guard(ctx: &Context, store: &Store, base: &Customer, new: &Customer, yes: bool) -> Result<String, ExitCode> {
    use crate::domain::qualification::{status_conflict, verdict};
    let lang = ctx.lang;
    if new.status == base.status {
        return Ok(String::new());
    }
    let record = store
        .qualification(base.id)
        .map_err(|e| super::fail(storage_message(lang, &e, &ctx.db_path)))?;
    let v = verdict(&record.man()).verdict;
    let Some(conflict) = status_conflict(v, base.status, new.status) else {
        return Ok(String::new());
    };
    if !yes {
        return Err(user_error(format!(
            "status: {} {}",
            t(lang, conflict.key()),
            t(lang, "tools.yes_to_confirm")
        )));
    }
    let note = tf(lang, conflict.history_key(), &[("verdict", &t(lang, v.key()))]);
    Ok(format!(" ({note})"))
}

/// A customer as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct CustomerJson {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub role: String,
    pub phones: Vec<String>,
    pub wechat: String,
    pub email: String,
    pub city: String,
    pub birthday: Option<String>,
    pub grade: &'static str,
    pub status: &'static str,
    pub relationship: &'static str,
    pub personality: Option<&'static str>,
    pub hobbies: String,
    pub family: String,
    pub notes: String,
    pub tags: Vec<String>,
    pub created_at: String,
}

impl From<&Customer> for CustomerJson {
    fn from(c: &Customer) -> Self {
        let s = |v: &str| clean(v).into_owned();
        CustomerJson {
            id: c.id,
            name: s(&c.name),
            company: s(&c.company),
            role: s(&c.role),
            phones: c.phones.iter().map(|p| s(p)).collect(),
            wechat: s(&c.wechat),
            email: s(&c.email),
            city: s(&c.city),
            birthday: c.birthday.map(|b| b.to_string()),
            grade: c.grade.as_str(),
            status: c.status.as_str(),
            relationship: c.relationship.as_str(),
            personality: c.personality.map(|p| p.as_str()),
            hobbies: s(&c.hobbies),
            family: s(&c.family),
            notes: s(&c.notes),
            tags: c.tags.iter().map(|t| s(t)).collect(),
            created_at: c.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

/// Prints the customer as stored: one line, or the JSON record.
fn report(ctx: &Context, store: &Store, id: i64, key: &str, json: bool) -> ExitCode {
    let c = match store.customer(id) {
        Ok(c) => c,
        Err(e) => return super::fail(storage_message(ctx.lang, &e, &ctx.db_path)),
    };
    let _ = store.checkpoint();
    if json {
        print(&serde_json::to_string_pretty(&CustomerJson::from(&c)).unwrap_or_default());
    } else {
        print(&tf(
            ctx.lang,
            key,
            &[
                ("id", &id),
                ("who", &super::import::who(&c)),
                ("grade", &c.grade.as_str()),
                ("status", &t(ctx.lang, c.status.key())),
            ],
        ));
    }
    ExitCode::SUCCESS
}
