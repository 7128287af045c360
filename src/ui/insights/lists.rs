//! Full-pane lists of the Insights pane: a cell's or segment's customers,
//! and one customer's purchases (over the card).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use crate::app::App;
use crate::domain::text;
use crate::domain::value::format_amount;
use crate::i18n::{t, tf};

fn header<'a>(app: &App, keys: &[&str]) -> Row<'a> {
    Row::new(keys.iter().map(|k| Cell::from(t(app.lang, k)))).style(Style::new().fg(app.theme.muted).bold())
}

pub fn render_list(app: &App, f: &mut Frame, area: Rect) {
    let Some(list) = &app.insights.list else { return };
    let cur = app.insights.currency;
    let block = crate::ui::framed(app, &list.title, area.width);
    let rows = list.rows.iter().map(|r| {
        Row::new([
            Cell::from(text::clean(&r.name).into_owned()),
            Cell::from(r.grade.as_str()),
            Cell::from(r.recency_days.map_or("—".into(), |d| format!("{d:>4}"))),
            Cell::from(format!("{:>3}", r.frequency)),
            Cell::from(format_amount(r.monetary, cur)),
            Cell::from(r.segment.map_or("", |s| t(app.lang, s.key()))),
        ])
    });
    let widths = [
        Constraint::Min(10),
        Constraint::Length(3),
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(14),
        Constraint::Length(20),
    ];
    let table = Table::new(rows, widths)
        .header(header(
            app,
            &[
                "insights.col.name",
                "insights.col.grade",
                "insights.col.recency",
                "insights.col.f",
                "insights.col.m",
                "insights.col.segment",
            ],
        ))
        .block(block)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(list.cursor));
    f.render_stateful_widget(table, area, &mut state);
}

pub fn render_purchases(app: &App, f: &mut Frame, area: Rect) {
    let Some(list) = &app.insights.purchases else { return };
    let cur = app.insights.currency;
    let total: i64 = list.items.iter().map(|p| p.amount).sum();
    let title = tf(
        app.lang,
        "purchase.list.title",
        &[
            ("name", &text::clean(&list.name)),
            ("n", &list.items.len()),
            ("total", &format_amount(total, cur)),
        ],
    );
    let block = crate::ui::framed(app, &title, area.width);
    if list.items.is_empty() {
        let inner = block.inner(area);
        f.render_widget(block, area);
        f.render_widget(Paragraph::new(t(app.lang, "purchase.list.empty")), inner);
        return;
    }
    // The quantity column as wide as its header ("Quantity", 数量), at least 5.
    let qty_w = text::width(t(app.lang, "purchase.col.quantity")).max(5);
    let rows = list.items.iter().map(|p| {
        Row::new([
            Cell::from(p.date.to_string()),
            Cell::from(text::clean(&p.product).into_owned()),
            Cell::from(format!("{:>qty_w$}", p.quantity)),
            Cell::from(format!("{:>14}", format_amount(p.amount, cur))),
            Cell::from(text::clean(&p.note).into_owned()),
        ])
    });
    let widths = [
        Constraint::Length(10),
        Constraint::Min(10),
        Constraint::Length(qty_w as u16),
        Constraint::Length(14),
        Constraint::Min(8),
    ];
    let table = Table::new(rows, widths)
        .header(header(
            app,
            &[
                "purchase.col.date",
                "purchase.col.product",
                "purchase.col.quantity",
                "purchase.col.amount",
                "purchase.col.note",
            ],
        ))
        .block(block)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(list.cursor));
    f.render_stateful_widget(table, area, &mut state);
}
