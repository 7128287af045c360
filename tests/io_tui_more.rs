//! The import overlay on workbooks and on contacts back from a phone,
//! driven through the real keymap: the sheet read first, `t` for the next
//! one, and the customers a card's UID updates listed in the preview.

mod common;

use common::Harness;
use rapport::domain::customer::Customer;
use rapport::i18n::Lang;
use rust_xlsxwriter::Workbook;

fn open(h: &mut Harness, path: &std::path::Path) {
    h.keys("I");
    h.keys("<C-u>");
    h.app.type_text(&path.display().to_string());
    h.keys("<Enter>");
}

#[test]
fn a_workbook_previews_its_first_sheet_and_t_turns_to_the_next() {
    let mut h = Harness::with(Lang::En, |s| {
        s.insert_customer(&Customer::new("Already Here", Default::default()))
            .unwrap();
    });
    let path = h.dir.path().join("book.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Notes").unwrap();
    let a = wb.add_worksheet();
    a.set_name("客户").unwrap();
    a.write_string(0, 0, "姓名").unwrap();
    a.write_string(0, 1, "手机").unwrap();
    a.write_string(1, 0, "张伟").unwrap();
    a.write_number(1, 1, 13912345678.0).unwrap();
    let b = wb.add_worksheet();
    b.set_name("Prospects").unwrap();
    b.write_string(0, 0, "Name").unwrap();
    b.write_string(1, 0, "Anna Lopez").unwrap();
    b.write_string(2, 0, "Bo Chen").unwrap();
    wb.save(&path).unwrap();

    open(&mut h, &path);
    let screen = h.screen(100, 30);
    assert!(screen.contains("Read sheet \"客户\" (2 of 3"), "{screen}");
    assert!(screen.contains("13912345678"), "{screen}");
    h.keys("t");
    let screen = h.screen(100, 30);
    assert!(screen.contains("Read sheet \"Prospects\" (3 of 3"), "{screen}");
    assert!(screen.contains("2 read: 2 new"), "{screen}");
    // After the last, the first that has rows again (Notes is empty).
    h.keys("t");
    assert!(h.screen(100, 30).contains("Read sheet \"客户\""));
    h.keys("t");
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    assert_eq!(h.store.customer_count().unwrap(), 3);
}

#[test]
fn the_preview_lists_what_a_card_back_from_the_phone_changes() {
    let mut h = Harness::with(Lang::Zh, |s| {
        let mut c = Customer::new("张伟", Default::default());
        c.phones = vec!["13800138000".into()];
        c.city = "上海".into();
        s.insert_customer(&c).unwrap();
    });
    let card = rapport::io::vcard::cards(&[h.store.customer(1).unwrap()])
        .replace("13800138000", "13900139000")
        .replace(";上海;", ";北京;");
    let path = h.dir.path().join("phone.vcf");
    std::fs::write(&path, card).unwrap();
    open(&mut h, &path);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("更新 张伟（客户 1）：电话 13800138000 → 13900139000; 城市 上海 → 北京"),
        "{screen}"
    );
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    assert_eq!(h.store.customer_count().unwrap(), 1);
    let c = h.store.customer(1).unwrap();
    assert_eq!((c.phones[0].as_str(), c.city.as_str()), ("13900139000", "北京"));
}
