//! One customer as the list shows it. The index keeps a million of them:
//! each as a [`Slot`] of fixed size, its sort key and name in one text
//! arena and its company once per company ([`Texts`]), read through an
//! [`EntryRef`]. An [`Entry`] is the same customer on its own (the command
//! line's, and what an edit brings into the index).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::SortBy;
use crate::domain::cadence::{Cadence, Due};
use crate::domain::customer::{Grade, Status};
use crate::domain::fnv::FnvBuild;
use crate::storage::CustomerRow;

/// A customer's list fields, as the index keeps them: 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub id: i64,
    /// Where its text starts in [`Texts::people`]: the sort key, then the
    /// name when the sort key does not end with it.
    text: u32,
    /// Its company in [`Texts::companies`].
    company: u32,
    sort_len: u16,
    name_len: u16,
    pub last_contact: Option<NaiveDate>,
    /// The day of [`Due::On`]; `None` is [`Due::Now`] unless
    /// [`NEVER_DUE`] is set.
    due_on: Option<NaiveDate>,
    pub grade: Grade,
    pub status: Status,
    /// [`NEXT_IS_VISIT`], [`NAME_AFTER`], [`NEVER_DUE`].
    flags: u8,
}

/// The contact due next is a visit (which also covers the call).
const NEXT_IS_VISIT: u8 = 1;
/// The name follows the sort key in the text (else the sort key ends with
/// it).
const NAME_AFTER: u8 = 2;
/// No contact is ever due ([`Due::Never`]).
const NEVER_DUE: u8 = 4;

/// The longest sort key and name a slot keeps, in bytes: a name is at most
/// a hundred characters when typed or imported, so only a row another
/// program wrote can be longer; its text is kept cut at a character.
const MAX_TEXT: usize = u16::MAX as usize;

impl Slot {
    pub fn next_due(&self) -> Due {
        match (self.due_on, self.flags & NEVER_DUE != 0) {
            (Some(d), _) => Due::On(d),
            (None, false) => Due::Now,
            (None, true) => Due::Never,
        }
    }

    /// The contact due next is a visit (which also covers the call).
    pub fn next_is_visit(&self) -> bool {
        self.flags & NEXT_IS_VISIT != 0
    }

    fn new(id: i64, text: u32, company: u32, (sort_len, name_len, after): (u16, u16, bool), f: Fields) -> Slot {
        let (due_on, never) = match f.next_due {
            Due::Now => (None, false),
            Due::On(d) => (Some(d), false),
            Due::Never => (None, true),
        };
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        Slot {
            id,
            text,
            company,
            sort_len,
            name_len,
            last_contact: f.last_contact,
            due_on,
            grade: f.grade,
            status: f.status,
            flags: flag(f.next_is_visit, NEXT_IS_VISIT) | flag(after, NAME_AFTER) | flag(never, NEVER_DUE),
        }
    }

    /// Where its name starts and ends in its text, and where the text ends.
    fn name_span(&self) -> (usize, usize, usize) {
        let (sort, name) = (usize::from(self.sort_len), usize::from(self.name_len));
        if self.flags & NAME_AFTER != 0 {
            (sort, sort + name, sort + name)
        } else {
            (sort - name, sort, sort)
        }
    }
}

/// A slot's fields other than its texts.
#[derive(Debug, Clone, Copy)]
struct Fields {
    grade: Grade,
    status: Status,
    last_contact: Option<NaiveDate>,
    next_due: Due,
    next_is_visit: bool,
}

/// A sort key and name as a slot keeps them: the text (cut when too long),
/// the lengths, and whether the name follows the sort key.
fn fit<'t>(person: &'t str, sort_end: usize, name_start: usize, name_end: usize) -> (Cow<'t, str>, (u16, u16, bool)) {
    let after = name_start >= sort_end && name_start < name_end;
    if sort_end <= MAX_TEXT && name_end - name_start <= MAX_TEXT {
        let lens = ((sort_end) as u16, (name_end - name_start) as u16, after);
        return (Cow::Borrowed(&person[..sort_end.max(name_end)]), lens);
    }
    let cut = |s: &'t str| {
        let mut end = s.len().min(MAX_TEXT / 2);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        &s[..end]
    };
    let (sort, name) = (cut(&person[..sort_end]), cut(&person[name_start..name_end]));
    let lens = (sort.len() as u16, name.len() as u16, true);
    (Cow::Owned(format!("{sort}{name}")), lens)
}

/// One customer on its own: the fields, with the sort key, name and
/// company in one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    /// The sort key, the name when the sort key does not end with it, then
    /// the company.
    text: Box<str>,
    sort_end: u32,
    name_start: u32,
    name_end: u32,
    pub grade: Grade,
    pub status: Status,
    pub last_contact: Option<NaiveDate>,
    pub next_due: Due,
    pub next_is_visit: bool,
}

impl Entry {
    pub fn from_row(r: CustomerRow, cadence: &Cadence) -> Entry {
        // Someone who left the company has no cadence (DOMAIN §4), as the
        // card and the agenda say.
        let next_due = if r.left {
            Due::Never
        } else {
            cadence.due_for(
                r.status,
                r.grade,
                r.last_call,
                r.last_visit,
                r.created,
                r.follow_up_as_new,
            )
        };
        let mut text = r.sort_key;
        let sort_end = text.len();
        let shared = text.ends_with(r.name.as_str()) && text[..sort_end - r.name.len()].ends_with('\u{1}');
        let name_start = if shared {
            sort_end - r.name.len()
        } else {
            text.push_str(&r.name);
            sort_end
        };
        let name_end = name_start + r.name.len();
        text.push_str(&r.company);
        Entry {
            id: r.id,
            text: text.into_boxed_str(),
            sort_end: sort_end as u32,
            name_start: name_start as u32,
            name_end: name_end as u32,
            grade: r.grade,
            status: r.status,
            last_contact: r.last_contact,
            next_due,
            next_is_visit: cadence.visit_is_next(r.grade, r.last_call, r.last_visit, r.created),
        }
    }

    pub fn name(&self) -> &str {
        &self.text[self.name_start as usize..self.name_end as usize]
    }

    pub fn company(&self) -> &str {
        &self.text[self.person_end()..]
    }

    /// The name order key (pinyin for Chinese names).
    pub fn sort_key(&self) -> &str {
        &self.text[..self.sort_end as usize]
    }

    fn person_end(&self) -> usize {
        self.sort_end.max(self.name_end) as usize
    }

    fn fields(&self) -> Fields {
        Fields {
            grade: self.grade,
            status: self.status,
            last_contact: self.last_contact,
            next_due: self.next_due,
            next_is_visit: self.next_is_visit,
        }
    }
}

/// The texts of the index's entries: each one's sort key and name in one
/// arena, and each company once.
#[derive(Debug, Default)]
pub(super) struct Texts {
    people: String,
    /// Bytes of `people` an edit left behind.
    stale: usize,
    company_names: String,
    /// `(start, len)` in `company_names` of each company; the first is none.
    companies: Vec<(u32, u32)>,
}

/// Companies already kept, by their name's hash, while an index is built.
pub(super) type Interned = HashMap<u64, u32, FnvBuild>;

impl Texts {
    fn company_name(&self, c: u32) -> &str {
        let (start, len) = self.companies.get(c as usize).copied().unwrap_or((0, 0));
        &self.company_names[start as usize..(start + len) as usize]
    }

    /// Keeps a company's name; its number. With `interned`, a name kept
    /// before is kept once.
    pub(super) fn company(&mut self, name: &str, interned: Option<&mut Interned>) -> u32 {
        if self.companies.is_empty() {
            self.companies.push((0, 0));
        }
        if name.is_empty() {
            return 0;
        }
        let hash = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = FnvBuild::default().build_hasher();
            h.write(name.as_bytes());
            h.finish()
        };
        let known = interned.as_ref().and_then(|m| m.get(&hash).copied());
        if let Some(c) = known.filter(|&c| self.company_name(c) == name) {
            return c;
        }
        let c = self.companies.len() as u32;
        self.companies
            .push((self.company_names.len() as u32, name.len() as u32));
        self.company_names.push_str(name);
        if let Some(m) = interned {
            m.entry(hash).or_insert(c);
        }
        c
    }

    /// Keeps an entry's texts; its slot.
    pub(super) fn slot(&mut self, e: &Entry, interned: Option<&mut Interned>) -> Slot {
        let company = self.company(e.company(), interned);
        self.slot_with(e, company)
    }

    /// Keeps an entry's sort key and name, with its company already kept.
    pub(super) fn slot_with(&mut self, e: &Entry, company: u32) -> Slot {
        let text = self.people.len() as u32;
        let (person, lens) = fit(&e.text, e.sort_end as usize, e.name_start as usize, e.name_end as usize);
        self.people.push_str(&person);
        Slot::new(e.id, text, company, lens, e.fields())
    }

    /// An edit replaced `old`'s texts: rewrites the arena without the
    /// replaced ones when they are half of it.
    pub(super) fn replaced(&mut self, old: &Slot, slots: &mut [Slot]) {
        self.stale += old.name_span().2;
        if self.stale > self.people.len() / 2 {
            let old = std::mem::take(&mut self.people);
            for s in slots {
                let start = self.people.len() as u32;
                let end = s.text as usize + s.name_span().2;
                self.people.push_str(&old[s.text as usize..end]);
                s.text = start;
            }
            self.stale = 0;
        }
    }

    pub(super) fn shrink(&mut self) {
        self.people.shrink_to_fit();
        self.company_names.shrink_to_fit();
        self.companies.shrink_to_fit();
    }

    /// The companies the slots name, for the index's file: their numbers
    /// there by number here, and the names in that order (the first, no
    /// company, stays first). The names an edit left unnamed are dropped.
    pub(super) fn named<'a>(&'a self, slots: &[Slot]) -> (Vec<u32>, Vec<&'a str>) {
        let mut number = vec![u32::MAX; self.companies.len().max(1)];
        let mut names = vec![""];
        number[0] = 0;
        for s in slots {
            let c = s.company as usize;
            if number[c] == u32::MAX {
                number[c] = names.len() as u32;
                names.push(self.company_name(s.company));
            }
        }
        (number, names)
    }

    /// Keeps the next company read from a file.
    pub(super) fn push_company(&mut self, name: &str) {
        self.companies
            .push((self.company_names.len() as u32, name.len() as u32));
        self.company_names.push_str(name);
    }
}

/// An entry of the index: its [`Slot`]'s fields, and its texts.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    slot: &'a Slot,
    texts: &'a Texts,
}

impl std::ops::Deref for EntryRef<'_> {
    type Target = Slot;
    fn deref(&self) -> &Slot {
        self.slot
    }
}

impl<'a> EntryRef<'a> {
    pub(super) fn new(slot: &'a Slot, texts: &'a Texts) -> EntryRef<'a> {
        EntryRef { slot, texts }
    }

    fn text(&self, from: usize, to: usize) -> &'a str {
        let start = self.slot.text as usize;
        &self.texts.people[start + from..start + to]
    }

    pub fn name(&self) -> &'a str {
        let (start, end, _) = self.slot.name_span();
        self.text(start, end)
    }

    pub fn company(&self) -> &'a str {
        self.texts.company_name(self.slot.company)
    }

    /// The name order key (pinyin for Chinese names).
    pub fn sort_key(&self) -> &'a str {
        self.text(0, usize::from(self.slot.sort_len))
    }

    /// Its sort key and name as kept, and the offsets in them.
    pub(super) fn person(&self) -> (&'a str, u32, u32, u32) {
        let (start, end, all) = self.slot.name_span();
        (
            self.text(0, all),
            u32::from(self.slot.sort_len),
            start as u32,
            end as u32,
        )
    }

    pub(super) fn company_number(&self) -> u32 {
        self.slot.company
    }
}

impl PartialEq for EntryRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.slot, other.slot);
        (a.id, a.grade, a.status, a.last_contact, a.next_due(), a.next_is_visit())
            == (b.id, b.grade, b.status, b.last_contact, b.next_due(), b.next_is_visit())
            && (self.sort_key(), self.name(), self.company()) == (other.sort_key(), other.name(), other.company())
    }
}

/// An entry read from a file: its slot's fields, its sort key and name
/// (`person`), and its company's number.
pub(super) struct ReadEntry<'a> {
    pub(super) id: i64,
    pub(super) person: &'a str,
    pub(super) offsets: (u32, u32, u32),
    pub(super) company: u32,
    pub(super) grade: Grade,
    pub(super) status: Status,
    pub(super) last_contact: Option<NaiveDate>,
    pub(super) next_due: Due,
    pub(super) next_is_visit: bool,
}

impl Texts {
    /// Keeps an entry read from a file; `None` when its offsets do not fall
    /// on its text's characters or its company is not kept.
    pub(super) fn slot_read(&mut self, r: ReadEntry<'_>) -> Option<Slot> {
        let (sort_end, name_start, name_end) = r.offsets;
        let on_char = |at: u32| r.person.is_char_boundary(at as usize);
        let fits = on_char(sort_end)
            && on_char(name_start)
            && on_char(name_end)
            && name_start <= name_end
            && sort_end.max(name_end) as usize == r.person.len()
            && (r.company as usize) < self.companies.len();
        if !fits {
            return None;
        }
        let text = self.people.len() as u32;
        let (person, lens) = fit(r.person, sort_end as usize, name_start as usize, name_end as usize);
        self.people.push_str(&person);
        let fields = Fields {
            grade: r.grade,
            status: r.status,
            last_contact: r.last_contact,
            next_due: r.next_due,
            next_is_visit: r.next_is_visit,
        };
        Some(Slot::new(r.id, text, r.company, lens, fields))
    }
}

pub(super) fn compare(a: EntryRef<'_>, b: EntryRef<'_>, by: SortBy) -> Ordering {
    let name = || a.sort_key().cmp(b.sort_key());
    match by {
        SortBy::Name => name(),
        SortBy::LastContact => a.last_contact.cmp(&b.last_contact).then_with(name),
        SortBy::NextDue => a.next_due().cmp(&b.next_due()).then_with(name),
        SortBy::Grade => a.grade.cmp(&b.grade).then_with(name),
    }
}

// A million slots fit in 32 MB.
const _: () = assert!(std::mem::size_of::<Slot>() <= 32);

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(next_due: Due, next_is_visit: bool) -> Fields {
        Fields {
            grade: Grade::C,
            status: Status::Active,
            last_contact: NaiveDate::from_ymd_opt(2026, 3, 4),
            next_due,
            next_is_visit,
        }
    }

    #[test]
    fn a_slot_gives_back_every_due_date_and_visit_it_was_given() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        for due in [Due::Now, Due::On(day), Due::Never] {
            for visit in [false, true] {
                let s = Slot::new(7, 0, 0, (0, 0, false), fields(due, visit));
                assert_eq!((s.next_due(), s.next_is_visit()), (due, visit));
                assert_eq!(s.last_contact, NaiveDate::from_ymd_opt(2026, 3, 4));
            }
        }
    }

    /// A name and sort key longer than a slot keeps (only another
    /// program's row can hold one) are kept cut at a character; the
    /// entries after them read as they were given.
    #[test]
    fn a_name_too_long_for_a_slot_is_kept_cut_at_a_character() {
        let mut texts = Texts::default();
        let entry = |id: i64, name: &str| {
            let sort = format!("{}\u{1}{name}", name.to_lowercase());
            let text = format!("{sort}Acme");
            Entry {
                id,
                sort_end: sort.len() as u32,
                name_start: (sort.len() - name.len()) as u32,
                name_end: sort.len() as u32,
                text: text.into_boxed_str(),
                grade: Grade::A,
                status: Status::Active,
                last_contact: None,
                next_due: Due::Now,
                next_is_visit: false,
            }
        };
        let long = "张".repeat(40_000);
        let slots = [entry(1, &long), entry(2, "Wang Fang")].map(|e| texts.slot(&e, None));
        let first = EntryRef::new(&slots[0], &texts);
        assert!(first.name().len() <= MAX_TEXT / 2 && first.name().len() > MAX_TEXT / 2 - 3);
        assert!(long.starts_with(first.name()) && first.sort_key().starts_with(&long[..300]));
        assert_eq!(first.company(), "Acme");
        let second = EntryRef::new(&slots[1], &texts);
        assert_eq!(
            (second.name(), second.sort_key()),
            ("Wang Fang", "wang fang\u{1}Wang Fang")
        );
        let (text, sort_end, name_start, name_end) = first.person();
        assert_eq!(&text[..sort_end as usize], first.sort_key());
        assert_eq!(&text[name_start as usize..name_end as usize], first.name());
    }
}
