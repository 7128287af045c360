//! How one field of a synced row is merged: the three-way field merge
//! (`domain::merge`), except for the fields that only say when something
//! last happened (`updated_at`, `last_contact_at`, `last_call_on` …): both
//! sides touching them is not a disagreement, the later one holds.

use serde_json::Value;

use crate::domain::merge::{self, Conflict};

/// Whether `field` records only when something last happened.
pub fn latest_wins(field: &str) -> bool {
    field == "updated_at" || field.starts_with("last_")
}

/// The later of two values: timestamps and days are ISO text, so text
/// order is time order; an empty value is earlier than any.
fn later(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Null, _) => b.clone(),
        (_, Value::Null) => a.clone(),
        (Value::String(x), Value::String(y)) => {
            if y > x {
                b.clone()
            } else {
                a.clone()
            }
        }
        _ => a.clone(),
    }
}

/// Merges one field: `base` what this side started from, `mine` this
/// side's value, `theirs` the server's.
pub fn field(name: &str, base: &Value, mine: &Value, theirs: &Value) -> Result<Value, Conflict<Value>> {
    if latest_wins(name) {
        return Ok(later(mine, theirs));
    }
    merge::field(base, mine, theirs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_merge_three_ways_and_times_take_the_later() {
        let (a, b, c) = (json!("北京"), json!("上海"), json!("深圳"));
        assert_eq!(field("city", &a, &b, &a), Ok(b.clone()));
        assert_eq!(field("city", &a, &a, &c), Ok(c.clone()));
        assert_eq!(field("city", &a, &b, &b), Ok(b.clone()));
        assert!(field("city", &a, &b, &c).is_err());
        let (t1, t2) = (json!("2026-03-01 10:00:00"), json!("2026-03-02 09:00:00"));
        assert_eq!(field("updated_at", &json!(null), &t1, &t2), Ok(t2.clone()));
        assert_eq!(field("last_call_on", &t1, &t2, &Value::Null), Ok(t2.clone()));
        assert_eq!(field("updated_at", &t1, &t2, &t1), Ok(t2));
    }
}
