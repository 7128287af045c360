use super::*;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn android_21_quoted_printable_chinese_with_soft_breaks() {
    let text = "BEGIN:VCARD\r\nVERSION:2.1\r\n\
        N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=9F;;;\r\n\
        FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=BC=9F\r\n\
        TEL;CELL;PREF:138-0013-8000\r\n\
        NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=96=9C=E6=AC=A2=E5=96=9D=E8=8C=B6=\r\n\
        =EF=BC=8C=E6=99=9A=E4=B8=8A=E6=89=93\r\n\
        END:VCARD\r\n";
    let conv = parse(text, now());
    assert!(conv.rejects.is_empty(), "{:?}", conv.rejects);
    let c = &conv.incoming[0].customer;
    assert_eq!(c.name, "张伟");
    assert_eq!(c.phones, vec!["138-0013-8000"]);
    assert_eq!(c.notes, "喜欢喝茶，晚上打");
}

#[test]
fn vcard_30_and_40_fields() {
    let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Anna Lopez\nN:Lopez;Anna;;;\nORG:Westbrook Seafood;Sales\n\
        TITLE:Buyer\nitem1.TEL;type=CELL:+1 650 253 0000\nEMAIL;TYPE=INTERNET:anna@westbrook.com\n\
        BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-12\nADR;TYPE=WORK:;;1 Harbour Rd;Seattle;WA;98101;USA\n\
        NOTE:met at the fair\\, wants a quote\\nsoon\nCATEGORIES:VIP,seafood\nEND:VCARD\n\
        BEGIN:VCARD\nVERSION:4.0\nFN:李娜\nTEL;VALUE=uri;TYPE=\"voice,cell\":tel:+86-139-0013-9000\n\
        BDAY:--0905\nIMPP:weixin:lina_88\nEND:VCARD\n";
    let conv = parse(text, now());
    assert!(conv.rejects.is_empty(), "{:?}", conv.rejects);
    let a = &conv.incoming[0].customer;
    assert_eq!(a.name, "Anna Lopez");
    assert_eq!((a.company.as_str(), a.role.as_str()), ("Westbrook Seafood", "Buyer"));
    assert_eq!(a.city, "Seattle");
    assert_eq!(a.birthday.map(|b| b.to_string()).as_deref(), Some("03-12"));
    assert_eq!(a.notes, "met at the fair, wants a quote\nsoon");
    assert_eq!(a.tags, vec!["VIP", "seafood"]);
    let l = &conv.incoming[1].customer;
    assert_eq!(l.phones, vec!["+86-139-0013-9000"]);
    assert_eq!(l.wechat, "lina_88");
    assert_eq!(l.birthday.map(|b| b.to_string()).as_deref(), Some("09-05"));
    assert_eq!(conv.incoming[1].line, 14);
}

#[test]
fn broken_cards_are_rejected_with_their_line() {
    let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\nTEL:call me\nEND:VCARD\n\
        BEGIN:VCARD\nFN:Cy\n\
        BEGIN:VCARD\nVERSION:3.0\nORG:Nameless Ltd\nEND:VCARD\n\
        BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=ZZ\nEND:VCARD\n\
        BEGIN:VCARD\nFN:Di\n";
    let conv = parse(text, now());
    assert!(conv.incoming.is_empty());
    let got: Vec<(usize, &Problem)> = conv.rejects.iter().map(|r| (r.line, &r.problem)).collect();
    assert_eq!(
        got,
        vec![
            (1, &Problem::BadPhone("call me".into())),
            (6, &Problem::UnendedCard),
            (8, &Problem::NoName),
            (12, &Problem::BadCardValue("=ZZ".into())),
            (15, &Problem::UnendedCard),
        ]
    );
    assert_eq!(conv.rejects[1].raw, vec!["Cy"]);
}

#[test]
fn export_round_trips_and_folds_lines() {
    let mut c = Customer::new("欧阳娜娜", now());
    c.id = 9;
    c.company = "深圳华强电子有限公司; 总部".into();
    c.phones = vec!["+86 138 0013 8000".into(), "0755-8888 0000".into()];
    c.email = "nana@huaqiang.cn".into();
    c.city = "深圳".into();
    c.wechat = "nana_oy".into();
    c.birthday = Some(crate::domain::dates::Birthday {
        calendar: crate::domain::dates::Calendar::Gregorian,
        month: 2,
        day: 29,
        year: None,
    });
    c.tags = vec!["VIP".into(), "华南".into()];
    c.notes = format!("{}\n第二行\x1b[31m", "很长的备注".repeat(20));
    let text = cards(std::slice::from_ref(&c));
    for l in text.split("\r\n") {
        assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
    }
    assert!(!text.contains('\x1b'));
    assert!(text.contains("N:欧阳;娜娜;;;"));
    let back = &parse(&text, now()).incoming[0].customer;
    assert_eq!(back.name, c.name);
    assert_eq!(back.company, c.company);
    assert_eq!(back.phones, c.phones);
    assert_eq!(
        (back.email.as_str(), back.city.as_str(), back.wechat.as_str()),
        ("nana@huaqiang.cn", "深圳", "nana_oy")
    );
    assert_eq!(back.birthday, c.birthday);
    assert_eq!(back.tags, c.tags);
    assert_eq!(back.notes, format!("{}\n第二行[31m", "很长的备注".repeat(20)));
}

#[test]
fn names_split_for_n() {
    assert_eq!(split_name("张伟"), ("张".into(), "伟".into()));
    assert_eq!(split_name("司马光"), ("司马".into(), "光".into()));
    assert_eq!(split_name("Anna Maria Lopez"), ("Lopez".into(), "Anna Maria".into()));
    assert_eq!(split_name("Madonna"), (String::new(), "Madonna".into()));
}
