//! What the team-sync tests share: a team on the real server, a rep's
//! book, the digests compared, the runner that starts one PostgreSQL for
//! every scenario (or says in one line that it cannot).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use rapport::domain::customer::Customer;
use rapport::domain::interaction::InteractionKind;
use rapport::storage::Store;
use rapport::sync::{self, server};
use serde_json::Value;

use super::common;
use super::pg::PgServer;

pub type Digest = BTreeMap<String, (String, Value)>;

/// Two digests are equal; if not, the rows that differ.
#[track_caller]
pub fn same(a: &Digest, b: &Digest, what: &str) {
    if a == b {
        return;
    }
    let mut diff = String::new();
    for (k, v) in a {
        match b.get(k) {
            None => diff += &format!("\n  only left: {k} {v:?}"),
            Some(w) if w != v => diff += &format!("\n  differs: {k}\n    left  {v:?}\n    right {w:?}"),
            _ => {}
        }
    }
    for (k, v) in b {
        if !a.contains_key(k) {
            diff += &format!("\n  only right: {k} {v:?}");
        }
    }
    panic!("{what}: the digests differ{diff}");
}

pub fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A scenario's team: its database, set up by the administrator, and reps.
pub struct Team<'a> {
    pub pg: &'a PgServer,
    pub db: String,
}

impl<'a> Team<'a> {
    pub fn new(pg: &'a PgServer, db: &str, reps: &[&str], managers: &[&str]) -> Team<'a> {
        let db = pg.database(db);
        let mut admin = postgres::Client::connect(&pg.url("admin", &db), postgres::NoTls).unwrap();
        server::init(&mut admin).unwrap();
        for r in reps {
            sync::team::add_rep(&mut admin, r, false).unwrap();
        }
        for m in managers {
            sync::team::add_rep(&mut admin, m, true).unwrap();
        }
        Team { pg, db }
    }

    pub fn url(&self, rep: &str) -> String {
        self.pg.url(rep, &self.db)
    }

    pub fn client(&self, rep: &str) -> postgres::Client {
        postgres::Client::connect(&self.url(rep), postgres::NoTls).unwrap()
    }
}

/// A rep's book in its own folder.
pub struct RepBook {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub url: String,
}

impl RepBook {
    pub fn new(team: &Team<'_>, rep: &str) -> RepBook {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        RepBook {
            _dir: dir,
            path,
            url: team.url(rep),
        }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.path).unwrap()
    }

    pub fn sync(&self) -> sync::Report {
        let mut s = self.open();
        sync::sync(&mut s, &self.url, "2026-11-23 09:00:00").unwrap()
    }

    pub fn add(&self, name: &str, city: &str) -> i64 {
        let mut c = Customer::new(name, t("2026-01-05 10:00"));
        c.city = city.into();
        c.company = "华强电子".into();
        c.tags = vec!["VIP".into()];
        let mut s = self.open();
        let id = s.insert_customer(&c).unwrap();
        s.log_interaction(
            id,
            InteractionKind::Call,
            t("2026-02-01 09:00"),
            &format!("{name} 报价"),
        )
        .unwrap();
        id
    }

    /// The local id of a customer by name.
    pub fn id_of(&self, name: &str) -> i64 {
        let s = self.open();
        s.ids_by_name()
            .unwrap()
            .into_iter()
            .find(|id| s.customer(*id).unwrap().name == name)
            .unwrap_or_else(|| panic!("{name} is not in the book"))
    }

    pub fn names(&self) -> Vec<String> {
        let s = self.open();
        let mut v: Vec<String> = s
            .ids_by_name()
            .unwrap()
            .into_iter()
            .map(|id| s.customer(id).unwrap().name)
            .collect();
        v.sort();
        v
    }

    pub fn edit(&self, name: &str, f: impl FnOnce(&mut Customer)) {
        let mut s = self.open();
        let id = self.id_of(name);
        let mut c = s.customer(id).unwrap();
        f(&mut c);
        s.update_customer(&c, t("2026-03-01 10:00"), "").unwrap();
    }

    pub fn customer(&self, name: &str) -> Customer {
        self.open().customer(self.id_of(name)).unwrap()
    }

    pub fn digest(&self) -> Digest {
        self.open().sync_digest().unwrap()
    }

    /// The real binary on this book (no config file).
    pub fn cli(&self, args: &[&str]) -> Command {
        let mut c = Command::new(common::pty::BIN);
        c.args(["--db", self.path.to_str().unwrap(), "--config", common::pty::NO_CONFIG])
            .args(args);
        c
    }
}

/// What the server holds for `rep` (live rows only), in the books' form.
/// A row made on two books (the same company, the same tag on a
/// customer) is two rows on the server and one in each book, known there
/// by the smaller id: so it is here.
pub fn server_digest(team: &Team<'_>, rep: &str) -> Digest {
    let rows: Vec<(String, String, Value)> = team
        .client(rep)
        .query(
            "SELECT gid::text, tbl, data::text FROM rapport.rows WHERE NOT deleted ORDER BY gid",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), serde_json::from_str(r.get(2)).unwrap()))
        .collect();
    // Each id → the smallest id of the same row.
    let mut first: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut canonical: BTreeMap<String, String> = BTreeMap::new();
    for (gid, tbl, data) in &rows {
        let c = first
            .entry((tbl.clone(), data.to_string()))
            .or_insert_with(|| gid.clone());
        canonical.insert(gid.clone(), c.clone());
    }
    let mut out = Digest::new();
    for (gid, tbl, mut data) in rows {
        if canonical[&gid] != gid {
            continue;
        }
        for v in data.as_object_mut().unwrap().values_mut() {
            if let Some(c) = v.as_str().and_then(|s| canonical.get(s)) {
                *v = Value::String(c.clone());
            }
        }
        out.insert(gid, (tbl, data));
    }
    out
}

/// Runs `rapport sync` and kills it with SIGKILL after `after`.
pub fn sync_killed(book: &RepBook, after: Duration) {
    let mut child = book
        .cli(&["sync", "--server", &book.url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

pub fn sync_cli(book: &RepBook) -> String {
    let out = book.cli(&["sync", "--server", &book.url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A small deterministic generator for the kill moments.
pub fn moments(seed: u64, n: usize, max: Duration) -> Vec<Duration> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            max.mul_f64((x % 1000) as f64 / 1000.0)
        })
        .collect()
}

pub type Scenario = fn(&PgServer);

/// Runs the scenarios named on the command line (all without a filter)
/// against one server; without PostgreSQL, one line says how many were
/// skipped and how to run them.
pub fn run(target: &str, scenarios: &[(&str, Scenario)]) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        for (name, _) in scenarios {
            println!("{name}: test");
        }
        return;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let selected: Vec<&(&str, Scenario)> = scenarios
        .iter()
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect();
    if selected.is_empty() {
        return;
    }
    let Some(server) = PgServer::start() else {
        println!(
            "{target}: {} tests skipped: PostgreSQL is not installed (initdb, pg_ctl); install the postgresql package, or set RAPPORT_PG_BIN to its bin folder, then run cargo test --test {target}",
            selected.len()
        );
        return;
    };
    println!(
        "\nrunning {} tests against {}",
        selected.len(),
        server.socket_dir().display()
    );
    let mut failed = Vec::new();
    for (name, f) in &selected {
        let t0 = Instant::now();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&server)));
        match outcome {
            Ok(()) => println!("test {name} ... ok ({:.1} s)", t0.elapsed().as_secs_f64()),
            Err(_) => {
                println!("test {name} ... FAILED");
                failed.push(*name);
            }
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        selected.len() - failed.len(),
        failed.len()
    );
    drop(server);
    if !failed.is_empty() {
        std::process::exit(101);
    }
}
