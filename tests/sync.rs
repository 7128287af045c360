//! Team sync against a real PostgreSQL server that this program starts
//! itself (initdb + pg_ctl, a Unix socket in a temporary folder), between
//! books on disk and real `rapport` processes. Without PostgreSQL on the
//! machine, one line says how many tests were skipped and how to run them.
//!
//! A plain `main` (harness = false) so that it can print that line and
//! share one server among the scenarios; each scenario has its own
//! database and its own reps.

mod common;
#[path = "common/pg.rs"]
mod pg;
mod sync_support;

use std::path::Path;
use std::time::Instant;

use common::pty::{Book, NOW, command};
use pg::PgServer;
use rapport::domain::interaction::InteractionKind;
use rapport::storage::Store;
use rapport::sync::{self, Side, server};
use serde_json::Value;
use sync_support::{Digest, RepBook, Team, moments, same, server_digest, sync_cli, sync_killed, t};

fn init_creates_the_team_schema_and_upgrades_it_from_the_previous_version(pg: &PgServer) {
    let db = pg.database("s_upgrade");
    let mut admin = postgres::Client::connect(&pg.url("admin", &db), postgres::NoTls).unwrap();
    // A server set up by the previous Rapport, already in use.
    assert_eq!(
        server::init_to(&mut admin, server::SERVER_VERSION - 1).unwrap(),
        (0, server::SERVER_VERSION - 1)
    );
    admin
        .batch_execute("CREATE ROLE up_anna LOGIN IN ROLE rapport_rep")
        .unwrap();
    let url = pg.url("up_anna", &db);
    let book = tempfile::tempdir().unwrap();
    let mut store = Store::open(&book.path().join("b.db")).unwrap();
    assert!(matches!(
        sync::sync(&mut store, &url, "2026-11-23 09:00:00"),
        Err(sync::SyncError::ServerOld(..))
    ));
    admin
        .batch_execute(
            "INSERT INTO rapport.rows (gid, tbl, anchor, data, rev)
             VALUES ('0191e7a0-0000-7000-8000-000000000001', 'companies', NULL, '{\"name\": \"老客户\", \"created_at\": \"2026-01-01 09:00:00\"}', nextval('rapport.revs'))",
        )
        .unwrap();
    // `rapport sync init` (the real binary) upgrades it and keeps its rows.
    let b = Book::new();
    let out = command(&b.db(), NOW)
        .args(["sync", "init", "--server", &pg.url("admin", &db)])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("upgraded"), "{text}");
    assert!(!b.db().exists(), "init needs no book");
    assert_eq!(server::version(&mut admin).unwrap(), server::SERVER_VERSION);
    let n: i64 = admin
        .query_one("SELECT count(*) FROM rapport.rows", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    // Run again: nothing to do.
    assert_eq!(
        server::init(&mut admin).unwrap(),
        (server::SERVER_VERSION, server::SERVER_VERSION)
    );
    let report = sync::sync(&mut store, &url, "2026-11-23 09:00:00").unwrap();
    assert_eq!(report.pulled, 1, "the team-wide company arrives");
}

fn two_reps_and_a_manager_see_what_the_server_lets_them(pg: &PgServer) {
    let team = Team::new(pg, "s_team", &["tm_anna", "tm_bo"], &["tm_mia"]);
    let anna = RepBook::new(&team, "tm_anna");
    let bo = RepBook::new(&team, "tm_bo");
    anna.add("张伟", "深圳");
    anna.add("李娜", "上海");
    bo.add("王芳", "北京");
    let r = anna.sync();
    assert!(r.pushed > 0 && r.conflicts == 0, "{r:?}");
    bo.sync();
    anna.sync();
    assert_eq!(anna.names(), vec!["张伟", "李娜"]);
    assert_eq!(bo.names(), vec!["王芳"]);
    // Both books and the server agree on what each rep may see.
    same(&anna.digest(), &server_digest(&team, "tm_anna"), "anna");
    same(&bo.digest(), &server_digest(&team, "tm_bo"), "bo");
    // The manager's empty book joins and gets everyone's customers.
    let mia = RepBook::new(&team, "tm_mia");
    let report = sync::join(&mut mia.open(), &mia.url, "2026-11-23 09:00:00").unwrap();
    assert!(report.pulled > 0);
    assert_eq!(mia.names(), vec!["张伟", "李娜", "王芳"]);
    assert_eq!(mia.customer("张伟").tags, vec!["VIP".to_string()]);
    assert_eq!(mia.open().recent_interactions(mia.id_of("王芳"), 5).unwrap().len(), 1);
    // Joining needs an empty book.
    assert!(matches!(
        sync::join(&mut anna.open(), &anna.url, "2026-11-23 09:00:00"),
        Err(sync::SyncError::NotEmpty)
    ));

    // Bo with psql and his own login: none of Anna's rows, and writing
    // them changes nothing.
    let anna_customer = anna.open().stable_id("customers", anna.id_of("张伟")).unwrap().unwrap();
    let mut c = team.client("tm_bo");
    let seen: i64 = c
        .query_one(
            "SELECT count(*) FROM rapport.rows WHERE anchor = $1::text::uuid OR gid = $1::text::uuid",
            &[&anna_customer],
        )
        .unwrap()
        .get(0);
    assert_eq!(seen, 0);
    let visible: i64 = c
        .query_one("SELECT count(*) FROM rapport.rows WHERE tbl = 'customers'", &[])
        .unwrap()
        .get(0);
    assert_eq!(visible, 1);
    let changed = c
        .execute(
            "UPDATE rapport.rows SET data = '{}' WHERE gid = $1::text::uuid",
            &[&anna_customer],
        )
        .unwrap();
    assert_eq!(changed, 0);
    assert!(
        c.query("SELECT * FROM rapport.owners WHERE owner = 'tm_anna'", &[])
            .unwrap()
            .is_empty()
    );
    // Nor through the bulk insert of a first sync: a batch with one row
    // of Anna's customer is refused whole.
    let before: i64 = team
        .client("admin")
        .query_one("SELECT count(*) FROM rapport.rows", &[])
        .unwrap()
        .get(0);
    let bo_customer = bo.open().stable_id("customers", bo.id_of("王芳")).unwrap().unwrap();
    let bulk = c.query(
        "SELECT rapport.insert_new(ARRAY[gen_random_uuid(), gen_random_uuid()], ARRAY['interactions', 'interactions'],
            ARRAY[$1::text::uuid, $2::text::uuid], ARRAY['{\"note\": \"x\"}', '{\"note\": \"y\"}'], 'psql')",
        &[&bo_customer, &anna_customer],
    );
    let err = bulk.expect_err("a row of another rep's customer is refused");
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{err}"
    );
    let after: i64 = team
        .client("admin")
        .query_one("SELECT count(*) FROM rapport.rows", &[])
        .unwrap()
        .get(0);
    assert_eq!(after, before, "nothing of the batch was written");
    // The same batch without it goes in, as Bo's (rolled back: it is no
    // row a book could take).
    let mut tx = c.transaction().unwrap();
    let ok = tx
        .query(
            "SELECT rapport.insert_new(ARRAY[gen_random_uuid()], ARRAY['interactions'], ARRAY[$1::text::uuid],
                ARRAY['{\"note\": \"x\"}'], 'psql')",
            &[&bo_customer],
        )
        .unwrap();
    assert_eq!(ok.len(), 1);
    let by: String = tx
        .query_one("SELECT changed_by FROM rapport.rows WHERE origin = 'psql'", &[])
        .unwrap()
        .get(0);
    tx.rollback().unwrap();
    assert_eq!(by, "tm_bo");

    // Anna shares 张伟 with Bo: he gets it at his next sync.
    sync::team::share(&anna.open(), &mut team.client("tm_anna"), anna.id_of("张伟"), "tm_bo").unwrap();
    bo.sync();
    assert_eq!(bo.names(), vec!["张伟", "王芳"]);
    // Bo shares his own customer; he cannot share what is not his.
    sync::team::share(&bo.open(), &mut team.client("tm_bo"), bo.id_of("王芳"), "tm_anna").unwrap();
    let anna_only = anna.open().stable_id("customers", anna.id_of("李娜")).unwrap().unwrap();
    let denied = team.client("tm_bo").execute(
        "INSERT INTO rapport.shares (customer, rep) VALUES ($1::text::uuid, 'tm_bo')",
        &[&anna_only],
    );
    assert!(
        denied.is_err(),
        "a rep cannot share another rep's customer with himself"
    );

    // Anna leaves: the manager gives her book to Bo.
    let moved = sync::team::transfer(&mia.open(), &mut team.client("tm_mia"), None, Some("tm_anna"), "tm_bo").unwrap();
    assert_eq!(moved, 2);
    bo.sync();
    assert_eq!(bo.names(), vec!["张伟", "李娜", "王芳"]);
    // A rep cannot take customers.
    assert!(sync::team::transfer(&bo.open(), &mut team.client("tm_bo"), None, Some("tm_mia"), "tm_bo").unwrap() == 0);
}

/// One rep, two computers: a laptop and the office desktop.
fn laptop_and_desktop<'a>(pg: &'a PgServer, db: &str, rep: &str) -> (Team<'a>, RepBook, RepBook) {
    let team = Team::new(pg, db, &[rep], &[]);
    let laptop = RepBook::new(&team, rep);
    let desktop = RepBook::new(&team, rep);
    laptop.add("张伟", "深圳");
    laptop.sync();
    sync::join(&mut desktop.open(), &desktop.url, "2026-11-23 09:00:00").unwrap();
    assert_eq!(desktop.names(), vec!["张伟"]);
    (team, laptop, desktop)
}

fn different_fields_edited_offline_on_two_books_merge(pg: &PgServer) {
    let (team, laptop, desktop) = laptop_and_desktop(pg, "s_merge", "mg_anna");
    laptop.edit("张伟", |c| c.city = "上海".into());
    desktop.edit("张伟", |c| c.notes = "晚上打电话".into());
    desktop
        .open()
        .log_interaction(
            desktop.id_of("张伟"),
            InteractionKind::Visit,
            t("2026-03-02 10:00"),
            "拜访",
        )
        .unwrap();
    let r1 = laptop.sync();
    let r2 = desktop.sync();
    let r3 = laptop.sync();
    assert_eq!((r1.conflicts, r2.conflicts, r3.conflicts), (0, 0, 0));
    for b in [&laptop, &desktop] {
        let c = b.customer("张伟");
        assert_eq!((c.city.as_str(), c.notes.as_str()), ("上海", "晚上打电话"));
        assert_eq!(b.open().recent_interactions(b.id_of("张伟"), 5).unwrap().len(), 2);
    }
    same(&laptop.digest(), &desktop.digest(), "laptop");
    same(&laptop.digest(), &server_digest(&team, "mg_anna"), "laptop");
    // A sync with nothing to do does nothing.
    let again = laptop.sync();
    assert_eq!((again.pushed, again.pulled), (0, 0));
}

fn the_same_field_edited_on_two_books_is_one_conflict_resolved_both_ways(pg: &PgServer) {
    let (team, laptop, desktop) = laptop_and_desktop(pg, "s_conflict", "cf_anna");
    laptop.edit("张伟", |c| c.email = "wei@laptop.cn".into());
    desktop.edit("张伟", |c| c.email = "wei@desktop.cn".into());
    laptop.sync();
    let r = desktop.sync();
    assert_eq!(r.conflicts, 1, "{r:?}");
    // Kept on both sides: the desktop keeps its value, the server the laptop's.
    assert_eq!(desktop.customer("张伟").email, "wei@desktop.cn");
    let conflicts = desktop.open().sync_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (conflicts[0].table.as_str(), conflicts[0].field.as_str()),
        ("customers", "email")
    );
    // Shown by the real binary, as JSON.
    let out = desktop.cli(&["sync", "conflicts", "--json"]).output().unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["mine"], "wei@desktop.cn");
    assert_eq!(list[0]["theirs"], "wei@laptop.cn");
    // Theirs: the desktop takes the laptop's value.
    let id = conflicts[0].id;
    sync::resolve(&mut desktop.open(), id, Side::Theirs, "2026-11-23 10:00:00").unwrap();
    assert_eq!(desktop.customer("张伟").email, "wei@laptop.cn");
    assert!(desktop.open().sync_conflicts().unwrap().is_empty());
    assert_eq!(desktop.sync().conflicts, 0);
    let open: i64 = team
        .client("cf_anna")
        .query_one("SELECT count(*) FROM rapport.conflicts WHERE NOT resolved", &[])
        .unwrap()
        .get(0);
    assert_eq!(open, 0, "the server learns the resolution");

    // Again, and this time the desktop keeps its own value, via the CLI.
    laptop.edit("张伟", |c| c.email = "a@laptop.cn".into());
    desktop.edit("张伟", |c| c.email = "b@desktop.cn".into());
    laptop.sync();
    assert_eq!(desktop.sync().conflicts, 1);
    let id = desktop.open().sync_conflicts().unwrap()[0].id;
    let out = desktop
        .cli(&["sync", "resolve", &id.to_string(), "--mine"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    desktop.sync();
    laptop.sync();
    assert_eq!(laptop.customer("张伟").email, "b@desktop.cn");
    same(&laptop.digest(), &desktop.digest(), "laptop");
}

fn an_edit_against_a_delete_keeps_the_record(pg: &PgServer) {
    // Edited on the server first, then deleted here: the delete loses.
    let (_team, laptop, desktop) = laptop_and_desktop(pg, "s_delete", "dl_anna");
    desktop.edit("张伟", |c| c.notes = "还要联系".into());
    desktop.sync();
    laptop.open().delete_customer(laptop.id_of("张伟")).unwrap();
    let r = laptop.sync();
    assert_eq!(r.kept.len(), 1, "{r:?}");
    assert_eq!(r.kept[0].name.as_deref(), Some("张伟"));
    assert_eq!(laptop.names(), vec!["张伟"], "the record comes back with its history");
    assert_eq!(laptop.customer("张伟").notes, "还要联系");
    assert_eq!(
        laptop
            .open()
            .recent_interactions(laptop.id_of("张伟"), 5)
            .unwrap()
            .len(),
        1
    );
    same(&laptop.digest(), &desktop.digest(), "laptop");

    // Deleted on the server first, then edited here: the edit brings it back.
    laptop.open().delete_customer(laptop.id_of("张伟")).unwrap();
    laptop.sync();
    desktop.edit("张伟", |c| c.city = "广州".into());
    let r = desktop.sync();
    assert_eq!(r.kept.len(), 1, "{r:?}");
    assert_eq!(desktop.customer("张伟").city, "广州");
    laptop.sync();
    assert_eq!(laptop.customer("张伟").city, "广州");

    // A delete nobody argues with goes through everywhere.
    laptop.open().delete_customer(laptop.id_of("张伟")).unwrap();
    laptop.sync();
    desktop.sync();
    assert!(desktop.names().is_empty());
    // Companies and tags are the team's: the server keeps them (another
    // rep's customers may use them), so the desktop does too, while the
    // laptop tidied its own away when the last customer using them went.
    let customers_only = |d: Digest| -> Digest {
        d.into_iter()
            .filter(|(_, (t, _))| t != "companies" && t != "tags")
            .collect()
    };
    same(
        &customers_only(laptop.digest()),
        &customers_only(desktop.digest()),
        "laptop",
    );
    assert!(customers_only(desktop.digest()).is_empty());
}

fn kill_9_during_push_and_pull_converges(pg: &PgServer) {
    let team = Team::new(pg, "s_kill", &["kl_anna"], &[]);
    let a = RepBook::new(&team, "kl_anna");
    let b = RepBook::new(&team, "kl_anna");
    let demo = Book::new();
    demo.demo(80, 7);
    std::fs::copy(demo.db(), &a.path).unwrap();
    // How long one whole first sync takes: the kills fall inside it.
    let full = {
        let t0 = Instant::now();
        let copy = tempfile::tempdir().unwrap();
        let p = copy.path().join("x.db");
        std::fs::copy(demo.db(), &p).unwrap();
        // Measured against a throwaway database of the same server.
        let side = Team::new(pg, "s_kill_probe", &["kl_probe"], &[]);
        let book = RepBook {
            _dir: copy,
            path: p,
            url: side.url("kl_probe"),
        };
        sync_cli(&book);
        t0.elapsed()
    };
    // Ten kills while pushing the whole book.
    for d in moments(1, 10, full) {
        sync_killed(&a, d);
    }
    sync_cli(&a);
    assert_eq!(a.open().pending_changes().unwrap(), 0);
    same(&a.digest(), &server_digest(&team, "kl_anna"), "push converged");
    // Ten kills while pulling it into an empty book.
    for d in moments(2, 10, full) {
        sync_killed(&b, d);
    }
    sync_cli(&b);
    same(&b.digest(), &a.digest(), "pull converged");
    // Nothing was applied twice: one row per id on the server, and the
    // books hold the same number of customers.
    let (rows, ids): (i64, i64) = {
        let r = team
            .client("admin")
            .query_one("SELECT count(*), count(DISTINCT gid) FROM rapport.rows", &[])
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(rows, ids);
    assert_eq!(a.open().customer_count().unwrap(), 80);
    assert_eq!(b.open().customer_count().unwrap(), 80);
}

fn status_json_and_an_unreachable_server(pg: &PgServer) {
    let team = Team::new(pg, "s_status", &["st_anna"], &[]);
    let b = Book::new();
    let status = |b: &Book| -> Value {
        let out = command(&b.db(), NOW)
            .args(["sync", "status", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let s = status(&b);
    assert_eq!(s["pending"], 0);
    assert_eq!(s["last_sync"], Value::Null);
    assert_eq!(s["server"], Value::Null);
    assert_eq!(s["conflicts"], 0);
    let out = command(&b.db(), NOW)
        .args(["add", "--name", "张伟", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let url = team.url("st_anna");
    let out = command(&b.db(), NOW).args(["sync", "--server", &url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("pushed "), "{text}");
    assert!(text.contains("pulled 0, 0 conflicts"), "{text}");
    let s = status(&b);
    assert_eq!(s["pending"], 0);
    assert_eq!(s["last_sync"], "2026-11-23 09:00:00");
    assert_eq!(s["server"], url.as_str());
    // An edit waits; the server is gone: a clear line, nothing lost.
    let out = command(&b.db(), NOW)
        .args(["edit", "1", "--set", "city=上海"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(status(&b)["pending"], 1);
    let gone = format!(
        "host={} user=st_anna dbname=nowhere",
        Path::new("/nonexistent").display()
    );
    let out = command(&b.db(), NOW)
        .args(["sync", "--server", &gone])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Cannot reach the team server"), "{err}");
    assert_eq!(status(&b)["pending"], 1);
    // In Chinese too.
    let out = command(&b.db(), NOW)
        .args(["--lang", "zh", "sync", "--server", &gone])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法连接团队服务器"));
    // A password in the URL is refused before anything is sent.
    let out = command(&b.db(), NOW)
        .args(["sync", "--server", "postgresql://st_anna:secret@localhost/x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("PGPASSWORD"));
    // Back online, the stored server is used.
    let out = command(&b.db(), NOW).args(["sync"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(status(&b)["pending"], 0);
}

const SCENARIOS: &[(&str, sync_support::Scenario)] = &[
    (
        "init_creates_the_team_schema_and_upgrades_it_from_the_previous_version",
        init_creates_the_team_schema_and_upgrades_it_from_the_previous_version,
    ),
    (
        "two_reps_and_a_manager_see_what_the_server_lets_them",
        two_reps_and_a_manager_see_what_the_server_lets_them,
    ),
    (
        "different_fields_edited_offline_on_two_books_merge",
        different_fields_edited_offline_on_two_books_merge,
    ),
    (
        "the_same_field_edited_on_two_books_is_one_conflict_resolved_both_ways",
        the_same_field_edited_on_two_books_is_one_conflict_resolved_both_ways,
    ),
    (
        "an_edit_against_a_delete_keeps_the_record",
        an_edit_against_a_delete_keeps_the_record,
    ),
    (
        "kill_9_during_push_and_pull_converges",
        kill_9_during_push_and_pull_converges,
    ),
    (
        "status_json_and_an_unreachable_server",
        status_json_and_an_unreachable_server,
    ),
];

fn main() {
    sync_support::run("sync", SCENARIOS);
}
