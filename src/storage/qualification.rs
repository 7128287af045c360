//! MAN qualification (DOMAIN §2): the current answers and their history.

/// Schema step 2.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE qualification (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        money TEXT NOT NULL DEFAULT 'unknown',
        money_note TEXT NOT NULL DEFAULT '',
        money_at TEXT,
        authority TEXT NOT NULL DEFAULT 'unknown',
        authority_note TEXT NOT NULL DEFAULT '',
        authority_at TEXT,
        need TEXT NOT NULL DEFAULT 'unknown',
        need_note TEXT NOT NULL DEFAULT '',
        need_at TEXT,
        decider_customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
        decider_name TEXT NOT NULL DEFAULT '',
        decider_role TEXT NOT NULL DEFAULT '',
        updated_at TEXT
    );
    CREATE TABLE qualification_history (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        criterion TEXT NOT NULL,
        old TEXT NOT NULL,
        new TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX qualification_history_customer ON qualification_history(customer_id, at);
"#;
