//! One list behaviour for every list and scrollable view: where a cursor
//! (or a scroll offset) goes on `j`/`k`/arrows, `PgUp`/`PgDn`,
//! `Ctrl-U`/`Ctrl-D`, `Home`/`End` and `g`/`G`. The keys themselves are
//! bound once for every list context (`binding::LIST_KEYS`).

use super::action::Action;

/// The position after a move in a list of `len` items showing `page` at a
/// time; `None` when the action is not a move (or the list is empty).
/// Moves stop at both ends.
pub fn moved(action: Action, at: usize, len: usize, page: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let last = len - 1;
    let page = page.max(1);
    let to = match action {
        Action::Down => at.saturating_add(1),
        Action::Up => at.saturating_sub(1),
        Action::PageDown => at.saturating_add(page),
        Action::PageUp => at.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    };
    Some(to.min(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stop_at_both_ends() {
        assert_eq!(moved(Action::Down, 4, 5, 3), Some(4));
        assert_eq!(moved(Action::Up, 0, 5, 3), Some(0));
        assert_eq!(moved(Action::PageDown, 1, 5, 3), Some(4));
        assert_eq!(moved(Action::PageUp, 4, 5, 3), Some(1));
        assert_eq!(moved(Action::PageUp, 2, 5, 3), Some(0));
        assert_eq!(moved(Action::Top, 3, 5, 3), Some(0));
        assert_eq!(moved(Action::Bottom, 0, 5, 3), Some(4));
        assert_eq!(moved(Action::Down, 0, 0, 3), None);
        assert_eq!(moved(Action::Submit, 0, 5, 3), None);
    }
}
