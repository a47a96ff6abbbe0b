//! One integration binary: runs `triage` as a user would, on files under `tests/fixtures/`.

mod action;
mod batch;
mod check;
mod classify;
mod default_rules;
mod eval;
mod exports;
mod hostile;
mod languages;
mod properties;
mod rules;
mod senses;
mod suggest;
mod support;
