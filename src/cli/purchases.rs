//! `rapport purchases add|list|import|export|delete`: purchases from the
//! shell. The import reads order exports through the same machinery as the
//! customer import (encoding detection, separator, `--map`, `--dry-run`,
//! rejects with line and reason in `<name>.rejects.csv`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{Context, fail, print, storage_message};
use crate::domain::dates::parse_date_entry;
use crate::domain::text::clean;
use crate::domain::value::{Currency, Purchase, format_amount, format_units, parse_amount};
use crate::i18n::{Lang, t, tf};
use crate::io::load::{Loaded, load, then_say};
use crate::io::purchase_fields::PurchaseMapping;
use crate::io::purchases::{Resolver, convert, purchases_csv, quantity};
use crate::io::{decode, rejects_path};
use crate::storage::Store;

#[derive(Debug, clap::Subcommand)]
pub enum PurchasesCommand {
    /// Record a purchase for customer ID.
    Add {
        /// The customer's id (see `rapport find`).
        id: i64,
        /// The purchase date: 2026-03-04, yesterday, 3天前 ... (not in the future).
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The amount: 1,234.50, ¥1234.5 or 1234.50元.
        // `--amount -5` reaches the amount's own check, which says why in
        // the user's language.
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        amount: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        product: String,
        /// Quantity (a whole number; default 1).
        #[arg(long, value_name = "N", default_value = "1")]
        qty: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// List purchases, oldest first (all, or one customer's).
    List {
        #[arg(long, value_name = "ID")]
        customer: Option<i64>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import an order export (CSV or TSV): each row finds its customer by id, phone, or exact name (+ company).
    Import(PurchaseImportArgs),
    /// Export purchases as CSV for Excel (UTF-8 with BOM), or as an Excel workbook.
    Export {
        /// Write to FILE (default: standard output); a .xlsx name writes a workbook.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// csv (default) or xlsx (a workbook; needs -o FILE).
        #[arg(long, value_name = "csv|xlsx")]
        format: Option<String>,
    },
    /// Delete a purchase by its id.
    Delete { id: i64 },
}

#[derive(Debug, clap::Args)]
pub struct PurchaseImportArgs {
    /// The file: .csv, .tsv or .txt, or a workbook (.xlsx, .xls, .ods: its first sheet with rows).
    pub file: PathBuf,
    /// Read and check everything, report what would happen, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Text encoding: utf-8, gb18030 (also gbk), utf-16, windows-1252 ... (default: detected).
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Change what a column holds: COLUMN=FIELD (customer_id, name, company, phone, date, product, quantity, amount, note, ignore).
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
}

#[derive(Serialize)]
struct Out {
    id: i64,
    customer_id: i64,
    customer: String,
    date: String,
    product: String,
    quantity: i64,
    amount: Box<serde_json::value::RawValue>,
    note: String,
}

/// An amount in currency units as a JSON number with all its decimals (`1234.50`).
pub(crate) fn json_amount(minor: i64, cur: Currency) -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string(format_units(minor, cur)).unwrap_or_else(|_| Default::default())
}

pub fn run(ctx: &Context, store: &mut Store, cmd: PurchasesCommand) -> ExitCode {
    let lang = ctx.lang;
    let cur = match ctx.config.value.currency() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let storage = |e| fail(storage_message(lang, &e, &ctx.db_path));
    let today = ctx.clock.now().date();
    match cmd {
        PurchasesCommand::Add {
            id,
            date,
            amount,
            product,
            qty,
            note,
        } => {
            let date = match parse_date_entry(&date, today) {
                Ok(d) if d > today => return fail(tf(lang, "purchase.reject.future", &[("value", &date)])),
                Ok(d) => d,
                Err(e) => return fail(e.message(lang.is_zh())),
            };
            let amount_minor = match parse_amount(&amount, cur) {
                Ok(a) => a,
                Err(e) => return fail(format!("--amount {}: {}", clean(&amount), t(lang, e.key()))),
            };
            let quantity = match quantity(&qty) {
                Ok(q) => q,
                Err(p) => return fail(p.message(lang)),
            };
            let p = Purchase {
                id: 0,
                customer_id: id,
                date,
                product,
                quantity,
                amount: amount_minor,
                note,
            };
            if let Err(e) = super::autobackup::before_write(ctx, store) {
                return fail(e);
            }
            match store.add_purchase(&p) {
                Ok(pid) => {
                    print(&tf(
                        lang,
                        "purchase.added",
                        &[
                            ("id", &pid),
                            ("amount", &format_amount(p.amount, cur)),
                            ("date", &p.date),
                        ],
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => storage(e),
            }
        }
        PurchasesCommand::List { customer, json } => {
            let names = match names(store) {
                Ok(n) => n,
                Err(e) => return storage(e),
            };
            let mut list = Vec::new();
            if let Err(e) = store.for_each_purchase(customer, |p| list.push(p)) {
                return storage(e);
            }
            if json {
                let out: Vec<Out> = list
                    .iter()
                    .map(|p| Out {
                        id: p.id,
                        customer_id: p.customer_id,
                        customer: clean(names.get(&p.customer_id).map(|n| n.0.as_str()).unwrap_or("")).into_owned(),
                        date: p.date.to_string(),
                        product: clean(&p.product).into_owned(),
                        quantity: p.quantity,
                        amount: json_amount(p.amount, cur),
                        note: clean(&p.note).into_owned(),
                    })
                    .collect();
                print(&serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                for p in &list {
                    let who = names.get(&p.customer_id).map(|n| n.0.as_str()).unwrap_or("");
                    print(&format!(
                        "{:>6}  {}  {:>14}  {} × {}  {}{}",
                        p.id,
                        p.date,
                        format_amount(p.amount, cur),
                        p.quantity,
                        clean(&p.product),
                        clean(who),
                        if p.note.is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", clean(&p.note))
                        }
                    ));
                }
                let total: i64 = list.iter().map(|p| p.amount).sum();
                print(&tf(
                    lang,
                    "purchase.list_total",
                    &[("n", &list.len()), ("amount", &format_amount(total, cur))],
                ));
            }
            ExitCode::SUCCESS
        }
        PurchasesCommand::Import(args) => import(ctx, store, args, cur),
        PurchasesCommand::Export { output, format } => {
            let xlsx = match format.as_deref() {
                None => output
                    .as_ref()
                    .and_then(|p| p.extension())
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")),
                Some(f) if f.eq_ignore_ascii_case("xlsx") => true,
                Some(f) if f.eq_ignore_ascii_case("csv") => false,
                Some(f) => return fail(tf(lang, "purchase.err.format", &[("format", &f)])),
            };
            if xlsx && output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                return fail(t(lang, "tools.err.xlsx_terminal"));
            }
            let names = match names(store) {
                Ok(n) => n,
                Err(e) => return storage(e),
            };
            let mut list = Vec::new();
            if let Err(e) = store.for_each_purchase(None, |p| list.push(p)) {
                return storage(e);
            }
            let bytes = if xlsx {
                match crate::io::xlsxout::purchases(lang, cur, &list, &names) {
                    Ok(b) => b,
                    Err(e) => return fail(e.to_string()),
                }
            } else {
                purchases_csv(lang, cur, &list, &names)
            };
            super::export::write_out(ctx, output.as_ref(), bytes, list.len())
        }
        PurchasesCommand::Delete { id } => {
            if let Err(e) = super::autobackup::before_write(ctx, store) {
                return fail(e);
            }
            match store.delete_purchase(id) {
                Ok(()) => {
                    print(&tf(lang, "purchase.deleted", &[("id", &id)]));
                    ExitCode::SUCCESS
                }
                Err(e) => storage(e),
            }
        }
    }
}

/// Every customer's name and company by id.
fn names(store: &Store) -> crate::storage::Result<HashMap<i64, (String, String)>> {
    Ok(store
        .known_customers()?
        .into_iter()
        .map(|k| (k.id, (k.name, k.company)))
        .collect())
}

fn import(ctx: &Context, store: &mut Store, args: PurchaseImportArgs, cur: Currency) -> ExitCode {
    let lang = ctx.lang;
    let encoding = match args.encoding.as_deref().map(|e| (e, decode::by_label(e))) {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((e, None)) => return fail(tf(lang, "io.err.encoding", &[("name", &e)])),
    };
    let path = &args.file;
    let shown = path.display();
    let nothing = |why: &str| then_say(lang, why, "io.nothing_imported");
    // The customer import's reading path: every table format it learns, this reads too.
    let loaded = match load(path, encoding) {
        Ok(l) => l,
        Err(e) => return fail(format!("{shown}: {}", nothing(&e.message(lang)))),
    };
    // Encoding and separator, or which sheet of a workbook was read.
    let detected = loaded.detected(lang);
    let Loaded::Csv { table, .. } = loaded else {
        return fail(format!("{shown}: {}", nothing(t(lang, "purchase.err.not_table"))));
    };
    let mut mapping = PurchaseMapping::detect(&table.header);
    for spec in &args.map {
        if let Err(e) = mapping.set(&table.header, spec) {
            return fail(format!("--map {e}"));
        }
    }
    print(&detected);
    for (i, (h, f)) in table.header.iter().zip(&mapping.columns).enumerate() {
        print(&format!("  {:>2} {} → {}", i + 1, clean(h), t(lang, f.key())));
    }
    if let Some(why) = mapping.missing() {
        return fail(format!("{shown}: {}", nothing(t(lang, why))));
    }
    let known = match store.known_customers() {
        Ok(k) => k,
        Err(e) => return fail(storage_message(lang, &e, &ctx.db_path)),
    };
    let (ok, rejects) = convert(&table, &mapping, &Resolver::new(&known), cur, ctx.clock.now().date());
    report_rejects(lang, &rejects);
    let total: i64 = ok.iter().map(|i| i.purchase.amount).sum();
    let (read, imported, rejected) = (table.rows.len(), ok.len(), rejects.len());
    let summary = |key| {
        tf(
            lang,
            key,
            &[
                ("read", &read),
                ("imported", &imported),
                ("rejected", &rejected),
                ("amount", &format_amount(total, cur)),
            ],
        )
    };
    if args.dry_run {
        print(&summary("purchase.summary_dry"));
        return ExitCode::SUCCESS;
    }
    let purchases: Vec<Purchase> = ok.into_iter().map(|i| i.purchase).collect();
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return fail(e);
    }
    if let Err(e) = store.import_purchases(&purchases) {
        return fail(nothing(&storage_message(lang, &e, &ctx.db_path)));
    }
    let _ = store.checkpoint();
    print(&summary("purchase.summary"));
    if rejects.is_empty() {
        return ExitCode::SUCCESS;
    }
    let out = rejects_path(path);
    let bytes = crate::io::reject::rejects_csv(lang, &table.header, &rejects);
    match crate::io::file::write_bytes(&out, &bytes) {
        Ok(()) => print(&tf(lang, "io.rejects_written", &[("path", &out.display())])),
        Err(e) => crate::stderr::warnln!(
            "{}",
            tf(lang, "io.err.rejects_file", &[("path", &out.display()), ("error", &e)])
        ),
    }
    ExitCode::from(if purchases.is_empty() { 2 } else { 1 })
}

/// The first twenty rejects with line and reason, then how many more.
pub(crate) fn report_rejects(lang: Lang, rejects: &[crate::io::Reject]) {
    for r in rejects.iter().take(20) {
        print(&tf(
            lang,
            "io.reject_line",
            &[("line", &r.line), ("reason", &r.problem.message(lang))],
        ));
    }
    if rejects.len() > 20 {
        print(&tf(lang, "io.more_rejects", &[("n", &(rejects.len() - 20))]));
    }
}
