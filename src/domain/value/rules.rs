//! The individual rules of DOMAIN §9, each testable alone.

use super::{Abc, CnClass, Segment};

/// `1 + floor(5 × (number of values < x) / n)` for every value: equal
/// values get equal scores. O(n log n).
pub fn score_by_rank(values: &[i64]) -> Vec<u8> {
    let n = values.len();
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    values
        .iter()
        .map(|x| {
            let below = sorted.partition_point(|v| v < x);
            (1 + 5 * below / n) as u8
        })
        .collect()
}

/// 5, 4, 3 or 2 when `x` reaches the first, second, third or fourth
/// threshold (`x >= t`), else 1.
pub fn score_by_threshold(x: i64, thresholds: [i64; 4]) -> u8 {
    thresholds
        .iter()
        .position(|&t| x >= t)
        .map(|i| 5 - i as u8)
        .unwrap_or(1)
}

/// The R×F segment: the first row of the table that matches.
pub fn segment(r: u8, f: u8) -> Segment {
    match (r, f) {
        (5, 4 | 5) => Segment::Champions,
        (3 | 4, 4 | 5) => Segment::Loyal,
        (4 | 5, 2 | 3) => Segment::PotentialLoyalists,
        (5, _) => Segment::New,
        (4, _) => Segment::Promising,
        (3, 3) => Segment::NeedAttention,
        (3, _) => Segment::AboutToSleep,
        (1 | 2, 5) => Segment::CantLose,
        (1 | 2, 3 | 4) => Segment::AtRisk,
        _ => Segment::Hibernating,
    }
}

/// The eight classes from R, F and M being high (true) or low.
pub fn cn_class(r_high: bool, f_high: bool, m_high: bool) -> CnClass {
    match (r_high, f_high, m_high) {
        (true, true, true) => CnClass::ImportantValue,
        (false, true, true) => CnClass::ImportantKeep,
        (true, false, true) => CnClass::ImportantDevelop,
        (false, false, true) => CnClass::ImportantRetain,
        (true, true, false) => CnClass::GeneralValue,
        (false, true, false) => CnClass::GeneralKeep,
        (true, false, false) => CnClass::GeneralDevelop,
        (false, false, false) => CnClass::GeneralRetain,
    }
}

/// ABC classes of buyers (`ids[k]`, `monetary[k]`) and the Pareto order
/// (indexes, M descending, ties by lower id). A buyer is A while the share
/// of revenue before it is under `a_bp` basis points, then B under `b_bp`,
/// then C. With no revenue at all every share is 0.
pub fn abc_classes(ids: &[i64], monetary: &[i64], a_bp: i64, b_bp: i64) -> (Vec<Abc>, Vec<usize>) {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by(|&x, &y| monetary[y].cmp(&monetary[x]).then(ids[x].cmp(&ids[y])));
    let total: i128 = monetary.iter().map(|&m| m as i128).sum();
    let mut classes = vec![Abc::C; ids.len()];
    let mut before: i128 = 0;
    for &k in &order {
        // share < cut  ⇔  before × 10000 < cut × total (exact).
        let under = |bp: i64| total <= 0 || before * 10_000 < bp as i128 * total;
        classes[k] = if under(a_bp) {
            Abc::A
        } else if under(b_bp) {
            Abc::B
        } else {
            Abc::C
        };
        before += monetary[k] as i128;
    }
    (classes, order)
}
