//! `triage eval` (being built on its own branch).

use anyhow::Result;

use super::{Context, Outcome};
use crate::cli::EvalArgs;

pub fn run(_context: &Context, _args: &EvalArgs) -> Result<Outcome> {
    anyhow::bail!("`triage eval` is not built yet")
}
