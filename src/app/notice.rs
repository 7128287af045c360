//! Messages from work running beside the app (today's automatic backup):
//! a failure becomes one line in the status bar, never a blocker.

use std::sync::mpsc::TryRecvError;

use super::{App, Level};

impl App {
    /// Shows the automatic backup's failure, once it is known; whether the
    /// screen changed.
    pub fn poll_backup(&mut self) -> bool {
        let Some(rx) = &self.backup_notice else { return false };
        match rx.try_recv() {
            Ok(msg) => {
                self.backup_notice = None;
                self.message = Some((crate::domain::text::clean(&msg).into_owned(), Level::Error));
                true
            }
            Err(TryRecvError::Disconnected) => {
                self.backup_notice = None;
                false
            }
            Err(TryRecvError::Empty) => false,
        }
    }
}
