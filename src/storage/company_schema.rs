//! The accounts' schema step (the company record, roles, departures and
//! personnel changes) and the triggers that keep each company's coverage
//! figures: how many people are still there, their best grade, how many
//! decision makers and when one was last contacted.

/// Recomputes the coverage figures of the companies `WHERE` selects.
macro_rules! refresh_company {
    ($where:literal) => {
        concat!(
            "UPDATE companies SET (people, best_grade, deciders, decider_contact) = (
                SELECT count(*), min(grade), coalesce(sum((roles & 1) <> 0), 0),
                    max(CASE WHEN roles & 1 THEN coalesce(last_contact_at, '') END)
                FROM customers WHERE company_id = companies.id AND left_on IS NULL)
             WHERE ",
            $where,
            ";"
        )
    };
}

/// The figures of the companies whose ids `?1` lists (a JSON array)
/// computed again: those a bulk import added people to while the
/// per-customer trigger was set aside.
pub(crate) const REFRESH_LISTED: &str = refresh_company!("id IN (SELECT value FROM json_each(?1))");

/// Schema step: the company record, roles, departures and personnel
/// changes; the MAN "who decides" links become decision-maker roles.
pub(super) const SCHEMA: &str = concat!(
    r#"
    ALTER TABLE companies ADD COLUMN industry TEXT NOT NULL DEFAULT '';
    ALTER TABLE companies ADD COLUMN size TEXT;
    ALTER TABLE companies ADD COLUMN city TEXT NOT NULL DEFAULT '';
    ALTER TABLE companies ADD COLUMN address TEXT NOT NULL DEFAULT '';
    ALTER TABLE companies ADD COLUMN website TEXT NOT NULL DEFAULT '';
    ALTER TABLE companies ADD COLUMN business_status TEXT NOT NULL DEFAULT 'normal'
        CHECK (business_status IN ('normal', 'expanding', 'in_difficulty', 'closed'));
    ALTER TABLE companies ADD COLUMN transaction_status TEXT NOT NULL DEFAULT 'prospect'
        CHECK (transaction_status IN ('prospect', 'buying', 'lapsed'));
    ALTER TABLE companies ADD COLUMN notes TEXT NOT NULL DEFAULT '';
    ALTER TABLE companies ADD COLUMN updated_at TEXT;
    ALTER TABLE companies ADD COLUMN people INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE companies ADD COLUMN best_grade TEXT;
    ALTER TABLE companies ADD COLUMN deciders INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE companies ADD COLUMN decider_contact TEXT;
    ALTER TABLE companies ADD COLUMN risk_key TEXT GENERATED ALWAYS AS (
        CASE WHEN best_grade IN ('A', 'B') AND people > 0 THEN
            CASE WHEN deciders = 0 OR (best_grade = 'A' AND people = 1) THEN '' ELSE decider_contact END
        END) VIRTUAL;
    CREATE INDEX companies_risk ON companies(risk_key) WHERE risk_key IS NOT NULL;

    ALTER TABLE customers ADD COLUMN roles INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE customers ADD COLUMN left_on TEXT;
    ALTER TABLE customers ADD COLUMN left_to TEXT NOT NULL DEFAULT '';
    ALTER TABLE customers ADD COLUMN left_note TEXT NOT NULL DEFAULT '';
    ALTER TABLE customers ADD COLUMN successor_id INTEGER REFERENCES customers(id) ON DELETE SET NULL;

    CREATE TABLE personnel_changes (
        id INTEGER PRIMARY KEY,
        company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
        person_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        successor_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
        left_on TEXT NOT NULL,
        moved_to TEXT NOT NULL DEFAULT '',
        stayed_contact INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        roles INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
    );
    CREATE INDEX personnel_changes_person ON personnel_changes(person_id);
    CREATE INDEX personnel_changes_successor ON personnel_changes(successor_id);
    CREATE INDEX personnel_changes_company ON personnel_changes(company_id);

    UPDATE customers SET roles = roles | 1
        WHERE id IN (SELECT decider_customer_id FROM qualification WHERE decider_customer_id IS NOT NULL);

    CREATE TRIGGER customers_account_insert AFTER INSERT ON customers WHEN NEW.company_id IS NOT NULL
    BEGIN "#,
    refresh_company!("id = NEW.company_id"),
    r#" END;
    CREATE TRIGGER customers_account_delete AFTER DELETE ON customers WHEN OLD.company_id IS NOT NULL
    BEGIN "#,
    refresh_company!("id = OLD.company_id"),
    r#" END;
    CREATE TRIGGER customers_account_update
    AFTER UPDATE OF company_id, grade, roles, left_on, last_contact_at ON customers
    BEGIN "#,
    refresh_company!("id IN (NEW.company_id, OLD.company_id)"),
    r#" END;
    CREATE TRIGGER customers_left_no_cadence AFTER UPDATE OF next_due_on, churn_on ON customers
    WHEN NEW.left_on IS NOT NULL AND (NEW.next_due_on IS NOT NULL OR NEW.churn_on IS NOT NULL)
    BEGIN UPDATE customers SET next_due_on = NULL, churn_on = NULL WHERE id = NEW.id; END;
    "#,
    refresh_company!("1"),
);
