//! The Agenda pane: a day's agenda in six sections, and the week ahead.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::agenda::{is_past, late_text, reason_text};
use crate::domain::agenda::Section;
use crate::domain::text;
use crate::i18n::{t, tf};
use crate::storage::Agenda;
use crate::ui::DueTone;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    match &app.agenda.week {
        Some(week) => render_week(app, f, area, week),
        None => render_day(app, f, area),
    }
}

fn weekday(app: &App, d: chrono::NaiveDate) -> &'static str {
    super::fmt::weekday(app.lang, d)
}

fn render_day(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let a = &app.agenda.agenda;
    let day = app.agenda.day.unwrap_or(app.today());
    let today = app.today();
    let when = if day == today {
        t(lang, "agenda.when.today").to_string()
    } else {
        crate::app::agenda::day_title(lang, day, today)
    };
    let title = tf(
        lang,
        "agenda.title",
        &[
            ("date", &day.format("%Y-%m-%d")),
            ("wd", &weekday(app, day)),
            ("when", &when),
            ("n", &a.total_label()),
        ],
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.muted))
        .title(Span::styled(format!(" {title} "), Style::new().bold()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if a.total() == 0 {
        // An empty book has nobody to schedule for yet: say what comes first.
        let key = if app.index_ready() && app.index.is_empty() {
            "agenda.empty_book"
        } else {
            "agenda.empty"
        };
        let msg = vec![Line::from(""), Line::from(t(lang, key)).fg(app.theme.muted)];
        f.render_widget(Paragraph::new(crate::ui::wrap::lines(msg, inner.width as usize)), inner);
        return;
    }
    // Flatten into lines: a header per section, then its items.
    let now = if day == today {
        app.now
    } else {
        day.and_hms_opt(9, 0, 0).unwrap_or(app.now)
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_line = 0;
    let late_w = 12usize;
    let name_w = (inner.width as usize / 4).clamp(8, 22);
    for s in Section::ALL {
        let count = a.counts[s as usize];
        if count == 0 {
            continue;
        }
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}",
                t(lang, s.key()),
                crate::i18n::paren(lang, &Agenda::count_label(count))
            ),
            Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD),
        )));
        for (i, item) in a.items.iter().enumerate().filter(|(_, i)| i.section() == s) {
            let selected = i == app.agenda.cursor;
            if selected {
                cursor_line = lines.len();
            }
            let name = text::truncate(&text::clean(&item.customer), name_w).into_owned();
            let pad = name_w.saturating_sub(text::width(&name));
            let late = late_text(lang, item, now);
            // Past its time: red; due today or ahead: a calm colour.
            let late_style = if is_past(item, now) {
                DueTone::Past.style(&app.theme)
            } else {
                DueTone::Near.style(&app.theme)
            };
            let snooze = if item.snoozes > 0 {
                format!(" ⏰{}", item.snoozes)
            } else {
                String::new()
            };
            let reason_w = (inner.width as usize).saturating_sub(name_w + late_w + 6 + text::width(&snooze));
            let reason = text::truncate(&reason_text(lang, item, now), reason_w).into_owned();
            let rpad = reason_w.saturating_sub(text::width(&reason));
            let mut spans = vec![
                Span::raw(if selected { " ▶ " } else { "   " }),
                Span::styled(format!("{name}{} ", " ".repeat(pad)), Style::new().bold()),
                Span::raw(format!("{reason}{} ", " ".repeat(rpad))),
                Span::styled(
                    format!("{}{late}", " ".repeat(late_w.saturating_sub(text::width(&late)))),
                    late_style,
                ),
                Span::styled(snooze, Style::new().fg(app.theme.warning)),
            ];
            if selected {
                spans = spans
                    .into_iter()
                    .map(|s| s.patch_style(Style::new().bg(app.theme.selection)))
                    .collect();
            }
            lines.push(Line::from(spans));
        }
        let hidden = a.hidden(s);
        if hidden > 0 {
            lines.push(Line::from(Span::styled(
                format!("   {}", tf(lang, "agenda.more", &[("n", &more_label(hidden, count))])),
                Style::new().fg(app.theme.muted),
            )));
        }
    }
    let h = inner.height as usize;
    let top = (cursor_line + 2).saturating_sub(h);
    let visible: Vec<Line> = lines.into_iter().skip(top).take(h).collect();
    f.render_widget(Paragraph::new(visible), inner);
}

fn render_week(app: &App, f: &mut Frame, area: Rect, week: &[(chrono::NaiveDate, [usize; 6])]) {
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.muted))
        .title(Span::styled(
            format!(" {} ", t(lang, "agenda.week_title")),
            Style::new().bold(),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [table_area, _] =
        Layout::vertical([Constraint::Length(week.len() as u16 + 1), Constraint::Min(0)]).areas(inner);
    let mut header = vec![Cell::from(t(lang, "agenda.col.day"))];
    header.extend(Section::ALL.iter().map(|s| Cell::from(t(lang, short_key(*s)))));
    header.push(Cell::from(t(lang, "agenda.col.total")));
    let rows = week.iter().enumerate().map(|(i, (d, counts))| {
        let mut cells = vec![Cell::from(format!("{} {}", d.format("%m-%d"), weekday(app, *d)))];
        cells.extend(
            counts
                .iter()
                .map(|n| Cell::from(if *n == 0 { "·".to_string() } else { n.to_string() })),
        );
        cells.push(Cell::from(counts.iter().sum::<usize>().to_string()).bold());
        let row = Row::new(cells);
        if i == app.agenda.week_cursor {
            row.style(Style::new().bg(app.theme.selection).bold())
        } else {
            row
        }
    });
    let mut widths = vec![Constraint::Length(11)];
    widths.extend(std::iter::repeat_n(Constraint::Fill(1), 7));
    f.render_widget(
        Table::new(rows, widths).header(Row::new(header).style(Style::new().fg(app.theme.accent).bold())),
        table_area,
    );
}

fn short_key(s: Section) -> &'static str {
    match s {
        Section::Complaints => "agenda.col.complaints",
        Section::FollowUps => "agenda.col.follow_ups",
        Section::Cadence => "agenda.col.cadence",
        Section::Care => "agenda.col.care",
        Section::Churn => "agenda.col.churn",
        Section::NewCustomers => "agenda.col.new",
    }
}

/// "12", or "12+" when the section's count reached the cap.
fn more_label(hidden: usize, count: usize) -> String {
    if count >= crate::storage::COUNT_CAP {
        format!("{hidden}+")
    } else {
        hidden.to_string()
    }
}
