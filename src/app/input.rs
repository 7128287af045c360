//! A one-line text input that edits by character and places the cursor by
//! display width, so CJK text (two columns per character) and IME input
//! keep the cursor in the right column.

use unicode_width::UnicodeWidthChar;

use crate::domain::text;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl TextInput {
    pub fn new(s: &str) -> Self {
        TextInput {
            text: s.to_string(),
            cursor: s.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn byte_at(&self, char_pos: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_pos)
            .map(|(b, _)| b)
            .unwrap_or(self.text.len())
    }

    /// Inserts typed or pasted text at the cursor, kept exactly as entered
    /// (a pasted line break included); the view shows it safely.
    pub fn insert_str(&mut self, s: &str) {
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, s);
        self.cursor += s.chars().count();
    }

    pub fn insert(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.insert_str(c.encode_utf8(&mut buf));
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Deletes the word before the cursor (Ctrl-W).
    pub fn delete_word(&mut self) {
        while self.cursor > 0 && self.char_before().is_some_and(char::is_whitespace) {
            self.backspace();
        }
        while self.cursor > 0 && self.char_before().is_some_and(|c| !c.is_whitespace()) {
            self.backspace();
        }
    }

    fn char_before(&self) -> Option<char> {
        self.text.chars().nth(self.cursor.checked_sub(1)?)
    }

    /// What to draw in a box `width` columns wide, and the cursor's column
    /// in it. Scrolls horizontally so the cursor stays visible. Control
    /// characters are shown as nothing, never sent to the terminal.
    pub fn view(&self, width: usize) -> (String, usize) {
        let chars: Vec<char> = self
            .text
            .chars()
            .map(|c| if text::is_unsafe(c) { '\u{fffd}' } else { c })
            .collect();
        let w = |c: &char| c.width().unwrap_or(0);
        let width = width.max(2);
        // Start so that the cursor column fits.
        let mut start = 0;
        let mut before: usize = chars[..self.cursor].iter().map(w).sum();
        while before >= width && start < self.cursor {
            before -= w(&chars[start]);
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            if used + w(c) > width {
                break;
            }
            used += w(c);
            shown.push(*c);
        }
        (shown, before)
    }
}

impl TextInput {
    /// What to draw of a multi-line text in a box `width` columns wide and
    /// at most `rows` high: the lines around the cursor's line, and the
    /// cursor's (row, column) in them. Each line scrolls sideways as
    /// [`TextInput::view`] does.
    pub fn view_lines(&self, width: usize, rows: usize) -> (Vec<String>, (usize, usize)) {
        let rows = rows.max(1);
        let mut lines: Vec<TextInput> = Vec::new();
        let (mut at_line, mut seen) = (0, 0);
        for (i, line) in self.text.split('\n').enumerate() {
            let n = line.chars().count();
            let mut t = TextInput::new(line);
            if self.cursor >= seen && self.cursor <= seen + n {
                at_line = i;
                t.cursor = self.cursor - seen;
            } else {
                t.cursor = 0;
            }
            seen += n + 1;
            lines.push(t);
        }
        let first = (at_line + 1).saturating_sub(rows);
        let mut col = 0;
        let shown = lines
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(i, l)| {
                let (s, c) = l.view(width);
                if i == at_line {
                    col = c;
                }
                s
            })
            .collect();
        (shown, (at_line - first, col))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_by_character_with_wide_text() {
        let mut t = TextInput::default();
        t.insert_str("张伟");
        t.left();
        t.insert('x');
        assert_eq!(t.text(), "张x伟");
        assert_eq!(t.view(20), ("张x伟".to_string(), 3));
        t.backspace();
        t.backspace();
        assert_eq!(t.text(), "伟");
        t.end();
        t.insert_str("a b");
        assert_eq!(t.text(), "伟a b");
        t.delete_word();
        assert_eq!(t.text(), "伟a ");
        t.insert_str("x\ny");
        assert_eq!(t.text(), "伟a x\ny");
    }

    #[test]
    fn long_text_scrolls_to_keep_the_cursor_visible() {
        let t = TextInput::new("深圳市华强电子有限公司");
        let (shown, col) = t.view(10);
        assert!(text::width(&shown) <= 10);
        assert!(col <= 10);
        assert!(shown.ends_with("公司"));
    }

    #[test]
    fn several_lines_show_around_the_cursor() {
        let mut t = TextInput::new("一\n二二\n三");
        assert_eq!(
            t.view_lines(10, 3),
            (vec!["一".into(), "二二".into(), "三".into()], (2, 2))
        );
        t.home();
        assert_eq!(t.view_lines(10, 2), (vec!["一".into(), "二二".into()], (0, 0)));
        for _ in 0..3 {
            t.right();
        }
        // After 一, the line break and 二: second line, column 2.
        assert_eq!(t.view_lines(10, 2).1, (1, 2));
    }

    #[test]
    fn control_characters_are_never_shown_raw() {
        let t = TextInput::new("a\x1b[2Jb");
        let (shown, _) = t.view(20);
        assert!(!shown.contains('\x1b'));
        assert_eq!(t.text(), "a\x1b[2Jb");
    }
}
