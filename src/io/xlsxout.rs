//! The customer list as an Excel workbook (rust_xlsxwriter): the same
//! columns as the CSV export, a bold header row that stays frozen with a
//! filter on it, ids and phones as text (a long number would lose digits
//! or turn into `1.39E+10`), dates as real dates, and columns wide enough
//! for their contents (Chinese characters count double). Every value is a
//! string or a date cell, so nothing in it can run as a formula.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::csvout::{COLUMNS, Exported};
use crate::domain::text;
use crate::i18n::{Lang, t};

/// A cell: text, a date shown as `yyyy-mm-dd`, a whole number, or an
/// amount shown with two decimals.
enum Cell {
    Text(String),
    Date(NaiveDate),
    Number(f64),
    Amount(f64),
}

/// How an amount shows: thousands grouped, two decimals.
const AMOUNT: &str = "#,##0.00";

/// The widest a column gets, in characters.
const MAX_WIDTH: usize = 50;

fn clean(s: &str) -> String {
    s.replace("\r\n", "\n")
        .split('\n')
        .map(|l| text::clean(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn cells(lang: Lang, e: &Exported) -> [Cell; 20] {
    let c = &e.customer;
    let txt = |s: &str| Cell::Text(clean(s));
    let day = |d: Option<NaiveDate>| d.map_or(Cell::Text(String::new()), Cell::Date);
    // A birthday without its year stays text ("03-12"): a date needs a
    // year; so does a lunar one (its month and day are not the calendar's).
    let birthday = match c.birthday {
        Some(b) if b.calendar != crate::domain::dates::Calendar::Gregorian => Cell::Text(b.to_string()),
        Some(b) => match b.year.and_then(|y| NaiveDate::from_ymd_opt(y, b.month, b.day)) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(b.to_string()),
        },
        None => Cell::Text(String::new()),
    };
    [
        Cell::Text(c.id.to_string()),
        txt(&c.name),
        txt(&c.company),
        txt(&c.role),
        txt(&c.phones.join("; ")),
        txt(&c.wechat),
        txt(&c.email),
        txt(&c.city),
        birthday,
        Cell::Text(c.grade.as_str().to_string()),
        Cell::Text(t(lang, c.status.key()).to_string()),
        Cell::Text(t(lang, c.relationship.key()).to_string()),
        Cell::Text(c.personality.map(|p| t(lang, p.key()).to_string()).unwrap_or_default()),
        txt(&c.tags.join(", ")),
        txt(&c.hobbies),
        txt(&c.family),
        txt(&c.notes),
        day(c.contact.last_contact.map(|t| t.date())),
        day(e.next_due),
        Cell::Date(c.created_at.date()),
    ]
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Display width of the longest line of `s`.
fn width(s: &str) -> usize {
    s.lines().map(text::width).max().unwrap_or(0)
}

/// The whole workbook: one sheet of customers, named in the user's language.
pub fn customers(lang: Lang, list: &[Exported]) -> Result<Vec<u8>, XlsxError> {
    let head: Vec<&str> = COLUMNS.iter().map(|k| t(lang, k)).collect();
    let rows = list.iter().map(|e| cells(lang, e).into_iter().collect());
    sheet(t(lang, "tools.sheet_customers"), &head, rows, list.len())
}

/// The purchases as a workbook, in the columns of the CSV export: ids as
/// text, the date as a date, quantity as a number, the amount in currency
/// units with two decimals (exact: amounts are whole minor units).
pub fn purchases(
    lang: Lang,
    currency: crate::domain::value::Currency,
    list: &[crate::domain::value::Purchase],
    names: &std::collections::HashMap<i64, (String, String)>,
) -> Result<Vec<u8>, XlsxError> {
    let head: Vec<&str> = super::purchases::COLUMNS.iter().map(|k| t(lang, k)).collect();
    let minor = currency.scale() as f64;
    let rows = list.iter().map(|p| {
        let (name, company) = names.get(&p.customer_id).cloned().unwrap_or_default();
        vec![
            Cell::Text(p.customer_id.to_string()),
            Cell::Text(clean(&name)),
            Cell::Text(clean(&company)),
            Cell::Date(p.date),
            Cell::Text(clean(&p.product)),
            Cell::Number(p.quantity as f64),
            Cell::Amount(p.amount as f64 / minor),
            Cell::Text(clean(&p.note)),
        ]
    });
    sheet(t(lang, "tools.sheet_purchases"), &head, rows, list.len())
}

/// One sheet named `name`: a bold header row that stays frozen with a
/// filter on it, then `rows`, columns as wide as their contents.
fn sheet(name: &str, head: &[&str], rows: impl Iterator<Item = Vec<Cell>>, n: usize) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold().set_align(FormatAlign::Top);
    let as_text = Format::new().set_num_format("@").set_align(FormatAlign::Top);
    let as_date = Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top);
    let as_number = Format::new().set_num_format("0").set_align(FormatAlign::Top);
    let as_amount = Format::new().set_num_format(AMOUNT).set_align(FormatAlign::Top);
    let mut widths: Vec<usize> = head.iter().map(|h| width(h)).collect();
    for (col, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (i, cells) in rows.enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in cells.into_iter().enumerate() {
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    widths[col] = widths[col].max(width(&s));
                    sheet.write_string_with_format(row, col as u16, s, &as_text)?;
                }
                Cell::Date(d) => {
                    widths[col] = widths[col].max(10);
                    sheet.write_datetime_with_format(row, col as u16, excel_date(d)?, &as_date)?;
                }
                Cell::Number(v) => {
                    widths[col] = widths[col].max(format!("{v}").len());
                    sheet.write_number_with_format(row, col as u16, v, &as_number)?;
                }
                Cell::Amount(v) => {
                    widths[col] = widths[col].max(format!("{v:.2}").len() + 2);
                    sheet.write_number_with_format(row, col as u16, v, &as_amount)?;
                }
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*w).clamp(4, MAX_WIDTH) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, n as u32, (head.len().max(1) - 1) as u16)?;
    book.save_to_buffer()
}
