//! `rapport complaints`: complaints, nearest deadline first.

use std::process::ExitCode;

use super::Context;
use crate::storage::Store;

pub fn run(_ctx: &Context, _store: &Store, _open: bool, _json: bool) -> ExitCode {
    super::fail("the complaints list is not built yet")
}
