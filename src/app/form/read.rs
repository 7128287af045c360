//! Reading the Customers pane's forms into domain values: the customer,
//! an interaction, a status change; every bad field is marked next to it
//! and nothing typed is lost.

use chrono::NaiveDateTime;

use super::{FieldId, Form, parse_roles, typing};
use crate::domain::customer::{Customer, Grade, Personality, Relationship, Status};
use crate::domain::dates;
use crate::domain::interaction::InteractionKind;
use crate::domain::validate::{self, FieldError};
use crate::i18n::{Lang, t, tf};

impl Form {
    pub(super) fn field_error(&mut self, lang: Lang, id: FieldId, e: FieldError) {
        let msg = match &e {
            FieldError::TooLong { max } => tf(lang, e.key(), &[("max", max)]),
            FieldError::BadPhone(p) => tf(lang, e.key(), &[("phone", p)]),
            FieldError::BadDate(d) => tf(lang, e.key(), &[("date", d)]),
            _ => t(lang, e.key()).to_string(),
        };
        self.set_error(id, msg);
    }

    /// Builds the customer from the form, or marks every bad field
    /// (`today` reads words such as `today` in the birthday).
    pub fn to_customer(&mut self, lang: Lang, base: &Customer, today: chrono::NaiveDate) -> Option<Customer> {
        for f in &mut self.fields {
            f.error = None;
        }
        let mut c = base.clone();
        macro_rules! check {
            ($id:expr, $e:expr) => {
                match $e {
                    Ok(v) => Some(v),
                    Err(e) => {
                        self.field_error(lang, $id, e);
                        None
                    }
                }
            };
        }
        let text = |f: &Form, id| f.get(id).to_string();
        if let Some(v) = check!(FieldId::Name, validate::name(self.get(FieldId::Name))) {
            c.name = v;
        }
        for (id, slot) in [
            (FieldId::Company, &mut c.company),
            (FieldId::Role, &mut c.role),
            (FieldId::Wechat, &mut c.wechat),
            (FieldId::City, &mut c.city),
        ] {
            if let Some(v) = check!(id, validate::limit(&text(self, id), validate::MAX_FIELD)) {
                *slot = v;
            }
        }
        for (id, slot) in [
            (FieldId::Hobbies, &mut c.hobbies),
            (FieldId::Family, &mut c.family),
            (FieldId::Notes, &mut c.notes),
        ] {
            if let Some(v) = check!(id, validate::limit(&text(self, id), validate::MAX_NOTE)) {
                *slot = v;
            }
        }
        if let Some(v) = check!(FieldId::Phones, validate::phones(self.get(FieldId::Phones))) {
            c.phones = v;
        }
        if let Some(v) = check!(FieldId::Email, validate::email(self.get(FieldId::Email))) {
            c.email = v;
        }
        if let Some(v) = check!(FieldId::Tags, validate::tags(self.get(FieldId::Tags))) {
            c.tags = v;
        }
        if self.fields.iter().any(|f| f.id == FieldId::Roles) {
            match parse_roles(lang, self.get(FieldId::Roles)) {
                Ok(r) => c.roles = r,
                Err(msg) => self.set_error(FieldId::Roles, msg),
            }
        }
        let bday = self.get(FieldId::Birthday).trim().to_string();
        c.birthday = if bday.is_empty() {
            None
        } else {
            match dates::parse_birthday_entry(&bday, today) {
                Ok(b) => Some(b),
                Err(e) => {
                    self.set_error(FieldId::Birthday, e.message(lang.is_zh()));
                    None
                }
            }
        };
        c.grade = Grade::parse(self.get(FieldId::Grade)).unwrap_or(c.grade);
        c.status = Status::parse(self.get(FieldId::Status)).unwrap_or(c.status);
        c.relationship = Relationship::parse(self.get(FieldId::Relationship)).unwrap_or(c.relationship);
        c.personality = Personality::parse(self.get(FieldId::Personality));
        (!self.has_errors()).then_some(c)
    }

    /// The interaction typed in the form: kind, time, note.
    pub fn to_interaction(
        &mut self,
        lang: Lang,
        now: NaiveDateTime,
    ) -> Option<(InteractionKind, NaiveDateTime, String)> {
        for f in &mut self.fields {
            f.error = None;
        }
        let kind = InteractionKind::parse(self.get(FieldId::Kind)).unwrap_or(InteractionKind::Other);
        let raw = self.get(FieldId::At).trim().to_string();
        let at = match typing::when(&raw, now, lang) {
            Err(msg) => {
                self.set_error(FieldId::At, msg);
                None
            }
            Ok(at) if at > now + chrono::Duration::minutes(5) => {
                self.set_error(FieldId::At, t(lang, "error.future").to_string());
                None
            }
            Ok(at) => Some(at),
        };
        let note = match validate::limit(self.get(FieldId::Note), validate::MAX_NOTE) {
            Ok(n) => Some(n),
            Err(e) => {
                self.field_error(lang, FieldId::Note, e);
                None
            }
        };
        Some((kind, at?, note?))
    }

    /// The new status and the reason for it.
    pub fn to_status_change(&mut self, lang: Lang) -> Option<(Status, String)> {
        for f in &mut self.fields {
            f.error = None;
        }
        let status = Status::parse(self.get(FieldId::Status))?;
        match validate::name(self.get(FieldId::Reason)) {
            Ok(reason) => Some((status, reason)),
            Err(e) => {
                self.field_error(lang, FieldId::Reason, e);
                None
            }
        }
    }
}
