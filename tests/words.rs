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
