//! The account view: the company's facts, coverage, people (one
//! highlighted), open complaints and personnel changes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::app::accounts::{LineKind, view};
use crate::domain::text::truncate;
use crate::i18n::t;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(v) = &app.accounts.view else { return };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", t(app.lang, "account.ctx")))
        .border_style(Style::new().fg(app.theme.accent));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let theme = &app.theme;
    let mut cursor_row = 0usize;
    let lines: Vec<Line> = view::lines(app.lang, v, app.today())
        .into_iter()
        .enumerate()
        .map(|(row, (text, kind))| {
            let style = match kind {
                LineKind::Title => Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
                LineKind::Heading => Style::new().add_modifier(Modifier::BOLD),
                LineKind::Warning => Style::new().fg(theme.warning),
                LineKind::Muted => Style::new().fg(theme.muted),
                LineKind::Text => Style::new(),
                LineKind::Person(i) => {
                    let gone = v.people.get(i).is_some_and(|m| !m.present());
                    let base = if gone {
                        Style::new().fg(theme.muted)
                    } else {
                        Style::new()
                    };
                    if i == app.accounts.cursor {
                        cursor_row = row;
                        base.bg(theme.selection).add_modifier(Modifier::BOLD)
                    } else {
                        base
                    }
                }
            };
            let prefix = match kind {
                LineKind::Person(i) if i == app.accounts.cursor => "▶ ",
                LineKind::Person(_) => "  ",
                _ => "",
            };
            let text = format!("{prefix}{text}");
            Line::from(Span::styled(truncate(&text, width).into_owned(), style))
        })
        .collect();
    // Keep the highlighted person on screen.
    let h = inner.height as usize;
    let scroll = cursor_row.saturating_sub(h.saturating_sub(2).max(1));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}

/// Finding a company: the search line, then the matches (name, people,
/// best grade, industry, city), the highlighted one opened with Enter.
pub fn render_finder(app: &App, f: &mut Frame, area: Rect) {
    use ratatui::layout::{Constraint, Layout, Position};
    use ratatui::widgets::{Cell, Row, Table};
    let Some(finder) = &app.accounts.finder else { return };
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", t(lang, "account.find.title")))
        .border_style(Style::new().fg(app.theme.accent));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [search, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    // The search line, with the number of matches on the right.
    let right = crate::i18n::tf(lang, "search.matches", &[("n", &finder.len())]);
    let prompt = "/ ";
    let avail = (search.width as usize).saturating_sub(crate::domain::text::width(&right) + 4 + prompt.len());
    let (shown, col) = finder.query.view(avail.max(4));
    let accent = Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD);
    f.render_widget(Line::from(vec![Span::styled(prompt, accent), Span::raw(shown)]), search);
    let rw = crate::domain::text::width(&right) as u16;
    if rw < search.width {
        let r = Rect {
            x: search.x + search.width - rw,
            width: rw,
            ..search
        };
        f.render_widget(Span::styled(right, Style::new().fg(app.theme.muted)), r);
    }
    if app.overlay.is_none() {
        f.set_cursor_position(Position::new(search.x + prompt.len() as u16 + col as u16, search.y));
    }
    let widths = [
        Constraint::Fill(4),
        Constraint::Length(6),
        Constraint::Length(2),
        Constraint::Fill(2),
        Constraint::Fill(2),
    ];
    let header = Row::new(
        [
            "col.company",
            "account.find.col.people",
            "col.grade",
            "account.field.industry",
            "field.city",
        ]
        .map(|k| Cell::from(t(lang, k))),
    )
    .style(Style::new().add_modifier(Modifier::BOLD).fg(app.theme.accent));
    let cols = Layout::horizontal(widths).spacing(1).split(list);
    let fit = |s: &str, c: usize| truncate(&crate::domain::text::clean(s), cols[c].width as usize).into_owned();
    let height = list.height.saturating_sub(1) as usize;
    let offset = finder.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = finder
        .hits()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, r)| {
            let c = &r.company;
            let row = Row::new(vec![
                Cell::from(fit(&c.name, 0)),
                Cell::from(r.people.to_string()),
                Cell::from(r.best_grade.map_or("", |g| g.as_str())),
                Cell::from(fit(&c.industry, 3)),
                Cell::from(fit(&c.city, 4)),
            ]);
            if i == finder.cursor {
                row.style(Style::new().bg(app.theme.selection).add_modifier(Modifier::BOLD))
            } else {
                row
            }
        })
        .collect();
    if rows.is_empty() {
        let [h, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(list);
        f.render_widget(Table::new(Vec::<Row>::new(), widths).header(header), h);
        f.render_widget(
            Paragraph::new(t(lang, "account.msg.no_match")).style(Style::new().fg(app.theme.muted)),
            rest,
        );
        return;
    }
    f.render_widget(Table::new(rows, widths).header(header).column_spacing(1), list);
}
