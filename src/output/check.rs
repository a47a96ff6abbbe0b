//! The output of `triage check`: linter-style lines (`path:line:col: level[code]: message`) with
//! the why under each finding, GitHub Actions workflow commands (annotations on a pull request's
//! diff), or one JSON element per checked request.

use std::io::{self, Write};

use colored::Colorize;
use serde_json::{json, Value};

use super::number;
use crate::classify::Verdict;
use crate::rules::RuleSet;
use crate::templates::{Checked, Code, ExpectedSource, Kind, Level};

/// A path as it appears in a `path:line:col` line: control characters (a newline or tab in a file
/// name) escaped as `\n`, `\t`, `\u{1b}`, so each finding stays one line that tools can parse.
pub fn one_line(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(path);
    }
    let escaped = path
        .chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect();
    std::borrow::Cow::Owned(escaped)
}

/// Print one checked request's findings, each followed by the why (top scores, matched terms).
pub fn text<W: Write>(out: &mut W, path: &str, checked: &Checked, rules: &RuleSet) -> io::Result<()> {
    for finding in &checked.findings {
        let level = match finding.level {
            Level::Error => finding.level.as_str().red().bold(),
            Level::Warning => finding.level.as_str().yellow().bold(),
        };
        writeln!(
            out,
            "{}: {level}[{}]: {}",
            format!("{}:{}:{}", one_line(path), finding.line, finding.column).bold(),
            finding.code.as_str(),
            finding.message,
        )?;
        if matches!(finding.code, Code::Mismatch | Code::Mixed | Code::Unassigned) {
            if let Some(verdict) = &checked.verdict {
                why(out, checked, verdict, rules)?;
            }
        }
    }
    Ok(())
}

/// Print one checked request's findings as GitHub workflow commands
/// (`::error file=PATH,line=L,col=C,title=triage[code]::message`, or `::warning`), the why on
/// the message's further lines, so each finding shows on the line of the pull request's diff.
pub fn github<W: Write>(out: &mut W, path: &str, checked: &Checked, rules: &RuleSet) -> io::Result<()> {
    for finding in &checked.findings {
        let mut message = finding.message.clone().into_bytes();
        if matches!(finding.code, Code::Mismatch | Code::Mixed | Code::Unassigned) {
            if let Some(verdict) = &checked.verdict {
                message.push(b'\n');
                why(&mut message, checked, verdict, rules)?;
            }
        }
        let message = String::from_utf8_lossy(&message);
        writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            finding.level.as_str(),
            github_property(path),
            finding.line,
            finding.column,
            github_property(&format!("triage[{}]", finding.code.as_str())),
            github_data(message.trim_end()),
        )?;
    }
    Ok(())
}

/// The `-v` line of `--format github`: a notice saying where a passing template routes.
pub fn github_passed<W: Write>(
    out: &mut W,
    path: &str,
    checked: &Checked,
    rules: &RuleSet,
) -> io::Result<()> {
    let Some(verdict) = &checked.verdict else { return Ok(()) };
    let owner = verdict.owner.map_or("no function", |index| rules.functions[index].name.as_str());
    let message = format!("routes to {owner} ({}, score {})", verdict.status.as_str(), number(verdict.score));
    writeln!(
        out,
        "::notice file={},line={},col={},title=triage::{}",
        github_property(path),
        checked.at.line,
        checked.at.column,
        github_data(&message),
    )
}

/// A workflow command's message: `%`, CR and LF escaped, as the runner decodes them.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`, which end a value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The `-v` line for a request with no findings.
pub fn passed<W: Write>(out: &mut W, path: &str, checked: &Checked, rules: &RuleSet) -> io::Result<()> {
    let Some(verdict) = &checked.verdict else { return Ok(()) };
    let owner = verdict.owner.map_or("no function", |index| rules.functions[index].name.as_str());
    let name = checked.name.as_deref().map(|n| format!("{n:?} ")).unwrap_or_default();
    writeln!(
        out,
        "{}: {}: {name}routes to {owner} ({}, score {})",
        format!("{}:{}:{}", one_line(path), checked.at.line, checked.at.column).bold(),
        "ok".green().bold(),
        verdict.status.as_str(),
        number(verdict.score),
    )
}

/// The why of a verdict: every function's score, then the (up to three) voters that counted,
/// highest first, with the rules that counted in the same terms as `reasons`.
fn why<W: Write>(out: &mut W, checked: &Checked, verdict: &Verdict, rules: &RuleSet) -> io::Result<()> {
    let mut order: Vec<usize> = (0..verdict.scores.len()).collect();
    order.sort_by(|&a, &b| verdict.scores[b].total_cmp(&verdict.scores[a]).then(a.cmp(&b)));
    let scores: Vec<String> =
        order.iter().map(|&i| format!("{} {}", rules.functions[i].id, number(verdict.scores[i]))).collect();
    writeln!(out, "    scores: {} (threshold {})", scores.join(", "), number(rules.threshold))?;
    for group in super::listed(verdict).iter().take(3) {
        let mut terms: Vec<String> = group
            .contributions
            .iter()
            .map(|c| {
                let rule = rules.rule(c.function, c.rule);
                let matched = super::evidence_line(verdict, c);
                let note = super::field_note(c).map(|note| format!(" {note}")).unwrap_or_default();
                format!("{}({}{note})", quote(&rule.name, &matched), super::signed(c.points))
            })
            .collect();
        if group.floor > 0.0 {
            terms.push(format!("{:?}({})", super::FLOOR_LABEL, super::signed(group.floor)));
        }
        writeln!(out, "    {}: {}", rules.voter_id(group.function), terms.join(" "))?;
    }
    if let Some(decided) = &checked.decided {
        writeln!(out, "    decided by: {} (line {})", decided.part, decided.at.line)?;
    }
    Ok(())
}

/// A fired rule for a person: the text it matched, and the rule when that differs.
fn quote(rule: &str, matched: &str) -> String {
    let shown = if matched.is_empty() || matched.contains(char::is_whitespace) || matched.contains('"') {
        format!("{matched:?}")
    } else {
        matched.to_owned()
    };
    if rule.eq_ignore_ascii_case(matched) {
        shown
    } else {
        format!("{shown} [{rule}]")
    }
}

/// One checked request as a JSON object.
pub fn json(path: &str, kind: Kind, checked: &Checked, rules: &RuleSet) -> Value {
    let verdict = checked.verdict.as_ref();
    let scores = verdict.map(|verdict| super::json::scores(verdict, rules)).unwrap_or_default();
    let source = |source: ExpectedSource| match source {
        ExpectedSource::Labels => "labels",
        ExpectedSource::Directive => "directive",
    };
    json!({
        "path": path,
        "line": checked.at.line,
        "kind": kind,
        "name": checked.name,
        "owner": verdict.and_then(|v| v.owner).map(|index| rules.functions[index].id.as_str()),
        "status": verdict.map(|v| v.status),
        "score": verdict.map(|v| v.score),
        // `"unassigned"` for a `triage: unassigned` directive; `null` when nothing is expected.
        "expected": checked.expected.as_ref().map(|e| {
            e.function.map_or(crate::templates::UNASSIGNED, |index| rules.functions[index].id.as_str())
        }),
        "expected_source": checked.expected.as_ref().map(|e| source(e.source)),
        "scores": scores,
        "reasons": verdict.map(|v| super::reasons(v, rules)),
        "decided_by": checked.decided.as_ref().map(|d| json!({"line": d.at.line, "column": d.at.column, "part": d.part})),
        "findings": checked.findings,
    })
}

#[cfg(test)]
mod tests {
    use super::{github_data, github_property};

    #[test]
    fn workflow_command_values_escape_what_would_end_them() {
        assert_eq!(github_data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(github_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
