use chrono::NaiveDate;

use super::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn member(id: i64, grade: Grade, roles: &[Role], last: Option<&str>) -> Member {
    Member {
        id,
        name: format!("P{id}"),
        title: String::new(),
        roles: Roles::of(roles),
        grade,
        status: Status::Active,
        last_contact: last.map(|d| day(d).and_hms_opt(10, 0, 0).unwrap()),
        next_due: None,
        left: None,
    }
}

fn ids(w: &[Warning]) -> Vec<&'static str> {
    w.iter().map(Warning::id).collect()
}

#[test]
fn roles_hold_any_number_and_round_trip_through_bits() {
    let r = Roles::NONE.with(Role::DecisionMaker).with(Role::Payer);
    assert!(r.has(Role::DecisionMaker) && r.has(Role::Payer) && !r.has(Role::User));
    assert_eq!(Roles::from_bits(r.bits()), r);
    assert_eq!(r.ids(), vec!["decision_maker", "payer"]);
    assert_eq!(r.toggled(Role::Payer), Roles::of(&[Role::DecisionMaker]));
    assert_eq!(r.without(Role::DecisionMaker), Roles::of(&[Role::Payer]));
    assert!(Roles::NONE.is_empty());
}

#[test]
fn roles_read_english_chinese_and_ids() {
    assert_eq!(
        Roles::read("拍板人、付款人").unwrap(),
        Roles::of(&[Role::DecisionMaker, Role::Payer])
    );
    assert_eq!(
        Roles::read("Decision maker; influencer, gate-keeper").unwrap(),
        Roles::of(&[Role::DecisionMaker, Role::Influencer, Role::Gatekeeper])
    );
    assert_eq!(Roles::read("user/使用者").unwrap(), Roles::of(&[Role::User]));
    assert_eq!(Roles::read("  ").unwrap(), Roles::NONE);
    assert_eq!(Roles::read("payer, boss"), Err("boss".to_string()));
}

#[test]
fn size_reads_bands_counts_and_names() {
    assert_eq!(Size::read("50-199"), Some(Size::Medium));
    assert_eq!(Size::read("120"), Some(Size::Medium));
    assert_eq!(Size::read("1,200 人"), Some(Size::Enterprise));
    assert_eq!(Size::read("约 8 人"), Some(Size::Micro));
    assert_eq!(Size::read("Large"), Some(Size::Large));
    assert_eq!(Size::read("中型"), Some(Size::Medium));
    assert_eq!(Size::read(""), None);
    assert_eq!(Size::read("many"), None);
    assert_eq!(Size::of_employees(10), Size::Small);
    assert_eq!(Size::of_employees(999), Size::Large);
}

#[test]
fn no_decision_maker_is_a_warning() {
    let people = [member(1, Grade::B, &[Role::User], Some("2026-11-01"))];
    assert_eq!(
        ids(&coverage(&people, day("2026-12-01"), 90)),
        vec!["no_decision_maker"]
    );
}

#[test]
fn decision_maker_quiet_counts_from_the_most_recent_one() {
    let today = day("2026-12-01");
    // 2026-09-02 is exactly 90 days before: still within.
    let within = [
        member(1, Grade::B, &[Role::DecisionMaker], Some("2026-09-02")),
        member(2, Grade::B, &[Role::User], None),
    ];
    assert!(coverage(&within, today, 90).is_empty());
    let quiet = [
        member(1, Grade::B, &[Role::DecisionMaker], Some("2026-09-01")),
        member(2, Grade::B, &[Role::DecisionMaker], Some("2026-05-01")),
        member(3, Grade::C, &[Role::User], Some("2026-11-30")),
    ];
    let w = coverage(&quiet, today, 90);
    assert_eq!(
        w,
        vec![Warning::DecisionMakerQuiet {
            id: 1,
            name: "P1".into(),
            last: Some(day("2026-09-01")),
            days: 90
        }]
    );
    // A shorter window from the config.
    assert_eq!(ids(&coverage(&within, today, 30)), vec!["decision_maker_quiet"]);
    // Never contacted.
    let never = [
        member(4, Grade::C, &[Role::DecisionMaker], None),
        member(5, Grade::C, &[], None),
    ];
    assert!(matches!(
        coverage(&never, today, 90)[0],
        Warning::DecisionMakerQuiet { last: None, .. }
    ));
}

#[test]
fn a_key_account_with_one_contact_is_a_warning() {
    let today = day("2026-12-01");
    let one_a = [member(1, Grade::A, &[Role::DecisionMaker], Some("2026-11-20"))];
    assert_eq!(ids(&coverage(&one_a, today, 90)), vec!["single_contact"]);
    let one_b = [member(1, Grade::B, &[Role::DecisionMaker], Some("2026-11-20"))];
    assert!(coverage(&one_b, today, 90).is_empty());
    let mut two = vec![one_a[0].clone(), member(2, Grade::C, &[], None)];
    assert!(coverage(&two, today, 90).is_empty());
    // The second one left: single contact again.
    two[1].left = Some(Departure {
        on: day("2026-11-01"),
        to: String::new(),
        note: String::new(),
        successor_id: Some(1),
    });
    assert_eq!(ids(&coverage(&two, today, 90)), vec!["single_contact"]);
}

#[test]
fn people_who_left_do_not_cover_the_account() {
    let today = day("2026-12-01");
    let mut dm = member(1, Grade::A, &[Role::DecisionMaker], Some("2026-11-30"));
    dm.left = Some(Departure {
        on: day("2026-11-30"),
        to: "Elsewhere".into(),
        note: String::new(),
        successor_id: None,
    });
    let people = [dm, member(2, Grade::B, &[], None), member(3, Grade::B, &[], None)];
    assert_eq!(ids(&coverage(&people, today, 90)), vec!["no_decision_maker"]);
    assert_eq!(account_grade(&people), Some(Grade::B));
    assert!(decision_makers(&people).is_empty());
    // Nobody left at all: nothing to warn about.
    assert!(coverage(&people[..1], today, 90).is_empty());
}

#[test]
fn rebuild_falls_due_within_the_days_never_in_the_past() {
    let today = day("2026-12-01");
    assert_eq!(rebuild_due(day("2026-11-30"), today, 7), day("2026-12-07"));
    assert_eq!(rebuild_due(day("2026-10-01"), today, 7), today);
    assert_eq!(rebuild_due(day("2026-12-01"), today, 0), today);
}

#[test]
fn the_successor_takes_over_the_roles() {
    let leaver = Roles::of(&[Role::DecisionMaker, Role::Payer]);
    let succ = Roles::of(&[Role::User]);
    assert_eq!(
        hand_over(leaver, succ),
        Roles::of(&[Role::DecisionMaker, Role::Payer, Role::User])
    );
}

#[test]
fn company_validation_trims_and_refuses() {
    let mut c = Company::new("  Acme  ");
    c.website = " acme.example ".into();
    let v = validate(&c).unwrap();
    assert_eq!((v.name.as_str(), v.website.as_str()), ("Acme", "acme.example"));
    assert_eq!(validate(&Company::new("  ")), Err(CompanyError::NameMissing));
    let mut long = Company::new("A");
    long.industry = "x".repeat(MAX_FIELD + 1);
    assert_eq!(validate(&long), Err(CompanyError::TooLong("industry")));
}

#[test]
fn the_account_man_combines_its_people() {
    use crate::domain::qualification::{Answer as A, Man};
    let a = Man::new(A::Yes, A::Unknown, A::No);
    let b = Man::new(A::Unknown, A::No, A::Yes);
    assert_eq!(account_man(&[a, b], false), Man::new(A::Yes, A::No, A::Yes));
    assert_eq!(account_man(&[a, b], true), Man::new(A::Yes, A::Yes, A::Yes));
    assert_eq!(account_man(&[], false), Man::new(A::Unknown, A::Unknown, A::Unknown));
}

#[test]
fn the_figures_give_the_same_first_warning_as_the_people() {
    let today = day("2026-12-01");
    let cases: Vec<Vec<Member>> = vec![
        vec![member(1, Grade::B, &[Role::User], Some("2026-11-01"))],
        vec![member(1, Grade::A, &[Role::DecisionMaker], Some("2026-11-20"))],
        vec![
            member(1, Grade::B, &[Role::DecisionMaker], Some("2026-08-01")),
            member(2, Grade::B, &[], None),
        ],
        vec![member(1, Grade::A, &[Role::DecisionMaker], None)],
        vec![
            member(1, Grade::A, &[Role::DecisionMaker], Some("2026-11-30")),
            member(2, Grade::C, &[Role::User], None),
        ],
    ];
    for people in cases {
        let deciders: Vec<&Member> = decision_makers(&people);
        let f = Figures {
            people: people.len() as i64,
            best: account_grade(&people),
            deciders: deciders.len() as i64,
            decider_last: deciders.iter().filter_map(|m| m.last_contact).max().map(|t| t.date()),
        };
        let from_people = coverage(&people, today, 90).first().map(Warning::id);
        assert_eq!(first_warning(&f, today, 90), from_people, "{people:?}");
    }
}
