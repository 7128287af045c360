//! The value section of the pre-call card: purchase figures, the RFM
//! scores and segment, the last purchases, the account's total and the
//! grade history.

use crate::app::{CardEnv, CardLine, CardSection};
use crate::domain::value::format_amount;
use crate::i18n::{t, tf};
use crate::storage::Store;

/// Purchases shown on the card.
pub const CARD_PURCHASES: usize = 2;

pub fn card_section(env: &CardEnv<'_>, store: &Store, customer_id: i64) -> Option<CardSection> {
    let lang = env.lang;
    let cur = env.currency;
    let today = env.now.date();
    let window = env.value.window_days;
    let failed = |e| Some(CardSection::failed(lang, t(lang, "value.card.title"), &e));
    let s = match store.purchase_summary(customer_id, today, window, CARD_PURCHASES) {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    let history = match store.grade_history(customer_id) {
        Ok(h) => h,
        Err(e) => return failed(e),
    };
    let line = |text: String, alert: bool| CardLine { text, alert };
    let mut lines = Vec::new();
    match s.last {
        None => lines.push(line(t(lang, "value.card.none").to_string(), false)),
        Some(last) => {
            let aov = if s.window_count > 0 {
                format_amount(s.window_amount / s.window_count, cur)
            } else {
                "—".into()
            };
            let key = match window {
                Some(_) => "value.card.figures",
                None => "value.card.figures_all",
            };
            lines.push(line(
                tf(
                    lang,
                    key,
                    &[
                        ("n", &(today - last).num_days()),
                        ("f", &s.window_count),
                        ("m", &format_amount(s.window_amount, cur)),
                        ("days", &window.unwrap_or(0)),
                        ("aov", &aov),
                    ],
                ),
                false,
            ));
            lines.push(line(
                tf(
                    lang,
                    "value.card.totals",
                    &[
                        ("year", &format_amount(s.this_year, cur)),
                        ("lifetime", &format_amount(s.lifetime, cur)),
                        ("account", &format_amount(s.account_this_year, cur)),
                    ],
                ),
                false,
            ));
        }
    }
    if let Some(v) = env.analysis.and_then(|a| a.get(customer_id)) {
        let mut parts = Vec::new();
        if let Some([r, f, m]) = v.scores {
            parts.push(format!("R{r} F{f} M{m}"));
        }
        if let Some(seg) = v.segment {
            parts.push(t(lang, seg.key()).to_string());
        }
        if let Some(c) = v.cn_class {
            parts.push(t(lang, c.key()).to_string());
        }
        parts.push(tf(lang, "value.card.abc", &[("class", &v.abc.as_str())]));
        if let Some(g) = v.change() {
            parts.push(tf(lang, "value.card.suggested", &[("grade", &g.as_str())]));
        }
        if v.at_risk {
            parts.push(t(lang, "value.card.at_risk").to_string());
        }
        if v.recency_days.is_some() {
            lines.push(line(parts.join(" · "), v.at_risk));
        }
    }
    // The last purchases on one line, the latest grade change on another:
    // the card keeps room for the interactions and the status history.
    if !s.recent.is_empty() {
        let recent: Vec<String> = s
            .recent
            .iter()
            .map(|p| format!("{} {}", p.date, format_amount(p.amount, cur)))
            .collect();
        lines.push(line(
            tf(lang, "value.card.recent", &[("list", &recent.join(" · "))]),
            false,
        ));
    }
    if let Some(h) = history.first() {
        let mut text = tf(
            lang,
            "value.card.grade_change",
            &[
                ("date", &h.at.date()),
                ("from", &h.from.as_str()),
                ("to", &h.to.as_str()),
                ("why", &super::text::grade_reason_text(lang, &h.reason)),
            ],
        );
        if history.len() > 1 {
            text.push_str(&tf(lang, "value.card.earlier_changes", &[("n", &(history.len() - 1))]));
        }
        lines.push(line(text, false));
    }
    Some(CardSection {
        title: t(lang, "value.card.title").to_string(),
        lines,
    })
}
