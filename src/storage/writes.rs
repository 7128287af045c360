//! When the book may be written: the health check's gate that every write
//! passes, how long a write waits for a running check, and the day's
//! check in the background.

use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::health::{self, State};
use super::{Result, StorageError, Store, identity};

impl Store {
    /// Waits for the check (if one runs), then lets writes through; a
    /// damaged book refuses them. Every write starts here; the connection
    /// itself refuses writes (`query_only`) until it has passed.
    pub(crate) fn writable(&self) -> Result<()> {
        // A book swapped under a running Rapport (another file moved over
        // it by hand, or by an older Rapport's restore) is not written
        // through a stale handle.
        if self.identity.is_some() && identity(&self.path) != self.identity {
            return Err(StorageError::Replaced {
                path: self.path.clone(),
            });
        }
        match self.gate.wait(self.write_wait.get()) {
            State::Passed | State::Unchecked(_) => {
                if self.held.get() {
                    self.conn.pragma_update(None, "query_only", false)?;
                    self.conn
                        .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
                    self.held.set(false);
                }
                Ok(())
            }
            State::Damaged(_) => Err(StorageError::Damaged {
                path: self.path.clone(),
            }),
            State::Pending => Err(StorageError::Checking),
        }
    }

    /// How long a write waits for a running check before it is refused
    /// ([`StorageError::Checking`]): a minute for a command, a moment for
    /// the app, which must not freeze while a large book is checked.
    pub fn set_write_wait(&self, wait: Duration) {
        self.write_wait.set(wait);
    }

    pub fn write_wait(&self) -> Duration {
        self.write_wait.get()
    }

    /// Holds writes until a check has passed.
    fn hold(&self) -> Result<()> {
        self.conn.pragma_update(None, "query_only", true)?;
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        self.held.set(true);
        Ok(())
    }

    /// SQLite's full check, now (before a bulk write: import, demo,
    /// merge). A damaged book stays read-only for the rest of the run.
    pub fn full_check(&mut self, today: chrono::NaiveDate) -> State {
        if !self.gate.state().writable() {
            return self.gate.state();
        }
        let state = State::from(health::full_check(&self.conn));
        self.settle(&state, today);
        state
    }

    fn settle(&self, state: &State, today: chrono::NaiveDate) {
        if *state == State::Passed {
            let _ = self.lock.set("checked", &today.to_string());
        } else if matches!(state, State::Damaged(_)) {
            let _ = self.hold();
        }
        self.gate.set(state.clone());
    }

    /// On the first open of a day, SQLite's full check runs in the
    /// background on its own read-only connection; writes wait for it
    /// (the first frame does not).
    pub fn check_daily(&mut self, today: chrono::NaiveDate) -> Result<()> {
        if self.gate.state() != State::Passed || self.lock.get("checked") == Some(today.to_string()) {
            return Ok(());
        }
        self.hold()?;
        self.gate.set(State::Pending);
        let (gate, lock, path) = (self.gate.clone(), self.lock.clone(), self.path.clone());
        std::thread::spawn(move || {
            let verdict = match Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ) {
                Ok(c) => {
                    let _ = c.busy_timeout(Duration::from_secs(5));
                    health::full_check(&c)
                }
                Err(e) => health::Verdict::Unchecked(e.to_string()),
            };
            let state = State::from(verdict);
            if state == State::Passed {
                let _ = lock.set("checked", &today.to_string());
            }
            gate.set(state);
        });
        Ok(())
    }
}
