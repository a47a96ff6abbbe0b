//! Printers: the only code that turns verdicts into text, JSON or CSV. Everything writes to a
//! `W: Write` so tests and commands choose the destination; colour is decided once by the caller.

pub mod check;
pub mod json;
pub mod text;

use std::fmt::Write as _;

use crate::classify::{Contribution, NoOwner, Verdict};
use crate::rules::{RuleSet, NONE_ID};

/// What one voter's score is made of, as every printer lists it: the contributions that counted
/// (strongest first) and the points the floor at 0 added back. They add up to `score`.
pub struct Listed<'v> {
    /// A function, or the `none:` block at [`RuleSet::none_index`].
    pub function: usize,
    pub score: f64,
    pub contributions: Vec<&'v Contribution>,
    /// Points added so the score does not drop below 0 (0 when the floor did not apply).
    pub floor: f64,
}

/// The verdict's contributions by voter, highest score first (ties in rule-file order).
pub fn listed(verdict: &Verdict) -> Vec<Listed<'_>> {
    let mut groups: Vec<Listed> = Vec::new();
    for contribution in &verdict.contributions {
        match groups.last_mut() {
            Some(group) if group.function == contribution.function => group.contributions.push(contribution),
            _ => groups.push(Listed {
                function: contribution.function,
                score: verdict.score_of(contribution.function),
                contributions: vec![contribution],
                floor: verdict.floor(contribution.function),
            }),
        }
    }
    groups
}

/// The label of the floor line, where counter-evidence outweighed a function's evidence.
pub const FLOOR_LABEL: &str = "floor at 0";

/// The compact, human-readable reasons of a verdict, in one format everywhere (text, CSV, eval,
/// `rules test`, `check`): each voter that counted, highest score first, then its rules with
/// their points, strongest first. `devrel: "how do i"(+4) sdk(+8 title x2); none: invoice(+4)`.
/// A field weight other than 1 is shown after the points; where counter-evidence outweighed
/// evidence, `"floor at 0"(+N)` shows what the floor added back. Empty when nothing counted.
pub fn reasons(verdict: &Verdict, rules: &RuleSet) -> String {
    let mut out = String::new();
    push_reasons(&mut out, verdict, rules);
    out
}

/// [`reasons`] appended to a reused buffer: batch writes one per row.
pub fn push_reasons(out: &mut String, verdict: &Verdict, rules: &RuleSet) {
    let start = out.len();
    for (index, group) in listed(verdict).iter().enumerate() {
        if index > 0 {
            out.push_str("; ");
        }
        out.push_str(rules.voter_id(group.function));
        out.push(':');
        for contribution in &group.contributions {
            out.push(' ');
            push_name(out, &rules.rule(contribution.function, contribution.rule).name);
            out.push('(');
            push_signed(out, contribution.points);
            if let Some(field) = field_note(contribution) {
                out.push(' ');
                out.push_str(&field);
            }
            out.push(')');
        }
        if group.floor > 0.0 {
            out.push(' ');
            push_name(out, FLOOR_LABEL);
            out.push('(');
            push_signed(out, group.floor);
            out.push(')');
        }
    }
    if let Some(note) = verdict.language.and_then(|detected| detected.note()) {
        if out.len() > start {
            out.push_str("; ");
        }
        out.push_str("note: ");
        out.push_str(&note);
    }
}

/// A rule name as the reasons write it (see [`push_name`]).
pub fn quoted_name(name: &str) -> String {
    let mut out = String::new();
    push_name(&mut out, name);
    out
}

/// A rule name, quoted when it has spaces or quotes, so a list of names stays readable.
fn push_name(out: &mut String, name: &str) {
    if name.contains(char::is_whitespace) || name.contains('"') || name.is_empty() {
        let _ = write!(out, "{name:?}");
    } else {
        out.push_str(name);
    }
}

/// `title x2` when a contribution's field weight changed its points, else nothing.
pub fn field_note(contribution: &Contribution) -> Option<String> {
    (contribution.field_weight != 1.0)
        .then(|| format!("{} x{}", contribution.field.as_str(), number(contribution.field_weight)))
}

/// Why a verdict has no owner, for a person: `threshold 2`; `threshold 2; none 4: belongs to no
/// function`; `a single rule needs 3`. Empty when it has an owner.
pub fn no_owner_note(verdict: &Verdict, rules: &RuleSet) -> String {
    match verdict.no_owner {
        None => String::new(),
        Some(NoOwner::BelowThreshold) => format!("threshold {}", number(rules.threshold)),
        Some(NoOwner::NotOurs) => format!(
            "threshold {}; {NONE_ID} {}: belongs to no function",
            number(rules.threshold),
            number(verdict.none_score)
        ),
        Some(NoOwner::SingleWeakRule) => {
            format!("a single rule needs {}", number(rules.single_rule_threshold))
        }
    }
}

/// The text a counted rule matched, on one line (whitespace runs collapsed), for printing.
pub(crate) fn evidence_line(verdict: &Verdict, contribution: &Contribution) -> String {
    let text = verdict.evidence(contribution).map_or("", |found| found.text.as_str());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plural ending of a count's noun: `1 row`, `2 rows`.
pub fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// A score or weight with its sign and without a needless `.0`: `+3`, `-1`, `+1.5`.
pub fn signed(value: f64) -> String {
    let mut out = String::new();
    push_signed(&mut out, value);
    out
}

fn push_signed(out: &mut String, value: f64) {
    if value < 0.0 {
        out.push('-');
        push_number(out, -value);
    } else {
        out.push('+');
        push_number(out, value);
    }
}

/// A number without a needless `.0`: `3`, `1.5`.
pub fn number(value: f64) -> String {
    let mut out = String::new();
    push_number(&mut out, value);
    out
}

/// [`number`] appended to a reused buffer.
pub fn push_number(out: &mut String, value: f64) {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let _ = write!(out, "{}", value as i64);
    } else {
        let _ = write!(out, "{}", (value * 1000.0).round() / 1000.0);
    }
}
