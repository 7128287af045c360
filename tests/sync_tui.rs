//! Team sync in the TUI (issue 20 item 6), through real keys against the
//! real PostgreSQL server the tests start (see tests/sync.rs): the status
//! bar shows what waits and the last sync; `S` syncs on a worker thread
//! while typing goes on; conflicts open in an overlay — keep mine, keep
//! theirs, or type the value; with no server, a clear line and local work
//! goes on. Without PostgreSQL, one line says how many were skipped.

mod common;
#[path = "common/pg.rs"]
mod pg;
mod sync_support;

use common::Harness;
use pg::PgServer;
use rapport::app::Overlay;
use rapport::app::teamsync;
use rapport::domain::customer::Customer;
use rapport::i18n::Lang;
use sync_support::{RepBook, Team, same, t};

/// The rep's laptop: the app over a book of its own, syncing with `url`.
fn laptop(lang: Lang, url: &str) -> Harness {
    let mut h = Harness::with(lang, |store| {
        let mut c = Customer::new("张伟", t("2026-01-05 10:00"));
        c.city = "上海".into();
        c.company = "华强电子".into();
        store.insert_customer(&c).unwrap();
    });
    teamsync::configure(&mut h.app, &h.store, url);
    h
}

/// The status bar line (the second last row).
fn status_line(h: &mut Harness) -> String {
    let screen = h.screen(120, 40);
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 2].to_string()
}

fn digest_of(h: &Harness) -> sync_support::Digest {
    rapport::storage::Store::open(&h.dir.path().join("t.db"))
        .unwrap()
        .sync_digest()
        .unwrap()
}

fn status_bar_and_a_sync_in_the_background(pg: &PgServer) {
    let team = Team::new(pg, "t_bar", &["tb_anna"], &[]);
    let mut h = laptop(Lang::En, &team.url("tb_anna"));
    assert!(
        status_line(&mut h).contains("never synced (S)"),
        "{}",
        status_line(&mut h)
    );
    // S syncs on a worker: the app keeps taking keys meanwhile.
    h.keys("S");
    assert!(h.app.sync.running());
    assert!(status_line(&mut h).contains("Syncing in the background; keep working."));
    h.keys("/张");
    assert_eq!(h.app.customers.query.text(), "张");
    assert!(status_line(&mut h).contains("syncing…"), "{}", status_line(&mut h));
    h.keys("<Esc>");
    h.app.wait_for_sync(&mut h.store);
    let bar = status_line(&mut h);
    assert!(bar.contains("Synced: pushed "), "{bar}");
    assert!(bar.contains("pulled 0, 0 conflicts"), "{bar}");
    // The message gives way to the state: all sent, synced at 09:00.
    h.keys("<Down>1");
    let bar = status_line(&mut h);
    assert!(bar.contains("all synced · last sync 09:00"), "{bar}");
    // A change through the keys: one change waits.
    h.keys("/张伟<Enter><Enter>s<Right><Tab>signed<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    assert_eq!(h.app.sync.pending, h.store.pending_changes().unwrap());
    assert!(h.app.sync.pending >= 1);
    h.keys("<Esc>");
    let bar = status_line(&mut h);
    assert!(bar.contains(&format!("{} unsynced", h.app.sync.pending)), "{bar}");
    // Another computer of the rep adds a customer meanwhile.
    let desktop = RepBook::new(&team, "tb_anna");
    desktop.sync();
    desktop.add("李娜", "北京");
    desktop.sync();
    h.keys("S");
    h.app.wait_for_sync(&mut h.store);
    let bar = status_line(&mut h);
    assert!(bar.contains("pulled "), "{bar}");
    assert_eq!(h.app.sync.pending, 0);
    // The pulled customer is in the list; both books are equal.
    h.keys("<Esc><Esc>/lina");
    h.app.wait_for_index();
    h.keys("<C-u>lina");
    assert!(h.screen(80, 24).contains("李娜"), "{}", h.screen(80, 24));
    desktop.sync();
    same(&digest_of(&h), &desktop.digest(), "laptop and desktop");
}

/// A laptop (the app) and a desktop of one rep, both synced, then
/// `change(customer, on_the_laptop)` made on each: the desktop's is on
/// the server, the laptop's waits. Returns the laptop, the desktop and
/// the customer's id on the laptop.
fn changed_on_both(
    pg: &PgServer,
    db: &str,
    lang: Lang,
    change: impl Fn(&mut Customer, bool),
) -> (Harness, RepBook, i64) {
    let rep = format!("{db}_anna");
    let team = Team::new(pg, db, &[&rep], &[]);
    let mut h = laptop(lang, &team.url(&rep));
    h.keys("S");
    h.app.wait_for_sync(&mut h.store);
    let desktop = RepBook::new(&team, &rep);
    desktop.sync();
    desktop.edit("张伟", |c| change(c, false));
    desktop.sync();
    let id = h.store.ids_by_name().unwrap()[0];
    let mut c = h.store.customer(id).unwrap();
    change(&mut c, true);
    h.store.update_customer(&c, t("2026-03-02 10:00"), "").unwrap();
    (h, desktop, id)
}

fn conflicts_are_resolved_in_the_overlay(pg: &PgServer) {
    // The same three fields changed on both computers.
    let (mut h, desktop, id) = changed_on_both(pg, "t_conflicts", Lang::En, |c, here| {
        c.city = if here { "深圳" } else { "北京" }.into();
        c.wechat = if here { "zw_lap" } else { "zw_desk" }.into();
        c.notes = if here { "laptop note" } else { "desk note" }.into();
    });
    // The sync finds three conflicts and opens them.
    h.keys("S");
    h.app.wait_for_sync(&mut h.store);
    assert!(matches!(h.app.overlay, Some(Overlay::Sync(_))), "{}", h.screen(80, 24));
    let screen = h.screen(120, 40);
    for s in ["Sync conflicts (3)", "张伟 · City", "深圳", "北京", "zw_lap", "zw_desk"] {
        assert!(screen.contains(s), "{s}\n{screen}");
    }
    assert!(status_line(&mut h).contains("3 conflicts"));
    let field_at = |h: &Harness| match &h.app.overlay {
        Some(Overlay::Sync(v)) => v.rows[v.cursor].conflict.field.clone(),
        _ => panic!("no overlay"),
    };
    // Keep theirs for the city, mine for the WeChat, type the note.
    let mut done = 0;
    while matches!(h.app.overlay, Some(Overlay::Sync(_))) {
        match field_at(&h).as_str() {
            "city" => h.keys("t"),
            "wechat" => h.keys("m"),
            "notes" => {
                h.keys("e");
                assert!(h.screen(80, 24).contains("value"));
                h.keys("<C-u>agreed: both notes");
                h.keys("<Enter>");
            }
            other => panic!("unexpected conflict on {other}"),
        }
        done += 1;
        assert!(done <= 3);
    }
    assert_eq!(done, 3);
    let here = h.store.customer(id).unwrap();
    assert_eq!(
        (here.city.as_str(), here.wechat.as_str(), here.notes.as_str()),
        ("北京", "zw_lap", "agreed: both notes")
    );
    assert!(h.store.sync_conflicts().unwrap().is_empty());
    // The next sync sends mine and the typed value; the desktop gets them.
    h.keys("<Esc>S");
    h.app.wait_for_sync(&mut h.store);
    assert!(status_line(&mut h).contains("0 conflicts"), "{}", status_line(&mut h));
    desktop.sync();
    let there = desktop.customer("张伟");
    assert_eq!(
        (there.city.as_str(), there.wechat.as_str(), there.notes.as_str()),
        ("北京", "zw_lap", "agreed: both notes")
    );
    same(&digest_of(&h), &desktop.digest(), "after the resolutions");
}

fn conflicts_overlay_in_chinese_and_r_reopens_it(pg: &PgServer) {
    let (mut h, _desktop, _) = changed_on_both(pg, "t_zh", Lang::Zh, |c, here| {
        c.city = if here { "深圳" } else { "北京" }.into();
    });
    h.keys("S");
    h.app.wait_for_sync(&mut h.store);
    for (w, hh) in [(80u16, 24u16), (120, 40)] {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("sync_conflicts_zh_{w}x{hh}"), screen);
    }
    // Later: Esc closes, the status bar says it waits, R reopens.
    h.keys("<Esc>");
    assert!(h.app.overlay.is_none());
    assert!(status_line(&mut h).contains("1 个冲突（R）"), "{}", status_line(&mut h));
    h.keys("R");
    assert!(matches!(h.app.overlay, Some(Overlay::Sync(_))));
    h.keys("m");
    assert!(h.app.overlay.is_none());
    assert!(status_line(&mut h).contains("保留您的值"), "{}", status_line(&mut h));
    h.keys("R");
    assert!(status_line(&mut h).contains("没有同步冲突"));
}

fn with_no_server_a_clear_line_and_local_work_goes_on(_pg: &PgServer) {
    for (lang, said) in [
        (Lang::En, "Cannot reach the team server; your book is unchanged"),
        (Lang::Zh, "无法连接团队服务器"),
    ] {
        let mut h = laptop(lang, "postgresql://nobody@127.0.0.1:1/team");
        h.keys("S");
        h.app.wait_for_sync(&mut h.store);
        let bar = status_line(&mut h);
        assert!(bar.contains(said), "{bar}");
        // Work goes on: a customer added through the form is saved.
        h.keys("a王强<C-s>");
        assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
        assert_eq!(h.store.customer_count().unwrap(), 2);
    }
    // A book with no server: S says how to set one up.
    let mut h = Harness::empty(Lang::En);
    h.keys("S");
    assert!(status_line(&mut h).contains("No team server is configured"));
    assert!(!status_line(&mut h).contains("synced"));
}

const SCENARIOS: &[(&str, sync_support::Scenario)] = &[
    (
        "status_bar_and_a_sync_in_the_background",
        status_bar_and_a_sync_in_the_background,
    ),
    (
        "conflicts_are_resolved_in_the_overlay",
        conflicts_are_resolved_in_the_overlay,
    ),
    (
        "conflicts_overlay_in_chinese_and_r_reopens_it",
        conflicts_overlay_in_chinese_and_r_reopens_it,
    ),
    (
        "with_no_server_a_clear_line_and_local_work_goes_on",
        with_no_server_a_clear_line_and_local_work_goes_on,
    ),
];

fn main() {
    sync_support::run("sync_tui", SCENARIOS);
}
