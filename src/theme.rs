//! Colours, from the `[theme]` table of the config file.

use std::str::FromStr;

use ratatui::style::Color;

use crate::config::ThemeConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub accent: Color,
    pub selection: Color,
    pub warning: Color,
    pub danger: Color,
    pub muted: Color,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_config(&ThemeConfig::default()).unwrap_or(Theme {
            accent: Color::Cyan,
            selection: Color::Blue,
            warning: Color::Yellow,
            danger: Color::Red,
            muted: Color::DarkGray,
        })
    }
}

impl Theme {
    /// Reads colour names ("cyan", "dark_gray", "#1e90ff"); the error names
    /// the setting that is wrong.
    pub fn from_config(c: &ThemeConfig) -> Result<Theme, String> {
        let parse = |name: &str, v: &str| {
            Color::from_str(&v.replace('_', " ")).map_err(|_| format!("theme.{name}: unknown colour {v:?}"))
        };
        Ok(Theme {
            accent: parse("accent", &c.accent)?,
            selection: parse("selection", &c.selection)?,
            warning: parse("warning", &c.warning)?,
            danger: parse("danger", &c.danger)?,
            muted: parse("muted", &c.muted)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_names_and_hex() {
        let mut c = ThemeConfig::default();
        assert_eq!(Theme::from_config(&c).unwrap().muted, Color::DarkGray);
        c.accent = "#1e90ff".into();
        assert_eq!(Theme::from_config(&c).unwrap().accent, Color::Rgb(0x1e, 0x90, 0xff));
        c.accent = "sparkly".into();
        assert!(Theme::from_config(&c).unwrap_err().contains("theme.accent"));
    }
}
