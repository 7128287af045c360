use chrono::NaiveDate;

use super::*;
use crate::io::csvin;

fn known(id: i64, name: &str, company: &str, phone: &str) -> Known {
    Known {
        id,
        name: name.into(),
        company: company.into(),
        phones: if phone.is_empty() { vec![] } else { vec![phone.into()] },
        uid: String::new(),
    }
}

fn book() -> Resolver {
    Resolver::new(&[
        known(1, "张伟", "华强电子", "138 0013 8000"),
        known(2, "张伟", "北京华联", "139 0000 0000"),
        known(3, "Li Na", "Acme", ""),
        known(4, "王芳", "甲", "021-5555 0000"),
        known(5, "王芳", "甲", ""),
    ])
}

#[test]
fn a_row_finds_its_customer_or_says_why_not() {
    let r = book();
    assert_eq!(r.find("3", "", "", ""), Ok(3));
    assert_eq!(r.find("99", "Li Na", "", ""), Err(Problem::NoCustomer("99".into())));
    assert_eq!(r.find("", "", "", "+86 138-0013-8000"), Ok(1));
    assert_eq!(r.find("", "Li Na", "", ""), Ok(3));
    // The name repeats: the company decides, and without it nothing is guessed.
    assert_eq!(r.find("", "张伟", "北京华联", ""), Ok(2));
    assert_eq!(
        r.find("", "张伟", "", ""),
        Err(Problem::AmbiguousCustomer("张伟".into()))
    );
    assert_eq!(
        r.find("", "王芳", "甲", ""),
        Err(Problem::AmbiguousCustomer("王芳".into()))
    );
    assert_eq!(r.find("", "Nobody", "", ""), Err(Problem::NoCustomer("Nobody".into())));
    // An unknown phone falls back to the name.
    assert_eq!(r.find("", "Li Na", "", "12345678"), Ok(3));
}

#[test]
fn rows_convert_with_line_numbers_and_reasons() {
    let text = "客户,公司,下单日期,商品,数量,金额\n\
                张伟,华强电子,2026-03-04,纸箱,2,\"1,234.50\"\n\
                张伟,,2026/3/5,胶带,1,¥99\n\
                Li Na,,2026年3月6日 10:22,,,1234.50元\n\
                Li Na,,2027-01-01,x,1,5\n\
                Li Na,,2026-03-07,x,two,5\n\
                Li Na,,2026-03-07,x,1,-5\n";
    let table = csvin::parse(text).unwrap();
    let mapping = PurchaseMapping::detect(&table.header);
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let (ok, rejects) = convert(&table, &mapping, &book(), Currency::default(), today);
    let got: Vec<_> = ok
        .iter()
        .map(|i| (i.line, i.purchase.customer_id, i.purchase.amount, i.purchase.quantity))
        .collect();
    assert_eq!(got, vec![(2, 1, 123_450, 2), (4, 3, 123_450, 1)]);
    assert_eq!(ok[1].purchase.date, NaiveDate::from_ymd_opt(2026, 3, 6).unwrap());
    let why: Vec<_> = rejects.iter().map(|r| (r.line, r.problem.message(Lang::En))).collect();
    assert_eq!(why.len(), 4);
    assert_eq!(why[0].0, 3);
    assert!(why[0].1.contains("more than one"), "{why:?}");
    assert!(why[1].1.contains("future"), "{why:?}");
    assert!(why[2].1.contains("quantity"), "{why:?}");
    assert!(why[3].1.contains("more than zero"), "{why:?}");
    assert!(rejects[0].problem.message(Lang::Zh).contains("多位客户"));
}

#[test]
fn the_csv_export_reads_back_through_the_import() {
    let p = Purchase {
        id: 1,
        customer_id: 3,
        date: NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        product: "=cmd".into(),
        quantity: 4,
        amount: 123_450,
        note: String::new(),
    };
    let names = HashMap::from([(3, ("Li Na".to_string(), "Acme".to_string()))]);
    for lang in [Lang::En, Lang::Zh] {
        let bytes = purchases_csv(lang, Currency::default(), std::slice::from_ref(&p), &names);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("'=cmd"), "{text}");
        let table = csvin::parse(&text).unwrap();
        let mapping = PurchaseMapping::detect(&table.header);
        assert_eq!(mapping.missing(), None, "{:?}", table.header);
        let (ok, rejects) = convert(&table, &mapping, &book(), Currency::default(), p.date);
        assert!(rejects.is_empty(), "{rejects:?}");
        assert_eq!(
            (
                ok[0].purchase.amount,
                ok[0].purchase.customer_id,
                ok[0].purchase.quantity
            ),
            (123_450, 3, 4)
        );
    }
}
