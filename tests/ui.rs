//! UI tests: real key events through the real keymap into the app over a
//! temporary database with a fixed date, rendered to `TestBackend`,
//! compared with snapshots, then the database checked.

mod common;

use common::Harness;
use rapport::app::{Overlay, Pane};
use rapport::domain::customer::Status;
use rapport::domain::interaction::InteractionKind;
use rapport::i18n::Lang;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, h: &mut Harness) {
    for (w, hh) in SIZES {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), screen);
    }
}

#[test]
fn welcome_screen_on_an_empty_book() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::empty(lang);
        // The temporary path changes every run; show a typical one.
        h.app.db_path = "/home/rep/.local/share/rapport/rapport.db".into();
        snap(&format!("welcome_{tag}"), &mut h);
    }
}

#[test]
fn customer_list_in_both_languages() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::demo(lang, 60);
        snap(&format!("list_{tag}"), &mut h);
    }
}

fn add_customer(h: &mut Harness, name: &str, company: &str) {
    h.keys(&format!("a{name}<Tab>{company}<C-s>"));
    assert!(h.app.overlay.is_none(), "form still open: {:?}", h.app.message);
}

#[test]
fn pinyin_search_finds_chinese_names() {
    let mut h = Harness::demo(Lang::En, 60);
    add_customer(&mut h, "张伟", "北京华联");
    h.keys("<Esc>/zw");
    assert_eq!(h.app.current().map(|e| e.name().to_string()).as_deref(), Some("张伟"));
    h.keys("<BS><BS>zhangwei");
    assert_eq!(h.app.current().map(|e| e.name().to_string()).as_deref(), Some("张伟"));
    h.keys("<C-u>bjhl");
    assert_eq!(h.app.current().map(|e| e.name().to_string()).as_deref(), Some("张伟"));
    h.keys("<C-u>华联");
    snap("search_zh_chars", &mut h);
    // Esc cancels the search and lists everyone again.
    h.keys("<Esc>");
    assert!(h.app.customers.query.is_empty());
    assert_eq!(h.app.customers.results.len(&h.app.index), 61);
}

#[test]
fn pre_call_card_shows_what_to_know_before_dialling() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::demo(lang, 60);
        h.keys("jjj<Enter>");
        assert!(h.app.customers.card.is_some());
        snap(&format!("card_{tag}"), &mut h);
        h.keys("<Esc>");
        assert!(h.app.customers.card.is_none());
    }
}

#[test]
fn adding_a_customer_through_the_form_stores_every_field() {
    let mut h = Harness::empty(Lang::Zh);
    h.keys("a张伟<Tab>深圳市华强电子有限公司<Tab>采购经理<Tab>138 0013 8000, 0755-88880000<Tab>zw_88<Tab>wei@huaqiang.cn<Tab>深圳<Tab>1985-03-12");
    h.keys("<Tab><Left><Tab><Right><Right><Tab><Right><Right><Tab><Right><Tab>喜欢打篮球<Tab>女儿读高三<Tab>晚上打电话<Tab>VIP，华南<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let id = h.app.selected_id.unwrap();
    let c = h.store.customer(id).unwrap();
    assert_eq!(c.name, "张伟");
    assert_eq!(c.company, "深圳市华强电子有限公司");
    assert_eq!(c.role, "采购经理");
    assert_eq!(c.phones, vec!["138 0013 8000", "0755-88880000"]);
    assert_eq!(c.wechat, "zw_88");
    assert_eq!(c.email, "wei@huaqiang.cn");
    assert_eq!(c.city, "深圳");
    assert_eq!(c.birthday.unwrap().to_string(), "1985-03-12");
    assert_eq!(c.grade.as_str(), "B");
    assert_eq!(c.status, Status::Active);
    assert_eq!(c.relationship.as_str(), "accountable");
    assert_eq!(c.personality.map(|p| p.as_str()), Some("rational"));
    assert_eq!(c.hobbies, "喜欢打篮球");
    assert_eq!(c.family, "女儿读高三");
    assert_eq!(c.notes, "晚上打电话");
    assert_eq!(c.tags, vec!["VIP", "华南"]);
    assert_eq!(h.store.status_history(id).unwrap().len(), 1);
}

#[test]
fn bad_input_keeps_the_draft_and_writes_nothing() {
    let mut h = Harness::empty(Lang::En);
    h.keys("a<Tab>Acme<Tab><Tab>call me<C-s>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form closed")
    };
    assert_eq!(form.fields[0].error.as_deref(), Some("required"));
    assert!(form.fields[3].error.as_deref().unwrap().contains("call me"));
    assert_eq!(form.get(rapport::app::form::FieldId::Company), "Acme");
    assert_eq!(h.store.customer_count().unwrap(), 0);
    snap("form_errors_en", &mut h);
    // Fix the fields and save: nothing typed before was lost.
    // The focus went to the first field in error (the name).
    h.keys("Anna Berg<Down><Down><Down><C-u>+49 30 1234567<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = h.store.customer(h.app.selected_id.unwrap()).unwrap();
    assert_eq!((c.name.as_str(), c.company.as_str()), ("Anna Berg", "Acme"));
}

#[test]
fn escape_on_a_typed_form_asks_and_no_brings_it_back() {
    let mut h = Harness::empty(Lang::En);
    h.keys("a李娜<Esc>");
    assert!(matches!(h.app.overlay, Some(Overlay::Confirm(_))));
    h.keys("n");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form lost")
    };
    assert_eq!(form.fields[0].value(), "李娜");
    h.keys("<Esc>y");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.store.customer_count().unwrap(), 0);
}

#[test]
fn logging_an_interaction_updates_last_contact() {
    let mut h = Harness::empty(Lang::En);
    add_customer(&mut h, "Wang Fang", "Northwind");
    let id = h.app.selected_id.unwrap();
    h.keys("l<Right><Tab><Tab>Visited the warehouse, brought samples<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let recent = h.store.recent_interactions(id, 3).unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].kind, InteractionKind::Visit);
    assert_eq!(recent[0].note, "Visited the warehouse, brought samples");
    let c = h.store.customer(id).unwrap();
    assert_eq!(c.contact.last_contact, Some(common::now()));
    assert_eq!(c.contact.last_visit, Some(common::now().date()));
    assert_eq!(h.app.current().unwrap().last_contact, Some(common::now().date()));
}

#[test]
fn an_interaction_in_the_future_is_refused() {
    let mut h = Harness::empty(Lang::En);
    add_customer(&mut h, "Wang Fang", "Northwind");
    h.keys("l<Tab><C-u>2027-01-01 10:00<C-s>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form closed")
    };
    assert!(form.fields[1].error.is_some());
    assert_eq!(h.store.interaction_count().unwrap(), 0);
}

#[test]
fn changing_status_keeps_the_reason_in_the_history() {
    let mut h = Harness::empty(Lang::En);
    add_customer(&mut h, "Wang Fang", "Northwind");
    let id = h.app.selected_id.unwrap();
    h.keys("s<Right><Right><Tab><C-s>");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))), "a reason is required");
    h.keys("First order signed<C-s>");
    assert!(h.app.overlay.is_none());
    let hist = h.store.status_history(id).unwrap();
    assert_eq!(hist.len(), 2);
    assert_eq!(hist[1].from, Some(Status::Potential));
    assert_eq!(hist[1].to, Status::Active);
    assert_eq!(hist[1].reason, "First order signed");
    // The edit form asks why too, and keeps the answer in the history.
    h.keys("e");
    for _ in 0..9 {
        h.keys("<Tab>");
    }
    h.keys("<Right><C-s>");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))), "a reason is required");
    assert_eq!(h.store.customer(id).unwrap().status, Status::Active);
    // The cursor waits on the reason.
    h.keys("Third repeat order<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let hist = h.store.status_history(id).unwrap();
    assert_eq!(hist.len(), 3);
    assert_eq!(hist[2].to, Status::Loyal);
    assert_eq!(hist[2].reason, "Third repeat order");
    // An edit that leaves the status alone needs no reason.
    h.keys("e<Tab>Southwind<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    assert_eq!(h.store.status_history(id).unwrap().len(), 3);
}

#[test]
fn editing_keeps_the_id_and_updates_search() {
    let mut h = Harness::empty(Lang::En);
    add_customer(&mut h, "Wang Fang", "Northwind");
    let id = h.app.selected_id.unwrap();
    h.keys("e<C-u>赵敏<C-s>");
    assert_eq!(h.store.customer(id).unwrap().name, "赵敏");
    h.keys("/zm");
    assert_eq!(h.app.current().map(|e| e.id), Some(id));
}

#[test]
fn panes_switch_with_digits_and_tab_and_keep_the_selection() {
    let mut h = Harness::demo(Lang::En, 30);
    h.keys("jj");
    let selected = h.app.selected_id;
    h.keys("2");
    assert_eq!(h.app.pane, Pane::QUALIFICATION);
    snap("qualification_board_en", &mut h);
    h.keys("<Tab>");
    assert_eq!(h.app.pane, Pane::COMPLAINTS);
    h.keys("<Tab>");
    assert_eq!(h.app.pane, Pane::AGENDA);
    h.keys("<Tab>");
    assert_eq!(h.app.pane, Pane::INSIGHTS);
    h.keys("<Tab>");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    h.keys("<BackTab>");
    assert_eq!(h.app.pane, Pane::INSIGHTS);
    h.keys("1");
    assert_eq!(h.app.selected_id, selected);
}

#[test]
fn an_open_card_follows_a_customer_chosen_in_another_pane() {
    let mut h = Harness::demo(Lang::En, 30);
    h.keys("<Enter>");
    let first = h.app.customers.card.as_ref().unwrap().customer.id;
    // On the prospect board, open the checklist of the second prospect.
    h.keys("2j<Enter>");
    let chosen = h.app.selected_id.unwrap();
    assert_ne!(chosen, first);
    h.keys("<Esc>1");
    assert_eq!(h.app.pane, Pane::CUSTOMERS);
    assert_eq!(h.app.customers.card.as_ref().map(|c| c.customer.id), Some(chosen));
}

#[test]
fn help_lists_every_key_of_the_table() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = Harness::demo(lang, 10);
        // Tall enough for every section (the agenda's and import's too).
        h.screen(120, 400);
        // Help opens at the list's section; the everywhere keys are above.
        h.keys("?<Home>");
        assert!(matches!(h.app.overlay, Some(Overlay::Help { .. })));
        let screen = h.screen(120, 400);
        for b in h
            .app
            .keys
            .bindings()
            .filter(|b| b.ctx != rapport::app::keymap::Ctx::Help)
        {
            let desc = rapport::i18n::t(lang, b.desc);
            assert!(screen.contains(desc), "{tag}: help misses {desc}");
        }
        h.keys("<Esc>");
        assert!(h.app.overlay.is_none());
    }
}

#[test]
fn ctrl_c_asks_before_quitting_and_q_quits() {
    let mut h = Harness::demo(Lang::En, 5);
    h.keys("<C-c>");
    assert!(matches!(h.app.overlay, Some(Overlay::Confirm(_))));
    h.keys("n");
    assert!(!h.app.should_quit);
    h.keys("q");
    assert!(h.app.should_quit);
}

#[test]
fn sort_cycles_through_the_four_orders() {
    let mut h = Harness::demo(Lang::En, 40);
    let first = |h: &Harness| {
        h.app
            .customers
            .results
            .get(&h.app.index, 0)
            .map(|i| h.app.index.entry(i).id)
    };
    let by_name = first(&h);
    let selected = h.app.selected_id;
    h.keys("o");
    assert_eq!(h.app.customers.sort, rapport::search::SortBy::LastContact);
    h.keys("o");
    h.keys("o");
    assert_eq!(h.app.customers.sort, rapport::search::SortBy::Grade);
    let top = h.app.customers.results.get(&h.app.index, 0).unwrap();
    assert_eq!(h.app.index.entry(top).grade.as_str(), "A");
    // Re-sorting keeps the selected customer selected.
    assert_eq!(h.app.selected_id, selected);
    h.keys("o");
    assert_eq!(first(&h), by_name);
}

#[test]
fn hostile_text_never_reaches_a_cell() {
    let mut h = Harness::empty(Lang::En);
    add_customer(&mut h, "Evil\x1b]0;pwned\x07\u{202E}Name\u{9b}2J", "Acme\x1b[31m");
    let id = h.app.selected_id.unwrap();
    assert_eq!(
        h.store.customer(id).unwrap().name,
        "Evil\x1b]0;pwned\x07\u{202E}Name\u{9b}2J"
    );
    h.assert_no_control_cells(80, 24);
    h.keys("<Enter>");
    h.assert_no_control_cells(120, 40);
    h.keys("e");
    h.assert_no_control_cells(80, 24);
}

#[test]
fn the_cursor_sits_after_wide_characters() {
    let mut h = Harness::empty(Lang::Zh);
    h.keys("a张伟");
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| rapport::ui::render(&h.app, f)).unwrap();
    let pos = term.get_cursor_position().unwrap();
    // The value column starts after the label; 张伟 is four columns wide.
    h.keys("<C-u>");
    let mut term2 = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term2.draw(|f| rapport::ui::render(&h.app, f)).unwrap();
    let empty = term2.get_cursor_position().unwrap();
    assert_eq!(pos.y, empty.y);
    assert_eq!(pos.x, empty.x + 4);
}

/// The form open when a signal arrives comes back whole at the next start,
/// whichever pane it belongs to.
#[test]
fn every_kind_of_form_comes_back_from_its_draft() {
    use rapport::app::{Confirm, draft::Draft};
    let mut h = Harness::demo(Lang::Zh, 40);
    let db = h.store.path().to_path_buf();
    let round_trip = |h: &mut Harness, what: &str| {
        let Some(Overlay::Form(open)) = h.app.overlay.clone() else {
            panic!("{what}: no form open")
        };
        let draft = h.app.draft().unwrap_or_else(|| panic!("{what}: no draft"));
        draft.save(&db).unwrap();
        h.app.overlay = None;
        h.app.offer_draft(&h.store);
        let Some(Overlay::Confirm(Confirm::RestoreDraft(back))) = h.app.overlay.clone() else {
            panic!("{what}: not offered")
        };
        Draft::discard(&db);
        h.app.overlay = None;
        (open, back)
    };
    let same = |(open, back): (rapport::app::form::Form, rapport::app::form::Form), what: &str| {
        assert_eq!(back.kind, open.kind, "{what}");
        let values = |f: &rapport::app::form::Form| f.fields.iter().map(|x| x.value().to_string()).collect::<Vec<_>>();
        assert_eq!(values(&back), values(&open), "{what}");
        assert_eq!(back.focus, open.focus, "{what}");
    };
    // A complaint being recorded.
    h.keys("3a打印机卡纸，客户很生气");
    let pair = round_trip(&mut h, "complaint");
    assert!(pair.1.fields.iter().any(|f| f.value() == "打印机卡纸，客户很生气"));
    same(pair, "complaint");
    // An evidence note on the MAN checklist.
    h.keys("2<Enter><Enter><Tab>预算已批");
    let pair = round_trip(&mut h, "evidence");
    assert!(pair.1.fields.iter().any(|f| f.value().contains("预算已批")));
    same(pair, "evidence");
    // A follow-up being scheduled from the agenda.
    h.keys("<Esc><Esc>4f<Tab>问问样品");
    let pair = round_trip(&mut h, "follow-up");
    same(pair, "follow-up");
    // "Done" on an agenda item comes back as the interaction it logs.
    h.keys("<Esc>");
    while h
        .app
        .agenda
        .current()
        .is_some_and(|i| i.section() == rapport::domain::agenda::Section::Complaints)
    {
        h.keys("j");
    }
    h.keys("d见面聊了新订单");
    let pending = h.app.agenda.pending.clone().unwrap();
    let (_, back) = round_trip(&mut h, "done");
    assert!(matches!(
        back.kind,
        rapport::app::form::FormKind::LogInteraction(id) if id == pending.customer_id
    ));
    assert!(back.fields.iter().any(|f| f.value() == "见面聊了新订单"));
}

#[test]
fn an_empty_agenda_says_so_in_full_at_80_columns() {
    for (lang, tail) in [(Lang::En, "import a file."), (Lang::Zh, "导入文件。")] {
        let mut h = Harness::empty(lang);
        h.keys("4");
        let screen = h.screen(80, 24);
        assert!(screen.contains(tail), "{screen}");
    }
}

#[test]
fn every_verdict_count_shows_on_the_board_at_80_columns() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = Harness::demo(lang, 300);
        h.keys("2");
        let counts = h.app.qual.board.counts;
        let screen = h.screen(80, 24);
        let legend = screen.lines().nth(2).unwrap();
        for n in counts {
            assert!(legend.contains(&format!(" {n}")), "{legend}");
        }
    }
}

#[test]
fn a_long_field_hint_wraps_at_80_columns_instead_of_being_cut() {
    let mut h = Harness::empty(Lang::En);
    // The last field of the new-customer form: the roles.
    h.keys("a<BackTab>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.fields[form.focus].label, "field.roles");
    let screen = h.screen(80, 24);
    assert!(screen.contains("gatekeeper"), "{screen}");
    assert!(screen.contains("把关人)"), "the hint is cut:\n{screen}");
}

#[test]
fn a_long_note_not_being_edited_shows_its_beginning() {
    let mut h = Harness::empty(Lang::En);
    // Notes: three fields up from the first, before tags and roles.
    h.keys("a<BackTab><BackTab><BackTab>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.fields[form.focus].label, "field.notes");
    h.keys("Beginning of a note that is much longer than the field is wide in an eighty column terminal 😀😀😀");
    // While typing, the end (where the cursor is) shows.
    assert!(h.screen(80, 24).contains("😀😀😀"));
    h.keys("<Tab>");
    let screen = h.screen(80, 24);
    assert!(screen.contains("Beginning of a note"), "{screen}");
    assert!(!screen.contains("😀😀😀"), "{screen}");
    // Several lines: each from its beginning.
    h.keys("<BackTab><C-j>Second line, also much longer than the field is wide in eighty columns, ending here<Tab>");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Beginning of a note") && screen.contains("Second line, also"),
        "{screen}"
    );
}
