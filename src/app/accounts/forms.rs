//! The account view's forms: the company record, a person's roles, and a
//! person who leaves (date, where to, note, successor, stays a contact).

use chrono::NaiveDate;

use super::super::form::kinds::AccountForm as PaneForm;
use super::super::form::{Field, FieldId, Form, FormKind, options, parse_roles, roles_text};
use super::super::{App, Change, Effect, Level, Overlay};
use crate::domain::account::{self, BusinessStatus, Company, CompanyError, Role, Size, TransactionStatus};
use crate::domain::dates;
use crate::domain::validate;
use crate::i18n::{Lang, t, tf};
use crate::storage::{Leaving, Store, Successor};

pub(super) fn company_form(c: &Company) -> Form {
    let mut sizes = vec![("", "account.none")];
    sizes.extend(options(Size::ALL, Size::as_str, Size::key));
    Form {
        base: Vec::new(),
        kind: FormKind::Account(PaneForm::Company(c.id)),
        fields: vec![
            Field::text(FieldId::Name, "account.field.name", &c.name).required(),
            Field::text(FieldId::Industry, "account.field.industry", &c.industry),
            Field::choice(
                FieldId::Size,
                "account.field.size",
                sizes,
                c.size.map_or("", Size::as_str),
            ),
            Field::text(FieldId::City, "account.field.city", &c.city),
            Field::text(FieldId::Address, "account.field.address", &c.address),
            Field::text(FieldId::Website, "account.field.website", &c.website),
            Field::choice(
                FieldId::Business,
                "account.field.business",
                options(BusinessStatus::ALL, BusinessStatus::as_str, BusinessStatus::key),
                c.business.as_str(),
            ),
            Field::choice(
                FieldId::Transaction,
                "account.field.transaction",
                options(
                    TransactionStatus::ALL,
                    TransactionStatus::as_str,
                    TransactionStatus::key,
                ),
                c.transaction.as_str(),
            ),
            Field::text(FieldId::Notes, "account.field.notes", &c.notes).multiline(),
        ],
        focus: 0,
        dirty: false,
        subject: c.name.clone(),
    }
    .started()
}

pub(super) fn open_roles(app: &mut App, store: &Store, id: i64) {
    match store.customer(id) {
        Ok(c) => {
            let form = Form {
                base: Vec::new(),
                kind: FormKind::Account(PaneForm::Roles(id)),
                fields: vec![Field::text(FieldId::Roles, "field.roles", &roles_text(c.roles)).hint("hint.roles")],
                focus: 0,
                dirty: false,
                subject: c.name.clone(),
            }
            .started();
            app.overlay = Some(Overlay::Form(form));
        }
        Err(e) => app.error(&e),
    }
}

pub(super) fn open_leave(app: &mut App, store: &Store, id: i64) {
    let c = match store.customer(id) {
        Ok(c) => c,
        Err(e) => return app.error(&e),
    };
    if let Ok(Some(_)) = store.departure(id) {
        return app.info("account.msg.already_left");
    }
    // The suggested successor: another decision maker, else the most
    // important other person still at the company.
    let people = match store.company_id_of(id) {
        Ok(Some(co)) => store.members(co).unwrap_or_default(),
        Ok(None) => return app.info("account.msg.no_company"),
        Err(e) => return app.error(&e),
    };
    let others = people.iter().filter(|m| m.present() && m.id != id);
    let suggestion = others
        .clone()
        .filter(|m| m.roles.has(Role::DecisionMaker))
        .chain(others.clone())
        .min_by_key(|m| (!m.roles.has(Role::DecisionMaker), m.grade, m.id))
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let form = Form {
        base: Vec::new(),
        kind: FormKind::Account(PaneForm::Leave(id)),
        fields: vec![
            Field::text(FieldId::At, "account.field.left_on", &app.today().to_string())
                .required()
                .hint("account.hint.left_on"),
            Field::text(FieldId::LeftTo, "account.field.left_to", ""),
            Field::text(FieldId::Note, "field.note", ""),
            Field::text(FieldId::Successor, "account.field.successor", &suggestion).hint("account.hint.successor"),
            Field::choice(
                FieldId::StayContact,
                "account.field.stay",
                vec![("no", "account.no"), ("yes", "account.yes")],
                "no",
            ),
        ],
        focus: 0,
        dirty: false,
        subject: c.name.clone(),
    };
    app.overlay = Some(Overlay::Form(form));
}

fn back(app: &mut App, mut form: Form) {
    form.focus_first_error();
    app.message = Some((t(app.lang, "msg.fix_fields").to_string(), Level::Error));
    app.overlay = Some(Overlay::Form(form));
}

fn text(lang: Lang, form: &mut Form, id: FieldId, max: usize) -> Option<String> {
    match validate::limit(form.get(id), max) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = match &e {
                validate::FieldError::TooLong { max } => tf(lang, e.key(), &[("max", max)]),
                other => t(lang, other.key()).to_string(),
            };
            form.set_error(id, msg);
            None
        }
    }
}

/// The company typed in the form, or `None` with the errors marked.
fn to_company(lang: Lang, form: &mut Form, id: i64) -> Option<Company> {
    let mut c = Company::new(form.get(FieldId::Name));
    c.id = id;
    c.industry = form.get(FieldId::Industry).to_string();
    c.size = Size::parse(form.get(FieldId::Size));
    c.city = form.get(FieldId::City).to_string();
    c.address = form.get(FieldId::Address).to_string();
    c.website = form.get(FieldId::Website).to_string();
    c.business = BusinessStatus::parse(form.get(FieldId::Business)).unwrap_or(BusinessStatus::Normal);
    c.transaction = TransactionStatus::parse(form.get(FieldId::Transaction)).unwrap_or(TransactionStatus::Prospect);
    c.notes = form.get(FieldId::Notes).to_string();
    match account::validate(&c) {
        Ok(c) => Some(c),
        Err(e) => {
            let field = match &e {
                CompanyError::NameMissing | CompanyError::TooLong("name") => FieldId::Name,
                CompanyError::TooLong("industry") => FieldId::Industry,
                CompanyError::TooLong("city") => FieldId::City,
                CompanyError::TooLong("address") => FieldId::Address,
                CompanyError::TooLong("website") => FieldId::Website,
                CompanyError::TooLong(_) => FieldId::Notes,
            };
            form.set_error(field, t(lang, e.key()).to_string());
            None
        }
    }
}

/// Who the successor typed in the form is: one of the company's people
/// still there (by name, or `#id`), a new person, or nobody.
fn successor(lang: Lang, form: &mut Form, store: &Store, leaver: i64) -> Option<Successor> {
    let typed = form.get(FieldId::Successor).trim().to_string();
    if typed.is_empty() {
        return Some(Successor::None);
    }
    let people = match store.company_id_of(leaver) {
        Ok(Some(co)) => store.members(co).unwrap_or_default(),
        _ => Vec::new(),
    };
    let here: Vec<_> = people.iter().filter(|m| m.present() && m.id != leaver).collect();
    if let Some(id) = typed.strip_prefix('#').and_then(|n| n.parse::<i64>().ok()) {
        return match here.iter().find(|m| m.id == id) {
            Some(m) => Some(Successor::Existing(m.id)),
            None => {
                form.set_error(FieldId::Successor, tf(lang, "account.error.no_person", &[("id", &id)]));
                None
            }
        };
    }
    let want = typed.to_lowercase();
    let same: Vec<_> = here.iter().filter(|m| m.name.trim().to_lowercase() == want).collect();
    match same.as_slice() {
        [] => match validate::name(&typed) {
            Ok(name) => Some(Successor::New {
                name,
                title: String::new(),
            }),
            Err(e) => {
                form.set_error(FieldId::Successor, t(lang, e.key()).to_string());
                None
            }
        },
        [one] => Some(Successor::Existing(one.id)),
        many => {
            let ids: Vec<String> = many.iter().map(|m| format!("#{}", m.id)).collect();
            form.set_error(
                FieldId::Successor,
                tf(lang, "account.error.which", &[("ids", &ids.join(", "))]),
            );
            None
        }
    }
}

fn left_on(lang: Lang, form: &mut Form, today: NaiveDate) -> Option<NaiveDate> {
    match dates::parse_date_entry(form.get(FieldId::At), today) {
        Ok(d) if d > today => {
            form.set_error(FieldId::At, t(lang, "account.error.future").to_string());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            form.set_error(FieldId::At, e.message(lang.is_zh()));
            None
        }
    }
}

/// Saves one of this module's forms; a mistake keeps the draft with the
/// message next to its field, a storage error keeps it too.
pub fn submit(app: &mut App, store: &mut Store, mut form: Form, kind: PaneForm) {
    for f in &mut form.fields {
        f.error = None;
    }
    let lang = app.lang;
    let now = app.now;
    match kind {
        PaneForm::Company(id) => {
            let Some(c) = to_company(lang, &mut form, id) else {
                return back(app, form);
            };
            match store.save_company(&c, now) {
                Ok(true) => {
                    // Its people's rows show the company's name.
                    let people = store.members(id).unwrap_or_default();
                    let mut effects = vec![Effect::Info("account.msg.saved")];
                    effects.extend(people.iter().map(|m| Effect::Wrote(Change::Customer(m.id))));
                    app.apply(store, effects);
                }
                Ok(false) => {
                    form.set_error(FieldId::Name, t(lang, "account.error.name_taken").to_string());
                    back(app, form)
                }
                Err(e) => {
                    app.error(&e);
                    app.overlay = Some(Overlay::Form(form));
                }
            }
        }
        PaneForm::Roles(id) => {
            let roles = match parse_roles(lang, form.get(FieldId::Roles)) {
                Ok(r) => r,
                Err(msg) => {
                    form.set_error(FieldId::Roles, msg);
                    return back(app, form);
                }
            };
            match store.set_roles(id, roles, now) {
                Ok(()) => app.apply(
                    store,
                    [
                        Effect::Info("account.msg.roles_saved"),
                        Effect::Wrote(Change::Customer(id)),
                    ],
                ),
                Err(e) => {
                    app.error(&e);
                    app.overlay = Some(Overlay::Form(form));
                }
            }
        }
        PaneForm::Leave(id) => {
            let on = left_on(lang, &mut form, now.date());
            let to = text(lang, &mut form, FieldId::LeftTo, validate::MAX_FIELD);
            let note = text(lang, &mut form, FieldId::Note, validate::MAX_NOTE);
            let succ = successor(lang, &mut form, store, id);
            let (Some(on), Some(to), Some(note), Some(successor)) = (on, to, note, succ) else {
                return back(app, form);
            };
            let stay = form.get(FieldId::StayContact) == "yes";
            if stay && to.is_empty() {
                form.set_error(FieldId::LeftTo, t(lang, "account.error.stay_where").to_string());
                return back(app, form);
            }
            let leaving = Leaving {
                person_id: id,
                on,
                to,
                note,
                successor,
                stay_contact: stay,
                rebuild_on: account::rebuild_due(on, now.date(), app.accounts.cfg.rebuild_days),
                rebuild_note: t(lang, "account.rebuild_note").to_string(),
            };
            match store.mark_left(&leaving, now) {
                Ok(left) => {
                    let msg = match left.follow_up_id {
                        Some(_) => tf(lang, "account.msg.left", &[("date", &leaving.rebuild_on)]),
                        None => t(lang, "account.msg.left_alone").to_string(),
                    };
                    let mut wrote = vec![Effect::Wrote(Change::Customer(id))];
                    wrote.extend(left.successor_id.map(|s| Effect::Wrote(Change::Customer(s))));
                    app.apply(store, wrote);
                    app.message = Some((msg, Level::Info));
                }
                Err(e) => {
                    app.error(&e);
                    app.overlay = Some(Overlay::Form(form));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Roles;

    #[test]
    fn roles_text_reads_back_in_either_language() {
        let r = Roles::of(&[Role::DecisionMaker, Role::Payer]);
        assert_eq!(roles_text(r), "decision maker, payer");
        assert_eq!(parse_roles(Lang::En, &roles_text(r)), Ok(r));
        assert_eq!(
            parse_roles(Lang::Zh, "拍板人、影响者"),
            Ok(Roles::of(&[Role::DecisionMaker, Role::Influencer]))
        );
        assert!(parse_roles(Lang::En, "boss").unwrap_err().contains("boss"));
        assert!(crate::domain::account::read_role("把关人").is_some());
    }
}
