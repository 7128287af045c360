//! The complaint record form addresses its fields by typed id, and the
//! defaults it takes from a customer (the complainant, the phone to reach
//! them) follow the customer typed into it, live, except those the user
//! typed over — in both languages, through real keys.

#[path = "complaints/book.rs"]
mod book;
mod common;

use book::book;
use common::Harness;
use rapport::app::Overlay;
use rapport::app::form::FieldId;
use rapport::i18n::Lang;

fn field(h: &Harness, id: FieldId) -> String {
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("the form closed: {:?}", h.app.message)
    };
    form.get(id).to_string()
}

#[test]
fn the_defaults_follow_the_customer_typed_into_the_record_form() {
    for lang in [Lang::En, Lang::Zh] {
        let mut ids = book::Book::default();
        let mut h = Harness::with(lang, |s| ids = book(s));
        // The form opens for 张伟 with his name and phone.
        h.keys("/zw<Enter>3a");
        assert_eq!(field(&h, FieldId::Customer), "张伟");
        assert_eq!(field(&h, FieldId::Complainant), "张伟");
        assert_eq!(field(&h, FieldId::Reach), "138 0013 8000");
        // Back to the customer field: Amelia's name typed, the defaults
        // become hers before anything is saved.
        h.keys("<BackTab><BackTab><BackTab><C-u>Amelia Lopez");
        assert_eq!(field(&h, FieldId::Complainant), "Amelia Lopez", "{lang:?}");
        assert_eq!(field(&h, FieldId::Reach), "+31 20 555 0101");
        // A phone typed over stays when the customer changes again; the
        // complainant, untouched, follows.
        for _ in 0..9 {
            h.keys("<Tab>");
        }
        assert!(h.app.open_form().unwrap().focused_value().0 == FieldId::Reach);
        h.keys("<C-u>020 8888 0000");
        for _ in 0..9 {
            h.keys("<BackTab>");
        }
        h.keys("<C-u>李娜");
        assert_eq!(field(&h, FieldId::Complainant), "李娜");
        assert_eq!(field(&h, FieldId::Reach), "020 8888 0000");
        // Saved as shown, for the customer typed.
        h.keys("<Tab><Tab><Tab>冰柜不制冷<C-s>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
        let c = h
            .store
            .customer_complaints(ids.li)
            .unwrap()
            .into_iter()
            .max_by_key(|c| c.id)
            .unwrap();
        assert_eq!(c.details.complainant, "李娜");
        assert_eq!(c.details.reach, "020 8888 0000");
        assert_eq!(c.details.content, "冰柜不制冷");
    }
}
