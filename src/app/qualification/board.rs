//! The prospect board: every customer with status potential or target,
//! grouped by MAN verdict, filterable by verdict and searchable with the
//! customer list's matching (pinyin too).

use chrono::NaiveDateTime;

use crate::app::input::TextInput;
use crate::domain::customer::{Grade, Status};
use crate::domain::qualification::{Man, Verdict, verdict};
use crate::search::{Match, Query, normalize_query};
use crate::storage::ProspectRow;

/// One prospect as the board keeps it: its texts live in the board's text
/// block (a board of 40,000 prospects holds no 160,000 small strings).
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub id: i64,
    pub status: Status,
    pub grade: Grade,
    pub man: Man,
    /// The verdict of `man` (kept: the board groups and counts by it on
    /// every keystroke of its search).
    pub verdict: Verdict,
    pub updated_at: Option<NaiveDateTime>,
    /// Where name, company, search key and sort key start in the text
    /// block, and where the sort key ends.
    text: [u32; 5],
}

/// One line of the board: a group header or a prospect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardLine {
    /// A verdict and how many prospects are listed under it.
    Group(Verdict, usize),
    /// Index into `Board::rows`.
    Row(usize),
}

#[derive(Debug, Default)]
pub struct Board {
    /// Every prospect, by name.
    pub rows: Vec<BoardRow>,
    /// The rows' texts, one after another.
    text: String,
    /// Prospects per verdict (in `Verdict::ALL` order), before any filter.
    pub counts: [usize; 5],
    /// Only this verdict's group, when set.
    pub filter: Option<Verdict>,
    pub query: TextInput,
    pub searching: bool,
    /// What the board shows, top to bottom.
    pub lines: Vec<BoardLine>,
    /// Line index of each listed prospect, in order.
    order: Vec<usize>,
    /// Position in `order` of the highlighted prospect.
    pub cursor: usize,
    /// First line on screen.
    pub offset: usize,
    /// Rows on screen (from the terminal size).
    pub viewport: usize,
    pub loaded: bool,
    /// Customers in the book when the rows were loaded or last kept current.
    pub seen_total: usize,
}

impl Board {
    /// Replaces the rows, keeping `keep` highlighted when listed. Rows are
    /// taken one at a time, so a large book is never held twice.
    pub fn load(&mut self, rows: impl IntoIterator<Item = ProspectRow>, keep: Option<i64>) {
        let keep = keep.or_else(|| self.current_id());
        self.rows.clear();
        self.text.clear();
        for r in rows {
            let row = self.pack(r);
            self.rows.push(row);
        }
        self.text.shrink_to_fit();
        self.rows.shrink_to_fit();
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_unstable_by(|a, b| (self.sort_key(a), a.id).cmp(&(self.sort_key(b), b.id)));
        self.rows = rows;
        self.loaded = true;
        self.rebuild();
        if let Some(id) = keep {
            self.select_id(id);
        }
    }

    /// Moves a row's texts into the text block.
    fn pack(&mut self, r: ProspectRow) -> BoardRow {
        let mut text = [0u32; 5];
        for (i, s) in [&r.name, &r.company, &r.search_key, &r.sort_key]
            .into_iter()
            .enumerate()
        {
            text[i] = self.text.len() as u32;
            self.text.push_str(s);
        }
        text[4] = self.text.len() as u32;
        BoardRow {
            id: r.id,
            status: r.status,
            grade: r.grade,
            man: r.man,
            verdict: verdict(&r.man).verdict,
            updated_at: r.updated_at,
            text,
        }
    }

    fn part(&self, r: &BoardRow, i: usize) -> &str {
        &self.text[r.text[i] as usize..r.text[i + 1] as usize]
    }

    pub fn name(&self, r: &BoardRow) -> &str {
        self.part(r, 0)
    }

    pub fn company(&self, r: &BoardRow) -> &str {
        self.part(r, 1)
    }

    fn search_key(&self, r: &BoardRow) -> &str {
        self.part(r, 2)
    }

    fn sort_key(&self, r: &BoardRow) -> &str {
        self.part(r, 3)
    }

    fn recount(&mut self) {
        self.counts = [0; 5];
        for r in &self.rows {
            self.counts[r.verdict.index()] += 1;
        }
    }

    /// Recomputes the lines after the rows, the filter or the query changed,
    /// keeping the highlighted prospect when it is still listed.
    pub fn rebuild(&mut self) {
        let keep = self.current_id();
        self.recount();
        let q = normalize_query(self.query.text());
        let query = Query::new(&q);
        // (verdict position, best score first, then name order)
        let mut listed: Vec<(usize, i64, usize)> = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let v = row.verdict;
            if self.filter.is_some_and(|f| f != v) {
                continue;
            }
            let s = if q.is_empty() {
                0
            } else {
                // Matches as typed by tier, then letters in order, by name.
                match query.classify(self.search_key(row)) {
                    Some(Match::Typed(tier)) => tier,
                    Some(Match::Scattered) => 0,
                    None => continue,
                }
            };
            listed.push((v.index(), -s, i));
        }
        listed.sort_unstable();
        self.lines.clear();
        self.order.clear();
        let mut start = 0;
        while start < listed.len() {
            let group = listed[start].0;
            let end = start + listed[start..].iter().take_while(|l| l.0 == group).count();
            self.lines.push(BoardLine::Group(Verdict::ALL[group], end - start));
            for l in &listed[start..end] {
                self.order.push(self.lines.len());
                self.lines.push(BoardLine::Row(l.2));
            }
            start = end;
        }
        self.cursor = 0;
        self.offset = 0;
        if let Some(id) = keep {
            self.select_id(id);
        }
        self.scroll_into_view();
    }

    /// How many prospects are listed (after filter and search).
    pub fn listed(&self) -> usize {
        self.order.len()
    }

    /// The highlighted prospect's row.
    pub fn current(&self) -> Option<&BoardRow> {
        let line = *self.order.get(self.cursor)?;
        match self.lines[line] {
            BoardLine::Row(i) => self.rows.get(i),
            BoardLine::Group(..) => None,
        }
    }

    pub fn current_id(&self) -> Option<i64> {
        self.current().map(|r| r.id)
    }

    /// Line index of the highlighted prospect.
    pub fn cursor_line(&self) -> Option<usize> {
        self.order.get(self.cursor).copied()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.position_of(id).is_some()
    }

    fn position_of(&self, id: i64) -> Option<usize> {
        self.order
            .iter()
            .position(|&l| matches!(self.lines[l], BoardLine::Row(i) if self.rows[i].id == id))
    }

    /// Highlights `id` if it is listed.
    pub fn select_id(&mut self, id: i64) {
        if let Some(p) = self.position_of(id) {
            self.cursor = p;
            self.scroll_into_view();
        }
    }

    /// Moves the highlight; returns whether there is anything to highlight.
    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.order.is_empty() {
            return false;
        }
        let last = self.order.len() as isize - 1;
        self.cursor = (self.cursor as isize).saturating_add(delta).clamp(0, last) as usize;
        self.scroll_into_view();
        true
    }

    fn scroll_into_view(&mut self) {
        self.offset = self.view_offset(self.viewport.max(1));
    }

    /// The first line to show in `height` lines so that the highlighted
    /// prospect (and its group header, when it is the group's first) is
    /// on screen. Rendering uses it with the real height.
    pub fn view_offset(&self, height: usize) -> usize {
        let height = height.max(1);
        let Some(line) = self.cursor_line() else { return 0 };
        let top = if line > 0 && matches!(self.lines[line - 1], BoardLine::Group(..)) {
            line - 1
        } else {
            line
        };
        let mut offset = self.offset.min(self.lines.len().saturating_sub(1));
        if top < offset {
            offset = top;
        } else if line >= offset + height {
            offset = line + 1 - height;
        }
        offset
    }

    /// Cycles the verdict filter: all → each verdict with prospects → all.
    pub fn next_filter(&mut self) {
        let start = self.filter.map(|v| v.index() + 1).unwrap_or(0);
        self.filter = (start..Verdict::ALL.len())
            .map(|i| Verdict::ALL[i])
            .find(|v| self.counts[v.index()] > 0);
        self.rebuild();
    }

    /// Esc on the board: no filter, no search.
    pub fn clear_filters(&mut self) {
        self.filter = None;
        self.query.clear();
        self.searching = false;
        self.rebuild();
    }

    /// A saved edit changed `id`'s answers.
    pub fn set_man(&mut self, id: i64, man: Man, updated_at: Option<NaiveDateTime>) {
        if let Some(i) = self.rows.iter().position(|r| r.id == id) {
            self.rows[i].man = man;
            self.rows[i].verdict = verdict(&man).verdict;
            self.rows[i].updated_at = updated_at;
            self.rebuild();
        }
    }

    /// Another pane changed customer `id`: `row` is its new board row, or
    /// `None` when it is no longer a prospect.
    pub fn replace(&mut self, id: i64, row: Option<ProspectRow>) {
        let at = self.rows.iter().position(|r| r.id == id);
        if at.is_none() && row.is_none() {
            return;
        }
        // The replaced texts stay in the block until the next load.
        if let Some(i) = at {
            self.rows.remove(i);
        }
        if let Some(row) = row {
            let row = self.pack(row);
            let key = (self.sort_key(&row), row.id);
            let i = self.rows.partition_point(|r| (self.sort_key(r), r.id) < key);
            self.rows.insert(i, row);
        }
        self.rebuild();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::{Grade, Status};
    use crate::domain::qualification::Answer::{No, Unknown as U, Yes};

    fn row(id: i64, name: &str, man: Man) -> ProspectRow {
        ProspectRow {
            id,
            name: name.into(),
            company: String::new(),
            status: Status::Potential,
            grade: Grade::C,
            man,
            updated_at: None,
            search_key: crate::domain::searchkey::search_key(name, "", &[], "", &[]),
            sort_key: crate::domain::searchkey::name_sort_key(name),
        }
    }

    fn board() -> Board {
        let mut b = Board {
            viewport: 10,
            ..Board::default()
        };
        b.load(
            vec![
                row(1, "Anna Berg", Man::new(Yes, Yes, Yes)),
                row(2, "Bo Lind", Man::new(U, U, U)),
                row(3, "张伟", Man::new(No, No, No)),
                row(4, "Carl Holm", Man::new(Yes, No, Yes)),
                row(5, "Dora Wu", Man::new(Yes, Yes, No)),
            ],
            None,
        );
        b
    }

    fn shown(b: &Board) -> Vec<String> {
        b.lines
            .iter()
            .map(|l| match l {
                BoardLine::Group(v, n) => format!("{}:{n}", v.as_str()),
                BoardLine::Row(i) => b.name(&b.rows[*i]).to_string(),
            })
            .collect()
    }

    #[test]
    fn groups_follow_the_verdicts_with_counts() {
        let b = board();
        assert_eq!(
            shown(&b),
            [
                "qualified:1",
                "Anna Berg",
                "contactable:2",
                "Carl Holm",
                "Dora Wu",
                "non_customer:1",
                "张伟",
                "undetermined:1",
                "Bo Lind"
            ]
        );
        assert_eq!(b.counts, [1, 2, 0, 1, 1]);
        assert_eq!(b.current_id(), Some(1));
    }

    #[test]
    fn filter_search_and_moves_skip_headers() {
        let mut b = board();
        b.move_by(1);
        assert_eq!(b.current_id(), Some(4));
        b.next_filter();
        assert_eq!(b.filter, Some(Verdict::Qualified));
        b.next_filter();
        assert_eq!(shown(&b), ["contactable:2", "Carl Holm", "Dora Wu"]);
        assert_eq!(b.current_id(), Some(4), "the highlighted prospect stays");
        b.next_filter();
        b.next_filter();
        assert_eq!(b.filter, Some(Verdict::Undetermined), "empty groups are skipped");
        b.next_filter();
        assert_eq!(b.filter, None);
        b.query = TextInput::new("zw");
        b.rebuild();
        assert_eq!(shown(&b), ["non_customer:1", "张伟"]);
        b.clear_filters();
        assert_eq!(b.listed(), 5);
        b.move_by(100);
        assert_eq!(b.current_id(), Some(2));
    }

    #[test]
    fn edits_regroup_and_rows_come_and_go() {
        let mut b = board();
        b.select_id(2);
        b.set_man(2, Man::new(Yes, Yes, Yes), None);
        assert_eq!(shown(&b)[..3], ["qualified:2", "Anna Berg", "Bo Lind"]);
        assert_eq!(b.current_id(), Some(2));
        b.replace(3, None);
        assert!(!b.contains(3));
        b.replace(6, Some(row(6, "Alma Ek", Man::default())));
        assert_eq!(shown(&b).last().map(String::as_str), Some("Alma Ek"));
        assert_eq!(b.counts.iter().sum::<usize>(), 5);
    }

    #[test]
    fn the_view_keeps_the_cursor_and_its_header_on_screen() {
        let mut b = board();
        b.viewport = 3;
        b.move_by(4);
        assert_eq!(b.current_id(), Some(2));
        let off = b.view_offset(3);
        assert!(off <= 8 && 8 < off + 3);
        b.move_by(-4);
        assert_eq!(b.view_offset(3), 0, "the first group's header shows");
    }
}
