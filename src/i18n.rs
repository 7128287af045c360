//! One string catalog for every visible word, in English and 简体中文.
//! The catalogs are TOML files under `assets/i18n/`, embedded at build time.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "en" || s.starts_with("en_") || s.starts_with("en-") {
            Some(Lang::En)
        } else if s.starts_with("zh") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// The language from the environment: `LC_ALL`, `LC_MESSAGES`, then
    /// `LANG`; Chinese when the first one set starts with `zh`.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.starts_with("zh") { Lang::Zh } else { Lang::En };
            }
        }
        Lang::En
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// The catalog files of one language, one per area of the product, so each
/// pane keeps its words next to each other.
macro_rules! catalog_files {
    ($lang:literal) => {
        &[
            ("core", include_str!(concat!("../assets/i18n/", $lang, "/core.toml"))),
            (
                "qualification",
                include_str!(concat!("../assets/i18n/", $lang, "/qualification.toml")),
            ),
            (
                "complaints",
                include_str!(concat!("../assets/i18n/", $lang, "/complaints.toml")),
            ),
            (
                "agenda",
                include_str!(concat!("../assets/i18n/", $lang, "/agenda.toml")),
            ),
            ("io", include_str!(concat!("../assets/i18n/", $lang, "/io.toml"))),
            (
                "safety",
                include_str!(concat!("../assets/i18n/", $lang, "/safety.toml")),
            ),
            ("value", include_str!(concat!("../assets/i18n/", $lang, "/value.toml"))),
            ("find", include_str!(concat!("../assets/i18n/", $lang, "/find.toml"))),
            ("tools", include_str!(concat!("../assets/i18n/", $lang, "/tools.toml"))),
            (
                "accounts",
                include_str!(concat!("../assets/i18n/", $lang, "/accounts.toml")),
            ),
            ("sync", include_str!(concat!("../assets/i18n/", $lang, "/sync.toml"))),
        ]
    };
}

pub const EN_SOURCES: &[(&str, &str)] = catalog_files!("en");
pub const ZH_SOURCES: &[(&str, &str)] = catalog_files!("zh");

/// Merges a language's files; a key defined twice is an error.
pub fn parse_catalogs(files: &[(&str, &str)]) -> Result<HashMap<String, String>, String> {
    let mut all = HashMap::new();
    for (name, src) in files {
        for (k, v) in parse_catalog(src).map_err(|e| format!("{name}.toml: {e}"))? {
            if all.insert(k.clone(), v).is_some() {
                return Err(format!("{name}.toml: key {k} is defined twice"));
            }
        }
    }
    Ok(all)
}

/// Parses a catalog: a flat TOML table of strings.
pub fn parse_catalog(src: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = src.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut map = HashMap::with_capacity(table.len());
    for (k, v) in table {
        match v {
            toml::Value::String(s) => {
                map.insert(k, s);
            }
            other => {
                return Err(format!("key {k}: expected a string, found {}", other.type_str()));
            }
        }
    }
    Ok(map)
}

fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, files) = match lang {
        Lang::En => (&EN, EN_SOURCES),
        Lang::Zh => (&ZH, ZH_SOURCES),
    };
    // The catalogs are part of the binary and checked by tests.
    cell.get_or_init(|| parse_catalogs(files).expect("embedded catalogs are valid"))
}

/// The text for `key`; the key itself when missing (tests keep the
/// catalogs complete, so users never see this).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match catalog(lang).get(key) {
        Some(s) => s.as_str(),
        None => match catalog(Lang::En).get(key) {
            Some(s) => s.as_str(),
            None => Box::leak(key.to_string().into_boxed_str()),
        },
    }
}

/// The text for `key` with `{name}` placeholders filled in. When `{n}` is
/// 1 and the catalog has `key.one`, that form is used ("1 customer").
pub fn tf(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let one = args.iter().any(|(name, v)| *name == "n" && v.to_string() == "1");
    let singular = format!("{key}.one");
    let key = if one && catalog(lang).contains_key(&singular) {
        singular.as_str()
    } else {
        key
    };
    let mut s = t(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

/// `x` in brackets as the language writes them: " (x)" in English,
/// "（x）" in Chinese.
pub fn paren(lang: Lang, x: &str) -> String {
    tf(lang, "card.paren", &[("x", &x)])
}

/// Two parts in a row as the language lists them: "Li Na, CFO",
/// "李娜，财务总监".
pub fn pair(lang: Lang, a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (false, false) => format!("{a}{}{b}", t(lang, "card.list_sep")),
        (false, true) => a.to_string(),
        _ => b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(files: &[(&str, &str)]) -> BTreeSet<String> {
        parse_catalogs(files).unwrap().into_keys().collect()
    }

    #[test]
    fn one_takes_the_singular() {
        assert_eq!(tf(Lang::En, "status.customers", &[("n", &1)]), "1 customer");
        assert_eq!(tf(Lang::En, "status.customers", &[("n", &2)]), "2 customers");
        assert_eq!(tf(Lang::En, "agenda.reason.event_years", &[("n", &1)]), " (1 year)");
        assert!(tf(Lang::En, "agenda.title", &[("n", &1)]).ends_with("· 1 item"));
        assert_eq!(tf(Lang::En, "card.more_below", &[("n", &1)]), "↓ 1 more line");
        assert_eq!(tf(Lang::En, "card.more_below", &[("n", &2)]), "↓ 2 more lines");
        assert_eq!(
            tf(Lang::Zh, "status.customers", &[("n", &1)]),
            tf(Lang::Zh, "status.customers.one", &[("n", &1)])
        );
    }

    #[test]
    fn each_file_has_the_same_keys_in_both_languages() {
        for ((name, en), (_, zh)) in EN_SOURCES.iter().zip(ZH_SOURCES) {
            assert_eq!(
                keys(&[(name, en)]),
                keys(&[(name, zh)]),
                "{name}.toml differs between en and zh"
            );
        }
    }

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let en = keys(EN_SOURCES);
        let zh = keys(ZH_SOURCES);
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "only en: {only_en:?}; only zh: {only_zh:?}"
        );
    }

    /// Every literal key the source code asks for exists in the catalogs.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let en = keys(EN_SOURCES);
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                for marker in ["t(\"", "tf(\""] {
                    for piece in src.split(marker).skip(1) {
                        let key = piece.split('"').next().unwrap();
                        if key.contains('.') && !key.contains(' ') && !en.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing catalog keys: {missing:#?}");
    }

    #[test]
    fn enum_keys_exist() {
        use crate::domain::customer::{Grade, Personality, Relationship, Status};
        use crate::domain::interaction::InteractionKind;
        let en = keys(EN_SOURCES);
        let mut all: Vec<&str> = Vec::new();
        all.extend(Status::ALL.iter().map(|v| v.key()));
        all.extend(Grade::ALL.iter().map(|v| v.key()));
        all.extend(Relationship::ALL.iter().map(|v| v.key()));
        all.extend(Personality::ALL.iter().map(|v| v.key()));
        all.extend(Personality::ALL.iter().map(|v| v.strategy_key()));
        all.extend(InteractionKind::ALL.iter().map(|v| v.key()));
        for k in all {
            assert!(en.contains(k), "{k} missing");
        }
    }

    #[test]
    fn language_choice() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(tf(Lang::En, "status.customers", &[("n", &3)]), "3 customers");
    }
}
