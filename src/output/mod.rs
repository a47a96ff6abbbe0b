//! Printers: the only code that turns verdicts into text, JSON or CSV. Everything writes to a
//! `W: Write` so tests and commands choose the destination; colour is decided once by the caller.

pub mod check;
pub mod json;
pub mod text;

use crate::classify::Verdict;
use crate::rules::RuleSet;

/// The compact, human-readable reasons of a verdict, strongest first: `"how do i"(+3) sdk(+2)`.
pub fn reasons(verdict: &Verdict, rules: &RuleSet) -> String {
    let mut out = String::new();
    for contribution in &verdict.contributions {
        let rule = &rules.functions[contribution.function].rules[contribution.rule];
        if !out.is_empty() {
            out.push(' ');
        }
        if rule.name.contains(char::is_whitespace) || rule.name.contains('"') {
            out.push_str(&format!("{:?}", rule.name));
        } else {
            out.push_str(&rule.name);
        }
        out.push_str(&format!("({})", signed(contribution.points)));
    }
    out
}

/// A score or weight with its sign and without a needless `.0`: `+3`, `-1`, `+1.5`.
pub fn signed(value: f64) -> String {
    if value < 0.0 {
        format!("-{}", number(-value))
    } else {
        format!("+{}", number(value))
    }
}

/// A number without a needless `.0`: `3`, `1.5`.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{}", (value * 1000.0).round() / 1000.0)
    }
}
