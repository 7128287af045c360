//! The phone contacts round trip: exported vCards carry each customer's
//! stable UID; a card that comes back with a known UID updates its
//! customer (the preview says what changes) instead of adding a twin.

mod common;

use std::process::Output;

use rapport::domain::customer::Customer;
use rapport::domain::dates::Birthday;
use rapport::storage::Store;

fn rapport(db: &std::path::Path, args: &[&str]) -> Output {
    common::pty::cli(db, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn book(db: &std::path::Path) -> (i64, i64) {
    let mut store = Store::open(db).unwrap();
    let mut a = Customer::new("张伟", Default::default());
    a.company = "华强电子".into();
    a.role = "采购经理".into();
    a.phones = vec!["13800138000".into()];
    a.email = "wei@huaqiang.cn".into();
    a.birthday = Some(Birthday {
        month: 3,
        day: 12,
        year: Some(1985),
        calendar: rapport::domain::dates::Calendar::Gregorian,
    });
    a.notes = "喜欢喝茶".into();
    a.hobbies = "篮球".into();
    let mut b = Customer::new("Anna Lopez", Default::default());
    b.phones = vec!["+1 650 253 0000".into()];
    b.birthday = Some(Birthday {
        month: 9,
        day: 5,
        year: None,
        calendar: rapport::domain::dates::Calendar::Gregorian,
    });
    (store.insert_customer(&a).unwrap(), store.insert_customer(&b).unwrap())
}

#[test]
fn exported_cards_carry_what_phones_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (zw, anna) = book(&db);
    let o = rapport(&db, &["export", "--format", "vcf"]);
    let text = stdout(&o);
    let store = Store::open(&db).unwrap();
    let uid = |id| store.customer(id).unwrap().uid;
    assert_eq!(uid(zw).len(), 32);
    assert_ne!(uid(zw), uid(anna));
    for line in [
        "VERSION:3.0",
        "FN:张伟",
        "N:张;伟;;;",
        "ORG:华强电子",
        "TITLE:采购经理",
        "TEL;TYPE=CELL:13800138000",
        "EMAIL;TYPE=INTERNET:wei@huaqiang.cn",
        "BDAY:1985-03-12",
        "NOTE:喜欢喝茶",
        "N:Lopez;Anna;;;",
        "BDAY:--09-05",
    ] {
        assert!(text.contains(&format!("{line}\r\n")), "{line}:\n{text}");
    }
    assert!(text.contains(&format!("UID:{}\r\n", uid(zw))));
    assert!(text.contains(&format!("UID:{}\r\n", uid(anna))));
    // Exporting again gives the same UIDs: they are stable.
    assert_eq!(stdout(&rapport(&db, &["export", "--format", "vcf"])), text);
}

#[test]
fn a_card_back_from_the_phone_updates_its_customer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (zw, _) = book(&db);
    let vcf = dir.path().join("contacts.vcf");
    assert!(rapport(&db, &["export", "-o", vcf.to_str().unwrap()]).status.success());
    // On the phone: a new number, a new e-mail, the note untouched.
    let edited = std::fs::read_to_string(&vcf)
        .unwrap()
        .replace("TEL;TYPE=CELL:13800138000", "TEL;TYPE=CELL:13900139000")
        .replace("wei@huaqiang.cn", "zhang.wei@huaqiang.cn");
    std::fs::write(&vcf, edited).unwrap();

    // The preview says what changes; a dry run writes nothing.
    let o = rapport(&db, &["import", vcf.to_str().unwrap(), "--dry-run"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(&format!(
            "updates 张伟 (customer {zw}): Phone 13800138000 → 13900139000; E-mail wei@huaqiang.cn → zhang.wei@huaqiang.cn"
        )),
        "{out}"
    );
    assert!(
        out.contains("updates Anna Lopez (customer 2): nothing changes"),
        "{out}"
    );
    assert_eq!(
        Store::open(&db).unwrap().customer(zw).unwrap().phones,
        vec!["13800138000"]
    );

    // Even with --duplicates skip, a known UID updates instead of adding.
    let o = rapport(&db, &["import", vcf.to_str().unwrap(), "--duplicates", "skip"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.customer_count().unwrap(), 2, "no twin");
    let c = store.customer(zw).unwrap();
    assert_eq!(c.phones, vec!["13900139000"]);
    assert_eq!(c.email, "zhang.wei@huaqiang.cn");
    assert_eq!((c.notes.as_str(), c.hobbies.as_str()), ("喜欢喝茶", "篮球"), "kept");

    // Into another book the cards are new customers that keep their UID,
    // so the next round trip updates there too.
    let other = dir.path().join("other.db");
    assert!(rapport(&other, &["import", vcf.to_str().unwrap()]).status.success());
    let o = rapport(&other, &["import", vcf.to_str().unwrap()]);
    assert!(stdout(&o).contains("nothing changes"), "{}", stdout(&o));
    assert_eq!(Store::open(&other).unwrap().customer_count().unwrap(), 2);
}
