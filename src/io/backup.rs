//! Backup file names and rotation: `<db name>-YYYYMMDD-HHMMSSZ.db` in the
//! backup directory, the time in UTC (the `Z`), so a change of time zone
//! or daylight saving never reorders them. Rotation keeps the newest
//! `keep` by the time each backup was really taken and never deletes the
//! one just written. Only files with that exact shape are ever removed.

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
    /// How many backups to keep (the oldest beyond are deleted); at least 1.
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

/// The name of a backup of database `stem` taken at `utc`; `n` > 1 tells
/// apart two backups within one second.
pub fn name(stem: &str, utc: NaiveDateTime, n: usize) -> String {
    let at = utc.format("%Y%m%d-%H%M%SZ");
    if n > 1 {
        format!("{stem}-{at}-{n}.db")
    } else {
        format!("{stem}-{at}.db")
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

/// Whether `files` hold a backup of database `stem` taken on `day` (a
/// local date).
pub fn taken_on(stem: &str, files: &[String], day: chrono::NaiveDate) -> bool {
    files.iter().any(|f| backup_day(stem, f) == Some(day))
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

/// Whether `file` is a backup of database `stem` made by [`name`] (or by
/// an earlier Rapport, which named them in local time).
pub fn is_backup(stem: &str, file: &str) -> bool {
    parse(stem, file).is_some()
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
fn taken(stem: &str, f: &Found, now_utc: NaiveDateTime) -> (NaiveDateTime, usize) {
    let (at, utc, n) = parse(stem, &f.name).unwrap_or((NaiveDateTime::MIN, false, 1));
    let named = (utc && at <= now_utc).then_some(at);
    (named.or(f.modified).unwrap_or(at.min(now_utc)), n)
}

/// The backups to delete so that the newest `keep` remain (oldest first),
/// by when they were really taken; `just_written` is never among them.
pub fn to_prune(stem: &str, files: &[Found], keep: usize, just_written: &str, now_utc: NaiveDateTime) -> Vec<String> {
    let mut ours: Vec<&Found> = files
        .iter()
        .filter(|f| is_backup(stem, &f.name) && f.name != just_written)
        .collect();
    ours.sort_by_key(|f| (taken(stem, f, now_utc), f.name.clone()));
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

/// Rotates the backups of database `stem` in `dir` after `just_written`
/// (a file name in `dir`) was written: the newest `keep` remain.
pub fn rotate(dir: &Path, stem: &str, keep: usize, just_written: &str) -> std::io::Result<Rotated> {
    let now_utc = Utc::now().naive_utc();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !is_backup(stem, &name) {
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
    let prune = to_prune(stem, &files, keep, just_written, now_utc);
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
/// taken.
pub fn latest(dir: &Path, db: &Path) -> Option<PathBuf> {
    let stem = db.file_stem()?.to_string_lossy().into_owned();
    let now_utc = Utc::now().naive_utc();
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            is_backup(&stem, &name).then(|| {
                let modified = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .map(|t| DateTime::<Utc>::from(t).naive_utc());
                Found { name, modified }
            })
        })
        .max_by_key(|f| (taken(&stem, f, now_utc), f.name.clone()))
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

    #[test]
    fn names_and_rotation() {
        let a = name("rapport", at("2026-11-23 09:00:00"), 1);
        assert_eq!(a, "rapport-20261123-090000Z.db");
        let b = name("rapport", at("2026-11-23 09:00:00"), 2);
        assert_eq!(b, "rapport-20261123-090000Z-2.db");
        let c = name("rapport", at("2026-11-24 08:00:00"), 1);
        assert!(is_backup("rapport", &a) && is_backup("rapport", &b));
        assert!(
            is_backup("rapport", "rapport-20261123-090000.db"),
            "an earlier local name"
        );
        for other in [
            "rapport.db",
            "rapport-notes.db",
            "rapport-20261123-090000.db.bak",
            "rapport-20261323-090000Z.db",
            "other-20261123-090000Z.db",
        ] {
            assert!(!is_backup("rapport", other), "{other}");
        }
        let now = at("2026-11-25 00:00:00");
        let files = vec![
            found(&c, "2026-11-24 08:00:00"),
            found("keep-me.txt", "2026-11-20 00:00:00"),
            found(&b, "2026-11-23 09:00:01"),
            found(&a, "2026-11-23 09:00:00"),
        ];
        assert_eq!(to_prune("rapport", &files, 2, &c, now), vec![a.clone()]);
        assert_eq!(to_prune("rapport", &files, 1, &c, now), vec![a.clone(), b.clone()]);
        assert_eq!(to_prune("rapport", &files, 0, &c, now).len(), 2, "at least one is kept");
    }

    /// A backup taken in UTC+8 under an earlier Rapport was named 8 hours
    /// ahead: the fresh backup must not lose to it, and a name dated in the
    /// future does not keep its place for good.
    #[test]
    fn rotation_goes_by_real_time_and_never_deletes_the_new_one() {
        let now = at("2026-12-01 02:00:00");
        // Written at 01:00 UTC but named in UTC+8 local time (09:00).
        let old_local = found("book-20261201-090000.db", "2026-12-01 01:00:00");
        let fresh = found(&name("book", now, 1), "2026-12-01 02:00:00");
        let files = vec![old_local.clone(), fresh.clone()];
        assert_eq!(
            to_prune("book", &files, 1, &fresh.name, now),
            vec![old_local.name.clone()]
        );
        // A name dated a year ahead (a clock that was wrong) goes by its file time.
        let future = found("book-20271201-000000Z.db", "2026-11-01 00:00:00");
        let files = vec![future.clone(), fresh.clone()];
        assert_eq!(to_prune("book", &files, 1, &fresh.name, now), vec![future.name.clone()]);
        // Even when the new one looks oldest, it is never the one deleted.
        let odd = found(&name("book", at("2026-11-30 00:00:00"), 1), "2026-11-30 00:00:00");
        let files = vec![odd.clone(), found("book-20261101-000000Z.db", "2026-11-01 00:00:00")];
        let pruned = to_prune("book", &files, 1, &odd.name, now);
        assert!(!pruned.contains(&odd.name));
        assert_eq!(pruned.len(), 1);
    }

    #[test]
    fn rotate_in_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["book-20261101-000000Z.db", "book-20261102-000000Z.db", "notes.txt"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let new = name("book", Utc::now().naive_utc(), 1);
        std::fs::write(dir.path().join(&new), "x").unwrap();
        let r = rotate(dir.path(), "book", 2, &new).unwrap();
        assert_eq!(r.kept, 2);
        assert_eq!(r.removed, vec![dir.path().join("book-20261101-000000Z.db")]);
        assert!(dir.path().join(&new).exists() && dir.path().join("notes.txt").exists());
    }

    #[test]
    fn a_backup_of_the_day_is_found_by_its_name() {
        let files = vec![
            "rapport-20261123-090000.db".to_string(),
            "rapport-20261124-notes.db".to_string(),
            "other-20261125-080000.db".to_string(),
        ];
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(taken_on("rapport", &files, day("2026-11-23")));
        assert!(!taken_on("rapport", &files, day("2026-11-24")), "not a backup's name");
        assert!(!taken_on("rapport", &files, day("2026-11-25")), "another database's");
        // Names in UTC (a trailing Z) count on their local day.
        let utc = vec!["rapport-20261126-120000Z-2.db".to_string()];
        assert!(taken_on("rapport", &utc, day("2026-11-26")));
        assert!(!taken_on("rapport", &utc, day("2026-11-27")));
    }
}
