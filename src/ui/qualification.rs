//! The qualification pane: the prospect board (counts per verdict, a bar,
//! the search line, prospects grouped by verdict) and the MAN checklist.
//! Laid out by display width; every user string goes through `text::clean`.

mod checklist;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::app::qualification::{BoardLine, question_key};
use crate::domain::qualification::{Verdict, verdict};
use crate::domain::text::{clean, truncate, width};
use crate::i18n::{t, tf};
use crate::theme::Theme;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    match &app.qual.checklist {
        Some(list) => checklist::render(app, list, f, area),
        None => render_board(app, f, area),
    }
}

/// The colour of a verdict, from the theme.
pub(crate) fn verdict_color(theme: &Theme, v: Verdict) -> Color {
    match v {
        Verdict::Qualified => theme.accent,
        Verdict::Contactable => theme.selection,
        Verdict::Nurture => theme.warning,
        Verdict::NonCustomer => theme.danger,
        Verdict::Undetermined => theme.muted,
    }
}

/// The bar glyph of a verdict, so the bar reads without colour too.
fn verdict_glyph(v: Verdict) -> char {
    match v {
        Verdict::Qualified => '█',
        Verdict::Contactable => '▓',
        Verdict::Nurture => '▒',
        Verdict::NonCustomer => '░',
        Verdict::Undetermined => '·',
    }
}

fn short_key(v: Verdict) -> &'static str {
    match v {
        Verdict::Qualified => "qual.short.qualified",
        Verdict::Contactable => "qual.short.contactable",
        Verdict::Nurture => "qual.short.nurture",
        Verdict::NonCustomer => "qual.short.non_customer",
        Verdict::Undetermined => "qual.short.undetermined",
    }
}

/// `s` cut or padded to exactly `w` columns.
pub(crate) fn fit(s: &str, w: usize) -> String {
    let cut = truncate(s, w);
    let pad = w.saturating_sub(width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// Cell counts of a stacked bar of `total` columns: proportional, and at
/// least one column for every non-zero count when there is room.
fn bar_cells(counts: &[usize; 5], total: usize) -> [usize; 5] {
    let sum: usize = counts.iter().sum();
    let mut cells = [0usize; 5];
    if sum == 0 || total == 0 {
        return cells;
    }
    for (i, &n) in counts.iter().enumerate() {
        cells[i] = n * total / sum;
        if n > 0 && cells[i] == 0 {
            cells[i] = 1;
        }
    }
    // Give the rounding remainder to (or take the excess from) the largest.
    let used: usize = cells.iter().sum();
    let big = (0..5).max_by_key(|&i| counts[i]).unwrap_or(0);
    if used < total {
        cells[big] += total - used;
    } else {
        cells[big] = cells[big].saturating_sub(used - total).max(1);
    }
    cells
}

fn render_board(app: &App, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let board = &app.qual.board;
    let total: usize = board.counts.iter().sum();
    let title = tf(lang, "qual.board.title", &[("n", &total)]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.muted))
        .title(Span::styled(format!(" {} ", clean(&title)), Style::new().bold()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height < 2 || inner.width < 10 {
        return;
    }
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();

    // Counts per verdict, the current filter highlighted; on a narrow
    // screen closer together, then without the names (the bar below
    // keeps the glyphs), so every count shows.
    let entries: Vec<(String, String, Style)> = Verdict::ALL
        .iter()
        .map(|&v| {
            let n = board.counts[v.index()];
            let mut style = Style::new().fg(verdict_color(&app.theme, v));
            if n == 0 {
                style = Style::new().fg(app.theme.muted);
            }
            if board.filter == Some(v) {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            (
                format!("{} {}", verdict_glyph(v), t(lang, short_key(v))),
                format!(" {n}"),
                style,
            )
        })
        .collect();
    let layout = |named: bool, sep: &'static str| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for (label, n, style) in &entries {
            let label = if named {
                label.clone()
            } else {
                label.chars().take(1).collect()
            };
            spans.push(Span::styled(label, *style));
            spans.push(Span::styled(n.clone(), style.add_modifier(Modifier::BOLD)));
            spans.push(Span::raw(sep));
        }
        spans.pop();
        spans
    };
    let counts = [(true, "  "), (true, " "), (false, "  ")]
        .into_iter()
        .map(|(named, sep)| layout(named, sep))
        .find(|spans| Line::from(spans.clone()).width() <= w)
        .unwrap_or_else(|| layout(false, " "));
    lines.push(Line::from(counts));
    let cells = bar_cells(&board.counts, w);
    lines.push(Line::from(
        Verdict::ALL
            .iter()
            .map(|v| {
                Span::styled(
                    verdict_glyph(*v).to_string().repeat(cells[v.index()]),
                    Style::new().fg(verdict_color(&app.theme, *v)),
                )
            })
            .collect::<Vec<_>>(),
    ));

    // The search line.
    let right = match board.filter {
        Some(v) => tf(
            lang,
            "qual.board.filtered",
            &[("what", &t(lang, v.key())), ("n", &board.listed())],
        ),
        None if !board.query.is_empty() => tf(lang, "search.matches", &[("n", &board.listed())]),
        None => String::new(),
    };
    let avail = w.saturating_sub(width(&right) + 3);
    let (shown, col) = board.query.view(avail.max(4));
    let search = if board.query.is_empty() && !board.searching {
        Span::styled(
            fit(&format!("/ {}", t(lang, "qual.board.search_hint")), avail + 1),
            Style::new().fg(app.theme.muted),
        )
    } else {
        let style = if board.searching {
            Style::new().fg(app.theme.accent).bold()
        } else {
            Style::new()
        };
        Span::styled(fit(&format!("/ {shown}"), avail + 1), style)
    };
    lines.push(Line::from(vec![
        search,
        Span::raw(" "),
        Span::styled(right, Style::new().fg(app.theme.muted)),
    ]));
    if board.searching && app.overlay.is_none() {
        f.set_cursor_position(Position::new(inner.x + 2 + col as u16, inner.y + 2));
    }

    // Columns.
    let wide = w >= 100;
    let (nw, cw, sw) = if wide { (18, 24, 10) } else { (14, 16, 10) };
    let dw = if wide { 11 } else { 0 };
    let step_w = w.saturating_sub(nw + cw + sw + 6 + 3 + dw);
    let mut head = format!(
        "{} {} {} {} ",
        fit(t(lang, "col.name"), nw),
        fit(t(lang, "col.company"), cw),
        fit(t(lang, "col.status"), sw),
        fit(t(lang, "qual.col.man"), 5)
    );
    head.push_str(&fit(t(lang, "qual.col.next"), step_w));
    if wide {
        head.push(' ');
        head.push_str(&fit(t(lang, "qual.col.assessed"), dw - 1));
    }
    lines.push(Line::from(Span::styled(
        head,
        Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD),
    )));

    let height = (inner.height as usize).saturating_sub(lines.len());
    if board.lines.is_empty() {
        let key = if total == 0 {
            "qual.board.empty"
        } else {
            "qual.board.no_match"
        };
        lines.push(Line::from(Span::styled(t(lang, key), Style::new().fg(app.theme.muted))));
    }
    let offset = board.view_offset(height);
    let cursor_line = board.cursor_line();
    for (n, line) in board.lines.iter().enumerate().skip(offset).take(height) {
        match *line {
            BoardLine::Group(v, count) => {
                let label = format!("{} {} · {count}", verdict_glyph(v), t(lang, v.key()));
                lines.push(Line::from(Span::styled(
                    fit(&label, w),
                    Style::new()
                        .fg(verdict_color(&app.theme, v))
                        .add_modifier(Modifier::BOLD),
                )));
            }
            BoardLine::Row(i) => {
                let r = &board.rows[i];
                let a = verdict(&r.man);
                let next = match a.ask_next {
                    Some(c) if a.verdict == Verdict::Undetermined => {
                        tf(lang, "qual.board.ask", &[("question", &t(lang, question_key(c)))])
                    }
                    _ => t(lang, a.action_key).to_string(),
                };
                let mut s = format!(
                    "{} {} {} {} ",
                    fit(&clean(board.name(r)), nw),
                    fit(&clean(board.company(r)), cw),
                    fit(t(lang, r.status.key()), sw),
                    fit(&r.man.spaced_code(), 5)
                );
                s.push_str(&fit(&next, step_w));
                if wide {
                    let date = r
                        .updated_at
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default();
                    s.push(' ');
                    s.push_str(&fit(&date, dw - 1));
                }
                let style = if Some(n) == cursor_line {
                    Style::new().bg(app.theme.selection).add_modifier(Modifier::BOLD)
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(s, style)));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_the_width_and_shows_every_group() {
        let cells = bar_cells(&[1, 50, 0, 3, 46], 78);
        assert_eq!(cells.iter().sum::<usize>(), 78);
        assert!(cells[0] >= 1 && cells[3] >= 1);
        assert_eq!(cells[2], 0);
        assert_eq!(bar_cells(&[0; 5], 78), [0; 5]);
        assert_eq!(bar_cells(&[2, 0, 0, 0, 0], 10), [10, 0, 0, 0, 0]);
    }

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("张伟", 6), "张伟  ");
        assert_eq!(width(&fit("深圳市华强电子有限公司", 9)), 9);
        assert_eq!(fit("abc", 2), "a…");
    }
}
