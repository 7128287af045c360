//! `rapport agenda --notify` against a real D-Bus session bus started here
//! (`dbus-daemon` from the system packages; `.ci/run` installs it), with a
//! notification server on that bus that records what arrived. Without
//! dbus-daemon the bus test is skipped with one line saying so.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

type Inbox = Arc<Mutex<Vec<(String, String, String)>>>;

/// Implements org.freedesktop.Notifications: keeps every notification.
struct Server {
    inbox: Inbox,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: &str,
        _replaces_id: u32,
        _app_icon: &str,
        summary: &str,
        body: &str,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut inbox = self.inbox.lock().unwrap();
        inbox.push((app_name.to_string(), summary.to_string(), body.to_string()));
        inbox.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("test".into(), "rapport".into(), "1".into(), "1.2".into())
    }

    fn close_notification(&self, _id: u32) {}
}

/// A private session bus; killed when dropped.
struct Bus {
    child: Child,
    address: String,
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_bus() -> Option<Bus> {
    let mut child = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take()?).read_line(&mut line).ok()?;
    Some(Bus {
        child,
        address: line.trim().to_string(),
    })
}

fn rapport(db: &std::path::Path, bus: &str) -> Command {
    let mut c = common::pty::command(db, common::pty::NOW);
    c.env("DBUS_SESSION_BUS_ADDRESS", bus);
    c
}

/// A book with a known agenda: a follow-up due today for each of two
/// customers.
fn book(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("t.db");
    for (name, grade) in [("张伟", "A"), ("Anna Lopez", "B")] {
        for args in [
            vec!["add", "--name", name, "--grade", grade],
            vec!["log", name, "--next", "today", "--for", "send the quote", "called"],
        ] {
            let out = rapport(&db, "unix:path=/nonexistent").args(&args).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    db
}

#[test]
fn no_notification_service_says_so_and_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let out = rapport(&db, "unix:path=/nonexistent/bus")
        .args(["agenda", "--notify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no notification service answered"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Rapport — 2026-11-23: 2 to do"), "{text}");
    assert!(text.contains("张伟"), "{text}");
}

#[test]
fn the_summary_arrives_on_a_real_session_bus() {
    let Some(bus) = start_bus() else {
        // Straight to stderr: the test harness would swallow eprintln!.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "notify: 1 test skipped: dbus-daemon is not installed (apt-get install dbus)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());

    // A bus without a notification server: refused, exit 1.
    let out = rapport(&db, &bus.address)
        .args(["agenda", "--notify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));

    let inbox: Inbox = Arc::default();
    let server = Server { inbox: inbox.clone() };
    let _conn = zbus::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())
            .name("org.freedesktop.Notifications")
            .serve_at("/org/freedesktop/Notifications", server)
            .build()
            .await
    })
    .expect("a notification server on the test bus");

    let out = rapport(&db, &bus.address)
        .args(["agenda", "--notify"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = rapport(&db, &bus.address)
        .args(["--lang", "zh", "agenda", "--notify"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "one notification per run: {got:?}");
    let (app, title, body) = &got[0];
    assert_eq!(app, "Rapport");
    assert_eq!(title, "Rapport — 2026-11-23: 2 to do");
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].contains("2"), "counts per section first: {body}");
    assert_eq!(lines.iter().filter(|l| l.starts_with('•')).count(), 2, "{body}");
    assert!(body.contains("张伟") && body.contains("Anna Lopez"), "{body}");
    let (_, title, body) = &got[1];
    assert_eq!(title, "Rapport — 2026-11-23：2 项待办");
    assert!(body.contains("张伟"), "{body}");
}
