use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::domain::customer::{Grade, Status};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const AS_OF: (i32, u32, u32) = (2026, 12, 1);

fn as_of() -> NaiveDate {
    day(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// A buyer: id, days since the last purchase, purchases and amount in the window.
fn buyer(id: i64, recency: i64, f: i64, m: i64) -> Facts {
    Facts {
        id,
        grade: Grade::C,
        status: Status::Active,
        last_purchase: Some(as_of() - chrono::Duration::days(recency)),
        frequency: f,
        monetary: m,
        last_contact: None,
    }
}

fn find(a: &Analysis, id: i64) -> &CustomerValue {
    a.customers.iter().find(|c| c.id == id).unwrap()
}

#[test]
fn rank_scores_by_hand() {
    // below x: 0, 1, 1, 3, 4 of n = 5 → 1 + floor(5·below/5).
    assert_eq!(score_by_rank(&[10, 20, 20, 30, 40]), vec![1, 2, 2, 4, 5]);
    // Everybody equal: nobody is below anybody.
    assert_eq!(score_by_rank(&[7, 7, 7]), vec![1, 1, 1]);
    // n = 3: below 0, 1, 2 → 1 + floor(0), floor(5/3)=1, floor(10/3)=3.
    assert_eq!(score_by_rank(&[1, 2, 3]), vec![1, 2, 4]);
    assert_eq!(score_by_rank(&[]), Vec::<u8>::new());
}

#[test]
fn threshold_scores_by_hand() {
    let f = [12, 6, 3, 2];
    assert_eq!(
        [13, 12, 11, 6, 5, 3, 2, 1, 0].map(|x| score_by_threshold(x, f)),
        [5, 5, 4, 4, 3, 3, 2, 1, 1]
    );
}

#[test]
fn segment_table_every_cell() {
    use Segment::*;
    // Rows R = 5 … 1, columns F = 1 … 5.
    let grid = [
        [New, PotentialLoyalists, PotentialLoyalists, Champions, Champions],
        [Promising, PotentialLoyalists, PotentialLoyalists, Loyal, Loyal],
        [AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal],
        [Hibernating, Hibernating, AtRisk, AtRisk, CantLose],
        [Hibernating, Hibernating, AtRisk, AtRisk, CantLose],
    ];
    for (ri, row) in grid.iter().enumerate() {
        for (fi, want) in row.iter().enumerate() {
            assert_eq!(segment(5 - ri as u8, fi as u8 + 1), *want, "R{} F{}", 5 - ri, fi + 1);
        }
    }
}

#[test]
fn no_buyers() {
    let mut never = buyer(1, 0, 0, 0);
    never.last_purchase = None;
    never.grade = Grade::B;
    let a = analyse(&[never], as_of(), &ValueConfig::default());
    assert_eq!((a.buyers, a.revenue, a.top20_bp), (0, 0, 0));
    let c = &a.customers[0];
    assert_eq!((c.segment, c.cn_class, c.abc, c.scores), (None, None, Abc::D, None));
    assert_eq!(c.suggested, Some(Grade::D));
    assert_eq!(c.reason, Reason::NoPurchase);
    assert!(analyse(&[], as_of(), &ValueConfig::default()).pareto.is_empty());
}

#[test]
fn a_single_buyer_uses_the_thresholds() {
    // 10 days → R 5; one purchase → F 1; ¥1,000 < ¥5,000 → M 1.
    let a = analyse(&[buyer(7, 10, 1, 100_000)], as_of(), &ValueConfig::default());
    let c = &a.customers[0];
    assert_eq!(c.scores, Some([5, 1, 1]));
    assert_eq!(c.segment, Some(Segment::New));
    // Equal to the mean on every axis: low, low, low.
    assert_eq!(c.cn_class, Some(CnClass::GeneralRetain));
    assert_eq!(c.abc, Abc::A);
    assert_eq!(a.top20_bp, 10_000);
    assert_eq!(c.suggested, Some(Grade::A));
    assert_eq!(c.aov(), Some(100_000));
}

#[test]
fn exactly_80_and_95_percent_start_the_next_class() {
    // Before id 2: 80 of 100 (not < 80%) → B; before id 3: 95 (not < 95%) → C.
    let facts = [buyer(1, 5, 1, 80), buyer(2, 5, 1, 15), buyer(3, 5, 1, 5)];
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    let classes: Vec<Abc> = [1, 2, 3].iter().map(|&i| find(&a, i).abc).collect();
    assert_eq!(classes, vec![Abc::A, Abc::B, Abc::C]);
    // Just under 80% before → still A.
    let facts = [buyer(1, 5, 1, 7999), buyer(2, 5, 1, 2001)];
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    assert_eq!((find(&a, 1).abc, find(&a, 2).abc), (Abc::A, Abc::A));
}

#[test]
fn ties_in_monetary_go_by_lower_id() {
    // Equal M: id 1 first (before 0 → A), id 2 before 50% → A, id 3 before 100%... of 150.
    let facts = [buyer(3, 5, 1, 50), buyer(2, 5, 1, 50), buyer(1, 5, 1, 50)];
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    // 3 buyers: top ceil(0.6) = 1 buyer brings 50 / 150.
    assert_eq!(a.top20_bp, 3333);
    assert_eq!(find(&a, 1).abc, Abc::A);
    assert_eq!(find(&a, 2).abc, Abc::A); // before 50/150 = 33%
    assert_eq!(find(&a, 3).abc, Abc::A); // before 100/150 = 67%
    // Cut at 50%: the one after exactly half is B; the lower id goes first.
    let cfg = ValueConfig {
        abc_a_bp: 5000,
        ..ValueConfig::default()
    };
    let facts = [buyer(2, 5, 1, 50), buyer(1, 5, 1, 50)];
    let a = analyse(&facts, as_of(), &cfg);
    assert_eq!((find(&a, 1).abc, find(&a, 2).abc), (Abc::A, Abc::B));
}

#[test]
fn top20_takes_the_ceiling_of_a_fifth() {
    // 10 buyers: M 10..1 → the top 2 bring 19 of 55.
    let facts: Vec<Facts> = (1..=10).map(|i| buyer(i, 5, 1, 11 - i)).collect();
    assert_eq!(
        analyse(&facts, as_of(), &ValueConfig::default()).top20_bp,
        19 * 10_000 / 55
    );
    // 11 buyers: ceil(2.2) = 3 of them.
    let facts: Vec<Facts> = (1..=11).map(|i| buyer(i, 5, 1, 1)).collect();
    assert_eq!(
        analyse(&facts, as_of(), &ValueConfig::default()).top20_bp,
        3 * 10_000 / 11
    );
}

#[test]
fn twenty_buyers_switch_to_ranks() {
    // 19 buyers with 13 purchases each: threshold F 5 for all.
    let facts: Vec<Facts> = (1..=19).map(|i| buyer(i, i, 13, 1000)).collect();
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    assert!(a.customers.iter().all(|c| c.scores.unwrap()[1] == 5));
    // 20 equal buyers: ranks, nobody below anybody → F 1.
    let facts: Vec<Facts> = (1..=20).map(|i| buyer(i, i, 13, 1000)).collect();
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    assert!(a.customers.iter().all(|c| c.scores.unwrap()[1] == 1));
    // Recency by rank: id 1 (1 day) has 19 buyers with more days → 1 + floor(95/20) = 5;
    // id 20 (20 days) has none → 1.
    assert_eq!(find(&a, 1).scores.unwrap()[0], 5);
    assert_eq!(find(&a, 20).scores.unwrap()[0], 1);
    // id 5: 15 buyers with more days → 1 + floor(75/20) = 4.
    assert_eq!(find(&a, 5).scores.unwrap()[0], 4);
}

#[test]
fn eight_classes_against_the_mean() {
    // Means: R (10+100)/2 = 55, F 3, M 550.
    let facts = [buyer(1, 10, 5, 1000), buyer(2, 100, 1, 100)];
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    assert_eq!(find(&a, 1).cn_class, Some(CnClass::ImportantValue));
    assert_eq!(find(&a, 2).cn_class, Some(CnClass::GeneralRetain));
    let facts = [buyer(1, 100, 1, 1000), buyer(2, 10, 5, 100)];
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    assert_eq!(find(&a, 1).cn_class, Some(CnClass::ImportantRetain));
    assert_eq!(find(&a, 2).cn_class, Some(CnClass::GeneralValue));
    assert!(find(&a, 1).at_risk);
}

#[test]
fn valuable_customers_at_risk_are_never_downgraded() {
    // 200 days (R 2) and 13 purchases (F 5): can't lose them; class C by revenue.
    let mut c = buyer(3, 200, 13, 10);
    c.grade = Grade::A;
    let facts = [buyer(1, 5, 1, 1000), buyer(2, 5, 1, 1000), c];
    let a = analyse(&facts, as_of(), &ValueConfig::default());
    let v = find(&a, 3);
    assert_eq!(v.segment, Some(Segment::CantLose));
    assert_eq!(v.abc, Abc::C);
    assert_eq!(
        (v.suggested, v.reason, v.at_risk),
        (Some(Grade::A), Reason::KeptAtRisk, true)
    );
    assert_eq!(v.change(), None);
    // An upgrade still goes through: grade D, class A.
    let mut c = buyer(3, 200, 13, 100_000);
    c.grade = Grade::D;
    let a = analyse(&[buyer(1, 5, 1, 10), c], as_of(), &ValueConfig::default());
    assert_eq!(find(&a, 3).change(), Some(Grade::A));
}

#[test]
fn non_customers_get_no_suggestion_and_lapsed_buyers_are_lost() {
    let mut x = buyer(1, 5, 2, 500);
    x.status = Status::NonCustomer;
    let mut lapsed = buyer(2, 400, 0, 0);
    lapsed.grade = Grade::A;
    let a = analyse(&[x, lapsed], as_of(), &ValueConfig::default());
    assert_eq!(find(&a, 1).suggested, None);
    let l = find(&a, 2);
    assert_eq!(
        (l.segment, l.abc, l.recency_days),
        (Some(Segment::Lost), Abc::D, Some(400))
    );
    assert_eq!(l.change(), Some(Grade::D));
    assert_eq!(a.buyers, 1);
}

#[test]
fn window_start_is_inclusive() {
    assert_eq!(window_start(as_of(), Some(1)), Some(as_of()));
    assert_eq!(window_start(as_of(), Some(365)), Some(day(2025, 12, 2)));
    assert_eq!(window_start(as_of(), None), None);
}

#[test]
fn amounts_parse_exactly() {
    let cny = Currency::default();
    let yuan = |s: &str| parse_amount(s, cny);
    assert_eq!(yuan("1,234.50"), Ok(123_450));
    assert_eq!(yuan("¥1234.5"), Ok(123_450));
    assert_eq!(yuan("1234.50元"), Ok(123_450));
    assert_eq!(yuan("￥ 86,000"), Ok(8_600_000));
    assert_eq!(yuan("RMB 0.01"), Ok(1));
    assert_eq!(yuan(".5"), Ok(50));
    assert_eq!(yuan("1.005"), Err(AmountError::TooPrecise));
    assert_eq!(yuan("1.500"), Ok(150));
    assert_eq!(yuan("abc"), Err(AmountError::NotANumber));
    assert_eq!(yuan("1.2.3"), Err(AmountError::NotANumber));
    assert_eq!(yuan(""), Err(AmountError::Empty));
    assert_eq!(yuan("-5"), Err(AmountError::NotPositive));
    assert_eq!(yuan("0.00"), Err(AmountError::NotPositive));
    assert_eq!(yuan("99999999999999999999"), Err(AmountError::TooLarge));
    let jpy = Currency::parse("jpy").unwrap();
    let yen = |s: &str| parse_amount(s, jpy);
    assert_eq!(yen("1,200"), Ok(1200));
    assert_eq!(yen("1.5"), Err(AmountError::TooPrecise));
}

#[test]
fn amounts_format() {
    let cny = Currency::default();
    assert_eq!(format_amount(8_600_000, cny), "¥86,000");
    assert_eq!(format_amount(123_450, cny), "¥1,234.50");
    assert_eq!(format_amount(5, cny), "¥0.05");
    assert_eq!(format_units(123_450, cny), "1234.50");
    assert_eq!(format_units(7, cny), "0.07");
    assert_eq!(group_digits(8372), "8,372");
    assert_eq!(group_digits(999), "999");
    assert_eq!(group_digits(1_000_000), "1,000,000");
}

// ---- property test against a plain reference implementation ----

#[derive(Debug, Clone, PartialEq)]
struct Expected {
    r: u8,
    f: u8,
    m: u8,
    segment: &'static str,
    class: &'static str,
    abc: &'static str,
}

/// DOMAIN §9 written out directly: counts by loops, means as floats, the
/// segment table as data, the ABC walk with float shares.
fn reference(buyers: &[(i64, i64, i64, i64)]) -> (Vec<Expected>, f64) {
    let n = buyers.len();
    let score_rank = |x: i64, all: &[i64], better_lower: bool| -> u8 {
        let count = all
            .iter()
            .filter(|&&v| if better_lower { v > x } else { v < x })
            .count();
        (1 + (5 * count) / n) as u8
    };
    let th = |x: i64, t: [i64; 4], lower: bool| -> u8 {
        for (i, &v) in t.iter().enumerate() {
            if (lower && x <= v) || (!lower && x >= v) {
                return 5 - i as u8;
            }
        }
        1
    };
    let rs: Vec<i64> = buyers.iter().map(|b| b.1).collect();
    let fs: Vec<i64> = buyers.iter().map(|b| b.2).collect();
    let ms: Vec<i64> = buyers.iter().map(|b| b.3).collect();
    let mean = |v: &[i64]| v.iter().sum::<i64>() as f64 / n as f64;
    let (mr, mf, mm) = (mean(&rs), mean(&fs), mean(&ms));
    let table: [(&str, [u8; 2], [u8; 2]); 10] = [
        ("champions", [5, 5], [4, 5]),
        ("loyal", [3, 4], [4, 5]),
        ("potential_loyalists", [4, 5], [2, 3]),
        ("new", [5, 5], [1, 1]),
        ("promising", [4, 4], [1, 1]),
        ("need_attention", [3, 3], [3, 3]),
        ("about_to_sleep", [3, 3], [1, 2]),
        ("cant_lose", [1, 2], [5, 5]),
        ("at_risk", [1, 2], [3, 4]),
        ("hibernating", [1, 2], [1, 2]),
    ];
    let classes = [
        ((true, true, true), "important_value"),
        ((false, true, true), "important_keep"),
        ((true, false, true), "important_develop"),
        ((false, false, true), "important_retain"),
        ((true, true, false), "general_value"),
        ((false, true, false), "general_keep"),
        ((true, false, false), "general_develop"),
        ((false, false, false), "general_retain"),
    ];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (-ms[i], buyers[i].0));
    let total: i64 = ms.iter().sum();
    let mut abc = vec![""; n];
    let mut before = 0;
    for &i in &order {
        let share = before as f64 / total as f64;
        abc[i] = if share < 0.8 {
            "A"
        } else if share < 0.95 {
            "B"
        } else {
            "C"
        };
        before += ms[i];
    }
    let top: i64 = order.iter().take(n.div_ceil(5)).map(|&i| ms[i]).sum();
    let out = (0..n)
        .map(|i| {
            let (r, f, m) = if n >= 20 {
                (
                    score_rank(rs[i], &rs, true),
                    score_rank(fs[i], &fs, false),
                    score_rank(ms[i], &ms, false),
                )
            } else {
                let cfg = ValueConfig::default();
                (
                    th(rs[i], cfg.recency_days, true),
                    th(fs[i], cfg.frequency, false),
                    th(ms[i], cfg.monetary, false),
                )
            };
            let segment = table
                .iter()
                .find(|(_, rr, ff)| (rr[0]..=rr[1]).contains(&r) && (ff[0]..=ff[1]).contains(&f))
                .unwrap()
                .0;
            let key = ((rs[i] as f64) < mr, (fs[i] as f64) > mf, (ms[i] as f64) > mm);
            let class = classes.iter().find(|(k, _)| *k == key).unwrap().1;
            Expected {
                r,
                f,
                m,
                segment,
                class,
                abc: abc[i],
            }
        })
        .collect();
    (out, top as f64 / total as f64)
}

fn buyers_strategy() -> impl Strategy<Value = Vec<(i64, i64, i64, i64)>> {
    // (recency 0..365, F 1..15, M in a few sizes so that ties happen).
    prop::collection::vec(
        (
            0i64..365,
            1i64..15,
            prop_oneof![1i64..10, 1i64..2_000_000, Just(500_000)],
        ),
        0..60,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (r, f, m))| (i as i64 * 3 + 1, r, f, m))
            .collect()
    })
}

proptest! {
    #[test]
    fn analysis_matches_the_reference(buyers in buyers_strategy()) {
        let facts: Vec<Facts> = buyers.iter().map(|&(id, r, f, m)| buyer(id, r, f, m)).collect();
        let a = analyse(&facts, as_of(), &ValueConfig::default());
        let (want, top) = reference(&buyers);
        prop_assert_eq!(a.buyers, buyers.len());
        for (c, w) in a.customers.iter().zip(&want) {
            let s = c.scores.unwrap();
            let got = Expected {
                r: s[0],
                f: s[1],
                m: s[2],
                segment: c.segment.unwrap().as_str(),
                class: c.cn_class.unwrap().as_str(),
                abc: c.abc.as_str(),
            };
            prop_assert_eq!(&got, w);
        }
        if !buyers.is_empty() {
            prop_assert!((a.top20_bp as f64 / 10_000.0 - top).abs() < 0.0001 + 1e-9);
        }
    }

    #[test]
    fn amounts_round_trip(minor in 1i64..1_000_000_000_000) {
        let cny = Currency::default();
        prop_assert_eq!(parse_amount(&format_amount(minor, cny), cny), Ok(minor));
        prop_assert_eq!(parse_amount(&format_units(minor, cny), cny), Ok(minor));
    }
}
