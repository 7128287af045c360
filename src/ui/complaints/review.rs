//! The review (DOMAIN §5, "review causes afterwards"): counts by category
//! (as a bar chart) and by outcome, median times to first response and to
//! close, the share closed within 24 hours and the average satisfaction,
//! for the last 30, 90 or 365 days.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Paragraph};

use super::category_short;
use crate::app::App;
use crate::app::complaints::span_label;
use crate::domain::complaint::review::Outcome;
use crate::i18n::{t, tf};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let s = &app.complaints;
    let title = tf(lang, "complaints.review.title", &[("n", &s.review_days)]);
    let block = crate::ui::framed(app, &title, area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(r) = &s.review else { return };
    let zone = s.zone;
    let day = |d| zone.to_local(d).format("%Y-%m-%d").to_string();
    let muted = Style::new().fg(app.theme.muted);
    let sep = t(lang, "card.label_sep");
    let label = |k: &str| Span::styled(format!("{}{sep}", t(lang, k)), muted);
    let none = || t(lang, "complaints.review.none").to_string();
    let outcomes: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{} {}", t(lang, o.key()), r.count_outcome(*o)))
        .collect();
    let lines = vec![
        Line::from(vec![
            label("complaints.review.period"),
            Span::raw(format!("{} – {}   ", day(r.from), day(r.to))),
            label("complaints.review.total"),
            Span::styled(r.total.to_string(), Style::new().bold()),
        ]),
        Line::from(vec![
            label("complaints.review.by_outcome"),
            Span::raw(outcomes.join(" · ")),
        ]),
        Line::from(vec![
            label("complaints.review.median_first_response"),
            Span::raw(r.median_first_response.map_or_else(none, |d| span_label(lang, d))),
        ]),
        Line::from(vec![
            label("complaints.review.median_close"),
            Span::raw(r.median_to_close.map_or_else(none, |d| span_label(lang, d))),
        ]),
        Line::from(vec![
            label("complaints.review.within_24h"),
            Span::raw(r.closed_within_24h.map_or_else(none, |x| format!("{:.0}%", x * 100.0))),
        ]),
        Line::from(vec![
            label("complaints.review.satisfaction"),
            Span::raw(r.average_satisfaction.map_or_else(none, |x| format!("{x:.1} / 5"))),
        ]),
        Line::from(Span::styled(
            t(lang, "complaints.review.by_category"),
            Style::new().bold().fg(app.theme.accent),
        )),
    ];
    let [stats, chart] = Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Min(1)]).areas(inner);
    f.render_widget(Paragraph::new(lines), stats);
    let bars: Vec<Bar> = r
        .by_category
        .iter()
        .map(|(cat, n)| {
            Bar::default()
                .value(*n as u64)
                .label(Line::from(t(lang, category_short(*cat))))
                .text_value(n.to_string())
        })
        .collect();
    let chart_widget = BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(if chart.height >= 10 { 1 } else { 0 })
        .bar_style(Style::new().fg(app.theme.accent))
        .value_style(Style::new().fg(app.theme.accent).reversed());
    // Bars of at most 72 columns read better than bars across the screen.
    let chart = Rect {
        width: chart.width.min(72),
        ..chart
    };
    f.render_widget(chart_widget, chart);
}
