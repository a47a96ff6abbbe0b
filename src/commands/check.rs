//! `triage check` (being built on its own branch).

use anyhow::Result;

use super::{Context, Outcome};
use crate::cli::CheckArgs;

pub fn run(_context: &Context, _args: &CheckArgs) -> Result<Outcome> {
    anyhow::bail!("`triage check` is not built yet")
}
