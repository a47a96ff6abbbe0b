//! The JSON form of a verdict: the full evidence, stable key order, never coloured.

use serde_json::{json, Map, Value};

use crate::classify::Verdict;
use crate::rules::RuleSet;

/// Every function's score, keyed by function id in rule-file order.
pub(crate) fn scores(verdict: &Verdict, rules: &RuleSet) -> Map<String, Value> {
    rules
        .functions
        .iter()
        .zip(&verdict.scores)
        .map(|(function, score)| (function.id.clone(), json!(score)))
        .collect()
}

/// One verdict as a JSON object: owner, name, focus, the owner's issue labels (so a script can
/// apply them; empty without an owner), status, score, every function's score, the runner-up and
/// every match with its span.
pub fn verdict(verdict: &Verdict, rules: &RuleSet) -> Value {
    let owner = verdict.owner.map(|index| &rules.functions[index]);
    let scores = scores(verdict, rules);
    let matches: Vec<Value> = verdict
        .matches
        .iter()
        .map(|found| {
            let function = &rules.functions[found.function];
            json!({
                "function": function.id,
                "rule": function.rules[found.rule].name,
                "kind": found.kind,
                "weight": found.weight,
                "field": found.field,
                "part": found.part,
                "start": found.start,
                "end": found.end,
                "text": found.text,
            })
        })
        .collect();
    json!({
        "owner": owner.map(|f| f.id.as_str()),
        "name": owner.map(|f| f.name.as_str()),
        "focus": owner.map(|f| f.focus.as_str()),
        "labels": owner.map(|f| f.labels.as_slice()).unwrap_or_default(),
        "status": verdict.status,
        "score": verdict.score,
        "scores": scores,
        "runner_up": verdict.runner_up.map(|index| rules.functions[index].id.as_str()),
        "matches": matches,
    })
}
