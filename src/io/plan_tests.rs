use super::*;

fn cust(name: &str, company: &str, phones: &[&str]) -> Customer {
    let mut c = Customer::new(name, Default::default());
    c.company = company.into();
    c.phones = phones.iter().map(|s| s.to_string()).collect();
    c
}

fn inc(line: usize, c: Customer) -> Incoming {
    Incoming {
        line,
        customer: c,
        given: Default::default(),
    }
}

#[test]
fn a_large_file_finds_each_duplicate_whichever_thread_computed_its_keys() {
    // Row i repeats row i - 3000 by phone (even i) or by name and
    // company (odd i): twins land in another thread's share of rows.
    let n = 6000;
    let incoming = (0..n)
        .map(|i| {
            let j = if i >= 3000 { i - 3000 } else { i };
            let phone = format!("+86 139 {j:04} 0000");
            let c = if i >= 3000 && i % 2 == 1 {
                cust(&format!("Person {j}"), &format!("Firm {j}"), &[])
            } else {
                cust(&format!("Person {j}"), &format!("Firm {j}"), &[phone.as_str()])
            };
            inc(i + 2, c)
        })
        .collect();
    let converted = Converted {
        incoming,
        rejects: vec![],
    };
    let plan = Plan::new(converted, &[], DupPolicy::Skip);
    assert_eq!(plan.fresh.len(), 3000);
    assert_eq!(plan.duplicates.len(), 3000);
    for d in &plan.duplicates {
        let i = d.incoming.line - 2;
        assert_eq!(d.twin, Twin::Earlier(i - 3000), "row {i}");
        let because = if i % 2 == 0 {
            Because::Phone
        } else {
            Because::NameCompany
        };
        assert_eq!(d.because, because, "row {i}");
    }
}

#[test]
fn duplicates_of_the_book_and_of_earlier_rows() {
    let known = vec![Known {
        id: 7,
        name: "张伟".into(),
        company: "华强".into(),
        phones: vec!["+86 138 0013 8000".into()],
        uid: String::new(),
    }];
    let converted = Converted {
        incoming: vec![
            inc(2, cust("Wei Zhang", "", &["13800138000"])),
            inc(3, cust("张伟", "华强", &[])),
            inc(4, cust("Anna", "Acme", &["555 0101"])),
            inc(5, cust("anna", " Acme ", &[])),
            inc(6, cust("Bo", "", &["555-0101"])),
            inc(7, cust("Cy", "", &[])),
        ],
        rejects: vec![],
    };
    let plan = Plan::new(converted, &known, DupPolicy::Skip);
    assert_eq!(plan.fresh.iter().map(|i| i.line).collect::<Vec<_>>(), vec![4, 7]);
    let twins: Vec<(usize, Twin, Because)> = plan
        .duplicates
        .iter()
        .map(|d| (d.incoming.line, d.twin, d.because))
        .collect();
    assert_eq!(
        twins,
        vec![
            (2, Twin::Existing(7), Because::Phone),
            (3, Twin::Existing(7), Because::NameCompany),
            (5, Twin::Earlier(0), Because::NameCompany),
            (6, Twin::Earlier(0), Because::Phone),
        ]
    );
    let s = plan.summary();
    assert_eq!((s.read, s.imported, s.skipped, s.merged, s.rejected), (6, 2, 4, 0, 0));
    assert_eq!(s.read, s.imported + s.duplicates() + s.rejected);
}

#[test]
fn merging_fills_gaps_and_never_overwrites() {
    let mut a = cust("张伟", "华强", &["13800138000"]);
    a.notes = "likes tea".into();
    let mut b = cust("张伟", "Other Co", &["+86 138 0013 8000", "0755 8888 0000"]);
    b.email = "wei@x.cn".into();
    b.notes = "new note".into();
    b.tags = vec!["VIP".into()];
    assert!(merge(&mut a, &b));
    assert_eq!(a.company, "华强");
    assert_eq!(a.phones, vec!["13800138000", "0755 8888 0000"]);
    assert_eq!(a.email, "wei@x.cn");
    assert_eq!(a.notes, "likes tea\nnew note");
    assert_eq!(a.tags, vec!["VIP"]);
    assert!(!merge(&mut a, &b), "merging twice changes nothing");
}

#[test]
fn asked_decisions_resolve_into_writes() {
    let known = vec![Known {
        id: 3,
        name: "Anna".into(),
        company: "".into(),
        phones: vec![],
        uid: String::new(),
    }];
    let converted = Converted {
        incoming: vec![
            inc(2, cust("Anna", "", &["555 0101"])),
            inc(3, cust("Bo", "", &["555 0202"])),
            inc(4, cust("Bo", "", &["555 0303"])),
        ],
        rejects: vec![],
    };
    let mut plan = Plan::new(converted, &known, DupPolicy::Ask);
    assert_eq!(plan.undecided(), Some(0));
    plan.duplicates[0].decision = Decision::Merge;
    plan.decide_rest(Decision::Keep);
    assert_eq!(plan.undecided(), None);
    let s = plan.summary();
    assert_eq!((s.imported, s.merged, s.skipped), (2, 1, 0));
    let (new, merges) = plan.resolve();
    assert_eq!(
        new.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["Bo", "Bo"]
    );
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0].0, 3);
}

#[test]
fn phone_keys_ignore_formatting_and_the_country_code() {
    assert_eq!(phone_key("+86 138-0013-8000"), "13800138000");
    assert_eq!(phone_key("0086 13800138000"), "13800138000");
    assert_eq!(phone_key("+1 (650) 253-0000"), "16502530000");
}
