//! The care moments of the agenda are the domain's rules: on generated
//! books and days, the birthdays and holiday greetings the agenda lists
//! (SQL pre-filters, the domain decides) are exactly those that
//! `Cadence::birthday_reminder` and `Cadence::holiday_greetings` give for
//! each customer, with any lead times.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use rapport::domain::agenda::Reason;
use rapport::domain::cadence::Cadence;
use rapport::domain::customer::{Customer, Grade, Status};
use rapport::domain::dates::{Birthday, Calendar};
use rapport::storage::Store;

const GRADES: [Grade; 4] = [Grade::A, Grade::B, Grade::C, Grade::D];
const STATUSES: [Status; 4] = [Status::Active, Status::Loyal, Status::Lost, Status::NonCustomer];

#[derive(Debug, Clone)]
struct Person {
    grade: usize,
    status: usize,
    birthday: Option<Birthday>,
}

fn birthday() -> impl Strategy<Value = Option<Birthday>> {
    let gregorian = (1u32..=12, 1u32..=31, proptest::option::of(1950i32..2005)).prop_filter_map(
        "a real day of the year",
        |(month, day, year)| {
            NaiveDate::from_ymd_opt(2024, month, day).map(|_| Birthday {
                month,
                day,
                year,
                calendar: Calendar::Gregorian,
            })
        },
    );
    let lunar = (1u32..=12, 1u32..=30, any::<bool>(), proptest::option::of(1950i32..2005)).prop_map(
        |(month, day, leap, year)| Birthday {
            month,
            day,
            year,
            calendar: Calendar::Lunar { leap },
        },
    );
    // Days around the ends of months and 29 February come up often.
    let edges =
        prop_oneof![Just((2u32, 29u32)), Just((2, 28)), Just((12, 31)), Just((1, 1))].prop_map(|(month, day)| {
            Birthday {
                month,
                day,
                year: Some(1984),
                calendar: Calendar::Gregorian,
            }
        });
    proptest::option::of(prop_oneof![gregorian, lunar, edges])
}

fn person() -> impl Strategy<Value = Person> {
    (0usize..4, 0usize..4, birthday()).prop_map(|(grade, status, birthday)| Person {
        grade,
        status,
        birthday,
    })
}

fn cadence() -> impl Strategy<Value = Cadence> {
    (
        proptest::array::uniform4(0i64..12),
        proptest::array::uniform4(proptest::option::of(0i64..12)),
    )
        .prop_map(|(birthday_lead_days, holiday_lead_days)| Cadence {
            birthday_lead_days,
            holiday_lead_days,
            ..Cadence::default()
        })
}

/// `(customer, day)` of every birthday and `(customer, holiday, day)` of
/// every greeting on the agenda of `day`.
type Care = (BTreeSet<(i64, NaiveDate)>, BTreeSet<(i64, String, NaiveDate)>);

fn listed(store: &Store, day: NaiveDate) -> Care {
    let agenda = store.agenda(day, day, &[], 10_000).unwrap();
    let mut care = Care::default();
    for item in agenda.items {
        match item.reason {
            Reason::Birthday { on, .. } => {
                care.0.insert((item.customer_id, on));
            }
            Reason::Holiday { holiday, on } => {
                care.1.insert((item.customer_id, format!("{holiday:?}"), on));
            }
            _ => {}
        }
    }
    care
}

fn expected(cadence: &Cadence, people: &[(i64, Person)], day: NaiveDate) -> Care {
    let mut care = Care::default();
    for (id, p) in people {
        let (grade, status) = (GRADES[p.grade], STATUSES[p.status]);
        if status == Status::NonCustomer {
            continue;
        }
        if let Some(b) = &p.birthday
            && let Some(on) = cadence.birthday_reminder(grade, b, day)
        {
            care.0.insert((*id, on));
        }
        if status != Status::Lost {
            for (holiday, on) in cadence.holiday_greetings(grade, day) {
                care.1.insert((*id, format!("{holiday:?}"), on));
            }
        }
    }
    care
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_agenda_lists_the_care_moments_the_domain_rules_give(
        people in proptest::collection::vec(person(), 1..30),
        cadence in cadence(),
        start in 0i64..(3 * 366),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        store.set_cadence(&cadence).unwrap();
        let added = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let mut book = Vec::new();
        for (i, p) in people.into_iter().enumerate() {
            let mut c = Customer::new(format!("Person {i}"), added);
            c.grade = GRADES[p.grade];
            c.status = STATUSES[p.status];
            c.birthday = p.birthday;
            book.push((store.insert_customer(&c).unwrap(), p));
        }
        // Two weeks from a day in 2026–2028 (Spring Festival, Mid-Autumn
        // and leap years included over the cases).
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(start);
        for k in 0..14 {
            let day = first + Duration::days(k);
            prop_assert_eq!(listed(&store, day), expected(&cadence, &book, day), "on {}", day);
        }
    }
}

/// Past the cap a care moment is counted no further, as in every section
/// (a large book has thousands of birthdays a week): the count says
/// "100+", and the key customers are among those listed, a week ahead
/// included, before the ordinary ones of today.
#[test]
fn care_moments_past_the_cap_are_counted_to_it_like_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let added = today.and_hms_opt(9, 0, 0).unwrap() - Duration::days(365);
    let mut add = |name: String, grade: Grade, day: u32| {
        let mut c = Customer::new(name, added);
        c.grade = grade;
        c.status = Status::Active;
        c.birthday = Some(Birthday {
            calendar: Calendar::Gregorian,
            month: 11,
            day,
            year: Some(1980),
        });
        store.insert_customer(&c).unwrap();
    };
    for i in 0..130 {
        add(format!("Cleo Today {i:03}"), Grade::C, 23);
    }
    add("Ada Key".into(), Grade::A, 23);
    // A key customer's birthday five days ahead (greeted a week ahead).
    add("Ada Ahead".into(), Grade::A, 28);
    let cap = rapport::storage::COUNT_CAP;
    assert!(cap < 130);
    let a = store.agenda(today, today, &[], cap).unwrap();
    let care: Vec<&str> = a
        .items
        .iter()
        .filter(|i| matches!(i.reason, Reason::Birthday { .. }))
        .map(|i| i.customer.as_str())
        .collect();
    assert_eq!(a.counts[rapport::domain::agenda::Section::Care as usize], cap);
    assert_eq!(care.len(), cap);
    assert!(care.contains(&"Ada Key") && care.contains(&"Ada Ahead"));
}
