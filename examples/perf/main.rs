//! The benchmark: the app's own code paths on a fresh demo database.
//!
//! `cargo run --release --example perf -- --customers 100000 [--json] [--slowest]
//!  [--db PATH] [--only keys,agenda,...]`
//!
//! Figures are medians of several repetitions, in milliseconds unless the
//! name says otherwise. A benchmark prints; it asserts nothing.
//!
//! `--db PATH` keeps the demo book at PATH and reuses it on the next run
//! (a book of a million customers takes minutes to generate); `--only`
//! runs some of the sections: `keys` (keystrokes, memory, floor), `insights`,
//! `agenda`, `card`, `log`, `first`, `import`, `process`.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDateTime;
use rapport::app::App;
use rapport::clock::Clock;
use rapport::domain::interaction::InteractionKind;
use rapport::i18n::Lang;
use rapport::storage::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod report;
use report::Figures;

const W: u16 = 120;
const H: u16 = 40;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap()
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let i = ((s.len() as f64 - 1.0) * p).round() as usize;
    s[i.min(s.len() - 1)]
}

/// Forgets the peak so far (Linux): the demo generator's own memory is not
/// the app's.
fn reset_peak_rss() {
    // Give the generator's freed heap back to the system first.
    // SAFETY: malloc_trim only releases free memory of this process.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::malloc_trim(0);
    }
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// CPU time of this process so far (user and system, every thread): on a
/// machine other work keeps busy, it shows what wall time cannot.
fn cpu_ms() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn render(app: &mut App, term: &mut Terminal<TestBackend>) {
    app.set_viewport(rapport::ui::list_rows(H));
    term.draw(|f| rapport::ui::render(app, f)).unwrap();
}

fn open_app(path: &Path) -> (Store, App) {
    let store = Store::open(path).unwrap();
    let app = rapport::panes::default_app(&store, Lang::En, now()).unwrap();
    (store, app)
}

/// The typed sequences: Latin, pinyin initials, Chinese, and backspaces.
/// `--slowest`: also list the slowest keystrokes and the import's phases
/// on stderr.
static SLOWEST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn sequences() -> Vec<Vec<KeyEvent>> {
    let typed = |s: &str| {
        s.chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
            .collect::<Vec<_>>()
    };
    let bs = |n: usize| vec![KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE); n];
    let mut seqs = Vec::new();
    for (text, back) in [
        ("wang", 4),
        ("zw", 2),
        ("bjhl", 4),
        ("华联", 2),
        ("zhangwei", 8),
        ("li na", 5),
    ] {
        let mut s = typed(text);
        s.extend(bs(back));
        seqs.push(s);
    }
    seqs
}

/// The sections to run (`--only`), every one when empty.
struct Only(Vec<String>);

impl Only {
    fn has(&self, name: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|s| s == name)
    }
}

/// The release binary next to this example (`target/release/rapport`).
fn rapport_bin() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("rapport");
    bin.exists().then_some(bin)
}

/// Wall time of `rapport ARGS` on the book, as a whole process (median).
fn process_ms(bin: &Path, db: &Path, args: &[&str], reps: usize) -> f64 {
    let mut v = Vec::new();
    for _ in 0..reps {
        let t0 = Instant::now();
        let out = std::process::Command::new(bin)
            .arg("--db")
            .arg(db)
            .args(["--now", "2026-11-23 09:00"])
            .args(args)
            .output()
            .expect("run rapport");
        v.push(ms(t0.elapsed()));
        if !out.status.success() {
            eprintln!("rapport {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            return f64::NAN;
        }
    }
    median(v)
}

fn run(n: usize, keep: Option<&Path>, only: &Only) -> Figures {
    let dir = tempfile::tempdir_in(keep.and_then(Path::parent).unwrap_or(&std::env::temp_dir())).unwrap();
    let path = keep.map_or_else(|| dir.path().join("perf.db"), Path::to_path_buf);
    if !path.exists() {
        // Built beside and renamed once complete: an interrupted run leaves
        // no half book to be reused.
        let partial = path.with_extension("partial");
        {
            let mut store = Store::open(&partial).unwrap();
            rapport::demo::generate(&mut store, n, 1, now()).unwrap();
            store.checkpoint().unwrap();
        }
        std::fs::rename(&partial, &path).unwrap();
        let _ = std::fs::remove_file(format!("{}.lock", partial.display()));
    }
    let reps = 5;
    let mut f = Figures::new(n);

    // Keystrokes through the real keymap, filtering, sorting and rendering.
    // Peak memory is that of this one app, measured before the repetitions
    // below build more indexes in the same process.
    reset_peak_rss();
    let (mut store, mut app) = open_app(&path);
    if only.has("keys") {
        app.wait_for_index();
        // Peak memory with the index loaded, before any search.
        f.rss_loaded_mb = peak_rss_mb().unwrap_or(f64::NAN);
        let (keys, queries) = keystrokes(&mut app, &mut store);
        // Peak memory of the app at work: the index loaded and searched.
        f.rss_mb = peak_rss_mb().unwrap_or(f64::NAN);
        f.keystroke_p50_ms = percentile(&keys, 0.50);
        f.keystroke_p95_ms = percentile(&keys, 0.95);
        f.keystroke_max_ms = keys.iter().cloned().fold(0.0, f64::max);

        // The floor: a plain case-insensitive substring scan over the same keys.
        let keys_text: Vec<String> = store.search_keys().unwrap().into_iter().map(|(_, k)| k).collect();
        let mut floor = Vec::new();
        for q in &queries {
            let q = q.to_lowercase();
            let t0 = Instant::now();
            let hits = keys_text.iter().filter(|k| k.contains(q.as_str())).count();
            floor.push(ms(t0.elapsed()));
            std::hint::black_box(hits);
        }
        f.substring_floor_ms = median(floor);
    }

    // Everything the Insights pane shows: the value analysis of every
    // customer (one pass over the purchases), the grid, the segments and
    // the grade suggestions with their names and reasons.
    f.purchases = store.purchase_count().unwrap();
    let value_cfg = rapport::domain::value::ValueConfig::default();
    let cur = rapport::domain::value::Currency::default();
    let mut analysis = None;
    if only.has("insights") || only.has("agenda") || only.has("card") {
        let mut insights = Vec::new();
        let mut insights_cpu = Vec::new();
        let times = if only.has("insights") { reps } else { 1 };
        for _ in 0..times {
            let t0 = Instant::now();
            let c0 = cpu_ms();
            let done = rapport::app::insights::compute(&store, now().date(), &value_cfg, Some(365)).unwrap();
            insights.push(ms(t0.elapsed()));
            insights_cpu.push(cpu_ms() - c0);
            analysis = Some(done.0);
        }
        if only.has("insights") {
            f.insights_ms = median(insights);
            f.insights_cpu_ms = median(insights_cpu);
        }
    }

    // Today's agenda from the database, as the Agenda pane loads it (with
    // the valuable customers at risk from the analysis it holds and the
    // accounts at risk).
    if let Some(analysis) = analysis.as_ref().filter(|_| only.has("agenda")) {
        let mut agenda = Vec::new();
        let mut cpu = Vec::new();
        for _ in 0..reps {
            let t0 = Instant::now();
            let c0 = cpu_ms();
            let deadlines = rapport::app::agenda::deadlines(&store).unwrap();
            let t_deadlines = t0.elapsed();
            let mut a = store
                .agenda(now().date(), now().date(), &deadlines, rapport::app::agenda::SHOWN)
                .unwrap();
            let t_agenda = t0.elapsed();
            rapport::app::insights::add_value_risks(
                &store,
                &mut a,
                (analysis.risks(), analysis.window_days),
                cur,
                now().date(),
                rapport::app::agenda::SHOWN,
            )
            .unwrap();
            let t_value = t0.elapsed();
            // The accounts whose coverage is at risk join the churn section.
            rapport::app::accounts::add_coverage(
                &store,
                &mut a,
                rapport::config::AccountsConfig::default(),
                now().date(),
                rapport::app::agenda::SHOWN,
            )
            .unwrap();
            agenda.push(ms(t0.elapsed()));
            cpu.push(cpu_ms() - c0);
            if SLOWEST.load(std::sync::atomic::Ordering::Relaxed) {
                eprintln!(
                    "agenda phases: deadlines {:.2} ms, day's items {:.2} ms, value risks {:.2} ms, accounts {:.2} ms",
                    ms(t_deadlines),
                    ms(t_agenda - t_deadlines),
                    ms(t_value - t_agenda),
                    ms(t0.elapsed() - t_value)
                );
            }
            std::hint::black_box(a.total());
        }
        f.agenda_ms = median(agenda);
        f.agenda_cpu_ms = median(cpu);
    }

    // Opening a card with its purchases, for buyers spread over the book.
    if let Some(analysis) = analysis.as_ref().filter(|_| only.has("card")) {
        let buyers: Vec<i64> = analysis
            .customers
            .iter()
            .filter(|c| c.is_buyer())
            .step_by(analysis.buyers.max(1).div_ceil(50))
            .map(|c| c.id)
            .collect();
        let mut card = Vec::new();
        for id in buyers {
            let t0 = Instant::now();
            let c = rapport::app::Card::load(&app.card_env(), &store, id).unwrap();
            card.push(ms(t0.elapsed()));
            std::hint::black_box(c.sections.len());
        }
        f.card_ms = median(card);
    }

    // Logging one interaction: one committed transaction, as the app does.
    if only.has("log") {
        let ids: Vec<i64> = store
            .search_keys()
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .take(20)
            .collect();
        let mut log = Vec::new();
        for id in ids {
            let t0 = Instant::now();
            store
                .log_interaction(id, InteractionKind::Call, now(), "benchmark call")
                .unwrap();
            log.push(ms(t0.elapsed()));
        }
        f.log_interaction_ms = median(log);
    }

    if only.has("edit") {
        f.edit_save_ms = edit_saves(&mut app, &mut store);
    }

    f.db_mb = std::fs::metadata(&path)
        .map(|m| m.len() as f64 / 1_048_576.0)
        .unwrap_or(f64::NAN);

    drop(app);
    drop(store);

    // First frame: open the file, build the app, render what it shows first.
    if only.has("first") {
        let mut first = Vec::new();
        let mut ready = Vec::new();
        // Once with no index file beside the book (a large book then writes
        // one), then as the next starts find it.
        // Its peak memory in a process of its own (this one holds what the
        // sections before it left in its heap), then its time here.
        let index_file = rapport::search::cache::path_for(&path);
        let _ = std::fs::remove_file(&index_file);
        f.rss_cold_mb = cold_start_peak_mb(&path);
        let _ = std::fs::remove_file(&index_file);
        let t0 = Instant::now();
        open_app(&path).1.wait_for_index();
        f.search_cold_ms = ms(t0.elapsed());
        for _ in 0..reps {
            let t0 = Instant::now();
            let (_store, mut app) = open_app(&path);
            let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
            render(&mut app, &mut term);
            first.push(ms(t0.elapsed()));
            app.wait_for_index();
            ready.push(ms(t0.elapsed()));
        }
        f.first_frame_ms = median(first);
        f.search_ready_ms = median(ready);
    }

    // `rapport find` and `rapport agenda` as whole processes on the book:
    // open, look up or build the day, print, exit.
    if only.has("process") {
        match rapport_bin() {
            Some(bin) => {
                f.find_process_ms = median(
                    ["wang", "zw", "bjhl", "华联", "zhangwei", "li na"]
                        .iter()
                        .map(|q| process_ms(&bin, &path, &["find", q], 3))
                        .collect(),
                );
                // The first of the day analyses (and keeps its list in a
                // large book); the others read what it kept.
                rusqlite::Connection::open(&path)
                    .and_then(|c| c.execute("DELETE FROM value_cache", []))
                    .unwrap();
                f.agenda_analysed_process_ms = process_ms(&bin, &path, &["agenda"], 1);
                f.agenda_process_ms = process_ms(&bin, &path, &["agenda"], 5);
            }
            None => eprintln!("no release binary next to the example: cargo build --release first"),
        }
    }

    // Importing the same customers from a CSV file into an empty book,
    // through the import's own steps (read, convert, plan, one transaction).
    if only.has("import") {
        (f.import_csv_ms, f.import_cpu_ms) = import_csv(&path, dir.path(), if n >= 500_000 { 1 } else { 3 });
    }
    f
}

/// The typed sequences through the real keymap; the time of each key
/// (handled and rendered) and the queries typed.
fn keystrokes(app: &mut App, store: &mut Store) -> (Vec<f64>, Vec<String>) {
    let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
    let clock = Clock::Fixed(now());
    let slash = KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE);
    let mut keys = Vec::new();
    let mut queries: Vec<String> = Vec::new();
    let mut slow: Vec<(f64, String)> = Vec::new();
    for _ in 0..3 {
        for seq in sequences() {
            rapport::tui::handle_key(app, store, clock, &slash);
            for k in &seq {
                let t0 = Instant::now();
                rapport::tui::handle_key(app, store, clock, k);
                render(app, &mut term);
                keys.push(ms(t0.elapsed()));
                if SLOWEST.load(std::sync::atomic::Ordering::Relaxed) {
                    slow.push((ms(t0.elapsed()), app.customers.query.text().to_string()));
                }
                if !app.customers.query.is_empty() {
                    queries.push(app.customers.query.text().to_string());
                }
            }
            rapport::tui::handle_key(app, store, clock, &KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        }
    }
    if !slow.is_empty() {
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        eprintln!("slowest keystrokes (query after the key):");
        for (t, q) in slow.iter().take(12) {
            eprintln!("  {t:7.2} ms  {q:?}");
        }
    }
    (keys, queries)
}

/// Saving an edit of a customer found by a search, through the real
/// keymap (`/zh`, the k-th match, `e`, a new phone, `Ctrl-S`): the
/// look-alike check, the write, the index and the list kept on the
/// search; the median of five, each a phone not in the book.
fn edit_saves(app: &mut App, store: &mut Store) -> f64 {
    app.wait_for_index();
    let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
    let clock = Clock::Fixed(now());
    let code = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let ctrl = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() % 10_000);
    let mut saves = Vec::new();
    for k in 0..5 {
        let mut keys: Vec<KeyEvent> = "/zh".chars().map(|c| code(KeyCode::Char(c))).collect();
        keys.push(code(KeyCode::Enter));
        keys.extend(std::iter::repeat_n(code(KeyCode::Down), k));
        keys.push(code(KeyCode::Char('e')));
        keys.extend(std::iter::repeat_n(code(KeyCode::Tab), 3));
        keys.push(ctrl('u'));
        keys.extend(format!("139{stamp:04}{k:04}").chars().map(|c| code(KeyCode::Char(c))));
        for key in &keys {
            rapport::tui::handle_key(app, store, clock, key);
        }
        let t0 = Instant::now();
        rapport::tui::handle_key(app, store, clock, &ctrl('s'));
        // A demo customer who happens to have that phone: saved anyway.
        if matches!(app.overlay, Some(rapport::app::Overlay::Confirm(_))) {
            rapport::tui::handle_key(app, store, clock, &code(KeyCode::Char('y')));
        }
        render(app, &mut term);
        saves.push(ms(t0.elapsed()));
        assert!(app.overlay.is_none(), "the edit was saved");
        assert_eq!(app.customers.query.text(), "zh", "the search kept");
        rapport::tui::handle_key(app, store, clock, &code(KeyCode::Esc));
    }
    median(saves)
}

/// Writes the book's customers as CSV in `dir` and imports it `reps` times
/// into fresh books there; the median wall and CPU time of an import.
fn import_csv(path: &Path, dir: &Path, reps: usize) -> (f64, f64) {
    let csv = dir.join("customers.csv");
    {
        use std::io::Write as _;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        out.write_all(b"Name,Company,Phone,City,Grade\n").unwrap();
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        rapport::storage::for_each_row(path, |r, _| {
            writeln!(
                out,
                "{},{},{},{},{}",
                q(&r.name),
                q(&r.company),
                q(&r.phone),
                q(&r.city),
                r.grade.as_str()
            )
            .unwrap();
        })
        .unwrap();
    }
    let mut imports = Vec::new();
    let mut cpu = Vec::new();
    for rep in 0..reps {
        let target = dir.join(format!("import{rep}.db"));
        let mut fresh = Store::open(&target).unwrap();
        let t0 = Instant::now();
        let c0 = cpu_ms();
        let loaded = rapport::io::load::load(&csv, None).unwrap();
        let t_read = Instant::now();
        let known = fresh.known_customers().unwrap();
        let converted = loaded.convert(now());
        let t_convert = Instant::now();
        let plan = rapport::io::Plan::new(converted, &known, rapport::io::DupPolicy::Skip);
        let since = plan.known_max;
        let (new, merges) = plan.resolve();
        let t_plan = Instant::now();
        fresh
            .import_customers(&new, &merges, since, "benchmark", now(), &mut |_, _| true)
            .unwrap();
        imports.push(ms(t0.elapsed()));
        cpu.push(cpu_ms() - c0);
        if SLOWEST.load(std::sync::atomic::Ordering::Relaxed) {
            eprintln!(
                "import phases: read {:.0} ms, convert {:.0} ms, plan {:.0} ms, write {:.0} ms",
                ms(t_read - t0),
                ms(t_convert - t_read),
                ms(t_plan - t_convert),
                ms(t_plan.elapsed())
            );
        }
        std::hint::black_box(new.len());
        drop(fresh);
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", target.display()));
        }
    }
    let _ = std::fs::remove_file(&csv);
    (median(imports), median(cpu))
}

/// The peak memory of the app opened on `path` until every customer is
/// searchable, in a child process of this benchmark (`--cold-start`).
fn cold_start_peak_mb(path: &Path) -> f64 {
    let out =
        std::env::current_exe().and_then(|exe| std::process::Command::new(exe).arg("--cold-start").arg(path).output());
    match out {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(f64::NAN),
        _ => f64::NAN,
    }
}

fn main() {
    // As the app's own binary starts.
    rapport::memory::give_back_freed_buffers();
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = args.as_slice()
        && flag == "--cold-start"
    {
        let (_store, mut app) = open_app(Path::new(path));
        app.wait_for_index();
        println!("{}", peak_rss_mb().unwrap_or(f64::NAN));
        return;
    }
    let json = args.iter().any(|a| a == "--json");
    SLOWEST.store(
        args.iter().any(|a| a == "--slowest"),
        std::sync::atomic::Ordering::Relaxed,
    );
    let n = args
        .iter()
        .position(|a| a == "--customers")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse::<usize>().expect("--customers takes a number"))
        .unwrap_or(100_000);
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let keep = value("--db").map(std::path::PathBuf::from);
    let only = Only(
        value("--only")
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
    );
    let f = run(n, keep.as_deref(), &only);
    f.print(json);
}
