//! The qualification pane.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::{App, Pane};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    super::render_coming(app, f, area, Pane::Qualification);
}
