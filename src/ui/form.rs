//! Form overlay: one line per field, errors under their field, the cursor
//! placed by display width so CJK input lands in the right column.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, overlay_block};
use crate::app::App;
use crate::app::agenda::day_label;
use crate::app::form::{DateEntry, Field, FieldId, FieldKind, Form, resolved};
use crate::domain::text;
use crate::i18n::t;

const LABEL_COLS: usize = 14;

pub fn render(app: &App, f: &mut Frame, over: Rect, form: &Form) {
    let lang = app.lang;
    let want_h = (form.fields.len() as u16) * 2 + 4;
    let area = centered(over, 76, want_h.min(over.height));
    let title = if form.subject.is_empty() {
        t(lang, form.kind.title_key()).to_string()
    } else {
        format!("{} — {}", t(lang, form.kind.title_key()), form.subject)
    };
    let block = overlay_block(app, f, area, title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let value_w = (inner.width as usize).saturating_sub(LABEL_COLS + 3);

    // Each field is one line, plus one for its error or the focused hint.
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut focus_end = 0usize;
    let mut cursor: Option<(usize, usize)> = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let mut label = t(lang, field.label).to_string();
        if field.required {
            label.push('*');
        }
        let label = text::truncate(&label, LABEL_COLS).into_owned();
        let pad = LABEL_COLS.saturating_sub(text::width(&label));
        let label_style = if focused {
            Style::new().fg(app.theme.accent).bold()
        } else {
            Style::new().fg(app.theme.muted)
        };
        let mut spans = vec![
            Span::styled(if focused { "▶" } else { " " }, Style::new().fg(app.theme.accent)),
            Span::styled(format!("{}{label} ", " ".repeat(pad)), label_style),
        ];
        if focused {
            focus_line = lines.len();
        }
        let mut extra: Vec<Line> = Vec::new();
        // A field not being edited shows its beginning, not the end where
        // the cursor was left.
        let unfocused;
        let kind = match &field.kind {
            FieldKind::Text(input) if !focused => {
                let mut input = input.clone();
                input.home();
                unfocused = FieldKind::Text(input);
                &unfocused
            }
            kind => kind,
        };
        match kind {
            FieldKind::Text(input) if field.multiline && input.text().contains('\n') => {
                // Several lines: the first beside the label, the rest below.
                let (rows, (row, col)) = input.view_lines(value_w, MULTILINE_ROWS);
                let style = if focused {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                } else {
                    Style::new()
                };
                if focused {
                    cursor = Some((lines.len() + row, LABEL_COLS + 2 + col));
                }
                let mut rows = rows.into_iter();
                spans.push(Span::styled(rows.next().unwrap_or_default(), style));
                extra = rows
                    .map(|r| Line::from(vec![Span::raw(" ".repeat(LABEL_COLS + 2)), Span::styled(r, style)]))
                    .collect();
            }
            FieldKind::Text(input) => {
                let (shown, col) = input.view(value_w);
                let style = if focused {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                } else {
                    Style::new()
                };
                let fill = value_w.saturating_sub(text::width(&shown));
                spans.push(Span::styled(
                    format!("{shown}{}", " ".repeat(if focused { fill } else { 0 })),
                    style,
                ));
                if focused {
                    cursor = Some((lines.len(), LABEL_COLS + 2 + col));
                }
            }
            FieldKind::Choice { options, selected } => {
                let (value, key) = options[*selected];
                let label = if field.id == FieldId::Grade {
                    format!("{value} {}", t(lang, key))
                } else {
                    t(lang, key).to_string()
                };
                if focused {
                    spans.push(Span::styled(
                        format!("◀ {label} ▶"),
                        Style::new().fg(app.theme.accent).bold(),
                    ));
                } else {
                    spans.push(Span::raw(label));
                }
            }
        }
        lines.push(Line::from(spans));
        lines.append(&mut extra);
        if let Some(err) = &field.error {
            for part in super::wrap::rows(&text::clean(err), value_w) {
                lines.push(Line::from(Span::styled(
                    format!("{}{part}", " ".repeat(LABEL_COLS + 2)),
                    Style::new().fg(app.theme.danger),
                )));
            }
        } else if let Some(note) = &field.note {
            // Who a typed name picks: "→ 张伟 · 上海重工 · 上海 · ···1234".
            for part in super::wrap::rows(&format!("→ {}", text::clean(note)), value_w) {
                lines.push(Line::from(Span::styled(
                    format!("{}{part}", " ".repeat(LABEL_COLS + 2)),
                    Style::new().fg(app.theme.accent),
                )));
            }
        } else if let Some(preview) = date_preview(app, field) {
            // What a typed date resolves to: "→ Mon 12-07 · in 6 days".
            lines.push(Line::from(Span::styled(
                format!("{}{preview}", " ".repeat(LABEL_COLS + 2)),
                Style::new().fg(app.theme.accent),
            )));
        } else if focused && let Some(h) = field.hint {
            // A long hint wraps under the value rather than being cut.
            for part in super::wrap::rows_at_spaces(t(lang, h), value_w) {
                lines.push(Line::from(Span::styled(
                    format!("{}{part}", " ".repeat(LABEL_COLS + 2)),
                    Style::new().fg(app.theme.muted),
                )));
            }
        }
        if focused {
            focus_end = lines.len();
        }
    }
    let height = inner.height as usize;
    // Scroll so the focused field and the lines under it (its error or
    // hint) are visible, the field first when they cannot all be.
    let top = focus_end.max(focus_line + 2).saturating_sub(height).min(focus_line);
    let visible: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    f.render_widget(Paragraph::new(visible), inner);
    if let Some((line, col)) = cursor
        && line >= top
        && line < top + height
    {
        let x = inner.x + (col as u16).min(inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, inner.y + (line - top) as u16));
    }
}

/// Lines a multi-line field shows at most (it scrolls to the cursor).
const MULTILINE_ROWS: usize = 4;

/// What a date field's text resolves to, when something is typed in it:
/// "→ Mon 12-07 · in 6 days", "→ Sun 11-29 15:00 · yesterday".
fn date_preview(app: &App, field: &Field) -> Option<String> {
    let today = app.today();
    Some(match resolved(field, app.now, app.lang)? {
        Ok(at) => {
            let d = at.date();
            let time = match field.date {
                Some(DateEntry::When) => format!(" {}", at.format("%H:%M")),
                _ => String::new(),
            };
            format!(
                "→ {} {}{time} · {}",
                super::fmt::weekday(app.lang, d),
                d.format("%m-%d"),
                day_label(app.lang, d, today)
            )
        }
        Err(_) => format!("→ {}", t(app.lang, "form.preview_unknown")),
    })
}
