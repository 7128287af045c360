//! CSV and vCard imports of the fixtures under `tests/fixtures/io`, checked
//! row by row in the database: Chinese and Latin, UTF-8 with and without a
//! byte-order mark, GB18030, UTF-16, windows-1252, Google Contacts and
//! Outlook headers, vCard 2.1/3.0/4.0, and malformed files.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rapport::domain::customer::{Customer, Grade, Status};
use rapport::io::csvin::Malformed;
use rapport::io::load::{LoadError, Loaded, load};
use rapport::io::plan::{DupPolicy, Plan};
use rapport::io::{Field, Problem};
use rapport::storage::Store;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/io")
        .join(name)
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

/// Imports a fixture the way `rapport import` does; returns the plan.
fn import(store: &mut Store, name: &str, policy: DupPolicy) -> Plan {
    let loaded = load(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let plan = Plan::new(loaded.convert(now()), &store.known_customers().unwrap(), policy);
    let since = plan.known_max;
    let (new, merges) = plan.clone().resolve();
    store
        .import_customers(&new, &merges, since, "test import", now(), &mut |_, _| true)
        .unwrap()
        .unwrap();
    plan
}

fn book(store: &Store) -> Vec<Customer> {
    store
        .export_customers()
        .unwrap()
        .into_iter()
        .map(|e| e.customer)
        .collect()
}

/// The fields a row sets, for row-by-row comparison.
#[derive(Debug, PartialEq)]
struct Row<'a> {
    name: &'a str,
    company: &'a str,
    phones: Vec<&'a str>,
    email: &'a str,
    city: &'a str,
    birthday: Option<String>,
}

fn row(c: &Customer) -> Row<'_> {
    Row {
        name: &c.name,
        company: &c.company,
        phones: c.phones.iter().map(String::as_str).collect(),
        email: &c.email,
        city: &c.city,
        birthday: c.birthday.map(|b| b.to_string()),
    }
}

fn r<'a>(
    name: &'a str,
    company: &'a str,
    phones: &[&'a str],
    email: &'a str,
    city: &'a str,
    bday: Option<&str>,
) -> Row<'a> {
    Row {
        name,
        company,
        phones: phones.to_vec(),
        email,
        city,
        birthday: bday.map(str::to_string),
    }
}

fn chinese_rows() -> Vec<Row<'static>> {
    vec![
        r(
            "张伟",
            "深圳华强电子有限公司",
            &["138 0013 8000"],
            "wei.zhang@huaqiang.cn",
            "深圳",
            Some("1985-03-12"),
        ),
        r(
            "李娜",
            "北京华联商厦",
            &["13900139000"],
            "lina@hualian.com",
            "北京",
            Some("03-05"),
        ),
        r("王芳", "广州白云制药", &["+86 137-0013-7000"], "", "广州", None),
        r("欧阳娜娜", "", &["186 1234 5678"], "", "上海", Some("1990-02-28")),
    ]
}

#[test]
fn chinese_headers_in_utf8_and_gb18030_import_the_same_rows() {
    for file in ["zh_utf8.csv", "zh_gb18030.csv"] {
        let (_d, mut store) = store();
        let plan = import(&mut store, file, DupPolicy::Skip);
        assert!(plan.rejects.is_empty(), "{file}: {:?}", plan.rejects);
        let got = book(&store);
        assert_eq!(got.iter().map(row).collect::<Vec<_>>(), chinese_rows(), "{file}");
        let grades: Vec<Grade> = got.iter().map(|c| c.grade).collect();
        assert_eq!(grades, vec![Grade::A, Grade::B, Grade::C, Grade::D]);
        let statuses: Vec<Status> = got.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            vec![Status::Loyal, Status::Active, Status::Potential, Status::Target]
        );
        assert_eq!(got[0].wechat, "zw_88");
        assert_eq!(got[0].notes, "喜欢喝茶，晚上打电话");
        assert_eq!(got[2].notes, "两行备注\r\n第二行, 带逗号");
        // Pinyin search keys were computed on the way in.
        let key = store.customer_row(got[0].id).unwrap().search_key;
        assert!(key.contains("zhangwei") || key.contains("zw"), "{key}");
    }
    // The committed GB18030 bytes are GB18030 indeed.
    let gb = std::fs::read(fixture("zh_gb18030.csv")).unwrap();
    let utf8 = std::fs::read_to_string(fixture("zh_utf8.csv")).unwrap();
    assert_eq!(encoding_rs::GB18030.encode(&utf8).0.as_ref(), gb.as_slice());
    match load(&fixture("zh_gb18030.csv"), None).unwrap() {
        Loaded::Csv { encoding, .. } => assert_eq!(encoding, "GB18030"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bom_semicolons_and_chinese_grade_names() {
    let (_d, mut store) = store();
    let plan = import(&mut store, "zh_bom_semicolon.csv", DupPolicy::Skip);
    assert!(plan.rejects.is_empty(), "{:?}", plan.rejects);
    let got = book(&store);
    assert_eq!(
        got.iter().map(row).collect::<Vec<_>>(),
        vec![
            r("陈静", "杭州西湖茶业", &["0571-8888 0000"], "", "杭州", None),
            r("赵磊", "成都天府软件", &["15008001234"], "", "成都", None),
        ]
    );
    assert_eq!((got[0].grade, got[1].grade), (Grade::A, Grade::B));
    assert_eq!(got[0].notes, "采购, 每季度");
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let (_d, mut store) = store();
    let plan = import(&mut store, "excel_unicode.txt", DupPolicy::Skip);
    assert!(plan.rejects.is_empty(), "{:?}", plan.rejects);
    assert_eq!(
        book(&store).iter().map(row).collect::<Vec<_>>(),
        vec![
            r("周杰", "台北音乐工作室", &["0912 345 678"], "", "台北", None),
            r(
                "Lena Fischer",
                "Müller & Söhne GmbH",
                &["+49 30 1234567"],
                "",
                "Berlin",
                None
            ),
        ]
    );
}

#[test]
fn google_contacts_exports_old_and_new() {
    let (_d, mut store) = store();
    let plan = import(&mut store, "google_contacts.csv", DupPolicy::Skip);
    assert!(plan.rejects.is_empty(), "{:?}", plan.rejects);
    import(&mut store, "google_contacts_2024.csv", DupPolicy::Skip);
    let got = book(&store);
    assert_eq!(
        got.iter().map(row).collect::<Vec<_>>(),
        vec![
            r(
                "Anna Lopez",
                "Westbrook Seafood",
                &["+1 206-555-0101", "+1 206-555-0102"],
                "anna@westbrook.com",
                "Seattle",
                Some("1988-07-14"),
            ),
            r("张伟", "深圳华强电子", &["13800138001"], "", "深圳", Some("03-12")),
            r(
                "Hiroshi Tan",
                "Maple Ridge Electronics",
                &["+81 90-1234-5678"],
                "hiroshi@mapleridge.jp",
                "Osaka",
                None,
            ),
        ]
    );
    assert_eq!(
        (got[0].role.as_str(), got[1].role.as_str(), got[2].role.as_str()),
        ("Buyer", "采购经理", "CTO")
    );
    assert_eq!(got[0].tags, vec!["Clients"]);
    assert!(got[1].tags.is_empty(), "Google's system groups are not tags");
    assert_eq!(got[0].notes, "Met at the Canton fair");
}

#[test]
fn outlook_export_in_windows_1252() {
    let (_d, mut store) = store();
    let loaded = load(&fixture("outlook_cp1252.csv"), None).unwrap();
    let Loaded::Csv { mapping, encoding, .. } = &loaded else {
        panic!()
    };
    assert_eq!(encoding, "windows-1252");
    assert_eq!(mapping.columns[0], Field::Ignore, "Outlook's Title is Mr./Ms.");
    assert_eq!(mapping.columns[7], Field::Role);
    let plan = import(&mut store, "outlook_cp1252.csv", DupPolicy::Skip);
    assert!(plan.rejects.is_empty(), "{:?}", plan.rejects);
    let got = book(&store);
    assert_eq!(
        got.iter().map(row).collect::<Vec<_>>(),
        vec![
            r(
                "François Dupré",
                "Société Générale",
                &["+33 1 42 14 20 00"],
                "francois.dupre@socgen.fr",
                "Paris",
                Some("1975-04-23"),
            ),
            r(
                "José Müller",
                "Café Zürich AG",
                &["+41 44 123 45 67"],
                "",
                "Zürich",
                None
            ),
        ]
    );
    assert_eq!(got[0].role, "Directeur");
    assert_eq!(got[0].notes, "Préfère le matin");
    assert_eq!(got[0].tags, vec!["VIP"]);
}

#[test]
fn every_bad_row_is_rejected_with_its_line_and_the_good_ones_imported() {
    let (_d, mut store) = store();
    let plan = import(&mut store, "mixed_rejects.csv", DupPolicy::Skip);
    let got: Vec<(usize, Problem)> = plan.rejects.iter().map(|r| (r.line, r.problem.clone())).collect();
    assert_eq!(
        got,
        vec![
            (3, Problem::NoName),
            (4, Problem::BadPhone("call me".into())),
            (5, Problem::BadEmail("not-an-email".into())),
            (6, Problem::BadBirthday("1980-02-30".into())),
            (7, Problem::BadGrade("Z".into())),
            (8, Problem::Columns { found: 7, expected: 6 }),
        ]
    );
    let names: Vec<String> = book(&store).into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["Good One", "Evil\x1b[31mName", "Good Two"]);
    let s = plan.summary();
    assert_eq!((s.read, s.imported, s.rejected), (9, 3, 6));
    assert_eq!(s.read, s.imported + s.duplicates() + s.rejected);
    // Control characters are stored as given.
    assert_eq!(book(&store)[1].company, "Bell\x07Corp");
}

#[test]
fn malformed_files_are_refused_whole_with_the_line() {
    let err = |f: &str| match load(&fixture(f), None) {
        Err(LoadError::Malformed(m)) => m,
        other => panic!("{f}: {other:?}"),
    };
    assert_eq!(
        err("malformed_unterminated.csv"),
        Malformed::UnterminatedQuote { line: 3, swallowed: 2 }
    );
    assert_eq!(
        err("malformed_swallowed.csv"),
        Malformed::RowsInQuote { line: 2, end: 4 }
    );
    assert!(matches!(
        err("malformed_columns.csv"),
        Malformed::ColumnCounts {
            expected: 3,
            bad: 3,
            first: 2,
            ..
        }
    ));
}

#[test]
fn importing_the_same_file_twice_never_doubles() {
    let (_d, mut store) = store();
    import(&mut store, "zh_utf8.csv", DupPolicy::Skip);
    let again = import(&mut store, "zh_utf8.csv", DupPolicy::Skip);
    let s = again.summary();
    assert_eq!((s.read, s.imported, s.skipped), (4, 0, 4));
    // The same people from a GB18030 export of another tool merge instead.
    let merged = import(&mut store, "zh_gb18030.csv", DupPolicy::Merge);
    assert_eq!(merged.summary().merged, 4);
    assert_eq!(store.customer_count().unwrap(), 4);
}

#[test]
fn vcards_from_android_ios_and_version_4() {
    let (_d, mut store) = store();
    for f in ["android_21.vcf", "ios_30.vcf", "v40.vcf"] {
        let plan = import(&mut store, f, DupPolicy::Skip);
        assert!(plan.rejects.is_empty(), "{f}: {:?}", plan.rejects);
    }
    let got = book(&store);
    assert_eq!(
        got.iter().map(row).collect::<Vec<_>>(),
        vec![
            r(
                "张伟",
                "深圳华强电子有限公司",
                &["138-0013-8000", "0755-8888-0000"],
                "wei.zhang@huaqiang.cn",
                "",
                Some("1985-03-12"),
            ),
            r("欧阳娜娜", "", &["18612345678"], "", "", None),
            r("Andrew Perez", "", &["+1-555-010-2030"], "", "", None),
            r(
                "Anna Maria Lopez",
                "Westbrook Seafood",
                &["+1 (206) 555-0101", "+1 206 555 0199"],
                "anna@westbrook.com",
                "Seattle",
                Some("07-14"),
            ),
            r("李娜", "北京华联商厦", &["139 0013 9000"], "", "", None),
            r(
                "Hiroshi Tan",
                "Maple Ridge Electronics",
                &["+81-90-1234-5678"],
                "hiroshi@mapleridge.jp",
                "Osaka",
                Some("09-05"),
            ),
            r("高家豪", "", &["13512345678"], "", "", Some("1992-02-29")),
        ]
    );
    assert_eq!(got[0].notes, "客户很重视售后服务，每次拜访请带上新产品目录和报价单");
    assert_eq!(got[3].role, "Head Buyer");
    assert_eq!(got[3].notes, "Prefers e-mail, not calls.\nAsk about the Q3 order.");
    assert_eq!(got[3].tags, vec!["Clients", "Seafood"]);
    assert_eq!(
        got[4].notes,
        "很长的备注会被折行，折行的续行以一个空格开头，解析时要把它们接回原来的一行里面去，中文字符不能被拆坏。"
    );
    assert_eq!(got[4].wechat, "lina_bj");
    assert_eq!(got[5].wechat, "hiroshi_tan");
}

#[test]
fn broken_vcards_are_rejected_with_their_line() {
    let (_d, mut store) = store();
    let plan = import(&mut store, "broken.vcf", DupPolicy::Skip);
    let got: Vec<(usize, Problem)> = plan.rejects.iter().map(|r| (r.line, r.problem.clone())).collect();
    assert_eq!(
        got,
        vec![
            (6, Problem::NoName),
            (11, Problem::BadPhone("call me maybe".into())),
            (16, Problem::BadCardValue("=E5=BC=ZZ".into())),
            (20, Problem::UnendedCard),
        ]
    );
    assert_eq!(
        book(&store).iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["Good Card"]
    );
}
