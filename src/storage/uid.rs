//! Every customer's stable UID, carried by exported vCards so that a
//! contact coming back from a phone updates its customer instead of
//! adding a twin. Existing customers get one when the step runs; new ones
//! when inserted (`inserts::insert_in`), unless they bring their own.

/// Schema step: the column, filled, and unique.
pub(super) const SCHEMA: &str = r#"
    ALTER TABLE customers ADD COLUMN uid TEXT;
    UPDATE customers SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX customers_uid ON customers(uid);
"#;

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::super::Store;
    use super::super::migrations::{create_at_version, version_before};

    #[test]
    fn customers_from_before_the_step_each_get_their_own_uid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            create_at_version(&conn, version_before(super::SCHEMA)).unwrap();
            for name in ["张伟", "Anna"] {
                conn.execute(
                    "INSERT INTO customers (name, grade, status, relationship, created_at, updated_at,
                        search_key, sort_key)
                     VALUES (?1, 'C', 'potential', 'basic', '2026-01-01 09:00:00', '2026-01-01 09:00:00', ?1, ?1)",
                    [name],
                )
                .unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        let (a, b) = (store.customer(1).unwrap().uid, store.customer(2).unwrap().uid);
        assert_eq!((a.len(), b.len()), (32, 32));
        assert_ne!(a, b);
        // The index keeps them unique.
        assert!(
            store
                .conn
                .execute("UPDATE customers SET uid = ?1 WHERE id = 2", [&a])
                .is_err()
        );
    }
}
