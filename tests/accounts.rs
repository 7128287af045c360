//! Accounts: the account view through real keys (snapshots at 80×24 and
//! 120×40, English and Chinese), roles, the company form, a person who
//! leaves, coverage warnings on the agenda, `rapport company`, import of
//! company and role columns, and the JSON round trip; the database is
//! checked after every step.

mod accounts_book;
mod common;

use accounts_book::{book, harness, id_of, open_account};
use chrono::Duration;
use common::{Harness, now, rapport_cmd};
use rapport::domain::account::{BusinessStatus, Role, Roles, Size};
use rapport::i18n::Lang;
use rapport::storage::Store;

#[test]
fn the_account_view_from_the_card_and_the_list() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = harness(lang);
        open_account(&mut h, "王强");
        let v = h.app.accounts.view.as_ref().unwrap();
        assert_eq!(v.company.name, "华信科技");
        assert_eq!(v.people.len(), 3);
        // The cursor starts on the person the card was about.
        assert_eq!(v.people[h.app.accounts.cursor].name, "王强");
        let ids: Vec<&str> = v.warnings.iter().map(|w| w.id()).collect();
        assert_eq!(ids, vec!["decision_maker_quiet"]);
        let code = match lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        };
        for (w, hh) in [(80u16, 24u16), (120, 40)] {
            let screen = h.screen(w, hh);
            insta::assert_snapshot!(format!("account_{code}_{w}x{hh}"), screen);
        }
        // Esc goes back to the card, Esc again to the list; A from the list.
        h.keys("<Esc>");
        assert!(h.app.accounts.view.is_none() && h.app.customers.card.is_some());
        h.keys("<Esc>");
        assert!(h.app.customers.card.is_none());
        h.keys("A");
        assert_eq!(h.app.accounts.view.as_ref().unwrap().company.name, "华信科技");
    }
}

#[test]
fn a_key_account_with_one_contact_and_no_decision_maker() {
    let mut h = harness(Lang::En);
    open_account(&mut h, "Anna Berg");
    let screen = h.screen(80, 24);
    assert!(screen.contains("no decision maker known"), "{screen}");
    assert!(screen.contains("key account with a single contact"), "{screen}");
    insta::assert_snapshot!("account_single_en_80x24", screen);
}

#[test]
fn roles_set_from_the_account_view_are_stored_and_bad_ones_refused() {
    let mut h = harness(Lang::En);
    open_account(&mut h, "Anna Berg");
    let anna = id_of(&h, "Anna Berg");
    h.keys("r<C-u>boss<C-s>");
    // Refused with the reason next to the field; nothing written.
    assert!(matches!(h.app.overlay, Some(rapport::app::Overlay::Form(_))));
    assert!(h.screen(80, 24).contains("unknown role \"boss\""));
    assert!(h.store.customer(anna).unwrap().roles.is_empty());
    h.keys("<C-u>decision maker, payer<C-s>");
    assert!(h.app.overlay.is_none());
    assert_eq!(
        h.store.customer(anna).unwrap().roles,
        Roles::of(&[Role::DecisionMaker, Role::Payer])
    );
    // The warning is gone; the single contact remains.
    let v = h.app.accounts.view.as_ref().unwrap();
    let ids: Vec<&str> = v.warnings.iter().map(|w| w.id()).collect();
    assert_eq!(ids, vec!["single_contact"]);
    // Chinese names work too.
    h.keys("r<C-u>拍板人、把关人<C-s>");
    assert_eq!(
        h.store.customer(anna).unwrap().roles,
        Roles::of(&[Role::DecisionMaker, Role::Gatekeeper])
    );
}

#[test]
fn the_company_is_edited_from_the_account_view() {
    let mut h = harness(Lang::Zh);
    open_account(&mut h, "李娜");
    // Name, industry, size (a choice: → picks the next band), city ...
    h.keys(
        "e<Tab>软件<Tab><Right><Right><Right><Tab>上海<Tab>浦东新区世纪大道100号<Tab>huaxin.example<Tab><Right><C-s>",
    );
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    let id = h.store.company_id_of(id_of(&h, "李娜")).unwrap().unwrap();
    let c = h.store.company(id).unwrap().unwrap().company;
    assert_eq!(c.industry, "软件");
    assert_eq!(c.size, Some(Size::Medium));
    assert_eq!(c.city, "上海");
    assert_eq!(c.website, "huaxin.example");
    assert_eq!(c.business, BusinessStatus::Expanding);
    assert!(h.screen(120, 40).contains("行业：软件"));
    // Another company's name is refused, the draft kept.
    h.keys("e<C-u>Acme Ltd<C-s>");
    assert!(h.screen(80, 24).contains("已有同名单位"));
    assert_eq!(h.store.company(id).unwrap().unwrap().company.name, "华信科技");
    // An empty name is refused too.
    h.keys("<C-u><C-s>");
    assert!(h.screen(80, 24).contains("单位名称不能为空"));
}

#[test]
fn a_decision_maker_leaves_and_the_successor_rebuilds_the_relationship() {
    let mut h = harness(Lang::En);
    open_account(&mut h, "李娜");
    let (li, wang) = (id_of(&h, "李娜"), id_of(&h, "王强"));
    h.keys("<Up><Up><Up>");
    assert_eq!(h.app.accounts.selected(), Some(li));
    h.keys("L");
    // A future date is refused with the reason.
    h.keys("<C-u>2027-01-05<C-s>");
    assert!(h.screen(80, 24).contains("a departure is recorded once it happened"));
    // Left yesterday for Acme Ltd; 王强 takes over.
    h.keys("<C-u>2026-11-22<Tab>Northwind<Tab>retired early<Tab><C-u>王强<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    // Roles moved, the leaver marked, the successor's agenda item within 7 days.
    assert!(h.store.customer(li).unwrap().roles.is_empty());
    assert_eq!(
        h.store.customer(wang).unwrap().roles,
        Roles::of(&[Role::DecisionMaker, Role::User])
    );
    let d = h.store.departure(li).unwrap().unwrap();
    assert_eq!(
        (d.on.to_string(), d.to.as_str(), d.successor_id),
        ("2026-11-22".into(), "Northwind", Some(wang))
    );
    assert_eq!(h.store.next_due_on(li).unwrap(), None);
    let f = h.store.open_follow_ups(wang).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].due_on.to_string(), "2026-11-29");
    assert!(f[0].note.contains("李娜"));
    let screen = h.screen(120, 40);
    insta::assert_snapshot!("account_after_leave_en_120x40", screen);
    // Both cards show the history; the successor's card names no one else.
    h.keys("<Enter>");
    assert_eq!(h.app.customers.card.as_ref().unwrap().customer.id, li);
    let card = h.screen(120, 40);
    assert!(card.contains("Left the company 2026-11-22 → Northwind"), "{card}");
    h.keys("<Esc>");
    assert!(h.app.accounts.view.is_some(), "back to the account");
    // The account lists the people still there first: 王强 is on top.
    h.keys("<Up><Up>");
    assert_eq!(h.app.accounts.selected(), Some(wang));
    h.keys("<Enter>");
    let card = h.screen(120, 40);
    assert!(card.contains("李娜 left → Northwind"), "{card}");
    // The agenda shows the rebuild call on its day, and the leaver no more.
    h.keys("<Esc><Esc><Esc>4");
    let agenda = h
        .store
        .agenda(now().date() + Duration::days(6), now().date(), &[], 50)
        .unwrap();
    assert!(agenda.items.iter().any(|i| i.customer_id == wang));
    assert!(agenda.items.iter().all(|i| i.customer_id != li));
    // Marking again says so.
    h.keys("1/<C-u>李娜<Enter><Enter>L");
    assert!(h.app.overlay.is_none());
    assert!(h.screen(80, 24).contains("already marked as left"));
}

#[test]
fn a_new_successor_is_added_and_a_leaver_can_stay_a_contact_elsewhere() {
    let mut h = harness(Lang::Zh);
    open_account(&mut h, "李娜");
    let li = id_of(&h, "李娜");
    h.keys("<Up><Up><Up>L<C-u>2026-11-20<Tab>远大集团<Tab><Tab><C-u>赵敏<Tab><Right><C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    // She stays a contact at 远大集团, without roles; 赵敏 is new at 华信科技.
    let c = h.store.customer(li).unwrap();
    assert_eq!(c.company, "远大集团");
    assert!(c.roles.is_empty());
    let zhao = h
        .store
        .first_page(100)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.name == "赵敏")
        .unwrap();
    assert_eq!(zhao.company, "华信科技");
    assert!(h.store.customer(zhao.id).unwrap().roles.has(Role::DecisionMaker));
    assert_eq!(h.store.open_follow_ups(zhao.id).unwrap().len(), 1);
    // The old account still lists her as gone; the list finds 赵敏.
    let v = h.app.accounts.view.as_ref().unwrap();
    assert!(v.people.iter().any(|m| m.id == li && m.left.is_some()));
    assert!(h.screen(80, 24).contains("离职 → 远大集团"));
}

#[test]
fn roles_on_the_customer_form_and_the_card() {
    let mut h = harness(Lang::En);
    let wang = id_of(&h, "王强");
    h.keys("/王强<Enter><Enter>");
    let card = h.screen(80, 24);
    // The card's top: the roles and who decides at the account.
    assert!(card.contains("Roles: user · Decides here: 李娜"), "{card}");
    h.keys("e<BackTab><C-u>influencer; payer<C-s>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    assert_eq!(
        h.store.customer(wang).unwrap().roles,
        Roles::of(&[Role::Influencer, Role::Payer])
    );
    // A bad role keeps the form with the reason.
    h.keys("e<BackTab><C-u>chef<C-s>");
    assert!(h.screen(80, 24).contains("unknown role \"chef\""));
}

#[test]
fn coverage_warnings_of_key_accounts_are_in_the_agenda_churn_section() {
    let mut h = harness(Lang::En);
    h.keys("4");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("华信科技 (A): decision maker not contacted in 100 days"),
        "{screen}"
    );
    assert!(screen.contains("Acme Ltd (A): no decision maker known"), "{screen}");
    let churn = h.app.agenda.agenda.counts[rapport::domain::agenda::Section::Churn as usize];
    assert!(churn >= 2);
    // Calling the decision maker covers the account again.
    let li = id_of(&h, "李娜");
    h.store
        .log_interaction(li, rapport::domain::interaction::InteractionKind::Call, now(), "")
        .unwrap();
    h.keys("1");
    h.keys("4");
    let screen = h.screen(120, 40);
    assert!(!screen.contains("华信科技 (A)"), "{screen}");
}

#[test]
fn done_on_a_coverage_warning_a_call_cannot_clear_says_how_and_logs_nothing() {
    use rapport::domain::agenda::Reason;
    let mut h = harness(Lang::En);
    h.keys("4");
    let uncovered = |h: &Harness| {
        matches!(
            h.app.agenda.current().map(|i| &i.reason),
            Some(Reason::Coverage {
                warning: "no_decision_maker",
                ..
            })
        )
    };
    for _ in 0..50 {
        if uncovered(&h) {
            break;
        }
        h.keys("j");
    }
    assert!(uncovered(&h), "the cursor reaches Acme Ltd's warning");
    let who = h.app.agenda.current().unwrap().customer_id;
    let before = h.store.recent_interactions(who, 10).unwrap().len();
    h.keys("d");
    assert!(h.app.overlay.is_none(), "no form to log a call");
    let said = h.app.message.as_ref().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.contains("A call does not clear this"), "{said}");
    assert_eq!(h.store.recent_interactions(who, 10).unwrap().len(), before);
}

#[test]
fn the_week_ahead_counts_today_as_the_agenda_does_accounts_at_risk_included() {
    let mut h = harness(Lang::En);
    h.keys("4");
    let today = h.app.agenda.agenda.counts;
    assert!(today[rapport::domain::agenda::Section::Churn as usize] >= 2);
    h.keys("w");
    let week = h.app.agenda.week.clone().expect("the week ahead");
    assert_eq!(week[0].1, today, "today's row is the agenda's own counts");
}

#[test]
fn rapport_company_lists_and_shows_one_account() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let mut store = Store::open(&db).unwrap();
        book(&mut store);
    }
    // By pinyin initials: one match, the account view.
    let out = rapport_cmd(&db).args(["company", "hxkj"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text.starts_with("华信科技\n"), "{text}");
    assert!(text.contains("People (3)"), "{text}");
    assert!(
        text.contains("李娜 (总经理) [decision maker] · A · active · last 100d ago"),
        "{text}"
    );
    assert!(
        text.contains("! decision maker 李娜 not contacted in 90 days (last: 100d ago)"),
        "{text}"
    );
    // Every company: a list.
    let out = rapport_cmd(&db).arg("company").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 companies match"), "{text}");
    // JSON.
    let out = rapport_cmd(&db).args(["company", "acme", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v[0];
    assert_eq!(c["name"], "Acme Ltd");
    assert_eq!(c["business_status"], "normal");
    assert_eq!(c["transaction_status"], "prospect");
    assert_eq!(c["people"][0]["name"], "Anna Berg");
    assert_eq!(c["people"][0]["roles"], serde_json::json!([]));
    assert_eq!(c["people"][0]["left_on"], serde_json::Value::Null);
    let kinds: Vec<&str> = c["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["no_decision_maker", "single_contact"]);
    for key in ["id", "industry", "size", "city"] {
        assert!(c.get(key).is_some(), "{key}");
    }
    // No match: a message and exit 1; Chinese too.
    let out = rapport_cmd(&db)
        .args(["--lang", "zh", "company", "zzzz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("没有匹配的单位"));
}

#[test]
fn import_maps_company_and_role_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "姓名,公司,职务,角色,行业,员工人数\n李娜,华信科技,总经理,拍板人、付款人,软件,120\n王强,华信科技,工程师,user,,\nAnna,Acme,CEO,Decision maker,Retail,1000+\nBad,Acme,,boss,,\n",
    )
    .unwrap();
    let out = rapport_cmd(&db).args(["import"]).arg(&csv).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("role \"boss\" is unknown"), "{text}");
    let store = Store::open(&db).unwrap();
    let rows = store.first_page(10).unwrap().rows;
    let by = |n: &str| store.customer(rows.iter().find(|r| r.name == n).unwrap().id).unwrap();
    assert_eq!(by("李娜").roles, Roles::of(&[Role::DecisionMaker, Role::Payer]));
    assert_eq!(by("王强").roles, Roles::of(&[Role::User]));
    assert_eq!(by("Anna").roles, Roles::of(&[Role::DecisionMaker]));
    assert_eq!(rows.len(), 3, "the bad row is rejected");
    let companies = store.companies().unwrap();
    let hx = companies.iter().find(|c| c.company.name == "华信科技").unwrap();
    assert_eq!(
        (hx.company.industry.as_str(), hx.company.size),
        ("软件", Some(Size::Medium))
    );
    assert_eq!(hx.people, 2);
    let acme = companies.iter().find(|c| c.company.name == "Acme").unwrap();
    assert_eq!(
        (acme.company.industry.as_str(), acme.company.size),
        ("Retail", Some(Size::Enterprise))
    );
}

#[test]
fn the_json_export_carries_companies_roles_and_personnel_changes() {
    let dir = tempfile::tempdir().unwrap();
    let a_db = dir.path().join("a.db");
    {
        let mut a = Store::open(&a_db).unwrap();
        book(&mut a);
        let li = a
            .first_page(10)
            .unwrap()
            .rows
            .into_iter()
            .find(|r| r.name == "李娜")
            .unwrap()
            .id;
        let wang = a
            .first_page(10)
            .unwrap()
            .rows
            .into_iter()
            .find(|r| r.name == "王强")
            .unwrap()
            .id;
        let cid = a.company_id_of(li).unwrap().unwrap();
        let mut co = a.company(cid).unwrap().unwrap().company;
        co.industry = "软件".into();
        co.size = Some(Size::Large);
        co.business = BusinessStatus::InDifficulty;
        assert!(a.save_company(&co, now()).unwrap());
        a.mark_left(
            &rapport::storage::Leaving {
                person_id: li,
                on: now().date(),
                to: "Northwind".into(),
                note: String::new(),
                successor: rapport::storage::Successor::Existing(wang),
                stay_contact: false,
                rebuild_on: now().date() + Duration::days(7),
                rebuild_note: "rebuild".into(),
            },
            now(),
        )
        .unwrap();
    }
    let json = dir.path().join("book.json");
    let out = rapport_cmd(&a_db)
        .args(["export", "--format", "json", "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let b_db = dir.path().join("b.db");
    let out = rapport_cmd(&b_db).arg("import").arg(&json).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let a = Store::open(&a_db).unwrap();
    let b = Store::open(&b_db).unwrap();
    assert_eq!(a.companies().unwrap(), b.companies().unwrap());
    assert_eq!(a.all_personnel_changes().unwrap(), b.all_personnel_changes().unwrap());
    assert_eq!(b.all_personnel_changes().unwrap().len(), 1);
    for id in 1..=4 {
        assert_eq!(a.customer(id).unwrap().roles, b.customer(id).unwrap().roles);
        assert_eq!(a.departure(id).unwrap(), b.departure(id).unwrap());
    }
    let hx = b
        .companies()
        .unwrap()
        .into_iter()
        .find(|c| c.company.name == "华信科技")
        .unwrap();
    assert_eq!(hx.company.business, BusinessStatus::InDifficulty);
    assert_eq!(hx.people, 2);
}

#[test]
fn the_demo_book_has_accounts_with_roles_changes_and_gaps() {
    let h = Harness::demo(Lang::En, 120);
    let changes = h.store.all_personnel_changes().unwrap();
    assert!(changes.len() >= 2, "{changes:?}");
    assert!(changes.iter().all(|c| c.successor_id.is_some()));
    let teams: Vec<_> = h
        .store
        .companies()
        .unwrap()
        .into_iter()
        .filter(|c| c.people >= 3)
        .collect();
    assert!(teams.len() >= 3);
    let mut gaps = 0;
    for c in h.store.companies().unwrap() {
        let people = h.store.members(c.company.id).unwrap();
        let roles: Vec<Roles> = people.iter().map(|m| m.roles).collect();
        if people.len() >= 3 {
            assert!(
                roles.iter().filter(|r| !r.is_empty()).count() >= 2,
                "{}",
                c.company.name
            );
        }
        gaps += rapport::domain::account::coverage(&people, now().date(), 90).len();
        assert!(!c.company.industry.is_empty());
        // A company is in a city: where its first person with one is.
        let cities: Vec<String> = people.iter().map(|m| h.store.customer(m.id).unwrap().city).collect();
        if let Some(city) = cities.iter().find(|c| !c.is_empty()) {
            assert!(cities.contains(&c.company.city), "{} in {city}", c.company.name);
        }
    }
    assert!(gaps > 0);
}
