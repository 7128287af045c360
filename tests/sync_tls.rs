//! Team sync over TLS, against a real PostgreSQL server that asks for it
//! (TCP without TLS refused), with certificates made here: the real binary
//! connects with TLS, checks the server against a root certificate when
//! given one (and the host name for `verify-full`), and says so plainly
//! when it cannot.

mod common;
#[path = "common/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::path::Path;
use std::process::Command;

use pg::{PgServer, Tls};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

/// A certificate authority: its certificate (PEM) and what signs with it.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, name);
    let cert = params.self_signed(&key).unwrap();
    Ca {
        pem: cert.pem(),
        issuer: Issuer::new(params, key),
    }
}

/// A server certificate for `names`, signed by `ca`: (cert, key) in PEM.
fn server_cert(ca: &Ca, names: &[&str]) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    let cert = params.signed_by(&key, &ca.issuer).unwrap();
    (cert.pem(), key.serialize_pem())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `rapport sync …` with a clean environment for TLS: no root certificate
/// unless `root` is given, HOME in `home` (no ~/.postgresql there).
fn rapport(home: &Path, root: Option<&Path>, args: &[&str]) -> (bool, String) {
    let mut c = Command::new(common::pty::BIN);
    c.args(["--config", common::pty::NO_CONFIG, "--lang", "en"])
        .args(args)
        .env("HOME", home)
        .env_remove("PGSSLROOTCERT")
        .env_remove("PGSSLMODE")
        .env_remove("PGPASSWORD");
    if let Some(r) = root {
        c.env("PGSSLROOTCERT", r);
    }
    let out = c.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `rapport sync init --server URL`: the cheapest command that connects.
fn init(home: &Path, root: Option<&Path>, url: &str) -> (bool, String) {
    rapport(home, root, &["sync", "init", "--server", url])
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("tls: test");
        return;
    }
    let team_ca = ca("Team CA");
    let other_ca = ca("Someone else");
    // The certificate names "localhost" only, not 127.0.0.1.
    let (cert, key) = server_cert(&team_ca, &["localhost"]);
    let port = free_port();
    let Some(pg) = PgServer::start_tls(&Tls { cert, key, port }) else {
        println!(
            "sync_tls: 1 test skipped: PostgreSQL is not installed (initdb, pg_ctl); install the postgresql package, or set RAPPORT_PG_BIN to its bin folder, then run cargo test --test sync_tls"
        );
        return;
    };
    pg.database("team");
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let root = home.join("team-ca.pem");
    let wrong = home.join("other-ca.pem");
    std::fs::write(&root, &team_ca.pem).unwrap();
    std::fs::write(&wrong, &other_ca.pem).unwrap();
    let url = |host: &str, user: &str, mode: &str| format!("host={host} port={port} user={user} dbname=team{mode}");

    // The server asks for TLS: without it the server refuses.
    let (ok, text) = init(home, None, &url("localhost", "admin", " sslmode=disable"));
    assert!(!ok, "{text}");
    assert!(text.contains("Cannot reach the team server"), "{text}");
    assert!(text.contains("no encryption"), "{text}");

    // By default TLS is used when the server asks (no root certificate:
    // encrypted, the server not checked, as psql does).
    let (ok, text) = init(home, None, &url("127.0.0.1", "admin", ""));
    assert!(ok, "{text}");
    let (ok, text) = rapport(
        home,
        None,
        &["sync", "add-rep", "anna", "--server", &url("127.0.0.1", "admin", "")],
    );
    assert!(ok, "{text}");

    // With the team's root certificate the server is checked, and passes.
    let (ok, text) = init(home, Some(&root), &url("127.0.0.1", "admin", ""));
    assert!(ok, "{text}");
    // A certificate from someone else fails, and says it is about TLS.
    let (ok, text) = init(home, Some(&wrong), &url("localhost", "admin", ""));
    assert!(!ok, "{text}");
    assert!(text.contains("secure (TLS) connection"), "{text}");
    println!("a server the root certificate does not know: {text}");

    // verify-full checks the host name too: "localhost" is on the
    // certificate, 127.0.0.1 is not; verify-ca does not look at names.
    let full = " sslmode=verify-full";
    let (ok, text) = init(home, Some(&root), &url("localhost", "admin", full));
    assert!(ok, "{text}");
    let (ok, text) = init(home, Some(&root), &url("127.0.0.1", "admin", full));
    assert!(!ok, "{text}");
    assert!(text.contains("secure (TLS) connection"), "{text}");
    println!("a host the certificate does not name: {text}");
    let (ok, text) = init(home, Some(&root), &url("127.0.0.1", "admin", " sslmode=verify-ca"));
    assert!(ok, "{text}");
    // verify-ca without a root certificate says what is missing.
    let (ok, text) = init(home, None, &url("localhost", "admin", " sslmode=verify-ca"));
    assert!(!ok, "{text}");
    assert!(text.contains("PGSSLROOTCERT"), "{text}");

    // A rep joins and syncs over TLS with the URL form too.
    let book = home.join("anna.db");
    let book = book.to_str().unwrap();
    let rep_url = format!("postgresql://anna@localhost:{port}/team?sslmode=verify-full");
    for args in [
        &["--db", book, "sync", "join", "--server", &rep_url][..],
        &["--db", book, "add", "--name", "王建国", "--company", "华强电子"],
        &["--db", book, "sync", "--server", &rep_url],
    ] {
        let (ok, text) = rapport(home, Some(&root), args);
        assert!(ok, "{args:?}: {text}");
        if args[2..4] == ["sync", "--server"] {
            assert!(text.contains("pushed"), "{text}");
        }
    }
    // What was pushed is on the server.
    let mut admin = postgres::Client::connect(&pg.url("admin", "team"), postgres::NoTls).unwrap();
    let n: i64 = admin
        .query_one(
            "SELECT count(*) FROM rapport.rows WHERE tbl = 'customers' AND data->>'name' = '王建国'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    println!("test tls ... ok");
}
