//! `triage batch` (being built on its own branch).

use anyhow::Result;

use super::{Context, Outcome};
use crate::cli::BatchArgs;

pub fn run(_context: &Context, _args: &BatchArgs) -> Result<Outcome> {
    anyhow::bail!("`triage batch` is not built yet")
}
