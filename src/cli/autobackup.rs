//! Automatic backups: with `[backup] auto = true` (the default) the first
//! start of a day — the TUI or any command that writes — copies the
//! database into the backup folder before its first write, rotated like
//! `rapport backup`. "First of the day" is read from the folder itself: no
//! backup of this database (its name and book id) named with today's date
//! yet. A failure is one
//! line (stderr or the status bar) and one in the log; it never stops the
//! work.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use super::Context;
use super::backup::{NotTaken, Taken, files_in, take};
use crate::i18n::tf;
use crate::io::backup::{Series, taken_on};
use crate::storage::Store;
use crate::storage::health::State;

/// The folder to back up into when today's backup is still to be taken
/// (a book without customers has nothing to keep).
pub fn due(ctx: &Context, store: &Store) -> Option<PathBuf> {
    let db = &ctx.db_path;
    if !ctx.config.backup.auto || store.customer_count().unwrap_or(0) == 0 {
        return None;
    }
    let dir = ctx.backup_dir();
    (!taken_on(&Series::of(db), &files_in(&dir), ctx.clock.now().date())).then_some(dir)
}

/// Takes today's backup if it is due: `Ok(None)` when it was not.
pub fn run(ctx: &Context, store: &Store) -> Result<Option<Taken>, NotTaken> {
    match due(ctx, store) {
        Some(dir) => take(ctx, &dir, ctx.config.backup.keep).map(Some),
        None => Ok(None),
    }
}

/// The failure as the user reads it, and logs it.
fn failed(ctx: &Context, error: &str) -> String {
    crate::logfile::append(&ctx.log_path, &format!("automatic backup failed: {error}"));
    tf(ctx.lang, "tools.auto_backup_failed", &[("error", &error)])
}

/// Before a command's first write: takes today's backup when due. A
/// failure is one line on stderr and the command goes on, unless the copy
/// found the book damaged: then nothing is written to it (`Err`: why).
pub fn before_write(ctx: &Context, store: &Store) -> Result<(), String> {
    match run(ctx, store) {
        Ok(_) => Ok(()),
        Err(NotTaken::Damaged(problems)) => {
            crate::logfile::append(&ctx.log_path, "automatic backup: the book failed its check");
            let why = super::damaged_message(ctx, &problems);
            // The store itself refuses every write from now on.
            store.health_gate().set(State::Damaged(problems));
            Err(why)
        }
        Err(NotTaken::Failed(e)) => {
            crate::stderr::warnln!("rapport: {}", crate::domain::text::clean(&failed(ctx, &e)));
            Ok(())
        }
    }
}

/// For the TUI: takes today's backup on a thread beside the first frame.
/// The store holds its first write until the copy is done; the receiver
/// gets the one-line message of a failure.
pub fn spawn(ctx: &Context, store: &mut Store) -> Option<Receiver<String>> {
    let dir = due(ctx, store)?;
    let (tx, rx) = channel();
    let (gate_tx, gate_rx) = channel::<()>();
    store.hold_writes_until(gate_rx);
    let ctx = ctx.clone();
    let health = store.health_gate();
    std::thread::spawn(move || {
        if let Err(e) = take(&ctx, &dir, ctx.config.backup.keep) {
            let _ = tx.send(failed(&ctx, &e.message(&ctx)));
            // Found damaged: no write is let through once the copy is done.
            if let NotTaken::Damaged(problems) = e {
                health.set(State::Damaged(problems));
            }
        }
        drop(gate_tx);
    });
    Some(rx)
}
