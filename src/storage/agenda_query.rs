//! Building a day's agenda from indexed columns (DOMAIN §3–4).

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;

use super::stamps::{DAY, parse_day, parse_ts};
use super::{Result, Store};
use crate::domain::agenda::{ComplaintDeadline, EventKind, Item, Reason, Section, order};
use crate::domain::cadence::{Cadence, idx, last_call};
use crate::domain::customer::Grade;
use crate::domain::dates::{self, Birthday, Calendar};
use crate::domain::holidays;
use crate::domain::lunar;

/// A day's agenda: the items shown (at most `limit` per kind of query,
/// most urgent first) and how many there are in each section in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Agenda {
    pub day: NaiveDate,
    pub items: Vec<Item>,
    /// Items per section, in `Section::ALL` order, including those beyond
    /// the shown limit.
    pub counts: [usize; 6],
}

impl Agenda {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The total as shown: with a "+" when a section reached the cap.
    pub fn total_label(&self) -> String {
        if self.counts.iter().any(|c| *c >= COUNT_CAP) {
            format!("{}+", self.total())
        } else {
            self.total().to_string()
        }
    }

    /// A count as shown: "1000+" once it reached the cap.
    pub fn count_label(n: usize) -> String {
        if n >= COUNT_CAP {
            format!("{COUNT_CAP}+")
        } else {
            n.to_string()
        }
    }

    /// Items of the agenda not shown because of the limit.
    pub fn hidden(&self, section: Section) -> usize {
        let shown = self.items.iter().filter(|i| i.section() == section).count();
        self.counts[section as usize].saturating_sub(shown)
    }
}

/// Counts stop here: an agenda with more than this many items of one kind
/// says "100+". More than a rep works through in a day; reading on would
/// only cost time on a big book (every row read is a customer looked up).
pub const COUNT_CAP: usize = 100;

/// Statuses the rep has stopped spending effort on.
const SKIP: &str = "'non_customer'";

/// People who left their company get no care moments (DOMAIN §4).
const PRESENT: &str = "c.left_on IS NULL";

fn day(d: NaiveDate) -> String {
    d.format(DAY).to_string()
}

/// The (month, day) pairs of the dates `from..=to`, adding 29 February on
/// 28 February of common years (such birthdays fall on the 28th).
fn month_days(from: NaiveDate, to: NaiveDate) -> Vec<(u32, u32, NaiveDate)> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        out.push((d.month(), d.day(), d));
        if d.month() == 2 && d.day() == 28 && NaiveDate::from_ymd_opt(d.year(), 2, 29).is_none() {
            out.push((2, 29, d));
        }
        d += Duration::days(1);
    }
    out
}

impl Store {
    /// The agenda of `day` as seen on `today` (`day == today` includes
    /// everything overdue; another day shows what falls due on it).
    /// `deadlines` are the open complaints' next deadlines.
    pub fn agenda(
        &self,
        day_: NaiveDate,
        today: NaiveDate,
        deadlines: &[ComplaintDeadline],
        limit: usize,
    ) -> Result<Agenda> {
        let mut a = Agenda {
            day: day_,
            ..Agenda::default()
        };
        let is_today = day_ <= today;
        let cmp = if is_today { "<=" } else { "=" };
        let d = day(day_);
        let cadence = self.cadence.clone();

        // 1. Complaint deadlines.
        let due_complaints: Vec<&ComplaintDeadline> = deadlines
            .iter()
            .filter(|c| {
                if is_today {
                    c.due.date() <= day_
                } else {
                    c.due.date() == day_
                }
            })
            .collect();
        // Like every section, the first `limit` (the most urgent: the
        // deadlines come earliest first) are listed and all are counted.
        let shown = &due_complaints[..due_complaints.len().min(limit)];
        let names = self.names(shown.iter().map(|c| c.customer_id))?;
        for c in shown {
            let reason = Reason::Complaint {
                kind: c.kind,
                due: c.due,
                complaint_id: c.complaint_id,
            };
            let name = names.get(&c.customer_id).cloned().unwrap_or_default();
            a.items
                .push(item(c.customer_id, name, reason, c.due.date(), day_, None));
        }
        a.counts[Section::Complaints as usize] = due_complaints.len();

        // 2. Follow-ups.
        let where_f = format!("f.done_at IS NULL AND f.due_on {cmp} ?1");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT f.id, f.customer_id, c.name, f.due_on, f.note, f.snoozes FROM follow_ups f
             JOIN customers c ON c.id = f.customer_id WHERE {where_f} ORDER BY f.due_on, f.id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![d, COUNT_CAP as i64], |r| {
            let reason = Reason::FollowUp {
                note: r.get(4)?,
                follow_up_id: r.get(0)?,
            };
            let due = day_col(r, 3)?.unwrap_or(day_);
            Ok(item(r.get(1)?, r.get(2)?, reason, due, day_, r.get(5)?))
        })?;
        a.counts[Section::FollowUps as usize] = take(&mut a.items, rows, limit)?;

        // 3. Calls and visits due by cadence (contacted customers that are
        // not churn risks; lost ones get a win-back call instead), key
        // customers first: one indexed read per grade, so the items kept
        // are the most important ones and each read stops at the cap.
        let (mut cadence_count, mut shown) = (0, 0);
        for grade in Grade::ALL {
            // Counting stops at the cap: the grades after it are not read.
            if cadence_count >= COUNT_CAP {
                break;
            }
            let where_c = format!(
                "(c.last_contact_at IS NOT NULL OR c.follow_up_as_new = 0) AND c.status NOT IN ({SKIP}, 'lost')
                 AND (c.churn_on IS NULL OR c.churn_on > ?1) AND c.grade = '{}'",
                grade.as_str()
            );
            let mut stmt = self.conn.prepare_cached(&due_sql(
                "c.id, c.name, c.grade, c.last_call_on, c.last_visit_on, c.created_at, c.next_due_on, s.count",
                Some("customers_grade_due"),
                "cadence",
                "c.next_due_on",
                &where_c,
                "c.next_due_on",
                is_today,
            ))?;
            let rows = stmt.query_map(params![d, (COUNT_CAP - cadence_count) as i64], |r| {
                let grade = Grade::parse(&r.get::<_, String>(2)?).unwrap_or(Grade::C);
                let (call, visit) = (day_col(r, 3)?, day_col(r, 4)?);
                let added = parse_ts(&r.get::<_, String>(5)?).map(|t| t.date()).unwrap_or(day_);
                let reason = if cadence.visit_is_next(grade, call, visit, added) {
                    Reason::Visit { grade, last: visit }
                } else {
                    Reason::Call {
                        grade,
                        last: last_call(call, visit),
                    }
                };
                let due = day_col(r, 6)?.unwrap_or(day_);
                Ok(item(r.get(0)?, r.get(1)?, reason, due, day_, r.get(7)?))
            })?;
            let before = a.items.len();
            cadence_count += take(&mut a.items, rows, limit.min(COUNT_CAP) - shown)?;
            shown += a.items.len() - before;
        }
        a.counts[Section::Cadence as usize] = cadence_count.min(COUNT_CAP);

        // 4. Care moments.
        let care = self.care(day_, limit)?;
        a.counts[Section::Care as usize] = care.0;
        a.items.extend(care.1);

        // 5. Churn risks and lost customers worth a win-back call.
        let sql = due_sql(
            "c.id, c.name, c.grade, c.last_contact_at, c.churn_on, s.count",
            None,
            "churn_risk",
            "c.churn_on",
            &format!("c.status NOT IN ({SKIP}, 'lost')"),
            "c.churn_on, c.id",
            is_today,
        );
        let mut churn = self.lapsed(&sql, &d, day_, limit, &mut a.items, |grade, last| Reason::ChurnRisk {
            grade,
            last: last.unwrap_or(day_),
        })?;
        let sql = due_sql(
            // The last call or visit: what the win-back's due date counts from.
            "c.id, c.name, c.grade, c.last_call_on, c.next_due_on, s.count, c.last_visit_on",
            Some("customers_win_back"),
            "win_back",
            "c.next_due_on",
            "c.status = 'lost' AND c.grade IN ('A', 'B')",
            "c.next_due_on, c.id",
            is_today,
        );
        churn += self.lapsed(&sql, &d, day_, limit, &mut a.items, |grade, last| Reason::WinBack {
            grade,
            last,
        })?;
        a.counts[Section::Churn as usize] = churn.min(COUNT_CAP);

        // 6. New customers not followed up yet.
        let mut stmt = self.conn.prepare_cached(&due_sql(
            "c.id, c.name, c.created_at, c.next_due_on, s.count",
            Some("customers_new"),
            "new_customer",
            "c.next_due_on",
            &format!("c.last_contact_at IS NULL AND c.follow_up_as_new = 1 AND c.status NOT IN ({SKIP})"),
            "c.next_due_on, c.id",
            is_today,
        ))?;
        let rows = stmt.query_map(params![d, COUNT_CAP as i64], |r| {
            let added = parse_ts(&r.get::<_, String>(2)?).map(|t| t.date()).unwrap_or(day_);
            let due = day_col(r, 3)?.unwrap_or(day_);
            Ok(item(
                r.get(0)?,
                r.get(1)?,
                Reason::NewCustomer { added },
                due,
                day_,
                r.get(4)?,
            ))
        })?;
        a.counts[Section::NewCustomers as usize] = take(&mut a.items, rows, limit)?;

        order(&mut a.items);
        Ok(a)
    }

    /// Counts rows of `SELECT count(*) FROM ...`, stopping at `COUNT_CAP`:
    /// a count past that reads "1000+" and costs no more.
    fn count(&self, sql: &str, d: &str) -> Result<usize> {
        let from = sql.trim_start().strip_prefix("SELECT count(*) ").unwrap_or(sql);
        let capped = format!("SELECT count(*) FROM (SELECT 1 {from} LIMIT {COUNT_CAP})");
        let n: i64 = self.conn.prepare_cached(&capped)?.query_row([d], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Rows of `(id, name, grade, last contact or call, due, snoozes[, last
    /// visit])`: churn risks and win-backs, which differ only in their
    /// reason. A win-back's last visit counts as its last call.
    fn lapsed(
        &self,
        sql: &str,
        d: &str,
        day_: NaiveDate,
        limit: usize,
        items: &mut Vec<Item>,
        reason: impl Fn(Grade, Option<NaiveDate>) -> Reason,
    ) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![d, COUNT_CAP as i64], |r| {
            let grade = Grade::parse(&r.get::<_, String>(2)?).unwrap_or(Grade::C);
            let last = r
                .get::<_, Option<String>>(3)?
                .as_deref()
                .and_then(|s| parse_ts(s).map(|t| t.date()).or_else(|| parse_day(s)));
            let last = match r.as_ref().column_count() {
                7 => last_call(last, day_col(r, 6)?),
                _ => last,
            };
            let due = day_col(r, 4)?.unwrap_or(day_);
            Ok(item(r.get(0)?, r.get(1)?, reason(grade, last), due, day_, r.get(5)?))
        })?;
        take(items, rows, limit)
    }

    /// The names of customers `ids`, read in one statement.
    fn names(&self, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
        let list = ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",");
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name FROM customers WHERE id IN (SELECT value FROM json_each(?1))")?;
        let rows = stmt.query_map([format!("[{list}]")], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Birthdays, holidays and business events showing on `day`: each from
    /// its grade's lead time up to and including the day itself, key
    /// customers first, counted up to the cap (a book of a million has
    /// thousands of birthdays in a week).
    fn care(&self, day_: NaiveDate, limit: usize) -> Result<(usize, Vec<Item>)> {
        let cadence = &self.cadence;
        let max_lead = cadence.birthday_lead_days.iter().copied().max().unwrap_or(0).max(0);
        let window = month_days(day_, day_ + Duration::days(max_lead));
        let mut found = (0usize, Vec::new());

        // Birthdays and business events: (month, day) within the window,
        // grade by grade, each as far ahead as its lead time reaches (so a
        // day a week ahead reads only the grades greeted that early). Key
        // customers come first, so those past the cap are the least
        // important ones, as in the calls and visits due.
        for &grade in Grade::ALL.iter() {
            let lead = cadence.birthday_lead_days[idx(grade)];
            let grades = sql_grades(std::iter::once(grade));
            self.care_of_grade(&window, day_, lead, &grades, limit, &mut found)?;
        }
        let (mut count, mut items) = found;

        // Major holidays: greet the customers whose grade calls for it (the
        // domain rule says which grades greet which holiday today).
        for (holiday, on, grades) in holiday_grades(cadence, day_) {
            if count >= COUNT_CAP {
                break;
            }
            let kind = Reason::Holiday { holiday, on }.kind();
            let filter = format!(
                "FROM customers c LEFT JOIN agenda_snoozes s ON s.customer_id = c.id AND s.kind = '{kind}'
                 WHERE (s.until_on IS NULL OR s.until_on <= ?1) AND c.grade IN ({grades})
                 AND c.status NOT IN ({SKIP}, 'lost') AND {PRESENT}"
            );
            count += self.count(&format!("SELECT count(*) {filter}"), &day(day_))?;
            let room = limit.saturating_sub(items.len());
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT c.id, c.name, s.count {filter} ORDER BY c.grade, c.sort_key LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![day(day_), room as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<u32>>(2)?))
            })?;
            for row in rows {
                let (id, name, snoozes) = row?;
                items.push(item(id, name, Reason::Holiday { holiday, on }, on, day_, snoozes));
            }
        }
        Ok((count.min(COUNT_CAP), items))
    }

    /// One grade's birthdays and business events in the care window, up
    /// to `lead` days ahead, added to `(count, items)` up to the cap.
    fn care_of_grade(
        &self,
        window: &[(u32, u32, NaiveDate)],
        day_: NaiveDate,
        lead: i64,
        grades: &str,
        limit: usize,
        (count, items): &mut (usize, Vec<Item>),
    ) -> Result<()> {
        let cadence = &self.cadence;
        let snooze_ok = |until: Option<String>| until.as_deref().and_then(parse_day).is_none_or(|u| u <= day_);
        let mut lunar_days = Vec::new();
        for (m, dd, on) in window {
            // Like every section, counting stops at the cap.
            if *count >= COUNT_CAP {
                break;
            }
            if (*on - day_).num_days() > lead {
                continue;
            }
            // Gregorian birthdays on (m, dd); lunar ones on whatever lunar
            // dates fall on this day (once per day: Feb 29 shares Feb 28).
            let mut keys = vec![(*m, *dd, Calendar::Gregorian)];
            if lunar_days.last() != Some(on) {
                lunar_days.push(*on);
                keys.extend(
                    lunar::birthdays_on(*on)
                        .into_iter()
                        .map(|l| (l.month, l.day, Calendar::Lunar { leap: l.leap })),
                );
            }
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT c.id, c.name, c.birth_year, s.until_on, s.count, c.grade
                 FROM customers c INDEXED BY customers_care
                 LEFT JOIN agenda_snoozes s ON s.customer_id = c.id AND s.kind = 'birthday'
                 WHERE c.birth_month = ?1 AND c.birth_day = ?2 AND c.birth_calendar = ?3
                 AND c.grade IN ({grades}) AND c.status NOT IN ({SKIP}) AND {PRESENT}"
            ))?;
            for (month, bday, calendar) in keys {
                let rows = stmt.query_map(params![month, bday, calendar.code()], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i32>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<u32>>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })?;
                for row in rows {
                    if *count >= COUNT_CAP {
                        break;
                    }
                    let (id, name, year, until, snoozes, grade) = row?;
                    let b = Birthday {
                        month,
                        day: bday,
                        year,
                        calendar,
                    };
                    // SQL found the candidates; the domain rule decides.
                    let grade = Grade::parse(&grade).unwrap_or(Grade::C);
                    if cadence.birthday_reminder(grade, &b, day_) != Some(*on) || !snooze_ok(until) {
                        continue;
                    }
                    *count += 1;
                    if items.len() < limit {
                        let age = dates::age_on(&b, *on);
                        items.push(item(id, name, Reason::Birthday { on: *on, age }, *on, day_, snoozes));
                    }
                }
            }
            let mut events = self.conn.prepare_cached(&format!(
                "SELECT c.id, c.name, e.kind, e.year, e.note, s.until_on, s.count FROM business_events e
                 JOIN customers c ON c.id = e.customer_id
                 LEFT JOIN agenda_snoozes s ON s.customer_id = c.id AND s.kind = 'event_' || e.kind
                 WHERE e.month = ?1 AND e.day = ?2 AND c.grade IN ({grades}) AND c.status NOT IN ({SKIP})
                 AND {PRESENT}"
            ))?;
            let rows = events.query_map(params![m, dd], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i32>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<u32>>(6)?,
                ))
            })?;
            for row in rows {
                if *count >= COUNT_CAP {
                    break;
                }
                let (id, name, kind, year, note, until, snoozes) = row?;
                // A one-off event (with a year) shows only in that year.
                let this_year = year.is_none_or(|y| y <= on.year());
                if !snooze_ok(until) || !this_year {
                    continue;
                }
                *count += 1;
                if items.len() < limit {
                    let kind = EventKind::parse(&kind).unwrap_or(EventKind::Other);
                    let years = year.map(|y| on.year() - y);
                    items.push(item(
                        id,
                        name,
                        Reason::Event {
                            kind,
                            on: *on,
                            note,
                            years,
                        },
                        *on,
                        day_,
                        snoozes,
                    ));
                }
            }
        }
        Ok(())
    }

    /// How many agenda items fall on each of `days` days from `from`
    /// (the first day includes everything overdue).
    pub fn week(
        &self,
        from: NaiveDate,
        days: u32,
        deadlines: &[ComplaintDeadline],
    ) -> Result<Vec<(NaiveDate, [usize; 6])>> {
        (0..days as i64)
            .map(|i| {
                let d = from + Duration::days(i);
                Ok((d, self.agenda(d, from, deadlines, 0)?.counts))
            })
            .collect()
    }
}

/// The query of an agenda section: `cols` of the customers `c` (read
/// through `index` if given) that match `filter`, with their snooze `s` of `kind`,
/// due (by column `due`) on the day `?1`, most urgent first, at most `?2`.
///
/// On today (`is_today`) that is everything due by the day and not snoozed
/// past it. A later day shows what falls due on it and is not snoozed past
/// it, plus what is due earlier and snoozed until exactly that day — so an
/// item snoozed there shows (and counts) as it will once the day is today.
/// Those few extra rows are found from the small snooze table.
fn due_sql(
    cols: &str,
    index: Option<&str>,
    kind: &str,
    due: &str,
    filter: &str,
    order: &str,
    is_today: bool,
) -> String {
    let cmp = if is_today { "<=" } else { "=" };
    let index = index.map(|i| format!("INDEXED BY {i}")).unwrap_or_default();
    let mut sql = format!(
        "SELECT {cols} FROM customers c {index}
         LEFT JOIN agenda_snoozes s ON s.customer_id = c.id AND s.kind = '{kind}'
         WHERE (s.until_on IS NULL OR s.until_on <= ?1) AND {due} {cmp} ?1 AND {filter}"
    );
    if !is_today {
        sql += &format!(
            "
             UNION ALL
             SELECT {cols} FROM agenda_snoozes s CROSS JOIN customers c ON c.id = s.customer_id
             WHERE s.kind = '{kind}' AND s.until_on = ?1 AND {due} < ?1 AND {filter}"
        );
    }
    sql + &format!(" ORDER BY {order} LIMIT ?2")
}

/// An optional day column (`None` when empty or unreadable).
fn day_col(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(parse_day))
}

/// Keeps the first `limit` rows as items and returns how many rows there
/// were (the query stops at `COUNT_CAP`).
fn take(items: &mut Vec<Item>, rows: impl Iterator<Item = rusqlite::Result<Item>>, limit: usize) -> Result<usize> {
    let mut n = 0;
    for row in rows {
        let item = row?;
        if n < limit {
            items.push(item);
        }
        n += 1;
    }
    Ok(n)
}

fn sql_grades(grades: impl Iterator<Item = Grade>) -> String {
    grades
        .map(|g| format!("'{}'", g.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// The holidays greeted on `day_`, soonest first, each with the grades (as
/// an SQL list) that [`Cadence::holiday_greetings`] greets for it.
fn holiday_grades(cadence: &Cadence, day_: NaiveDate) -> Vec<(holidays::Holiday, NaiveDate, String)> {
    let per_grade: Vec<_> = Grade::ALL.iter().map(|&g| cadence.holiday_greetings(g, day_)).collect();
    let mut all: Vec<(holidays::Holiday, NaiveDate)> = per_grade.iter().flatten().copied().collect();
    all.sort_by_key(|&(h, on)| (on, h));
    all.dedup();
    all.into_iter()
        .map(|(h, on)| {
            let greeted = Grade::ALL
                .iter()
                .copied()
                .zip(&per_grade)
                .filter(|(_, hs)| hs.contains(&(h, on)))
                .map(|(g, _)| g);
            (h, on, sql_grades(greeted))
        })
        .collect()
}

/// An item of the agenda of `day_` due `on`.
fn item(id: i64, name: String, reason: Reason, on: NaiveDate, day_: NaiveDate, snoozes: Option<u32>) -> Item {
    Item {
        customer_id: id,
        customer: name,
        reason,
        due: on,
        days_late: (day_ - on).num_days(),
        snoozes: snoozes.unwrap_or(0),
    }
}
