//! Sample accounts: company facts for every company, some accounts with
//! several people and roles, a few personnel changes (a decision maker
//! who left, one of them staying a contact at a new company), and
//! coverage gaps (an account with no decision maker, key accounts with a
//! single contact), so the account view shows real cases.

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Transaction, params};

use super::{DemoCustomer, Rng};
use crate::domain::account::{BusinessStatus, Role, Roles, Size, TransactionStatus};
use crate::domain::customer::Status;
use crate::storage::{Leaving, Successor};

const ZH_INDUSTRIES: &[&str] = &["制造业", "建材", "餐饮", "物流", "医药", "软件", "零售", "农业", "化工"];
const EN_INDUSTRIES: &[&str] = &[
    "Manufacturing",
    "Logistics",
    "Software",
    "Retail",
    "Food service",
    "Pharmaceuticals",
    "Construction",
];

/// Roles by position in a multi-person account: the first decides.
const TEAM: [&[Role]; 4] = [
    &[Role::DecisionMaker],
    &[Role::Influencer, Role::Payer],
    &[Role::User],
    &[Role::Gatekeeper],
];

pub(super) fn fill(
    tx: &Transaction<'_>,
    rng: &mut Rng,
    made: &[DemoCustomer],
    now: NaiveDateTime,
) -> crate::storage::Result<()> {
    // Most one-person accounts are run by the person the rep knows.
    let mut set_roles = tx.prepare("UPDATE customers SET roles = ?2 WHERE id = ?1")?;
    for c in made {
        if c.status != Status::NonCustomer && rng.chance(75) {
            set_roles.execute(params![c.id, Roles::of(&[Role::DecisionMaker]).bits()])?;
        }
    }
    // Accounts with several people: every twelfth customer gathers the
    // next two or three at its company.
    let mut move_to =
        tx.prepare("UPDATE customers SET company_id = (SELECT company_id FROM customers WHERE id = ?2) WHERE id = ?1")?;
    let mut teams: Vec<Vec<i64>> = Vec::new();
    let mut i = 0;
    while i + 4 <= made.len() {
        let size = 3 + rng.below(2) as usize;
        // Keep the team in one language.
        let group: Vec<&DemoCustomer> = made[i..].iter().filter(|c| c.zh == made[i].zh).take(size).collect();
        if group.len() == size {
            let head = group[0].id;
            for (n, c) in group.iter().enumerate() {
                if n > 0 {
                    move_to.execute(params![c.id, head])?;
                    crate::storage::refresh_search_key_in(tx, c.id)?;
                }
                set_roles.execute(params![c.id, Roles::of(TEAM[n]).bits()])?;
            }
            teams.push(group.iter().map(|c| c.id).collect());
        }
        i += 12;
    }
    // Coverage gaps: the third team has no decision maker.
    if let Some(t) = teams.get(2) {
        set_roles.execute(params![t[0], Roles::of(&[Role::Influencer]).bits()])?;
    }
    // Personnel changes: in the first, fourth and sixth teams the
    // decision maker left; the successor has a week to rebuild the
    // relationship; one of them stays a contact at a new company.
    for (n, k) in [0usize, 3, 5].into_iter().enumerate() {
        let Some(t) = teams.get(k) else { break };
        let zh = made.iter().find(|c| c.id == t[0]).is_some_and(|c| c.zh);
        let on = now.date() - Duration::days(rng.range(1, 5));
        let (to, note, rebuild) = match (zh, n) {
            (true, 0) => ("", "退休", "重建关系（接任{name}）"),
            (true, _) => ("远大集团", "跳槽到竞争对手", "重建关系（接任{name}）"),
            (false, 0) => ("", "Retired", "Rebuild the relationship (took over from {name})"),
            (false, _) => (
                "Northwind Ltd",
                "Moved to a competitor",
                "Rebuild the relationship (took over from {name})",
            ),
        };
        let leaving = Leaving {
            person_id: t[0],
            on,
            to: to.to_string(),
            note: note.to_string(),
            successor: Successor::Existing(t[1]),
            stay_contact: n == 2,
            rebuild_on: crate::domain::account::rebuild_due(on, now.date(), 7),
            rebuild_note: rebuild.to_string(),
        };
        crate::storage::leave_in(tx, &leaving, now)?;
    }
    // Company facts (the companies people moved to included).
    let companies: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM companies")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut facts = tx.prepare(
        "UPDATE companies SET industry = ?2, size = ?3, business_status = ?4, transaction_status = ?5 WHERE id = ?1",
    )?;
    for (id, name) in &companies {
        let zh = !name.is_ascii();
        let industry = if zh {
            *rng.pick(ZH_INDUSTRIES)
        } else {
            *rng.pick(EN_INDUSTRIES)
        };
        let size = *rng.pick(Size::ALL);
        let business = rng.weighted(&[
            (BusinessStatus::Normal, 70),
            (BusinessStatus::Expanding, 18),
            (BusinessStatus::InDifficulty, 10),
            (BusinessStatus::Closed, 2),
        ]);
        let transaction = rng.weighted(&[
            (TransactionStatus::Buying, 50),
            (TransactionStatus::Prospect, 35),
            (TransactionStatus::Lapsed, 15),
        ]);
        facts.execute(params![
            id,
            industry,
            size.as_str(),
            business.as_str(),
            transaction.as_str()
        ])?;
    }
    // A company is where its people are (the first one with a city).
    tx.execute(
        "UPDATE companies SET city = coalesce((SELECT c.city FROM customers c
            WHERE c.company_id = companies.id AND c.city <> '' ORDER BY c.id LIMIT 1), '')
         WHERE city = ''",
        [],
    )?;
    // The companies the teams left behind.
    tx.execute(
        "DELETE FROM companies WHERE NOT EXISTS (SELECT 1 FROM customers WHERE company_id = companies.id)
            AND NOT EXISTS (SELECT 1 FROM personnel_changes WHERE company_id = companies.id)",
        [],
    )?;
    Ok(())
}
