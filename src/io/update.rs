//! What an import changes in customers it updates — contacts back from a
//! phone, recognised by their vCard `UID` — shown field by field in the
//! preview (CLI and TUI) before anything is written.

use super::plan::{Because, Plan, Twin, merge};
use crate::domain::customer::Customer;
use crate::domain::text::clean;
use crate::i18n::{Lang, t, tf};

/// One field an import changes: its label's catalog key, before, after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// What changes from `old` to `new`, field by field.
pub fn changes(old: &Customer, new: &Customer) -> Vec<Change> {
    let bday = |c: &Customer| c.birthday.map(|b| b.to_string()).unwrap_or_default();
    let pairs: [(&'static str, String, String); 10] = [
        ("io.field.name", old.name.clone(), new.name.clone()),
        ("io.field.company", old.company.clone(), new.company.clone()),
        ("io.field.role", old.role.clone(), new.role.clone()),
        ("io.field.phone", old.phones.join(", "), new.phones.join(", ")),
        ("io.field.wechat", old.wechat.clone(), new.wechat.clone()),
        ("io.field.email", old.email.clone(), new.email.clone()),
        ("io.field.city", old.city.clone(), new.city.clone()),
        ("io.field.birthday", bday(old), bday(new)),
        ("io.field.tags", old.tags.join(", "), new.tags.join(", ")),
        ("io.field.notes", old.notes.clone(), new.notes.clone()),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, before, after)| Change { field, before, after })
        .collect()
}

/// A customer the import updates, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub line: usize,
    pub id: i64,
    pub name: String,
    pub changes: Vec<Change>,
}

impl Update {
    /// "line 3: 张伟 (customer 5): Phone 138… → 139…; City 上海 → 北京".
    pub fn text(&self, lang: Lang) -> String {
        let what = if self.changes.is_empty() {
            t(lang, "tools.update_same").to_string()
        } else {
            self.changes
                .iter()
                .map(|c| {
                    let shown = |s: &str| {
                        if s.is_empty() {
                            "—".to_string()
                        } else {
                            clean(&s.replace('\n', " ")).into_owned()
                        }
                    };
                    format!("{} {} → {}", t(lang, c.field), shown(&c.before), shown(&c.after))
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        tf(
            lang,
            "tools.update_line",
            &[
                ("line", &self.line),
                ("name", &clean(&self.name)),
                ("id", &self.id),
                ("changes", &what),
            ],
        )
    }
}

/// The customers `plan` updates by UID, with their changes; `existing`
/// reads a customer from the book.
pub fn updates(plan: &Plan, existing: impl Fn(i64) -> Option<Customer>) -> Vec<Update> {
    plan.duplicates
        .iter()
        .filter(|d| d.because == Because::Uid)
        .filter_map(|d| {
            let Twin::Existing(id) = d.twin else { return None };
            let old = existing(id)?;
            let mut new = old.clone();
            merge(&mut new, &d.incoming.customer);
            Some(Update {
                line: d.incoming.line,
                id,
                name: old.name.clone(),
                changes: changes(&old, &new),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::convert::{Converted, Incoming};
    use crate::io::plan::{Decision, DupPolicy, Known};

    fn cust(name: &str, phone: &str, uid: &str) -> Customer {
        let mut c = Customer::new(name, Default::default());
        c.phones = vec![phone.into()];
        c.uid = uid.into();
        c
    }

    #[test]
    fn a_known_uid_updates_its_customer_whatever_the_policy() {
        let mut old = cust("张伟", "13800138000", "abc");
        old.id = 5;
        old.city = "上海".into();
        old.hobbies = "tea".into();
        let known = vec![Known {
            id: 5,
            name: old.name.clone(),
            company: String::new(),
            phones: old.phones.clone(),
            uid: "abc".into(),
        }];
        let mut card = cust("张伟", "13900139000", "abc");
        card.city = "北京".into();
        let converted = Converted {
            incoming: vec![Incoming {
                line: 1,
                customer: card,
                given: Default::default(),
            }],
            rejects: vec![],
        };
        for policy in DupPolicy::ALL {
            let plan = Plan::new(converted.clone(), &known, policy);
            assert_eq!(plan.duplicates.len(), 1, "never added twice");
            assert_eq!(plan.duplicates[0].because, Because::Uid);
            assert_eq!(plan.duplicates[0].decision, Decision::Merge);
            let ups = updates(&plan, |_| Some(old.clone()));
            let fields: Vec<&str> = ups[0].changes.iter().map(|c| c.field).collect();
            assert_eq!(fields, vec!["io.field.phone", "io.field.city"]);
            let text = ups[0].text(Lang::En);
            assert!(text.contains("13800138000 → 13900139000"), "{text}");
        }
        let mut merged = old.clone();
        assert!(merge(&mut merged, &converted.incoming[0].customer));
        assert_eq!(merged.phones, vec!["13900139000"]);
        assert_eq!((merged.city.as_str(), merged.hobbies.as_str()), ("北京", "tea"));
    }

    #[test]
    fn two_cards_with_one_uid_are_one_customer() {
        let converted = Converted {
            incoming: vec![
                Incoming {
                    line: 1,
                    customer: cust("Anna", "555 0101", "u1"),
                    given: Default::default(),
                },
                Incoming {
                    line: 9,
                    customer: cust("Anna L.", "555 0202", "u1"),
                    given: Default::default(),
                },
            ],
            rejects: vec![],
        };
        let mut plan = Plan::new(converted, &[], DupPolicy::Ask);
        assert_eq!(plan.fresh.len(), 1);
        assert_eq!(plan.duplicates[0].twin, Twin::Earlier(0));
        plan.decide_rest(Decision::Keep);
        let (new, _) = plan.resolve();
        assert_eq!(new.len(), 2);
        assert_eq!(
            (new[0].uid.as_str(), new[1].uid.as_str()),
            ("u1", ""),
            "a kept twin gets its own UID"
        );
    }
}
