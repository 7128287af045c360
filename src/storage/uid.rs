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

/// New uids for the rows of a bulk write, in increasing order (UUIDv7:
/// the millisecond, then a counter within it, then 62 random bits), as 32
/// lower-case hex digits like the database's own. Rows added in order then
/// extend the uid index at its end. The random bits come from a keyed hash
/// whose key std draws from the system once, not from a system call per
/// row.
pub(crate) struct Uids {
    ms: u64,
    counter: u16,
    random: std::collections::hash_map::RandomState,
    drawn: u64,
}

impl Uids {
    pub(crate) fn new() -> Self {
        Uids {
            ms: 0,
            counter: 0,
            random: Default::default(),
            drawn: 0,
        }
    }

    pub(crate) fn next(&mut self) -> String {
        use std::hash::BuildHasher;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        if now > self.ms {
            (self.ms, self.counter) = (now, 0);
        } else if self.counter == 0xFFF {
            // 4,096 in one millisecond: borrow the next one.
            (self.ms, self.counter) = (self.ms + 1, 0);
        } else {
            self.counter += 1;
        }
        self.drawn += 1;
        let mut bytes = [0; 10];
        bytes[..2].copy_from_slice(&self.counter.to_be_bytes());
        bytes[2..].copy_from_slice(&self.random.hash_one(self.drawn).to_le_bytes());
        uuid::Builder::from_unix_timestamp_millis(self.ms, &bytes)
            .into_uuid()
            .simple()
            .to_string()
    }
}

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

    #[test]
    fn generated_uids_are_version_7_distinct_and_increasing() {
        let mut uids = super::Uids::new();
        // More than one random batch and more than 4,096 in a millisecond.
        let all: Vec<String> = (0..10_000).map(|_| uids.next()).collect();
        for u in &all {
            let parsed = uuid::Uuid::parse_str(u).unwrap();
            assert_eq!(parsed.get_version_num(), 7, "{u}");
            assert_eq!(u, &parsed.simple().to_string());
        }
        assert!(all.windows(2).all(|w| w[0] < w[1]), "not increasing");
        // Two generators (two books) do not repeat each other.
        let other: std::collections::HashSet<String> = (0..10_000).map(|_| super::Uids::new().next()).collect();
        assert_eq!(other.len(), 10_000);
    }
}
