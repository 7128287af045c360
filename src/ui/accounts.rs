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
