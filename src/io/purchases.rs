//! Order rows to purchases: each row finds its customer by id, normalised
//! phone, or exact name (and company when the name repeats); a row whose
//! customer cannot be found, or could be several people, is rejected with
//! the reason — never guessed. Also the purchases as CSV for Excel.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::csvin::Table;
use super::plan::{Known, phone_key};
use super::purchase_fields::{PurchaseField, PurchaseMapping};
use super::reject::{Problem, Reject};
use crate::domain::dates::parse_date_entry;
use crate::domain::text;
use crate::domain::validate::{MAX_FIELD, MAX_NOTE};
use crate::domain::value::{Currency, Purchase, format_units, parse_amount};
use crate::i18n::{Lang, t};

/// The book's customers, indexed the three ways a row can name one.
pub struct Resolver {
    ids: HashSet<i64>,
    phones: HashMap<String, Vec<i64>>,
    names: HashMap<String, Vec<(i64, String)>>,
}

impl Resolver {
    pub fn new(known: &[Known]) -> Resolver {
        let mut r = Resolver {
            ids: HashSet::with_capacity(known.len()),
            phones: HashMap::new(),
            names: HashMap::with_capacity(known.len()),
        };
        for k in known {
            r.ids.insert(k.id);
            for p in &k.phones {
                let key = phone_key(p);
                if key.len() >= 5 {
                    let ids = r.phones.entry(key).or_default();
                    if !ids.contains(&k.id) {
                        ids.push(k.id);
                    }
                }
            }
            r.names
                .entry(k.name.trim().to_string())
                .or_default()
                .push((k.id, k.company.trim().to_string()));
        }
        r
    }

    /// The one customer a row names, or why there is none.
    pub fn find(&self, id: &str, name: &str, company: &str, phone: &str) -> Result<i64, Problem> {
        let id = id.trim();
        if !id.is_empty() {
            return match id.parse::<i64>() {
                Ok(n) if self.ids.contains(&n) => Ok(n),
                _ => Err(Problem::NoCustomer(id.to_string())),
            };
        }
        let key = phone_key(phone);
        if key.len() >= 5
            && let Some(ids) = self.phones.get(&key)
        {
            return match ids.as_slice() {
                [one] => Ok(*one),
                _ => Err(Problem::AmbiguousCustomer(phone.trim().to_string())),
            };
        }
        let name = name.trim();
        let Some(people) = self.names.get(name).filter(|_| !name.is_empty()) else {
            let shown = if name.is_empty() { phone.trim() } else { name };
            return Err(Problem::NoCustomer(shown.to_string()));
        };
        if let [(one, _)] = people.as_slice() {
            return Ok(*one);
        }
        let company = company.trim();
        let at: Vec<i64> = people
            .iter()
            .filter(|(_, c)| !company.is_empty() && c == company)
            .map(|(id, _)| *id)
            .collect();
        match at.as_slice() {
            [one] => Ok(*one),
            _ => Err(Problem::AmbiguousCustomer(name.to_string())),
        }
    }
}

/// A purchase read from a file, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingPurchase {
    pub line: usize,
    pub purchase: Purchase,
}

/// A purchase date from an order export: a full date as the forms take it
/// (`2026-03-04`, `2026/3/4`, `2026年3月4日`), a time after it ignored; not
/// after `today`.
pub fn purchase_date(v: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let v = v.trim();
    let day = v.split(['T', ' ']).next().unwrap_or(v);
    match parse_date_entry(day, today) {
        Ok(d) if d > today => Err(Problem::FutureDate(v.to_string())),
        Ok(d) => Ok(d),
        Err(_) => Err(Problem::BadDate(v.to_string())),
    }
}

/// A quantity: a positive whole number; empty means 1.
pub fn quantity(v: &str) -> Result<i64, Problem> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(1);
    }
    let n = v.trim_end_matches(".0").trim_end_matches(['件', '个', '箱']);
    match n.replace(',', "").parse::<i64>() {
        Ok(q) if q > 0 && q < 1_000_000_000 => Ok(q),
        _ => Err(Problem::BadQuantity(v.to_string())),
    }
}

/// Checks every row of `table`: purchases to import and rejects.
pub fn convert(
    table: &Table,
    mapping: &PurchaseMapping,
    resolver: &Resolver,
    currency: Currency,
    today: NaiveDate,
) -> (Vec<IncomingPurchase>, Vec<Reject>) {
    let expected = table.header.len();
    let mut ok = Vec::new();
    let mut rejects = Vec::new();
    for row in &table.rows {
        let get = |f: PurchaseField| mapping.column(f).and_then(|i| row.fields.get(i)).unwrap_or("");
        let result = (|| {
            if row.fields.len() != expected {
                return Err(Problem::Columns {
                    found: row.fields.len(),
                    expected,
                });
            }
            let customer_id = resolver.find(
                get(PurchaseField::CustomerId),
                get(PurchaseField::Name),
                get(PurchaseField::Company),
                get(PurchaseField::Phone),
            )?;
            let date = purchase_date(get(PurchaseField::Date), today)?;
            let raw_amount = get(PurchaseField::Amount);
            let amount =
                parse_amount(raw_amount, currency).map_err(|e| Problem::BadAmount(raw_amount.to_string(), e))?;
            let product = get(PurchaseField::Product).trim();
            let note = get(PurchaseField::Note).trim();
            if product.chars().count() > MAX_FIELD {
                return Err(Problem::TooLongText(MAX_FIELD));
            }
            if note.chars().count() > MAX_NOTE {
                return Err(Problem::TooLongText(MAX_NOTE));
            }
            Ok(Purchase {
                id: 0,
                customer_id,
                date,
                product: product.to_string(),
                quantity: quantity(get(PurchaseField::Quantity))?,
                amount,
                note: note.to_string(),
            })
        })();
        match result {
            Ok(purchase) => ok.push(IncomingPurchase {
                line: row.line,
                purchase,
            }),
            Err(problem) => rejects.push(Reject {
                line: row.line,
                problem,
                raw: row.fields.iter().map(str::to_string).collect(),
            }),
        }
    }
    (ok, rejects)
}

/// The purchases as CSV for Excel (UTF-8 with BOM, CRLF), headers in the
/// user's language that the purchase import recognises again. `names`
/// gives each customer's name and company.
/// The columns of a purchases export (CSV or workbook), as catalog keys.
pub const COLUMNS: [&str; 8] = [
    "purchase.col.customer_id",
    "purchase.col.name",
    "purchase.col.company",
    "purchase.col.date",
    "purchase.col.product",
    "purchase.col.quantity",
    "purchase.col.amount",
    "purchase.col.note",
];

pub fn purchases_csv(
    lang: Lang,
    currency: Currency,
    purchases: &[Purchase],
    names: &HashMap<i64, (String, String)>,
) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let head: Vec<&str> = COLUMNS.iter().map(|k| t(lang, k)).collect();
        let _ = w.write_record(&head);
        let cell = |s: &str| super::csvout::cell(s, false);
        for p in purchases {
            let (name, company) = names.get(&p.customer_id).cloned().unwrap_or_default();
            let _ = w.write_record([
                p.customer_id.to_string(),
                cell(&name),
                cell(&company),
                p.date.to_string(),
                cell(&p.product),
                p.quantity.to_string(),
                format_units(p.amount, currency),
                cell(&text::clean(&p.note)),
            ]);
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests;
