//! The misclassified requests, worst first, so a rule author starts with the clearest failures.

use super::Sample;
use crate::rules::RuleSet;

/// A request whose predicted owner differs from its label.
#[derive(Debug, Clone)]
pub struct Mistake {
    /// Index into the samples given to [`super::evaluate`].
    pub sample: usize,
    /// How many score points the rules were away from the right answer:
    /// - a wrong owner for a request labelled with a function: owner's score - that function's
    ///   score (0 when a tie went to the function listed first);
    /// - an owner for a request labelled `unassigned`: owner's score - threshold;
    /// - `unassigned` for a request labelled with a function: threshold - that function's score.
    ///
    /// Larger is worse: the rules were confidently wrong.
    pub margin: f64,
}

impl Mistake {
    /// Every mistake, by margin (largest first), then by sample order.
    pub fn rank(rules: &RuleSet, samples: &[Sample]) -> Vec<Mistake> {
        let score =
            |sample: &Sample, function: usize| sample.verdict.scores.get(function).copied().unwrap_or(0.0);
        let mut mistakes: Vec<Mistake> = samples
            .iter()
            .enumerate()
            .filter(|(_, sample)| sample.verdict.owner != sample.expected)
            .map(|(index, sample)| {
                let margin = match (sample.verdict.owner, sample.expected) {
                    (Some(owner), Some(expected)) => score(sample, owner) - score(sample, expected),
                    (Some(owner), None) => score(sample, owner) - rules.threshold,
                    (None, Some(expected)) => rules.threshold - score(sample, expected),
                    (None, None) => 0.0, // not a mistake; filtered out above
                };
                Mistake { sample: index, margin: crate::classify::round_score(margin) }
            })
            .collect();
        mistakes.sort_by(|a, b| b.margin.total_cmp(&a.margin).then(a.sample.cmp(&b.sample)));
        mistakes
    }
}
