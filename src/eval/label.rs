//! Expected owners as people write them in data files: a function id or name in any case, or
//! `unassigned`. Anything else is an error, because a typo in a label would silently count as a
//! rule mistake.

use crate::rules::RuleSet;

/// A label that names no function.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "row {row}{}: {}; expected one of: {}",
    line.map(|line| format!(" (line {line})")).unwrap_or_default(),
    if label.trim().is_empty() { "the label is empty".to_owned() } else { format!("label {label:?} is not a function") },
    valid.join(", ")
)]
pub struct LabelError {
    pub row: usize,
    /// The 1-based line the row starts on, when the caller knows it.
    pub line: Option<u64>,
    pub label: String,
    /// The labels that would have been accepted: each function id, then `unassigned`.
    pub valid: Vec<String>,
}

/// Resolve a label to a function index (`Some`) or `unassigned` (`None`). Surrounding
/// whitespace is ignored; an empty label is an error like any other unknown one.
pub fn parse_label(rules: &RuleSet, row: usize, label: &str) -> Result<Option<usize>, LabelError> {
    let wanted = label.trim();
    if wanted.eq_ignore_ascii_case("unassigned") {
        return Ok(None);
    }
    if !wanted.is_empty() {
        if let Some(index) = rules.find_function(wanted) {
            return Ok(Some(index));
        }
    }
    let mut valid: Vec<String> = rules.functions.iter().map(|f| f.id.clone()).collect();
    valid.push("unassigned".into());
    Err(LabelError { row, line: None, label: label.to_owned(), valid })
}
