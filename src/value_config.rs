//! `[value]` in the config: the currency and the settings of the value
//! analysis (DOMAIN §9).

use serde::Deserialize;

use crate::domain::value::{Currency, ValueConfig, parse_amount};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ValueSettings {
    /// ISO code: CNY, USD, EUR, GBP, HKD, TWD, SGD, JPY or KRW.
    pub currency: String,
    /// Days in the analysis window; 0 means all time.
    pub window_days: i64,
    /// Recency for scores 5/4/3/2 (at most this many days), below 20 buyers.
    pub recency_days: [i64; 4],
    /// Purchases for scores 5/4/3/2 (at least), below 20 buyers.
    pub frequency: [i64; 4],
    /// Amounts (currency units) for scores 5/4/3/2 (at least), below 20 buyers.
    pub monetary: [String; 4],
    /// ABC cut points in percent of revenue.
    pub abc_a_percent: f64,
    pub abc_b_percent: f64,
}

impl Default for ValueSettings {
    fn default() -> Self {
        ValueSettings {
            currency: "CNY".into(),
            window_days: 365,
            recency_days: [30, 60, 120, 240],
            frequency: [12, 6, 3, 2],
            monetary: ["100000".into(), "50000".into(), "20000".into(), "5000".into()],
            abc_a_percent: 80.0,
            abc_b_percent: 95.0,
        }
    }
}

impl ValueSettings {
    pub fn currency(&self) -> Result<Currency, String> {
        Currency::parse(&self.currency).ok_or_else(|| {
            format!(
                "value: currency = {:?} (use one of {})",
                self.currency,
                Currency::codes().collect::<Vec<_>>().join(", ")
            )
        })
    }

    /// The checked analysis settings.
    pub fn to_domain(&self) -> Result<ValueConfig, String> {
        let cur = self.currency()?;
        if !(0..=36_500).contains(&self.window_days) {
            return Err(format!("value: window_days = {} (use 0 to 36500)", self.window_days));
        }
        let descending = |v: &[i64; 4]| v.windows(2).all(|w| w[0] >= w[1]);
        if !self.recency_days.windows(2).all(|w| w[0] <= w[1]) || self.recency_days[0] < 0 {
            return Err("value: recency_days must rise (like [30, 60, 120, 240])".into());
        }
        if !descending(&self.frequency) || self.frequency[3] < 1 {
            return Err("value: frequency must fall and stay above 0 (like [12, 6, 3, 2])".into());
        }
        let mut monetary = [0; 4];
        for (slot, text) in monetary.iter_mut().zip(&self.monetary) {
            *slot = parse_amount(text, cur).map_err(|e| format!("value: monetary {text:?}: {e}"))?;
        }
        if !descending(&monetary) {
            return Err("value: monetary must fall (like [\"100000\", \"50000\", \"20000\", \"5000\"])".into());
        }
        let (a, b) = (self.abc_a_percent, self.abc_b_percent);
        if !(a > 0.0 && a < b && b <= 100.0) {
            return Err(format!(
                "value: abc cut points {a} and {b} must satisfy 0 < A < B ≤ 100"
            ));
        }
        Ok(ValueConfig {
            window_days: (self.window_days > 0).then_some(self.window_days),
            recency_days: self.recency_days,
            frequency: self.frequency,
            monetary,
            abc_a_bp: (a * 100.0).round() as i64,
            abc_b_bp: (b * 100.0).round() as i64,
            ..ValueConfig::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG};

    #[test]
    fn defaults_match_the_domain_and_the_shipped_file() {
        assert_eq!(ValueSettings::default().to_domain().unwrap(), ValueConfig::default());
        let c = Config::parse(DEFAULT_CONFIG).unwrap();
        assert_eq!(c.value, ValueSettings::default());
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let err = Config::parse("[value]\ncurrency = \"XYZ\"\n").unwrap_err();
        assert!(err.contains("CNY"), "{err}");
        assert!(Config::parse("[value]\nabc_a_percent = 96.0\n").is_err());
        assert!(Config::parse("[value]\nmonetary = [\"1\", \"2\", \"3\", \"4\"]\n").is_err());
        let c = Config::parse("[value]\nwindow_days = 0\ncurrency = \"usd\"\n").unwrap();
        assert_eq!(c.value.to_domain().unwrap().window_days, None);
    }
}
