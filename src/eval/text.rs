//! The human form of an eval report: a summary, then tables (per function, confusion, rules) and
//! the worst mistakes. Colour comes from `colored`, whose on/off switch the binary sets once;
//! cells are padded before they are coloured so columns line up either way.

use std::io::{self, Write};

use colored::{ColoredString, Colorize};

use super::{GroupScores, Report, Sample};
use crate::output::text::function_color;
use crate::output::{number, plural, quoted_name, reasons, signed};
use crate::rules::{RuleKind, RuleSet};

/// What the text report lists beyond the summary.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// How many of the worst misclassified requests to list.
    pub errors: usize,
    /// How many of the rules that fired to list (most fires first); `None` lists them all and
    /// names every dead rule.
    pub rules: Option<usize>,
    /// The group column's name and the figures per value (`--group-column`).
    pub groups: Option<(&'a str, &'a [GroupScores])>,
}

/// A ratio with three decimals: `0.833`.
fn fixed(value: f64) -> String {
    format!("{value:.3}")
}

/// A class name padded to `width`, in its function's colour (`unassigned` plain).
fn class_cell(rules: &RuleSet, class: Option<usize>, width: usize, left: bool) -> ColoredString {
    let name = class.map_or("unassigned", |index| rules.functions[index].id.as_str());
    let padded = if left { format!("{name:<width$}") } else { format!("{name:>width$}") };
    match class {
        Some(index) => padded.color(function_color(index)),
        None => padded.normal(),
    }
}

/// Print the report; `shown` says how much of the rule and mistake lists to print.
pub fn report<W: Write>(
    out: &mut W,
    report: &Report,
    samples: &[Sample],
    rules: &RuleSet,
    shown: Shown,
) -> io::Result<()> {
    summary(out, report, rules)?;
    per_function(out, report, rules)?;
    if let Some((column, groups)) = shown.groups {
        group_table(out, column, groups)?;
    }
    confusion(out, report, rules)?;
    rule_table(out, report, rules, shown.rules)?;
    mistakes(out, report, samples, rules, shown.errors)?;
    unreadable(out, report)
}

/// Accuracy, macro-F1 and coverage within each value of the group column.
fn group_table<W: Write>(out: &mut W, column: &str, groups: &[GroupScores]) -> io::Result<()> {
    const EMPTY: &str = "(empty)";
    let shown = |value: &str| if value.is_empty() { EMPTY.to_owned() } else { value.to_owned() };
    let width = groups
        .iter()
        .map(|group| shown(&group.value).chars().count())
        .chain([column.chars().count()])
        .max()
        .unwrap_or(0);
    writeln!(out)?;
    writeln!(out, "{}", format!("by {column} ({} value{})", groups.len(), plural(groups.len())).bold())?;
    writeln!(out, "{}", format!("{column:<width$}  requests  accuracy  macro-F1  coverage  mixed").bold())?;
    for group in groups {
        let figures = &group.headline;
        writeln!(
            out,
            "{:<width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>5}",
            shown(&group.value),
            figures.total,
            fixed(figures.accuracy),
            fixed(figures.macro_f1),
            fixed(figures.coverage),
            figures.mixed,
        )?;
    }
    Ok(())
}

/// How a rule is named in the report: its function, kind and name, so a keyword and a pattern
/// of the same name (`community/governance`) cannot be confused.
fn rule_label(rules: &RuleSet, function: usize, rule: usize) -> String {
    let definition = rules.rule(function, rule);
    format!(
        "{}/{} {}",
        rules.functions[function].id,
        kind_name(definition.kind),
        quoted_name(&definition.name)
    )
}

fn kind_name(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Keyword => "keyword",
        RuleKind::Pattern => "pattern",
    }
}

fn summary<W: Write>(out: &mut W, report: &Report, rules: &RuleSet) -> io::Result<()> {
    let total = report.headline.total;
    writeln!(out, "{} {total} request{} with rules {}", "Evaluated".bold(), plural(total), rules.origin)?;
    writeln!(
        out,
        "  accuracy  {}  ({} of {} correct)",
        fixed(report.headline.accuracy).bold(),
        report.headline.correct,
        report.headline.total
    )?;
    writeln!(out, "  macro-F1  {}", fixed(report.headline.macro_f1).bold())?;
    writeln!(
        out,
        "  coverage  {}  ({} with an owner, {} unassigned)",
        fixed(report.headline.coverage),
        report.headline.with_owner,
        report.without_owner()
    )?;
    writeln!(out, "  mixed     {}", report.headline.mixed)?;
    if !report.unreadable.is_empty() {
        writeln!(
            out,
            "  {}",
            format!("unreadable rows {} (not counted, listed below)", report.unreadable.len()).red()
        )?;
    }
    Ok(())
}

fn per_function<W: Write>(out: &mut W, report: &Report, rules: &RuleSet) -> io::Result<()> {
    let width = rules.functions.iter().map(|f| f.id.chars().count()).max().unwrap_or(0).max("function".len());
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        format!("{:<width$}  precision  recall     F1  support  predicted", "function").bold()
    )?;
    for scores in &report.per_function {
        if !scores.present() {
            let dash = "-";
            writeln!(
                out,
                "{}  {dash:>9}  {dash:>6}  {dash:>5}  {:>7}  {:>9}  (not in the data)",
                class_cell(rules, Some(scores.function), width, true),
                scores.support,
                scores.predicted,
            )?;
            continue;
        }
        writeln!(
            out,
            "{}  {:>9}  {:>6}  {:>5}  {:>7}  {:>9}",
            class_cell(rules, Some(scores.function), width, true),
            fixed(scores.precision),
            fixed(scores.recall),
            fixed(scores.f1),
            scores.support,
            scores.predicted,
        )?;
    }
    Ok(())
}

fn confusion<W: Write>(out: &mut W, report: &Report, rules: &RuleSet) -> io::Result<()> {
    let classes: Vec<Option<usize>> = (0..rules.functions.len()).map(Some).chain([None]).collect();
    let name_len =
        |class: &Option<usize>| class.map_or("unassigned".len(), |i| rules.functions[i].id.chars().count());
    let label = "expected \\ predicted";
    let first = classes.iter().map(name_len).max().unwrap_or(0).max(label.len());
    writeln!(out)?;
    writeln!(out, "{}", "confusion (rows: expected, columns: predicted)".bold())?;
    write!(out, "{label:<first$}")?;
    for class in &classes {
        write!(out, "  {}", class_cell(rules, *class, name_len(class), false))?;
    }
    writeln!(out)?;
    for expected in &classes {
        write!(out, "{}", class_cell(rules, *expected, first, true))?;
        let row = &report.confusion.cells[expected.unwrap_or(report.confusion.unassigned())];
        for (predicted, count) in classes.iter().zip(row) {
            let cell = format!("{count:>width$}", width = name_len(predicted));
            let cell = match (*count, predicted == expected) {
                (0, _) => cell.dimmed(),
                (_, true) => cell.green(),
                (_, false) => cell.red(),
            };
            write!(out, "  {cell}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The rules that fired, most fires first (rule-file order among equals), `limit` of them or all;
/// then how many never fired, listed by name only when all are shown.
fn rule_table<W: Write>(
    out: &mut W,
    report: &Report,
    rules: &RuleSet,
    limit: Option<usize>,
) -> io::Result<()> {
    let rule_name = |function: usize, rule: usize| quoted_name(&rules.rule(function, rule).name);
    let mut fired: Vec<_> = report.rules.iter().filter(|s| s.fires > 0).collect();
    // A stable sort keeps rule-file order among rules that fired equally often.
    fired.sort_by_key(|stats| std::cmp::Reverse(stats.fires));
    let listed = limit.map_or(fired.len(), |limit| limit.min(fired.len()));
    writeln!(out)?;
    let order = if listed < fired.len() {
        format!("; top {listed} by fires")
    } else {
        ", most fires first".to_owned()
    };
    let heading = format!(
        "rules that fired ({} of {} rule{}{order}; precision = correct / fires)",
        fired.len(),
        report.rules.len(),
        plural(report.rules.len())
    );
    writeln!(out, "{}", heading.bold())?;
    if listed > 0 {
        let function_width =
            rules.functions.iter().map(|f| f.id.chars().count()).max().unwrap_or(0).max("function".len());
        let rule_width = fired[..listed]
            .iter()
            .map(|s| rule_name(s.function, s.rule).chars().count())
            .max()
            .unwrap_or(0)
            .clamp(4, 40);
        writeln!(
            out,
            "{}",
            format!(
                "{:<function_width$}  kind     {:<rule_width$}  weight  fires  correct  incorrect  precision  conflicts  decisive  helps  hurts",
                "function", "rule"
            )
            .bold()
        )?;
        for stats in &fired[..listed] {
            let definition = rules.rule(stats.function, stats.rule);
            let precision = fixed(stats.precision);
            let precision = if stats.precision < 0.5 {
                format!("{precision:>9}").red()
            } else {
                format!("{precision:>9}").normal()
            };
            let hurts = if stats.hurts > 0 {
                format!("{:>5}", stats.hurts).red()
            } else {
                format!("{:>5}", stats.hurts).normal()
            };
            writeln!(
                out,
                "{}  {:<7}  {:<rule_width$}  {:>6}  {:>5}  {:>7}  {:>9}  {}  {:>9}  {:>8}  {:>5}  {}",
                class_cell(rules, Some(stats.function), function_width, true),
                kind_name(definition.kind),
                quoted_name(&definition.name),
                signed(definition.weight),
                stats.fires,
                stats.correct,
                stats.incorrect,
                precision,
                stats.conflicts,
                stats.decisive,
                stats.helps,
                hurts,
            )?;
        }
    }
    if listed < fired.len() {
        let more = fired.len() - listed;
        writeln!(out, "  ... {more} more rule{} fired (--top N or --all-rules to list more)", plural(more))?;
    }
    let dead: Vec<_> = report.dead_rules().collect();
    if dead.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let count = format!("dead rules: {} never fired", dead.len()).yellow();
    if limit.is_some() {
        writeln!(out, "{count} (--all-rules lists them)")?;
    } else {
        let names: Vec<String> = dead.iter().map(|s| rule_label(rules, s.function, s.rule)).collect();
        writeln!(out, "{count}: {}", names.join(", "))?;
    }
    Ok(())
}

fn mistakes<W: Write>(
    out: &mut W,
    report: &Report,
    samples: &[Sample],
    rules: &RuleSet,
    show_errors: usize,
) -> io::Result<()> {
    if report.mistakes.is_empty() || show_errors == 0 {
        if report.mistakes.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", "no misclassified requests".green())?;
        }
        return Ok(());
    }
    let shown = report.mistakes.len().min(show_errors);
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        format!("worst misclassified ({shown} of {}, by margin in score points)", report.mistakes.len())
            .bold()
    )?;
    for mistake in report.mistakes.iter().take(show_errors) {
        let sample = &samples[mistake.sample];
        let verdict = &sample.verdict;
        let id = sample.id.as_deref().map(|id| format!(" [{id}]")).unwrap_or_default();
        let expected = class_cell(rules, sample.expected, 0, true);
        let predicted = class_cell(rules, verdict.owner, 0, true);
        writeln!(
            out,
            "  row {}{id}: expected {expected}, got {predicted} ({}, score {}), margin {}",
            sample.row,
            verdict.status.as_str(),
            number(verdict.score),
            number(mistake.margin),
        )?;
        if !sample.excerpt.is_empty() {
            writeln!(out, "    {:?}", sample.excerpt)?;
        }
        let reasons = reasons(verdict, rules);
        writeln!(
            out,
            "    reasons: {}",
            if reasons.is_empty() { "(no rule counted)".into() } else { reasons }
        )?;
    }
    Ok(())
}

fn unreadable<W: Write>(out: &mut W, report: &Report) -> io::Result<()> {
    if report.unreadable.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", format!("unreadable rows ({}, not counted)", report.unreadable.len()).red().bold())?;
    for row in &report.unreadable {
        let line = row.line.map(|line| format!(" (line {line})")).unwrap_or_default();
        writeln!(out, "  row {}{line}: {}", row.row, row.message)?;
    }
    Ok(())
}
