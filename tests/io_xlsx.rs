//! Excel workbooks: the export read back by an independent reader
//! (calamine, not the writer) and checked cell by cell, frozen header and
//! column widths read from the sheet's XML; workbooks written here (by
//! rust_xlsxwriter, not Rapport) imported through `rapport import` with
//! phones stored as numbers, date cells, Chinese sheet and header names,
//! the sheet chosen, rejects with their row numbers; a LibreOffice `.ods`
//! built here byte by byte.

mod common;

use std::io::Read;
use std::process::Output;

use calamine::{Data, Reader};
use chrono::{NaiveDate, NaiveDateTime};
use rapport::domain::customer::{Customer, Grade};
use rapport::domain::dates::Birthday;
use rapport::domain::interaction::InteractionKind;
use rapport::storage::Store;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn rapport(db: &std::path::Path, args: &[&str]) -> Output {
    common::pty::cli(db, args)
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn book(db: &std::path::Path) {
    let mut store = Store::open(db).unwrap();
    let mut a = Customer::new("张伟", at("2026-01-05 10:00"));
    a.company = "深圳华强电子".into();
    a.role = "采购\x1b[31m经理\x07".into();
    a.phones = vec!["13912345678".into(), "0755-8888 0000".into()];
    a.birthday = Some(Birthday {
        month: 3,
        day: 12,
        year: Some(1985),
        calendar: rapport::domain::dates::Calendar::Gregorian,
    });
    a.grade = Grade::A;
    a.notes = "=1+1 is text here\nsecond line".into();
    let id = store.insert_customer(&a).unwrap();
    store
        .log_interaction(id, InteractionKind::Call, at("2026-11-20 10:00"), "")
        .unwrap();
    let mut b = Customer::new("Anna Lopez", at("2026-02-01 09:00"));
    b.phones = vec!["+1 650 253 0000".into()];
    b.birthday = Some(Birthday {
        month: 9,
        day: 5,
        year: None,
        calendar: rapport::domain::dates::Calendar::Gregorian,
    });
    store.insert_customer(&b).unwrap();
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> &Data {
    range.get((row, col)).unwrap_or(&Data::Empty)
}

#[test]
fn the_export_reads_back_with_an_independent_reader() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    book(&db);
    for (lang, sheet, name_col) in [("en", "Customers", "Name"), ("zh", "客户", "姓名")] {
        let path = dir.path().join(format!("customers-{lang}.xlsx"));
        let o = rapport(
            &db,
            &[
                "--lang",
                lang,
                "export",
                "--format",
                "xlsx",
                "-o",
                path.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

        let mut wb = calamine::open_workbook_auto(&path).unwrap();
        assert_eq!(wb.sheet_names(), vec![sheet.to_string()]);
        let r = wb.worksheet_range(sheet).unwrap();
        assert_eq!(r.get_size(), (3, 20));
        assert_eq!(cell(&r, 0, 1), &Data::String(name_col.into()));
        // Ids and phones are text, never numbers.
        assert_eq!(cell(&r, 1, 0), &Data::String("1".into()));
        assert_eq!(cell(&r, 1, 1), &Data::String("张伟".into()));
        assert_eq!(cell(&r, 1, 4), &Data::String("13912345678; 0755-8888 0000".into()));
        assert_eq!(cell(&r, 2, 4), &Data::String("+1 650 253 0000".into()));
        // Control characters never reach the file.
        assert_eq!(cell(&r, 1, 3), &Data::String("采购[31m经理".into()));
        // A formula-looking note stays text, line break and all.
        assert_eq!(cell(&r, 1, 16), &Data::String("=1+1 is text here\nsecond line".into()));
        // Dates are dates; a birthday without a year stays "09-05".
        let date = |d: &Data| match d {
            Data::DateTime(dt) => dt.as_datetime().map(|t| t.date()),
            other => panic!("not a date: {other:?}"),
        };
        assert_eq!(date(cell(&r, 1, 8)), Some(day(1985, 3, 12)));
        assert_eq!(cell(&r, 2, 8), &Data::String("09-05".into()));
        assert_eq!(date(cell(&r, 1, 17)), Some(day(2026, 11, 20)), "last contact");
        assert_eq!(date(cell(&r, 1, 19)), Some(day(2026, 1, 5)), "added");

        // The header is frozen and has a filter; columns have widths.
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
            "{xml}"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:T3\""), "{xml}");
        // Every column sized (equal neighbours share one <col>), the
        // phones column to its longest value.
        assert!(
            xml.contains(r#"<col min="1" max="1""#) && xml.contains(r#"max="20""#),
            "{xml}"
        );
        let phones = xml.split(r#"<col min="5" max="5" width=""#).nth(1).unwrap();
        let width: f64 = phones.split('"').next().unwrap().parse().unwrap();
        assert!(width > "13912345678; 0755-8888 0000".len() as f64, "{width}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    // A workbook is not sent to a terminal; to a pipe it is.
    let o = rapport(&db, &["export", "--format", "xlsx"]);
    assert!(o.status.success());
    assert!(o.stdout.starts_with(b"PK"), "a zip file");
}

/// A workbook as a rep's spreadsheet has it: an empty first sheet,
/// Chinese sheet and header names, phones typed as numbers, date cells.
fn reps_workbook(path: &std::path::Path) {
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("说明").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("客户名单").unwrap();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (col, h) in ["姓名", "公司", "手机", "生日", "等级", "城市"].iter().enumerate() {
        ws.write_string(1, col as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "张伟").unwrap();
    ws.write_string(2, 1, "华强电子").unwrap();
    ws.write_number(2, 2, 13912345678.0).unwrap();
    ws.write_datetime_with_format(2, 3, ExcelDateTime::from_ymd(1985, 3, 12).unwrap(), &date)
        .unwrap();
    ws.write_string(2, 4, "A").unwrap();
    ws.write_string(2, 5, "深圳").unwrap();
    ws.write_string(3, 0, "李娜").unwrap();
    ws.write_number(3, 2, 8613800138000.0).unwrap();
    ws.write_string(3, 4, "B").unwrap();
    ws.write_string(4, 0, "王芳").unwrap();
    ws.write_string(4, 2, "call me").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_reps_workbook_imports_like_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let xlsx = dir.path().join("客户.xlsx");
    reps_workbook(&xlsx);
    let x = xlsx.to_str().unwrap();

    let o = rapport(&db, &["import", x, "--dry-run"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // A row is rejected: 1, as the import itself.
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("Read sheet \"客户名单\" (2 of 2: 说明, 客户名单), 3 rows."),
        "{out}"
    );
    assert!(out.contains("手机 → Phone"), "{out}");
    assert!(out.contains("line 5: "), "the reject names its row in the sheet: {out}");

    let o = rapport(&db, &["import", x]);
    assert_eq!(o.status.code(), Some(1), "a row was rejected");
    assert!(dir.path().join("客户.rejects.csv").exists());
    let store = Store::open(&db).unwrap();
    assert_eq!(store.customer_count().unwrap(), 2);
    let zw = store.customer(1).unwrap();
    assert_eq!(zw.name, "张伟");
    assert_eq!(zw.phones, vec!["13912345678"], "a number keeps its digits");
    assert_eq!(zw.birthday.map(|b| b.to_string()).as_deref(), Some("1985-03-12"));
    assert_eq!((zw.grade, zw.city.as_str()), (Grade::A, "深圳"));
    assert_eq!(store.customer(2).unwrap().phones, vec!["8613800138000"]);
    drop(store);

    // The same file again: duplicates, never added twice.
    let o = rapport(&db, &["import", x]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 duplicates"));

    // The sheet by name or number; a wrong one is named with the choices.
    let o = rapport(&db, &["import", x, "--sheet", "1", "--dry-run"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("empty"));
    let o = rapport(&db, &["import", x, "--sheet", "客户名单", "--dry-run"]);
    assert_eq!(o.status.code(), Some(1), "its row with \"call me\" is still rejected");
    let o = rapport(&db, &["--lang", "zh", "import", x, "--sheet", "产品", "--dry-run"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("没有工作表“产品”") && err.contains("说明, 客户名单"),
        "{err}"
    );
    // Not a workbook at all.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, "name,phone\n").unwrap();
    let o = rapport(&db, &["import", fake.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be read"));
}

#[test]
fn an_exported_workbook_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    book(&db);
    let xlsx = dir.path().join("all.xlsx");
    assert!(rapport(&db, &["export", "-o", xlsx.to_str().unwrap()]).status.success());
    let copy = dir.path().join("copy.db");
    let o = rapport(&copy, &["import", xlsx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let (a, b) = (Store::open(&db).unwrap(), Store::open(&copy).unwrap());
    for id in [1, 2] {
        let (x, y) = (a.customer(id).unwrap(), b.customer(id).unwrap());
        assert_eq!((&x.name, &x.company, &x.phones), (&y.name, &y.company, &y.phones));
        assert_eq!((x.birthday, x.grade, &x.notes), (y.birthday, y.grade, &y.notes));
    }
}

/// A LibreOffice spreadsheet (.ods) as the smallest valid file: the
/// mimetype first and stored, then the content.
fn ods(path: &std::path::Path) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    z.start_file("META-INF/manifest.xml", stored).unwrap();
    z.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#,
    )
    .unwrap();
    z.start_file("content.xml", stored).unwrap();
    z.write_all(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="客户">
<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>电话</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>生日</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>张伟</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="13912345678"><text:p>1.39123E+10</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="1985-03-12T00:00:00"><text:p>1985/3/12</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#
            .as_bytes(),
    )
    .unwrap();
    z.finish().unwrap();
}

#[test]
fn a_libreoffice_spreadsheet_imports_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let path = dir.path().join("客户.ods");
    ods(&path);
    let o = rapport(&db, &["import", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Read sheet \"客户\""));
    let c = Store::open(&db).unwrap().customer(1).unwrap();
    assert_eq!(c.phones, vec!["13912345678"], "the number, not the text shown");
    assert_eq!(c.birthday.map(|b| b.to_string()).as_deref(), Some("1985-03-12"));
}

#[test]
fn purchases_import_from_a_workbook_through_the_same_reader() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(
        rapport(&db, &["add", "--name", "张伟", "--phone", "13912345678"])
            .status
            .success()
    );
    let path = dir.path().join("订单.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("订单").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, h) in ["手机", "日期", "产品", "金额"].iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 13912345678.0).unwrap();
    ws.write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2026, 11, 2).unwrap(), &date)
        .unwrap();
    ws.write_string(1, 2, "茶叶").unwrap();
    ws.write_number(1, 3, 1280.5).unwrap();
    wb.save(&path).unwrap();
    let o = rapport(&db, &["purchases", "import", path.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("Read sheet \"订单\" (1 of 1: 订单), 1 row."), "{out}");
    let o = rapport(&db, &["purchases", "export"]);
    let csv = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        csv.contains("2026-11-02") && csv.contains("茶叶") && csv.contains("1280.5"),
        "{csv}"
    );
}

#[test]
fn purchases_export_as_a_workbook_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(
        rapport(
            &db,
            &["add", "--name", "张伟", "--company", "华强", "--phone", "13912345678"]
        )
        .status
        .success()
    );
    let add = |date: &str, amount: &str, product: &str| {
        let o = rapport(
            &db,
            &[
                "purchases",
                "add",
                "1",
                "--date",
                date,
                "--amount",
                amount,
                "--product",
                product,
                "--qty",
                "3",
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    add("2026-11-02", "1,280.50", "茶叶");
    add("2026-10-01", "99", "=HYPERLINK(\"x\")");
    let path = dir.path().join("购买.xlsx");
    let o = rapport(&db, &["purchases", "export", "-o", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.height(), 3, "a header and two purchases");
    // Oldest first: the October one, then November's.
    assert_eq!(cell(&range, 1, 0), &Data::String("1".into()), "the id is text");
    assert_eq!(cell(&range, 2, 1), &Data::String("张伟".into()));
    assert_eq!(cell(&range, 2, 2), &Data::String("华强".into()));
    assert!(
        matches!(cell(&range, 2, 3), Data::DateTime(_)),
        "{:?}",
        cell(&range, 2, 3)
    );
    assert_eq!(cell(&range, 2, 4), &Data::String("茶叶".into()));
    assert_eq!(cell(&range, 2, 5), &Data::Float(3.0));
    assert_eq!(cell(&range, 2, 6), &Data::Float(1280.5));
    // A product that looks like a formula stays text.
    assert_eq!(cell(&range, 1, 4), &Data::String("=HYPERLINK(\"x\")".into()));
    // --format says it too; a bad one is refused.
    let o = rapport(&db, &["purchases", "export", "--format", "pdf", "-o", "x.pdf"]);
    assert!(!o.status.success());
}
