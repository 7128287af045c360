//! The customer-list filters that need the database: city, tag, MAN
//! verdict and an open complaint.

use rusqlite::types::Value;

use super::{Result, Store};
use crate::domain::filter::Filters;
use crate::domain::qualification::{Answer, Man, verdict};

impl Store {
    /// Ids (ascending) of the customers that pass the filters that need
    /// the database; `None` when no such filter is set.
    pub fn filter_ids(&self, f: &Filters) -> Result<Option<Vec<i64>>> {
        if !f.needs_store() {
            return Ok(None);
        }
        let mut sql = String::from(
            "SELECT c.id, COALESCE(q.money, 'unknown'), COALESCE(q.authority, 'unknown'), COALESCE(q.need, 'unknown')
             FROM customers c LEFT JOIN qualification q ON q.customer_id = c.id WHERE 1",
        );
        let mut args: Vec<Value> = Vec::new();
        if let Some(city) = &f.city {
            sql.push_str(" AND lower(trim(c.city)) = lower(trim(?))");
            args.push(Value::Text(city.clone()));
        }
        if let Some(tag) = &f.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                   WHERE ct.customer_id = c.id AND lower(trim(t.name)) = lower(trim(?)))",
            );
            args.push(Value::Text(tag.clone()));
        }
        if f.open_complaint {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM complaints k WHERE k.customer_id = c.id AND k.state IN ('open', 'waiting'))",
            );
        }
        sql.push_str(" ORDER BY c.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut ids = Vec::new();
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            if let Some(want) = f.verdict {
                let a = |i: usize| -> rusqlite::Result<Answer> {
                    Ok(Answer::parse(&r.get::<_, String>(i)?).unwrap_or(Answer::Unknown))
                };
                if verdict(&Man::new(a(1)?, a(2)?, a(3)?)).verdict != want {
                    continue;
                }
            }
            ids.push(r.get(0)?);
        }
        Ok(Some(ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Customer;
    use crate::domain::qualification::Verdict;

    #[test]
    fn city_tag_verdict_and_open_complaints() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let mut add = |name: &str, city: &str, tag: &str| {
            let mut c = Customer::new(name, chrono::NaiveDateTime::default());
            c.city = city.into();
            if !tag.is_empty() {
                c.tags = vec![tag.into()];
            }
            store.insert_customer(&c).unwrap()
        };
        let a = add("A", "深圳", "VIP");
        let b = add("B", "深圳", "");
        let c = add("C", "Paris", "vip");
        store
            .conn
            .execute_batch(&format!(
                "INSERT INTO qualification (customer_id, money, authority, need) VALUES ({b}, 'yes', 'yes', 'yes');
                 INSERT INTO complaints (customer_id, complainant, content, received_at, category, temperament, state, step,
                    first_response_due, last_event_at)
                 VALUES ({c}, 'x', 'late', '2026-03-02 10:00:00', 'delayed', 'emotional', 'open', 1, '2026-03-03 10:00:00', '2026-03-02 10:00:00');"
            ))
            .unwrap();
        let ids = |f: Filters| store.filter_ids(&f).unwrap();
        assert_eq!(ids(Filters::default()), None);
        let city = |s: &str| Some(s.to_string());
        assert_eq!(
            ids(Filters {
                city: city("深圳"),
                ..Default::default()
            }),
            Some(vec![a, b])
        );
        assert_eq!(
            ids(Filters {
                tag: city("VIP"),
                ..Default::default()
            }),
            Some(vec![a, c])
        );
        assert_eq!(
            ids(Filters {
                city: city("深圳"),
                tag: city("vip"),
                ..Default::default()
            }),
            Some(vec![a])
        );
        assert_eq!(
            ids(Filters {
                verdict: Some(Verdict::Qualified),
                ..Default::default()
            }),
            Some(vec![b])
        );
        assert_eq!(
            ids(Filters {
                open_complaint: true,
                ..Default::default()
            }),
            Some(vec![c])
        );
    }
}
