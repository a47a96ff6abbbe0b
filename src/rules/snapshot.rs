//! The default rules, validated ahead of time and embedded as JSON next to their YAML source.
//!
//! Parsing the 1,000-line YAML file and validating its regexes took about 60 % of a single
//! request's run time; reading the validated rule set back from JSON takes a fraction of that.
//! `rules/default.yaml` stays the source of truth: a test keeps the snapshot in step with it
//! (`TRIAGE_BLESS=1 cargo test default_rules_snapshot` rewrites it), and a snapshot whose digest
//! does not match the embedded YAML is ignored, so a stale one can cost time but never change
//! a verdict.

use serde::{Deserialize, Serialize};

use super::RuleSet;

/// The file the snapshot lives in, relative to the crate root.
#[cfg(test)]
pub(super) const SNAPSHOT_PATH: &str = "rules/default.snapshot.json";

/// The embedded snapshot of the default rules.
pub(super) const DEFAULT_RULES_SNAPSHOT: &str = include_str!("../../rules/default.snapshot.json");

#[derive(Serialize, Deserialize)]
struct Snapshot {
    /// [`digest`] of the YAML text the rules were validated from, in hex.
    yaml_digest: String,
    rules: RuleSet,
}

/// The rule set in `snapshot`, if it was made from exactly `yaml`.
pub(super) fn load(snapshot: &str, yaml: &str, origin: &str) -> Option<RuleSet> {
    let Snapshot { yaml_digest, mut rules } = serde_json::from_str(snapshot).ok()?;
    if yaml_digest != format!("{:016x}", digest(yaml)) {
        return None;
    }
    rules.origin = origin.to_owned();
    rules.source = yaml.to_owned();
    Some(rules)
}

/// The snapshot text for `rules`, validated from `yaml` (written by the test that keeps it fresh).
#[cfg(test)]
pub(super) fn render(rules: &RuleSet, yaml: &str) -> String {
    let snapshot = Snapshot { yaml_digest: format!("{:016x}", digest(yaml)), rules: rules.clone() };
    // Serializing plain data into a string cannot fail.
    let mut text = serde_json::to_string_pretty(&snapshot).unwrap_or_default();
    text.push('\n');
    text
}

/// FNV-1a: enough to tell whether the YAML changed since the snapshot was made.
fn digest(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}
