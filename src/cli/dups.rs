//! `rapport duplicates`, `rapport merge KEEP_ID OTHER_ID`, `rapport delete ID`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::domain::customer::Customer;
use crate::domain::duplicates::{Field, merged};
use crate::domain::text::person_label;
use crate::i18n::{Lang, t, tf};
use crate::storage::Store;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The customer who stays.
    pub keep: i64,
    /// The customer merged in, then deleted.
    pub other: i64,
    /// Take this field from OTHER_ID instead (name, company, role, wechat,
    /// email, city, birthday, grade, status, relationship, personality,
    /// hobbies, family, notes); repeat for several.
    #[arg(long, value_name = "FIELD")]
    pub take: Vec<String>,
    /// Do not ask.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Serialize)]
struct Side {
    id: i64,
    name: String,
    company: String,
    city: String,
    phone: String,
}

#[derive(Serialize)]
struct PairOut {
    reason: &'static str,
    a: Side,
    b: Side,
}

fn label(c: &Customer) -> String {
    person_label(
        &c.name,
        &c.company,
        &c.city,
        c.phones.first().map_or("", String::as_str),
    )
}

fn side(c: &Customer) -> Side {
    let clean = |s: &str| crate::domain::text::clean(s).into_owned();
    Side {
        id: c.id,
        name: clean(&c.name),
        company: clean(&c.company),
        city: clean(&c.city),
        phone: clean(c.phones.first().map_or("", String::as_str)),
    }
}

pub fn list(ctx: &Context, store: &Store, json: bool) -> ExitCode {
    let lang = ctx.lang;
    let storage = |e| super::fail(super::storage_message(lang, &e, &ctx.db_path));
    let pairs = match store.duplicate_pairs() {
        Ok(p) => p,
        Err(e) => return storage(e),
    };
    let mut out = Vec::new();
    let mut text = String::new();
    for p in pairs {
        let (a, b) = match (store.customer(p.a), store.customer(p.b)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return storage(e),
        };
        let reason = t(lang, p.because.key());
        text.push_str(&format!(
            "{reason}: #{} {}  ⇄  #{} {}\n",
            a.id,
            label(&a),
            b.id,
            label(&b)
        ));
        out.push(PairOut {
            reason: p.because.as_str(),
            a: side(&a),
            b: side(&b),
        });
    }
    if json {
        super::print(&serde_json::to_string_pretty(&out).unwrap_or_else(|_| "[]".into()));
    } else if out.is_empty() {
        super::print(t(lang, "find.no_duplicates"));
    } else {
        super::print(text.trim_end());
    }
    ExitCode::SUCCESS
}

/// Asks on the terminal; `None` when there is no terminal to ask on.
fn ask(lang: Lang, question: &str) -> Option<bool> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    let _ = write!(std::io::stderr(), "{question} {} ", t(lang, "cli.yes_no"));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    let a = answer.trim().to_lowercase();
    Some(matches!(a.as_str(), "y" | "yes" | "是" | "好"))
}

/// Runs `f` after the user agreed (or `--yes`); exit 1 when they did not,
/// 2 when there is no terminal to ask on.
fn confirmed(lang: Lang, yes: bool, question: &str) -> Result<(), ExitCode> {
    if yes {
        return Ok(());
    }
    match ask(lang, question) {
        Some(true) => Ok(()),
        Some(false) => {
            crate::stderr::warnln!("{}", t(lang, "msg.cancelled"));
            Err(ExitCode::from(1))
        }
        None => Err(super::fail(t(lang, "cli.needs_yes"))),
    }
}

pub fn delete(ctx: &Context, store: &mut Store, id: i64, yes: bool) -> ExitCode {
    let lang = ctx.lang;
    let storage = |e| super::fail(super::storage_message(lang, &e, &ctx.db_path));
    let (c, hanging) = match (store.customer(id), store.hanging(id)) {
        (Ok(c), Ok(h)) => (c, h),
        (Err(e), _) | (_, Err(e)) => return storage(e),
    };
    let question = tf(
        lang,
        "find.confirm.delete",
        &[
            ("who", &format!("#{id} {}", label(&c))),
            ("interactions", &hanging.interactions),
            ("complaints", &hanging.complaints),
            ("follow_ups", &hanging.follow_ups),
        ],
    );
    if let Err(code) = confirmed(lang, yes, &question) {
        return code;
    }
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    match store.delete_customer(id) {
        Ok(()) => {
            super::print(&tf(lang, "find.deleted", &[("who", &format!("#{id} {}", label(&c)))]));
            ExitCode::SUCCESS
        }
        Err(e) => storage(e),
    }
}

pub fn merge(ctx: &Context, store: &mut Store, args: &MergeArgs) -> ExitCode {
    let lang = ctx.lang;
    let storage = |e| super::fail(super::storage_message(lang, &e, &ctx.db_path));
    if args.keep == args.other {
        return super::fail(t(lang, "cli.merge_same"));
    }
    let mut take = Vec::new();
    for name in &args.take {
        match Field::ALL
            .into_iter()
            .find(|f| f.key().trim_start_matches("field.") == name.trim())
        {
            Some(f) => take.push(f),
            None => {
                let names: Vec<&str> = Field::ALL
                    .iter()
                    .map(|f| f.key().trim_start_matches("field."))
                    .collect();
                return super::fail(tf(
                    lang,
                    "cli.bad_filter",
                    &[
                        ("flag", &"--take"),
                        ("value", &crate::domain::text::clean(name)),
                        ("allowed", &names.join(", ")),
                    ],
                ));
            }
        }
    }
    let (keep, other) = match (store.customer(args.keep), store.customer(args.other)) {
        (Ok(k), Ok(o)) => (k, o),
        (Err(e), _) | (_, Err(e)) => return storage(e),
    };
    let result = merged(&keep, &other, &take);
    let question = tf(
        lang,
        "find.confirm.merge",
        &[
            ("other", &format!("#{} {}", other.id, label(&other))),
            ("keep", &format!("#{} {}", keep.id, label(&keep))),
        ],
    );
    if let Err(code) = confirmed(lang, args.yes, &question) {
        return code;
    }
    let reason = crate::domain::app_note::AppNote::Merged(format!("#{} {}", other.id, label(&other))).encode();
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    match store.merge_customers(&result, other.id, ctx.clock.now(), &reason) {
        Ok(()) => {
            super::print(&tf(
                lang,
                "find.merged",
                &[("who", &format!("#{} {}", keep.id, label(&result)))],
            ));
            ExitCode::SUCCESS
        }
        Err(e) => storage(e),
    }
}
