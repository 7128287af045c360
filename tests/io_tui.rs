//! The import overlay driven through the real keymap: the file field, the
//! preview with its changeable mapping, questions about duplicates,
//! cancelling, and what lands in the database.

mod common;

use common::Harness;
use rapport::domain::customer::Customer;
use rapport::i18n::Lang;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/io")
        .join(name)
}

/// Opens the overlay and reads `file` (copied into the harness folder).
fn open(h: &mut Harness, file: &str) -> std::path::PathBuf {
    let path = h.dir.path().join(file);
    std::fs::copy(fixture(file), &path).unwrap();
    h.keys("<C-u>");
    h.app.type_text(&path.display().to_string());
    h.keys("<Enter>");
    path
}

fn names(h: &Harness) -> Vec<String> {
    let mut v: Vec<String> = h
        .store
        .export_customers()
        .unwrap()
        .into_iter()
        .map(|e| e.customer.name)
        .collect();
    v.sort();
    v
}

#[test]
fn welcome_i_previews_the_mapping_and_imports_row_by_row() {
    let mut h = Harness::empty(Lang::En);
    h.keys("i");
    let screen = h.screen(100, 30);
    assert!(screen.contains("File:"), "{screen}");
    open(&mut h, "zh_utf8.csv");
    let screen = h.screen(100, 30);
    for want in [
        "姓名",
        "→ Name",
        "手机",
        "→ Phone",
        "4 read: 4 new, 0 duplicates, 0 rejected.",
    ] {
        assert!(screen.contains(want), "{want} missing:\n{screen}");
    }
    h.assert_no_control_cells(80, 24);
    // The WeChat column (4th) is left out.
    h.keys("jjjx");
    assert!(h.screen(100, 30).contains("(not imported)"));
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    let screen = h.screen(100, 30);
    assert!(screen.contains("Imported."), "{screen}");
    assert!(screen.contains("Read 4: 4 imported, 0 duplicates (0 merged, 0 skipped), 0 rejected."));
    h.keys("<Esc>");
    assert!(h.app.overlay.is_none());
    h.app.wait_for_index();
    assert_eq!(h.app.total, 4);
    assert_eq!(names(&h), vec!["张伟", "李娜", "欧阳娜娜", "王芳"]);
    let all = h.store.export_customers().unwrap();
    assert!(
        all.iter().all(|e| e.customer.wechat.is_empty()),
        "the ignored column was not imported"
    );
    assert_eq!(all[0].customer.phones, vec!["138 0013 8000"]);
    // The list shows them; the import is reachable from the list with I.
    assert!(h.screen(100, 30).contains("欧阳娜娜"));
    h.keys("I");
    assert!(h.screen(100, 30).contains("File:"));
}

#[test]
fn duplicates_are_asked_about_one_by_one() {
    let mut h = Harness::with(Lang::Zh, |store| {
        let mut c = Customer::new("张伟", common::now());
        c.phones = vec!["+86 138 0013 8000".into()];
        store.insert_customer(&c).unwrap();
        let mut c = Customer::new("李娜", common::now());
        c.company = "北京华联商厦".into();
        store.insert_customer(&c).unwrap();
    });
    h.keys("I");
    open(&mut h, "zh_utf8.csv");
    // skip → merge → ask
    h.keys("dd");
    let screen = h.screen(100, 30);
    assert!(screen.contains("逐个询问"), "{screen}");
    h.keys("<Enter>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("是同一个人吗？（电话相同"), "{screen}");
    assert!(screen.contains("文件中第 2 行"));
    h.keys("m");
    let screen = h.screen(100, 30);
    assert!(screen.contains("姓名和公司相同"), "{screen}");
    h.keys("k");
    h.app.wait_for_import(&h.store);
    assert!(h.screen(100, 30).contains("导入 3 条，重复 1 条（合并 1，跳过 0）"));
    h.keys("<Enter>");
    assert_eq!(names(&h), vec!["张伟", "李娜", "李娜", "欧阳娜娜", "王芳"]);
    let zhang = h.store.customer(1).unwrap();
    assert_eq!(zhang.company, "深圳华强电子有限公司", "merged into the known one");
    assert_eq!(
        zhang.phones,
        vec!["+86 138 0013 8000"],
        "the same phone is not added twice"
    );
}

#[test]
fn a_broken_file_is_explained_and_nothing_imported() {
    let mut h = Harness::empty(Lang::En);
    h.keys("i");
    open(&mut h, "malformed_unterminated.csv");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("line 3: a quote opened here is never closed"),
        "{screen}"
    );
    assert!(screen.contains("File:"), "still on the file field");
    h.keys("<Esc>");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.store.customer_count().unwrap(), 0);
    // A file without a name column cannot be started until one is chosen.
    let path = h.dir.path().join("kunden.csv");
    std::fs::write(&path, "Kunde;Telefon\nAnna Schmidt;030 1234567\n").unwrap();
    h.keys("i<C-u>");
    h.app.type_text(&path.display().to_string());
    h.keys("<Enter>");
    assert!(h.screen(100, 30).contains("no column holds the name"));
    h.keys("<Enter>");
    assert!(
        h.screen(100, 30).contains("no column holds the name"),
        "Enter does nothing yet"
    );
    h.keys("<Right>");
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    h.keys("<Enter>");
    assert_eq!(names(&h), vec!["Anna Schmidt"]);
}

#[test]
fn cancelling_writes_nothing() {
    let mut h = Harness::empty(Lang::En);
    let path = h.dir.path().join("many.csv");
    let mut text = String::from("Name,Phone\n");
    for i in 0..20_000 {
        text.push_str(&format!("Customer {i},13{i:09}\n"));
    }
    std::fs::write(&path, text).unwrap();
    h.keys("i<C-u>");
    h.app.type_text(&path.display().to_string());
    h.keys("<Enter><Enter>");
    assert!(h.screen(100, 30).contains("Writing"));
    h.keys("<Esc>");
    h.app.wait_for_import(&h.store);
    assert!(h.screen(100, 30).contains("Cancelled: nothing was imported."));
    assert_eq!(h.store.customer_count().unwrap(), 0);
}

#[test]
fn vcards_and_tab_completion() {
    let mut h = Harness::empty(Lang::En);
    std::fs::copy(fixture("ios_30.vcf"), h.dir.path().join("contacts.vcf")).unwrap();
    h.keys("i<C-u>");
    h.app.type_text(&format!("{}/con", h.dir.path().display()));
    h.keys("<Tab>");
    assert!(h.screen(100, 30).contains("contacts.vcf"));
    h.keys("<Enter>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("2 cards"), "{screen}");
    assert!(screen.contains("Anna Maria Lopez · Westbrook Seafood"));
    h.keys("<Enter>");
    h.app.wait_for_import(&h.store);
    h.keys("<Enter>");
    assert_eq!(names(&h), vec!["Anna Maria Lopez", "李娜"]);
}

#[test]
fn the_preview_passes_over_a_field_another_column_fills_and_says_so() {
    let mut h = Harness::empty(Lang::En);
    h.keys("i");
    open(&mut h, "zh_utf8.csv");
    // The second column (company) stepped back through the name parts:
    // Name itself is column 1's, so it is passed over (to "not imported").
    h.keys("j<Left><Left><Left><Left>");
    let msg = h.app.message.clone().map(|m| m.0).unwrap_or_default();
    assert!(msg.contains("Name is already column 1 (姓名)"), "{msg}");
    let screen = h.screen(100, 30);
    assert_eq!(screen.matches("→ Name").count(), 1, "{screen}");
    assert!(screen.contains("公司") && screen.contains("(not imported)"), "{screen}");
}
