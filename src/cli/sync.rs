//! `rapport sync …`: the team server. `init` and `add-rep` are the
//! administrator's (no book needed); the rest work on the rep's book.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Context, fail, print};
use crate::i18n::{Lang, t, tf};
use crate::storage::Store;
use crate::sync::{self, Report, Side, SyncError};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The team server (`postgresql://rep@host/team`); default `[sync] url` in the config.
    /// The password comes from PGPASSWORD or ~/.pgpass.
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Create or upgrade the team schema, roles and row-level security on the server (administrator).
    Init,
    /// Add a rep (or, with --manager, a manager who reads every rep's customers) as a database role (administrator).
    AddRep {
        /// The rep's database user name.
        name: String,
        /// A manager: reads every rep's customers.
        #[arg(long)]
        manager: bool,
    },
    /// Fill an empty book with your customers from the server.
    Join,
    /// Changes waiting to be sent, the last sync, open conflicts, the server.
    Status {
        /// Print JSON: {pending, last_sync, conflicts, server}.
        #[arg(long)]
        json: bool,
    },
    /// Fields changed differently here and on the server, waiting for your choice.
    Conflicts {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict: keep your value (--mine) or the server's (--theirs).
    Resolve {
        /// The conflict's id (as `rapport sync conflicts` shows it).
        id: i64,
        #[arg(long, conflicts_with = "theirs", required_unless_present = "theirs")]
        mine: bool,
        #[arg(long)]
        theirs: bool,
    },
    /// Let another rep read and write one of your customers.
    Share {
        /// The customer's id in this book.
        id: i64,
        /// The rep's database user name.
        #[arg(long = "with", value_name = "REP")]
        with: String,
    },
    /// Give one customer (ID) or a whole rep's book (--from REP) to another rep (manager).
    Transfer {
        /// The customer's id in this book.
        id: Option<i64>,
        /// Every customer of this rep.
        #[arg(long, value_name = "REP", required_unless_present = "id")]
        from: Option<String>,
        /// The rep who takes them.
        #[arg(long, value_name = "REP")]
        to: String,
    },
}

impl SyncArgs {
    /// Commands that speak to the server only.
    pub fn without_book(&self) -> bool {
        matches!(self.command, Some(SyncCommand::Init | SyncCommand::AddRep { .. }))
    }
}

fn url(ctx: &Context, args: &SyncArgs, store: Option<&Store>) -> Result<String, SyncError> {
    if let Some(u) = args.server.clone().filter(|u| !u.is_empty()) {
        return Ok(u);
    }
    if !ctx.config.sync.url.is_empty() {
        return Ok(ctx.config.sync.url.clone());
    }
    store
        .and_then(|s| s.sync_state().ok())
        .and_then(|s| s.server)
        .ok_or(SyncError::NoServer)
}

pub fn message(lang: Lang, e: &SyncError) -> String {
    e.text(lang)
}

fn failed(lang: Lang, e: &SyncError) -> ExitCode {
    fail(message(lang, e))
}

/// `init` and `add-rep`.
pub fn run_without_book(ctx: &Context, args: &SyncArgs) -> ExitCode {
    let lang = ctx.lang;
    let result = url(ctx, args, None)
        .and_then(|u| sync::connect(&u))
        .and_then(|mut client| match &args.command {
            Some(SyncCommand::Init) => {
                let (from, to) = sync::server::init(&mut client)?;
                Ok(match (from, to) {
                    (0, v) => tf(lang, "sync.init.created", &[("version", &v)]),
                    (f, v) if f < v => tf(lang, "sync.init.upgraded", &[("from", &f), ("version", &v)]),
                    (_, v) => tf(lang, "sync.init.current", &[("version", &v)]),
                })
            }
            Some(SyncCommand::AddRep { name, manager }) => {
                let created = sync::team::add_rep(&mut client, name, *manager)?;
                let key = if created { "sync.rep.added" } else { "sync.rep.updated" };
                Ok(tf(lang, key, &[("name", name)]))
            }
            _ => Ok(String::new()),
        });
    match result {
        Ok(text) => {
            print(&text);
            ExitCode::SUCCESS
        }
        Err(e) => failed(lang, &e),
    }
}

pub fn report_text(lang: Lang, r: &Report) -> String {
    let mut out = tf(
        lang,
        "sync.report",
        &[
            ("pushed", &r.pushed),
            ("pulled", &r.pulled),
            ("conflicts", &r.conflicts),
        ],
    );
    for k in &r.kept {
        let who = k.name.clone().unwrap_or_else(|| format!("{} {}", k.table, k.gid));
        out.push('\n');
        out.push_str(&tf(lang, "sync.kept", &[("name", &crate::domain::text::clean(&who))]));
    }
    if r.refused > 0 {
        out.push('\n');
        out.push_str(&tf(lang, "sync.refused", &[("count", &r.refused)]));
    }
    if r.unplaced + r.unknown > 0 {
        out.push('\n');
        out.push_str(&tf(lang, "sync.unplaced", &[("count", &(r.unplaced + r.unknown))]));
    }
    out
}

#[derive(Serialize)]
struct ConflictOut {
    id: i64,
    table: String,
    row: String,
    field: String,
    base: serde_json::Value,
    mine: serde_json::Value,
    theirs: serde_json::Value,
    found_at: String,
}

pub fn run(ctx: &Context, store: &mut Store, args: &SyncArgs) -> ExitCode {
    let lang = ctx.lang;
    let now = crate::storage::timestamp(ctx.clock.now());
    let result: Result<String, SyncError> = (|| match &args.command {
        None => {
            let u = url(ctx, args, Some(store))?;
            Ok(report_text(lang, &sync::sync(store, &u, &now)?))
        }
        Some(SyncCommand::Join) => {
            let u = url(ctx, args, Some(store))?;
            Ok(report_text(lang, &sync::join(store, &u, &now)?))
        }
        Some(SyncCommand::Status { json }) => {
            let s = sync::status(store)?;
            if *json {
                return Ok(serde_json::to_string_pretty(&s).unwrap_or_default());
            }
            let never = t(lang, "sync.never");
            let none = t(lang, "sync.no_server");
            Ok(tf(
                lang,
                "sync.status",
                &[
                    ("pending", &s.pending),
                    ("last_sync", &s.last_sync.as_deref().unwrap_or(never)),
                    ("conflicts", &s.conflicts),
                    ("server", &s.server.as_deref().unwrap_or(none)),
                ],
            ))
        }
        Some(SyncCommand::Conflicts { json }) => {
            let parse = |s: &str| serde_json::from_str(s).unwrap_or(serde_json::Value::Null);
            let list: Vec<ConflictOut> = store
                .sync_conflicts()?
                .into_iter()
                .map(|c| ConflictOut {
                    id: c.id,
                    table: c.table,
                    row: c.gid,
                    field: c.field,
                    base: parse(&c.base),
                    mine: parse(&c.mine),
                    theirs: parse(&c.theirs),
                    found_at: c.found_at,
                })
                .collect();
            if *json {
                return Ok(serde_json::to_string_pretty(&list).unwrap_or_default());
            }
            if list.is_empty() {
                return Ok(t(lang, "sync.no_conflicts").to_string());
            }
            let show = |v: &serde_json::Value| match v {
                serde_json::Value::String(s) => crate::domain::text::clean(s).into_owned(),
                other => other.to_string(),
            };
            Ok(list
                .iter()
                .map(|c| {
                    tf(
                        lang,
                        "sync.conflict_line",
                        &[
                            ("id", &c.id),
                            ("table", &c.table),
                            ("field", &c.field),
                            ("mine", &show(&c.mine)),
                            ("theirs", &show(&c.theirs)),
                        ],
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        Some(SyncCommand::Resolve { id, mine, .. }) => {
            let side = if *mine { Side::Mine } else { Side::Theirs };
            sync::resolve(store, *id, side, &now)?;
            let key = if *mine {
                "sync.resolved_mine"
            } else {
                "sync.resolved_theirs"
            };
            Ok(tf(lang, key, &[("id", id)]))
        }
        Some(SyncCommand::Share { id, with }) => {
            let mut client = sync::connect(&url(ctx, args, Some(store))?)?;
            sync::team::share(store, &mut client, *id, with)?;
            Ok(tf(lang, "sync.shared", &[("id", id), ("rep", with)]))
        }
        Some(SyncCommand::Transfer { id, from, to }) => {
            let mut client = sync::connect(&url(ctx, args, Some(store))?)?;
            let n = sync::team::transfer(store, &mut client, *id, from.as_deref(), to)?;
            Ok(tf(lang, "sync.transferred", &[("count", &n), ("rep", to)]))
        }
        Some(SyncCommand::Init | SyncCommand::AddRep { .. }) => Ok(String::new()),
    })();
    match result {
        Ok(text) => {
            print(&text);
            ExitCode::SUCCESS
        }
        Err(e) => failed(lang, &e),
    }
}
