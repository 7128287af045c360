//! The complaints section of the pre-call card.

use super::time_left_label;
use crate::app::{CardEnv, CardLine, CardSection};
use crate::domain::complaint::Step;
use crate::domain::complaint::zone::Zone;
use crate::i18n::{t, tf};
use crate::storage::Store;

/// This pane's section of the pre-call card: open complaints with the time
/// left (in the system's zone, like the agenda).
pub fn card_section(env: &CardEnv<'_>, store: &Store, customer_id: i64) -> Option<CardSection> {
    let all = match store.customer_complaints(customer_id) {
        Ok(all) => all,
        Err(e) => return Some(CardSection::failed(env.lang, t(env.lang, "complaints.card.title"), &e)),
    };
    if all.is_empty() {
        return None;
    }
    let now = Zone::Local.to_utc(env.now);
    let mut lines: Vec<CardLine> = all
        .iter()
        .filter(|c| !c.state.is_closed())
        .map(|c| {
            let (left, overdue) = time_left_label(env.lang, c, now);
            let step = c.state.step().unwrap_or(Step::Listen);
            CardLine {
                text: format!(
                    "#{} {} · {} · {left}",
                    c.id,
                    t(env.lang, c.category.key()),
                    t(env.lang, step.key())
                ),
                alert: overdue,
            }
        })
        .collect();
    let closed = all.iter().filter(|c| c.state.is_closed()).count();
    if lines.is_empty() {
        lines.push(CardLine {
            text: t(env.lang, "complaints.card.none_open").to_string(),
            alert: false,
        });
    }
    if closed > 0 {
        lines.push(CardLine {
            text: tf(env.lang, "complaints.card.closed", &[("n", &closed)]),
            alert: false,
        });
    }
    Some(CardSection {
        title: t(env.lang, "complaints.card.title").to_string(),
        lines,
    })
}
