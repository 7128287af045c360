//! The Customers pane: the search line, the list and the welcome screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::fmt::{last_contact_label, next_due_label};
use crate::app::App;
use crate::domain::text;
use crate::i18n::{t, tf};

/// The Customers pane: what is open over the list (purchases, a merge,
/// the duplicates, an account, a card), the welcome of an empty book, or
/// the list.
pub fn render_pane(app: &App, f: &mut Frame, area: Rect) {
    if app.insights.purchases.is_some() {
        super::insights::render_purchases(app, f, area)
    } else if app.find.merge.is_some() {
        super::find::render_merge(app, f, area)
    } else if app.find.dups.is_some() {
        super::find::render_dups(app, f, area)
    } else if app.accounts.finder.is_some() {
        super::accounts::render_finder(app, f, area)
    } else if app.accounts.view.is_some() {
        super::accounts::render(app, f, area)
    } else if app.customers.card.is_some() {
        super::card::render(app, f, area)
    } else if app.is_empty_book() {
        render_welcome(app, f, area)
    } else {
        render(app, f, area)
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.muted));
    // The active filters, with the count, on the list's top edge.
    if let Some(line) = filter_line(app, area.width.saturating_sub(4) as usize) {
        block = block.title(Line::from(Span::styled(
            line,
            Style::new().fg(app.theme.warning).bold(),
        )));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [search, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    render_search(app, f, search);
    render_list(app, f, list);
}

/// " grade: A · overdue — 12 customers · F clears " when filters are on.
pub fn filter_line(app: &App, width: usize) -> Option<String> {
    let labels = app.find.filters.labels();
    if labels.is_empty() {
        return None;
    }
    let lang = app.lang;
    let sep = t(lang, "card.label_sep");
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| match (*k, v.as_str()) {
            ("filter.silent", n) => tf(lang, "filter.silent_n", &[("n", &n)]),
            (k, "") => t(lang, k).to_string(),
            (k, v) if v.contains('.') => format!("{}{sep}{}", t(lang, k), t(lang, v)),
            (k, v) => format!("{}{sep}{}", t(lang, k), text::clean(v)),
        })
        .collect();
    let n = app.customers.results.len(&app.index);
    let s = tf(lang, "filter.line", &[("filters", &parts.join(" · ")), ("n", &n)]);
    Some(format!(" {} ", text::truncate(&s, width)))
}

fn render_search(app: &App, f: &mut Frame, area: Rect) {
    let count = app.customers.results.len(&app.index);
    let right = if app.customers.query.is_empty() && !app.customers.searching {
        String::new()
    } else if !app.index_ready() {
        tf(
            app.lang,
            "search.waiting",
            &[("n", &app.index.len()), ("total", &app.total)],
        )
    } else if app.customers.results.more_to_find() {
        // Matches as typed fill more than the screen; the fuzzy ones after
        // them are counted once the list is scrolled to them.
        tf(app.lang, "search.matches_more", &[("n", &count)])
    } else {
        tf(app.lang, "search.matches", &[("n", &count)])
    };
    let prompt = "/ ";
    let avail = (area.width as usize).saturating_sub(text::width(&right) + 4 + prompt.len());
    let (shown, col) = app.customers.query.view(avail.max(4));
    let style = if app.customers.searching {
        Style::new().fg(app.theme.accent).bold()
    } else {
        Style::new().fg(app.theme.muted)
    };
    let line = if app.customers.query.is_empty() && !app.customers.searching {
        Line::from(Span::styled(
            format!("{prompt}{}", t(app.lang, "search.placeholder")),
            Style::new().fg(app.theme.muted),
        ))
    } else {
        Line::from(vec![Span::styled(prompt, style), Span::raw(shown)])
    };
    f.render_widget(line, area);
    let rw = text::width(&right) as u16;
    if rw > 0 && rw < area.width {
        let r = Rect {
            x: area.x + area.width - rw,
            width: rw,
            ..area
        };
        f.render_widget(Span::styled(right, Style::new().fg(app.theme.muted)), r);
    }
    if app.customers.searching && app.overlay.is_none() {
        f.set_cursor_position(Position::new(area.x + prompt.len() as u16 + col as u16, area.y));
    }
}

fn render_list(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let today = app.today();
    let wide = area.width >= 100;
    let widths = if wide {
        vec![
            Constraint::Fill(3),
            Constraint::Fill(4),
            Constraint::Length(5),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(16),
        ]
    } else {
        vec![
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Length(2),
            Constraint::Length(12),
            Constraint::Length(9),
            Constraint::Length(15),
        ]
    };
    let header = Row::new(
        [
            "col.name",
            "col.company",
            "col.grade",
            "col.status",
            "col.last_contact",
            "col.next_due",
        ]
        .map(|k| Cell::from(t(lang, k))),
    )
    .style(Style::new().add_modifier(Modifier::BOLD).fg(app.theme.accent));
    let height = area.height.saturating_sub(1) as usize;
    // Names and companies wider than their column end in "…".
    let cols = Layout::horizontal(widths.clone()).spacing(1).split(area);
    let fit = |s: &str, col: usize| text::truncate(&text::clean(s), cols[col].width as usize).into_owned();
    let len = app.customers.results.len(&app.index);
    let mut rows = Vec::with_capacity(height);
    for pos in app.customers.offset..(app.customers.offset + height).min(len) {
        let Some(i) = app.customers.results.get(&app.index, pos) else {
            break;
        };
        let e = app.index.entry(i);
        let (due, tone) = next_due_label(lang, e.next_due(), e.next_is_visit(), today);
        let due_style = tone.style(&app.theme);
        // Someone who left their company: marked, and no cadence.
        let left = crate::app::accounts::has_left(app, e.id);
        let (status, due, due_style) = if left {
            let muted = Style::new().fg(app.theme.muted);
            (
                Cell::from(t(lang, "account.list.left")).style(muted),
                "—".to_string(),
                muted,
            )
        } else {
            (Cell::from(t(lang, e.status.key())), due, due_style)
        };
        let mut row = Row::new(vec![
            Cell::from(fit(e.name(), 0)),
            Cell::from(fit(e.company(), 1)),
            Cell::from(e.grade.as_str()),
            status,
            Cell::from(last_contact_label(lang, e.last_contact, today)),
            Cell::from(due).style(due_style),
        ]);
        if pos == app.customers.cursor {
            row = row.style(Style::new().bg(app.theme.selection).add_modifier(Modifier::BOLD));
        }
        rows.push(row);
    }
    if rows.is_empty() && len == 0 {
        let msg = if app.index_ready() {
            t(lang, "search.no_match")
        } else {
            t(lang, "search.loading")
        };
        let [h, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        f.render_widget(Table::new(Vec::<Row>::new(), widths).header(header), h);
        f.render_widget(
            Paragraph::new(crate::ui::wrap::lines(msg, rest.width as usize)).fg(app.theme.muted),
            rest,
        );
        return;
    }
    f.render_widget(Table::new(rows, widths).header(header).column_spacing(1), area);
}

pub fn render_welcome(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let key = |k: &'static str| Span::styled(format!("  {k}  "), Style::new().fg(app.theme.accent).bold());
    let lines = vec![
        Line::from(t(lang, "welcome.title").bold()),
        Line::from(""),
        Line::from(t(lang, "welcome.empty")),
        Line::from(""),
        Line::from(vec![key("a"), Span::raw(t(lang, "welcome.add"))]),
        Line::from(vec![key("d"), Span::raw(t(lang, "welcome.demo"))]),
        Line::from(vec![key("i"), Span::raw(t(lang, "welcome.import"))]),
        Line::from(vec![key("?"), Span::raw(t(lang, "welcome.help"))]),
        Line::from(""),
        Line::from(Span::styled(
            tf(
                lang,
                "welcome.db",
                &[("path", &text::clean(&app.db_path.display().to_string()))],
            ),
            Style::new().fg(app.theme.muted),
        )),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.muted));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = lines.len() as u16;
    let w = lines.iter().map(|l| l.width() as u16).max().unwrap_or(0);
    f.render_widget(Paragraph::new(lines), super::centered(inner, w, h));
}
