//! Per-rule statistics in the spirit of Snorkel's labeling-function summary: how often a rule
//! fires, how often on its own function's requests, whom it fights, and which verdicts it decides.

use serde::Serialize;

use super::{ratio, Sample};
use crate::classify::{Contribution, Tally, Verdict};
use crate::rules::RuleSet;

/// What one rule did over the labelled requests. A rule *fires* on a request when it matched at
/// least once (it appears in the verdict's contributions).
///
/// A rule with a positive weight votes *for* its function; one with a negative weight is
/// counter-evidence and votes *against* it. "Correct" follows the vote: a positive rule is
/// correct when the request's label is its function, a negative rule when the label is anything
/// else (another function or `unassigned`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleStats {
    /// Index into the rule set's functions.
    #[serde(skip)]
    pub function: usize,
    /// Index into that function's rules.
    #[serde(skip)]
    pub rule: usize,
    /// Requests it fired on.
    pub fires: usize,
    /// Firings whose label agrees with the rule's vote.
    pub correct: usize,
    /// Firings whose label disagrees with the rule's vote (`fires - correct`).
    pub incorrect: usize,
    /// `correct / fires`: how far to trust the rule when it fires; 0 for a dead rule.
    pub precision: f64,
    /// Firings where another fired rule votes differently (Snorkel's "conflicts"): for a rule
    /// voting for its function F, a rule voting for another function or against F; for a rule
    /// voting against F, a rule voting for F. Rules that vote alike (for devrel, against
    /// community) do not conflict.
    pub conflicts: usize,
    /// Firings where the owner would change without this rule: the verdict's scores are
    /// recomputed without its points and decided again by [`RuleSet::decide`]. A change to or
    /// from `unassigned` counts; a change of status alone (assigned <-> mixed) does not.
    pub decisive: usize,
    /// Decisive firings where the owner with the rule is the label and without it is not.
    pub helps: usize,
    /// Decisive firings where the owner without the rule is the label and with it is not.
    pub hurts: usize,
}

impl RuleStats {
    /// Statistics for every rule of `rules`, in rule-file order.
    pub fn compute(rules: &RuleSet, samples: &[Sample]) -> Vec<RuleStats> {
        let mut stats: Vec<RuleStats> = Vec::new();
        let mut offsets = Vec::with_capacity(rules.functions.len());
        for (function, definition) in rules.functions.iter().enumerate() {
            offsets.push(stats.len());
            for rule in 0..definition.rules.len() {
                stats.push(RuleStats {
                    function,
                    rule,
                    fires: 0,
                    correct: 0,
                    incorrect: 0,
                    precision: 0.0,
                    conflicts: 0,
                    decisive: 0,
                    helps: 0,
                    hurts: 0,
                });
            }
        }
        for sample in samples {
            let verdict = &sample.verdict;
            for contribution in &verdict.contributions {
                let Some(entry) = offsets
                    .get(contribution.function)
                    .and_then(|offset| stats.get_mut(offset + contribution.rule))
                else {
                    continue; // a verdict from other rules; nothing sensible to count
                };
                entry.fires += 1;
                let votes_for = contribution.points >= 0.0;
                let labelled_here = sample.expected == Some(contribution.function);
                if votes_for == labelled_here {
                    entry.correct += 1;
                } else {
                    entry.incorrect += 1;
                }
                if verdict.contributions.iter().any(|other| disagree(contribution, other)) {
                    entry.conflicts += 1;
                }
                let without = owner_without(rules, verdict, contribution.function, contribution.rule);
                if without != verdict.owner {
                    entry.decisive += 1;
                    if verdict.owner == sample.expected {
                        entry.helps += 1;
                    } else if without == sample.expected {
                        entry.hurts += 1;
                    }
                }
            }
        }
        for entry in &mut stats {
            entry.precision = ratio(entry.correct, entry.fires);
        }
        stats
    }
}

/// Whether two fired rules vote differently: `for F` disagrees with `for G` (G != F) and with
/// `against F`; `against F` disagrees only with `for F`.
fn disagree(rule: &Contribution, other: &Contribution) -> bool {
    match (rule.points >= 0.0, other.points >= 0.0) {
        (true, true) => other.function != rule.function,
        (true, false) | (false, true) => other.function == rule.function,
        (false, false) => false,
    }
}

/// The owner `verdict` would have without the contribution of rule `rule` of `function`.
///
/// Scores are rebuilt the way the classifier builds them: each function's contributions summed
/// in rule-file order, floored at 0, rounded to 6 decimals; then [`RuleSet::decide_tally`] picks
/// the owner (the `none:` block and `single_rule_threshold` included). With nothing removed this
/// gives back the verdict's own owner. The other matches stay as they were: a rule that lost an
/// overlap to the removed one is not brought back.
pub fn owner_without(rules: &RuleSet, verdict: &Verdict, function: usize, rule: usize) -> Option<usize> {
    rules.decide_tally(&tally_without(verdict, function, rule)).owner
}

/// The verdict's tally rebuilt from its contributions without rule `rule` of `function`.
fn tally_without(verdict: &Verdict, function: usize, rule: usize) -> Tally {
    let mut kept: Vec<_> =
        verdict.contributions.iter().filter(|c| (c.function, c.rule) != (function, rule)).collect();
    kept.sort_by_key(|c| (c.function, c.rule));
    crate::classify::tally(verdict.scores.len(), kept)
}

/// The verdict's scores rebuilt from its contributions without rule `rule` of `function`.
#[cfg(test)]
pub(crate) fn scores_without(verdict: &Verdict, function: usize, rule: usize) -> Vec<f64> {
    tally_without(verdict, function, rule).scores
}
