//! A harness in the csvlens style: an `App` over a temporary database with
//! a fixed clock, fed real key events through the real keymap, rendered to
//! ratatui's `TestBackend`.

#![allow(dead_code)]

pub mod pty;

use chrono::NaiveDateTime;
use rapport::app::App;
use rapport::clock::Clock;
use rapport::domain::customer::{Customer, Grade, Status};
use rapport::i18n::Lang;
use rapport::storage::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

pub fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

/// An active customer added 400 days ago, with one phone (if any).
pub fn person(store: &mut Store, name: &str, company: &str, city: &str, phone: &str, grade: Grade) -> i64 {
    let mut c = Customer::new(name, now() - chrono::Duration::days(400));
    c.company = company.into();
    c.city = city.into();
    c.grade = grade;
    c.status = Status::Active;
    if !phone.is_empty() {
        c.phones = vec![phone.into()];
    }
    store.insert_customer(&c).unwrap()
}

/// The real binary on `db`, with no config, a fixed clock and English.
pub fn rapport_cmd(db: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.arg("--db")
        .arg(db)
        .args(["--config", "/nonexistent/config.toml", "--now", "2026-11-23 09:00"]);
    c.env("LANG", "C").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

pub struct Harness {
    pub dir: TempDir,
    pub store: Store,
    pub app: App,
    pub clock: Clock,
}

impl Harness {
    /// An empty book.
    pub fn empty(lang: Lang) -> Harness {
        Harness::with(lang, |_| {})
    }

    /// A book of `n` demo customers (deterministic: fixed seed and clock).
    pub fn demo(lang: Lang, n: usize) -> Harness {
        Harness::with(lang, |store| {
            rapport::demo::generate(store, n, 3, now()).unwrap();
        })
    }

    pub fn with(lang: Lang, fill: impl FnOnce(&mut Store)) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        fill(&mut store);
        let mut app = rapport::panes::default_app(&store, lang, now()).unwrap();
        app.wait_for_index();
        Harness {
            dir,
            store,
            app,
            clock: Clock::Fixed(now()),
        }
    }

    pub fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        let ev = KeyEvent::new(code, mods);
        rapport::tui::handle_key(&mut self.app, &mut self.store, self.clock, &ev);
    }

    /// Feeds keys: plain characters are typed; `<Enter>`, `<Esc>`, `<Tab>`,
    /// `<BackTab>`, `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<BS>`, `<C-x>`
    /// name special keys.
    pub fn keys(&mut self, spec: &str) {
        let mut rest = spec;
        while !rest.is_empty() {
            if rest.starts_with('<')
                && let Some(end) = rest.find('>')
            {
                let name = &rest[1..end];
                rest = &rest[end + 1..];
                let (code, mods) = match name {
                    "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
                    "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
                    "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
                    "BackTab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                    "Up" => (KeyCode::Up, KeyModifiers::NONE),
                    "Down" => (KeyCode::Down, KeyModifiers::NONE),
                    "Left" => (KeyCode::Left, KeyModifiers::NONE),
                    "Right" => (KeyCode::Right, KeyModifiers::NONE),
                    "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
                    "Home" => (KeyCode::Home, KeyModifiers::NONE),
                    "End" => (KeyCode::End, KeyModifiers::NONE),
                    "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
                    "PgUp" => (KeyCode::PageUp, KeyModifiers::NONE),
                    "F1" => (KeyCode::F(1), KeyModifiers::NONE),
                    n if n.starts_with("C-") => (KeyCode::Char(n.chars().nth(2).unwrap()), KeyModifiers::CONTROL),
                    other => panic!("unknown key <{other}>"),
                };
                self.key(code, mods);
                continue;
            }
            let c = rest.chars().next().unwrap();
            rest = &rest[c.len_utf8()..];
            let mods = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            self.key(KeyCode::Char(c), mods);
        }
    }

    /// Renders at `w`×`h` and returns the screen as text, one line per row,
    /// wide characters once (not followed by their padding cell).
    pub fn screen(&mut self, w: u16, h: u16) -> String {
        self.app.set_viewport(rapport::ui::list_rows(h));
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| rapport::ui::render(&self.app, f)).unwrap();
        let buf = term.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..h {
            let mut skip = 0;
            let mut line = String::new();
            for x in 0..w {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = sym.width().saturating_sub(1);
                line.push_str(sym);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Every cell of the last render holds no control character.
    pub fn assert_no_control_cells(&mut self, w: u16, h: u16) {
        let screen = self.screen(w, h);
        for c in screen.chars() {
            assert!(
                c == '\n' || !rapport::domain::text::is_unsafe(c),
                "control character {c:?} on screen:\n{screen}"
            );
        }
    }
}

/// The names of the files in `dir`, sorted.
pub fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}
