//! Complaints (DOMAIN §5): the record, its state and its timeline.
//! Times are stored in UTC ("YYYY-MM-DD HH:MM:SS"), so 24-hour deadlines
//! are right across daylight-saving changes; the UI shows local time.

/// Schema step 3.
pub(super) const SCHEMA: &str = r#"
    CREATE TABLE complaints (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        complainant TEXT NOT NULL,
        about TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL,
        received_at TEXT NOT NULL,
        purchase_date TEXT,
        product_use TEXT NOT NULL DEFAULT '',
        demand TEXT NOT NULL DEFAULT '',
        wanted_solution TEXT NOT NULL DEFAULT '',
        reach TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL,
        temperament TEXT NOT NULL,
        state TEXT NOT NULL,
        step INTEGER,
        satisfaction INTEGER,
        first_response_due TEXT,
        promised_due TEXT,
        follow_up_at TEXT,
        closed_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX complaints_customer ON complaints(customer_id);
    CREATE INDEX complaints_state ON complaints(state);
    CREATE TABLE complaint_timeline (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        step INTEGER,
        kind TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        due TEXT,
        satisfaction INTEGER
    );
    CREATE INDEX complaint_timeline_complaint ON complaint_timeline(complaint_id, at);
"#;
