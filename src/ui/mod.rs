//! Rendering: one file per pane plus the overlays. Everything here reads
//! `&App` and draws; nothing mutates state or touches the database.

mod accounts;
pub mod agenda;
pub mod card;
pub mod complaints;
pub mod customers;
mod find;
mod fmt;
mod form;
mod help;
mod import;
pub mod insights;
pub mod qualification;
mod sync;
pub mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use crate::app::{App, Level, Overlay, Pane};
use crate::domain::text;
use crate::i18n::{t, tf};

pub use fmt::{DueTone, due_label, last_contact_label, next_due_label};

pub fn render(app: &App, f: &mut Frame) {
    let banner_rows = if app.banner.is_some() { 3 } else { 0 };
    let [tabs, banner, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_rows),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    render_tabs(app, f, tabs);
    if let Some(b) = &app.banner {
        let p = ratatui::widgets::Paragraph::new(wrap::lines(text::clean(b).into_owned(), banner.width as usize))
            .style(Style::new().fg(app.theme.danger).add_modifier(Modifier::BOLD));
        f.render_widget(p, banner);
    }
    (app.entry(app.pane).render)(app, f, body);
    render_status(app, f, status);
    render_footer(app, f, footer);
    // Overlays leave the status line and the key hints visible.
    let over = Rect {
        height: f.area().height.saturating_sub(2),
        ..f.area()
    };
    match &app.overlay {
        Some(Overlay::Help { scroll, .. }) => help::render_help(app, f, over, *scroll),
        Some(Overlay::Form(form)) => form::render(app, f, over, form),
        Some(Overlay::Confirm(c)) => help::render_confirm(app, f, over, c),
        Some(Overlay::Import(s)) => import::render(app, f, over, s),
        Some(Overlay::Sync(v)) => sync::render(app, f, over, v),
        None => {}
    }
}

/// Rows available to the customer list for a terminal of `height` rows:
/// the event loop tells the app so paging and scrolling match the screen.
pub fn list_rows(height: u16) -> usize {
    // tabs, status, footer, table header, search line, borders
    height.saturating_sub(7).max(1) as usize
}

fn render_tabs(app: &App, f: &mut Frame, area: Rect) {
    let mut spans = vec![Span::styled(
        " Rapport ",
        Style::new().fg(app.theme.accent).add_modifier(Modifier::BOLD),
    )];
    for (i, p) in app.panes.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, t(app.lang, p.def.pane.key()));
        let style = if p.def.pane == app.pane {
            Style::new()
                .fg(app.theme.accent)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("│"));
    }
    spans.pop();
    f.render_widget(Line::from(spans), area);
}

fn render_status(app: &App, f: &mut Frame, area: Rect) {
    let line = match &app.message {
        Some((msg, Level::Error)) => Line::from(Span::styled(
            format!(" {}", text::clean(msg)),
            Style::new().fg(app.theme.danger).bold(),
        )),
        Some((msg, Level::Info)) => Line::from(Span::styled(
            format!(" {}", text::clean(msg)),
            Style::new().fg(app.theme.accent),
        )),
        None => {
            let mut s = tf(app.lang, "status.customers", &[("n", &app.total)]);
            if !app.index_ready() {
                s.push_str(" · ");
                s.push_str(&tf(app.lang, "status.indexing", &[("n", &app.index.len())]));
            }
            // The team sync's state, when the book syncs.
            if let Some(sync) = crate::app::teamsync::status_text(app) {
                s.push_str(" · ");
                s.push_str(&sync);
            }
            // The sort order only means something on the customer list.
            if app.pane == Pane::CUSTOMERS {
                s.push_str(" · ");
                if !app.customers.query.is_empty() && !app.find.sort_on_query {
                    s.push_str(t(app.lang, "status.best_match"));
                } else {
                    s.push_str(&tf(
                        app.lang,
                        "status.sorted_by",
                        &[("by", &t(app.lang, app.customers.sort.key()))],
                    ));
                }
            }
            Line::from(Span::styled(format!(" {s}"), Style::new().fg(app.theme.muted)))
        }
    };
    f.render_widget(line, area);
}

fn render_footer(app: &App, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let mut hints = app.keys.hints(app.context());
    // On a form's last field, say where Tab and Enter go from there; on a
    // multi-line field, how to start a new line.
    if let Some(crate::app::Overlay::Form(form)) = &app.overlay {
        let mut first = Vec::new();
        if form.fields[form.focus].multiline {
            first.push(("Ctrl-J".to_string(), "key.new_line"));
        }
        if form.at_last_field() {
            first.push(("Tab".to_string(), "key.tab_to_first"));
            first.push(("Enter".to_string(), "key.enter_saves"));
        }
        if !first.is_empty() {
            hints.retain(|(k, _)| !first.iter().any(|(f, _)| f == k));
            first.extend(hints);
            hints = first;
        }
    }
    // The look-alike warning on save also opens the customer it found.
    if let Some(crate::app::Overlay::Confirm(crate::app::Confirm::Find(crate::app::find::FindConfirm::LookAlike {
        ..
    }))) = &app.overlay
    {
        hints.push(("o".to_string(), "find.key.open_other"));
    }
    for (key, desc) in hints {
        let d = t(app.lang, desc);
        let w = text::width(&key) + text::width(d) + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(
            format!(" {key}"),
            Style::new().fg(app.theme.accent).bold(),
        ));
        spans.push(Span::raw(format!(" {d} ")));
    }
    f.render_widget(Line::from(spans), area);
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears and frames an overlay.
pub(crate) fn overlay_block<'a>(app: &App, f: &mut Frame, area: Rect, title: String) -> Block<'a> {
    f.render_widget(Clear, area);
    split_wide_edges(f.buffer_mut(), area);
    framed(app, &title, area.width)
}

/// The frame of a pane or an overlay: accent border, bold title, the title
/// made display-safe and cut to fit a frame `width` columns wide.
pub(crate) fn framed<'a>(app: &App, title: &str, width: u16) -> Block<'a> {
    let title = crate::domain::text::clean(title);
    let title = crate::domain::text::truncate(&title, width.saturating_sub(4) as usize).into_owned();
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(app.theme.accent))
        .title(Span::styled(format!(" {title} "), Style::new().bold()))
}

/// Blanks a wide character (CJK) of the screen beneath that straddles an
/// overlay's left edge: a terminal draws it across two columns, so its
/// second half would hide the overlay's border.
fn split_wide_edges(buf: &mut ratatui::buffer::Buffer, area: Rect) {
    let Some(x) = area.left().checked_sub(1) else { return };
    if x < buf.area.left() {
        return;
    }
    for y in area.top()..area.bottom().min(buf.area.bottom()) {
        if unicode_width::UnicodeWidthStr::width(buf[(x, y)].symbol()) > 1 {
            buf[(x, y)].set_symbol(" ");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    #[test]
    fn a_wide_character_under_an_overlays_left_edge_is_blanked() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        buf.set_string(0, 0, "爱喝茶水", Style::new());
        buf.set_string(0, 1, "ab爱喝", Style::new());
        // The overlay starts at column 4: 喝 (columns 2–3) ends just
        // before it on row 0 and stays; on row 1, 爱 (columns 2–3) also
        // ends before it, and 喝 at 4–5 is inside and cleared anyway.
        split_wide_edges(&mut buf, Rect::new(4, 0, 4, 2));
        assert_eq!(buf[(2, 0)].symbol(), "喝");
        // Starting at column 3 instead, 喝 at 2–3 straddles the edge.
        split_wide_edges(&mut buf, Rect::new(3, 0, 4, 2));
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(buf[(2, 1)].symbol(), " ");
        assert_eq!(buf[(0, 0)].symbol(), "爱");
    }
}
