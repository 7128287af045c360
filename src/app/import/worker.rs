//! The worker thread that writes an import in one transaction on its own
//! connection, reporting progress; the overlay polls it and can cancel it
//! (the transaction is then rolled back).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use super::{Preview, Stage};
use crate::app::{App, Overlay};
use crate::i18n::{Lang, t, tf};
use crate::io::load::{Loaded, then_say};
use crate::io::plan::Summary;
use crate::storage::Store;
use crate::storage::io::{Refusal, TransferError};

/// Messages from the worker.
enum Msg {
    Progress(usize, usize),
    Done(Result<Outcome, String>),
}

struct Outcome {
    written: bool,
    restored: Option<usize>,
    rejects: Option<PathBuf>,
}

/// The worker writing the import; compared by identity.
#[derive(Clone)]
pub struct Job(Arc<(Mutex<Receiver<Msg>>, AtomicBool)>);

impl Job {
    /// Asks the worker to stop; its transaction is rolled back.
    pub fn cancel(&self) {
        self.0.1.store(true, Ordering::Relaxed);
    }
}

impl PartialEq for Job {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

/// Starts the worker that writes the import in one transaction.
pub(super) fn start(app: &App, p: Preview) -> Stage {
    let (tx, rx) = std::sync::mpsc::channel();
    let cancel = Arc::new((Mutex::new(rx), AtomicBool::new(false)));
    let job = Job(cancel.clone());
    let summary = p.plan.summary();
    let total = summary.imported + summary.merged;
    let (db, cadence, lang, now) = (app.db_path.clone(), app.cadence.clone(), app.lang, app.now);
    std::thread::spawn(move || {
        let run = || -> Result<Outcome, String> {
            let mut store = Store::open(&db).map_err(|e| t(lang, e.key()).to_string())?;
            // A bulk write: SQLite's full check first; a damaged book is
            // never written to.
            match store.full_check(now.date()) {
                crate::storage::health::State::Damaged(_) => return Err(t(lang, "storage.damaged").to_string()),
                crate::storage::health::State::Unchecked(why) => {
                    return Err(tf(
                        lang,
                        "safety.refused_unchecked",
                        &[("path", &db.display()), ("why", &why)],
                    ));
                }
                _ => {}
            }
            store.set_cadence(&cadence).map_err(|e| t(lang, e.key()).to_string())?;
            if let Loaded::Json { bytes } = &p.loaded {
                let r = store
                    .restore_json(bytes)
                    .map_err(|e| transfer_message(lang, &e, &p.path, &db))?;
                return Ok(Outcome {
                    written: true,
                    restored: Some(r.rows("customers")),
                    rejects: None,
                });
            }
            let header = p.loaded.reject_header(lang);
            let mut plan = p.plan;
            let rejects = std::mem::take(&mut plan.rejects);
            let since = plan.known_max;
            let (new, merges) = plan.resolve();
            let name = p
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Kept as data: each reader sees it in their language.
            let reason =
                crate::domain::app_note::AppNote::Imported(crate::domain::text::clean(&name).into_owned()).encode();
            let flag = &cancel.1;
            let written = store
                .import_customers(&new, &merges, since, &reason, now, &mut |done, total| {
                    let _ = tx.send(Msg::Progress(done, total));
                    !flag.load(Ordering::Relaxed)
                })
                .map_err(|e| t(lang, e.key()).to_string())?;
            let facts = p.loaded.company_facts();
            if written.is_some() && !facts.is_empty() {
                store
                    .set_company_facts(&facts, now)
                    .map_err(|e| t(lang, e.key()).to_string())?;
            }
            let _ = store.checkpoint();
            let mut out = Outcome {
                written: written.is_some(),
                restored: None,
                rejects: None,
            };
            if written.is_some() && !rejects.is_empty() {
                let path = crate::io::rejects_path(&p.path);
                let bytes = crate::io::reject::rejects_csv(lang, &header, &rejects);
                if crate::io::file::write_bytes(&path, &bytes).is_ok() {
                    out.rejects = Some(path);
                }
            }
            Ok(out)
        };
        let result = run();
        let _ = tx.send(Msg::Done(result));
    });
    Stage::Running {
        job,
        done: 0,
        total,
        summary,
    }
}

impl App {
    /// Takes the import worker's news; true when the screen changed. A
    /// finished import that wrote announces the new book to every pane at
    /// once (behind its summary, the agenda, the accounts and the list
    /// already follow it).
    pub fn poll_import(&mut self, store: &Store) -> bool {
        let mut changed = false;
        loop {
            let Some(Overlay::Import(st)) = &mut self.overlay else {
                return changed;
            };
            let Stage::Running {
                job,
                done,
                total,
                summary,
            } = &mut st.stage
            else {
                return changed;
            };
            let msg = match job.0.0.lock().map(|rx| rx.try_recv()) {
                Ok(Ok(m)) => m,
                Ok(Err(TryRecvError::Empty)) => return changed,
                _ => Msg::Done(Err(t(self.lang, "io.err.worker").to_string())),
            };
            changed = true;
            match msg {
                Msg::Progress(d, n) => (*done, *total) = (d, n),
                Msg::Done(result) => {
                    let summary = *summary;
                    let wrote = matches!(&result, Ok(o) if o.written);
                    st.stage = finished(self.lang, summary, result);
                    self.after_import(store, wrote);
                    return true;
                }
            }
        }
    }

    /// Blocks until the import worker is done (tests).
    pub fn wait_for_import(&mut self, store: &Store) {
        while matches!(&self.overlay, Some(Overlay::Import(st)) if matches!(st.stage, Stage::Running { .. })) {
            if !self.poll_import(store) {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    /// The book changed under the list: reload it in the background.
    fn after_import(&mut self, store: &Store, wrote: bool) {
        self.customers.card = None;
        self.start_loader();
        if wrote {
            // The book changed under every pane: each follows it (people
            // who left, brought in by the import, are marked in the list).
            self.announce(store, crate::app::Change::Book);
        }
    }
}

fn finished(lang: Lang, summary: Summary, result: Result<Outcome, String>) -> Stage {
    match result {
        Ok(o) if o.written => Stage::Done {
            summary,
            restored: o.restored,
            rejects: o.rejects,
            error: None,
        },
        Ok(_) => Stage::Done {
            summary,
            restored: None,
            rejects: None,
            error: Some(t(lang, "io.cancelled").to_string()),
        },
        Err(e) => Stage::Done {
            summary,
            restored: None,
            rejects: None,
            error: Some(then_say(lang, &e, "io.nothing_imported")),
        },
    }
}

/// A refused or failed transfer in the user's language (the CLI says the
/// same).
pub fn transfer_message(lang: Lang, e: &TransferError, file: &Path, db: &Path) -> String {
    let shown = file.display();
    let clean = |s: &str| crate::domain::text::clean(s).into_owned();
    let msg = match e {
        TransferError::Refused(Refusal::NotEmpty { customers }) => {
            tf(lang, "io.err.not_empty", &[("path", &db.display()), ("n", customers)])
        }
        TransferError::Refused(Refusal::Newer { found, known }) => tf(
            lang,
            "io.err.newer",
            &[("path", &shown), ("found", found), ("known", known)],
        ),
        TransferError::Refused(Refusal::Invalid(detail)) => {
            tf(lang, "io.err.invalid", &[("path", &shown), ("detail", &clean(detail))])
        }
        TransferError::Refused(Refusal::InUse(holders)) => {
            let list = holders.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ");
            let key = if list.is_empty() {
                "safety.in_use"
            } else {
                "safety.in_use_by"
            };
            tf(lang, key, &[("path", &db.display()), ("processes", &clean(&list))])
        }
        TransferError::Refused(Refusal::Damaged(lines)) => tf(
            lang,
            "io.err.damaged",
            &[("path", &shown), ("detail", &clean(&lines.join("; ")))],
        ),
        TransferError::Storage(s) => {
            let detail = match s {
                crate::storage::StorageError::Sql(inner) => format!(" ({inner})"),
                _ => String::new(),
            };
            format!("{}: {}{detail}", db.display(), t(lang, s.key()))
        }
        TransferError::File(err) => tf(lang, "io.err.file", &[("path", &shown), ("error", err)]),
    };
    then_say(lang, &msg, "io.nothing_changed")
}
