//! Command-line interface: the TUI by default, or a non-interactive
//! command. Every command uses the same domain and storage code as the TUI.

mod agenda;
pub mod autobackup;
pub mod backup;
mod company;
mod complaints;
mod dups;
pub mod export;
mod find;
pub mod import;
mod insights;
pub mod log;
pub mod meta;
pub mod notify;
mod purchases;
pub mod sync;
pub mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::App;
use crate::clock::Clock;
use crate::config::{Config, Dirs};
use crate::i18n::{Lang, t, tf};
use crate::storage::{StorageError, Store};
use crate::theme::Theme;

#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    about = "Rapport — the keyboard-first customer desk for account managers (客户经理)."
)]
pub struct Cli {
    /// Database file (default: the platform data directory, or `database` in the config).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Interface language: en or zh (default: config, then LANG/LC_ALL).
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<String>,
    /// Config file (default: the platform config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Fix the clock ("2026-11-23 09:00"), for demonstrations and tests.
    #[arg(long, global = true, hide = true)]
    pub now: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the database with realistic sample customers.
    Demo {
        /// How many customers to create.
        #[arg(long, default_value_t = 500)]
        customers: usize,
        /// Seed for the generator; the same seed gives the same book.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Add the samples even though the database already holds customers.
        #[arg(long)]
        force: bool,
    },
    /// Look up customers (pinyin too, filters) and show the pre-call card of the best match.
    Find(find::FindArgs),
    /// List companies (best matches first); for one match, its account view: people, roles, coverage.
    Company(company::CompanyArgs),
    /// List pairs of customers that look like one (same phone, same name and company, same pinyin at one company).
    Duplicates {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Merge customer OTHER_ID into KEEP_ID: everything about it moves, then it is deleted (asks unless --yes).
    Merge(dups::MergeArgs),
    /// Delete a customer and everything about them (asks unless --yes).
    Delete {
        /// The customer's id (as `rapport find` shows it).
        id: i64,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// List complaints, nearest deadline first.
    Complaints {
        /// Only complaints that are still open.
        #[arg(long)]
        open: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the agenda: who to call or visit, and why.
    Agenda {
        /// The day to show, as every date field reads it (2026-12-01, 12-01, tomorrow, next mon, +3d, 明天, 下周一; default today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// How many days from that date.
        #[arg(long, default_value_t = 1)]
        days: u32,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Send today's summary as one desktop notification (for cron or a timer); exit 1 when no notification service answers.
        #[arg(long)]
        notify: bool,
    },
    /// Add a customer with the same checks as the form; warns about a duplicate unless --yes.
    Add(write::AddArgs),
    /// Change fields of a customer: --set FIELD=VALUE (any field of the edit form).
    Edit(write::EditArgs),
    /// Log a call, visit, message … with one customer (by id or query); optionally schedule the follow-up.
    Log(log::LogArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell (or elvish).
    Completions {
        /// The shell.
        shell: meta::Shell,
    },
    /// Print the manual pages (roff) for rapport and every command, or write them into a folder.
    Man {
        /// Write rapport.1, rapport-import.1 … into this folder instead of printing them.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Import customers: CSV (Excel, Google Contacts, Outlook), vCard (.vcf), or a Rapport JSON export.
    Import(import::ImportArgs),
    /// Export: csv (customers, for Excel), json (everything), vcf (contacts), ics (agenda).
    Export(export::ExportArgs),
    /// Copy the database (safe while Rapport is open), keeping the newest backups.
    Backup(backup::BackupArgs),
    /// Replace the database with a backup; the backup is checked first and the current file kept aside.
    Restore(backup::RestoreArgs),
    /// Check the database file's integrity without writing to it; exit 0 only when healthy.
    Check,
    /// Purchases: add, list, import an order export, export for Excel, delete.
    #[command(subcommand)]
    Purchases(purchases::PurchasesCommand),
    /// Value analysis: RFM, segments, the 80/20 view and grade suggestions.
    Insights {
        /// The day the analysis is made on (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Days of purchases looked at (default from the config, 365; 0 = all time).
        #[arg(long, value_name = "DAYS")]
        window: Option<i64>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Team sync through PostgreSQL: push this book's changes, pull the team's (`rapport sync`), and more.
    Sync(sync::SyncArgs),
}

impl Command {
    /// Whether the command may run on a book that does not exist yet: those
    /// that add customers, sync (a first pull fills a new book), and those
    /// that say themselves that there is none (backup, restore, check).
    fn may_create_book(&self) -> bool {
        matches!(
            self,
            Command::Demo { .. }
                | Command::Add(_)
                | Command::Import(_)
                | Command::Sync(_)
                | Command::Backup(_)
                | Command::Restore(_)
                | Command::Check
                | Command::Completions { .. }
                | Command::Man { .. }
        )
    }
}

/// What every command needs: language, config, clock, database path.
#[derive(Debug, Clone)]
pub struct Context {
    pub lang: Lang,
    pub config: Config,
    pub clock: Clock,
    pub db_path: PathBuf,
    pub log_path: PathBuf,
}

/// Prints to stdout; a closed pipe (`rapport find x | head -1`) ends the
/// output quietly instead of panicking.
pub fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|_| out.flush());
}

pub(crate) fn fail(msg: impl std::fmt::Display) -> ExitCode {
    crate::stderr::warnln!("rapport: {}", crate::domain::text::clean(&msg.to_string()));
    ExitCode::from(2)
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Result<Context, String> {
        let dirs = Dirs::platform();
        let env_lang = Lang::from_env();
        let config_path = cli
            .config
            .clone()
            .or_else(|| dirs.as_ref().map(|d| d.config_file.clone()));
        let config = match &config_path {
            Some(p) => Config::load(p).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        let lang = match &cli.lang {
            Some(l) => Lang::parse(l).ok_or_else(|| format!("--lang {l:?}: use en or zh"))?,
            None => Lang::parse(&config.language).unwrap_or(env_lang),
        };
        let clock = match &cli.now {
            Some(s) => Clock::parse_fixed(s).ok_or_else(|| format!("--now {s:?}: use YYYY-MM-DD HH:MM"))?,
            None => Clock::System,
        };
        let db_path = match (&cli.db, config.database.is_empty(), &dirs) {
            (Some(p), _, _) => p.clone(),
            (None, false, _) => PathBuf::from(&config.database),
            (None, true, Some(d)) => {
                // Only the rep can list the folder of their customer book.
                crate::io::file::create_private_dir(&d.data_dir)
                    .map_err(|e| format!("{}: {e}", d.data_dir.display()))?;
                d.default_db()
            }
            (None, true, None) => return Err(t(lang, "cli.no_home").to_string()),
        };
        if crate::storage::is_uri(&db_path) {
            return Err(tf(lang, "safety.uri_refused", &[("path", &db_path.display())]));
        }
        let log_path = match &dirs {
            Some(d) => d.log_file(),
            None => std::env::temp_dir().join("rapport.log"),
        };
        Ok(Context {
            lang,
            config,
            clock,
            db_path,
            log_path,
        })
    }

    /// Opens the database and applies the configured cadence to its due
    /// dates.
    pub fn open_store(&self) -> Result<Store, String> {
        self.open_store_for(Purpose::Read)
    }

    /// Opens the database for `purpose`: a bulk write runs SQLite's full
    /// check first and refuses a damaged book; the TUI starts the day's
    /// check in the background; a damaged book is read-only, and a command
    /// that only reads says so on stderr.
    pub fn open_store_for(&self, purpose: Purpose) -> Result<Store, String> {
        use crate::storage::health::State;
        let lang = self.lang;
        let db = &self.db_path;
        // A WAL left by a crash is checked before the book opens: for a
        // large book that takes minutes, with nothing else on screen yet.
        let announce = |slow: crate::storage::Slow| {
            let key = match slow {
                crate::storage::Slow::LeftoverWal => "safety.checking_leftover",
                crate::storage::Slow::Keys => "safety.refreshing_keys",
            };
            crate::stderr::warnln!("rapport: {}", t(lang, key));
        };
        let mut store = Store::open_announcing(db, announce).map_err(|e| storage_message(lang, &e, db))?;
        if purpose != Purpose::Tui {
            for n in store.take_notices() {
                crate::stderr::warnln!("rapport: {}", crate::app::health::notice_text(lang, &n));
            }
        }
        let today = self.clock.now().date();
        let path = &self.db_path.display();
        let state = match purpose {
            Purpose::BulkWrite => store.full_check(today),
            Purpose::Tui => {
                store
                    .check_daily(today)
                    .map_err(|e| storage_message(lang, &e, &self.db_path))?;
                store.health()
            }
            Purpose::Read => {
                store
                    .map_for_reading()
                    .map_err(|e| storage_message(lang, &e, &self.db_path))?;
                store.health()
            }
        };
        match (&state, purpose) {
            (State::Damaged(p), Purpose::BulkWrite) => return Err(damaged_message(self, p)),
            (State::Unchecked(why), Purpose::BulkWrite) => {
                return Err(tf(lang, "safety.refused_unchecked", &[("path", path), ("why", why)]));
            }
            (State::Damaged(p), Purpose::Read) => {
                crate::stderr::warnln!(
                    "rapport: {}{}",
                    tf(lang, "safety.damaged_cli", &[("path", path)]),
                    first_findings(p)
                );
            }
            _ => {}
        }
        let cadence = self.config.cadence()?;
        store
            .set_cadence(&cadence)
            .map_err(|e| storage_message(lang, &e, &self.db_path))?;
        Ok(store)
    }

    /// Where backups go: `[backup] dir`, else `backups/` next to the book.
    pub fn backup_dir(&self) -> PathBuf {
        if self.config.backup.dir.is_empty() {
            self.db_path
                .parent()
                .unwrap_or(std::path::Path::new("."))
                .join("backups")
        } else {
            PathBuf::from(&self.config.backup.dir)
        }
    }

    /// Partial files a killed backup, restore or export left next to the
    /// book or among the backups.
    fn clean_partials(&self) {
        let dir = self
            .db_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        crate::io::file::clean_partials(dir);
        crate::io::file::clean_partials(&self.backup_dir());
    }
}

/// What a command will do with the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Read,
    /// Import, demo, merge: SQLite's full check runs first.
    BulkWrite,
    Tui,
}

/// A storage error in the user's language, naming the file.
pub fn storage_message(lang: Lang, e: &StorageError, path: &std::path::Path) -> String {
    // A file that could not be made names itself (the lock file beside the
    // book, say), not the book.
    let path = match e {
        StorageError::Create { path: made, .. } if !made.as_os_str().is_empty() => made.as_path(),
        _ => path,
    };
    let detail = match e {
        StorageError::Create { source, .. } => format!(" ({source})"),
        StorageError::TooNew { found, known, .. } => format!(" (schema {found} > {known})"),
        StorageError::Sql(inner) => format!(" ({inner})"),
        _ => String::new(),
    };
    format!("{}: {}{detail}", path.display(), t(lang, e.key()))
}

pub fn main_with(cli: Cli) -> ExitCode {
    // Generated from the definition alone: no config, no database.
    match &cli.command {
        Some(Command::Completions { shell }) => return meta::completions(*shell),
        Some(Command::Man { dir }) => {
            let lang = cli.lang.as_deref().and_then(Lang::parse).unwrap_or_else(Lang::from_env);
            return meta::man(dir.as_deref(), lang);
        }
        _ => {}
    }
    let ctx = match Context::from_cli(&cli) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    // Checked before the book is opened: a refused command creates no
    // book and waits for no check of one.
    if let Some(why) = refused(&ctx, &cli.command) {
        return fail(why);
    }
    ctx.clean_partials();
    if let Some(code) = backup::early(&ctx, &cli.command) {
        return code;
    }
    if let Some(Command::Sync(args)) = &cli.command
        && args.without_book()
    {
        return sync::run_without_book(&ctx, args);
    }
    let purpose = match &cli.command {
        None => Purpose::Tui,
        Some(Command::Demo { .. } | Command::Import(_)) => Purpose::BulkWrite,
        Some(_) => Purpose::Read,
    };
    let mut store = match ctx.open_store_for(purpose) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    match cli.command {
        None => run_tui(&ctx, &mut store),
        Some(Command::Demo { customers, seed, force }) => demo(&ctx, &mut store, customers, seed, force),
        Some(Command::Find(args)) => find::run(&ctx, &store, &args),
        Some(Command::Company(args)) => company::run(&ctx, &store, &args),
        Some(Command::Duplicates { json }) => dups::list(&ctx, &store, json),
        Some(Command::Merge(args)) => dups::merge(&ctx, &mut store, &args),
        Some(Command::Delete { id, yes }) => dups::delete(&ctx, &mut store, id, yes),
        Some(Command::Complaints { open, json }) => complaints::run(&ctx, &store, open, json),
        Some(Command::Agenda { notify: true, date, .. }) => notify::run(&ctx, &store, date.as_deref()),
        Some(Command::Agenda { date, days, json, .. }) => agenda::run(&ctx, &store, date.as_deref(), days, json),
        Some(Command::Add(args)) => write::add(&ctx, &mut store, args),
        Some(Command::Edit(args)) => write::edit(&ctx, &mut store, args),
        Some(Command::Log(args)) => log::run(&ctx, &mut store, args),
        Some(Command::Import(args)) => import::run(&ctx, &mut store, args),
        Some(Command::Export(args)) => export::run(&ctx, &store, args),
        Some(Command::Purchases(cmd)) => purchases::run(&ctx, &mut store, cmd),
        Some(Command::Insights { as_of, window, json }) => insights::run(&ctx, &store, as_of.as_deref(), window, json),
        Some(Command::Sync(args)) => sync::run(&ctx, &mut store, &args),
        Some(
            Command::Backup(_)
            | Command::Restore(_)
            | Command::Check
            | Command::Completions { .. }
            | Command::Man { .. },
        ) => ExitCode::SUCCESS,
    }
}

fn run_tui(ctx: &Context, store: &mut Store) -> ExitCode {
    let theme = match Theme::from_config(&ctx.config.theme) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let cadence = match ctx.config.cadence() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let mut app = match App::new(store, &crate::panes::PANES, ctx.lang, theme, cadence, ctx.clock.now()) {
        Ok(a) => a,
        Err(e) => return fail(storage_message(ctx.lang, &e, &ctx.db_path)),
    };
    match ctx.config.complaints.to_domain() {
        Ok(c) => app.complaints.config = c,
        Err(e) => return fail(e),
    }
    match ctx.config.accounts.checked() {
        Ok(c) => app.accounts.cfg = c,
        Err(e) => return fail(e),
    }
    crate::app::teamsync::configure(&mut app, store, &ctx.config.sync.url);
    app.latest_backup = crate::io::backup::latest(&ctx.backup_dir(), &ctx.db_path, &|b| {
        crate::storage::io::same_book(&ctx.db_path, b)
    });
    app.tell(&store.take_notices());
    app.poll_health(store);
    match (ctx.config.value.to_domain(), ctx.config.value.currency()) {
        (Ok(v), Ok(c)) => app.insights.configure(v, c),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    }
    app.offer_draft(store);
    app.backup_notice = autobackup::spawn(ctx, store);
    let result = crate::tui::run(&mut app, store, ctx.clock, ctx.log_path.clone());
    // Quitting at once does not cut the day's backup short (and the WAL
    // is emptied once it is done).
    store.finish_held_work();
    let _ = store.checkpoint();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::logfile::append(&ctx.log_path, &format!("terminal error: {e}"));
            fail(e)
        }
    }
}

/// The most customers `demo` makes: twice the million-customer book the
/// benchmark measures (a million takes minutes and gigabytes).
const MAX_DEMO: usize = 2_000_000;

/// SQLite's first findings on a damaged book, one per line (there may be
/// hundreds).
fn first_findings(problems: &[String]) -> String {
    problems
        .iter()
        .take(5)
        .map(|l| format!("\n  {}", crate::domain::text::clean(l)))
        .collect()
}

/// A write refused because the book failed its check: what, its first
/// findings, and what to do.
pub(crate) fn damaged_message(ctx: &Context, problems: &[String]) -> String {
    format!(
        "{}{}\n{}",
        tf(ctx.lang, "safety.refused_damaged", &[("path", &ctx.db_path.display())]),
        first_findings(problems),
        t(ctx.lang, "io.check_advice")
    )
}

/// Why a command's arguments are refused whatever the book holds: a demo of
/// no customers or of too many, an agenda of more than a year.
fn refused(ctx: &Context, command: &Option<Command>) -> Option<String> {
    let lang = ctx.lang;
    match command {
        Some(Command::Demo { customers: n, .. }) if !(1..=MAX_DEMO).contains(n) => {
            Some(tf(lang, "safety.demo_count", &[("n", n), ("max", &MAX_DEMO)]))
        }
        Some(Command::Agenda { days, .. }) if *days > agenda::MAX_DAYS => Some(tf(
            lang,
            "safety.agenda_days",
            &[("n", days), ("max", &agenda::MAX_DAYS)],
        )),
        // A folder or a device is no book, whatever the command.
        _ if ctx.db_path.exists() && !ctx.db_path.is_file() => {
            Some(tf(lang, "safety.not_a_file", &[("path", &ctx.db_path.display())]))
        }
        // A mistyped --db would otherwise make a new, empty book and
        // answer from it ("nothing due"): only what adds customers (and the
        // app itself, which offers the demo) may start a book.
        Some(c) if !c.may_create_book() && !ctx.db_path.exists() => {
            Some(tf(lang, "safety.no_book", &[("path", &ctx.db_path.display())]))
        }
        _ => None,
    }
}

fn demo(ctx: &Context, store: &mut Store, n: usize, seed: u64, force: bool) -> ExitCode {
    let existing = match store.customer_count() {
        Ok(n) => n,
        Err(e) => return fail(storage_message(ctx.lang, &e, &ctx.db_path)),
    };
    if existing > 0 && !force {
        crate::stderr::warnln!(
            "{}",
            tf(
                ctx.lang,
                "cli.demo_refused",
                &[("n", &existing), ("path", &ctx.db_path.display())]
            )
        );
        return ExitCode::from(1);
    }
    if let Err(e) = autobackup::before_write(ctx, store) {
        return fail(e);
    }
    match crate::demo::generate(store, n, seed, ctx.clock.now()) {
        Ok(n) => {
            let _ = store.checkpoint();
            println!(
                "{}",
                tf(
                    ctx.lang,
                    "cli.demo_done",
                    &[("n", &n), ("path", &ctx.db_path.display())]
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(storage_message(ctx.lang, &e, &ctx.db_path)),
    }
}
