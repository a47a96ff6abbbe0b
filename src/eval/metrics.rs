//! The confusion matrix and the per-function precision, recall and F1 read from it.

use serde::Serialize;

use super::{f1, ratio, Sample};

/// Counts of (expected, predicted) pairs. Index `i < functions` is function `i`; index
/// `functions` is `unassigned`, on both axes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confusion {
    pub functions: usize,
    /// `cells[expected][predicted]`, a square of side `functions + 1`.
    pub cells: Vec<Vec<usize>>,
}

impl Confusion {
    /// Count every sample once: its label against its verdict's owner (`mixed` verdicts count
    /// as their owner).
    pub fn build<'a>(functions: usize, samples: impl IntoIterator<Item = &'a Sample>) -> Confusion {
        let mut cells = vec![vec![0; functions + 1]; functions + 1];
        for sample in samples {
            let expected = sample.expected.unwrap_or(functions);
            let predicted = sample.verdict.owner.unwrap_or(functions);
            cells[expected][predicted] += 1;
        }
        Confusion { functions, cells }
    }

    /// The index of `unassigned` on both axes.
    pub fn unassigned(&self) -> usize {
        self.functions
    }

    /// Samples on the diagonal (predicted = expected, including `unassigned` = `unassigned`).
    pub fn correct(&self) -> usize {
        (0..=self.functions).map(|i| self.cells[i][i]).sum()
    }

    /// How many samples carry label `class`.
    pub fn expected(&self, class: usize) -> usize {
        self.cells[class].iter().sum()
    }

    /// How many samples the rules gave to `class`.
    pub fn predicted(&self, class: usize) -> usize {
        self.cells.iter().map(|row| row[class]).sum()
    }
}

/// How well the rules do for one function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionScores {
    /// Index into the rule set's functions.
    #[serde(skip)]
    pub function: usize,
    /// Requests predicted for this function that carry its label (true positives).
    pub correct: usize,
    /// Requests the rules gave to this function (true + false positives).
    pub predicted: usize,
    /// Requests labelled with this function (true positives + false negatives).
    pub support: usize,
    /// `correct / predicted`: of what the rules sent here, the share that belongs here.
    pub precision: f64,
    /// `correct / support`: of what belongs here, the share the rules sent here.
    pub recall: f64,
    /// `2 * precision * recall / (precision + recall)`, 0 when both are 0.
    pub f1: f64,
}

impl FunctionScores {
    /// One entry per function (not `unassigned`), in rule-file order.
    pub fn from_confusion(confusion: &Confusion) -> Vec<FunctionScores> {
        (0..confusion.functions)
            .map(|function| {
                let correct = confusion.cells[function][function];
                let predicted = confusion.predicted(function);
                let support = confusion.expected(function);
                let precision = ratio(correct, predicted);
                let recall = ratio(correct, support);
                FunctionScores {
                    function,
                    correct,
                    predicted,
                    support,
                    precision,
                    recall,
                    f1: f1(precision, recall),
                }
            })
            .collect()
    }

    /// Whether the function occurs in the data, as a label or as a prediction. A function that
    /// does neither has no meaningful F1 and is left out of macro-F1 and the F1 gate.
    pub fn present(&self) -> bool {
        self.support > 0 || self.predicted > 0
    }
}
