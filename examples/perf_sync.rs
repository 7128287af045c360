//! The team-sync benchmark, against a real PostgreSQL server it starts
//! itself (initdb and pg_ctl from the system's packages, on a Unix socket
//! in a temporary folder).
//!
//! `cargo run --release --example perf_sync -- --customers 100000 [--reps 10] [--json]`
//!
//! Figures, in milliseconds: the first sync of a demo book (every row sent,
//! then the pull); a sync with 100 changes made here and 100 made on
//! another book of the same rep; a manager's first pull of `--reps` reps'
//! books (each rep's book a tenth of `--customers`). A benchmark prints;
//! it asserts nothing.

#[path = "../tests/common/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDateTime;
use rapport::domain::interaction::InteractionKind;
use rapport::storage::Store;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

const AT: &str = "2026-11-23 09:00:00";

fn demo_book(path: &Path, n: usize, seed: u64) {
    let mut store = Store::open(path).unwrap();
    rapport::demo::generate(&mut store, n, seed, now()).unwrap();
    store.checkpoint().unwrap();
}

/// 100 edits of notes and 100 logged calls, on the first customers.
fn change(path: &Path, n: usize, tag: &str) {
    let mut store = Store::open(path).unwrap();
    let ids = store.ids_by_name().unwrap();
    for id in ids.iter().take(n / 2) {
        let mut c = store.customer(*id).unwrap();
        c.notes = format!("{} {tag}", c.notes);
        store.update_customer(&c, now(), "").unwrap();
    }
    for id in ids.iter().rev().take(n - n / 2) {
        store.log_interaction(*id, InteractionKind::Call, now(), tag).unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let n = value("--customers").unwrap_or(10_000);
    let reps = value("--reps").unwrap_or(10);
    let json = args.iter().any(|a| a == "--json");
    let Some(server) = pg::PgServer::start() else {
        eprintln!("perf_sync: PostgreSQL is not installed (initdb, pg_ctl); set RAPPORT_PG_BIN to its bin folder");
        std::process::exit(2);
    };
    let db = server.database("bench");
    let mut admin = postgres::Client::connect(&server.url("admin", &db), postgres::NoTls).unwrap();
    rapport::sync::server::init(&mut admin).unwrap();
    rapport::sync::team::add_rep(&mut admin, "bench_anna", false).unwrap();
    rapport::sync::team::add_rep(&mut admin, "bench_mia", true).unwrap();
    let dir = tempfile::tempdir().unwrap();

    // The first sync of a whole book.
    let laptop = dir.path().join("laptop.db");
    demo_book(&laptop, n, 1);
    let url = server.url("bench_anna", &db);
    let t = Instant::now();
    let first = rapport::sync::sync(&mut Store::open(&laptop).unwrap(), &url, AT).unwrap();
    let first_sync_ms = ms(t);
    eprintln!("first sync: {first_sync_ms:.0} ms");

    // A second book of the same rep, then 100 changes on each side.
    let desktop = dir.path().join("desktop.db");
    rapport::sync::join(&mut Store::open(&desktop).unwrap(), &url, AT).unwrap();
    change(&desktop, 100, "desktop");
    rapport::sync::sync(&mut Store::open(&desktop).unwrap(), &url, AT).unwrap();
    change(&laptop, 100, "laptop");
    let t = Instant::now();
    let small = rapport::sync::sync(&mut Store::open(&laptop).unwrap(), &url, AT).unwrap();
    let small_sync_ms = ms(t);

    // Ten reps' books, then the manager's first pull of them all.
    let per_rep = (n / 10).max(1);
    for r in 0..reps {
        let name = format!("bench_rep{r}");
        rapport::sync::team::add_rep(&mut admin, &name, false).unwrap();
        let p = dir.path().join(format!("{name}.db"));
        demo_book(&p, per_rep, 10 + r as u64);
        rapport::sync::sync(&mut Store::open(&p).unwrap(), &server.url(&name, &db), AT).unwrap();
        std::fs::remove_file(&p).ok();
    }
    let manager = dir.path().join("manager.db");
    let t = Instant::now();
    let pulled = rapport::sync::join(&mut Store::open(&manager).unwrap(), &server.url("bench_mia", &db), AT).unwrap();
    let manager_pull_ms = ms(t);

    if json {
        println!(
            "{}",
            serde_json::json!({
                "customers": n,
                "first_sync_ms": first_sync_ms.round(),
                "first_sync_rows": first.pushed,
                "sync_100_100_ms": small_sync_ms.round(),
                "sync_100_100_pushed": small.pushed,
                "sync_100_100_pulled": small.pulled,
                "manager_pull_ms": manager_pull_ms.round(),
                "manager_pull_rows": pulled.pulled,
                "reps": reps,
            })
        );
    } else {
        println!("customers                {n}");
        println!(
            "first sync               {first_sync_ms:.0} ms ({} rows sent)",
            first.pushed
        );
        println!(
            "sync 100 here + 100 there {small_sync_ms:.0} ms (pushed {}, pulled {})",
            small.pushed, small.pulled
        );
        println!(
            "manager pulls {reps} reps      {manager_pull_ms:.0} ms ({} rows)",
            pulled.pulled
        );
    }
}
