//! `rapport agenda`: the same agenda as the Agenda pane, for cron or a
//! login shell.

use std::process::ExitCode;

use super::Context;
use crate::storage::Store;

pub fn run(_ctx: &Context, _store: &Store, _date: Option<&str>, _days: u32, _json: bool) -> ExitCode {
    super::fail("the agenda is not built yet")
}
