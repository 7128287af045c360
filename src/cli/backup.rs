//! `rapport backup [DIR]`, `rapport restore FILE`, `rapport check`. These
//! run before the database is opened the usual way: a backup only reads
//! the live file (safe while Rapport is open), a check never writes to the
//! file it checks, a restore checks the backup before touching anything.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Command, Context, fail, print};
use crate::domain::complaint::zone::Zone;
use crate::domain::text;
use crate::i18n::{t, tf};
use crate::io::backup::{Series, name, rotate};
use crate::storage::StorageError;
use crate::storage::io::{Refusal, TransferError, backup_file, check_file, restore_file, same_book};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to put the copy (default: `dir` under [backup] in the config, or `backups/` next to the database).
    pub dir: Option<PathBuf>,
    /// How many backups of this book to keep in that folder, at least 1; older ones are deleted (default: `keep` in the config, 10).
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup to restore (a file made by `rapport backup`, or another copy of a Rapport database).
    pub file: PathBuf,
}

/// Runs the commands that must not open the database the usual way;
/// `None` for every other command.
pub fn early(ctx: &Context, command: &Option<Command>) -> Option<ExitCode> {
    match command {
        Some(Command::Backup(a)) => Some(backup(ctx, a)),
        Some(Command::Restore(a)) => Some(restore(ctx, &a.file)),
        Some(Command::Check) => Some(check(ctx)),
        _ => None,
    }
}

fn no_database(ctx: &Context) -> ExitCode {
    fail(tf(ctx.lang, "io.err.no_database", &[("path", &ctx.db_path.display())]))
}

fn backup(ctx: &Context, args: &BackupArgs) -> ExitCode {
    let lang = ctx.lang;
    if !ctx.db_path.is_file() {
        return no_database(ctx);
    }
    let dir = args.dir.clone().unwrap_or_else(|| ctx.backup_dir());
    let keep = args.keep.unwrap_or(ctx.config.backup.keep);
    if keep == 0 {
        return fail(t(lang, "io.err.keep_zero"));
    }
    match take(ctx, &dir, keep) {
        Ok(done) => {
            print(&tf(
                lang,
                "io.backup_done",
                &[
                    ("path", &done.path.display()),
                    ("size", &human_size(done.size)),
                    ("kept", &done.kept),
                    ("removed", &done.removed),
                ],
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.message(ctx)),
    }
}

/// Why a backup was not taken.
#[derive(Debug)]
pub enum NotTaken {
    /// The book failed SQLite's integrity check while it was copied:
    /// nothing may be written to it (SQLite's findings).
    Damaged(Vec<String>),
    /// Anything else, said in the user's language.
    Failed(String),
}

impl NotTaken {
    /// As the user reads it: a damaged book with its first findings and
    /// what to do.
    pub fn message(&self, ctx: &Context) -> String {
        match self {
            NotTaken::Damaged(problems) => super::damaged_message(ctx, problems),
            NotTaken::Failed(why) => why.clone(),
        }
    }
}

/// The file names in `dir` (none when it cannot be read).
pub fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
        .unwrap_or_default()
}

/// A backup taken and the rotation after it.
pub struct Taken {
    pub path: PathBuf,
    pub size: u64,
    pub kept: usize,
    pub removed: usize,
}

/// Copies the database into `dir` and keeps the newest `keep` backups of
/// this book there (`rapport backup` and the day's automatic backup);
/// other books' backups in the folder are never touched. Partial files a
/// killed backup left in `dir` are removed first. The error is a message
/// in the user's language.
pub fn take(ctx: &Context, dir: &Path, keep: usize) -> Result<Taken, NotTaken> {
    let lang = ctx.lang;
    let db = &ctx.db_path;
    if let Err(e) = crate::io::file::create_private_dir(dir) {
        return Err(NotTaken::Failed(tf(
            lang,
            "io.err.write",
            &[("path", &dir.display()), ("error", &e)],
        )));
    }
    crate::io::file::clean_partials(dir);
    let series = Series::of(db);
    // Named in UTC: a change of time zone never reorders the backups.
    let now = Zone::Local.to_utc(ctx.clock.now());
    let mut n = 1;
    let mut dest = dir.join(name(&series, now, n));
    while dest.exists() {
        n += 1;
        dest = dir.join(name(&series, now, n));
    }
    match backup_file(db, &dest) {
        Ok(()) => {}
        Err(TransferError::Storage(StorageError::DiskFull)) => {
            return Err(NotTaken::Failed(tf(
                lang,
                "io.err.backup_full",
                &[("path", &dir.display())],
            )));
        }
        Err(TransferError::Refused(Refusal::Damaged(problems))) => return Err(NotTaken::Damaged(problems)),
        Err(e) => {
            return Err(NotTaken::Failed(crate::app::import::transfer_message(
                lang, &e, db, &dest,
            )));
        }
    }
    let written = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let owns = |backup: &Path| same_book(db, backup);
    let rotated = rotate(dir, &series, keep.max(1), &written, &owns).unwrap_or_default();
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    Ok(Taken {
        path: dest,
        size,
        kept: rotated.kept,
        removed: rotated.removed.len(),
    })
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} B"),
    }
}

fn restore(ctx: &Context, from: &Path) -> ExitCode {
    let lang = ctx.lang;
    let db = &ctx.db_path;
    if !from.is_file() {
        return fail(tf(lang, "io.err.no_file", &[("path", &from.display())]));
    }
    let aside = match restore_file(from, db, ctx.clock.now()) {
        Ok(a) => a,
        // The copy of the current book could not be kept aside: that file
        // is named, not the backup.
        Err(TransferError::Storage(StorageError::Create { path, source })) => {
            return fail(format!(
                "{} {}",
                tf(lang, "io.err.write", &[("path", &path.display()), ("error", &source)]),
                t(lang, "io.nothing_changed")
            ));
        }
        Err(e) => return fail(crate::app::import::transfer_message(lang, &e, from, db)),
    };
    // Brings an older backup up to this version (and recomputes due dates).
    let count = match ctx.open_store() {
        Ok(store) => store.customer_count().unwrap_or(0),
        Err(e) => return fail(e),
    };
    print(&tf(lang, "io.restored", &[("path", &from.display()), ("n", &count)]));
    if let Some(a) = aside {
        print(&tf(lang, "io.restored_aside", &[("path", &a.display())]));
    }
    ExitCode::SUCCESS
}

fn check(ctx: &Context) -> ExitCode {
    let lang = ctx.lang;
    let db = &ctx.db_path;
    if !db.is_file() {
        return no_database(ctx);
    }
    let holders = || crate::storage::lock::holders(&crate::storage::lock::path_for(db));
    // A large import writing through a journal (`storage::io::journal`):
    // the book is checked once it has finished.
    if PathBuf::from(format!("{}-journal", db.display())).is_file() && !holders().is_empty() {
        return fail(tf(lang, "io.check_writing", &[("path", &db.display())]));
    }
    let h = match check_file(db) {
        Ok(h) => h,
        Err(e) => return fail(crate::app::import::transfer_message(lang, &e, db, db)),
    };
    if let Some(why) = &h.unchecked {
        return fail(tf(
            lang,
            "safety.check_unchecked",
            &[("path", &db.display()), ("why", why)],
        ));
    }
    if h.ok() {
        print(&tf(
            lang,
            "io.check_ok",
            &[
                ("path", &db.display()),
                ("n", &h.customers.unwrap_or(0)),
                ("schema", &h.schema),
            ],
        ));
        return ExitCode::SUCCESS;
    }
    // Damaged only as a leftover WAL from elsewhere makes it, with no
    // Rapport holding the book: opening it sets that WAL aside and finds
    // the book healthy, and the check says the same.
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    if !h.intact && wal.is_file() && holders().is_empty() && crate::storage::file_alone_healthy(db).unwrap_or(false) {
        print(&tf(
            lang,
            "io.check_foreign_wal",
            &[("path", &db.display()), ("wal", &wal.display())],
        ));
        return ExitCode::SUCCESS;
    }
    let key = if h.intact { "io.check_foreign" } else { "io.check_bad" };
    print(&tf(lang, key, &[("path", &db.display())]));
    for p in h.problems.iter().take(20) {
        print(&format!("  {}", text::clean(p)));
    }
    if !h.intact {
        print(t(lang, "io.check_advice"));
    }
    ExitCode::from(1)
}
