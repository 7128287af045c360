//! Words: English plurals follow the count.

mod common;

use common::{Harness, person};
use rapport::domain::customer::Grade;
use rapport::i18n::Lang;

#[test]
fn one_customer_is_one_customer() {
    let mut h = Harness::with(Lang::En, |s| {
        person(s, "Amelia Lopez", "Westbrook", "Rotterdam", "", Grade::A);
    });
    let screen = h.screen(80, 24);
    assert!(screen.contains("1 customer"), "{screen}");
    assert!(!screen.contains("1 customers"), "{screen}");
    let mut h = Harness::with(Lang::En, |s| {
        person(s, "Amelia Lopez", "Westbrook", "Rotterdam", "", Grade::A);
        person(s, "Jan de Vries", "Noord", "Utrecht", "", Grade::B);
    });
    let screen = h.screen(80, 24);
    assert!(screen.contains("2 customers"), "{screen}");
}

#[test]
fn chinese_birthdays_use_chinese_punctuation() {
    let mut h = Harness::with(Lang::Zh, |s| {
        let mut c = rapport::domain::customer::Customer::new("王建国", common::now());
        c.company = "华强电子".into();
        c.birthday = rapport::domain::dates::parse_birthday("1974-11-23").ok();
        s.insert_customer(&c).unwrap();
    });
    h.keys("<Enter>");
    let screen = h.screen(80, 24);
    assert!(screen.contains("（就是今天，满 52 岁）"), "{screen}");
    assert!(!screen.contains("！，"), "{screen}");
}

/// Region care writes its follow-ups as data (the region, with the kind):
/// a reader in either language sees the sentence in their own, on the
/// agenda and on the card.
#[test]
fn region_care_notes_are_shown_in_the_readers_language() {
    let mut h = Harness::with(Lang::En, |s| {
        person(s, "张伟", "华强电子", "深圳", "13800138000", Grade::C);
    });
    h.keys("4g深圳<C-s>y");
    let id = h.app.selected_id.or(h.app.current().map(|e| e.id)).unwrap();
    let open = h.store.open_follow_ups(id).unwrap();
    assert_eq!(open.len(), 1, "{:?}", h.app.message);
    assert_eq!((open[0].note.as_str(), open[0].source.as_str()), ("深圳", "region"));
    for (lang, said) in [(Lang::En, "region care: 深圳"), (Lang::Zh, "地区关怀：深圳")] {
        reopen(&mut h, lang);
        h.keys("4");
        let screen = h.screen(100, 24);
        assert!(screen.contains(said), "{lang:?}:\n{screen}");
        h.keys("<Enter>");
        let card = h.app.customers.card.as_ref().expect("the card");
        let lines: Vec<&str> = card
            .sections
            .iter()
            .flat_map(|s| s.lines.iter().map(|l| l.text.as_str()))
            .collect();
        assert!(lines.iter().any(|l| l.contains(said)), "{lines:?}");
    }
}

/// Chinese screens use Chinese punctuation (no "王建国, 总经理" or "(自"
/// next to Chinese text) and no wrapped line starts with a closing mark,
/// at 80 columns and at widths that wrap the text elsewhere.
#[test]
fn chinese_screens_use_chinese_punctuation_and_wrap_by_its_rule() {
    let mut h = Harness::with(Lang::Zh, |s| {
        let mut c = rapport::domain::customer::Customer::new("王建国", common::now());
        c.company = "华强电子".into();
        c.role = "总经理".into();
        c.notes = "喜欢喝茶，周末打篮球；不喜欢太早打电话（九点以后），重要的事情要先发微信说明，再打电话确认。".into();
        c.family = "女儿在读高三，明年高考，最近压力较大，聊天时可以关心一下。".into();
        c.birthday = rapport::domain::dates::parse_birthday("1974-11-23").ok();
        s.insert_customer(&c).unwrap();
    });
    for (keys, what) in [("<Enter>", "card"), ("<Esc>4", "agenda")] {
        h.keys(keys);
        for w in (60..=100).step_by(3) {
            let screen = h.screen(w, 40);
            for line in screen.lines() {
                let chars: Vec<char> = line.chars().collect();
                for pair in chars.windows(3) {
                    let bad = (cjk(pair[0]) && ",:;".contains(pair[1]))
                        || (cjk(pair[0]) && pair[1] == ' ' && pair[2] == '(')
                        || (cjk(pair[0]) && pair[1] == '(')
                        || (pair[0] == '(' && cjk(pair[1]));
                    assert!(!bad, "{what} at {w}: ASCII punctuation by Chinese text in {line:?}");
                }
                // Inside the frame, the first character of a row.
                if let Some(first) = starts_with_closing_mark(line) {
                    panic!("{what} at {w}: a row starts with {first:?}:\n{screen}");
                }
            }
        }
    }
}

/// The same on the other panes of a Chinese book with complaints, a
/// checklist and the value analysis.
#[test]
fn every_chinese_pane_uses_chinese_punctuation() {
    let mut h = Harness::demo(Lang::Zh, 60);
    for (keys, what) in [
        ("2", "board"),
        ("<Enter>", "checklist"),
        ("<Esc>3", "complaints"),
        ("<Enter>", "complaint"),
        ("<Esc>4", "agenda"),
        ("w", "week"),
        ("<Esc>5", "insights"),
        ("1<Enter>", "card"),
    ] {
        h.keys(keys);
        for w in [80, 100, 120] {
            let screen = h.screen(w, 30);
            for line in screen.lines() {
                let chars: Vec<char> = line.chars().collect();
                for pair in chars.windows(2) {
                    let bad = (cjk(pair[0]) && ",;(".contains(pair[1])) || (pair[0] == '(' && cjk(pair[1]));
                    assert!(
                        !bad,
                        "{what} at {w}: ASCII punctuation by Chinese text in {line:?}\n{screen}"
                    );
                }
                if let Some(first) = starts_with_closing_mark(line) {
                    panic!("{what} at {w}: a row starts with {first:?}:\n{screen}");
                }
            }
        }
    }
}

/// An import writes each customer's first status with where they came
/// from as data, and the card's history reads it in the reader's
/// language (the import ran in English).
#[test]
fn a_status_history_note_the_app_wrote_reads_in_the_readers_language() {
    let mut h = Harness::empty(Lang::En);
    let db = h.dir.path().join("t.db");
    let csv = h.dir.path().join("clients.csv");
    std::fs::write(&csv, "name,phone\n张伟,13800138000\n").unwrap();
    let o = common::pty::cli(&db, &["import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let first = h.store.status_history(1).unwrap().remove(0);
    assert_eq!(first.reason, "rapport:imported:clients.csv");
    for (lang, said) in [
        (Lang::En, "imported from clients.csv"),
        (Lang::Zh, "从 clients.csv 导入"),
    ] {
        reopen(&mut h, lang);
        h.keys("<Enter>G");
        let screen = h.screen(100, 40);
        assert!(screen.contains(said), "{lang:?}:\n{screen}");
        assert!(!screen.contains("rapport:"), "{screen}");
    }
}

/// The app opened again on the same book, in `lang` (another reader).
fn reopen(h: &mut Harness, lang: Lang) {
    let mut app = rapport::panes::default_app(&h.store, lang, common::now()).unwrap();
    app.wait_for_index();
    h.app = app;
}

fn cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A row of the frame starts with a mark that may not start a line.
fn starts_with_closing_mark(line: &str) -> Option<char> {
    let first = line.strip_prefix('│')?.chars().next()?;
    "。，、：；！？）」』》〉】".contains(first).then_some(first)
}

#[test]
fn the_follow_up_step_has_one_name_in_the_list_and_on_the_card() {
    use rapport::i18n::t;
    // DOMAIN: 6. Follow up (跟踪服务).
    for lang in [Lang::En, Lang::Zh] {
        let card = t(lang, "complaint.step.follow_up");
        let list = t(lang, "complaints.step_short.follow_up");
        assert_eq!(
            card.trim_start_matches("6. "),
            list.trim_start_matches("6 "),
            "{lang:?}"
        );
    }
    assert_eq!(t(Lang::Zh, "complaints.step_short.follow_up"), "6 跟踪服务");
}
