//! The complaints pane: every complaint nearest deadline first (overdue in
//! red, waiting shown as such) with its filters and search line; `detail`
//! draws one complaint's record and timeline, `review` the statistics.

mod detail;
mod review;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::complaints::{View, now_utc, time_left_label};
use crate::domain::complaint::when::SHOWN;
use crate::domain::complaint::{Category, State, Step};
use crate::domain::text;
use crate::i18n::{Lang, t, tf};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    match app.complaints.view {
        View::Detail => detail::render(app, f, area),
        View::Review => review::render(app, f, area),
        View::List => render_list(app, f, area),
    }
}

/// The short label of a category, for narrow columns.
pub(crate) fn category_short(c: Category) -> &'static str {
    match c {
        Category::Quality => "complaints.category_short.quality",
        Category::Attitude => "complaints.category_short.attitude",
        Category::Misled => "complaints.category_short.misled",
        Category::Delayed => "complaints.category_short.delayed",
        Category::OwnCause => "complaints.category_short.own_cause",
    }
}

/// "2 Record", "Resolved", "Waiting · 4 Agree".
pub(crate) fn step_short(lang: Lang, s: State) -> String {
    let step = |s: Step| match s {
        Step::Listen => "complaints.step_short.listen",
        Step::Record => "complaints.step_short.record",
        Step::Judge => "complaints.step_short.judge",
        Step::Agree => "complaints.step_short.agree",
        Step::Execute => "complaints.step_short.execute",
        Step::FollowUp => "complaints.step_short.follow_up",
    };
    match s {
        State::Open(st) | State::Waiting { resume: st } => t(lang, step(st)).to_string(),
        State::ClosedResolved { satisfaction } => tf(lang, "complaints.step_short.resolved", &[("n", &satisfaction)]),
        State::ClosedNotValid => t(lang, "complaints.step_short.not_valid").to_string(),
    }
}

/// "open · quality · 张伟" — what the list is showing.
fn filter_summary(app: &App) -> String {
    let lang = app.lang;
    let f = &app.complaints.filters;
    let mut parts = vec![t(lang, f.state.key()).to_string()];
    if let Some(c) = f.category {
        parts.push(t(lang, category_short(c)).to_string());
    }
    if let Some((_, name)) = &f.customer {
        parts.push(text::clean(name).into_owned());
    }
    parts.join(" · ")
}

fn render_list(app: &App, f: &mut Frame, area: Rect) {
    let s = &app.complaints;
    let now = now_utc(app);
    let overdue = s.shown.iter().filter(|&&i| s.rows[i].complaint.is_overdue(now)).count();
    let title = format!(
        " {} · {} ",
        t(app.lang, "pane.complaints"),
        tf(
            app.lang,
            "complaints.list.title",
            &[
                ("what", &filter_summary(app)),
                ("n", &s.shown.len()),
                ("overdue", &overdue)
            ]
        )
    );
    let title = text::truncate(&title, area.width.saturating_sub(4) as usize).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.muted))
        .title(Span::styled(title, Style::new().bold()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [search, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    render_search(app, f, search);
    render_table(app, f, list);
}

fn render_search(app: &App, f: &mut Frame, area: Rect) {
    let s = &app.complaints;
    let prompt = "/ ";
    if s.query.is_empty() && !s.searching {
        let line = Line::from(Span::styled(
            format!("{prompt}{}", t(app.lang, "complaints.search.placeholder")),
            Style::new().fg(app.theme.muted),
        ));
        f.render_widget(line, area);
        return;
    }
    let style = if s.searching {
        Style::new().fg(app.theme.accent).bold()
    } else {
        Style::new().fg(app.theme.muted)
    };
    let avail = (area.width as usize).saturating_sub(prompt.len() + 1);
    let (shown, col) = s.query.view(avail.max(4));
    f.render_widget(Line::from(vec![Span::styled(prompt, style), Span::raw(shown)]), area);
    if s.searching && app.overlay.is_none() {
        f.set_cursor_position(Position::new(area.x + prompt.len() as u16 + col as u16, area.y));
    }
}

fn render_table(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let s = &app.complaints;
    let now = now_utc(app);
    // Narrow: the essentials; medium: what it is about; wide: received too.
    let about = area.width >= 90;
    let wide = area.width >= 110;
    let mut widths = vec![
        Constraint::Length(4),
        if about {
            Constraint::Length(18)
        } else {
            Constraint::Fill(1)
        },
        Constraint::Length(10),
        Constraint::Length(12),
        Constraint::Length(24),
    ];
    let mut heads = vec![
        "complaints.col.id",
        "complaints.col.customer",
        "complaints.col.category",
        "complaints.col.step",
        "complaints.col.left",
    ];
    if wide {
        widths.push(Constraint::Length(16));
        heads.push("complaints.col.received");
    }
    if about {
        widths.push(Constraint::Fill(1));
        heads.push("complaints.col.about");
    }
    let header = Row::new(heads.into_iter().map(|k| Cell::from(t(lang, k))))
        .style(Style::new().add_modifier(Modifier::BOLD).fg(app.theme.accent));
    if s.shown.is_empty() {
        let key = if s.rows.is_empty() {
            "complaints.list.empty"
        } else {
            "complaints.list.no_match"
        };
        let [h, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        f.render_widget(Table::new(Vec::<Row>::new(), widths).header(header), h);
        f.render_widget(
            Paragraph::new(crate::ui::wrap::lines(t(lang, key), rest.width as usize)).fg(app.theme.muted),
            rest,
        );
        return;
    }
    let height = area.height.saturating_sub(1) as usize;
    let mut rows = Vec::with_capacity(height);
    for pos in s.offset..(s.offset + height).min(s.shown.len()) {
        let r = &s.rows[s.shown[pos]];
        let c = &r.complaint;
        let (left, overdue) = time_left_label(lang, c, now);
        let left_style = if overdue {
            Style::new().fg(app.theme.danger).bold()
        } else if c.is_waiting() {
            Style::new().fg(app.theme.warning)
        } else if c.state.is_closed() {
            Style::new().fg(app.theme.muted)
        } else {
            Style::new()
        };
        let mut cells = vec![
            Cell::from(c.id.to_string()),
            Cell::from(text::clean(&r.customer).into_owned()),
            Cell::from(t(lang, category_short(c.category))),
            Cell::from(step_short(lang, c.state)),
            Cell::from(left).style(left_style),
        ];
        if wide {
            let received = app.complaints.zone.to_local(c.received_at).format(SHOWN).to_string();
            cells.push(Cell::from(received));
        }
        if about {
            let what = if c.details.about.is_empty() {
                &c.details.content
            } else {
                &c.details.about
            };
            cells.push(Cell::from(text::clean(what).into_owned()));
        }
        let mut row = Row::new(cells);
        if pos == s.cursor {
            row = row.style(Style::new().bg(app.theme.selection).add_modifier(Modifier::BOLD));
        }
        rows.push(row);
    }
    f.render_widget(Table::new(rows, widths).header(header).column_spacing(1), area);
}
