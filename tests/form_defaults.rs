//! A form opened for a customer takes its defaults from that customer, and
//! changing the customer in the form changes every default not typed over.

#[path = "complaints/book.rs"]
mod book;
mod common;

use book::book;
use common::Harness;
use rapport::i18n::Lang;

fn newest(h: &Harness) -> rapport::domain::complaint::record::Complaint {
    let rows = h.store.complaint_rows(true).unwrap();
    rows.into_iter().map(|r| r.complaint).max_by_key(|c| c.id).unwrap()
}

#[test]
fn the_complainant_follows_the_customer_typed_in_the_record_form() {
    let mut ids = None;
    let mut h = Harness::with(Lang::Zh, |s| ids = Some(book(s)));
    let b = ids.unwrap();
    // Amelia Lopez was selected earlier; the complaint is 李娜's.
    h.keys("/amelia<Enter><Esc>3a");
    h.keys("送货晚了三天<BackTab><BackTab><BackTab><C-u>李娜<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = newest(&h);
    assert_eq!(c.customer_id, b.li);
    assert_eq!(c.details.complainant, "李娜");
    assert_eq!(c.details.reach, "139 1111 2222");
}

#[test]
fn a_complainant_typed_over_stays() {
    let mut ids = None;
    let mut h = Harness::with(Lang::En, |s| ids = Some(book(s)));
    let b = ids.unwrap();
    h.keys("/amelia<Enter><Esc>3a");
    h.keys("Late<BackTab><BackTab><C-u>Her colleague Jan<BackTab><C-u>李娜<C-s>");
    assert!(h.app.overlay.is_none(), "{:?}", h.app.message);
    let c = newest(&h);
    assert_eq!(c.customer_id, b.li);
    assert_eq!(c.details.complainant, "Her colleague Jan");
    assert_eq!(c.details.reach, "139 1111 2222");
}
