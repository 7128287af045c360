//! The qualification pane through real keys: the prospect board and the
//! MAN checklist over a temporary database with a fixed clock, compared
//! with snapshots (80×24 and 120×40, English and Chinese), then the
//! database checked for exactly the changes typed. Also the status
//! consistency questions and `rapport find --json`.

mod common;

use chrono::NaiveDateTime;
use common::Harness;
use rapport::app::{Confirm, Overlay, Pane};
use rapport::domain::customer::{Customer, Status};
use rapport::domain::qualification::{Answer, Criterion, Decider, Verdict, verdict};
use rapport::i18n::Lang;
use rapport::storage::Store;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, h: &mut Harness) {
    for (w, hh) in SIZES {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), screen);
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn add(store: &mut Store, name: &str, company: &str, role: &str, status: Status) -> i64 {
    let mut c = Customer::new(name, at("2026-03-02 10:00"));
    c.company = company.into();
    c.role = role.into();
    c.status = status;
    store.insert_customer(&c).unwrap()
}

fn set(store: &mut Store, id: i64, c: Criterion, a: Answer, note: &str, when: &str) {
    store.set_criterion(id, c, a, note, at(when)).unwrap().unwrap();
}

/// A small book: prospects in every verdict, one never assessed, and a
/// colleague at the same company as 张伟.
fn book(store: &mut Store) {
    use Answer::{No, Yes};
    use Criterion::{Authority, Money, Need};
    add(store, "张伟", "北京华联", "采购经理", Status::Potential);
    add(store, "李娜", "北京华联", "财务总监", Status::Active);
    let anna = add(store, "Anna Berg", "Acme Tools AB", "Buyer", Status::Target);
    set(store, anna, Money, Yes, "Budget approved for Q3", "2026-11-02 10:00");
    set(
        store,
        anna,
        Authority,
        Yes,
        "Signs orders up to 200k",
        "2026-11-03 11:00",
    );
    set(
        store,
        anna,
        Need,
        Yes,
        "Old line breaks down weekly",
        "2026-11-04 15:30",
    );
    let bo = add(store, "Bo Lind", "Lind & Co", "Owner", Status::Potential);
    set(
        store,
        bo,
        Money,
        No,
        "Budget frozen until next year",
        "2026-10-12 09:30",
    );
    set(store, bo, Authority, No, "", "2026-10-12 09:31");
    set(
        store,
        bo,
        Need,
        No,
        "Happy with the current supplier",
        "2026-10-12 09:32",
    );
    let wang = add(store, "王芳", "深圳华强电子", "总经理助理", Status::Target);
    set(store, wang, Money, Yes, "第三季度预算已批", "2026-11-10 14:00");
    set(
        store,
        wang,
        Authority,
        No,
        "5 万以上需要财务总监签字",
        "2026-11-10 14:05",
    );
    set(store, wang, Need, Yes, "旧设备年底报废", "2026-11-12 16:20");
    let d = Decider {
        customer_id: None,
        name: "陈静".into(),
        role: "财务总监".into(),
    };
    store.set_decider(wang, d, at("2026-11-12 16:30")).unwrap();
    let carl = add(store, "Carl Holm", "Holm Foods", "CFO", Status::Potential);
    set(
        store,
        carl,
        Money,
        Yes,
        "Paid the last invoices early",
        "2026-11-20 10:00",
    );
    let zhao = add(store, "赵敏", "杭州福盛", "采购", Status::Potential);
    set(store, zhao, Money, No, "资金周转困难", "2026-09-01 10:00");
    set(store, zhao, Authority, Yes, "老板本人", "2026-09-01 10:05");
    set(store, zhao, Need, No, "", "2026-09-01 10:06");
    add(store, "Dora Wu", "Wu Trading", "Director", Status::Lost);
}

fn id_of(h: &Harness, name: &str) -> i64 {
    let i = (0..h.app.index.len() as u32)
        .find(|&i| h.app.index.entry(i).name() == name)
        .unwrap();
    h.app.index.entry(i).id
}

#[test]
fn the_prospect_board_groups_by_verdict_with_counts() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::with(lang, book);
        h.keys("2");
        assert_eq!(h.app.pane, Pane::QUALIFICATION);
        let b = &h.app.qual.board;
        // 张伟 and Carl Holm are undetermined; 李娜 and Dora Wu are no prospects.
        assert_eq!(b.counts, [1, 1, 1, 1, 2]);
        assert_eq!(b.listed(), 6);
        snap(&format!("qual_board_{tag}"), &mut h);
        // The filter shows one group at a time; Esc shows all again.
        h.keys("ff");
        assert_eq!(h.app.qual.board.filter, Some(Verdict::Contactable));
        assert_eq!(
            h.app.qual.board.current().map(|r| h.app.qual.board.name(r)),
            Some("王芳")
        );
        h.keys("<Esc>");
        assert_eq!(h.app.qual.board.listed(), 6);
    }
}

#[test]
fn the_board_searches_like_the_customer_list_pinyin_too() {
    let mut h = Harness::with(Lang::En, book);
    h.keys("2/wf");
    assert_eq!(
        h.app.qual.board.current().map(|r| h.app.qual.board.name(r)),
        Some("王芳")
    );
    assert_eq!(h.app.selected_id, Some(id_of(&h, "王芳")), "the selection is shared");
    h.keys("<C-u>holm");
    assert_eq!(h.app.qual.board.listed(), 1);
    h.keys("<Enter>");
    assert!(!h.app.qual.board.searching);
    assert_eq!(h.app.qual.board.listed(), 1, "Enter keeps the results");
    // Back on the customer list, the same customer is under the cursor.
    h.keys("1");
    assert_eq!(
        h.app.current().map(|e| e.name().to_string()).as_deref(),
        Some("Carl Holm")
    );
}

#[test]
fn keys_toggle_criteria_and_the_database_holds_exactly_the_changes_typed() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::with(lang, book);
        let zw = id_of(&h, "张伟");
        let boss = id_of(&h, "李娜");
        h.keys("2/zw<Enter><Enter>");
        assert_eq!(h.app.qual.checklist.as_ref().map(|c| c.customer.id), Some(zw));
        // Money yes; authority yes then no (two presses in a row: one
        // change, unknown → no); need yes (j/k and arrows move).
        h.keys("maan");
        // Evidence for money: Enter on the focused criterion, Tab to the note.
        h.keys("<Enter><Tab>预算已批：第三季度<C-s>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
        // Who decides: a colleague's name links their record and role.
        h.keys("d李娜<C-s>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
        // Down twice to need, Space cycles it: yes → no → unknown → yes,
        // back where it began: no change at all.
        h.keys("jj   ");
        snap(&format!("qual_checklist_{tag}"), &mut h);

        let q = h.store.qualification(zw).unwrap();
        assert_eq!(q.man().combo_code(), "MaN");
        assert_eq!(
            (q.money.note.as_str(), q.money.at),
            ("预算已批：第三季度", Some(common::now()))
        );
        assert_eq!(q.authority.note, "");
        assert_eq!(q.decider.customer_id, Some(boss));
        assert_eq!((q.decider.name.as_str(), q.decider.role.as_str()), ("李娜", "财务总监"));
        let story: Vec<(String, String, String, String)> = h
            .store
            .qualification_history(zw)
            .unwrap()
            .into_iter()
            .map(|c| {
                assert_eq!(c.at, common::now());
                (c.topic.as_str().to_string(), c.old, c.new, c.note)
            })
            .collect();
        let row = |a: &str, b: &str, c: &str, d: &str| (a.to_string(), b.to_string(), c.to_string(), d.to_string());
        assert_eq!(
            story,
            vec![
                row("money", "unknown", "yes", ""),
                row("authority", "unknown", "no", ""),
                row("need", "unknown", "yes", ""),
                row("money", "yes", "yes", "预算已批：第三季度"),
                row("decider", "", "李娜\u{1f}财务总监", ""),
            ]
        );
        // Nothing else in the book changed.
        assert_eq!(h.store.qualification_history(boss).unwrap().len(), 0);
        assert_eq!(h.store.customer(zw).unwrap().status, Status::Potential);
        // The pre-call card says who to find for "M a N".
        h.keys("c");
        assert_eq!(h.app.pane, Pane::CUSTOMERS);
        let card = h.app.customers.card.as_ref().unwrap();
        let lines: Vec<&str> = card.sections[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert!(lines[0].starts_with("M a N"), "{lines:?}");
        // Listed as the language lists: "李娜, 财务总监", "李娜，财务总监".
        let who = if lang == Lang::Zh {
            "李娜，财务总监"
        } else {
            "李娜, 财务总监"
        };
        assert!(lines.iter().any(|l| l.contains(who)), "{lines:?}");
    }
}

#[test]
fn a_changed_answer_starts_a_new_note_and_the_old_one_stays_in_the_history() {
    let mut h = Harness::with(Lang::Zh, book);
    let zw = id_of(&h, "张伟");
    set(
        &mut h.store,
        zw,
        Criterion::Money,
        Answer::Unknown,
        "还没问，展会后再打电话",
        "2026-11-01 09:00",
    );
    h.keys("2/zw<Enter><Enter>");
    // m: unknown → yes. The old note is not re-dated as evidence for yes.
    h.keys("m");
    let q = h.store.qualification(zw).unwrap();
    assert_eq!((q.money.answer, q.money.note.as_str()), (Answer::Yes, ""));
    let history = h.store.qualification_history(zw).unwrap();
    assert!(
        history
            .iter()
            .any(|c| c.note == "还没问，展会后再打电话" && c.new == "unknown")
    );
    assert_eq!(
        history.last().map(|c| (c.new.as_str(), c.note.as_str())),
        Some(("yes", ""))
    );
    // The evidence form for the new answer opens with an empty note.
    h.keys("<Enter>");
    let Some(rapport::app::Overlay::Form(form)) = &h.app.overlay else {
        panic!("evidence form")
    };
    assert!(form.fields.iter().all(|f| !f.value().contains("还没问")), "{form:?}");
}

#[test]
fn the_checklist_opens_from_the_list_and_the_card_and_esc_goes_back() {
    let mut h = Harness::with(Lang::En, book);
    let carl = id_of(&h, "Carl Holm");
    h.keys("/carl<Enter>m");
    assert_eq!(h.app.pane, Pane::QUALIFICATION);
    let list = h.app.qual.checklist.as_ref().unwrap();
    assert_eq!(list.customer.id, carl);
    // The first unknown (authority) is focused: it is the next question.
    assert_eq!(list.focus, Criterion::Authority);
    h.keys("<Esc>");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    h.keys("<Enter>");
    let card = h.app.customers.card.as_ref().unwrap();
    let ask = &card.sections[0].lines[1];
    assert!(
        ask.alert && ask.text.starts_with("Ask on next call: who decides?"),
        "{ask:?}"
    );
    h.keys("m");
    assert_eq!(h.app.qual.checklist.as_ref().map(|c| c.customer.id), Some(carl));
    // Next prospect on the board, then back to the card's pane.
    h.keys("]");
    assert_ne!(h.app.qual.checklist.as_ref().map(|c| c.customer.id), Some(carl));
    h.keys("<Esc>");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    assert!(h.app.customers.card.is_some());
}

#[test]
fn a_note_over_the_limit_is_refused_in_the_users_language_and_the_draft_stays() {
    for (lang, expect) in [(Lang::En, "at most 500"), (Lang::Zh, "500")] {
        let mut h = Harness::with(lang, book);
        let carl = id_of(&h, "Carl Holm");
        let before = h.store.qualification_history(carl).unwrap();
        let long = "预".repeat(501);
        h.keys(&format!("2/carl<Enter><Enter><Enter><Tab>{long}<C-s>"));
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("form closed: {:?}", h.app.message)
        };
        let err = form.fields[1].error.as_deref().unwrap();
        assert!(err.contains(expect), "{err}");
        assert_eq!(form.fields[1].value().chars().count(), 501, "the draft stays");
        assert_eq!(h.store.qualification_history(carl).unwrap(), before);
        // Shortened, it saves; CJK counts as one character each.
        h.keys("<BS><C-s>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
        assert_eq!(h.store.qualification(carl).unwrap().authority.note.chars().count(), 500);
    }
}

#[test]
fn a_status_the_verdict_argues_against_asks_first_and_keeps_the_reason() {
    let mut h = Harness::with(Lang::En, book);
    let bo = id_of(&h, "Bo Lind");
    assert_eq!(
        verdict(&h.store.qualification(bo).unwrap().man()).verdict,
        Verdict::NonCustomer
    );
    // On the list: status form, potential → target, with a reason.
    h.keys("/bo lind<Enter>s<Right><Tab>Got new funding<C-s>");
    assert!(
        matches!(h.app.overlay, Some(Overlay::Confirm(Confirm::Qual(_)))),
        "{:?}",
        h.app.overlay
    );
    assert_eq!(h.store.customer(bo).unwrap().status, Status::Potential);
    // "No" brings the form back with everything typed.
    h.keys("n");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form lost")
    };
    assert_eq!(form.fields[1].value(), "Got new funding");
    assert_eq!(h.store.status_history(bo).unwrap().len(), 1);
    // Saved again and confirmed: the change and why are kept.
    h.keys("<C-s>y");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    assert_eq!(h.store.customer(bo).unwrap().status, Status::Target);
    let last = h.store.status_history(bo).unwrap().pop().unwrap();
    assert_eq!(last.to, Status::Target);
    assert_eq!(
        last.reason,
        "Got new funding (confirmed against the MAN verdict: Non-customer)"
    );
    // A status the verdict does not argue against is saved at once.
    let anna = id_of(&h, "Anna Berg");
    h.keys("<Esc>/anna<Enter>s<Right><Right><Tab>Signed<C-s>");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.store.customer(anna).unwrap().status, Status::Loyal);
    assert_eq!(h.store.status_history(anna).unwrap().pop().unwrap().reason, "Signed");
    // Dropping a qualified prospect through the edit form asks too.
    h.keys("e");
    for _ in 0..9 {
        h.keys("<Tab>");
    }
    h.keys("<Right><Right><C-s>");
    // A changed status says why, in the edit form too.
    assert!(
        matches!(h.app.overlay, Some(Overlay::Form(_))),
        "saved without a reason"
    );
    h.keys("Budget cut<C-s>");
    assert!(matches!(h.app.overlay, Some(Overlay::Confirm(Confirm::Qual(_)))));
    h.keys("<C-c>");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))), "Ctrl-C answers no");
}

#[test]
fn m_a_n_offers_non_customer_and_never_marks_it_alone() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::with(lang, book);
        let bo = id_of(&h, "Bo Lind");
        let zhao = id_of(&h, "赵敏");
        // 赵敏 is m A n: toggling authority to no makes m a n.
        h.keys("2/zm<Enter><Enter>aa");
        assert_eq!(h.store.qualification(zhao).unwrap().man().combo_code(), "m?n");
        h.keys("aa");
        assert_eq!(h.store.qualification(zhao).unwrap().man().combo_code(), "man");
        let msg = h.app.message.as_ref().unwrap().0.clone();
        assert!(msg.contains('x'), "{msg}");
        assert_eq!(
            h.store.customer(zhao).unwrap().status,
            Status::Potential,
            "never automatic"
        );
        // x asks; n leaves everything as it was.
        h.keys("x");
        if tag == "en" {
            snap("qual_offer_non_customer_en", &mut h);
        }
        h.keys("n");
        assert_eq!(h.store.customer(zhao).unwrap().status, Status::Potential);
        h.keys("xy");
        assert_eq!(h.store.customer(zhao).unwrap().status, Status::NonCustomer);
        let last = h.store.status_history(zhao).unwrap().pop().unwrap();
        assert!(last.reason.contains("m a n"), "{}", last.reason);
        // No longer a prospect: the board drops the customer.
        assert!(!h.app.qual.board.contains(zhao));
        // x on a customer that is not m a n explains instead.
        h.keys("<Esc><Esc>/anna<Enter><Enter>x");
        assert!(h.app.overlay.is_none());
        assert!(h.app.message.as_ref().unwrap().0.contains("m a n"));
        assert_eq!(h.store.customer(bo).unwrap().status, Status::Potential);
    }
}

#[test]
fn help_lists_the_panes_keys() {
    let mut h = Harness::with(Lang::Zh, book);
    h.keys("2?");
    let screen = h.screen(120, 300);
    for b in rapport::app::qualification::KEYS {
        let desc = rapport::i18n::t(Lang::Zh, b.desc);
        assert!(screen.contains(desc), "help misses {desc}");
    }
}

#[test]
fn hostile_notes_never_reach_a_cell() {
    let mut h = Harness::with(Lang::En, book);
    let carl = id_of(&h, "Carl Holm");
    h.keys("2/carl<Enter><Enter><Enter><Tab><C-u>");
    h.app.type_text("ok\x1b]0;pwned\x07\u{202E}evil\u{9b}2J");
    h.keys("<C-s>d");
    h.app.type_text("Boss\x1b[31m");
    h.keys("<C-s>");
    assert_eq!(
        h.store.qualification(carl).unwrap().authority.note,
        "ok\x1b]0;pwned\x07\u{202E}evil\u{9b}2J"
    );
    h.assert_no_control_cells(80, 24);
    h.assert_no_control_cells(120, 40);
    h.keys("<Esc>");
    h.assert_no_control_cells(120, 40);
}

#[test]
fn find_json_carries_man_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let mut store = Store::open(&db).unwrap();
        book(&mut store);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(&db)
        .args(["--config", "/nonexistent/config.toml", "--now", "2026-11-23 09:00"])
        .args(["find", "--json", "wf"])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = &hits[0];
    assert_eq!(top["name"], "王芳");
    assert_eq!(
        top["man"],
        serde_json::json!({"money": "yes", "authority": "no", "need": "yes"})
    );
    assert_eq!(top["verdict"], "contactable");
    // The text card shows the verdict, who to find and the evidence.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(&db)
        .args(["--config", "/nonexistent/config.toml", "--now", "2026-11-23 09:00"])
        .args(["--lang", "zh", "find", "carl"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("MAN 评估"), "{text}");
    assert!(text.contains("M ? ? · 尚未判定"), "{text}");
    assert!(text.contains("下次通话要问：谁说了算？"), "{text}");
}

#[test]
fn the_history_offers_pgup_only_when_older_changes_are_out_of_sight() {
    let mut h = Harness::with(Lang::En, book);
    h.keys("2/zw<Enter><Enter>m");
    let screen = h.screen(80, 24);
    assert!(screen.contains("History  1 change"), "{screen}");
    assert!(!screen.contains("PgUp"), "{screen}");
    // A dozen answers in turn (presses in a row on one criterion make one
    // change): more changes than the 80×24 screen holds.
    h.keys("anmanmanmanm");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("History  13 changes · PgUp reads further back"),
        "{screen}"
    );
    let screen = h.screen(120, 40);
    assert!(screen.contains("History  13 changes"), "{screen}");
}
