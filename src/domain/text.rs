//! Display-safe text: control characters never reach a terminal cell, CLI
//! output or export, while the stored value stays as the user typed it.
//! Layout is by display width (张伟 is four columns), never by `len()`.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// True for characters that must never be written raw to a terminal:
/// C0/C1 controls (ESC, BEL, CR, NUL, 0x9B CSI, ...), DEL, and the bidi
/// embedding/override/isolate controls that can reorder what is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Characters of no width that terminals draw unevenly (some give them a
/// column, some none), so a row holding one no longer lines up: zero-width
/// space and (non-)joiner, word joiner, byte-order mark.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// True for characters a reader cannot see: every [unsafe](is_unsafe) one
/// and those of no width. Text pasted from a chat or a web page often
/// holds some (a zero-width space inside a name, a direction mark).
pub fn is_invisible(c: char) -> bool {
    is_unsafe(c) || is_zero_width(c)
}

/// `s` without its [invisible](is_invisible) characters: what a reader
/// sees of it, and so what they type to find it.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|&c| !is_invisible(c)).collect())
}

/// A single-line, display-safe version of `s`: tabs and newlines become
/// spaces, every other unsafe character is dropped, and so are characters
/// of no width.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || is_zero_width(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' | '\t' | '\r' => Some(' '),
                c if is_unsafe(c) || is_zero_width(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// A person as shown wherever one is picked, so namesakes are told apart:
/// "翟玉兰 · 黔城建材 · 贵阳 · ···1234" (empty parts left out).
pub fn person_label(name: &str, company: &str, city: &str, phone: &str) -> String {
    let mut out = clean(name).into_owned();
    let last4 = super::phone::last_four(phone).map(|d| format!("···{d}"));
    for part in [
        clean(company).into_owned(),
        clean(city).into_owned(),
        last4.unwrap_or_default(),
    ] {
        if !part.trim().is_empty() {
            out.push_str(" · ");
            out.push_str(part.trim());
        }
    }
    out
}

/// Display-safe text that keeps line breaks (for multi-line notes).
pub fn clean_lines(s: &str) -> Vec<String> {
    s.split('\n').map(|l| clean(l).into_owned()).collect()
}

/// Columns `s` occupies on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending with `…` when cut. Never splits
/// a wide character across the limit.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Breaks `s` into lines of at most `max` columns (by character, which
/// suits CJK text; Latin words may break mid-word).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            lines.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(l) = lines.last_mut() {
            l.push(c);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_of_no_width_are_not_shown() {
        let shown = super::clean("Acme\u{200B}\u{200D} Ltd\u{FEFF}\u{2060}");
        assert_eq!(shown, "Acme Ltd");
        assert_eq!(super::clean("张伟"), "张伟");
    }

    use super::*;

    #[test]
    fn clean_strips_escape_sequences_and_bidi_controls() {
        assert_eq!(clean("张伟\x1b[31m"), "张伟[31m");
        assert_eq!(clean("a\u{9b}2Jb"), "a2Jb");
        assert_eq!(clean("x\u{202E}y\u{2066}z\u{2069}"), "xyz");
        assert_eq!(clean("line1\nline2\tend\r"), "line1 line2 end ");
        assert_eq!(clean("bell\x07nul\0"), "bellnul");
        assert!(matches!(clean("plain 张伟"), Cow::Borrowed(_)));
    }

    #[test]
    fn what_is_visible_of_a_pasted_name() {
        assert_eq!(visible("王\u{200B}芳"), "王芳");
        assert_eq!(visible("\u{FEFF}上海\u{202E}华联\u{200E}"), "上海华联");
        assert_eq!(visible("a\tb\nc"), "abc");
        assert!(matches!(visible("张伟 Acme"), Cow::Borrowed(_)));
    }

    #[test]
    fn wrap_by_display_width() {
        assert_eq!(wrap("张伟张伟", 5), vec!["张伟", "张伟"]);
        assert_eq!(wrap("abc", 10), vec!["abc"]);
    }

    #[test]
    fn width_counts_cjk_as_two_columns() {
        assert_eq!(width("张伟"), 4);
        assert_eq!(width("Wei"), 3);
    }

    #[test]
    fn truncate_never_splits_a_wide_character() {
        assert_eq!(truncate("张伟伟", 5), "张伟…");
        assert_eq!(truncate("张伟伟", 4), "张…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert!(width(&truncate("深圳市华强电子有限公司", 9)) <= 9);
    }
}
