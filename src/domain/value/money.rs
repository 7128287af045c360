//! Amounts: exact integers in the currency's minor unit, parsed from what
//! order exports and people type (`1,234.50`, `¥1234.5`, `1234.50元`).

/// A currency by ISO code, with its symbol and minor-unit digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    pub symbol: &'static str,
    pub digits: u32,
}

const KNOWN: &[Currency] = &[
    Currency {
        code: "CNY",
        symbol: "¥",
        digits: 2,
    },
    Currency {
        code: "USD",
        symbol: "$",
        digits: 2,
    },
    Currency {
        code: "EUR",
        symbol: "€",
        digits: 2,
    },
    Currency {
        code: "GBP",
        symbol: "£",
        digits: 2,
    },
    Currency {
        code: "HKD",
        symbol: "HK$",
        digits: 2,
    },
    Currency {
        code: "TWD",
        symbol: "NT$",
        digits: 2,
    },
    Currency {
        code: "SGD",
        symbol: "S$",
        digits: 2,
    },
    Currency {
        code: "JPY",
        symbol: "JP¥",
        digits: 0,
    },
    Currency {
        code: "KRW",
        symbol: "₩",
        digits: 0,
    },
];

impl Default for Currency {
    fn default() -> Self {
        KNOWN[0]
    }
}

impl Currency {
    /// A currency by its ISO code (case-insensitive).
    pub fn parse(code: &str) -> Option<Currency> {
        KNOWN.iter().copied().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
    }

    pub fn codes() -> impl Iterator<Item = &'static str> {
        KNOWN.iter().map(|c| c.code)
    }

    pub fn scale(self) -> i64 {
        10_i64.pow(self.digits)
    }
}

/// Why an amount was not understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("empty amount")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("more decimals than the currency has")]
    TooPrecise,
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("the amount is too large")]
    TooLarge,
}

impl AmountError {
    pub fn key(self) -> &'static str {
        match self {
            AmountError::Empty => "value.amount.empty",
            AmountError::NotANumber => "value.amount.nan",
            AmountError::TooPrecise => "value.amount.precise",
            AmountError::NotPositive => "value.amount.positive",
            AmountError::TooLarge => "value.amount.large",
        }
    }
}

/// Parses an amount into minor units. Accepts currency symbols and codes
/// around the number (`¥`, `￥`, `$`, `元`, `RMB`, `CNY`, ...), thousands
/// separators (`,`, `，`, spaces, `'`) and a decimal point; the amount must
/// be positive and have at most the currency's digits of decimals.
pub fn parse_amount(text: &str, cur: Currency) -> Result<i64, AmountError> {
    let mut s = text.trim().to_string();
    for mark in [
        "RMB", "rmb", "CNY", "cny", cur.code, cur.symbol, "¥", "￥", "元", "$", "€", "£",
    ] {
        s = s.replace(mark, "");
    }
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '\'' | '_') && !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    if s.starts_with('-') {
        return Err(AmountError::NotPositive);
    }
    let s = s.strip_prefix('+').unwrap_or(&s);
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return Err(AmountError::NotANumber);
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > cur.digits as usize {
        return Err(AmountError::TooPrecise);
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountError::TooLarge)?
    };
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| AmountError::NotANumber)? * 10_i64.pow(cur.digits - frac.len() as u32)
    };
    let v = w
        .checked_mul(cur.scale())
        .and_then(|v| v.checked_add(f))
        .filter(|v| *v < 1_000_000_000_000_000)
        .ok_or(AmountError::TooLarge)?;
    if v == 0 {
        return Err(AmountError::NotPositive);
    }
    Ok(v)
}

/// `1234.50`: the amount in currency units with all its decimals, for
/// JSON and CSV.
pub fn format_units(minor: i64, cur: Currency) -> String {
    let scale = cur.scale();
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    if cur.digits == 0 {
        return format!("{sign}{a}");
    }
    format!(
        "{sign}{}.{:0w$}",
        a / scale as u64,
        a % scale as u64,
        w = cur.digits as usize
    )
}

/// `86,000`: a count with thousands separators.
pub fn group_digits(n: u64) -> String {
    let whole = n.to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

/// `¥86,000` or `¥1,234.50`: grouped, with the symbol; decimals only when
/// there are any.
pub fn format_amount(minor: i64, cur: Currency) -> String {
    let scale = cur.scale() as u64;
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    let grouped = group_digits(a / scale);
    let frac = a % scale;
    if frac == 0 {
        format!("{sign}{}{grouped}", cur.symbol)
    } else {
        format!("{sign}{}{grouped}.{frac:0w$}", cur.symbol, w = cur.digits as usize)
    }
}
