//! Backup file names and rotation: `<db name>-<book id>-YYYYMMDD-HHMMSSZ.db`
//! in the backup directory. The book id (8 hex digits) is drawn from where
//! the book is (its canonical path), so two books with the same file name
//! that share a backup folder never rotate away or shadow each other's
//! backups. The time is in UTC (the `Z`), so a change of time zone or
//! daylight saving never reorders them. Rotation keeps the newest `keep`
//! by the time each backup was really taken and never deletes the one
//! just written. Only files with that exact shape are ever removed, and
//! those named the earlier way (`<db name>-YYYYMMDD-HHMMSS[Z].db`, no
//! book id) only once they are shown to be this book's.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;

/// `[backup]` in the config file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// Where `rapport backup` writes; empty: `backups/` next to the database.
    pub dir: String,
    /// How many backups to keep (the oldest beyond are deleted); at least 1
    /// (see [`BackupConfig::checked`]).
    pub keep: usize,
    /// Take a backup at the first start of each day (TUI or a writing
    /// command), before its first write.
    pub auto: bool,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            dir: String::new(),
            keep: 10,
            auto: true,
        }
    }
}

impl BackupConfig {
    /// The checked settings: `keep` is at least 1 (0 would delete every
    /// backup).
    pub fn checked(&self) -> Result<&BackupConfig, String> {
        if self.keep == 0 {
            return Err("backup: keep = 0 would delete every backup (use 1 or more)".into());
        }
        Ok(self)
    }
}

/// The backups of one book: its file name without extension, and a short
/// stable id of where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub stem: String,
    pub id: String,
}

impl Series {
    /// The series of the book at `db`.
    pub fn of(db: &Path) -> Series {
        let stem = db
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "rapport".into());
        Series { stem, id: book_id(db) }
    }

    /// What every name in this series starts with (before `-<time>`).
    fn prefix(&self) -> String {
        format!("{}-{}", self.stem, self.id)
    }
}

/// 8 hex digits that tell this book from any other: FNV-1a (stable across
/// Rust versions and platforms) of its canonical path; a book reached
/// through a link or another relative path gets the same id.
pub fn book_id(db: &Path) -> String {
    let full = std::fs::canonicalize(db).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(db))
            .unwrap_or_else(|_| db.to_path_buf())
    });
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        full.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = full.to_string_lossy().into_owned().into_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", (h ^ (h >> 32)) as u32)
}

/// The name of a backup of the book `series` taken at `utc`; `n` > 1
/// tells apart two backups within one second.
pub fn name(series: &Series, utc: NaiveDateTime, n: usize) -> String {
    let at = utc.format("%Y%m%d-%H%M%SZ");
    let prefix = series.prefix();
    if n > 1 {
        format!("{prefix}-{at}-{n}.db")
    } else {
        format!("{prefix}-{at}.db")
    }
}

/// The parts of a backup name: its time, whether that time is UTC (names
/// from before UTC naming carry the local time), and the `-n` suffix.
fn parse(stem: &str, file: &str) -> Option<(NaiveDateTime, bool, usize)> {
    let rest = file.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".db")?;
    let mut parts = rest.split('-');
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date = parts.next().filter(|d| digits(d, 8))?;
    let time = parts.next()?;
    let (time, utc) = match time.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (time, false),
    };
    if !digits(time, 6) {
        return None;
    }
    let n = match parts.next() {
        None => 1,
        Some(e) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => e.parse().ok()?,
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    let at = NaiveDateTime::parse_from_str(&format!("{date}{time}"), "%Y%m%d%H%M%S").ok()?;
    Some((at, utc, n))
}

/// Whether `files` hold a backup of the book `series` taken on `day` (a
/// local date). Names without a book id are not counted: they may be
/// another book's (at worst the day gets one more backup).
pub fn taken_on(series: &Series, files: &[String], day: chrono::NaiveDate) -> bool {
    let prefix = series.prefix();
    files.iter().any(|f| backup_day(&prefix, f) == Some(day))
}

/// The local day a backup of `stem` was taken, read from its name:
/// `YYYYMMDD-HHMMSS` is local time; followed by `Z`, UTC. An optional
/// `-N` tells apart two in one second.
fn backup_day(stem: &str, file: &str) -> Option<chrono::NaiveDate> {
    use chrono::TimeZone;
    let rest = file.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".db")?;
    let (date, rest) = rest.split_at_checked(8)?;
    let rest = rest.strip_prefix('-')?;
    let (time, after) = rest.split_at_checked(6)?;
    let (utc, tail) = match after.strip_prefix('Z') {
        Some(t) => (true, t),
        None => (false, after),
    };
    let counter_ok = tail.is_empty()
        || tail
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !counter_ok || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let at = NaiveDateTime::parse_from_str(&format!("{date}{time}"), "%Y%m%d%H%M%S").ok()?;
    Some(if utc {
        chrono::Local.from_utc_datetime(&at).date_naive()
    } else {
        at.date()
    })
}

/// Whether `file` is a backup of the book `series` made by [`name`].
pub fn is_backup(series: &Series, file: &str) -> bool {
    parse(&series.prefix(), file).is_some()
}

/// Whether `file` is named like a backup of a book called `stem` by an
/// earlier Rapport (no book id; the time in UTC or, earlier still, local
/// time): it may be this book's or another's of the same name.
pub fn is_unmarked(stem: &str, file: &str) -> bool {
    parse(stem, file).is_some()
}

/// The parts of `file`'s name as a backup of `series`, of either shape.
fn parse_any(series: &Series, file: &str) -> Option<(NaiveDateTime, bool, usize)> {
    parse(&series.prefix(), file).or_else(|| parse(&series.stem, file))
}

/// Whether `file` belongs to `series`: named with its id, or named the
/// earlier way and `owns` (which may read the file) says it is this
/// book's.
fn belongs(series: &Series, file: &str, owns: &dyn Fn(&str) -> bool) -> bool {
    is_backup(series, file) || (is_unmarked(&series.stem, file) && owns(file))
}

/// A backup found in the folder: its name and when its file was last
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub name: String,
    pub modified: Option<NaiveDateTime>,
}

/// When a backup was really taken, in UTC: the time in its name when that
/// is UTC and not in the future; otherwise (a name in local time from an
/// earlier Rapport, a clock that was wrong) the time its file was written.
fn taken(series: &Series, f: &Found, now_utc: NaiveDateTime) -> (NaiveDateTime, usize) {
    let (at, utc, n) = parse_any(series, &f.name).unwrap_or((NaiveDateTime::MIN, false, 1));
    let named = (utc && at <= now_utc).then_some(at);
    (named.or(f.modified).unwrap_or(at.min(now_utc)), n)
}

/// The backups to delete so that the newest `keep` remain (oldest first),
/// by when they were really taken; `just_written` is never among them.
/// `files` are this book's backups (see [`rotate`]).
pub fn to_prune(
    series: &Series,
    files: &[Found],
    keep: usize,
    just_written: &str,
    now_utc: NaiveDateTime,
) -> Vec<String> {
    let mut ours: Vec<&Found> = files
        .iter()
        .filter(|f| parse_any(series, &f.name).is_some() && f.name != just_written)
        .collect();
    ours.sort_by_key(|f| (taken(series, f, now_utc), f.name.clone()));
    // The one just written takes one of the `keep` places.
    let keep_others = keep.max(1) - 1;
    let excess = ours.len().saturating_sub(keep_others);
    ours.into_iter().take(excess).map(|f| f.name.clone()).collect()
}

/// What a rotation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotated {
    /// Backups of this database left in the folder, the new one included.
    pub kept: usize,
    pub removed: Vec<PathBuf>,
}

/// Rotates the backups of the book `series` in `dir` after `just_written`
/// (a file name in `dir`) was written: the newest `keep` remain. Backups
/// named the earlier way count only when `owns` says they are this book's;
/// other books' backups are never touched.
pub fn rotate(
    dir: &Path,
    series: &Series,
    keep: usize,
    just_written: &str,
    owns: &dyn Fn(&Path) -> bool,
) -> std::io::Result<Rotated> {
    let now_utc = Utc::now().naive_utc();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !belongs(series, &name, &|n| owns(&dir.join(n))) {
            continue;
        }
        let modified = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .map(|t: SystemTime| DateTime::<Utc>::from(t).naive_utc());
        files.push(Found { name, modified });
    }
    let mut out = Rotated::default();
    let prune = to_prune(series, &files, keep, just_written, now_utc);
    for old in &prune {
        let p = dir.join(old);
        if std::fs::remove_file(&p).is_ok() {
            out.removed.push(p);
        }
    }
    out.kept = files.len() + usize::from(!files.iter().any(|f| f.name == just_written)) - out.removed.len();
    Ok(out)
}

/// The newest backup of the database at `db` in `dir`, by when it was
/// taken (backups named the earlier way when `owns` says they are its).
pub fn latest(dir: &Path, db: &Path, owns: &dyn Fn(&Path) -> bool) -> Option<PathBuf> {
    let series = Series::of(db);
    let now_utc = Utc::now().naive_utc();
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            belongs(&series, &name, &|n| owns(&dir.join(n))).then(|| {
                let modified = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .map(|t| DateTime::<Utc>::from(t).naive_utc());
                Found { name, modified }
            })
        })
        .max_by_key(|f| (taken(&series, f, now_utc), f.name.clone()))
        .map(|f| dir.join(f.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn found(name: &str, modified: &str) -> Found {
        Found {
            name: name.to_string(),
            modified: Some(at(modified)),
        }
    }

    fn series(stem: &str, id: &str) -> Series {
        Series {
            stem: stem.into(),
            id: id.into(),
        }
    }

    #[test]
    fn names_and_rotation() {
        let r = series("rapport", "0a1b2c3d");
        let a = name(&r, at("2026-11-23 09:00:00"), 1);
        assert_eq!(a, "rapport-0a1b2c3d-20261123-090000Z.db");
        let b = name(&r, at("2026-11-23 09:00:00"), 2);
        assert_eq!(b, "rapport-0a1b2c3d-20261123-090000Z-2.db");
        let c = name(&r, at("2026-11-24 08:00:00"), 1);
        assert!(is_backup(&r, &a) && is_backup(&r, &b));
        assert!(
            is_unmarked("rapport", "rapport-20261123-090000.db"),
            "an earlier local name"
        );
        assert!(
            is_unmarked("rapport", "rapport-20261123-090000Z.db"),
            "an earlier UTC name"
        );
        for other in [
            "rapport.db",
            "rapport-notes.db",
            "rapport-20261123-090000Z.db",
            "rapport-0a1b2c3d-20261123-090000Z.db.bak",
            "rapport-0a1b2c3d-20261323-090000Z.db",
            "rapport-99999999-20261123-090000Z.db",
            "other-0a1b2c3d-20261123-090000Z.db",
        ] {
            assert!(!is_backup(&r, other), "{other}");
        }
        // Another book's names are never taken for the earlier shape.
        assert!(!is_unmarked("rapport", "rapport-12345678-20261123-090000Z.db"));
        let now = at("2026-11-25 00:00:00");
        let files = vec![
            found(&c, "2026-11-24 08:00:00"),
            found(&b, "2026-11-23 09:00:01"),
            found(&a, "2026-11-23 09:00:00"),
        ];
        assert_eq!(to_prune(&r, &files, 2, &c, now), vec![a.clone()]);
        assert_eq!(to_prune(&r, &files, 1, &c, now), vec![a.clone(), b.clone()]);
        assert_eq!(to_prune(&r, &files, 0, &c, now).len(), 2, "at least one is kept");
    }

    #[test]
    fn a_book_id_comes_from_where_the_book_is() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["x", "y"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
            std::fs::write(dir.path().join(d).join("book.db"), "x").unwrap();
        }
        let x = Series::of(&dir.path().join("x/book.db"));
        let y = Series::of(&dir.path().join("y/book.db"));
        assert_eq!((x.stem.as_str(), y.stem.as_str()), ("book", "book"));
        assert_ne!(x.id, y.id, "same name, two books");
        assert_eq!(x.id.len(), 8);
        assert_eq!(Series::of(&dir.path().join("y/../x/book.db")), x, "another path to it");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("x/book.db"), dir.path().join("link.db")).unwrap();
            assert_eq!(book_id(&dir.path().join("link.db")), x.id, "a link to it");
        }
    }

    /// A backup taken in UTC+8 under an earlier Rapport was named 8 hours
    /// ahead: the fresh backup must not lose to it, and a name dated in the
    /// future does not keep its place for good.
    #[test]
    fn rotation_goes_by_real_time_and_never_deletes_the_new_one() {
        let book = series("book", "0a1b2c3d");
        let now = at("2026-12-01 02:00:00");
        // Written at 01:00 UTC but named in UTC+8 local time (09:00).
        let old_local = found("book-20261201-090000.db", "2026-12-01 01:00:00");
        let fresh = found(&name(&book, now, 1), "2026-12-01 02:00:00");
        let files = vec![old_local.clone(), fresh.clone()];
        assert_eq!(
            to_prune(&book, &files, 1, &fresh.name, now),
            vec![old_local.name.clone()]
        );
        // A name dated a year ahead (a clock that was wrong) goes by its file time.
        let future = found("book-0a1b2c3d-20271201-000000Z.db", "2026-11-01 00:00:00");
        let files = vec![future.clone(), fresh.clone()];
        assert_eq!(to_prune(&book, &files, 1, &fresh.name, now), vec![future.name.clone()]);
        // Even when the new one looks oldest, it is never the one deleted.
        let odd = found(&name(&book, at("2026-11-30 00:00:00"), 1), "2026-11-30 00:00:00");
        let files = vec![odd.clone(), found("book-20261101-000000Z.db", "2026-11-01 00:00:00")];
        let pruned = to_prune(&book, &files, 1, &odd.name, now);
        assert!(!pruned.contains(&odd.name));
        assert_eq!(pruned.len(), 1);
    }

    #[test]
    fn rotate_in_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let book = series("book", "0a1b2c3d");
        for n in [
            "book-20261101-000000Z.db",
            "book-0a1b2c3d-20261102-000000Z.db",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let new = name(&book, Utc::now().naive_utc(), 1);
        std::fs::write(dir.path().join(&new), "x").unwrap();
        let r = rotate(dir.path(), &book, 2, &new, &|_| true).unwrap();
        assert_eq!(r.kept, 2);
        assert_eq!(r.removed, vec![dir.path().join("book-20261101-000000Z.db")]);
        assert!(dir.path().join(&new).exists() && dir.path().join("notes.txt").exists());
    }

    /// Two books named book.db in two folders back up into one: each
    /// rotation keeps the other's backups, and an earlier-named backup is
    /// rotated only by the book it is shown to belong to.
    #[test]
    fn two_books_of_one_name_never_rotate_each_others_backups() {
        let dir = tempfile::tempdir().unwrap();
        let x = series("book", "0000000a");
        let y = series("book", "0000000b");
        let touch = |n: &str| std::fs::write(dir.path().join(n), n).unwrap();
        let old_x = "book-20261101-000000Z.db";
        let old_y = "book-20261102-000000Z.db";
        touch(old_x);
        touch(old_y);
        let only_x = |p: &Path| p.ends_with(old_x);
        let only_y = |p: &Path| p.ends_with(old_y);
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for (i, day) in ["2026-11-23 09:00:00", "2026-11-24 09:00:00", "2026-11-25 09:00:00"]
            .iter()
            .enumerate()
        {
            let nx = name(&x, at(day), 1);
            touch(&nx);
            let rx = rotate(dir.path(), &x, 2, &nx, &only_x).unwrap();
            xs.push(nx);
            let ny = name(&y, at(day), 1);
            touch(&ny);
            let ry = rotate(dir.path(), &y, 2, &ny, &only_y).unwrap();
            ys.push(ny);
            assert_eq!((rx.kept, ry.kept), (2, 2), "day {i}");
        }
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut want = vec![xs[1].clone(), xs[2].clone(), ys[1].clone(), ys[2].clone()];
        want.sort();
        assert_eq!(left, want);
        // Today's backup of x does not count for y.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let files = vec![name(&x, at("2026-11-26 12:00:00"), 1)];
        assert!(taken_on(&x, &files, day) && !taken_on(&y, &files, day));
        // An earlier-named backup nobody claims is never removed.
        touch(old_x);
        let nx = name(&x, at("2026-11-26 12:00:00"), 1);
        touch(&nx);
        rotate(dir.path(), &x, 1, &nx, &|_| false).unwrap();
        assert!(dir.path().join(old_x).exists());
    }

    #[test]
    fn a_backup_of_the_day_is_found_by_its_name() {
        let r = series("rapport", "0a1b2c3d");
        let files = vec![
            "rapport-0a1b2c3d-20261123-090000Z.db".to_string(),
            "rapport-0a1b2c3d-20261124-notes.db".to_string(),
            "other-0a1b2c3d-20261125-080000Z.db".to_string(),
            "rapport-20261127-120000Z.db".to_string(),
        ];
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let local = |s: &str| {
            use chrono::TimeZone;
            chrono::Local.from_utc_datetime(&at(s)).date_naive()
        };
        assert!(taken_on(&r, &files, local("2026-11-23 09:00:00")));
        assert!(!taken_on(&r, &files, day("2026-11-24")), "not a backup's name");
        assert!(
            !taken_on(&r, &files, local("2026-11-25 08:00:00")),
            "another database's"
        );
        assert!(
            !taken_on(&r, &files, local("2026-11-27 12:00:00")),
            "no book id: maybe another book's"
        );
        // Names in UTC (a trailing Z) count on their local day.
        let utc = vec!["rapport-0a1b2c3d-20261126-120000Z-2.db".to_string()];
        assert!(taken_on(&r, &utc, local("2026-11-26 12:00:00")));
        assert!(!taken_on(&r, &utc, local("2026-11-28 12:00:00")));
    }

    #[test]
    fn keep_zero_is_refused() {
        let c = BackupConfig {
            keep: 0,
            ..BackupConfig::default()
        };
        assert!(c.checked().unwrap_err().contains("keep = 0"));
        assert!(BackupConfig::default().checked().is_ok());
    }
}
