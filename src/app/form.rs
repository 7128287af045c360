//! Forms: add/edit a customer, log an interaction, change status. A form
//! keeps everything typed until it is saved or the user discards it; a
//! validation error is shown next to its field and nothing is lost.

use chrono::NaiveDateTime;

use super::input::TextInput;
use crate::domain::customer::{Customer, Grade, Personality, Relationship, Status};
use crate::domain::interaction::InteractionKind;
use crate::i18n::{Lang, t, tf};

pub mod kinds;
mod read;
mod typing;
pub use typing::{latest, next_contact_day, next_contact_fields, resolved, when, when_message};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FormKind {
    NewCustomer,
    EditCustomer(i64),
    LogInteraction(i64),
    ChangeStatus(i64),
    Qualification(kinds::QualForm),
    Complaint(kinds::ComplaintForm),
    Agenda(kinds::AgendaForm),
    Value(kinds::PurchaseForm),
    Find(kinds::FilterForm),
    Account(kinds::AccountForm),
}

impl FormKind {
    pub fn title_key(self) -> &'static str {
        match self {
            FormKind::Qualification(k) => k.title_key(),
            FormKind::Complaint(k) => k.title_key(),
            FormKind::Agenda(k) => k.title_key(),
            FormKind::Value(k) => k.title_key(),
            FormKind::Find(k) => k.title_key(),
            FormKind::Account(k) => k.title_key(),
            FormKind::NewCustomer => "form.new_customer",
            FormKind::EditCustomer(_) => "form.edit_customer",
            FormKind::LogInteraction(_) => "form.log_interaction",
            FormKind::ChangeStatus(_) => "form.change_status",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FieldId {
    Name,
    Company,
    Role,
    Phones,
    Wechat,
    Email,
    City,
    Birthday,
    Grade,
    Status,
    Relationship,
    Personality,
    Hobbies,
    Family,
    Notes,
    Tags,
    Kind,
    At,
    Note,
    Reason,
    /// The next contact's day (log an interaction, an agenda "done").
    NextOn,
    /// What the next contact is for.
    NextFor,
    Amount,
    Product,
    Quantity,
    Verdict,
    Complaint,
    Due,
    Silent,
    /// The roles a person holds at the company.
    Roles,
    Industry,
    Size,
    Address,
    Website,
    Business,
    Transaction,
    /// Where a person who left went.
    LeftTo,
    Successor,
    StayContact,
    /// A name that is no one in the book: add them as a new person.
    NewPerson,
    // The complaint forms (DOMAIN §5).
    Customer,
    Complainant,
    About,
    Content,
    Received,
    PurchaseDate,
    ProductUse,
    Demand,
    WantedSolution,
    Reach,
    Category,
    Temperament,
    Solution,
    CarriedOut,
    Explanation,
    PromisedAction,
    Outcome,
    Satisfaction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text(TextInput),
    /// Options as (stored value, catalog key of the label).
    Choice {
        options: Vec<(&'static str, &'static str)>,
        selected: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: FieldId,
    pub label: &'static str,
    pub required: bool,
    pub kind: FieldKind,
    /// Catalog key of a format hint ("1985-03-12 or 03-12").
    pub hint: Option<&'static str>,
    /// Shows and keeps several lines (notes, complaint texts).
    pub multiline: bool,
    pub error: Option<String>,
    /// Who or what the field's text stands for, set by its pane as it is
    /// typed (the customer a name picks, namesakes told apart): shown
    /// under the field when there is no error.
    pub note: Option<String>,
    /// A date (or date and time) entry: the same words in every form, and
    /// a preview of what they resolve to.
    pub date: Option<DateEntry>,
}

/// How a date field reads what is typed: `today`, `yesterday 15:00`,
/// `昨天`, `11-30 15:00`, `next mon`, `下周一`, `+3d`, `2026-12-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DateEntry {
    /// A day.
    Day,
    /// A day, today or later.
    Upcoming,
    /// A day and a time of day, of something that happened (a day alone:
    /// now when it is today, else noon; a month and day, the last one).
    When,
    /// A day and a time of day that may be ahead (a promise's due time).
    Due,
    /// A birthday: month and day, the year when known, lunar too; the
    /// preview shows the next one.
    Birthday,
    /// A day every year (`12-01`) or once (a full date, or a word such as
    /// `next mon`): a business event; the preview shows the next one.
    Yearly,
}

impl Field {
    pub(crate) fn text(id: FieldId, label: &'static str, value: &str) -> Field {
        Field {
            id,
            label,
            required: false,
            kind: FieldKind::Text(TextInput::new(value)),
            hint: None,
            multiline: false,
            error: None,
            note: None,
            date: None,
        }
    }

    pub(crate) fn choice(
        id: FieldId,
        label: &'static str,
        options: Vec<(&'static str, &'static str)>,
        value: &str,
    ) -> Field {
        let selected = options.iter().position(|(v, _)| *v == value).unwrap_or(0);
        Field {
            id,
            label,
            required: false,
            kind: FieldKind::Choice { options, selected },
            hint: None,
            multiline: false,
            error: None,
            note: None,
            date: None,
        }
    }

    pub(crate) fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Shows and keeps several lines.
    pub(crate) fn multiline(mut self) -> Field {
        self.multiline = true;
        self
    }

    pub(crate) fn hint(mut self, key: &'static str) -> Field {
        self.hint = Some(key);
        self
    }

    /// Reads dates the way every date field does, with a preview.
    pub(crate) fn date_entry(mut self, entry: DateEntry) -> Field {
        self.date = Some(entry);
        self
    }

    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Text(t) => t.text(),
            FieldKind::Choice { options, selected } => options.get(*selected).map_or("", |o| o.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The values the fields started from, for a form that edits a record
    /// (empty for a new one): a save writes only what changed since and
    /// merges what changed elsewhere meanwhile (see `domain::merge`).
    pub base: Vec<(FieldId, String)>,
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// Who the form is about (shown in the title).
    pub subject: String,
}

/// Roles as the form field shows them (stable across languages, so two
/// edits merge): "decision maker, payer".
pub fn roles_text(roles: crate::domain::account::Roles) -> String {
    roles
        .iter()
        .map(|r| r.as_str().replace('_', " "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The roles typed in a field, or the message naming the unknown one.
pub fn parse_roles(lang: Lang, s: &str) -> Result<crate::domain::account::Roles, String> {
    crate::domain::account::Roles::read(s).map_err(|bad| tf(lang, "account.error.role", &[("role", &bad)]))
}

/// The choices of a closed set: (stored value, catalog key of the label).
pub(crate) fn options<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (id(*v), key(*v))).collect()
}

pub const AT_FORMAT: &str = "%Y-%m-%d %H:%M";

impl Form {
    pub fn customer(kind: FormKind, c: &Customer) -> Form {
        let mut personalities = vec![("", "personality.none")];
        personalities.extend(options(Personality::ALL, Personality::as_str, Personality::key));
        let mut fields = vec![
            Field::text(FieldId::Name, "field.name", &c.name).required(),
            Field::text(FieldId::Company, "field.company", &c.company),
            Field::text(FieldId::Role, "field.role", &c.role),
            Field::text(FieldId::Phones, "field.phones", &c.phones.join(", ")).hint("hint.phones"),
            Field::text(FieldId::Wechat, "field.wechat", &c.wechat),
            Field::text(FieldId::Email, "field.email", &c.email),
            Field::text(FieldId::City, "field.city", &c.city),
            Field::text(
                FieldId::Birthday,
                "field.birthday",
                &c.birthday.map(|b| b.to_string()).unwrap_or_default(),
            )
            .hint("hint.birthday")
            .date_entry(DateEntry::Birthday),
            Field::choice(
                FieldId::Grade,
                "field.grade",
                options(Grade::ALL, Grade::as_str, Grade::key),
                c.grade.as_str(),
            ),
            Field::choice(
                FieldId::Status,
                "field.status",
                options(Status::ALL, Status::as_str, Status::key),
                c.status.as_str(),
            ),
            Field::choice(
                FieldId::Relationship,
                "field.relationship",
                options(Relationship::ALL, Relationship::as_str, Relationship::key),
                c.relationship.as_str(),
            ),
            Field::choice(
                FieldId::Personality,
                "field.personality",
                personalities,
                c.personality.map(|p| p.as_str()).unwrap_or(""),
            ),
            Field::text(FieldId::Hobbies, "field.hobbies", &c.hobbies),
            Field::text(FieldId::Family, "field.family", &c.family),
            Field::text(FieldId::Notes, "field.notes", &c.notes).multiline(),
            Field::text(FieldId::Tags, "field.tags", &c.tags.join(", ")).hint("hint.tags"),
            Field::text(FieldId::Roles, "field.roles", &roles_text(c.roles)).hint("hint.roles"),
        ];
        // Editing: a changed status says why, as the status form does.
        if matches!(kind, FormKind::EditCustomer(_)) {
            let at = fields
                .iter()
                .position(|f| f.id == FieldId::Status)
                .map_or(fields.len(), |p| p + 1);
            fields.insert(
                at,
                Field::text(FieldId::Reason, "field.status_reason", "").hint("hint.status_reason"),
            );
        }
        Form {
            base: Vec::new(),
            kind,
            fields,
            focus: 0,
            dirty: false,
            subject: c.name.clone(),
        }
    }

    pub fn interaction(customer_id: i64, subject: &str, now: NaiveDateTime) -> Form {
        let fields = vec![
            Field::choice(
                FieldId::Kind,
                "field.kind",
                options(InteractionKind::ALL, InteractionKind::as_str, InteractionKind::key),
                "call",
            ),
            Field::text(FieldId::At, "field.at", &now.format(AT_FORMAT).to_string())
                .required()
                .hint("hint.at")
                .date_entry(DateEntry::When),
            Field::text(FieldId::Note, "field.note", "").multiline(),
        ];
        let fields = fields.into_iter().chain(next_contact_fields()).collect();
        Form {
            base: Vec::new(),
            kind: FormKind::LogInteraction(customer_id),
            fields,
            focus: 0,
            dirty: false,
            subject: subject.to_string(),
        }
    }

    pub fn status(customer_id: i64, subject: &str, current: Status) -> Form {
        let fields = vec![
            Field::choice(
                FieldId::Status,
                "field.new_status",
                options(Status::ALL, Status::as_str, Status::key),
                current.as_str(),
            ),
            Field::text(FieldId::Reason, "field.reason", "").required(),
        ];
        Form {
            base: Vec::new(),
            kind: FormKind::ChangeStatus(customer_id),
            fields,
            focus: 0,
            dirty: false,
            subject: subject.to_string(),
        }
    }

    /// The focused field's id and value.
    pub fn focused_value(&self) -> (FieldId, String) {
        let f = &self.fields[self.focus];
        (f.id, f.value().to_string())
    }

    pub fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus]
    }

    pub fn get(&self, id: FieldId) -> &str {
        self.fields.iter().find(|f| f.id == id).map(Field::value).unwrap_or("")
    }

    /// Sets a field as if typed: a text field takes `value` as it is; a
    /// choice takes one of its stored values or labels (either language,
    /// any case). `Err` lists the choices when `value` is none of them, or
    /// says the form has no such field.
    pub fn set_typed(&mut self, id: FieldId, value: &str) -> Result<(), Vec<&'static str>> {
        let Some(f) = self.fields.iter_mut().find(|f| f.id == id) else {
            return Err(Vec::new());
        };
        match &mut f.kind {
            FieldKind::Text(input) => *input = TextInput::new(value),
            FieldKind::Choice { options, selected } => {
                let want = value.trim().to_lowercase().replace(['-', ' '], "_");
                let hit = options.iter().position(|(v, key)| {
                    v.to_lowercase() == want
                        || [Lang::En, Lang::Zh]
                            .iter()
                            .any(|l| t(*l, key).to_lowercase().replace(['-', ' '], "_") == want)
                });
                match hit {
                    Some(i) => *selected = i,
                    None => return Err(options.iter().map(|(v, _)| *v).filter(|v| !v.is_empty()).collect()),
                }
            }
        }
        self.dirty = true;
        Ok(())
    }

    pub(crate) fn set_error(&mut self, id: FieldId, msg: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.error = Some(msg);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Moves focus to the first field with an error.
    pub fn focus_first_error(&mut self) {
        if let Some(p) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = p;
        }
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Left/Right: moves the cursor in a text field, cycles a choice.
    pub fn left_right(&mut self, forward: bool) {
        match &mut self.focused().kind {
            FieldKind::Text(t) if forward => t.right(),
            FieldKind::Text(t) => t.left(),
            FieldKind::Choice { options, selected } => {
                let n = options.len();
                *selected = if forward {
                    (*selected + 1) % n
                } else {
                    (*selected + n - 1) % n
                };
                self.dirty = true;
            }
        }
    }

    /// Applies an edit to the focused text field (a no-op on choices, where
    /// Space cycles instead).
    pub fn edit(&mut self, f: impl FnOnce(&mut TextInput)) {
        match &mut self.focused().kind {
            FieldKind::Text(t) => {
                f(t);
                self.dirty = true;
                self.fields[self.focus].error = None;
            }
            FieldKind::Choice { .. } => {}
        }
    }
}
