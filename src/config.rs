//! The TOML configuration file in the platform config directory: language,
//! database path, theme colours and contact cadences. A missing file means
//! defaults; a broken one is reported with its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::cadence::Cadence;
use crate::domain::customer::Grade;

pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.default.toml");

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    #[serde(deserialize_with = "language")]
    pub language: String,
    pub database: String,
    pub theme: ThemeConfig,
    pub cadence: CadenceConfig,
    pub complaints: ComplaintsConfig,
    pub backup: crate::io::BackupConfig,
    pub value: crate::value_config::ValueSettings,
    pub accounts: AccountsConfig,
    pub sync: SyncConfig,
}

/// `[accounts]`: coverage and personnel changes (DOMAIN §4, §6).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AccountsConfig {
    /// An account whose decision maker was not contacted in this many days is at risk.
    pub coverage_days: i64,
    /// "Rebuild the relationship with the successor" falls due this many days after a person left.
    pub rebuild_days: i64,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig {
            coverage_days: 90,
            rebuild_days: 7,
        }
    }
}

impl AccountsConfig {
    /// The checked numbers: 1–3650 and 0–365 days.
    pub fn checked(self) -> Result<AccountsConfig, String> {
        if !(1..=3650).contains(&self.coverage_days) {
            return Err(format!(
                "accounts: coverage_days = {} (use 1 to 3650)",
                self.coverage_days
            ));
        }
        if !(0..=365).contains(&self.rebuild_days) {
            return Err(format!("accounts: rebuild_days = {} (use 0 to 365)", self.rebuild_days));
        }
        Ok(self)
    }
}

/// `[sync]`: the team server this book syncs with (no password here:
/// PGPASSWORD or ~/.pgpass).
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// `postgresql://rep@host/team`; empty: no team sync.
    pub url: String,
}

/// `[complaints]`: the complaint deadlines (DOMAIN §5).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ComplaintsConfig {
    /// Hours from receipt to the first response.
    pub first_response_hours: i64,
    /// Days from completing step 5 to the follow-up call.
    pub follow_up_days: i64,
    /// The lowest satisfaction (1–5) that closes a complaint as satisfied.
    pub min_satisfied: u8,
}

impl Default for ComplaintsConfig {
    fn default() -> Self {
        let d = crate::domain::complaint::ComplaintConfig::default();
        ComplaintsConfig {
            first_response_hours: d.first_response_hours,
            follow_up_days: d.follow_up_days,
            min_satisfied: d.min_satisfied,
        }
    }
}

impl ComplaintsConfig {
    /// The checked numbers: 1–720 hours, 0–365 days, satisfaction 1–5.
    pub fn to_domain(&self) -> Result<crate::domain::complaint::ComplaintConfig, String> {
        if !(1..=720).contains(&self.first_response_hours) {
            return Err(format!(
                "complaints: first_response_hours = {} (use 1 to 720)",
                self.first_response_hours
            ));
        }
        if !(0..=365).contains(&self.follow_up_days) {
            return Err(format!(
                "complaints: follow_up_days = {} (use 0 to 365)",
                self.follow_up_days
            ));
        }
        if !(1..=5).contains(&self.min_satisfied) {
            return Err(format!(
                "complaints: min_satisfied = {} (use 1 to 5)",
                self.min_satisfied
            ));
        }
        Ok(crate::domain::complaint::ComplaintConfig {
            first_response_hours: self.first_response_hours,
            follow_up_days: self.follow_up_days,
            min_satisfied: self.min_satisfied,
        })
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    pub accent: String,
    pub selection: String,
    pub warning: String,
    pub danger: String,
    pub muted: String,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            accent: "cyan".into(),
            selection: "blue".into(),
            warning: "yellow".into(),
            danger: "red".into(),
            muted: "dark_gray".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CadenceConfig {
    pub call_months: BTreeMap<String, u32>,
    pub visit_months: BTreeMap<String, u32>,
    /// Days ahead a birthday (or business event) shows on the agenda.
    pub birthday_lead_days: BTreeMap<String, i64>,
    /// Days ahead a major holiday shows; a negative value: no greeting.
    pub holiday_lead_days: BTreeMap<String, i64>,
    /// Churn risk after this many call intervals without contact.
    pub churn_factor: Option<u32>,
    /// A new customer is followed up within this many days.
    pub new_customer_days: Option<i64>,
}

/// `language`: empty (from the environment), or one Rapport speaks.
fn language<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() || crate::i18n::Lang::parse(&s).is_some() {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!(
            "language = \"{s}\" is not one Rapport speaks (use \"en\" or \"zh\")"
        )))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the config file {path} has an error: {message}")]
    Parse { path: PathBuf, message: String },
}

impl Config {
    /// Loads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text).map_err(|message| ConfigError::Parse {
                path: path.to_path_buf(),
                message,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses config text; the error names the line and column.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let msg = e.message().to_string();
            match e.span() {
                Some(span) => {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: {msg}")
                }
                None => msg,
            }
        })?;
        config.cadence()?;
        config.complaints.to_domain()?;
        config.value.to_domain()?;
        config.backup.checked()?;
        Ok(config)
    }

    /// The cadence table with this file's overrides applied.
    pub fn cadence(&self) -> Result<Cadence, String> {
        let mut c = Cadence::default();
        for (table, target) in [
            (&self.cadence.call_months, &mut c.call_months),
            (&self.cadence.visit_months, &mut c.visit_months),
        ] {
            for (grade, months) in table {
                let g = Grade::parse(grade)
                    .ok_or_else(|| format!("cadence: unknown grade {grade:?} (use A, B, C or D)"))?;
                if *months > 120 {
                    return Err(format!(
                        "cadence: {months} months for grade {grade} is more than ten years"
                    ));
                }
                target[g.index()] = (*months > 0).then_some(*months);
            }
        }
        let grade = |g: &str| Grade::parse(g).ok_or_else(|| format!("cadence: unknown grade {g:?} (use A, B, C or D)"));
        for (g, days) in &self.cadence.birthday_lead_days {
            if !(0..=60).contains(days) {
                return Err(format!(
                    "cadence: birthday_lead_days {days} for grade {g} must be 0 to 60"
                ));
            }
            c.birthday_lead_days[grade(g)?.index()] = *days;
        }
        for (g, days) in &self.cadence.holiday_lead_days {
            if *days > 60 {
                return Err(format!(
                    "cadence: holiday_lead_days {days} for grade {g} must be at most 60"
                ));
            }
            c.holiday_lead_days[grade(g)?.index()] = (*days >= 0).then_some(*days);
        }
        if let Some(f) = self.cadence.churn_factor {
            if f == 0 {
                return Err("cadence: churn_factor must be at least 1".into());
            }
            c.churn_factor = f;
        }
        if let Some(d) = self.cadence.new_customer_days {
            if !(0..=90).contains(&d) {
                return Err(format!("cadence: new_customer_days {d} must be 0 to 90"));
            }
            c.new_customer_days = d;
        }
        Ok(c)
    }
}

/// Where Rapport keeps its files by default.
pub struct Dirs {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
}

impl Dirs {
    pub fn platform() -> Option<Dirs> {
        let p = directories::ProjectDirs::from("", "", "rapport")?;
        Some(Dirs {
            config_file: p.config_dir().join("config.toml"),
            data_dir: p.data_dir().to_path_buf(),
        })
    }

    pub fn default_db(&self) -> PathBuf {
        self.data_dir.join("rapport.db")
    }

    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("rapport.log")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_default_config_parses_to_the_defaults() {
        let c = Config::parse(DEFAULT_CONFIG).unwrap();
        assert_eq!(c.theme, ThemeConfig::default());
        assert_eq!(c.cadence().unwrap(), Cadence::default());
    }

    #[test]
    fn accounts_settings_default_and_are_checked() {
        let c = Config::parse(DEFAULT_CONFIG).unwrap();
        assert_eq!(c.accounts, AccountsConfig::default());
        assert_eq!((c.accounts.coverage_days, c.accounts.rebuild_days), (90, 7));
        let c = Config::parse("[accounts]\ncoverage_days = 30\nrebuild_days = 3\n").unwrap();
        assert_eq!(c.accounts.checked().unwrap().coverage_days, 30);
        let bad = Config::parse("[accounts]\ncoverage_days = 0\n").unwrap();
        assert!(bad.accounts.checked().unwrap_err().contains("coverage_days"));
        assert!(Config::parse("[accounts]\nrebuild = 3\n").is_err());
    }

    #[test]
    fn a_backup_keep_of_zero_is_refused() {
        let err = Config::parse("[backup]\nkeep = 0\n").unwrap_err();
        assert!(err.contains("keep = 0"), "{err}");
        assert_eq!(Config::parse("[backup]\nkeep = 1\n").unwrap().backup.keep, 1);
    }

    #[test]
    fn empty_text_is_all_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn errors_name_the_line() {
        let err = Config::parse("language = \"zh\"\n\n[theme]\naccent = 3\n").unwrap_err();
        assert!(err.starts_with("line 4:"), "{err}");
        let err = Config::parse("language = \"zh\"\nlangauge = \"en\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(
            Config::parse("[cadence]\ncall_months = { E = 1 }\n")
                .unwrap_err()
                .contains("unknown grade")
        );
    }

    #[test]
    fn an_unknown_language_is_an_error_naming_the_line() {
        let err = Config::parse("# mine\nlanguage = \"fr\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(err.contains("\"en\" or \"zh\""), "{err}");
        assert_eq!(Config::parse("language = \"zh_CN\"\n").unwrap().language, "zh_CN");
        assert_eq!(Config::parse("language = \"\"\n").unwrap().language, "");
    }

    #[test]
    fn care_lead_overrides() {
        let c = Config::parse(
            "[cadence]\nbirthday_lead_days = { C = 2 }\nholiday_lead_days = { A = 10, D = -1 }\nchurn_factor = 3\n",
        )
        .unwrap()
        .cadence()
        .unwrap();
        assert_eq!(c.birthday_lead_days[2], 2);
        assert_eq!(c.holiday_lead_days[0], Some(10));
        assert_eq!(c.holiday_lead_days[3], None);
        assert_eq!(c.churn_factor, 3);
        assert!(Config::parse("[cadence]\nchurn_factor = 0\n").is_err());
    }

    #[test]
    fn cadence_overrides() {
        let c = Config::parse("[cadence]\ncall_months = { A = 2 }\nvisit_months = { B = 0 }\n").unwrap();
        let cad = c.cadence().unwrap();
        assert_eq!(cad.call_months[0], Some(2));
        assert_eq!(cad.visit_months[1], None);
        assert_eq!(cad.call_months[1], Some(3));
    }
}
