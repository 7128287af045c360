//! Typing into a form: characters and pastes into text fields, letters
//! that pick a choice, line breaks in multi-line fields, and the next
//! contact that logging one can schedule.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{DateEntry, Field, FieldId, FieldKind, Form};
use crate::domain::complaint::when::{WhenError, parse_when};
use crate::domain::dates;
use crate::domain::validate;
use crate::i18n::{Lang, t};
use crate::storage::NextContact;

/// The pinyin initial of a label's first character (`q` for 潜在客户).
fn initial(label: &str) -> Option<char> {
    use pinyin::ToPinyin;
    let c = label.chars().next()?;
    c.to_pinyin().and_then(|p| p.plain().chars().next())
}

/// The two optional fields that schedule the next contact while logging
/// one: when (any date entry, today or later) and what for.
pub fn next_contact_fields() -> [Field; 2] {
    [
        Field::text(FieldId::NextOn, "field.next_on", "")
            .hint("hint.next_on")
            .date_entry(DateEntry::Upcoming),
        Field::text(FieldId::NextFor, "field.next_for", ""),
    ]
}

/// The day a typed next contact falls on, or why it cannot be used.
pub fn next_contact_day(raw: &str, today: NaiveDate, lang: Lang) -> Result<NaiveDate, String> {
    match dates::parse_date_entry(raw, today) {
        Ok(d) if d < today => Err(t(lang, "agenda.error.past").to_string()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.message(lang.is_zh())),
    }
}

/// A day and time typed into a date-and-time field: `now`, `yesterday
/// 15:00`, `11-30 15:00`, `昨天`; a day alone is now when it is today,
/// noon otherwise.
/// A month and day without a year means the last one (`11-20` on
/// 2026-11-23 is 2026-11-20), for something that already happened.
pub fn when(raw: &str, now: NaiveDateTime, lang: Lang) -> Result<NaiveDateTime, String> {
    let at = when_ahead(raw, now, lang)?;
    // The date part only: a time's digits are not a year's.
    let t = raw.trim();
    let date_part = t
        .rsplit_once(char::is_whitespace)
        .filter(|(_, time)| time.contains([':', '：']))
        .map_or(t, |(d, _)| d);
    let day = latest(at.date(), date_part, now.date());
    Ok(day.and_time(at.time()))
}

/// A day and time that may be ahead (a promise's due time).
pub fn when_ahead(raw: &str, now: NaiveDateTime, lang: Lang) -> Result<NaiveDateTime, String> {
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
    let at = parse_when(raw, now, noon).map_err(|e| when_message(lang, &e))?;
    // No time typed (the default shows through): today means now.
    let alone = parse_when(raw, now, now.time()).map_err(|e| when_message(lang, &e))? != at;
    Ok(if alone && at.date() == now.date() {
        crate::domain::complaint::when::to_minute(now)
    } else {
        at
    })
}

/// The day a typed month and day without a year meant, looking back: the
/// year before when it would fall after today.
pub fn latest(d: NaiveDate, raw: &str, today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let t = raw.trim();
    let has_year = t.chars().filter(char::is_ascii_digit).count() >= 8 || t.contains('年');
    let month_day = !t.starts_with('+') && t.contains(['-', '/', '月']);
    if d > today && month_day && !has_year {
        return d.with_year(d.year() - 1).unwrap_or(d);
    }
    d
}

/// Why a typed day and time was refused, in the user's language.
pub fn when_message(lang: Lang, e: &WhenError) -> String {
    match e {
        WhenError::Date(d) => d.message(lang.is_zh()),
        WhenError::BadTime(s) => crate::i18n::tf(lang, WhenError::BAD_TIME_KEY, &[("time", s)]),
    }
}

/// What a date field's text resolves to: the day and, for a date-and-time
/// field, the time; `None` when the field is not a date or is empty.
pub fn resolved(field: &Field, now: NaiveDateTime, lang: Lang) -> Option<Result<NaiveDateTime, String>> {
    let entry = field.date?;
    let raw = field.value().trim();
    if raw.is_empty() {
        return None;
    }
    let today = now.date();
    let day = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    Some(match entry {
        DateEntry::Day => dates::parse_date_entry(raw, today)
            .map(day)
            .map_err(|e| e.message(lang.is_zh())),
        DateEntry::Upcoming => next_contact_day(raw, today, lang).map(day),
        DateEntry::When => when(raw, now, lang),
        DateEntry::Due => when_ahead(raw, now, lang),
        DateEntry::Birthday => dates::parse_birthday_entry(raw, today)
            .map(|b| day(dates::next_birthday(&b, today)))
            .map_err(|e| e.message(lang.is_zh())),
        DateEntry::Yearly => dates::parse_yearly(raw, today)
            .map(|b| day(next_yearly(&b, today)))
            .map_err(|e| e.message(lang.is_zh())),
    })
}

/// The day a business event next falls on: a yearly one's next date, a
/// one-time one's own date.
pub fn next_yearly(b: &dates::Birthday, today: NaiveDate) -> NaiveDate {
    match b.year {
        Some(y) => b.in_year(y).unwrap_or(today),
        None => dates::next_birthday(b, today),
    }
}

impl Form {
    /// A typed character: text into a text field; on a choice, a letter
    /// or digit jumps to the next option whose label starts with it (in
    /// the UI language; the pinyin initial for Chinese labels). A space
    /// never changes a choice.
    pub fn type_char(&mut self, c: char, lang: Lang) {
        if matches!(self.fields[self.focus].kind, FieldKind::Choice { .. }) {
            if c.is_alphanumeric() {
                self.jump_to(c, lang);
            }
            return;
        }
        self.edit(|t| t.insert(c));
    }

    fn jump_to(&mut self, c: char, lang: Lang) {
        let field = &mut self.fields[self.focus];
        let FieldKind::Choice { options, selected } = &mut field.kind else {
            return;
        };
        let want = c.to_lowercase().next().unwrap_or(c);
        let starts = |(value, key): &(&str, &str)| {
            let label = t(lang, key);
            let first = |s: &str| s.chars().next().map(|c| c.to_lowercase().next().unwrap_or(c));
            first(value) == Some(want) || first(label) == Some(want) || initial(label) == Some(want)
        };
        let n = options.len();
        if let Some(next) = (1..=n).map(|k| (*selected + k) % n).find(|&i| starts(&options[i])) {
            *selected = next;
            self.dirty = true;
        }
    }

    /// Pasted text: line breaks (`\r\n`, `\r`, `\n`) are kept in a
    /// multi-line field and become spaces in a one-line field.
    pub fn paste(&mut self, s: &str) {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        let s = if self.fields[self.focus].multiline {
            s
        } else {
            s.split('\n').collect::<Vec<_>>().join(" ")
        };
        self.edit(|t| t.insert_str(&s));
    }

    /// Ctrl-J: a line break in a multi-line field.
    pub fn new_line(&mut self) {
        if self.fields[self.focus].multiline {
            self.edit(|t| t.insert('\n'));
        }
    }

    /// The focus is on the last field (Tab goes back to the first).
    pub fn at_last_field(&self) -> bool {
        self.focus + 1 == self.fields.len()
    }

    /// The next contact typed into the form: `Some(None)` when left empty,
    /// `None` when a field is wrong (the error is next to it).
    pub fn next_contact(&mut self, lang: Lang, today: NaiveDate) -> Option<Option<NextContact>> {
        let raw = self.get(FieldId::NextOn).trim().to_string();
        let what = match validate::limit(self.get(FieldId::NextFor), validate::MAX_NOTE) {
            Ok(w) => w,
            Err(e) => {
                self.field_error(lang, FieldId::NextFor, e);
                return None;
            }
        };
        if raw.is_empty() {
            if !what.trim().is_empty() {
                self.set_error(FieldId::NextOn, t(lang, "error.next_on_missing").to_string());
                return None;
            }
            return Some(None);
        }
        match next_contact_day(&raw, today, lang) {
            Ok(on) => Some(Some(NextContact {
                on,
                what: what.trim().to_string(),
            })),
            Err(msg) => {
                self.set_error(FieldId::NextOn, msg);
                None
            }
        }
    }
}
