//! Rapport: a keyboard-first, offline customer desk for account managers.
//!
//! Layers, dependencies pointing one way: `ui` → `app` → `domain`, and
//! `app` → `storage` → `domain`. The CLI (`cli`) calls the same domain and
//! storage code as the TUI.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod io;
pub mod logfile;
pub mod memory;
pub mod panes;
pub mod par;
pub mod search;
pub mod stderr;
pub mod storage;
pub mod sync;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod value_config;
