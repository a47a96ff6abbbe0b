//! Rule quality on labelled data: how often the rules pick the owner a person picked, where they
//! go wrong, and which rule to fix. Pure: it takes verdicts the classifier already produced (the
//! same ones `triage batch` prints) and returns figures; printers live in [`text`] and [`json`].
//!
//! All figures are computed over the *scored* requests (rows that could be read and labelled);
//! rows that could not be read are carried in [`Report::unreadable`] and never counted. Every
//! ratio whose denominator is 0 is 0 (no request, no prediction, no firing rule).

mod groups;
mod label;
mod metrics;
mod mistakes;
mod rule_stats;

pub mod json;
pub mod text;

pub use groups::{by_group, GroupScores};
pub use label::{parse_label, LabelError};
pub use metrics::{Confusion, FunctionScores};
pub use mistakes::Mistake;
#[cfg(test)]
use rule_stats::scores_without;
pub use rule_stats::{owner_without, RuleStats};

use serde::Serialize;

use crate::classify::{Status, Verdict};
use crate::rules::RuleSet;

/// One labelled request and the verdict the rules gave it.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The row number the table reader reports (used in messages and the mistakes list).
    pub row: usize,
    /// The value of the id column, when there is one.
    pub id: Option<String>,
    /// The expected owner: a function index, or `None` for `unassigned`.
    pub expected: Option<usize>,
    pub verdict: Verdict,
    /// A short piece of the request's text, to recognise it in the mistakes list.
    pub excerpt: String,
}

/// A row that could not be scored, reported instead of dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub row: usize,
    /// The 1-based line the row starts on, when known.
    pub line: Option<u64>,
    /// Why it could not be read.
    pub message: String,
}

/// Everything `triage eval` reports. Built by [`evaluate`].
#[derive(Debug, Clone)]
pub struct Report {
    /// Accuracy, macro-F1, coverage and the counts they come from.
    pub headline: Headline,
    /// One entry per function, in rule-file order.
    pub per_function: Vec<FunctionScores>,
    /// Expected x predicted counts, `unassigned` last on both axes.
    pub confusion: Confusion,
    /// One entry per rule, in rule-file order (function by function).
    pub rules: Vec<RuleStats>,
    /// Every misclassified request, worst first (see [`Mistake::margin`]).
    pub mistakes: Vec<Mistake>,
    /// Rows that could not be read; not part of any figure.
    pub unreadable: Vec<Unreadable>,
}

impl Report {
    /// The functions that occur in the data as a label or a prediction: the ones averaged by
    /// macro-F1 and checked by an F1 gate.
    pub fn present_functions(&self) -> impl Iterator<Item = &FunctionScores> {
        self.per_function.iter().filter(|scores| scores.present())
    }

    /// Rules that never fired on these requests.
    pub fn dead_rules(&self) -> impl Iterator<Item = &RuleStats> {
        self.rules.iter().filter(|stats| stats.fires == 0)
    }

    /// Scored requests predicted `unassigned`.
    pub fn without_owner(&self) -> usize {
        self.headline.total - self.headline.with_owner
    }
}

/// The summary figures of a set of labelled requests: the head of a [`Report`], and one
/// [`GroupScores`] per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// Scored requests (the denominator of accuracy and coverage).
    #[serde(rename = "requests")]
    pub total: usize,
    /// Requests whose predicted owner (or `unassigned`) equals the label.
    pub correct: usize,
    /// `correct / total`; 0 when there is no request.
    pub accuracy: f64,
    /// The mean F1 over the functions that occur in the data, as a label or as a prediction
    /// (like scikit-learn's macro average without a fixed label list). `unassigned` is not a
    /// function and is not averaged; its errors still lower the functions' recall or precision.
    /// 0 when no function occurs.
    pub macro_f1: f64,
    /// `with_owner / total`: the share of requests the rules give an owner; 0 when empty.
    pub coverage: f64,
    /// Verdicts with an owner (status `assigned` or `mixed`).
    pub with_owner: usize,
    /// Verdicts with status `mixed` (they still have an owner and count as predictions).
    pub mixed: usize,
}

impl Headline {
    /// The figures of `samples`, with the confusion matrix and per-function scores they come from.
    pub fn of<'a>(
        functions: usize,
        samples: impl IntoIterator<Item = &'a Sample> + Clone,
    ) -> (Headline, Confusion, Vec<FunctionScores>) {
        let confusion = Confusion::build(functions, samples.clone());
        let per_function = FunctionScores::from_confusion(&confusion);
        let (mut total, mut mixed, mut with_owner) = (0, 0, 0);
        for sample in samples {
            total += 1;
            mixed += usize::from(sample.verdict.status == Status::Mixed);
            with_owner += usize::from(sample.verdict.owner.is_some());
        }
        let correct = confusion.correct();
        let headline = Headline {
            total,
            correct,
            accuracy: ratio(correct, total),
            macro_f1: macro_f1(&per_function),
            coverage: ratio(with_owner, total),
            with_owner,
            mixed,
        };
        (headline, confusion, per_function)
    }
}

/// Compute every figure of a [`Report`] from labelled verdicts.
///
/// `samples` must come from classifying with `rules` (function and rule indexes refer to it).
pub fn evaluate(rules: &RuleSet, samples: &[Sample]) -> Report {
    let (headline, confusion, per_function) = Headline::of(rules.functions.len(), samples);
    Report {
        headline,
        per_function,
        confusion,
        rules: RuleStats::compute(rules, samples),
        mistakes: Mistake::rank(rules, samples),
        unreadable: Vec::new(),
    }
}

/// Accuracy and macro-F1 alone, for callers that measure many rule sets and need no per-rule
/// statistics (`rules suggest` in cross-validation). Same definitions as [`Headline`].
pub fn headline(functions: usize, samples: &[Sample]) -> (f64, f64) {
    let (headline, _, _) = Headline::of(functions, samples);
    (headline.accuracy, headline.macro_f1)
}

/// The mean F1 over the functions present in the data (see [`Headline::macro_f1`]).
fn macro_f1(per_function: &[FunctionScores]) -> f64 {
    let present: Vec<f64> = per_function.iter().filter(|s| s.present()).map(|s| s.f1).collect();
    ratio_f(present.iter().sum(), present.len() as f64)
}

/// `part / whole`, 0 when `whole` is 0.
pub(crate) fn ratio(part: usize, whole: usize) -> f64 {
    ratio_f(part as f64, whole as f64)
}

fn ratio_f(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        part / whole
    }
}

/// The harmonic mean of precision and recall; 0 when both are 0.
pub(crate) fn f1(precision: f64, recall: f64) -> f64 {
    ratio_f(2.0 * precision * recall, precision + recall)
}

#[cfg(test)]
mod tests;
