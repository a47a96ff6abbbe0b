//! The default rules, validated ahead of time and embedded in a compact binary form (postcard)
//! next to their YAML source.
//!
//! Parsing the YAML file and validating its regexes took about 60 % of a single request's run
//! time; reading the validated rule set back takes a fraction of that. The binary form reads
//! back about four times faster than the JSON it replaced, which had become the largest part of
//! a single request once the rule file grew to 1,400 rules.
//! `rules/default.yaml` stays the source of truth: a test keeps the snapshot in step with it
//! (`TRIAGE_BLESS=1 cargo test default_rules_snapshot` rewrites it), and a snapshot whose digest
//! does not match the embedded YAML is ignored, so a stale one can cost time but never change
//! a verdict.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::RuleSet;

/// The file the snapshot lives in, relative to the crate root.
#[cfg(test)]
pub(super) const SNAPSHOT_PATH: &str = "rules/default.snapshot.bin";

/// The embedded snapshot of the default rules.
pub(super) const DEFAULT_RULES_SNAPSHOT: &[u8] = include_bytes!("../../rules/default.snapshot.bin");

#[derive(Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct Snapshot {
    /// [`digest`] of the YAML text the rules were validated from, in hex.
    yaml_digest: String,
    rules: RuleSet,
}

/// [`digest`] of the embedded default rules, computed when the binary is built: hashing 160 KB
/// on every start cost a single request half a million instructions. (A rule file several times
/// larger could fail the build with rustc's `long_running_const_eval` lint; computing the digest
/// at the first start is then the way out.)
pub(super) const DEFAULT_RULES_DIGEST: u64 = digest(super::DEFAULT_RULES_YAML);

/// The rule set in `snapshot`, if it was made from exactly `yaml`, whose [`digest`] is
/// `yaml_digest`. The rule set keeps `yaml` as its source without copying it when borrowed.
pub(super) fn load(
    snapshot: &'static [u8],
    yaml: impl Into<Cow<'static, str>>,
    yaml_digest: u64,
    origin: &str,
) -> Option<RuleSet> {
    let snapshot: Snapshot = postcard::from_bytes(snapshot).ok()?;
    if u64::from_str_radix(&snapshot.yaml_digest, 16).ok()? != yaml_digest {
        return None;
    }
    let mut rules = snapshot.rules;
    rules.origin = origin.to_owned();
    rules.source = yaml.into();
    Some(rules)
}

/// The snapshot bytes for `rules`, validated from `yaml` (written by the test that keeps it fresh).
#[cfg(test)]
pub(super) fn render(rules: &RuleSet, yaml: &str) -> Vec<u8> {
    let snapshot = Snapshot { yaml_digest: format!("{:016x}", digest(yaml)), rules: rules.clone() };
    // Serializing plain data into memory cannot fail.
    postcard::to_allocvec(&snapshot).unwrap_or_default()
}

/// For the tests that keep an embedded file fresh: under `TRIAGE_BLESS`, write `expected` to
/// `path` (relative to the crate root) and return false; otherwise fail unless `embedded` is
/// `expected`, and return true.
#[cfg(test)]
pub(crate) fn check_fresh(path: &str, embedded: &[u8], expected: &[u8]) -> bool {
    if std::env::var_os("TRIAGE_BLESS").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::write(path, expected).unwrap();
        return false;
    }
    assert!(
        embedded == expected,
        "{path} is stale after a change to rules/default.yaml or to the code that builds it: run \
         `TRIAGE_BLESS=1 cargo test default_rules_snapshot` and rebuild"
    );
    true
}

/// A string of the snapshot, borrowed rather than copied (it is embedded in the binary).
pub(crate) fn borrowed<'de: 'static, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'static, str>, D::Error> {
    <&'de str>::deserialize(deserializer).map(Cow::Borrowed)
}

/// FNV-1a: enough to tell whether the YAML changed since the snapshot was made. A `const fn`
/// (hence the index loop) so the default rules' digest is computed at build time.
pub(super) const fn digest(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut index = 0;
    while index < bytes.len() {
        hash = (hash ^ bytes[index] as u64).wrapping_mul(0x0100_0000_01b3);
        index += 1;
    }
    hash
}
