//! `rapport import FILE`: CSV (Excel, Google Contacts, Outlook), vCard, or
//! a Rapport JSON export. Reports what it read, imports the good rows in
//! one transaction, writes the rejected ones with line numbers and reasons
//! next to the input, and never adds a duplicate without being told to.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Context, fail, print, storage_message};
pub use crate::app::import::transfer_message;
use crate::domain::text;
use crate::i18n::{Lang, t, tf};
use crate::io::convert::{self, Defaults};
use crate::io::load::{Loaded, load_sheet, then_say};
use crate::io::plan::{Decision, DupPolicy, Duplicate, Plan, Summary, Twin};
use crate::io::{decode, rejects_path};
use crate::storage::Store;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file: .csv, .tsv or .txt (Excel, Google Contacts, Outlook), a workbook (.xlsx, .xls, .ods), .vcf, or .json (a Rapport export).
    pub file: PathBuf,
    /// The sheet of a workbook to read, by name or number (default: the first that is not empty).
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
    /// Read and check everything, report what would happen, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Text encoding: utf-8, gb18030 (also gbk, gb2312), utf-16, windows-1252 ... (default: detected).
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Duplicates (same phone, or same name and company): skip, merge into the existing customer, or ask.
    #[arg(long, value_name = "skip|merge|ask", default_value = "skip")]
    pub duplicates: String,
    /// Change what a column holds: COLUMN=FIELD, the column by number or header (e.g. 3=phone, Kunde=name).
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// The status of imported customers whose row has none (default: potential).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// The grade of imported customers whose row has none (default: C).
    #[arg(long, value_name = "A|B|C|D")]
    pub grade: Option<String>,
    /// Follow the imported customers up as new ones (a first contact within
    /// the new-customer days); by default they follow their grade's cadence
    /// from today.
    #[arg(long)]
    pub as_new: bool,
}

/// The import's defaults from the command line.
fn defaults(lang: Lang, args: &ImportArgs) -> Result<Defaults, String> {
    let mut d = Defaults {
        as_new: args.as_new,
        ..Defaults::default()
    };
    if let Some(s) = &args.status {
        d.status = convert::status(s).ok_or_else(|| tf(lang, "io.err.default_status", &[("value", s)]))?;
    }
    if let Some(g) = &args.grade {
        d.grade = convert::grade(g).ok_or_else(|| tf(lang, "io.err.default_grade", &[("value", g)]))?;
    }
    Ok(d)
}

/// The sentence that ends every refusal.
const NOTHING: &str = "io.nothing_imported";

pub fn run(ctx: &Context, store: &mut Store, args: ImportArgs) -> ExitCode {
    let lang = ctx.lang;
    let encoding = match args.encoding.as_deref().map(|e| (e, decode::by_label(e))) {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((e, None)) => return fail(tf(lang, "io.err.encoding", &[("name", &e)])),
    };
    let Some(policy) = DupPolicy::parse(&args.duplicates) else {
        return fail(tf(lang, "io.err.policy", &[("name", &args.duplicates)]));
    };
    let defaults = match defaults(lang, &args) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let path = &args.file;
    let shown = path.display();
    let mut loaded = match load_sheet(path, encoding, args.sheet.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            return fail(format!("{shown}: {}", then_say(lang, &e.message(lang), NOTHING)));
        }
    };
    if let Loaded::Json { bytes } = &loaded {
        return json(ctx, store, path, bytes, args.dry_run);
    }
    if let Loaded::Csv { table, mapping, .. } = &mut loaded
        && let Err(e) = mapping.apply_specs(&table.header, &args.map)
    {
        return fail(format!("--map {e}"));
    }
    describe(lang, &loaded);
    if let Some(why) = loaded.missing_name(lang) {
        return fail(format!("{shown}: {}", then_say(lang, &why, NOTHING)));
    }
    let now = ctx.clock.now();
    let known = match store.known_customers() {
        Ok(k) => k,
        Err(e) => return fail(storage_message(lang, &e, &ctx.db_path)),
    };
    let mut plan = Plan::new(loaded.convert(now), &known, policy);
    plan.apply_defaults(&defaults);
    if policy == DupPolicy::Ask && !args.dry_run && plan.undecided().is_some() {
        if !std::io::stdin().is_terminal() {
            return fail(t(lang, "io.err.ask_needs_terminal"));
        }
        ask(lang, store, &mut plan);
    }
    for u in crate::io::update::updates(&plan, |id| store.customer(id).ok()) {
        print(&u.text(lang));
    }
    for r in plan.rejects.iter().take(20) {
        print(&tf(
            lang,
            "io.reject_line",
            &[("line", &r.line), ("reason", &r.problem.message(lang))],
        ));
    }
    if plan.rejects.len() > 20 {
        print(&tf(lang, "io.more_rejects", &[("n", &(plan.rejects.len() - 20))]));
    }
    let mut s = plan.summary();
    if args.dry_run {
        print(&s.text(lang, "io.summary_dry"));
        // The status the import itself would end with.
        return outcome(lang, path, &s);
    }
    let rejects = std::mem::take(&mut plan.rejects);
    let since = plan.known_max;
    let (new, merges) = plan.resolve();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let reason = crate::domain::app_note::AppNote::Imported(text::clean(&file_name).into_owned()).encode();
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    let mut bar = Progress::new();
    let written = store.import_customers(&new, &merges, since, &reason, now, &mut |done, total| {
        bar.show(done, total);
        true
    });
    bar.finish();
    // The process ends in a moment: handing a hundred thousand records back
    // to the allocator one by one would only add to the wait.
    let header = loaded.reject_header(lang);
    let facts = loaded.company_facts();
    std::mem::forget((new, merges, loaded));
    match written {
        Ok(w) => {
            if w.is_some()
                && !facts.is_empty()
                && let Err(e) = store.set_company_facts(&facts, now)
            {
                crate::stderr::warnln!("rapport: {}", storage_message(lang, &e, &ctx.db_path));
            }
            let _ = store.checkpoint();
            if let Some(w) = w.filter(|w| w.late > 0) {
                // Added meanwhile by another import: counted as skipped.
                s.imported -= w.late;
                s.skipped += w.late;
                print(&tf(lang, "safety.import_late", &[("n", &w.late)]));
            }
        }
        Err(e) => {
            return fail(then_say(lang, &storage_message(lang, &e, &ctx.db_path), NOTHING));
        }
    }
    print(&s.text(lang, "io.summary"));
    if rejects.is_empty() {
        return outcome(lang, path, &s);
    }
    let out = rejects_path(path);
    let bytes = crate::io::reject::rejects_csv(lang, &header, &rejects);
    match crate::io::file::write_bytes(&out, &bytes) {
        Ok(()) => print(&tf(lang, "io.rejects_written", &[("path", &out.display())])),
        Err(e) => crate::stderr::warnln!(
            "{}",
            tf(lang, "io.err.rejects_file", &[("path", &out.display()), ("error", &e)])
        ),
    }
    outcome(lang, path, &s)
}

/// What `rapport import` promises: 0 when every row was imported (or was
/// a duplicate, merged or skipped as asked), 1 when some rows were
/// rejected, 2 when nothing was imported: no rows, or every row rejected.
/// A dry run ends the same way.
fn outcome(lang: Lang, path: &Path, s: &Summary) -> ExitCode {
    if s.read == 0 {
        let why = t(lang, "io.err.no_rows");
        return fail(format!("{}: {}", path.display(), then_say(lang, why, NOTHING)));
    }
    match s.rejected {
        0 => ExitCode::SUCCESS,
        r if r == s.read => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

/// What was detected: encoding, separator, rows, and the mapping.
fn describe(lang: Lang, loaded: &Loaded) {
    let said = loaded.detected(lang);
    if !said.is_empty() {
        print(&said);
    }
    if let Loaded::Csv { table, mapping, .. } = loaded {
        for (i, (h, f)) in table.header.iter().zip(&mapping.columns).enumerate() {
            print(&format!("  {:>2} {} → {}", i + 1, text::clean(h), t(lang, f.key())));
        }
    }
}

/// Asks about each duplicate on the terminal.
fn ask(lang: Lang, store: &Store, plan: &mut Plan) {
    let stdin = std::io::stdin();
    while let Some(i) = plan.undecided() {
        let d = &plan.duplicates[i];
        let other = match d.twin {
            Twin::Existing(id) => store.customer(id).ok(),
            Twin::Earlier(j) => plan.fresh.get(j).map(|f| f.customer.clone()),
        };
        crate::stderr::warnln!("{}", question(lang, d, other.as_ref()));
        crate::stderr::warn_on!("{} ", t(lang, "io.ask_choices"));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if stdin.lock().read_line(&mut answer).unwrap_or(0) == 0 {
            // End of input: the rest are skipped, never doubled.
            plan.decide_rest(Decision::Skip);
            break;
        }
        match answer.trim() {
            "m" => plan.duplicates[i].decision = Decision::Merge,
            "k" => plan.duplicates[i].decision = Decision::Keep,
            "S" => plan.decide_rest(Decision::Skip),
            "M" => plan.decide_rest(Decision::Merge),
            "s" | "" => plan.duplicates[i].decision = Decision::Skip,
            _ => {}
        }
    }
}

pub(crate) fn who(c: &crate::domain::customer::Customer) -> String {
    let mut parts = vec![text::clean(&c.name).into_owned()];
    if !c.company.is_empty() {
        parts.push(text::clean(&c.company).into_owned());
    }
    if let Some(p) = c.phones.first() {
        parts.push(text::clean(p).into_owned());
    }
    parts.join(" · ")
}

/// "line 7: 张伟 · 华强 looks like 张伟 · 华强 · 138… (same phone)".
pub fn question(lang: Lang, d: &Duplicate, other: Option<&crate::domain::customer::Customer>) -> String {
    let because = t(lang, d.because.key());
    tf(
        lang,
        "io.ask",
        &[
            ("line", &d.incoming.line),
            ("new", &who(&d.incoming.customer)),
            ("old", &other.map(who).unwrap_or_default()),
            ("because", &because),
        ],
    )
}

fn json(ctx: &Context, store: &mut Store, path: &Path, bytes: &[u8], dry_run: bool) -> ExitCode {
    let lang = ctx.lang;
    let shown = path.display();
    if dry_run {
        return match crate::io::dump::count(bytes) {
            Ok((customers, rows)) => {
                print(&tf(lang, "io.json_dry", &[("customers", &customers), ("rows", &rows)]));
                ExitCode::SUCCESS
            }
            Err(e) => fail(tf(lang, "io.err.invalid", &[("path", &shown), ("detail", &e)])),
        };
    }
    if let Err(e) = super::autobackup::before_write(ctx, store) {
        return super::fail(e);
    }
    match store.restore_json(bytes) {
        Ok(r) => {
            let _ = store.checkpoint();
            let rows: usize = r.tables.iter().map(|(_, n)| n).sum();
            print(&tf(
                lang,
                "io.json_done",
                &[("customers", &r.rows("customers")), ("rows", &rows), ("path", &shown)],
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(transfer_message(lang, &e, path, &ctx.db_path)),
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
pub struct Progress {
    on: bool,
    last: usize,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
            last: usize::MAX,
        }
    }

    pub fn show(&mut self, done: usize, total: usize) {
        if !self.on || total == 0 {
            return;
        }
        let pct = done * 100 / total;
        if pct == self.last {
            return;
        }
        self.last = pct;
        let filled = pct * 30 / 100;
        crate::stderr::warn_on!(
            "\r[{}{}] {pct:>3}% {done}/{total}",
            "#".repeat(filled),
            " ".repeat(30 - filled)
        );
        let _ = std::io::stderr().flush();
    }

    pub fn finish(&self) {
        if self.on && self.last != usize::MAX {
            crate::stderr::warnln!();
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}
