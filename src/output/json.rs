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
/// apply them; empty without an owner), status, score, every function's score, the runner-up,
/// every match with its span and the points it added (`counted: false` and why for a match that
/// changed nothing), and what the floor at 0 added back per function. The points of a function's
/// counted matches plus its floor add up to its score.
pub fn verdict(verdict: &Verdict, rules: &RuleSet) -> Value {
    let owner = verdict.owner.map(|index| &rules.functions[index]);
    let scores = scores(verdict, rules);
    let mut points = vec![0.0; verdict.matches.len()];
    for contribution in &verdict.contributions {
        if let Some(slot) = points.get_mut(contribution.evidence) {
            *slot = contribution.points;
        }
    }
    let matches: Vec<Value> = verdict
        .matches
        .iter()
        .zip(points)
        .map(|(found, points)| {
            let mut value = json!({
                "function": rules.voter_id(found.function),
                "rule": rules.rule(found.function, found.rule).name,
                "kind": found.kind,
                "weight": found.weight,
                "field": found.field,
                "field_weight": rules.field_weight(found.field),
                "part": found.part,
                "start": found.start,
                "end": found.end,
                "text": found.text,
                "counted": found.counted(),
                "points": points,
            });
            if let (Some(why), Some(object)) = (found.uncounted, value.as_object_mut()) {
                object.insert("uncounted".into(), json!(why));
            }
            value
        })
        .collect();
    let floor: Map<String, Value> = super::listed(verdict)
        .iter()
        .filter(|group| group.floor > 0.0)
        .map(|group| (rules.voter_id(group.function).to_owned(), json!(group.floor)))
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
        "no_owner": verdict.no_owner,
        "none_score": verdict.none_score,
        "language": verdict.language.and_then(|detected| detected.language).map(|language| language.code),
        "script": verdict.language.map(|detected| detected.script),
        "note": verdict.language.and_then(|detected| detected.note()),
        "matches": matches,
        "floor": floor,
    })
}
