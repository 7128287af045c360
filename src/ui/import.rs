//! The import overlay: the file field, the preview with the mapping the
//! user can change, questions about duplicates, the progress bar and the
//! result. Every value from the file is shown cleaned and cut to width.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::overlay_block;
use crate::app::App;
use crate::app::import::{ENCODINGS, ImportState, Preview, Stage};
use crate::domain::customer::Customer;
use crate::domain::text;
use crate::i18n::{Lang, t, tf};
use crate::io::Field;
use crate::io::load::Loaded;
use crate::io::plan::Summary;

pub fn render(app: &App, f: &mut Frame, over: Rect, st: &ImportState) {
    // The whole pane below the tabs: nothing of the list shows through
    // (a wide character cut by a border would).
    let area = Rect {
        y: over.y + 1,
        height: over.height.saturating_sub(1),
        ..over
    };
    let block = overlay_block(app, f, area, t(app.lang, "import.title").to_string());
    let inner = block.inner(area);
    f.render_widget(block, area);
    match &st.stage {
        Stage::File { input, error, matches } => file(app, f, inner, st, input, error.as_deref(), matches),
        Stage::Preview(p) => preview(app, f, inner, st, p),
        Stage::Ask(p) => ask(app, f, inner, p),
        Stage::Running {
            done, total, summary, ..
        } => running(app, f, inner, *done, *total, summary),
        Stage::Done {
            summary,
            restored,
            rejects,
            error,
        } => {
            let mut lines = Vec::new();
            match (error, restored) {
                (Some(e), _) => lines.push(Line::styled(
                    text::clean(e).into_owned(),
                    Style::new().fg(app.theme.danger),
                )),
                (None, Some(n)) => lines.push(Line::from(tf(app.lang, "io.tui.restored", &[("n", n)]))),
                (None, None) => {
                    lines.push(Line::styled(
                        t(app.lang, "io.tui.done"),
                        Style::new().fg(app.theme.accent).bold(),
                    ));
                    lines.push(Line::from(summary.text(app.lang, "io.summary")));
                }
            }
            if let Some(p) = rejects {
                lines.push(Line::from(""));
                lines.push(Line::from(tf(
                    app.lang,
                    "io.rejects_written",
                    &[("path", &p.display())],
                )));
            }
            f.render_widget(
                Paragraph::new(crate::ui::wrap::lines(lines, inner.width as usize)),
                inner,
            );
        }
    }
}

fn encoding_label(lang: Lang, st: &ImportState) -> String {
    ENCODINGS[st.encoding]
        .map(|e| e.to_uppercase())
        .unwrap_or_else(|| t(lang, "io.tui.auto").to_string())
}

fn file(
    app: &App,
    f: &mut Frame,
    area: Rect,
    st: &ImportState,
    input: &crate::app::input::TextInput,
    error: Option<&str>,
    matches: &[String],
) {
    let [intro, field, enc, err, list] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(crate::ui::wrap::lines(t(app.lang, "import.body"), intro.width as usize)),
        intro,
    );
    let label = format!("{} ", t(app.lang, "io.tui.file"));
    let width = (field.width as usize).saturating_sub(text::width(&label) + 1);
    let (shown, cursor) = input.view(width);
    f.render_widget(
        Line::from(vec![
            Span::styled(label.clone(), Style::new().bold()),
            Span::styled(shown, Style::new().add_modifier(Modifier::UNDERLINED)),
        ]),
        field,
    );
    f.set_cursor_position((field.x + (text::width(&label) + cursor) as u16, field.y));
    f.render_widget(
        Line::styled(
            tf(
                app.lang,
                "io.tui.encoding",
                &[("encoding", &encoding_label(app.lang, st))],
            ),
            Style::new().fg(app.theme.muted),
        ),
        enc,
    );
    if let Some(e) = error {
        f.render_widget(
            Paragraph::new(crate::ui::wrap::lines(text::clean(e).into_owned(), err.width as usize))
                .style(Style::new().fg(app.theme.danger)),
            err,
        );
    }
    let lines: Vec<Line> = matches
        .iter()
        .take(list.height as usize)
        .map(|m| {
            Line::from(format!(
                "  {}",
                text::truncate(&text::clean(m), list.width as usize - 2)
            ))
        })
        .collect();
    f.render_widget(Paragraph::new(lines).style(Style::new().fg(app.theme.muted)), list);
}

fn preview(app: &App, f: &mut Frame, area: Rect, st: &ImportState, p: &Preview) {
    let lang = app.lang;
    let mut lines: Vec<Line> = vec![Line::styled(
        text::truncate(&text::clean(&p.path.display().to_string()), area.width as usize).into_owned(),
        Style::new().bold(),
    )];
    match &p.loaded {
        Loaded::Csv { table, mapping, .. } => {
            lines.push(Line::from(p.loaded.detected(lang)));
            let samples = |i: usize| -> String {
                let v: Vec<String> = table
                    .rows
                    .iter()
                    .take(2)
                    .filter_map(|r| r.fields.get(i))
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| text::clean(v).into_owned())
                    .collect();
                v.join(" · ")
            };
            let head_w = 22usize;
            let field_w = 18usize;
            let sample_w = (area.width as usize).saturating_sub(head_w + field_w + 8);
            let room = (area.height as usize).saturating_sub(9).max(3);
            let first = p.cursor.saturating_sub(room.saturating_sub(1));
            for (i, (h, fld)) in table
                .header
                .iter()
                .zip(&mapping.columns)
                .enumerate()
                .skip(first)
                .take(room)
            {
                let selected = i == p.cursor;
                let head = text::truncate(&text::clean(h), head_w).into_owned();
                let pad = head_w.saturating_sub(text::width(&head));
                let fname = t(lang, fld.key());
                let fpad = field_w.saturating_sub(text::width(fname));
                let style = match (selected, *fld == Field::Ignore) {
                    (true, _) => Style::new().fg(app.theme.accent).add_modifier(Modifier::REVERSED),
                    (false, true) => Style::new().fg(app.theme.muted),
                    (false, false) => Style::new(),
                };
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{} {head}{} → ", if selected { '▶' } else { ' ' }, " ".repeat(pad)),
                        style,
                    ),
                    Span::styled(format!("{fname}{}", " ".repeat(fpad)), style.bold()),
                    Span::styled(
                        format!("  {}", text::truncate(&samples(i), sample_w)),
                        Style::new().fg(app.theme.muted),
                    ),
                ]));
            }
        }
        Loaded::VCard { cards, .. } => {
            lines.push(Line::from(p.loaded.detected(lang)));
            for c in cards.incoming.iter().take(5) {
                lines.push(Line::from(format!("  {}", who(&c.customer))));
            }
        }
        Loaded::Json { .. } => {
            let (customers, rows) = p.json.unwrap_or_default();
            lines.push(Line::from(tf(
                lang,
                "io.tui.json",
                &[("customers", &customers), ("rows", &rows)],
            )));
        }
    }
    lines.push(Line::from(""));
    if let Some(why) = p.loaded.missing_name(lang) {
        lines.push(Line::styled(why, Style::new().fg(app.theme.danger)));
    } else if p.json.is_none() {
        let s = p.plan.summary();
        lines.push(Line::styled(
            tf(
                lang,
                "io.tui.counts",
                &[
                    ("read", &s.read),
                    ("new", &p.plan.fresh.len()),
                    ("duplicates", &p.plan.duplicates.len()),
                    ("rejected", &s.rejected),
                ],
            ),
            Style::new().bold(),
        ));
        lines.push(Line::from(tf(
            lang,
            "io.tui.policy",
            &[("policy", &t(lang, st.policy.key()))],
        )));
        let d = &st.defaults;
        lines.push(Line::from(tf(
            lang,
            "io.tui.defaults",
            &[
                ("status", &t(lang, d.status.key())),
                ("grade", &d.grade.as_str()),
                (
                    "new",
                    &t(lang, if d.as_new { "io.tui.as_new" } else { "io.tui.by_cadence" }),
                ),
            ],
        )));
        for u in p.updates.iter().take(3) {
            lines.push(Line::styled(u.text(lang), Style::new().fg(app.theme.accent)));
        }
        if p.updates.len() > 3 {
            lines.push(Line::from(tf(
                lang,
                "tools.more_updates",
                &[("n", &(p.updates.len() - 3))],
            )));
        }
        for r in p.plan.rejects.iter().take(3) {
            let reason = r.problem.message(lang);
            lines.push(Line::styled(
                tf(lang, "io.reject_line", &[("line", &r.line), ("reason", &reason)]),
                Style::new().fg(app.theme.warning),
            ));
        }
        if p.plan.rejects.len() > 3 {
            lines.push(Line::from(tf(
                lang,
                "io.more_rejects",
                &[("n", &(p.plan.rejects.len() - 3))],
            )));
        }
    }
    f.render_widget(Paragraph::new(crate::ui::wrap::lines(lines, area.width as usize)), area);
}

fn who(c: &Customer) -> String {
    let mut parts = vec![text::clean(&c.name).into_owned()];
    for s in [&c.company, c.phones.first().unwrap_or(&String::new())] {
        if !s.is_empty() {
            parts.push(text::clean(s).into_owned());
        }
    }
    parts.join(" · ")
}

fn ask(app: &App, f: &mut Frame, area: Rect, p: &Preview) {
    let lang = app.lang;
    let Some(i) = p.plan.undecided() else { return };
    let d = &p.plan.duplicates[i];
    let undecided = p
        .plan
        .duplicates
        .iter()
        .filter(|d| d.decision == crate::io::Decision::Undecided)
        .count();
    let because = t(lang, d.because.key());
    let lines = vec![
        Line::styled(
            tf(lang, "io.tui.ask_title", &[("n", &undecided), ("because", &because)]),
            Style::new().bold(),
        ),
        Line::from(""),
        Line::from(tf(lang, "io.tui.ask_new", &[("line", &d.incoming.line)])),
        Line::styled(
            format!("  {}", who(&d.incoming.customer)),
            Style::new().fg(app.theme.accent),
        ),
        Line::from(t(lang, "io.tui.ask_old")),
        Line::styled(
            format!("  {}", p.twin.as_ref().map(who).unwrap_or_default()),
            Style::new().fg(app.theme.accent),
        ),
        Line::from(""),
        Line::from(t(lang, "io.tui.ask_help")),
    ];
    f.render_widget(Paragraph::new(crate::ui::wrap::lines(lines, area.width as usize)), area);
}

fn running(app: &App, f: &mut Frame, area: Rect, done: usize, total: usize, s: &Summary) {
    let [msg, bar, rest] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(1), Constraint::Min(0)]).areas(area);
    f.render_widget(
        Line::from(tf(app.lang, "io.tui.writing", &[("done", &done), ("total", &total)])),
        msg,
    );
    let ratio = if total == 0 {
        0.0
    } else {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    };
    f.render_widget(
        Gauge::default()
            .gauge_style(Style::new().fg(app.theme.accent))
            .ratio(ratio)
            .label(format!("{:.0}%", ratio * 100.0)),
        bar,
    );
    f.render_widget(
        Paragraph::new(crate::ui::wrap::lines(
            vec![Line::from(""), Line::from(s.text(app.lang, "io.summary"))],
            rest.width as usize,
        )),
        rest,
    );
}
