//! Purchases, value figures and the Insights pane through real keys: the
//! pane's snapshots, the R×F grid's lists, accepting grade suggestions,
//! purchases on the card, valuable customers at risk on the agenda; then
//! the database checked.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::{Harness, now};
use rapport::app::{Overlay, Pane};
use rapport::domain::agenda::{Reason, Section};
use rapport::domain::customer::{ContactDates, Customer, Grade, Status};
use rapport::domain::value::{Purchase, Segment};
use rapport::i18n::Lang;
use rapport::storage::Store;

fn today() -> NaiveDate {
    now().date()
}

fn days_ago(n: i64) -> NaiveDateTime {
    now() - Duration::days(n)
}

fn customer(store: &mut Store, name: &str, grade: Grade, contacted: Option<i64>) -> i64 {
    let mut c = Customer::new(name, days_ago(700));
    c.grade = grade;
    c.status = Status::Active;
    if let Some(n) = contacted {
        c.contact = ContactDates {
            last_contact: Some(days_ago(n)),
            last_call: Some(days_ago(n).date()),
            last_visit: Some(days_ago(n).date()),
        };
    }
    store.insert_customer(&c).unwrap()
}

fn buy(store: &mut Store, id: i64, ago: i64, yuan: i64) {
    store
        .add_purchase(&Purchase {
            id: 0,
            customer_id: id,
            date: today() - Duration::days(ago),
            product: "纸箱".into(),
            quantity: 1,
            amount: yuan * 100,
            note: String::new(),
        })
        .unwrap();
}

/// Fewer than 20 buyers, so the config thresholds score them:
/// Big Buyer (grade C) brings most revenue; Kate Keep (grade A) bought 13
/// times but not for 200 days (R 2, F 5: can't lose them) and is not
/// downgraded; Small Sam (grade A) bought little; Paula Prospect never
/// bought; Chen Churn was not contacted for 70 days.
fn fixed_book(store: &mut Store) -> [i64; 5] {
    let big = customer(store, "Big Buyer", Grade::C, Some(10));
    for k in 0..6 {
        buy(store, big, 5 + k * 30, 50_000);
    }
    let keep = customer(store, "Kate Keep", Grade::A, Some(60));
    for k in 0..13 {
        buy(store, keep, 200 + k * 10, 100);
    }
    let small = customer(store, "Small Sam", Grade::A, Some(3));
    buy(store, small, 20, 50);
    let mut p = Customer::new("Paula Prospect", days_ago(100));
    p.grade = Grade::B;
    p.status = Status::Potential;
    let prospect = store.insert_customer(&p).unwrap();
    let churn = customer(store, "Chen Churn", Grade::A, Some(70));
    [big, keep, small, prospect, churn]
}

fn fixed(lang: Lang) -> (Harness, [i64; 5]) {
    let mut ids = [0; 5];
    let h = Harness::with(lang, |s| ids = fixed_book(s));
    (h, ids)
}

fn snap(name: &str, h: &mut Harness) {
    for (w, hh) in [(80, 24), (120, 40)] {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), screen);
    }
}

#[test]
fn insights_pane_snapshots_in_both_languages() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::demo(lang, 300);
        h.keys("5");
        assert_eq!(h.app.pane, Pane::INSIGHTS);
        snap(&format!("insights_demo_{tag}"), &mut h);
        let (mut h, _) = fixed(lang);
        h.keys("5");
        snap(&format!("insights_fixed_{tag}"), &mut h);
    }
}

#[test]
fn the_headline_and_grid_show_the_analysis() {
    let (mut h, _) = fixed(Lang::En);
    h.keys("5");
    let screen = h.screen(80, 24);
    // Big Buyer brings 300,000 of 301,350: the top 20% (one buyer) bring 99.5%.
    assert!(screen.contains("Top 20% of buyers (1) bring 99.5%"), "{screen}");
    assert!(screen.contains("3 buyers"), "{screen}");
    let view = h.app.insights.view.clone().unwrap();
    assert_eq!(view.buyers, 3);
    // Every buyer is counted once in the grid.
    assert_eq!(h.app.insights.derived.grid.iter().flatten().sum::<usize>(), 3);
}

#[test]
fn enter_on_a_cell_lists_its_customers_and_opens_their_card() {
    let (mut h, [_, keep, ..]) = fixed(Lang::En);
    h.keys("5");
    // Kate Keep: R 2, F 5 → row R2 (fourth from the top), column F5.
    h.keys("jjjlllll");
    assert_eq!(h.app.insights.cell, (3, 4));
    h.keys("<Enter>");
    let list = h.app.insights.list.as_ref().expect("the cell's list");
    assert_eq!(list.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![keep]);
    let screen = h.screen(80, 24);
    assert!(screen.contains("R 2 × F 5") && screen.contains("Kate Keep"), "{screen}");
    assert!(screen.contains("Can't lose them"), "{screen}");
    h.keys("<Enter>");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    assert_eq!(h.app.customers.card.as_ref().unwrap().customer.id, keep);
    // An empty cell says so and opens nothing.
    h.keys("5<Esc>");
    h.keys("jhhhhh<Enter>");
    assert_eq!(h.app.insights.cell, (4, 0));
    assert!(h.app.insights.list.is_none());
}

#[test]
fn a_segment_lists_its_customers() {
    let (mut h, [big, ..]) = fixed(Lang::En);
    h.keys("5f");
    let champions = h.app.insights.derived.segments[0];
    assert_eq!(champions.segment, Segment::Champions);
    h.keys("<Enter>");
    let list = h.app.insights.list.as_ref().unwrap();
    assert_eq!(list.rows.len(), champions.count);
    assert!(list.rows.iter().any(|r| r.id == big));
    h.keys("<Esc>");
    assert!(h.app.insights.list.is_none());
}

#[test]
fn accepting_suggestions_changes_grades_keeps_history_and_moves_due_dates() {
    let (mut h, [big, keep, small, prospect, _]) = fixed(Lang::En);
    h.keys("5");
    let sugg: Vec<(i64, Grade, Grade)> = h
        .app
        .insights
        .derived
        .suggestions
        .iter()
        .map(|s| (s.id, s.from, s.to))
        .collect();
    // Big Buyer C → A first (largest), Small Sam A → B (class B: after 99.5%…
    // no: before him 99.5% ≥ 95% → C), the prospect B → D, Chen Churn A → D.
    assert_eq!(sugg[0], (big, Grade::C, Grade::A));
    assert!(sugg.contains(&(small, Grade::A, Grade::C)), "{sugg:?}");
    assert!(sugg.contains(&(prospect, Grade::B, Grade::D)), "{sugg:?}");
    // Kate Keep is at risk: never suggested a lower grade.
    assert!(!sugg.iter().any(|s| s.0 == keep), "{sugg:?}");
    let due_before = h.store.next_due_on(big).unwrap();
    // Nothing changes without the key.
    assert_eq!(h.store.customer(big).unwrap().grade, Grade::C);
    h.keys("ff");
    h.keys("a");
    assert_eq!(h.store.customer(big).unwrap().grade, Grade::A);
    assert_ne!(h.store.next_due_on(big).unwrap(), due_before);
    let hist = h.store.grade_history(big).unwrap();
    assert_eq!((hist[0].from, hist[0].to), (Grade::C, Grade::A));
    // The reason is kept as data, not as an English sentence.
    assert_eq!(
        hist[0].reason,
        rapport::domain::value::GradeReason::Class(rapport::domain::value::Abc::A)
    );
    // The list follows: Big Buyer's suggestion is gone.
    assert!(!h.app.insights.derived.suggestions.iter().any(|s| s.id == big));
    // Mark two with Space, accept them together.
    h.keys("  a");
    let left = h.app.insights.derived.suggestions.len();
    assert_eq!(left, sugg.len() - 3, "{:?}", h.app.insights.derived.suggestions);
    // All the rest: asks first; "n" changes nothing, "y" all.
    h.keys("A");
    assert!(matches!(h.app.overlay, Some(Overlay::Confirm(_))));
    h.keys("n");
    assert_eq!(h.app.insights.derived.suggestions.len(), left);
    h.keys("Ay");
    assert!(h.app.insights.derived.suggestions.is_empty());
    assert_eq!(h.store.customer(prospect).unwrap().grade, Grade::D);
    assert_eq!(h.store.customer(keep).unwrap().grade, Grade::A);
    // The card shows the history.
    h.app.open_card(&h.store, big);
    h.app.pane = Pane::CUSTOMERS;
    let screen = h.screen(120, 40);
    assert!(screen.contains("grade C → A"), "{screen}");
    assert!(screen.contains("class A: among the buyers"), "{screen}");
    // Accepted in English, read in Chinese: the reason is in Chinese.
    h.app.lang = Lang::Zh;
    h.app.open_card(&h.store, big);
    let screen = h.screen(120, 40);
    assert!(screen.contains("A 类：位于前 80% 收入的买家"), "{screen}");
    assert!(!screen.contains("class A"), "{screen}");
}

#[test]
fn the_period_key_cycles_the_window() {
    let (mut h, _) = fixed(Lang::En);
    h.keys("5");
    assert_eq!(h.app.insights.window(), Some(365));
    h.keys("t");
    assert_eq!(h.app.insights.window(), None);
    assert!(h.screen(80, 24).contains("Insights — all time"));
    h.keys("t");
    assert_eq!(h.app.insights.window(), Some(90));
    // Kate Keep's purchases all lie 200+ days back: no buyer in 90 days.
    let view = h.app.insights.view.clone().unwrap();
    assert_eq!(view.buyers, 2);
    h.keys("tt");
    assert_eq!(h.app.insights.window(), Some(365));
}

#[test]
fn purchases_are_added_edited_and_deleted_from_the_card() {
    let (mut h, [.., prospect, _]) = fixed(Lang::En);
    h.app.open_card(&h.store, prospect);
    assert!(h.screen(80, 24).contains("No purchases yet"));
    // A bad amount keeps the form and says why.
    h.keys("b");
    h.keys("abc<C-s>");
    match &h.app.overlay {
        Some(Overlay::Form(f)) => assert!(f.fields.iter().any(|f| f.error.is_some())),
        other => panic!("form should stay open: {other:?}"),
    }
    assert!(h.screen(80, 24).contains("not an amount"));
    h.keys("<C-u>¥1,234.5<Tab>样品<Tab>3<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    let mut all = Vec::new();
    h.store.for_each_purchase(Some(prospect), |p| all.push(p)).unwrap();
    assert_eq!(
        (all.len(), all[0].amount, all[0].quantity, all[0].date),
        (1, 123_450, 3, today())
    );
    let screen = h.screen(80, 24);
    assert!(screen.contains("¥1,234.50"), "{screen}");
    // A future date is refused.
    h.keys("b<BackTab><C-u>tomorrow<Tab>5<C-s>");
    assert!(h.screen(80, 24).contains("in the future"));
    h.keys("<Esc>y");
    // The list: edit the amount, then delete.
    h.keys("p");
    let screen = h.screen(80, 24);
    assert!(screen.contains("Purchases — Paula Prospect"), "{screen}");
    // Every column's header whole.
    let head = screen.lines().find(|l| l.contains("Product")).unwrap_or_default();
    assert!(head.contains("Quantity") && head.contains("Amount"), "{screen}");
    h.keys("<Enter><Tab><C-u>99<C-s>");
    let mut all = Vec::new();
    h.store.for_each_purchase(Some(prospect), |p| all.push(p)).unwrap();
    assert_eq!(all[0].amount, 9_900);
    h.keys("xn");
    assert_eq!(h.store.purchase_count().unwrap(), 21);
    h.keys("xy");
    assert_eq!(h.store.purchase_count().unwrap(), 20);
    h.keys("<Esc>");
    assert!(h.app.insights.purchases.is_none());
    assert!(h.app.customers.card.is_some());
}

#[test]
fn valuable_customers_at_risk_lead_the_churn_section_with_the_reason() {
    let (mut h, [_, keep, _, _, churn]) = fixed(Lang::En);
    h.keys("4");
    let items: Vec<_> = h
        .app
        .agenda
        .agenda
        .items
        .iter()
        .filter(|i| i.section() == Section::Churn)
        .collect();
    assert_eq!(items[0].customer_id, keep, "{items:?}");
    assert!(matches!(items[0].reason, Reason::ValueAtRisk { recency_days: 200, .. }));
    assert!(items.iter().any(|i| i.customer_id == churn));
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("Kate Keep") && screen.contains("Can't lose them: last purchase 200 days ago, ¥1,300"),
        "{screen}"
    );
    // Done: a call is logged, and a contact within 30 days takes it off.
    let pos = h
        .app
        .agenda
        .agenda
        .items
        .iter()
        .position(|i| i.customer_id == keep)
        .unwrap();
    h.app.agenda.cursor = pos;
    h.keys("d<C-s>");
    assert!(!h.app.agenda.agenda.items.iter().any(|i| i.customer_id == keep));
    let (mut zh, _) = fixed(Lang::Zh);
    zh.keys("4");
    assert!(zh.screen(120, 40).contains("不能失去：上次购买 200 天前"));
}

/// A purchase form open when a signal arrives comes back from its draft.
#[test]
fn a_purchase_form_comes_back_from_its_draft() {
    use rapport::app::{Confirm, draft::Draft};
    let (mut h, [big, ..]) = fixed(Lang::Zh);
    let db = h.store.path().to_path_buf();
    h.app.open_card(&h.store, big);
    for keys in ["b1,234.5<Tab>样品", "p<Enter><Tab><C-u>88"] {
        h.keys(keys);
        let Some(Overlay::Form(open)) = h.app.overlay.clone() else {
            panic!("{keys}: no form open")
        };
        h.app.draft().unwrap().save(&db).unwrap();
        h.app.overlay = None;
        h.app.offer_draft(&h.store);
        let Some(Overlay::Confirm(Confirm::RestoreDraft(back))) = h.app.overlay.clone() else {
            panic!("{keys}: not offered")
        };
        Draft::discard(&db);
        assert_eq!(back.kind, open.kind);
        let values = |f: &rapport::app::form::Form| f.fields.iter().map(|x| x.value().to_string()).collect::<Vec<_>>();
        assert_eq!(values(&back), values(&open));
        h.keys("y<C-s>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    }
    let mut all = Vec::new();
    h.store.for_each_purchase(Some(big), |p| all.push(p.amount)).unwrap();
    // The new purchase (¥1,234.50), then edited to ¥88 from the list.
    assert_eq!(all.iter().filter(|a| **a == 8_800).count(), 1, "{all:?}");
}

/// In a book whose analysis runs in the background, the Agenda pane lists
/// the valuable customers at risk at once from the list the book keeps,
/// the same as the analysis gives once it is ready.
#[test]
fn the_agenda_lists_the_kept_valuable_customers_before_the_analysis_is_ready() {
    let n = rapport::app::insights::SYNC_LIMIT + 200;
    let mut h = Harness::with(Lang::En, |s| {
        rapport::demo::generate(s, n, 3, now()).unwrap();
        let kept = s
            .value_risks_from(today(), &rapport::domain::value::ValueConfig::default(), 1)
            .unwrap();
        assert!(!kept.kept && !kept.risks.is_empty());
    });
    let valuable = |h: &Harness| -> Vec<i64> {
        h.app
            .agenda
            .agenda
            .items
            .iter()
            .filter(|i| matches!(i.reason, Reason::ValueAtRisk { .. }))
            .map(|i| i.customer_id)
            .collect()
    };
    rapport::app::agenda::load(&mut h.app, &h.store, today());
    assert!(h.app.insights.base.is_none(), "the analysis is still running");
    let early = valuable(&h);
    assert!(!early.is_empty(), "the kept list is shown");
    assert!(rapport::app::insights::wait(&mut h.app));
    assert!(h.app.insights.base.is_some());
    rapport::app::agenda::load(&mut h.app, &h.store, today());
    assert_eq!(valuable(&h), early);
}

/// The app's own analysis (on its worker, in a book of this size) keeps
/// its list for the next `rapport agenda` in a book that keeps one.
#[test]
fn the_apps_analysis_keeps_its_list_for_the_command_line() {
    let n = rapport::app::insights::SYNC_LIMIT + 200;
    let cfg = rapport::domain::value::ValueConfig::default();
    let mut h = Harness::with(Lang::En, |s| {
        rapport::demo::generate(s, n, 3, now()).unwrap();
        assert!(!s.value_risks_from(today(), &cfg, 1).unwrap().kept);
        // A purchase since: the kept list no longer holds.
        buy(s, 1, 0, 100);
        assert!(s.kept_value_risks(today(), &cfg).unwrap().is_none());
    });
    rapport::app::agenda::load(&mut h.app, &h.store, today());
    assert!(rapport::app::insights::wait(&mut h.app));
    let kept = h
        .store
        .kept_value_risks(today(), &cfg)
        .unwrap()
        .expect("kept by the app");
    assert_eq!(kept.risks, h.app.insights.base.as_ref().unwrap().risks());
}

#[test]
fn suggested_grades_use_the_room_and_tell_namesakes_apart() {
    let mut h = Harness::with(Lang::En, |s| {
        common::person(s, "张伟", "北京华联商厦", "北京", "", Grade::C);
        common::person(s, "张伟", "上海重工机械有限公司", "上海", "", Grade::C);
        common::person(s, "Amelia Lopez-Whitfield", "Westbrook", "Rotterdam", "", Grade::C);
    });
    h.keys("5");
    let screen = h.screen(120, 40);
    assert!(screen.contains("张伟 · 北京华联商厦"), "{screen}");
    assert!(screen.contains("张伟 · 上海重工机械有限公司"), "{screen}");
    assert!(screen.contains("Amelia Lopez-Whitfield "), "{screen}");
}
