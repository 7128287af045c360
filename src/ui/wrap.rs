//! Line breaking for the screen, one rule everywhere text wraps: by display
//! width; between words where there are spaces and between characters in
//! Chinese text; never before a closing mark (。，、：）！？ and the like may
//! not start a line) nor after an opening one (（“《 may not end one) — the
//! Chinese line-breaking rule (避头尾). Styles are kept.

use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Marks that may not start a line.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '：'
            | '；'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '”'
            | '’'
            | '…'
            | '·'
            | '～'
            | '.'
            | ','
            | ':'
            | ';'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

/// Marks that may not end a line.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '《' | '〈' | '【' | '〔' | '“' | '‘' | '(' | '[' | '{'
    )
}

/// A character that can be broken around without a space (Chinese,
/// Japanese, full-width forms).
fn breaks_freely(c: char) -> bool {
    c.width().unwrap_or(0) > 1
}

fn width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Whether a line may break between `a` and `b`.
fn may_break(a: char, b: char) -> bool {
    if no_line_start(b) || no_line_end(a) {
        return false;
    }
    a == ' ' || breaks_freely(a) || breaks_freely(b)
}

/// Where a full `row` breaks before `next` comes: between the row and
/// `next` when allowed, else at the row's last place that allows it, else
/// at its last place where no mark is split from its word (a closing mark
/// takes the characters before it along), else at its end.
fn break_at(row: &[(char, Style)], next: char) -> usize {
    let len = row.len();
    if may_break(row[len - 1].0, next) {
        return len;
    }
    if let Some(i) = (1..len).rev().find(|&i| may_break(row[i - 1].0, row[i].0)) {
        return i;
    }
    if no_line_start(next) || no_line_end(row[len - 1].0) {
        return (1..len)
            .rev()
            .find(|&i| !no_line_start(row[i].0) && !no_line_end(row[i - 1].0))
            .unwrap_or(len);
    }
    len
}

/// Breaks one line of styled characters into rows of at most `max`
/// columns.
fn break_chars(chars: Vec<(char, Style)>, max: usize) -> Vec<Vec<(char, Style)>> {
    let mut rows = Vec::new();
    let mut row: Vec<(char, Style)> = Vec::new();
    let mut used = 0;
    for (c, style) in chars {
        let w = width(c);
        // A space at the end of a full row is dropped, not carried.
        if used + w > max && c == ' ' && !row.is_empty() {
            rows.push(std::mem::take(&mut row));
            used = 0;
            continue;
        }
        while used + w > max && !row.is_empty() {
            let at = break_at(&row, c);
            let carried = row.split_off(at);
            let mut done = row;
            while done.last().is_some_and(|(c, _)| *c == ' ') {
                done.pop();
            }
            rows.push(done);
            row = carried;
            used = row.iter().map(|(c, _)| width(*c)).sum();
        }
        if row.is_empty() && c == ' ' && !rows.is_empty() {
            continue;
        }
        row.push((c, style));
        used += w;
    }
    rows.push(row);
    rows
}

/// Groups characters back into spans of one style.
fn spans(row: Vec<(char, Style)>) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut style = None;
    for (c, s) in row {
        if style.is_some_and(|st| st != s) {
            out.push(Span::styled(std::mem::take(&mut cur), style.unwrap_or_default()));
        }
        style = Some(s);
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(Span::styled(cur, style.unwrap_or_default()));
    }
    out
}

/// Lines wider than `max` columns, broken into rows by the rule above
/// (each keeps the line's own style and alignment).
pub fn lines(text: impl Into<Text<'static>>, max: usize) -> Vec<Line<'static>> {
    let max = max.max(2);
    let text: Text<'static> = text.into();
    let mut out = Vec::new();
    for line in text.lines {
        let base = text.style.patch(line.style);
        if line.width() <= max {
            out.push(line);
            continue;
        }
        let chars: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| {
                let st = base.patch(s.style);
                s.content.chars().map(move |c| (c, st))
            })
            .collect();
        for row in break_chars(chars, max) {
            let mut l = Line::from(spans(row));
            l.alignment = line.alignment;
            out.push(l);
        }
    }
    out
}

/// A plain string broken into rows of at most `max` columns.
pub fn rows(s: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let chars = s.chars().map(|c| (c, Style::new())).collect();
    break_chars(chars, max)
        .into_iter()
        .map(|r| r.into_iter().map(|(c, _)| c).collect::<String>())
        .collect()
}

/// A plain string broken into rows at its spaces only, for a list of
/// examples ("…, next mon, 明天, 下周一"): each stays whole. A word wider
/// than a row is broken by the rule above.
pub fn rows_at_spaces(s: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut out: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let w = UnicodeWidthStr::width(word);
        let used = UnicodeWidthStr::width(row.as_str());
        if !row.is_empty() && used + 1 + w <= max {
            row.push(' ');
            row.push_str(word);
            continue;
        }
        if !row.is_empty() {
            out.push(std::mem::take(&mut row));
        }
        if w <= max {
            row.push_str(word);
        } else {
            let mut parts = rows(word, max);
            row = parts.pop().unwrap_or_default();
            out.extend(parts);
        }
    }
    out.push(row);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn no_row_starts_with_a_closing_mark() {
        let s = "处理意见：已联系客户，确认冰箱外壳凹陷。客户要求更换（不接受维修），并希望本周内送达。";
        // From three characters a row (narrower, "修），" cannot stay
        // together and something has to give).
        for max in 6..40 {
            let rows = rows(s, max);
            assert_eq!(rows.concat(), s, "nothing lost at {max}");
            for r in &rows {
                assert!(r.width() <= max, "{r:?} wider than {max}");
                let first = r.chars().next().unwrap();
                assert!(!no_line_start(first), "{r:?} starts with a closing mark at {max}");
                let last = r.chars().last().unwrap();
                assert!(!no_line_end(last), "{r:?} ends with an opening mark at {max}");
            }
        }
    }

    #[test]
    fn examples_stay_whole() {
        let hint = "2026-12-01, 12-01, +3d, +2w, tomorrow, next mon, 明天, 下周一";
        let rows = rows_at_spaces(hint, 57);
        assert_eq!(
            rows,
            ["2026-12-01, 12-01, +3d, +2w, tomorrow, next mon, 明天,", "下周一"]
        );
        assert_eq!(rows_at_spaces("short", 57), ["short"]);
        assert_eq!(rows_at_spaces("abcdefghij xy", 4), ["abcd", "efgh", "ij", "xy"]);
    }

    #[test]
    fn latin_text_breaks_between_words() {
        assert_eq!(
            rows("Find the person who holds the authority.", 16),
            ["Find the person", "who holds the", "authority."]
        );
        assert_eq!(
            rows("设法找到握有购买决定权的人。", 10),
            ["设法找到握", "有购买决定", "权的人。"]
        );
        // A word longer than the row breaks inside it.
        assert_eq!(rows("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(rows("", 10), [""]);
    }

    #[test]
    fn styles_stay_with_their_characters() {
        let bold = Style::new().bold();
        let line = Line::from(vec![Span::styled("客户：", bold), Span::raw("张伟，总经理，北京华联")]);
        let out = lines(vec![line], 8);
        assert!(out.len() > 1);
        assert_eq!(out[0].spans[0].style, bold);
        assert_eq!(out[0].spans[0].content, "客户：");
        for l in &out {
            let first = l.spans[0].content.chars().next().unwrap();
            assert!(!no_line_start(first), "{l:?}");
        }
    }
}
