//! The benchmark's figures and how they are printed.

/// Every figure; NaN for a section not run.
pub struct Figures {
    pub customers: usize,
    pub first_frame_ms: f64,
    pub search_ready_ms: f64,
    /// The same with no index file beside the book (it is written then).
    pub search_cold_ms: f64,
    pub keystroke_p50_ms: f64,
    pub keystroke_p95_ms: f64,
    pub keystroke_max_ms: f64,
    pub substring_floor_ms: f64,
    pub agenda_ms: f64,
    pub agenda_cpu_ms: f64,
    pub purchases: usize,
    pub insights_ms: f64,
    pub insights_cpu_ms: f64,
    pub card_ms: f64,
    pub import_csv_ms: f64,
    pub import_cpu_ms: f64,
    pub log_interaction_ms: f64,
    /// Saving an edit of a customer found by a search, in the app.
    pub edit_save_ms: f64,
    pub rss_mb: f64,
    pub rss_loaded_mb: f64,
    /// The peak of a start with no index file beside the book (the index
    /// built from the rows, then written).
    pub rss_cold_mb: f64,
    pub db_mb: f64,
    pub find_process_ms: f64,
    pub agenda_process_ms: f64,
    /// The first `rapport agenda` of a day (or after a purchase): it runs
    /// the value analysis and keeps its list in a large book.
    pub agenda_analysed_process_ms: f64,
}

impl Figures {
    pub fn new(n: usize) -> Figures {
        let nan = f64::NAN;
        Figures {
            customers: n,
            first_frame_ms: nan,
            search_ready_ms: nan,
            keystroke_p50_ms: nan,
            keystroke_p95_ms: nan,
            keystroke_max_ms: nan,
            substring_floor_ms: nan,
            agenda_ms: nan,
            agenda_cpu_ms: nan,
            insights_ms: nan,
            insights_cpu_ms: nan,
            card_ms: nan,
            import_csv_ms: nan,
            import_cpu_ms: nan,
            log_interaction_ms: nan,
            edit_save_ms: nan,
            rss_mb: nan,
            rss_loaded_mb: nan,
            rss_cold_mb: nan,
            db_mb: nan,
            find_process_ms: nan,
            agenda_process_ms: nan,
            agenda_analysed_process_ms: nan,
            search_cold_ms: nan,
            purchases: 0,
        }
    }

    /// As JSON (`--json`) or as a table.
    pub fn print(&self, json: bool) {
        let f = self;
        if json {
            let v = serde_json::json!({
                "customers": f.customers,
                "first_frame_ms": round(f.first_frame_ms),
                "search_ready_ms": round(f.search_ready_ms),
                "search_ready_cold_ms": round(f.search_cold_ms),
                "keystroke_p50_ms": round(f.keystroke_p50_ms),
                "keystroke_p95_ms": round(f.keystroke_p95_ms),
                "keystroke_max_ms": round(f.keystroke_max_ms),
                "substring_floor_ms": round(f.substring_floor_ms),
                "agenda_ms": round(f.agenda_ms),
                "agenda_cpu_ms": round(f.agenda_cpu_ms),
                "purchases": f.purchases,
                "insights_ms": round(f.insights_ms),
                "insights_cpu_ms": round(f.insights_cpu_ms),
                "card_ms": round(f.card_ms),
                "log_interaction_ms": round(f.log_interaction_ms),
                "edit_save_ms": round(f.edit_save_ms),
                "import_csv_ms": round(f.import_csv_ms),
                "import_cpu_ms": round(f.import_cpu_ms),
                "find_process_ms": round(f.find_process_ms),
                "agenda_process_ms": round(f.agenda_process_ms),
                "agenda_analysed_process_ms": round(f.agenda_analysed_process_ms),
                "rss_mb": round(f.rss_mb),
                "rss_loaded_mb": round(f.rss_loaded_mb),
                "rss_cold_mb": round(f.rss_cold_mb),
                "db_mb": round(f.db_mb),
            });
            println!("{v}");
            return;
        }
        println!(
            "Rapport benchmark, {} customers, {} purchases (medians; ms unless noted)",
            f.customers, f.purchases
        );
        let rows = [
            ("first frame", f.first_frame_ms, "ms"),
            ("search ready", f.search_ready_ms, "ms"),
            ("  no index file", f.search_cold_ms, "ms"),
            ("keystroke p50", f.keystroke_p50_ms, "ms"),
            ("keystroke p95", f.keystroke_p95_ms, "ms"),
            ("keystroke max", f.keystroke_max_ms, "ms"),
            ("substring floor", f.substring_floor_ms, "ms"),
            ("agenda", f.agenda_ms, "ms"),
            ("agenda CPU", f.agenda_cpu_ms, "ms"),
            ("insights", f.insights_ms, "ms"),
            ("insights CPU", f.insights_cpu_ms, "ms"),
            ("card", f.card_ms, "ms"),
            ("log interaction", f.log_interaction_ms, "ms"),
            ("edit save", f.edit_save_ms, "ms"),
            ("import CSV", f.import_csv_ms, "ms"),
            ("import CSV CPU", f.import_cpu_ms, "ms"),
            ("find process", f.find_process_ms, "ms"),
            ("agenda process", f.agenda_process_ms, "ms"),
            ("  analysed now", f.agenda_analysed_process_ms, "ms"),
            ("peak memory", f.rss_mb, "MB"),
            ("  index loaded", f.rss_loaded_mb, "MB"),
            ("  no index file", f.rss_cold_mb, "MB"),
            ("database size", f.db_mb, "MB"),
        ];
        for (name, v, unit) in rows {
            println!("  {name:<18} {v:>9.2} {unit}");
        }
    }
}

fn round(x: f64) -> serde_json::Value {
    if x.is_finite() {
        serde_json::json!((x * 100.0).round() / 100.0)
    } else {
        serde_json::Value::Null
    }
}
