//! Printers: the only code that turns verdicts into text, JSON or CSV. Everything writes to a
//! `W: Write` so tests and commands choose the destination; colour is decided once by the caller.

pub mod check;
pub mod json;
pub mod text;

use std::fmt::Write as _;

use crate::classify::{Contribution, Verdict};
use crate::rules::RuleSet;

/// The compact, human-readable reasons of a verdict, strongest first: `"how do i"(+3) sdk(+2)`.
pub fn reasons(verdict: &Verdict, rules: &RuleSet) -> String {
    let mut out = String::new();
    push_reasons(&mut out, verdict, rules);
    out
}

/// [`reasons`] appended to a reused buffer: batch writes one per row without allocating.
pub fn push_reasons(out: &mut String, verdict: &Verdict, rules: &RuleSet) {
    for (index, contribution) in verdict.contributions.iter().enumerate() {
        let rule = &rules.functions[contribution.function].rules[contribution.rule];
        if index > 0 {
            out.push(' ');
        }
        if rule.name.contains(char::is_whitespace) || rule.name.contains('"') {
            let _ = write!(out, "{:?}", rule.name);
        } else {
            out.push_str(&rule.name);
        }
        out.push('(');
        push_signed(out, contribution.points);
        out.push(')');
    }
}

/// The text a fired rule matched, on one line (whitespace runs collapsed), for printing.
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
