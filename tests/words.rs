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
