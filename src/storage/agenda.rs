//! The agenda's own records (DOMAIN §3–4): follow-ups the rep scheduled,
//! business events, and snoozes of cadence items.

/// Schema step 4.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE follow_ups (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        due_on TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT 'manual',
        complaint_id INTEGER REFERENCES complaints(id) ON DELETE CASCADE,
        snoozes INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        done_at TEXT
    );
    CREATE INDEX follow_ups_open ON follow_ups(done_at, due_on);
    CREATE INDEX follow_ups_customer ON follow_ups(customer_id);
    CREATE TABLE business_events (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        month INTEGER NOT NULL,
        day INTEGER NOT NULL,
        year INTEGER,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX business_events_day ON business_events(month, day);
    CREATE TABLE agenda_snoozes (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        until_on TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (customer_id, kind)
    );
    CREATE INDEX customers_birthday ON customers(birth_month, birth_day);
    CREATE INDEX customers_status ON customers(status);
"#;
