//! The questions the app asks (confirmations) and the open form a draft
//! keeps.

use super::{Action, App, Confirm, Form, Overlay, agenda, complaints, draft, find, form, insights, qualification};
use crate::storage::Store;

impl App {
    pub(super) fn confirm_action(&mut self, action: Action, store: &mut Store) {
        let Some(Overlay::Confirm(c)) = self.overlay.take() else {
            return;
        };
        match (c, action) {
            (Confirm::Quit, Action::Yes) => self.should_quit = true,
            (Confirm::DiscardForm(_), Action::Yes) => self.info("msg.discarded"),
            (Confirm::DiscardForm(f), _) => self.overlay = Some(Overlay::Form(f)),
            (Confirm::Quit, _) => {}
            (Confirm::RegionCare { ids, label }, Action::Yes) => agenda::region_care(self, store, &ids, &label),
            (Confirm::RegionCare { .. }, _) => self.info("msg.cancelled"),
            (Confirm::RestoreDraft(f), Action::Yes) => {
                self.drop_offered_draft();
                self.overlay = Some(Overlay::Form(f));
            }
            (Confirm::RestoreDraft(_), _) => {
                self.drop_offered_draft();
                self.info("msg.draft_dropped");
            }
            (Confirm::Qual(q), action) => qualification::confirm(self, store, q, action),
            (Confirm::LowSatisfaction { form, id, .. }, action) => {
                complaints::low_satisfaction(self, store, form, id, action == Action::Yes)
            }
            (Confirm::Grades(_), Action::Yes) => insights::accept_all(self, store),
            (Confirm::DeletePurchase(id), Action::Yes) => insights::purchases::delete(self, store, id),
            (Confirm::Grades(_) | Confirm::DeletePurchase(_), _) => self.info("msg.cancelled"),
            (Confirm::Find(c), action) => find::confirm(self, store, c, action),
        }
    }

    /// The draft of the open form. A form acting on one agenda item of the
    /// moment is kept as what it records: "done" as the interaction being
    /// logged (its note is what was typed); a snooze or a new date, one
    /// choice or date away, is not kept.
    pub fn draft(&self) -> Option<draft::Draft> {
        let form = self.open_form()?;
        match form.kind {
            form::FormKind::Agenda(agenda::PaneForm::Done) => {
                let item = self.agenda.pending.as_ref()?;
                let mut log = Form::interaction(item.customer_id, &item.customer, self.now);
                for f in &mut log.fields {
                    if let Some(typed) = form.fields.iter().find(|g| g.id == f.id) {
                        f.kind = typed.kind.clone();
                    }
                }
                log.focus = log.fields.iter().position(|f| f.id == form::FieldId::Note).unwrap_or(0);
                Some(draft::Draft::of(&log))
            }
            form::FormKind::Agenda(agenda::PaneForm::Snooze | agenda::PaneForm::Reschedule) => None,
            _ => Some(draft::Draft::of(form)),
        }
    }

    /// The open form, if any: what a signal handler saves as a draft.
    pub fn open_form(&self) -> Option<&Form> {
        match &self.overlay {
            Some(Overlay::Form(f))
            | Some(Overlay::Confirm(Confirm::DiscardForm(f)))
            | Some(Overlay::Confirm(Confirm::RestoreDraft(f)))
            | Some(Overlay::Confirm(Confirm::LowSatisfaction { form: f, .. }))
            | Some(Overlay::Confirm(Confirm::Qual(qualification::QualConfirm::Status { form: f, .. })))
            | Some(Overlay::Confirm(Confirm::Find(find::FindConfirm::LookAlike { form: f, .. }))) => Some(f),
            _ => None,
        }
    }
}
