//! Backup file names and rotation: `<db name>-YYYYMMDD-HHMMSS.db` in the
//! backup directory, the newest `keep` kept. Only files with that exact
//! shape are ever removed.

use chrono::NaiveDateTime;
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

/// The name of a backup of database `stem` taken at `now`; `n` > 1 tells
/// apart two backups within one second.
pub fn name(stem: &str, now: NaiveDateTime, n: usize) -> String {
    let at = now.format("%Y%m%d-%H%M%S");
    if n > 1 {
        format!("{stem}-{at}-{n}.db")
    } else {
        format!("{stem}-{at}.db")
    }
}

/// Whether `file` is a backup of database `stem` made by [`name`].
pub fn is_backup(stem: &str, file: &str) -> bool {
    let Some(rest) = file.strip_prefix(stem).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    let Some(rest) = rest.strip_suffix(".db") else {
        return false;
    };
    let mut parts = rest.split('-');
    let digits = |s: Option<&str>, n: usize| s.is_some_and(|s| s.len() == n && s.bytes().all(|b| b.is_ascii_digit()));
    let (date, time, extra) = (parts.next(), parts.next(), parts.next());
    digits(date, 8)
        && digits(time, 6)
        && extra.is_none_or(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_none()
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

/// The backups to delete so that the newest `keep` remain (oldest first).
pub fn to_prune(stem: &str, files: &[String], keep: usize) -> Vec<String> {
    let mut ours: Vec<&String> = files.iter().filter(|f| is_backup(stem, f)).collect();
    // The timestamp sorts by time; a `-2` suffix after its plain twin.
    ours.sort_by_key(|f| {
        let core = &f[stem.len() + 1..stem.len() + 16];
        let n: usize = f[stem.len() + 16..]
            .trim_end_matches(".db")
            .trim_start_matches('-')
            .parse()
            .unwrap_or(1);
        (core.to_string(), n)
    });
    let excess = ours.len().saturating_sub(keep.max(1));
    ours.into_iter().take(excess).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn names_and_rotation() {
        let a = name("rapport", at("2026-11-23 09:00:00"), 1);
        assert_eq!(a, "rapport-20261123-090000.db");
        let b = name("rapport", at("2026-11-23 09:00:00"), 2);
        assert_eq!(b, "rapport-20261123-090000-2.db");
        let c = name("rapport", at("2026-11-24 08:00:00"), 1);
        assert!(is_backup("rapport", &a) && is_backup("rapport", &b));
        for other in [
            "rapport.db",
            "rapport-notes.db",
            "rapport-20261123-090000.db.bak",
            "other-20261123-090000.db",
        ] {
            assert!(!is_backup("rapport", other), "{other}");
        }
        let files = vec![c.clone(), "keep-me.txt".to_string(), b.clone(), a.clone()];
        assert_eq!(to_prune("rapport", &files, 2), vec![a.clone()]);
        assert_eq!(to_prune("rapport", &files, 1), vec![a, b]);
        assert!(to_prune("rapport", &files, 0).len() == 2, "at least one is kept");
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
