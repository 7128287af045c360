//! The value analyses behind the pane and the agenda: computed at once in
//! a small book, on a worker thread in a large one (which keeps the
//! agenda's list of valuable customers at risk for `rapport agenda`).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::TryRecvError;

use super::text::{self, segment_totals};
use super::{Computed, Derived, SYNC_LIMIT, Suggestion};
use crate::app::{App, Level};
use crate::domain::value::{Analysis, ValueConfig};
use crate::i18n::t;
use crate::storage::Store;

/// Derives the pane's tallies and the suggestion list.
fn derive(view: &Analysis, names: Vec<(i64, String)>) -> Derived {
    let name = |id: i64| {
        names
            .binary_search_by_key(&id, |(i, _)| *i)
            .map(|k| names[k].1.clone())
            .unwrap_or_default()
    };
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, n) in &names {
        *seen.entry(n.as_str()).or_default() += 1;
    }
    let shared = |n: &str| seen.get(n).is_some_and(|&k| k > 1);
    let mut suggestions: Vec<Suggestion> = view
        .customers
        .iter()
        .filter_map(|c| {
            c.change().map(|to| {
                let name = name(c.id);
                Suggestion {
                    id: c.id,
                    namesake: shared(&name),
                    name,
                    from: c.grade,
                    to,
                    monetary: c.monetary,
                    value: c.clone(),
                }
            })
        })
        .collect();
    // Buyers first, largest first; then the rest by name.
    suggestions.sort_by(|a, b| b.monetary.cmp(&a.monetary).then_with(|| a.name.cmp(&b.name)));
    Derived {
        grid: text::grid_counts(view),
        segments: segment_totals(view),
        suggestions,
        names,
    }
}

/// The analyses (configured window, pane window) and what the pane derives
/// from them, through this store: everything the pane shows.
pub fn compute(
    store: &Store,
    today: chrono::NaiveDate,
    base_cfg: &ValueConfig,
    window: Option<i64>,
) -> crate::storage::Result<(Arc<Analysis>, Arc<Analysis>, Derived)> {
    compute_with(
        |cfg| store.value_analysis_named(today, cfg),
        |cfg| store.value_analysis(today, cfg),
        base_cfg,
        window,
    )
}

/// `compute` over any source of analyses (the store, or a worker's own
/// connections): the first with every customer's name, read in the same
/// pass, the second without.
fn compute_with(
    named: impl FnOnce(&ValueConfig) -> crate::storage::Result<(Analysis, Vec<(i64, String)>)>,
    analysis: impl FnOnce(&ValueConfig) -> crate::storage::Result<Analysis>,
    base_cfg: &ValueConfig,
    window: Option<i64>,
) -> crate::storage::Result<(Arc<Analysis>, Arc<Analysis>, Derived)> {
    let (base, names) = named(base_cfg)?;
    let base = Arc::new(base);
    let view = if window == base_cfg.window_days {
        base.clone()
    } else {
        Arc::new(analysis(&ValueConfig {
            window_days: window,
            ..base_cfg.clone()
        })?)
    };
    let derived = derive(&view, names);
    Ok((base, view, derived))
}

/// Computes the analyses now (small books) or starts the worker (large
/// ones); the pane and the agenda use them once ready.
pub fn refresh(app: &mut App, store: &Store) {
    let today = app.today();
    let base_cfg = app.insights.cfg.clone();
    let window = app.insights.window();
    if app.total <= SYNC_LIMIT {
        match compute(store, today, &base_cfg, window) {
            Ok(done) => install(app, done),
            Err(e) => app.error(&e),
        }
        return;
    }
    app.own_work_starts();
    let (tx, rx) = std::sync::mpsc::channel();
    let path = app.db_path.clone();
    let gate = app.book_gate.clone();
    std::thread::spawn(move || {
        use crate::storage::value_cache::{counter_at, keep_at};
        // Read before the rows, so the list is kept for `rapport agenda`
        // only if nothing it depends on changed meanwhile.
        let read_at = counter_at(&path);
        let done = compute_with(
            |cfg| crate::storage::value_analysis_named_at(&path, today, cfg),
            |cfg| crate::storage::value_analysis_at(&path, today, cfg),
            &base_cfg,
            window,
        );
        if let (Ok((base, ..)), Some(read_at)) = (&done, read_at)
            && gate.state().writable()
        {
            keep_at(&path, read_at, today, &base_cfg, base.risks());
        }
        let _ = tx.send(done.map_err(|e| e.to_string()));
    });
    app.insights.loader = Some(rx);
}

fn install(app: &mut App, (base, view, derived): (Arc<Analysis>, Arc<Analysis>, Derived)) {
    let s = &mut app.insights;
    s.base = Some(base);
    s.view = Some(view);
    s.derived = derived;
    s.seg_cursor = s.seg_cursor.min(s.derived.segments.len().saturating_sub(1));
    s.sugg_cursor = s.sugg_cursor.min(s.derived.suggestions.len().saturating_sub(1));
    let ids: BTreeSet<i64> = s.derived.suggestions.iter().map(|x| x.id).collect();
    s.marked.retain(|id| ids.contains(id));
}

/// Takes a finished analysis from the worker. True when one arrived.
pub fn poll(app: &mut App) -> bool {
    let Some(rx) = &app.insights.loader else { return false };
    let got = match rx.try_recv() {
        Ok(r) => r,
        Err(TryRecvError::Empty) => return false,
        Err(TryRecvError::Disconnected) => Err("worker stopped".into()),
    };
    app.insights.loader = None;
    arrived(app, got);
    true
}

/// Blocks until the worker is done (tests, benchmark). True when one arrived.
pub fn wait(app: &mut App) -> bool {
    match app.insights.loader.take() {
        Some(rx) => {
            let got = rx.recv().unwrap_or_else(|_| Err("worker stopped".into()));
            arrived(app, got);
            true
        }
        None => false,
    }
}

fn arrived(app: &mut App, got: Computed) {
    match got {
        Ok(done) => install(app, done),
        Err(e) => app.message = Some((format!("{}: {e}", t(app.lang, "insights.failed")), Level::Error)),
    }
}
