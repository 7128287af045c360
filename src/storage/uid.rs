//! Every customer's stable UID, carried by exported vCards so that a
//! contact coming back from a phone updates its customer instead of
//! adding a twin. Existing customers get one when the step runs; new ones
//! when inserted (`customers::insert_in`), unless they bring their own.

/// Schema step: the column, filled, and unique.
pub(super) const SCHEMA: &str = r#"
    ALTER TABLE customers ADD COLUMN uid TEXT;
    UPDATE customers SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX customers_uid ON customers(uid);
"#;
