//! What the classifier searches for and what each find stands for: the literals (keywords and
//! the strings patterns require), each literal's keyword rules, and which pattern clauses each
//! literal satisfies.
//!
//! Building it folds and numbers 1,475 keywords and the patterns' 2,300 or so required strings:
//! for the default rules, a third of a single request's instructions and most of its
//! allocations. The default rules'
//! index is built ahead of time and embedded (`rules/default.index.bin`, rewritten with the
//! snapshot by `TRIAGE_BLESS=1 cargo test default_rules_snapshot`), under a fingerprint of what
//! it was built from: a rule set whose fingerprint differs (another file, or default rules
//! changed after loading) gets its index built. A change to the code that builds an index
//! (folding, say) does not change the fingerprint: the test that keeps the file fresh catches it.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::automata::{LiteralList, LiteralSet, ShortScan};
use super::candidates::{FilterBuilder, PatternFilter};
use super::fold::Folded;
use super::rows::Rows;
use super::{KeywordTarget, Term};
use crate::rules::{RuleKind, RuleSet};

/// The file the default rules' index lives in, relative to the crate root.
#[cfg(test)]
pub(super) const INDEX_PATH: &str = "rules/default.index.bin";

/// The embedded index of the default rules, with its fingerprint.
static DEFAULT_INDEX: &[u8] = include_bytes!("../../rules/default.index.bin");

/// The classifier's literal index (see the module documentation).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Index {
    /// Each literal once, keywords and required strings alike, indexed for a short text's scan
    /// (see [`ShortScan::new`] for when they cannot be).
    pub literals: Result<ShortScan, LiteralList>,
    /// For each literal, the keyword rules it stands for (none for a string only patterns need).
    pub keyword_targets: Rows<KeywordTarget>,
    /// `(function, rule)` of each pattern.
    pub pattern_rules: Vec<(usize, usize)>,
    /// Which patterns a text could match, from the literals found in it.
    pub pattern_filter: PatternFilter,
}

impl Index {
    /// The index of `rules`: the embedded one when it was built from the same rules, else built.
    pub(super) fn of(rules: &RuleSet) -> Index {
        embedded(fingerprint(rules)).unwrap_or_else(|| Index::build(rules))
    }

    /// The index of `rules`, built.
    pub(super) fn build(rules: &RuleSet) -> Index {
        // Sized up front: the keywords and the strings patterns require, with their bytes.
        let (mut literal_count, mut literal_bytes, mut keyword_count) = (0, 0, 0);
        for rule in rules.voters().flatten() {
            match rule.kind {
                RuleKind::Keyword => {
                    (literal_count, literal_bytes, keyword_count) =
                        (literal_count + 1, literal_bytes + rule.source.len(), keyword_count + 1);
                }
                RuleKind::Pattern => {
                    for string in rule.prepared().required.searched().into_iter().flatten() {
                        (literal_count, literal_bytes) = (literal_count + 1, literal_bytes + string.len());
                    }
                }
            }
        }
        let mut literals = LiteralSet::with_capacity(literal_count, literal_bytes);
        let mut keyword_targets: Vec<(usize, KeywordTarget)> = Vec::with_capacity(keyword_count);
        let mut pattern_rules = Vec::new();
        let mut pattern_filter = FilterBuilder::with_capacity(literal_count - keyword_count);
        let mut scratch = Folded::default();
        for (function_index, function_rules) in rules.voters().enumerate() {
            for (rule_index, rule) in function_rules.iter().enumerate() {
                match rule.kind {
                    RuleKind::Keyword => {
                        let (literal, term) = Term::parse_in(&rule.source, &mut scratch);
                        let (function, rule) = (function_index as u32, rule_index as u32);
                        let target = KeywordTarget { function, rule, term };
                        keyword_targets.push((literals.id(literal.as_bytes()), target));
                    }
                    RuleKind::Pattern => {
                        let searched = rule.prepared().required.searched();
                        pattern_filter.push_pattern(searched, |string| literals.id(string.as_bytes()));
                        pattern_rules.push((function_index, rule_index));
                    }
                }
            }
        }
        let literals = literals.into_list();
        let keyword_targets = Rows::from_pairs(literals.len(), &keyword_targets);
        let pattern_filter = pattern_filter.finish(literals.len());
        Index { literals: ShortScan::new(literals), keyword_targets, pattern_rules, pattern_filter }
    }
}

/// The embedded index, if it was built from rules with this fingerprint.
fn embedded(fingerprint: u64) -> Option<Index> {
    // The fingerprint comes first: a mismatch is found without reading the rest.
    let (built_from, rest): (u64, _) = postcard::take_from_bytes(DEFAULT_INDEX).ok()?;
    if built_from != fingerprint {
        return None;
    }
    postcard::from_bytes(rest).ok()
}

/// What the index depends on: each voter's rules in order, their kinds, keywords' terms and
/// patterns' required strings (not weights, names or `unless` entries).
fn fingerprint(rules: &RuleSet) -> u64 {
    let mut hasher = WordHasher::default();
    for voter in rules.voters() {
        voter.len().hash(&mut hasher);
        for rule in voter {
            match rule.kind {
                RuleKind::Keyword => (0_u8, &rule.source).hash(&mut hasher),
                RuleKind::Pattern => (1_u8, &rule.prepared().required).hash(&mut hasher),
            }
        }
    }
    hasher.finish()
}

/// FNV-1a (the constants of `rules::snapshot::digest`) over eight-byte words: the same on every
/// run and build for one kind of machine (unlike the standard hasher), and fast enough to check a
/// rule set's hundred kilobytes on every start. Numbers are hashed in the machine's byte order
/// and width, so a big-endian or 32-bit build never matches the embedded index and builds its
/// own: slower, never wrong.
struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> WordHasher {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0 ^ u64::from_le_bytes(word)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The embedded file for `rules`: the fingerprint, then the index.
#[cfg(test)]
pub(super) fn render(rules: &RuleSet) -> Vec<u8> {
    // Serializing plain data into memory cannot fail.
    postcard::to_allocvec(&(fingerprint(rules), Index::build(rules))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{check_fresh, DEFAULT_RULES_ORIGIN, DEFAULT_RULES_YAML};

    /// The embedded index must be exactly what building it from the default rules gives.
    #[test]
    fn default_rules_snapshot_index_is_fresh() {
        // From the YAML, not the embedded snapshot, which may be the stale one being rewritten.
        let rules = RuleSet::from_yaml(DEFAULT_RULES_YAML, DEFAULT_RULES_ORIGIN).unwrap();
        if !check_fresh(INDEX_PATH, DEFAULT_INDEX, &render(&rules)) {
            return;
        }
        assert!(embedded(fingerprint(&rules)).is_some(), "the default rules get the embedded index");
    }

    #[test]
    fn changed_rules_get_an_index_of_their_own() {
        let rules = RuleSet::default_rules();
        let mut renamed = rules.clone();
        renamed.functions[0].rules[0].name.to_mut().push_str(" (renamed)");
        renamed.functions[0].rules[0].weight += 1.0;
        assert_eq!(fingerprint(&renamed), fingerprint(&rules), "names and weights are not indexed");
        let mut changed = rules.clone();
        let keyword =
            changed.functions[0].rules.iter_mut().find(|rule| rule.kind == RuleKind::Keyword).unwrap();
        keyword.source.to_mut().push_str(" plus");
        assert_ne!(fingerprint(&changed), fingerprint(&rules));
        let mut fewer = rules.clone();
        fewer.functions[1].rules.pop();
        assert_ne!(fingerprint(&fewer), fingerprint(&rules));
        let mut moved = rules;
        let last = moved.functions[0].rules.pop().unwrap();
        moved.functions[1].rules.insert(0, last);
        assert_ne!(fingerprint(&moved), fingerprint(&RuleSet::default_rules()));
    }
}
