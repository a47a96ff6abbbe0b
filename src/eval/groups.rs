//! Figures per group of requests (`triage eval --group-column channel`): the same accuracy,
//! macro-F1 and coverage as the whole report, within each value of one column, so a team can see
//! where its rules are weak (chat against issues, one language against another).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Headline, Sample};

/// The headline figures of the requests that share one value of the group column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScores {
    /// The column's value as written (trimmed); empty when the cell was empty.
    pub value: String,
    #[serde(flatten)]
    pub headline: Headline,
}

/// One entry per distinct value of `values`, sorted by value; `values[i]` is the group of
/// `samples[i]` (both come from the same rows, in the same order).
pub fn by_group(functions: usize, samples: &[Sample], values: &[String]) -> Vec<GroupScores> {
    debug_assert_eq!(samples.len(), values.len(), "one group value per sample");
    let mut groups: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
    for (sample, value) in samples.iter().zip(values) {
        groups.entry(value.trim()).or_default().push(sample);
    }
    groups
        .into_iter()
        .map(|(value, members)| GroupScores {
            value: value.to_owned(),
            headline: Headline::of(functions, members.iter().copied()).0,
        })
        .collect()
}
