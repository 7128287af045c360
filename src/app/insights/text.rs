//! The Insights pane's sentences and tallies, shared with `rapport insights`.

use crate::domain::value::{
    Abc, Analysis, CnClass, Currency, CustomerValue, GradeReason, Reason, Segment, format_amount, group_digits,
};
use crate::i18n::{Lang, t, tf};

/// "Last 365 days" or "All time".
pub fn window_label(lang: Lang, window: Option<i64>) -> String {
    match window {
        Some(d) => tf(lang, "insights.window", &[("n", &d)]),
        None => t(lang, "insights.window_all").to_string(),
    }
}

/// "The top 20% of buyers (25) bring 81.3% of revenue · 124 buyers · ¥1,234,000 · last 365 days".
pub fn headline(lang: Lang, a: &Analysis, cur: Currency) -> String {
    if a.buyers == 0 {
        return tf(
            lang,
            "insights.no_buyers",
            &[("window", &window_label(lang, a.window_days))],
        );
    }
    tf(
        lang,
        "insights.headline",
        &[
            ("share", &percent(a.top20_bp)),
            ("top", &group_digits(a.buyers.div_ceil(5) as u64)),
            ("n", &group_digits(a.buyers as u64)),
            ("revenue", &format_amount(a.revenue, cur)),
            ("window", &window_label(lang, a.window_days)),
        ],
    )
}

/// Basis points as "81.3%".
pub fn percent(bp: i64) -> String {
    format!("{}.{}%", bp / 100, (bp % 100) / 10)
}

/// Why a grade is suggested, in words.
pub fn reason_text(lang: Lang, c: &CustomerValue) -> String {
    grade_reason_text(lang, &GradeReason::of(c))
}

/// Why a grade changed (suggested now, or kept in the history), in words.
pub fn grade_reason_text(lang: Lang, r: &GradeReason) -> String {
    match r {
        GradeReason::Class(Abc::A) => t(lang, "insights.reason.a").to_string(),
        GradeReason::Class(Abc::B) => t(lang, "insights.reason.b").to_string(),
        GradeReason::Class(_) => t(lang, "insights.reason.c").to_string(),
        GradeReason::Never => t(lang, "insights.reason.never").to_string(),
        GradeReason::Lapsed(n) => tf(lang, "insights.reason.lapsed", &[("n", n)]),
        GradeReason::Kept(label) => {
            let label = t(lang, label.map_or(CnClass::ImportantRetain.key(), |l| l.key()));
            tf(lang, "insights.reason.kept", &[("label", &label)])
        }
        GradeReason::Text(s) => s.clone(),
    }
}

/// Why a grade is suggested, in a few words for the suggestion list.
pub fn short_reason(lang: Lang, c: &CustomerValue, cur: Currency) -> String {
    match c.reason {
        Reason::Class(abc) => tf(
            lang,
            "insights.short.class",
            &[("class", &abc.as_str()), ("amount", &format_amount(c.monetary, cur))],
        ),
        Reason::NoPurchase => match c.recency_days {
            None => t(lang, "insights.reason.never").to_string(),
            Some(n) => tf(lang, "insights.short.lapsed", &[("n", &n)]),
        },
        Reason::KeptAtRisk => t(lang, "insights.short.kept").to_string(),
    }
}

/// One segment's customers and revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentTotal {
    pub segment: Segment,
    pub count: usize,
    pub revenue: i64,
}

/// Every segment (the table's order, then lost) with its count and revenue.
pub fn segment_totals(a: &Analysis) -> Vec<SegmentTotal> {
    let mut v: Vec<SegmentTotal> = Segment::ALL
        .iter()
        .map(|&segment| SegmentTotal {
            segment,
            count: 0,
            revenue: 0,
        })
        .collect();
    for c in &a.customers {
        if let Some(s) = c.segment {
            let e = &mut v[s.index()];
            e.count += 1;
            e.revenue += c.monetary;
        }
    }
    v
}

/// Buyers per cell of the R×F grid: `grid[5 - r][f - 1]` (R 5 on top).
pub fn grid_counts(a: &Analysis) -> [[usize; 5]; 5] {
    let mut g = [[0; 5]; 5];
    for c in &a.customers {
        if let Some([r, f, _]) = c.scores {
            g[5 - r as usize][f as usize - 1] += 1;
        }
    }
    g
}

/// The Pareto curve in `n` groups of buyers (largest first): each group's
/// share of revenue and the cumulative share, in basis points.
pub fn pareto_groups(a: &Analysis, n: usize) -> Vec<(i64, i64)> {
    let len = a.pareto.len();
    if len == 0 || a.revenue <= 0 || n == 0 {
        return Vec::new();
    }
    let groups = n.min(len);
    let total = a.revenue as i128;
    let mut out = Vec::with_capacity(groups);
    let mut cum: i128 = 0;
    for g in 0..groups {
        let (from, to) = (g * len / groups, (g + 1) * len / groups);
        let sum: i128 = a.pareto[from..to].iter().map(|&m| m as i128).sum();
        cum += sum;
        out.push(((sum * 10_000 / total) as i64, (cum * 10_000 / total) as i64));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::{Grade, Status};
    use crate::domain::value::{Facts, ValueConfig, analyse};
    use chrono::NaiveDate;

    fn sample() -> Analysis {
        let as_of = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let facts: Vec<Facts> = (1..=10)
            .map(|i| Facts {
                id: i,
                grade: Grade::C,
                status: Status::Active,
                last_purchase: Some(as_of - chrono::Duration::days(i * 10)),
                frequency: 1,
                monetary: if i == 1 { 910 } else { 10 },
                last_contact: None,
            })
            .collect();
        analyse(&facts, as_of, &ValueConfig::default())
    }

    #[test]
    fn pareto_groups_add_up() {
        let a = sample();
        let g = pareto_groups(&a, 5);
        assert_eq!(g.len(), 5);
        // The first two buyers: 920 of 1000.
        assert_eq!(g[0], (9200, 9200));
        assert_eq!(g.last().unwrap().1, 10_000);
        assert_eq!(pareto_groups(&a, 50).len(), 10);
    }

    #[test]
    fn headline_and_tallies() {
        let a = sample();
        let h = headline(Lang::En, &a, Currency::default());
        assert!(h.contains("92.0%") && h.contains("¥10"), "{h}");
        assert!(headline(Lang::Zh, &a, Currency::default()).contains("92.0%"));
        let segs = segment_totals(&a);
        assert_eq!(segs.iter().map(|s| s.count).sum::<usize>(), 10);
        assert_eq!(segs.iter().map(|s| s.revenue).sum::<i64>(), 1000);
        let g = grid_counts(&a);
        assert_eq!(g.iter().flatten().sum::<usize>(), 10);
    }

    #[test]
    fn one_buyer_is_said_in_the_singular() {
        let as_of = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let facts = [Facts {
            id: 1,
            grade: Grade::C,
            status: Status::Active,
            last_purchase: Some(as_of),
            frequency: 1,
            monetary: 100,
            last_contact: None,
        }];
        let a = analyse(&facts, as_of, &ValueConfig::default());
        let h = headline(Lang::En, &a, Currency::default());
        assert!(h.contains("· 1 buyer ·"), "{h}");
        assert!(headline(Lang::En, &sample(), Currency::default()).contains("· 10 buyers ·"));
        assert!(headline(Lang::Zh, &a, Currency::default()).contains("买家 1 ·"));
    }
}
