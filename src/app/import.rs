//! The import overlay: a file path, then a preview of what was read (the
//! detected mapping, which the user can change, the counts and the first
//! rejects), questions about duplicates when asked for, a progress bar
//! while the rows are written on a worker thread, then the result.

mod keys;
mod worker;

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

pub use super::action::import::Cmd;
use super::binding::Ctx;
use super::input::TextInput;
use super::{Action, App, Overlay};
use crate::domain::customer::{Customer, Grade, Status};
use crate::i18n::{t, tf};
use crate::io::convert::Defaults;
use crate::io::load::{Loaded, load_sheet};
use crate::io::plan::{Decision, DupPolicy, Plan, Summary};
use crate::io::{Source, decode};
use crate::storage::{StorageError, Store};
use Action as A;
use Cmd as C;
pub use keys::KEYS;
use worker::start;
pub use worker::{Job, transfer_message};

/// Encodings offered, `None` meaning "detect".
pub const ENCODINGS: [Option<&str>; 5] = [
    None,
    Some("utf-8"),
    Some("gb18030"),
    Some("utf-16le"),
    Some("windows-1252"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct ImportState {
    pub stage: Stage,
    /// Index into [`ENCODINGS`].
    pub encoding: usize,
    pub policy: DupPolicy,
    /// What rows that are silent get, and whether they count as new.
    pub defaults: Defaults,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    File {
        input: TextInput,
        error: Option<String>,
        /// Files and folders in the typed folder that match.
        matches: Vec<String>,
    },
    Preview(Box<Preview>),
    Ask(Box<Preview>),
    Running {
        job: Job,
        done: usize,
        total: usize,
        summary: Summary,
    },
    Done {
        summary: Summary,
        /// Customers restored from a JSON export.
        restored: Option<usize>,
        rejects: Option<PathBuf>,
        error: Option<String>,
    },
}

/// A file read and checked, not yet written.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub path: PathBuf,
    pub loaded: Loaded,
    pub plan: Plan,
    /// The highlighted column (CSV).
    pub cursor: usize,
    /// The customer the asked-about duplicate is like.
    pub twin: Option<Customer>,
    /// A JSON export: customers and rows it holds.
    pub json: Option<(usize, usize)>,
    /// Customers updated by contacts back from a phone (same UID), with
    /// what changes.
    pub updates: Vec<crate::io::update::Update>,
}

impl ImportState {
    pub fn ctx(&self) -> Ctx {
        match self.stage {
            Stage::File { .. } => Ctx::ImportFile,
            Stage::Preview(_) => Ctx::Import,
            Stage::Ask(_) => Ctx::ImportAsk,
            Stage::Running { .. } => Ctx::ImportRun,
            Stage::Done { .. } => Ctx::ImportDone,
        }
    }

    pub fn type_text(&mut self, s: &str) {
        if let Stage::File { input, matches, .. } = &mut self.stage {
            input.insert_str(s);
            *matches = completions(input.text()).1;
        }
    }

    pub fn encoding(&self) -> Option<&'static Encoding> {
        encoding_at(self.encoding)
    }
}

fn encoding_at(i: usize) -> Option<&'static Encoding> {
    ENCODINGS[i % ENCODINGS.len()].and_then(decode::by_label)
}

/// Opens the overlay on the file field, in the current folder.
pub fn open(app: &mut App) {
    let start = std::env::current_dir()
        .map(|d| format!("{}/", d.display()))
        .unwrap_or_default();
    let matches = completions(&start).1;
    app.overlay = Some(Overlay::Import(Box::new(ImportState {
        stage: Stage::File {
            input: TextInput::new(&start),
            error: None,
            matches,
        },
        encoding: 0,
        policy: DupPolicy::Skip,
        defaults: Defaults::default(),
    })));
}

fn expand(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path.trim()),
    }
}

/// The longest completion of `typed` and the importable files and folders
/// that match it.
pub fn completions(typed: &str) -> (String, Vec<String>) {
    let (dir, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let Ok(entries) = std::fs::read_dir(expand(if dir.is_empty() { "." } else { dir })) else {
        return (typed.to_string(), Vec::new());
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let is_dir = e.file_type().ok()?.is_dir();
            let wanted = is_dir || Source::of(Path::new(&name)).is_some();
            (wanted && name.starts_with(prefix) && !name.starts_with('.'))
                .then(|| if is_dir { format!("{name}/") } else { name })
        })
        .collect();
    names.sort();
    let common = names
        .iter()
        .skip(1)
        .fold(names.first().cloned().unwrap_or_default(), |acc, n| {
            acc.chars()
                .zip(n.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect()
        });
    let completed = if common.len() > prefix.len() {
        format!("{dir}{common}")
    } else {
        typed.to_string()
    };
    (completed, names)
}

pub fn update(app: &mut App, action: Action, store: &mut Store) {
    let Some(Overlay::Import(mut st)) = app.overlay.take() else {
        return;
    };
    let (encoding, policy) = (st.encoding(), st.policy);
    let mut close = false;
    match (&mut st.stage, action) {
        (Stage::File { .. }, A::Back) => close = true,
        (Stage::File { input, error, .. }, A::Submit) => {
            let path = expand(input.text());
            match read(app, store, &path, encoding, policy, None) {
                Ok(p) => st.stage = Stage::Preview(Box::new(p)),
                Err(e) => *error = Some(e),
            }
        }
        (Stage::File { input, matches, .. }, A::Import(C::Complete)) => {
            let (done, list) = completions(input.text());
            *input = TextInput::new(&done);
            *matches = list;
        }
        (Stage::File { error, .. }, A::Import(C::Encoding)) => {
            st.encoding = (st.encoding + 1) % ENCODINGS.len();
            *error = None;
        }
        (Stage::File { input, matches, .. }, edit) => {
            match edit {
                A::Backspace => input.backspace(),
                A::Delete => input.delete(),
                A::Left => input.left(),
                A::Right => input.right(),
                A::Home => input.home(),
                A::End => input.end(),
                A::ClearInput => input.clear(),
                A::DeleteWord => input.delete_word(),
                _ => {}
            }
            *matches = completions(input.text()).1;
        }
        (Stage::Preview(p), A::Back) => {
            let text = p.path.display().to_string();
            st.stage = Stage::File {
                matches: completions(&text).1,
                input: TextInput::new(&text),
                error: None,
            };
        }
        (Stage::Preview(p), A::Up) => p.cursor = p.cursor.saturating_sub(1),
        (Stage::Preview(p), A::Down) => p.cursor = (p.cursor + 1).min(columns(p).saturating_sub(1)),
        (Stage::Preview(p), A::Left | A::Right | A::Import(C::Ignore)) => {
            if let Loaded::Csv { mapping, table, .. } = &mut p.loaded
                && p.cursor < mapping.columns.len()
            {
                // One column per field (phones, tags and notes excepted):
                // a field another column fills is passed over, and said.
                let passed = match action {
                    A::Left => mapping.cycle_column(p.cursor, -1),
                    A::Right => mapping.cycle_column(p.cursor, 1),
                    _ => {
                        mapping.columns[p.cursor] = crate::io::Field::Ignore;
                        Vec::new()
                    }
                };
                if let Some((field, other)) = passed.first() {
                    let header = table.header.get(*other).cloned().unwrap_or_default();
                    app.message = Some((
                        tf(
                            app.lang,
                            "io.preview.field_taken",
                            &[
                                ("field", &t(app.lang, field.key())),
                                ("n", &(other + 1)),
                                ("column", &crate::domain::text::clean(&header)),
                            ],
                        ),
                        super::Level::Info,
                    ));
                }
                if let Err(e) = replan(app, store, p, st.policy) {
                    app.message = Some((e, super::Level::Error));
                }
            }
        }
        (Stage::Preview(p), A::Import(C::Policy)) => {
            st.policy = st.policy.next();
            if let Err(e) = replan(app, store, p, st.policy) {
                app.message = Some((e, super::Level::Error));
            }
        }
        (Stage::Preview(p), A::Import(C::Encoding)) => {
            st.encoding = (st.encoding + 1) % ENCODINGS.len();
            let path = p.path.clone();
            match read(app, store, &path, encoding_at(st.encoding), policy, None) {
                Ok(fresh) => **p = fresh,
                Err(e) => {
                    st.stage = Stage::File {
                        matches: completions(&path.display().to_string()).1,
                        input: TextInput::new(&path.display().to_string()),
                        error: Some(e),
                    }
                }
            }
        }
        (Stage::Preview(p), A::Import(C::Sheet)) => match next_sheet(app, store, p, policy) {
            Ok(Some(fresh)) => **p = fresh,
            Ok(None) => {}
            Err(e) => app.message = Some((e, super::Level::Error)),
        },
        (Stage::Preview(p), A::Yes)
            if p.loaded.missing_name(app.lang).is_none() && (p.json.is_some() || p.plan.read() > 0) =>
        {
            let p = std::mem::replace(p, Box::new(empty_preview()));
            st.stage = next_after_questions(app, store, p);
        }
        (Stage::Ask(p), A::Back) => {
            for d in &mut p.plan.duplicates {
                d.decision = Decision::Undecided;
            }
            let p = std::mem::replace(p, Box::new(empty_preview()));
            st.stage = Stage::Preview(p);
        }
        (Stage::Ask(p), A::Import(cmd)) => {
            if let Some(i) = p.plan.undecided() {
                match cmd {
                    C::Skip => p.plan.duplicates[i].decision = Decision::Skip,
                    C::Merge => p.plan.duplicates[i].decision = Decision::Merge,
                    C::Keep => p.plan.duplicates[i].decision = Decision::Keep,
                    C::SkipAll => p.plan.decide_rest(Decision::Skip),
                    C::MergeAll => p.plan.decide_rest(Decision::Merge),
                    _ => {}
                }
            }
            let p = std::mem::replace(p, Box::new(empty_preview()));
            st.stage = next_after_questions(app, store, p);
        }
        (Stage::Preview(_), A::Import(C::DefaultStatus)) => {
            let all = Status::ALL;
            let i = all.iter().position(|s| *s == st.defaults.status).unwrap_or(0);
            st.defaults.status = all[(i + 1) % all.len()];
        }
        (Stage::Preview(_), A::Import(C::DefaultGrade)) => {
            let all = Grade::ALL;
            let i = all.iter().position(|g| *g == st.defaults.grade).unwrap_or(0);
            st.defaults.grade = all[(i + 1) % all.len()];
        }
        (Stage::Preview(_), A::Import(C::AsNew)) => st.defaults.as_new = !st.defaults.as_new,
        (Stage::Running { job, .. }, A::Back) => job.cancel(),
        (Stage::Done { .. }, A::Back) => close = true,
        _ => {}
    }
    // Every plan the preview shows (re-read, re-mapped or re-decided)
    // carries the chosen defaults, so what is written is what was shown.
    if let Stage::Preview(p) | Stage::Ask(p) = &mut st.stage {
        p.plan.apply_defaults(&st.defaults);
    }
    if !close {
        app.overlay = Some(Overlay::Import(st));
    }
}

/// Ctrl-C: stops a running import (rolled back), otherwise closes.
pub fn interrupt(app: &mut App, st: Box<ImportState>) {
    if let Stage::Running { job, .. } = &st.stage {
        job.cancel();
        app.overlay = Some(Overlay::Import(st));
    }
}

fn columns(p: &Preview) -> usize {
    match &p.loaded {
        Loaded::Csv { mapping, .. } => mapping.columns.len(),
        _ => 0,
    }
}

fn empty_preview() -> Preview {
    Preview {
        path: PathBuf::new(),
        loaded: Loaded::Json { bytes: Vec::new() },
        plan: Plan::default(),
        cursor: 0,
        twin: None,
        json: None,
        updates: Vec::new(),
    }
}

/// The preview of the workbook's next sheet that can be read (after the
/// last, the first again); `None` when no other sheet has rows; `Err`
/// (what went wrong) when no other sheet could be read and one failed.
fn next_sheet(app: &App, store: &Store, p: &Preview, policy: DupPolicy) -> Result<Option<Preview>, String> {
    let Loaded::Csv { sheet: Some(s), .. } = &p.loaded else {
        return Ok(None);
    };
    let n = s.names.len();
    let mut failed = None;
    for k in 1..n {
        let number = (s.number() - 1 + k) % n + 1;
        match read(app, store, &p.path, None, policy, Some(&number.to_string())) {
            Ok(fresh) => return Ok(Some(fresh)),
            Err(e) => failed = failed.or(Some(e)),
        }
    }
    failed.map_or(Ok(None), Err)
}

/// Reads and checks a file for the preview (`sheet` of a workbook, or its
/// first that is not empty).
fn read(
    app: &App,
    store: &Store,
    path: &Path,
    encoding: Option<&'static Encoding>,
    policy: DupPolicy,
    sheet: Option<&str>,
) -> Result<Preview, String> {
    let loaded = load_sheet(path, encoding, sheet).map_err(|e| e.message(app.lang))?;
    let json = match &loaded {
        Loaded::Json { bytes } => Some(
            crate::io::dump::count(bytes)
                .map_err(|e| tf(app.lang, "io.err.invalid", &[("path", &path.display()), ("detail", &e)]))?,
        ),
        _ => None,
    };
    let mut p = Preview {
        path: path.to_path_buf(),
        loaded,
        plan: Plan::default(),
        cursor: 0,
        twin: None,
        json,
        updates: Vec::new(),
    };
    replan(app, store, &mut p, policy)?;
    Ok(p)
}

/// Plans the import against the book. A read that fails is said (the log
/// has the detail) and leaves no plan: without the customers already in
/// the book, every row would look new.
fn replan(app: &App, store: &Store, p: &mut Preview, policy: DupPolicy) -> Result<(), String> {
    let failed = |e: StorageError| {
        if let Some(log) = &app.log_path {
            crate::logfile::append(log, &format!("import: reading the book failed: {e}"));
        }
        t(app.lang, e.key()).to_string()
    };
    let known = store.known_customers().map_err(failed)?;
    let plan = Plan::new(p.loaded.convert(app.now), &known, policy);
    let first_error = std::cell::RefCell::new(None);
    let updates = crate::io::update::updates(&plan, |id| match store.customer(id) {
        Ok(c) => Some(c),
        Err(e) => {
            first_error.borrow_mut().get_or_insert(e);
            None
        }
    });
    if let Some(e) = first_error.into_inner() {
        return Err(failed(e));
    }
    p.updates = updates;
    p.plan = plan;
    Ok(())
}

/// Asks about the next undecided duplicate, or starts writing.
fn next_after_questions(app: &mut App, store: &Store, mut p: Box<Preview>) -> Stage {
    if let Some(i) = p.plan.undecided() {
        p.twin = match p.plan.duplicates[i].twin {
            crate::io::plan::Twin::Existing(id) => match store.customer(id) {
                Ok(c) => Some(c),
                Err(e) => {
                    app.error(&e);
                    None
                }
            },
            crate::io::plan::Twin::Earlier(j) => p.plan.fresh.get(j).map(|f| f.customer.clone()),
        };
        return Stage::Ask(p);
    }
    start(app, *p)
}
