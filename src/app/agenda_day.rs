//! One day's agenda as the Agenda pane shows and counts it, and the
//! week ahead counted the same way.

use chrono::{Duration, NaiveDate};

use super::App;
use crate::storage::Store;

/// The agenda of `day` with up to `limit` items a section (0: counted
/// only): what the book has due, the valuable customers at risk (from the
/// analysis, or the list a large book keeps) and the accounts at risk.
pub(super) fn day_agenda(
    app: &App,
    store: &Store,
    day: NaiveDate,
    deadlines: &[crate::domain::agenda::ComplaintDeadline],
    limit: usize,
) -> crate::storage::Result<crate::storage::Agenda> {
    let mut a = store.agenda(day, app.today(), deadlines, limit)?;
    let base = app.insights.base.clone();
    let kept = match &base {
        Some(_) => None,
        None => store.kept_value_risks(app.today(), &app.insights.cfg)?,
    };
    let risks = match (&base, &kept) {
        (Some(b), _) => Some((b.risks(), b.window_days)),
        (None, Some(k)) => Some((k.risks.as_slice(), k.window_days)),
        (None, None) => None,
    };
    if let Some(risks) = risks {
        super::insights::add_value_risks(store, &mut a, risks, app.insights.currency, day, limit)?;
    }
    super::accounts::add_coverage(store, &mut a, app.accounts.cfg, app.today(), limit)?;
    Ok(a)
}

/// Each of the seven days from today with its count per section, as the
/// day's agenda counts them.
pub(super) fn week_ahead(
    app: &App,
    store: &Store,
    deadlines: &[crate::domain::agenda::ComplaintDeadline],
) -> crate::storage::Result<Vec<(NaiveDate, [usize; 6])>> {
    (0..7)
        .map(|i| {
            let d = app.today() + Duration::days(i);
            Ok((d, day_agenda(app, store, d, deadlines, 0)?.counts))
        })
        .collect()
}
