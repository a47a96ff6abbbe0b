//! The JSON form of an eval report: stable key order (rule-file order), never coloured.

use serde_json::{json, Map, Value};

use super::{GroupScores, Report, Sample};
use crate::output::reasons;
use crate::rules::RuleSet;

/// The id a class index stands for: a function id, or `unassigned`.
fn class_id(rules: &RuleSet, class: Option<usize>) -> &str {
    class.and_then(|index| rules.functions.get(index)).map_or("unassigned", |f| f.id.as_str())
}

/// The whole report as one JSON object; `show_errors` limits the `errors` list (the worst
/// misclassified requests), `misclassified` always counts them all. `predictions` lists every
/// scored row's label and verdict in input order, so any other figure can be computed from it
/// (and joined with `triage batch` output row by row).
///
/// `groups` (the group column's name and its figures per value) adds a `groups` object.
pub fn report(
    report: &Report,
    samples: &[Sample],
    rules: &RuleSet,
    show_errors: usize,
    groups: Option<(&str, &[GroupScores])>,
) -> Value {
    let mut per_function = Map::new();
    for scores in &report.per_function {
        let function = &rules.functions[scores.function];
        per_function.insert(
            function.id.clone(),
            json!({
                "name": function.name,
                "precision": scores.precision,
                "recall": scores.recall,
                "f1": scores.f1,
                "support": scores.support,
                "predicted": scores.predicted,
                "correct": scores.correct,
            }),
        );
    }
    let classes = || (0..=rules.functions.len()).map(|i| (i < rules.functions.len()).then_some(i));
    let mut confusion = Map::new();
    for expected in classes() {
        let row = report.confusion.cells[expected.unwrap_or(report.confusion.unassigned())].clone();
        let mut cells = Map::new();
        for (predicted, count) in classes().zip(row) {
            cells.insert(class_id(rules, predicted).to_owned(), json!(count));
        }
        confusion.insert(class_id(rules, expected).to_owned(), Value::Object(cells));
    }
    let rule_list: Vec<Value> = report
        .rules
        .iter()
        .map(|stats| {
            let function = &rules.functions[stats.function];
            let rule = &function.rules[stats.rule];
            json!({
                "function": function.id,
                "rule": rule.name,
                "kind": rule.kind,
                "source": rule.source,
                "weight": rule.weight,
                "line": rule.line,
                "fires": stats.fires,
                "correct": stats.correct,
                "incorrect": stats.incorrect,
                "precision": stats.precision,
                "conflicts": stats.conflicts,
                "decisive": stats.decisive,
                "helps": stats.helps,
                "hurts": stats.hurts,
                "dead": stats.fires == 0,
            })
        })
        .collect();
    let errors: Vec<Value> = report
        .mistakes
        .iter()
        .take(show_errors)
        .map(|mistake| {
            let sample = &samples[mistake.sample];
            let verdict = &sample.verdict;
            let scores = crate::output::json::scores(verdict, rules);
            let contributions: Vec<Value> = verdict
                .contributions
                .iter()
                .map(|c| {
                    json!({
                        "function": rules.voter_id(c.function),
                        "rule": rules.rule(c.function, c.rule).name,
                        "field": c.field,
                        "field_weight": c.field_weight,
                        "points": c.points,
                    })
                })
                .collect();
            json!({
                "row": sample.row,
                "id": sample.id,
                "expected": class_id(rules, sample.expected),
                "predicted": class_id(rules, verdict.owner),
                "status": verdict.status,
                "margin": mistake.margin,
                "score": verdict.score,
                "scores": scores,
                "reasons": reasons(verdict, rules),
                "contributions": contributions,
                "excerpt": sample.excerpt,
            })
        })
        .collect();
    let predictions: Vec<Value> = samples
        .iter()
        .map(|sample| {
            json!({
                "row": sample.row,
                "id": sample.id,
                "expected": class_id(rules, sample.expected),
                "predicted": class_id(rules, sample.verdict.owner),
                "status": sample.verdict.status,
                "score": sample.verdict.score,
            })
        })
        .collect();
    let unreadable: Vec<Value> = report
        .unreadable
        .iter()
        .map(|u| json!({ "row": u.row, "line": u.line, "message": u.message }))
        .collect();
    let mut value = json!({
        "rule_file": rules.origin,
        "requests": report.headline.total,
        "correct": report.headline.correct,
        "accuracy": report.headline.accuracy,
        "macro_f1": report.headline.macro_f1,
        "coverage": report.headline.coverage,
        "with_owner": report.headline.with_owner,
        "unassigned": report.without_owner(),
        "mixed": report.headline.mixed,
        "per_function": per_function,
        "confusion": confusion,
        "rules": rule_list,
        "dead_rules": report.dead_rules().count(),
        "misclassified": report.mistakes.len(),
        "errors": errors,
        "unreadable": unreadable,
        "predictions": predictions,
    });
    if let (Some((column, groups)), Some(object)) = (groups, value.as_object_mut()) {
        object.insert("groups".into(), json!({ "column": column, "values": groups }));
    }
    value
}
