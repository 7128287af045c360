//! The Insights pane: the 80/20 headline, the Pareto curve (ratatui's
//! `Chart`: bars per group of buyers, the cumulative share, the 80% line),
//! the R×F grid as a `Table` coloured by count, the segments and the grade
//! suggestions; a cell's or segment's customers; a customer's purchases.

mod lists;

pub use lists::{render_list, render_purchases};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table};

use crate::app::App;
use crate::app::insights::Focus;
use crate::app::insights::text::{headline, pareto_groups, window_label};
use crate::domain::text;
use crate::domain::value::{Analysis, format_amount};
use crate::i18n::{t, tf};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if app.insights.list.is_some() {
        return render_list(app, f, area);
    }
    let lang = app.lang;
    let s = &app.insights;
    let title = tf(lang, "insights.title", &[("window", &window_label(lang, s.window()))]);
    let block = crate::ui::framed(app, &title, area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(view) = &s.view else {
        let key = if s.loading() {
            "insights.loading"
        } else {
            "insights.empty"
        };
        f.render_widget(
            Paragraph::new(crate::ui::wrap::lines(t(lang, key), inner.width as usize)),
            inner,
        );
        return;
    };
    let head = headline(lang, view, s.currency);
    let head_h = super::wrap::rows(&head, inner.width as usize).len().clamp(1, 2) as u16;
    // The charts take what the lists leave on a tall screen, at least 8 rows.
    let top_h = (inner.height.saturating_sub(head_h) * 45 / 100).max(8);
    let [head_area, top, bottom] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(top_h),
        Constraint::Min(3),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(crate::ui::wrap::lines(
            Line::from(Span::styled(head, Style::new().bold())),
            head_area.width as usize,
        )),
        head_area,
    );
    let [pareto, grid] = Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(top);
    render_pareto(app, f, pareto, view);
    render_grid(app, f, grid);
    let [segs, sugg] = Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(bottom);
    render_segments(app, f, segs);
    render_suggestions(app, f, sugg);
}

fn panel<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let style = if focused {
        Style::new().fg(app.theme.accent).bold()
    } else {
        Style::new().fg(app.theme.muted)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(format!(" {} ", text::clean(&title)), style))
}

fn render_pareto(app: &App, f: &mut Frame, area: Rect, view: &Analysis) {
    let lang = app.lang;
    let block = panel(app, t(lang, "insights.pareto").to_string(), false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let groups = pareto_groups(view, 20);
    if groups.is_empty() {
        f.render_widget(Paragraph::new(t(lang, "insights.no_revenue")), inner);
        return;
    }
    let n = groups.len() as f64;
    let x = |i: usize| (i as f64 + 0.5) * 100.0 / n;
    let bars: Vec<(f64, f64)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (x(i), g.0 as f64 / 100.0))
        .collect();
    let mut cum: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    cum.extend(
        groups
            .iter()
            .enumerate()
            .map(|(i, g)| ((i + 1) as f64 * 100.0 / n, g.1 as f64 / 100.0)),
    );
    let line80 = [(0.0, 80.0), (100.0, 80.0)];
    let datasets = vec![
        Dataset::default()
            .marker(Marker::HalfBlock)
            .graph_type(GraphType::Bar)
            .style(Style::new().fg(app.theme.muted))
            .data(&bars),
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(Style::new().fg(app.theme.warning))
            .data(&line80),
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::new().fg(app.theme.accent))
            .data(&cum),
    ];
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels([Span::raw("0"), Span::raw(t(lang, "insights.pareto_x"))]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels([Span::raw("0"), Span::raw("50%"), Span::raw("100%")]),
        );
    f.render_widget(chart, inner);
}

/// A background for a count, darker to brighter as it nears the largest.
fn heat(count: usize, max: usize) -> Style {
    if count == 0 || max == 0 {
        return Style::new();
    }
    const LEVELS: [Color; 4] = [
        Color::Indexed(24),
        Color::Indexed(31),
        Color::Indexed(38),
        Color::Indexed(45),
    ];
    let level = ((count * 4).div_ceil(max)).clamp(1, 4) - 1;
    Style::new().bg(LEVELS[level]).fg(Color::Black)
}

fn render_grid(app: &App, f: &mut Frame, area: Rect) {
    let s = &app.insights;
    let focused = s.focus == Focus::Grid;
    let block = panel(app, t(app.lang, "insights.grid").to_string(), focused);
    let grid = &s.derived.grid;
    let max = grid.iter().flatten().copied().max().unwrap_or(0);
    let header = Row::new(std::iter::once(Cell::from("R\\F")).chain((1..=5).map(|f| Cell::from(format!("{f:>5}")))))
        .style(Style::new().fg(app.theme.muted));
    let rows = grid.iter().enumerate().map(|(ri, row)| {
        let cells = std::iter::once(Cell::from(format!("R{}", 5 - ri)).style(Style::new().fg(app.theme.muted))).chain(
            row.iter().enumerate().map(|(ci, &n)| {
                let mut style = heat(n, max);
                if focused && s.cell == (ri, ci) {
                    style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                }
                Cell::from(format!("{n:>5}")).style(style)
            }),
        );
        Row::new(cells)
    });
    let widths = [Constraint::Length(3)].into_iter().chain([Constraint::Length(6); 5]);
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}

/// The rows of a list that fit in `height`, keeping `cursor` in view.
fn window_of(len: usize, cursor: usize, height: usize) -> std::ops::Range<usize> {
    let h = height.max(1);
    let start = (cursor + 1).saturating_sub(h).min(len.saturating_sub(h));
    start..(start + h).min(len)
}

fn render_segments(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let s = &app.insights;
    let focused = s.focus == Focus::Segments;
    let block = panel(app, t(lang, "insights.segments").to_string(), focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let segs = &s.derived.segments;
    let w = inner.width as usize;
    let money_w = segs
        .iter()
        .map(|x| text::width(&format_amount(x.revenue, s.currency)))
        .max()
        .unwrap_or(0);
    let count_w = segs.iter().map(|x| x.count.to_string().len()).max().unwrap_or(1);
    let lines: Vec<Line> = window_of(segs.len(), s.seg_cursor, inner.height as usize)
        .map(|i| {
            let seg = &segs[i];
            let money = format!("{:>money_w$}", format_amount(seg.revenue, s.currency));
            let count = format!("{:>count_w$}", seg.count);
            let name_w = w.saturating_sub(money_w + count_w + 2);
            let name = text::truncate(t(lang, seg.segment.key()), name_w).into_owned();
            let pad = name_w.saturating_sub(text::width(&name));
            let mut style = if seg.count == 0 {
                Style::new().fg(app.theme.muted)
            } else {
                Style::new()
            };
            if focused && i == s.seg_cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Line::from(Span::styled(
                format!("{name}{}{count} {money}", " ".repeat(pad + 1)),
                style,
            ))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn render_suggestions(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let s = &app.insights;
    let focused = s.focus == Focus::Suggestions;
    let list = &s.derived.suggestions;
    let title = tf(
        lang,
        "insights.suggestions",
        &[("n", &list.len()), ("marked", &s.marked.len())],
    );
    let block = panel(app, title, focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if list.is_empty() {
        f.render_widget(
            Paragraph::new(crate::ui::wrap::lines(
                t(lang, "insights.no_suggestions"),
                inner.width as usize,
            )),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let shown: Vec<usize> = window_of(list.len(), s.sugg_cursor, inner.height as usize).collect();
    // Namesakes told apart by company ("张伟 · 北京华联商厦").
    let label = |x: &crate::app::insights::Suggestion| {
        let company = app.index.position_of(x.id).map(|p| app.index.entry(p).company());
        match company {
            Some(company) if x.namesake => text::person_label(&x.name, company, "", ""),
            _ => text::clean(&x.name).into_owned(),
        }
    };
    let labels: Vec<String> = shown.iter().map(|&i| label(&list[i])).collect();
    // The name column as wide as the widest name shown, at least 10, and
    // leaving the reason 24 columns: "[ ] " and "C→D " take 9.
    let widest = labels.iter().map(|l| text::width(l)).max().unwrap_or(0);
    let name_w = widest.min(w.saturating_sub(9 + 24)).max(10);
    let lines: Vec<Line> = shown
        .iter()
        .zip(labels)
        .map(|(&i, name)| {
            let x = &list[i];
            let mark = if s.marked.contains(&x.id) { "[x]" } else { "[ ]" };
            let name = text::truncate(&name, name_w).into_owned();
            let pad = name_w.saturating_sub(text::width(&name));
            let head = format!(
                "{mark} {name}{} {}→{} ",
                " ".repeat(pad),
                x.from.as_str(),
                x.to.as_str()
            );
            let short = x.short(lang, s.currency);
            let reason = text::truncate(&short, w.saturating_sub(text::width(&head))).into_owned();
            let mut style = if x.to < x.from {
                Style::new().fg(app.theme.accent)
            } else {
                Style::new()
            };
            if focused && i == s.sugg_cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Line::from(Span::styled(format!("{head}{reason}"), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
