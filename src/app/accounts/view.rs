//! The account view's content (DOMAIN §6): the company's facts, its people
//! with roles, open complaints across the account, the account's MAN state
//! and its coverage warnings. The TUI and `rapport company` show the same
//! lines.

use chrono::NaiveDate;

use crate::config::AccountsConfig;
use crate::domain::account::{self, Company, Member, Roles, Warning};
use crate::domain::complaint::State;
use crate::domain::qualification::{Answer, Man};
use crate::domain::text::clean;
use crate::i18n::{Lang, t, tf};
use crate::storage::{PersonnelChange, Result, Store};

/// An open complaint of someone at the account.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenComplaint {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub content: String,
}

/// Everything the account view shows about one company.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountView {
    pub company: Company,
    pub people: Vec<Member>,
    pub warnings: Vec<Warning>,
    pub man: Man,
    pub complaints: Vec<OpenComplaint>,
    pub changes: Vec<PersonnelChange>,
}

impl AccountView {
    pub fn load(store: &Store, company_id: i64, today: NaiveDate, cfg: AccountsConfig) -> Result<Option<AccountView>> {
        let Some(row) = store.company(company_id)? else {
            return Ok(None);
        };
        let people = store.members(company_id)?;
        let mut answers = Vec::new();
        let mut complaints = Vec::new();
        for m in people.iter().filter(|m| m.present()) {
            answers.push(store.qualification(m.id)?.man());
            for c in store.customer_complaints(m.id)? {
                if matches!(c.state, State::Open(_) | State::Waiting { .. }) {
                    complaints.push(OpenComplaint {
                        id: c.id,
                        customer_id: m.id,
                        customer: m.name.clone(),
                        content: c.details.content.clone(),
                    });
                }
            }
        }
        let man = account::account_man(&answers, !account::decision_makers(&people).is_empty());
        Ok(Some(AccountView {
            warnings: account::coverage(&people, today, cfg.coverage_days),
            company: row.company,
            people,
            man,
            complaints,
            changes: store.company_changes(company_id)?,
        }))
    }
}

/// "decision maker, payer" / "拍板人、付款人"; "" for none.
pub fn roles_label(lang: Lang, roles: Roles) -> String {
    let sep = if lang.is_zh() { "、" } else { ", " };
    roles.iter().map(|r| t(lang, r.key())).collect::<Vec<_>>().join(sep)
}

fn ago(lang: Lang, d: Option<NaiveDate>, today: NaiveDate) -> String {
    match d {
        None => t(lang, "when.never").to_string(),
        Some(d) if d == today => t(lang, "when.today").to_string(),
        Some(d) if d > today => d.format("%Y-%m-%d").to_string(),
        Some(d) => tf(lang, "when.days_ago", &[("n", &(today - d).num_days())]),
    }
}

/// One warning in the user's language.
pub fn warning_text(lang: Lang, w: &Warning, today: NaiveDate) -> String {
    match w {
        Warning::NoDecisionMaker => t(lang, "account.warn.no_decision_maker").to_string(),
        Warning::SingleContact => t(lang, "account.warn.single_contact").to_string(),
        Warning::DecisionMakerQuiet { name, last: None, .. } => {
            tf(lang, "account.warn.decision_maker_never", &[("name", &clean(name))])
        }
        Warning::DecisionMakerQuiet { name, last, days, .. } => tf(
            lang,
            "account.warn.decision_maker_quiet",
            &[
                ("name", &clean(name)),
                ("days", days),
                ("last", &ago(lang, *last, today)),
            ],
        ),
    }
}

fn answer_char(a: Answer, c: char) -> char {
    match a {
        Answer::Yes => c.to_ascii_uppercase(),
        Answer::No => c,
        Answer::Unknown => '?',
    }
}

/// "M a ?" as the checklist writes it.
pub fn man_code(m: &Man) -> String {
    format!(
        "{} {} {}",
        answer_char(m.money, 'm'),
        answer_char(m.authority, 'a'),
        answer_char(m.need, 'n')
    )
}

/// What a line of the account view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Heading,
    Text,
    Warning,
    /// The person at this index of `people`.
    Person(usize),
    /// Muted: someone who left, a history line.
    Muted,
}

/// The left mark of someone who is gone: "left 2026-11-28 → Acme".
pub fn left_label(lang: Lang, m: &Member) -> Option<String> {
    let d = m.left.as_ref()?;
    Some(if d.to.is_empty() {
        tf(lang, "account.left_on", &[("date", &d.on)])
    } else {
        tf(lang, "account.left_to", &[("date", &d.on), ("to", &clean(&d.to))])
    })
}

/// One person's line: name, roles, grade, status, last contact, next due.
pub fn person_line(lang: Lang, m: &Member, today: NaiveDate) -> String {
    let roles = roles_label(lang, m.roles);
    let roles = if roles.is_empty() {
        String::new()
    } else {
        format!(" [{roles}]")
    };
    let title = if m.title.is_empty() {
        String::new()
    } else {
        crate::i18n::paren(lang, &clean(&m.title))
    };
    let tail = match left_label(lang, m) {
        Some(l) => l,
        None => tf(
            lang,
            "account.person_tail",
            &[
                ("last", &ago(lang, m.last_contact.map(|t| t.date()), today)),
                (
                    "next",
                    &m.next_due
                        .map_or_else(|| t(lang, "account.none").to_string(), |d| d.to_string()),
                ),
            ],
        ),
    };
    format!(
        "{}{title}{roles} · {} · {} · {tail}",
        clean(&m.name),
        m.grade.as_str(),
        t(lang, m.status.key()),
    )
}

/// One personnel change: "2026-11-28 李娜 left (→ Acme); 王强 took over: decision maker".
pub fn change_line(lang: Lang, c: &PersonnelChange) -> String {
    let to = if c.moved_to.is_empty() {
        String::new()
    } else {
        format!(" → {}", clean(&c.moved_to))
    };
    let successor = if c.successor.is_empty() {
        t(lang, "account.change.no_successor").to_string()
    } else {
        let roles = roles_label(lang, c.roles);
        tf(
            lang,
            "account.change.successor",
            &[("name", &clean(&c.successor)), ("roles", &roles)],
        )
    };
    let note = if c.note.is_empty() {
        String::new()
    } else {
        format!(" — {}", clean(&c.note))
    };
    tf(
        lang,
        "account.change.line",
        &[
            ("date", &c.left_on),
            ("name", &clean(&c.person)),
            ("to", &to),
            ("successor", &successor),
            ("note", &note),
        ],
    )
}

/// The company's facts, one line each (only those recorded).
pub fn fact_lines(lang: Lang, c: &Company) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |key: &str, v: &str| {
        if !v.is_empty() {
            out.push(format!("{}{}{}", t(lang, key), t(lang, "card.label_sep"), clean(v)));
        }
    };
    push("account.field.industry", &c.industry);
    push("account.field.size", c.size.map_or("", |s| t(lang, s.key())));
    push("account.field.city", &c.city);
    push("account.field.address", &c.address);
    push("account.field.website", &c.website);
    push("account.field.business", t(lang, c.business.key()));
    push("account.field.transaction", t(lang, c.transaction.key()));
    push("account.field.notes", &c.notes.replace('\n', " "));
    out
}

/// Every line of the account view, in order.
pub fn lines(lang: Lang, v: &AccountView, today: NaiveDate) -> Vec<(String, LineKind)> {
    let mut out = vec![(clean(&v.company.name).into_owned(), LineKind::Title)];
    out.extend(fact_lines(lang, &v.company).into_iter().map(|l| (l, LineKind::Text)));
    out.push((tf(lang, "account.man", &[("code", &man_code(&v.man))]), LineKind::Text));
    out.push((t(lang, "account.coverage").to_string(), LineKind::Heading));
    if v.warnings.is_empty() {
        out.push((t(lang, "account.covered").to_string(), LineKind::Text));
    }
    for w in &v.warnings {
        out.push((format!("! {}", warning_text(lang, w, today)), LineKind::Warning));
    }
    out.push((
        tf(
            lang,
            "account.people",
            &[("n", &v.people.iter().filter(|m| m.present()).count())],
        ),
        LineKind::Heading,
    ));
    for (i, m) in v.people.iter().enumerate() {
        out.push((person_line(lang, m, today), LineKind::Person(i)));
    }
    out.push((
        tf(lang, "account.complaints", &[("n", &v.complaints.len())]),
        LineKind::Heading,
    ));
    for c in &v.complaints {
        out.push((
            format!(
                "#{} {}: {}",
                c.id,
                clean(&c.customer),
                clean(&c.content).replace('\n', " ")
            ),
            LineKind::Warning,
        ));
    }
    if !v.changes.is_empty() {
        out.push((t(lang, "account.changes").to_string(), LineKind::Heading));
        for c in &v.changes {
            out.push((change_line(lang, c), LineKind::Muted));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decision maker never reached is said so, not counted from a date
    /// that does not exist.
    #[test]
    fn a_quiet_decision_maker_reads_by_whether_they_were_ever_contacted() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let quiet = |last| Warning::DecisionMakerQuiet {
            id: 1,
            name: "王建国".into(),
            last,
            days: 90,
        };
        assert_eq!(
            warning_text(Lang::En, &quiet(None), today),
            "decision maker 王建国 never contacted"
        );
        assert_eq!(warning_text(Lang::Zh, &quiet(None), today), "拍板人 王建国 从未联系");
        let long_ago = warning_text(Lang::En, &quiet(NaiveDate::from_ymd_opt(2026, 6, 1)), today);
        assert!(
            long_ago.starts_with("decision maker 王建国 not contacted in 90 days"),
            "{long_ago}"
        );
    }
}
