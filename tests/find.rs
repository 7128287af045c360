//! Finding the right customer through real keys (the real keymap over a
//! temporary book with a fixed clock, rendered to `TestBackend`): pinyin
//! as people say it, phones as people type them, best match first,
//! namesakes told apart, filters, the scrolling card, duplicates, delete
//! and merge; then the database checked.

mod common;

use chrono::Duration;
use common::{Harness, now, person};
use rapport::app::find::FindConfirm;
use rapport::app::{Confirm, Overlay};
use rapport::domain::customer::{Grade, Status};
use rapport::domain::interaction::InteractionKind;
use rapport::i18n::Lang;
use rapport::storage::Store;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

fn snap(name: &str, h: &mut Harness) {
    for (w, hh) in SIZES {
        let screen = h.screen(w, hh);
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), screen);
    }
}

/// A small book with the cases the issue names.
fn book(store: &mut Store) {
    person(store, "张伟", "北京华联", "北京", "+86 (138) 0013-8000", Grade::A);
    person(store, "李娜", "长城汽车", "长沙", "176-7095-2211", Grade::B);
    person(store, "吕晓婷", "重庆重工", "重庆", "+971 6697 1234", Grade::C);
    person(store, "翟玉兰", "黔城建材", "贵阳", "139 0851 1234", Grade::B);
    person(store, "翟玉兰", "申江贸易", "上海", "139 2100 5678", Grade::D);
    person(store, "Anna Berg", "Zhangjiang Foods", "Xiamen", "", Grade::A);
    person(store, "王芳", "厦门银行", "厦门", "", Grade::C);
    person(store, "单明", "", "长春", "", Grade::C);
}

/// The id of the customer called exactly `name`.
fn named(store: &Store, name: &str) -> i64 {
    let keys = store.search_keys_like(&rapport::search::normalize_query(name)).unwrap();
    keys.into_iter()
        .map(|(id, _)| id)
        .find(|&id| store.customer(id).unwrap().name == name)
        .unwrap()
}

fn first(h: &Harness) -> String {
    h.app
        .current()
        .map(|e| format!("{} {}", e.name(), e.company()))
        .unwrap_or_default()
}

fn names(h: &mut Harness) -> Vec<String> {
    let n = h.app.customers.results.len(&h.app.index);
    h.app.customers.results.ensure_sorted(&h.app.index, n);
    (0..n)
        .map(|p| {
            h.app
                .index
                .entry(h.app.customers.results.get(&h.app.index, p).unwrap())
                .name()
                .to_string()
        })
        .collect()
}

#[test]
fn pinyin_as_people_say_it_and_phones_as_people_type_them() {
    let mut h = Harness::with(Lang::En, book);
    for (q, want) in [
        ("changsha", "李娜 长城汽车"),
        ("cs", "李娜 长城汽车"),
        ("chongqing", "吕晓婷 重庆重工"),
        ("cq", "吕晓婷 重庆重工"),
        ("lvxiaoting", "吕晓婷 重庆重工"),
        ("luxiaoting", "吕晓婷 重庆重工"),
        ("shanming", "单明 "),
        ("changchun", "单明 "),
        ("zhangw", "张伟 北京华联"),
        ("张w", "张伟 北京华联"),
        ("zhang伟", "张伟 北京华联"),
        ("xiamenyinhang", "王芳 厦门银行"),
        ("176-7095", "李娜 长城汽车"),
        ("(176)7095", "李娜 长城汽车"),
        ("+971 6697", "吕晓婷 重庆重工"),
        ("0013-8000", "张伟 北京华联"),
        ("13800138000", "张伟 北京华联"),
        ("+86 138 0013 8000", "张伟 北京华联"),
    ] {
        h.keys(&format!("<Esc>/{q}"));
        assert_eq!(first(&h), want, "query {q}");
    }
    // 厦门 read as people say it: both 厦门 customers, the city match of
    // the Latin spelling too.
    h.keys("<Esc>/xiamen");
    let found = names(&mut h);
    assert!(
        found.contains(&"王芳".to_string()) && found.contains(&"Anna Berg".to_string()),
        "{found:?}"
    );
}

#[test]
fn best_match_first_while_typing_and_the_sort_on_request() {
    let mut h = Harness::with(Lang::En, book);
    h.keys("o"); // sort by last contact
    h.keys("/zhang");
    // 张伟's name starts with it; a company word, then cities read "zhang".
    assert_eq!(names(&mut h)[0], "张伟");
    assert_eq!(names(&mut h)[1], "Anna Berg");
    let screen = h.screen(80, 24);
    assert!(screen.contains("best match first"), "{screen}");
    h.keys("<Enter>o");
    assert!(h.app.find.sort_on_query);
    assert!(!h.screen(80, 24).contains("best match first"));
    h.keys("<Esc>");
    assert!(h.app.customers.query.is_empty());
}

#[test]
fn namesakes_are_told_apart_and_narrowed_in_the_complaint_form() {
    let mut h = Harness::with(Lang::En, book);
    for (q, want) in [
        ("翟玉兰 贵阳", "黔城建材"),
        ("翟玉兰 5678", "申江贸易"),
        ("zhaiyulan shenjiang", "申江贸易"),
    ] {
        h.keys(&format!("<Esc>/{q}"));
        assert_eq!(names(&mut h).len(), 1, "{q}");
        assert!(first(&h).ends_with(want), "{q}: {}", first(&h));
    }
    // With someone else selected, typing the shared name asks which one.
    h.keys("<Esc><Esc>g3a<BackTab><BackTab><BackTab><C-u>翟玉兰<Tab><C-u>王先生<Tab><Tab>门店冰柜不制冷<C-s>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form closed")
    };
    let err = form
        .fields
        .iter()
        .find(|f| f.label == "complaints.field.customer")
        .and_then(|f| f.error.clone())
        .unwrap();
    assert!(
        err.contains("黔城建材 · 贵阳 · ···1234") && err.contains("申江贸易 · 上海 · ···5678"),
        "{err}"
    );
    // The focus is on the field in error: add the city.
    h.keys("<End> 贵阳<C-s>");
    if let Some(Overlay::Form(f)) = &h.app.overlay {
        panic!(
            "{:?}",
            f.fields
                .iter()
                .map(|f| (f.label, f.value().to_string(), f.error.clone()))
                .collect::<Vec<_>>()
        );
    }
    let guiyang = h.store.search_keys_like("贵阳").unwrap()[0].0;
    assert_eq!(h.store.customer_complaints(guiyang).unwrap().len(), 1);
}

#[test]
fn filters_combine_with_search_and_one_key_clears_them() {
    for (lang, tag) in LANGS {
        let mut h = Harness::with(lang, book);
        // F opens the form: grade is the first field; → picks A.
        h.keys("F<Right><C-s>");
        assert_eq!(names(&mut h), vec!["Anna Berg", "张伟"]);
        snap(&format!("find_filter_{tag}"), &mut h);
        h.keys("/zh");
        assert_eq!(names(&mut h), vec!["张伟", "Anna Berg"]);
        h.keys("<Esc>x");
        assert_eq!(names(&mut h).len(), 8);
        // City and tag filters go through the database; a bad number of
        // days is refused next to its field and loses nothing.
        h.keys("F<Tab><Tab>厦门<Tab><Tab><Tab><Tab><Tab>abc<C-s>");
        assert!(matches!(h.app.overlay, Some(Overlay::Form(_))));
        h.keys("<C-u>30<C-s>");
        assert_eq!(names(&mut h), vec!["王芳"]);
    }
}

#[test]
fn the_card_keeps_its_top_and_scrolls_the_rest() {
    for (lang, tag) in LANGS {
        let mut h = Harness::with(lang, |store| {
            book(store);
            let id = store.search_keys_like("zhangwei").unwrap()[0].0;
            for d in 1..=30 {
                let note = format!("call number {d}");
                store
                    .log_interaction(id, InteractionKind::Call, now() - Duration::days(100 - d), &note)
                    .unwrap();
            }
        });
        h.keys("/zhangwei<Enter><Enter>");
        let card = h.app.customers.card.as_ref().unwrap();
        assert_eq!(card.recent.len(), 30, "every interaction is on the card");
        assert_eq!(card.recent[0].note, "call number 30", "newest first");
        snap(&format!("find_card_{tag}"), &mut h);
        let top = h.screen(80, 24);
        assert!(top.contains("call number 30") && !top.contains("call number 5 "));
        // j scrolls the card, not to the next customer.
        h.keys("jjjjjjjjjjjjjjjjjjjjjjjjjj");
        let scrolled = h.screen(80, 24);
        assert!(
            scrolled.contains("call number 3") && scrolled.contains("张伟"),
            "{scrolled}"
        );
        assert_eq!(h.app.customers.card.as_ref().unwrap().customer.name, "张伟");
        h.keys("G");
        let end = h.screen(80, 24);
        assert!(
            end.lines()
                .any(|l| l.contains("→") || l.contains("active") || l.contains("现实客户"))
        );
        // ] and [ step to the next and previous customer.
        h.keys("<Esc><Esc>g<Enter>]");
        assert_eq!(
            h.app.customers.card.as_ref().unwrap().customer.id,
            h.app.current().unwrap().id
        );
        let second = h.app.customers.card.as_ref().unwrap().customer.id;
        h.keys("[");
        assert_ne!(h.app.customers.card.as_ref().unwrap().customer.id, second);
    }
}

#[test]
fn a_look_alike_warns_and_offers_the_existing_customer() {
    let mut h = Harness::with(Lang::En, book);
    let before = h.store.customer_count().unwrap();
    // 李娜 with 张伟's phone, typed another way.
    h.keys("aLi Na<Tab><Tab><Tab>13800138000<C-s>");
    let Some(Overlay::Confirm(Confirm::Find(_))) = &h.app.overlay else {
        panic!("no warning: {:?}", h.app.overlay)
    };
    let screen = h.screen(80, 24);
    assert!(screen.contains("张伟") && screen.contains("same phone"), "{screen}");
    // The footer offers what the question offers: y, n and o.
    let footer = screen.lines().last().unwrap_or_default();
    assert!(
        footer.contains("y yes") && footer.contains("n no") && footer.contains("o open that one instead"),
        "{footer}"
    );
    // n goes back to the form with everything typed.
    h.keys("n");
    let Some(Overlay::Form(f)) = &h.app.overlay else {
        panic!()
    };
    assert_eq!(f.get(rapport::app::form::FieldId::Name), "Li Na");
    // o opens the existing customer instead; nothing is saved.
    h.keys("<C-s>o");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.app.customers.card.as_ref().unwrap().customer.name, "张伟");
    assert_eq!(h.store.customer_count().unwrap(), before);
    // y saves anyway.
    h.keys("<Esc>aLi Na<Tab><Tab><Tab>13800138000<C-s>y");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    assert_eq!(h.store.customer_count().unwrap(), before + 1);
}

#[test]
fn delete_names_what_goes_and_merge_moves_everything() {
    let mut h = Harness::with(Lang::En, |store| {
        book(store);
        person(store, "张 伟", "北京华联", "北京", "0086 138 0013 8000", Grade::C);
        let dup = named(store, "张 伟");
        store
            .log_interaction(dup, InteractionKind::Visit, now() - Duration::days(2), "visited")
            .unwrap();
    });
    let dup = named(&h.store, "张 伟");
    let keep = named(&h.store, "张伟");
    // The duplicates view lists the pair by phone.
    h.keys("D");
    let screen = h.screen(80, 24);
    assert!(screen.contains("same phone"), "{screen}");
    snap("find_duplicates_en", &mut h);
    h.keys("<Esc>");
    // Merge: mark the duplicate, then the one to keep.
    h.keys("/张 伟<Enter>");
    while h.app.current().unwrap().id != dup {
        h.keys("j");
    }
    h.keys("M");
    h.keys("<Esc><Esc>/张伟<Enter>M");
    let m = h.app.find.merge.as_ref().expect("merge view");
    assert_eq!((m.keep.id, m.other.id), (keep, dup));
    snap("find_merge_en", &mut h);
    // Take the other's name? No: the grade (first differing field is the
    // name, then the grade).
    h.keys("j ");
    h.keys("<Enter>y");
    assert!(h.app.find.merge.is_none(), "{:?}", h.app.message);
    assert!(h.store.customer(dup).is_err());
    let kept = h.store.customer(keep).unwrap();
    assert_eq!(kept.grade, Grade::C);
    assert_eq!(kept.name, "张伟");
    assert_eq!(h.store.recent_interactions(keep, 10).unwrap()[0].note, "visited");
    // Delete asks first, naming what goes with the customer.
    h.keys("<Esc>/zhangwei<Enter>X");
    let Some(Overlay::Confirm(Confirm::Find(FindConfirm::Delete { hanging, .. }))) = &h.app.overlay else {
        panic!("no question")
    };
    assert_eq!(hanging.interactions, 1);
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Goes with them: 1") && screen.contains("张伟 · 北京华联 · 北京 · ···8000"),
        "{screen}"
    );
    h.keys("n");
    assert!(h.store.customer(keep).is_ok());
    h.keys("Xy");
    assert!(h.store.customer(keep).is_err());
    h.keys("<Esc>/zhangwei");
    assert!(names(&mut h).is_empty());
}

#[test]
fn the_card_scroll_length_matches_what_is_drawn() {
    let mut h = Harness::demo(Lang::Zh, 60);
    for _ in 0..20 {
        h.keys("<Enter>");
        let card = h.app.customers.card.clone().unwrap();
        let lines = rapport::ui::card::scroll_lines(&card, h.app.lang, &h.app.theme, h.app.today());
        assert_eq!(lines.len(), card.scroll_len(), "{}", card.customer.name);
        h.keys("]<Esc>");
    }
}

#[test]
fn duplicates_and_merge_views_in_chinese() {
    let mut h = Harness::with(Lang::Zh, |store| {
        book(store);
        person(store, "张 伟", "北京华联", "北京", "0086 138 0013 8000", Grade::C);
    });
    h.keys("D");
    assert!(h.screen(80, 24).contains("电话相同"));
    snap("find_duplicates_zh", &mut h);
    h.keys("<Enter>");
    assert!(h.app.find.merge.is_some());
    snap("find_merge_zh", &mut h);
    h.keys("<Esc>");
    assert!(h.app.find.merge.is_none());
    assert_eq!(h.store.customer_count().unwrap(), 9, "cancelled: nothing merged");
}

#[test]
fn agenda_lines_tell_namesakes_apart() {
    let mut h = Harness::with(Lang::En, book);
    h.keys("4");
    let lines: Vec<String> = h.app.agenda.agenda.items.iter().map(|i| i.customer.clone()).collect();
    assert!(
        lines.contains(&"翟玉兰 · 黔城建材 · 贵阳 · ···1234".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"翟玉兰 · 申江贸易 · 上海 · ···5678".to_string()),
        "{lines:?}"
    );
    // A name no one else has stays as it is.
    assert!(lines.contains(&"张伟".to_string()), "{lines:?}");
    let screen = h.screen(120, 40);
    assert!(screen.contains("翟玉兰 · 黔城建材"), "{screen}");
}

#[test]
fn a_form_waiting_on_the_look_alike_question_is_kept_as_a_draft() {
    let mut h = Harness::with(Lang::En, book);
    h.keys("aLi Na<Tab><Tab><Tab>13800138000<C-s>");
    assert!(matches!(h.app.overlay, Some(Overlay::Confirm(Confirm::Find(_)))));
    let draft = h.app.draft().expect("the form is kept");
    assert!(format!("{draft:?}").contains("Li Na"));
}

#[test]
fn who_decides_tells_namesake_colleagues_apart_by_their_phone() {
    let mut h = Harness::with(Lang::En, |store| {
        book(store);
        person(store, "张伟", "北京华联", "天津", "139 0000 1234", Grade::B);
        let boss = person(store, "李总", "北京华联", "北京", "", Grade::B);
        let mut c = store.customer(boss).unwrap();
        c.status = Status::Potential;
        store.update_customer(&c, now(), "prospect").unwrap();
    });
    let boss = named(&h.store, "李总");
    h.keys("2/lizong<Enter><Enter>");
    assert_eq!(h.app.qual.checklist.as_ref().map(|c| c.customer.id), Some(boss));
    h.keys("d张伟<C-s>");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form closed: {:?}", h.app.message)
    };
    let err = form.fields[0].error.clone().unwrap();
    assert!(
        err.contains("张伟 · ···8000") && err.contains("张伟 · ···1234"),
        "{err}"
    );
    h.keys("<End> 1234<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let q = h.store.qualification(boss).unwrap();
    let linked = q.decider.customer_id.unwrap();
    assert_eq!(h.store.customer(linked).unwrap().city, "天津");
    assert_eq!(q.decider.name, "张伟");
}
