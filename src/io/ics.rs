//! The agenda as an iCalendar feed (RFC 5545) that calendar apps accept, so
//! reminders reach the rep's phone: open follow-ups as all-day events,
//! complaint deadlines at their hour (UTC), birthdays and yearly business
//! events as yearly recurring events (a lunar birthday as one event for
//! each of the next years, since it moves). Every event carries a stable UID, so
//! importing a newer feed updates events instead of doubling them.

use chrono::{NaiveDate, NaiveDateTime};

use super::vcard::fold;
use crate::domain::agenda::{DeadlineKind, EventKind};
use crate::domain::dates::Birthday;
use crate::domain::lunar::LunarDate;
use crate::domain::text;
use crate::i18n::{Lang, t, tf};

/// The customer an event is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Who {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    FollowUp {
        id: i64,
        due: NaiveDate,
        note: String,
    },
    /// `due` in UTC.
    Deadline {
        complaint_id: i64,
        kind: DeadlineKind,
        due: NaiveDateTime,
    },
    Birthday(Birthday),
    /// A business event; without a year it recurs every year.
    Event {
        id: i64,
        kind: String,
        month: u32,
        day: u32,
        year: Option<i32>,
        note: String,
    },
}

/// Everything the feed shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    pub entries: Vec<(Who, Entry)>,
}

/// RFC 5545 §3.3.11 TEXT escaping; control characters dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if text::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn who_label(w: &Who) -> String {
    let name = text::clean(&w.name);
    match text::clean(&w.company).trim() {
        "" => name.into_owned(),
        co => format!("{name} ({co})"),
    }
}

fn details(lang: Lang, w: &Who, extra: &str) -> String {
    let mut lines = Vec::new();
    if !w.phone.is_empty() {
        lines.push(format!("{} {}", t(lang, "io.ics.phone"), w.phone));
    }
    if !extra.trim().is_empty() {
        lines.push(extra.to_string());
    }
    lines.join("\n")
}

/// Years of lunar birthdays the feed carries.
pub const LUNAR_YEARS_AHEAD: usize = 10;

/// The next [`LUNAR_YEARS_AHEAD`] days a lunar birthday falls on, from `from`.
fn lunar_years(l: LunarDate, from: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut from = from;
    while out.len() < LUNAR_YEARS_AHEAD {
        let Some(d) = l.next_on_or_after(from) else { break };
        out.push(d);
        let Some(next) = d.succ_opt() else { break };
        from = next;
    }
    out
}

/// The whole calendar. `now` stamps the events (DTSTAMP, in UTC).
pub fn calendar(lang: Lang, feed: &Feed, now_utc: NaiveDateTime) -> String {
    let mut out = String::new();
    let stamp = now_utc.format("%Y%m%dT%H%M%SZ").to_string();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rapport//Rapport customer desk//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(
        &format!("X-WR-CALNAME:{}", escape(t(lang, "io.ics.calendar_name"))),
        &mut out,
    );
    // A lunar birthday falls on another day each year: one event per year.
    let entries = feed.entries.iter().flat_map(|(who, entry)| {
        let lunar = match entry {
            Entry::Birthday(b) => b.lunar(),
            _ => None,
        };
        let days: Vec<Option<NaiveDate>> = match lunar {
            Some(l) => lunar_years(l, now_utc.date()).into_iter().map(Some).collect(),
            None => vec![None],
        };
        days.into_iter().map(move |d| (who, entry, d))
    });
    for (who, entry, lunar_on) in entries {
        let label = who_label(who);
        let mut lines: Vec<String> = vec!["BEGIN:VEVENT".into()];
        let (summary, description, alarm) = match entry {
            Entry::FollowUp { id, due, note } => {
                lines.push(format!("UID:follow-up-{id}@rapport"));
                lines.push(format!("DTSTART;VALUE=DATE:{}", date(*due)));
                lines.push(format!("DTEND;VALUE=DATE:{}", date(due.succ_opt().unwrap_or(*due))));
                let s = tf(lang, "io.ics.follow_up", &[("name", &label)]);
                (s, details(lang, who, note), "PT9H")
            }
            Entry::Deadline {
                complaint_id,
                kind,
                due,
            } => {
                let (slug, key) = match kind {
                    DeadlineKind::FirstResponse => ("first-response", "io.ics.deadline.first_response"),
                    DeadlineKind::Promise => ("promise", "io.ics.deadline.promise"),
                    DeadlineKind::FollowUp => ("follow-up", "io.ics.deadline.follow_up"),
                };
                lines.push(format!("UID:complaint-{complaint_id}-{slug}@rapport"));
                lines.push(format!("DTSTART:{}", due.format("%Y%m%dT%H%M%SZ")));
                lines.push("DURATION:PT30M".into());
                (tf(lang, key, &[("name", &label)]), details(lang, who, ""), "-PT1H")
            }
            Entry::Birthday(b) if lunar_on.is_some() => {
                let on = lunar_on.unwrap_or_default();
                lines.push(format!("UID:birthday-{}-{}@rapport", who.id, on.format("%Y")));
                lines.push(format!("DTSTART;VALUE=DATE:{}", date(on)));
                lines.push(format!("DTEND;VALUE=DATE:{}", date(on.succ_opt().unwrap_or(on))));
                (
                    tf(lang, "io.ics.birthday", &[("name", &label)]),
                    details(lang, who, &b.to_string()),
                    "PT9H",
                )
            }
            Entry::Birthday(b) => {
                lines.push(format!("UID:birthday-{}@rapport", who.id));
                // Feb 29 falls on the last day of February in common years,
                // as on the agenda; year 2000 was a leap year.
                let first = b
                    .year
                    .and_then(|y| NaiveDate::from_ymd_opt(y, b.month, b.day))
                    .or_else(|| NaiveDate::from_ymd_opt(2000, b.month, b.day))
                    .unwrap_or_default();
                lines.push(format!("DTSTART;VALUE=DATE:{}", date(first)));
                lines.push(format!("DTEND;VALUE=DATE:{}", date(first.succ_opt().unwrap_or(first))));
                lines.push(if (b.month, b.day) == (2, 29) {
                    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".into()
                } else {
                    "RRULE:FREQ=YEARLY".into()
                });
                (
                    tf(lang, "io.ics.birthday", &[("name", &label)]),
                    details(lang, who, ""),
                    "PT9H",
                )
            }
            Entry::Event {
                id,
                kind,
                month,
                day,
                year,
                note,
            } => {
                lines.push(format!("UID:event-{id}@rapport"));
                let first = NaiveDate::from_ymd_opt(year.unwrap_or(2000), *month, *day).unwrap_or_default();
                lines.push(format!("DTSTART;VALUE=DATE:{}", date(first)));
                lines.push(format!("DTEND;VALUE=DATE:{}", date(first.succ_opt().unwrap_or(first))));
                if year.is_none() {
                    lines.push("RRULE:FREQ=YEARLY".into());
                }
                let what = t(lang, EventKind::parse(kind).unwrap_or(EventKind::Other).key());
                let s = tf(lang, "io.ics.event", &[("event", &what), ("name", &label)]);
                (s, details(lang, who, note), "PT9H")
            }
        };
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("SUMMARY:{}", escape(&summary)));
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&description)));
        }
        lines.push("BEGIN:VALARM".into());
        lines.push("ACTION:DISPLAY".into());
        lines.push(format!("DESCRIPTION:{}", escape(&summary)));
        lines.push(format!("TRIGGER:{alarm}"));
        lines.push("END:VALARM".into());
        lines.push("END:VEVENT".into());
        for l in lines {
            fold(&l, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Who {
        Who {
            id: 3,
            name: "张伟\x1b]0;x\x07".into(),
            company: "华强, 电子; 深圳".into(),
            phone: "138 0013 8000".into(),
        }
    }

    #[test]
    fn events_are_escaped_folded_and_stable() {
        let feed = Feed {
            entries: vec![
                (
                    who(),
                    Entry::FollowUp {
                        id: 5,
                        due: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                        note: "带上样品\n问预算".into(),
                    },
                ),
                (
                    who(),
                    Entry::Birthday(Birthday {
                        calendar: crate::domain::dates::Calendar::Gregorian,
                        month: 2,
                        day: 29,
                        year: None,
                    }),
                ),
            ],
        };
        let now = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap();
        let ics = calendar(Lang::Zh, &feed, now);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75);
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("UID:follow-up-5@rapport"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101"));
        assert!(unfolded.contains("华强\\, 电子\\; 深圳"));
        assert!(unfolded.contains("带上样品\\n问预算"));
        assert!(unfolded.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"));
        assert!(unfolded.contains("DTSTAMP:20261123T010000Z"));
        assert!(!ics.contains('\x1b') && !ics.contains('\x07'));
    }
}
