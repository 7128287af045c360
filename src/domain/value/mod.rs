//! Value analysis (DOMAIN §9): recency, frequency and monetary per
//! customer, the 1–5 scores by rank, the R×F segment, the Chinese eight
//! classes, the ABC (80/20) class and the grade it suggests.
//!
//! Pure: the caller hands in every customer's purchase aggregates and the
//! date; amounts are integers in the currency's minor unit, so sums and
//! comparisons are exact.

mod money;
mod purchase;
mod rules;

use chrono::NaiveDate;

pub use money::{AmountError, Currency, format_amount, format_units, group_digits, parse_amount};
pub use purchase::{GradeChange, GradeReason, KeptLabel, Purchase, PurchaseSummary};
pub use rules::{abc_classes, cn_class, score_by_rank, score_by_threshold, segment};

use super::customer::{Grade, Status};
use crate::str_enum;

str_enum!(
    /// The R×F segment (DOMAIN §9), plus `lost` for a customer whose
    /// purchases all lie before the window.
    Segment, "segment" {
        Champions => "champions",
        Loyal => "loyal",
        PotentialLoyalists => "potential_loyalists",
        New => "new",
        Promising => "promising",
        NeedAttention => "need_attention",
        AboutToSleep => "about_to_sleep",
        CantLose => "cant_lose",
        AtRisk => "at_risk",
        Hibernating => "hibernating",
        Lost => "lost",
    }
);

str_enum!(
    /// The Chinese eight-class model (RFM high/low against the mean).
    CnClass, "cn_class" {
        ImportantValue => "important_value",
        ImportantKeep => "important_keep",
        ImportantDevelop => "important_develop",
        ImportantRetain => "important_retain",
        GeneralValue => "general_value",
        GeneralKeep => "general_keep",
        GeneralDevelop => "general_develop",
        GeneralRetain => "general_retain",
    }
);

str_enum!(
    /// The Pareto class: A while the revenue before a buyer is under the
    /// first cut, B under the second, then C; D for no purchase in the window.
    Abc, "abc" {
        A => "A",
        B => "B",
        C => "C",
        D => "D",
    }
);

impl Abc {
    pub fn grade(self) -> Grade {
        match self {
            Abc::A => Grade::A,
            Abc::B => Grade::B,
            Abc::C => Grade::C,
            Abc::D => Grade::D,
        }
    }
}

/// Settings of the analysis (`[value]` in the config).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueConfig {
    /// Days of the window ending at `as_of`; `None` is all time.
    pub window_days: Option<i64>,
    /// Recency thresholds for scores 5, 4, 3, 2 (at most this many days).
    pub recency_days: [i64; 4],
    /// Frequency thresholds for scores 5, 4, 3, 2 (at least this many).
    pub frequency: [i64; 4],
    /// Monetary thresholds for scores 5, 4, 3, 2, in minor units.
    pub monetary: [i64; 4],
    /// Below this many buyers the thresholds replace the rank rule.
    pub min_buyers_for_ranks: usize,
    /// ABC cut points in basis points of total revenue (8000 = 80%).
    pub abc_a_bp: i64,
    pub abc_b_bp: i64,
}

impl Default for ValueConfig {
    fn default() -> Self {
        ValueConfig {
            window_days: Some(365),
            recency_days: [30, 60, 120, 240],
            frequency: [12, 6, 3, 2],
            monetary: [10_000_000, 5_000_000, 2_000_000, 500_000],
            min_buyers_for_ranks: 20,
            abc_a_bp: 8000,
            abc_b_bp: 9500,
        }
    }
}

/// What the analysis needs to know about one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub id: i64,
    pub grade: Grade,
    pub status: Status,
    /// Latest purchase on or before `as_of`, at any time.
    pub last_purchase: Option<NaiveDate>,
    /// Purchases in the window and the sum of their amounts.
    pub frequency: i64,
    pub monetary: i64,
    /// The day of the last contact (any interaction), for the agenda.
    pub last_contact: Option<NaiveDate>,
}

/// Why a grade is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The ABC class; `share_bp` is the revenue share before this buyer.
    Class(Abc),
    /// No purchase in the window.
    NoPurchase,
    /// Would be downgraded, but is a valuable customer at risk: kept.
    KeptAtRisk,
}

/// The figures of one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerValue {
    pub id: i64,
    pub grade: Grade,
    pub status: Status,
    pub recency_days: Option<i64>,
    pub frequency: i64,
    pub monetary: i64,
    /// Scores 1–5 (buyers only).
    pub scores: Option<[u8; 3]>,
    pub segment: Option<Segment>,
    pub cn_class: Option<CnClass>,
    pub abc: Abc,
    /// `None` for a non-customer.
    pub suggested: Option<Grade>,
    pub reason: Reason,
    /// A valuable customer at risk (cant_lose, at_risk or important_retain).
    pub at_risk: bool,
    pub last_contact: Option<NaiveDate>,
}

impl CustomerValue {
    pub fn is_buyer(&self) -> bool {
        self.frequency > 0
    }

    /// Average order value in minor units (rounded down), buyers only.
    pub fn aov(&self) -> Option<i64> {
        (self.frequency > 0).then(|| self.monetary / self.frequency)
    }

    /// A suggestion that differs from today's grade.
    pub fn change(&self) -> Option<Grade> {
        self.suggested.filter(|g| *g != self.grade)
    }
}

/// The whole analysis: every customer given, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub as_of: NaiveDate,
    pub window_days: Option<i64>,
    pub customers: Vec<CustomerValue>,
    pub buyers: usize,
    pub revenue: i64,
    /// Revenue of the first ceil(20% × buyers) in ABC order, in basis points
    /// of all revenue (0 when there is none).
    pub top20_bp: i64,
    /// Buyers' monetary values in ABC order (largest first): the Pareto chart.
    pub pareto: Vec<i64>,
    /// The valuable customers at risk, largest first (see [`Analysis::risks`]);
    /// found once, not at every load of the agenda.
    risks: Vec<Risk>,
}

/// A valuable customer at risk, as the agenda lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Risk {
    pub id: i64,
    /// Catalog key of what makes them a risk: the class 重要挽留客户 when it
    /// applies, else the segment (Can't lose them, At risk).
    pub label_key: &'static str,
    pub recency_days: i64,
    pub monetary: i64,
    pub last_contact: Option<NaiveDate>,
}

impl Analysis {
    /// Every valuable customer at risk (except non-customers), the largest
    /// buyers first.
    pub fn risks(&self) -> &[Risk] {
        &self.risks
    }

    fn find_risks(&self) -> Vec<Risk> {
        let mut v: Vec<Risk> = self
            .customers
            .iter()
            .filter(|c| c.at_risk && c.status != Status::NonCustomer)
            .map(|c| Risk {
                id: c.id,
                label_key: match (c.cn_class, c.segment) {
                    (Some(CnClass::ImportantRetain), _) | (_, None) => CnClass::ImportantRetain.key(),
                    (_, Some(s)) => s.key(),
                },
                recency_days: c.recency_days.unwrap_or(0),
                monetary: c.monetary,
                last_contact: c.last_contact,
            })
            .collect();
        v.sort_by(|a, b| b.monetary.cmp(&a.monetary).then(a.id.cmp(&b.id)));
        v
    }

    /// The figures of customer `id` (customers are in id order).
    pub fn get(&self, id: i64) -> Option<&CustomerValue> {
        self.customers
            .binary_search_by_key(&id, |c| c.id)
            .ok()
            .map(|i| &self.customers[i])
    }
}

/// The first day of the window ending at `as_of` (inclusive), if any.
pub fn window_start(as_of: NaiveDate, window_days: Option<i64>) -> Option<NaiveDate> {
    window_days.map(|d| as_of - chrono::Duration::days(d.max(1) - 1))
}

/// Runs every rule of DOMAIN §9 over `facts`.
pub fn analyse(facts: &[Facts], as_of: NaiveDate, cfg: &ValueConfig) -> Analysis {
    let recency: Vec<Option<i64>> = facts
        .iter()
        .map(|f| f.last_purchase.map(|d| (as_of - d).num_days()))
        .collect();
    let buyers: Vec<usize> = (0..facts.len()).filter(|&i| facts[i].frequency > 0).collect();
    let n = buyers.len();
    let r_of = |i: usize| recency[i].unwrap_or(0);
    let rs: Vec<i64> = buyers.iter().map(|&i| r_of(i)).collect();
    let fs: Vec<i64> = buyers.iter().map(|&i| facts[i].frequency).collect();
    let ms: Vec<i64> = buyers.iter().map(|&i| facts[i].monetary).collect();
    let by_rank = n >= cfg.min_buyers_for_ranks;
    let (r_scores, f_scores, m_scores) = if by_rank {
        // R: fewer days is better, so rank the negated values.
        let neg: Vec<i64> = rs.iter().map(|r| -r).collect();
        (score_by_rank(&neg), score_by_rank(&fs), score_by_rank(&ms))
    } else {
        let r = rs
            .iter()
            .map(|&r| score_by_threshold(-r, cfg.recency_days.map(|t| -t)))
            .collect();
        let f = fs.iter().map(|&f| score_by_threshold(f, cfg.frequency)).collect();
        let m = ms.iter().map(|&m| score_by_threshold(m, cfg.monetary)).collect();
        (r, f, m)
    };
    let sum = |v: &[i64]| v.iter().map(|&x| x as i128).sum::<i128>();
    let (sum_r, sum_f, sum_m) = (sum(&rs), sum(&fs), sum(&ms));
    let ids: Vec<i64> = buyers.iter().map(|&i| facts[i].id).collect();
    let (classes, order) = abc_classes(&ids, &ms, cfg.abc_a_bp, cfg.abc_b_bp);
    let revenue: i64 = ms.iter().sum();
    let top = n.div_ceil(5);
    let top_rev: i128 = order.iter().take(top).map(|&k| ms[k] as i128).sum();
    let top20_bp = if revenue > 0 {
        (top_rev * 10_000 / revenue as i128) as i64
    } else {
        0
    };
    let pareto = order.iter().map(|&k| ms[k]).collect();

    let mut out: Vec<CustomerValue> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| CustomerValue {
            id: f.id,
            grade: f.grade,
            status: f.status,
            recency_days: recency[i],
            frequency: f.frequency,
            monetary: f.monetary,
            scores: None,
            segment: f.last_purchase.map(|_| Segment::Lost),
            cn_class: None,
            abc: Abc::D,
            suggested: None,
            reason: Reason::NoPurchase,
            at_risk: false,
            last_contact: f.last_contact,
        })
        .collect();
    for (k, &i) in buyers.iter().enumerate() {
        let c = &mut out[i];
        let n128 = n as i128;
        let (r, f, m) = (rs[k], fs[k], ms[k]);
        c.scores = Some([r_scores[k], f_scores[k], m_scores[k]]);
        c.segment = Some(segment(r_scores[k], f_scores[k]));
        c.cn_class = Some(cn_class(
            (r as i128) * n128 < sum_r,
            (f as i128) * n128 > sum_f,
            (m as i128) * n128 > sum_m,
        ));
        c.abc = classes[k];
        c.reason = Reason::Class(classes[k]);
    }
    for c in &mut out {
        c.at_risk = matches!(c.segment, Some(Segment::CantLose | Segment::AtRisk))
            || c.cn_class == Some(CnClass::ImportantRetain);
        if c.status == Status::NonCustomer {
            continue;
        }
        let by_class = c.abc.grade();
        // Grade A is the best (smallest), so "lower" means a larger value.
        c.suggested = Some(if c.at_risk && by_class > c.grade {
            c.reason = Reason::KeptAtRisk;
            c.grade
        } else {
            by_class
        });
    }
    let mut analysis = Analysis {
        as_of,
        window_days: cfg.window_days,
        customers: out,
        buyers: n,
        revenue,
        top20_bp,
        pareto,
        risks: Vec::new(),
    };
    analysis.risks = analysis.find_risks();
    analysis
}

#[cfg(test)]
mod tests;
