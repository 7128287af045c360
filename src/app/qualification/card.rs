//! The MAN section of the pre-call card (TUI and `rapport find`): the
//! verdict with its action, the question for the next call, who to find
//! for "M a N", and the evidence noted so far.

use crate::app::{CardEnv, CardLine, CardSection};
use crate::domain::customer::Status;
use crate::domain::qualification::{Answer, Criterion, Man, Qualification, Verdict, suggests_non_customer, verdict};
use crate::i18n::{Lang, t, tf};
use crate::storage::{Colleague, Store};

/// Colleagues named on the card as people to ask about the authority.
const CARD_COLLEAGUES: usize = 3;

/// This pane's section of the pre-call card: for every prospect, and for
/// any other customer whose MAN check was started.
pub fn card_section(env: &CardEnv<'_>, store: &Store, customer_id: i64) -> Option<CardSection> {
    let failed = |e| Some(CardSection::failed(env.lang, t(env.lang, "qual.card.title"), &e));
    let customer = match store.customer(customer_id) {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let record = match store.qualification(customer_id) {
        Ok(r) => r,
        Err(e) => return failed(e),
    };
    let prospect = matches!(customer.status, Status::Potential | Status::Target);
    if !prospect && record.is_blank() {
        return None;
    }
    let man = record.man();
    let colleagues = if man.combo_code() == "MaN" && record.decider.is_empty() {
        match store.colleagues(customer_id) {
            Ok(c) => c,
            Err(e) => return failed(e),
        }
    } else {
        Vec::new()
    };
    let mut lines = vec![CardLine {
        text: verdict_line(env.lang, &man),
        alert: false,
    }];
    if let Some(next) = verdict(&man).ask_next {
        lines.push(CardLine {
            text: tf(
                env.lang,
                "qual.card.ask",
                &[("question", &t(env.lang, question_key(next)))],
            ),
            alert: true,
        });
    }
    if let Some(who) = who_to_find(env.lang, &man, &record, &customer.company, &colleagues) {
        lines.push(CardLine { text: who, alert: true });
    }
    if suggests_non_customer(&man) && customer.status != Status::NonCustomer {
        lines.push(CardLine {
            text: t(env.lang, "man.suggest.non_customer").to_string(),
            alert: true,
        });
    }
    for c in Criterion::ALL {
        let e = record.evidence(c);
        if e.note.is_empty() {
            continue;
        }
        let date = e.at.map(|d| format!(" — {}", d.format("%Y-%m-%d"))).unwrap_or_default();
        let sep = t(env.lang, "card.label_sep");
        lines.push(CardLine {
            text: format!(
                "{} {}{sep}{}{date}",
                t(env.lang, c.key()),
                t(env.lang, e.answer.key()),
                e.note
            ),
            alert: false,
        });
    }
    Some(CardSection {
        title: t(env.lang, "qual.card.title").to_string(),
        lines,
    })
}

/// "M a N · Contactable — Find the person who holds the authority.", or
/// "M ? ? · Not yet determined" (the next line asks the question).
pub fn verdict_line(lang: Lang, man: &Man) -> String {
    let a = verdict(man);
    let key = if a.verdict == Verdict::Undetermined {
        "qual.card.verdict_open"
    } else {
        "qual.card.verdict"
    };
    tf(
        lang,
        key,
        &[
            ("combo", &man.spaced_code()),
            ("verdict", &t(lang, a.verdict.key())),
            ("action", &t(lang, a.action_key)),
        ],
    )
}

/// The question to ask about an unknown criterion on the next call.
pub fn question_key(c: Criterion) -> &'static str {
    match c {
        Criterion::Money => "qual.question.money",
        Criterion::Authority => "qual.question.authority",
        Criterion::Need => "qual.question.need",
    }
}

/// For "M a N": who holds the authority (named, or the colleagues in the
/// book to ask), since that person is the one to find.
pub fn who_to_find(
    lang: Lang,
    man: &Man,
    record: &Qualification,
    company: &str,
    colleagues: &[Colleague],
) -> Option<String> {
    let m_a_n = man.money == Answer::Yes && man.authority == Answer::No && man.need == Answer::Yes;
    if !m_a_n {
        return None;
    }
    if !record.decider.is_empty() {
        let who = crate::i18n::pair(lang, &record.decider.name, &record.decider.role);
        return Some(tf(lang, "qual.card.who", &[("who", &who)]));
    }
    if colleagues.is_empty() || company.is_empty() {
        return Some(t(lang, "qual.card.who_unknown").to_string());
    }
    let sep = t(lang, "card.list_sep");
    let people: Vec<String> = colleagues
        .iter()
        .take(CARD_COLLEAGUES)
        .map(|c| {
            if c.role.is_empty() {
                c.name.clone()
            } else {
                format!("{}{}", c.name, crate::i18n::paren(lang, &c.role))
            }
        })
        .collect();
    Some(tf(
        lang,
        "qual.card.who_ask",
        &[("company", &company), ("people", &people.join(sep))],
    ))
}
