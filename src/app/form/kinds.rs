//! What each form is for: the kinds of the panes' forms, named here so
//! that the form engine and the panes import in one direction.

use super::FieldId;
use crate::domain::complaint::Step;
use crate::domain::qualification::Criterion;

/// The complaint forms' fields: each typed id with the catalog key of its
/// label (the label is what the form shows, never how a field is found).
pub const COMPLAINT_FIELDS: [(FieldId, &str); 23] = [
    (FieldId::Customer, "complaints.field.customer"),
    (FieldId::Complainant, "complaints.field.complainant"),
    (FieldId::About, "complaints.field.about"),
    (FieldId::Content, "complaints.field.content"),
    (FieldId::Received, "complaints.field.received_at"),
    (FieldId::PurchaseDate, "complaints.field.purchase_date"),
    (FieldId::ProductUse, "complaints.field.product_use"),
    (FieldId::Demand, "complaints.field.demand"),
    (FieldId::WantedSolution, "complaints.field.wanted_solution"),
    (FieldId::Reach, "complaints.field.reach"),
    (FieldId::Category, "complaints.field.category"),
    (FieldId::Temperament, "complaints.field.temperament"),
    (FieldId::At, "complaints.field.at"),
    (FieldId::Note, "complaints.field.note"),
    (FieldId::Solution, "complaints.field.solution"),
    (FieldId::CarriedOut, "complaints.field.done"),
    (FieldId::Explanation, "complaints.field.explanation"),
    (FieldId::Verdict, "complaints.field.verdict"),
    (FieldId::PromisedAction, "complaints.field.promised_action"),
    (FieldId::Due, "complaints.field.due"),
    (FieldId::Outcome, "complaints.field.outcome"),
    (FieldId::Satisfaction, "complaints.field.satisfaction"),
    (FieldId::Reason, "complaints.field.reason"),
];

/// The id of a complaint field from its label: drafts kept before the
/// complaint fields had their own ids name them by label.
pub fn complaint_field_of_label(label: &str) -> Option<FieldId> {
    COMPLAINT_FIELDS.iter().find(|(_, l)| *l == label).map(|(id, _)| *id)
}

/// Forms this pane opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AgendaForm {
    Done,
    Snooze,
    Reschedule,
    FollowUp(i64),
    RegionCare,
    Event(i64),
}

impl AgendaForm {
    pub fn title_key(self) -> &'static str {
        match self {
            AgendaForm::Done => "agenda.form.done",
            AgendaForm::Snooze => "agenda.form.snooze",
            AgendaForm::Reschedule => "agenda.form.reschedule",
            AgendaForm::FollowUp(_) => "agenda.form.follow_up",
            AgendaForm::RegionCare => "agenda.form.region",
            AgendaForm::Event(_) => "agenda.form.event",
        }
    }
}

/// Forms this pane opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ComplaintForm {
    /// Record a complaint; the customer it starts with, if one is selected.
    Record(Option<i64>),
    /// A step on complaint `id`.
    Step(i64, StepForm),
    /// Correct the record of complaint `id` after it was saved.
    Edit(i64),
}

impl ComplaintForm {
    pub fn title_key(self) -> &'static str {
        match self {
            ComplaintForm::Record(_) => "complaints.form.record",
            ComplaintForm::Edit(_) => "complaints.form.edit",
            ComplaintForm::Step(_, StepForm::Complete(Step::Execute)) => "complaints.form.executed",
            ComplaintForm::Step(_, StepForm::Complete(step)) => step.key(),
            ComplaintForm::Step(_, StepForm::Judge) => Step::Judge.key(),
            ComplaintForm::Step(_, StepForm::FollowUp) => Step::FollowUp.key(),
            ComplaintForm::Step(_, StepForm::Promise) => "complaints.form.promise",
            ComplaintForm::Step(_, StepForm::Skip(_)) => "complaints.form.skip",
            ComplaintForm::Step(_, StepForm::Wait) => "complaints.form.wait",
            ComplaintForm::Step(_, StepForm::Resume) => "complaints.form.resume",
        }
    }
}

/// What a step form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepForm {
    /// Listen, record, agree, or "carried out" (execute).
    Complete(Step),
    Judge,
    Promise,
    FollowUp,
    Skip(Step),
    Wait,
    Resume,
}

/// Forms this pane opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum QualForm {
    /// Answer and evidence note of one criterion of a customer.
    Evidence(i64, Criterion),
    /// Who holds the authority at a customer's company.
    Decider(i64),
}

impl QualForm {
    pub fn title_key(self) -> &'static str {
        match self {
            QualForm::Evidence(_, Criterion::Money) => "qual.form.money",
            QualForm::Evidence(_, Criterion::Authority) => "qual.form.authority",
            QualForm::Evidence(_, Criterion::Need) => "qual.form.need",
            QualForm::Decider(_) => "qual.form.decider",
        }
    }
}

/// Forms this part opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PurchaseForm {
    /// A new purchase for this customer.
    Add(i64),
    /// Editing this purchase.
    Edit(i64),
}

impl PurchaseForm {
    pub fn title_key(self) -> &'static str {
        match self {
            PurchaseForm::Add(_) => "purchase.form.add",
            PurchaseForm::Edit(_) => "purchase.form.edit",
        }
    }
}

/// The forms this module opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FilterForm {
    Filter,
}

impl FilterForm {
    pub fn title_key(self) -> &'static str {
        match self {
            FilterForm::Filter => "find.form.filter",
        }
    }
}

/// Forms the account view opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AccountForm {
    /// The company record.
    Company(i64),
    /// The roles of one person.
    Roles(i64),
    /// One person left the company.
    Leave(i64),
}

impl AccountForm {
    pub fn title_key(self) -> &'static str {
        match self {
            AccountForm::Company(_) => "account.form.company",
            AccountForm::Roles(_) => "account.form.roles",
            AccountForm::Leave(_) => "account.form.leave",
        }
    }
}
