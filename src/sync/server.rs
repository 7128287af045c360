//! The team schema on PostgreSQL, created and upgraded by `rapport sync
//! init`. Generic by construction: every synced row of every book is one
//! row of `rapport.rows` (its stable id, its table, the customer it hangs
//! off, its fields as JSON), so a table added to the book later needs no
//! change here. Who may see what is decided by the server itself: roles
//! and row-level security.

use postgres::{Client, GenericClient};

/// The group roles every team shares (cluster-wide, created once).
pub const REP_ROLE: &str = "rapport_rep";
pub const MANAGER_ROLE: &str = "rapport_manager";

const ROLES: &str = r#"
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rapport_rep') THEN
        CREATE ROLE rapport_rep NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rapport_manager') THEN
        CREATE ROLE rapport_manager NOLOGIN IN ROLE rapport_rep;
    END IF;
END $$;
"#;

/// Version 1: rows, owners, change ids, row-level security by owner.
const V1: &str = r#"
CREATE SCHEMA rapport;
CREATE TABLE rapport.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE rapport.revs;
CREATE TABLE rapport.rows (
    gid uuid PRIMARY KEY,
    tbl text NOT NULL,
    anchor uuid,
    data jsonb NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    rev bigint NOT NULL,
    changed_by text NOT NULL DEFAULT current_user,
    -- The book that sent the last change.
    origin text
);
CREATE INDEX rows_rev ON rapport.rows (rev);
CREATE INDEX rows_anchor ON rapport.rows (anchor);
CREATE TABLE rapport.owners (
    customer uuid PRIMARY KEY,
    owner text NOT NULL
);
CREATE INDEX owners_owner ON rapport.owners (owner);
CREATE TABLE rapport.applied (
    change_id uuid PRIMARY KEY,
    by text NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE rapport.conflicts (
    id bigserial PRIMARY KEY,
    change_id uuid NOT NULL,
    tbl text NOT NULL,
    gid uuid NOT NULL,
    field text NOT NULL,
    base jsonb,
    mine jsonb,
    theirs jsonb,
    by text NOT NULL DEFAULT current_user,
    resolved boolean NOT NULL DEFAULT false
);
CREATE INDEX conflicts_by ON rapport.conflicts (by) WHERE NOT resolved;

-- Inside a SECURITY DEFINER function current_user is the definer: the
-- policies pass the caller's own name.
CREATE FUNCTION rapport.is_manager(who name) RETURNS boolean LANGUAGE sql STABLE AS
    $$ SELECT pg_has_role(who, 'rapport_manager', 'member') $$;
CREATE FUNCTION rapport.may_see(c uuid, who name) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = rapport, pg_temp AS
    $$ SELECT rapport.is_manager(who) OR EXISTS (SELECT 1 FROM rapport.owners o WHERE o.customer = c AND o.owner = who) $$;
-- Customers among `cs` that exist but that `who` may not write.
CREATE FUNCTION rapport.refused(cs uuid[], who name) RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = rapport, pg_temp AS
    $$ SELECT o.customer FROM rapport.owners o WHERE o.customer = ANY(cs) AND NOT rapport.may_see(o.customer, who) $$;

ALTER TABLE rapport.rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY rows_all ON rapport.rows
    USING (anchor IS NULL OR rapport.may_see(anchor, current_user))
    WITH CHECK (anchor IS NULL OR rapport.may_see(anchor, current_user));
ALTER TABLE rapport.owners ENABLE ROW LEVEL SECURITY;
CREATE POLICY owners_read ON rapport.owners FOR SELECT USING (rapport.may_see(customer, current_user));
CREATE POLICY owners_claim ON rapport.owners FOR INSERT
    WITH CHECK (owner = current_user OR rapport.is_manager(current_user));
CREATE POLICY owners_transfer ON rapport.owners FOR UPDATE USING (rapport.is_manager(current_user)) WITH CHECK (true);
ALTER TABLE rapport.applied ENABLE ROW LEVEL SECURITY;
CREATE POLICY applied_own ON rapport.applied USING (by = current_user) WITH CHECK (by = current_user);
ALTER TABLE rapport.conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY conflicts_own ON rapport.conflicts USING (by = current_user) WITH CHECK (by = current_user);
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA rapport FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rapport TO rapport_rep;

GRANT USAGE ON SCHEMA rapport TO rapport_rep;
GRANT SELECT ON rapport.meta TO rapport_rep;
GRANT SELECT, INSERT, UPDATE ON rapport.rows, rapport.owners, rapport.applied, rapport.conflicts TO rapport_rep;
GRANT USAGE ON SEQUENCE rapport.revs, rapport.conflicts_id_seq TO rapport_rep;
"#;

/// Version 2: customers shared with other reps.
const V2: &str = r#"
CREATE TABLE rapport.shares (
    customer uuid NOT NULL,
    rep text NOT NULL,
    PRIMARY KEY (customer, rep)
);
CREATE OR REPLACE FUNCTION rapport.may_see(c uuid, who name) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = rapport, pg_temp AS
    $$ SELECT rapport.is_manager(who)
        OR EXISTS (SELECT 1 FROM rapport.owners o WHERE o.customer = c AND o.owner = who)
        OR EXISTS (SELECT 1 FROM rapport.shares s WHERE s.customer = c AND s.rep = who) $$;
CREATE FUNCTION rapport.owns(c uuid, who name) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = rapport, pg_temp AS
    $$ SELECT rapport.is_manager(who) OR EXISTS (SELECT 1 FROM rapport.owners o WHERE o.customer = c AND o.owner = who) $$;
REVOKE ALL ON FUNCTION rapport.owns(uuid, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rapport.owns(uuid, name) TO rapport_rep;
ALTER TABLE rapport.shares ENABLE ROW LEVEL SECURITY;
CREATE POLICY shares_read ON rapport.shares FOR SELECT USING (rep = current_user OR rapport.owns(customer, current_user));
CREATE POLICY shares_give ON rapport.shares FOR INSERT WITH CHECK (rapport.owns(customer, current_user));
CREATE POLICY shares_take_back ON rapport.shares FOR DELETE USING (rapport.owns(customer, current_user));
GRANT SELECT, INSERT, DELETE ON rapport.shares TO rapport_rep;
"#;

/// Version 3: the first sync's rows in bulk. The row policy checks the
/// rep's right to each row's customer one row at a time, a function call
/// each; at the two million rows of a book of 100,000 customers that was
/// half the first sync. Rows new to the server go through this function
/// instead: the same right, checked for the whole batch in one query,
/// then the rows inserted where their ids are not on the server yet.
/// The caller is the session's user (as the policies' `current_user`,
/// before any `SET ROLE`).
const V3: &str = r#"
CREATE FUNCTION rapport.insert_new(gids uuid[], tbls text[], anchors uuid[], datas text[], book text)
    RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = rapport, pg_temp
    -- Planned for each batch: a plan kept from the first batches, made
    -- when the tables were nearly empty, scans them whole once they are not.
    SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    who name := session_user;
BEGIN
    IF NOT pg_has_role(who, 'rapport_rep', 'member') THEN
        RAISE EXCEPTION 'permission denied: % is not a Rapport rep', who USING ERRCODE = '42501';
    END IF;
    IF NOT rapport.is_manager(who) AND EXISTS (
        SELECT 1 FROM unnest(anchors) AS a(c)
        WHERE a.c IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM rapport.owners o WHERE o.customer = a.c AND o.owner = who)
          AND NOT EXISTS (SELECT 1 FROM rapport.shares s WHERE s.customer = a.c AND s.rep = who)
    ) THEN
        RAISE EXCEPTION 'new row violates row-level security policy for table "rows"' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
        INSERT INTO rapport.rows (gid, tbl, anchor, data, rev, changed_by, origin)
        SELECT u.g, u.t, u.a, u.d::jsonb, nextval('rapport.revs'), who, book
        FROM unnest(gids, tbls, anchors, datas) WITH ORDINALITY AS u(g, t, a, d, n)
        ORDER BY u.n
        ON CONFLICT (gid) DO NOTHING
        RETURNING rev;
END $$;
-- The same rule for the customers a push may no longer write, read for
-- the batch in one query rather than a call of may_see per customer.
CREATE OR REPLACE FUNCTION rapport.refused(cs uuid[], who name) RETURNS SETOF uuid LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = rapport, pg_temp SET plan_cache_mode = force_custom_plan AS
    $$ SELECT o.customer FROM rapport.owners o
       WHERE o.customer = ANY(cs) AND o.owner <> who AND NOT rapport.is_manager(who)
         AND NOT EXISTS (SELECT 1 FROM rapport.shares s WHERE s.customer = o.customer AND s.rep = who) $$;
REVOKE ALL ON FUNCTION rapport.insert_new(uuid[], text[], uuid[], text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rapport.insert_new(uuid[], text[], uuid[], text[], text) TO rapport_rep;
"#;

/// Every version of the team schema in order; a step never changes once
/// released.
const STEPS: &[&str] = &[V1, V2, V3];

/// The team schema this program writes.
pub const SERVER_VERSION: i64 = STEPS.len() as i64;

/// The team schema's version on the server (0: none yet).
pub fn version(client: &mut impl GenericClient) -> Result<i64, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('rapport.meta') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v = client.query_opt("SELECT value FROM rapport.meta WHERE key = 'version'", &[])?;
    Ok(v.and_then(|r| r.get::<_, String>(0).parse().ok()).unwrap_or(0))
}

/// Creates the team schema, or upgrades it to this program's version, in
/// one transaction. Returns (version before, version after).
pub fn init(client: &mut Client) -> Result<(i64, i64), InitError> {
    init_to(client, SERVER_VERSION)
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("the server's team schema is version {0}, newer than this Rapport knows ({1}); upgrade Rapport")]
    TooNew(i64, i64),
    #[error(transparent)]
    Pg(#[from] postgres::Error),
}

/// [`init`] up to `target` only: lets tests build an earlier team schema.
pub fn init_to(client: &mut Client, target: i64) -> Result<(i64, i64), InitError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtext('rapport.init'))", &[])?;
    tx.batch_execute(ROLES)?;
    let from = version(&mut tx)?;
    if from > SERVER_VERSION {
        return Err(InitError::TooNew(from, SERVER_VERSION));
    }
    for step in STEPS.iter().take(target as usize).skip(from as usize) {
        tx.batch_execute(step)?;
    }
    let to = from.max(target);
    tx.execute(
        "INSERT INTO rapport.meta (key, value) VALUES ('version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&to.to_string()],
    )?;
    tx.commit()?;
    Ok((from, to))
}
