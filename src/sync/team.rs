//! The team on the server: reps and managers (database roles), customers
//! shared with a colleague, and books handed over when a rep leaves.
//! After any change of who sees a customer, its rows are marked changed,
//! so that the rep who now sees them gets them at the next pull.

use postgres::{Client, Transaction};

use super::push::LOCK;
use super::server::{MANAGER_ROLE, REP_ROLE};
use super::{SyncError, check_server};
use crate::storage::Store;

/// Whether `name` can be a rep's role: letters, digits, `_`, `.`, `-`.
pub fn valid_rep(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn role(name: &str) -> Result<String, SyncError> {
    if !valid_rep(name) {
        return Err(SyncError::BadUrl(format!("not a valid rep name: {name}")));
    }
    Ok(format!("\"{}\"", name.replace('"', "\"\"")))
}

/// Adds a rep (or a manager, who reads every rep's customers) as a login
/// role. Run as the administrator; the rep's password is set by the
/// administrator (`\password NAME` in psql) and never passes through
/// Rapport.
pub fn add_rep(client: &mut Client, name: &str, manager: bool) -> Result<bool, SyncError> {
    check_server(client)?;
    let r = role(name)?;
    let group = if manager { MANAGER_ROLE } else { REP_ROLE };
    let exists: bool = client
        .query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&name])?
        .get(0);
    if exists {
        client.batch_execute(&format!("GRANT {group} TO {r}"))?;
    } else {
        client.batch_execute(&format!("CREATE ROLE {r} LOGIN IN ROLE {group}"))?;
    }
    Ok(!exists)
}

/// Marks every row of these customers changed.
fn resend(tx: &mut Transaction<'_>, customers: &[String]) -> Result<u64, SyncError> {
    Ok(tx.execute(
        "UPDATE rapport.rows SET rev = nextval('rapport.revs')
         WHERE anchor = ANY($1::text[]::uuid[]) OR gid = ANY($1::text[]::uuid[])",
        &[&customers],
    )?)
}

fn customer_gid(store: &Store, id: i64) -> Result<String, SyncError> {
    store.customer(id).map_err(|_| SyncError::NoSuchCustomer(id))?;
    store.stable_id("customers", id)?.ok_or(SyncError::NotSynced)
}

/// `rapport sync share ID --with REP`: the rep may read and write this
/// customer too. Only the owner (or a manager) may share.
pub fn share(store: &Store, client: &mut Client, id: i64, with: &str) -> Result<(), SyncError> {
    check_server(client)?;
    role(with)?;
    let gid = customer_gid(store, id)?;
    let mut tx = client.transaction()?;
    tx.execute(LOCK, &[])?;
    tx.execute(
        "INSERT INTO rapport.shares (customer, rep) VALUES ($1::text::uuid, $2) ON CONFLICT DO NOTHING",
        &[&gid, &with],
    )?;
    resend(&mut tx, &[gid])?;
    tx.commit()?;
    Ok(())
}

/// `rapport sync transfer`: a manager gives one customer (`id`) or a
/// whole rep's book (`from`) to another rep. Returns how many customers
/// changed hands.
pub fn transfer(
    store: &Store,
    client: &mut Client,
    id: Option<i64>,
    from: Option<&str>,
    to: &str,
) -> Result<usize, SyncError> {
    check_server(client)?;
    role(to)?;
    let mut tx = client.transaction()?;
    tx.execute(LOCK, &[])?;
    let moved: Vec<String> = match (id, from) {
        (Some(id), _) => {
            let gid = customer_gid(store, id)?;
            tx.query(
                "UPDATE rapport.owners SET owner = $2 WHERE customer = $1::text::uuid RETURNING customer::text",
                &[&gid, &to],
            )?
        }
        (None, Some(from)) => {
            role(from)?;
            tx.query(
                "UPDATE rapport.owners SET owner = $2 WHERE owner = $1 RETURNING customer::text",
                &[&from, &to],
            )?
        }
        (None, None) => Vec::new(),
    }
    .iter()
    .map(|r| r.get(0))
    .collect();
    if moved.is_empty() && id.is_some() {
        return Err(SyncError::Denied(format!(
            "customer {} is not yours to give",
            id.unwrap_or_default()
        )));
    }
    resend(&mut tx, &moved)?;
    tx.commit()?;
    Ok(moved.len())
}
