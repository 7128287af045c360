//! `rapport export --format csv|json|vcf|ics [-o FILE]`: the customer list
//! for Excel, everything as JSON, contacts for a phone, the agenda for a
//! calendar. To a file (written whole or not at all, mode 0600) or to
//! standard output.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Context, fail, print, storage_message};
use crate::domain::complaint::zone::Zone;
use crate::i18n::{t, tf};
use crate::io::{Format, csvout, file, ics, vcard, xlsxout};
use crate::storage::Store;
use crate::storage::io::TransferError;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// csv (customers, for Excel), xlsx (customers, an Excel workbook), json (everything, imports back), vcf (contacts), ics (agenda for a calendar).
    #[arg(long, value_name = "csv|xlsx|json|vcf|ics")]
    pub format: Option<String>,
    /// Write to FILE (default: standard output); the format can come from its extension.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Context, store: &Store, args: ExportArgs) -> ExitCode {
    let lang = ctx.lang;
    if let Some(refused) = refuse_book(ctx, args.output.as_ref()) {
        return refused;
    }
    let format = match (&args.format, &args.output) {
        (Some(f), _) => match Format::parse(f) {
            Some(f) => f,
            None => return fail(tf(lang, "io.err.format", &[("name", f)])),
        },
        (None, Some(o)) => match Format::of(o) {
            Some(f) => f,
            None => return fail(t(lang, "io.err.format_needed")),
        },
        (None, None) => return fail(t(lang, "io.err.format_needed")),
    };
    let now = ctx.clock.now();
    let storage = |e| fail(storage_message(lang, &e, &ctx.db_path));
    // Everything but JSON is built in memory first: nothing is written
    // unless it is complete.
    let (bytes, count): (Vec<u8>, usize) = match format {
        Format::Csv | Format::VCard | Format::Xlsx => {
            let list = match store.export_customers() {
                Ok(l) => l,
                Err(e) => return storage(e),
            };
            let n = list.len();
            let bytes = if format == Format::Csv {
                csvout::customers(lang, &list)
            } else if format == Format::Xlsx {
                if args.output.is_none() && std::io::stdout().is_terminal() {
                    return fail(t(lang, "tools.err.xlsx_terminal"));
                }
                match xlsxout::customers(lang, &list) {
                    Ok(b) => b,
                    Err(e) => return fail(tf(lang, "tools.err.workbook", &[("error", &e)])),
                }
            } else {
                let customers: Vec<_> = list.into_iter().map(|e| e.customer).collect();
                vcard::cards(&customers).into_bytes()
            };
            (bytes, n)
        }
        Format::Ics => {
            let feed = match store.agenda_feed() {
                Ok(f) => f,
                Err(e) => return storage(e),
            };
            let utc = Zone::Local.to_utc(now);
            (ics::calendar(lang, &feed, utc).into_bytes(), feed.entries.len())
        }
        Format::Json => return json(ctx, store, &args),
    };
    write(ctx, &args, bytes, count)
}

fn write(ctx: &Context, args: &ExportArgs, bytes: Vec<u8>, count: usize) -> ExitCode {
    write_out(ctx, args.output.as_ref(), bytes, count)
}

/// Writes `bytes` to `output`: a regular file whole or not at all (mode
/// 0600); a device, a pipe, `-` or no output as a stream; says how many
/// records went to a file.
pub(crate) fn write_out(ctx: &Context, output: Option<&PathBuf>, bytes: Vec<u8>, count: usize) -> ExitCode {
    if let Some(refused) = refuse_book(ctx, output) {
        return refused;
    }
    let target = output.map_or(file::Target::Stdout, |p| file::Target::of(p));
    let shown = output.map(|p| p.display().to_string()).unwrap_or_else(|| "-".into());
    match file::write_to(&target, |w| w.write_all(&bytes)) {
        Ok(()) => {
            if !target.is_stdout() {
                print(&tf(ctx.lang, "io.exported", &[("n", &count), ("path", &shown)]));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(tf(ctx.lang, "io.err.write", &[("path", &shown), ("error", &e)])),
    }
}

/// The book's own files: the book, its WAL, shared memory and rollback
/// journal, its lock file and its search index.
fn book_files(db: &Path) -> Vec<PathBuf> {
    let with = |suffix: &str| {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    vec![
        db.to_path_buf(),
        with("-wal"),
        with("-shm"),
        with("-journal"),
        crate::storage::lock::path_for(db),
        crate::search::cache::path_for(db),
    ]
}

/// Where `path` is once its links are followed and its folder is made
/// absolute (`None` when its folder does not exist).
fn place(path: &Path) -> Option<PathBuf> {
    let p = file::through_links(path);
    let name = p.file_name()?.to_owned();
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// Whether `a` and `b` are one file: existing ones by device and inode
/// (whatever path, link or hard link names them), others by the place
/// they name.
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
        #[cfg(not(unix))]
        let _ = (x, y);
    }
    matches!((place(a), place(b)), (Some(x), Some(y)) if x == y)
}

/// The book's file that `output` would overwrite, if any.
pub(crate) fn book_file_at(db: &Path, output: &Path) -> Option<PathBuf> {
    book_files(db).into_iter().find(|f| same_file(f, output))
}

/// Refuses an output that is the book or one of its own files: the export
/// would replace the customer data with itself as text.
fn refuse_book(ctx: &Context, output: Option<&PathBuf>) -> Option<ExitCode> {
    let out = output?;
    let hit = book_file_at(&ctx.db_path, out)?;
    Some(fail(tf(
        ctx.lang,
        "io.err.output_is_book",
        &[("path", &out.display()), ("book", &hit.display())],
    )))
}

fn json(ctx: &Context, store: &Store, args: &ExportArgs) -> ExitCode {
    let at = crate::storage::timestamp(ctx.clock.now());
    let mut failed: Option<TransferError> = None;
    let mut fill = |w: &mut dyn Write| match store.dump_json(w, &at) {
        Ok(()) => Ok(()),
        Err(TransferError::File(e)) => Err(e),
        Err(other) => {
            failed = Some(other);
            Err(std::io::Error::other("database"))
        }
    };
    let target = args.output.as_deref().map_or(file::Target::Stdout, file::Target::of);
    let result = file::write_to(&target, &mut fill);
    if let Some(e) = failed {
        return fail(crate::app::import::transfer_message(
            ctx.lang,
            &e,
            &ctx.db_path,
            &ctx.db_path,
        ));
    }
    match (result, &args.output) {
        (Ok(()), Some(path)) if !target.is_stdout() => {
            let n = store.customer_count().unwrap_or(0);
            print(&tf(ctx.lang, "io.exported", &[("n", &n), ("path", &path.display())]));
            ExitCode::SUCCESS
        }
        (Ok(()), _) => ExitCode::SUCCESS,
        (Err(e), path) => {
            let shown = path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "-".into());
            fail(tf(ctx.lang, "io.err.write", &[("path", &shown), ("error", &e)]))
        }
    }
}
