//! The human form of an eval report: a summary, then tables (per function, confusion, rules) and
//! the worst mistakes. Colour comes from `colored`, whose on/off switch the binary sets once;
//! cells are padded before they are coloured so columns line up either way.

use std::io::{self, Write};

use colored::{ColoredString, Colorize};

use super::{Report, Sample};
use crate::output::text::function_color;
use crate::output::{number, plural, reasons, signed};
use crate::rules::RuleSet;

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

/// Print the report; `show_errors` limits the list of worst mistakes.
pub fn report<W: Write>(
    out: &mut W,
    report: &Report,
    samples: &[Sample],
    rules: &RuleSet,
    show_errors: usize,
) -> io::Result<()> {
    summary(out, report, rules)?;
    per_function(out, report, rules)?;
    confusion(out, report, rules)?;
    rule_table(out, report, rules)?;
    mistakes(out, report, samples, rules, show_errors)?;
    unreadable(out, report)
}

fn summary<W: Write>(out: &mut W, report: &Report, rules: &RuleSet) -> io::Result<()> {
    let total = report.total;
    writeln!(out, "{} {total} request{} with rules {}", "Evaluated".bold(), plural(total), rules.origin)?;
    writeln!(
        out,
        "  accuracy  {}  ({} of {} correct)",
        fixed(report.accuracy).bold(),
        report.correct,
        report.total
    )?;
    writeln!(out, "  macro-F1  {}", fixed(report.macro_f1).bold())?;
    writeln!(
        out,
        "  coverage  {}  ({} with an owner, {} unassigned)",
        fixed(report.coverage),
        report.with_owner,
        report.without_owner()
    )?;
    writeln!(out, "  mixed     {}", report.mixed)?;
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

fn rule_table<W: Write>(out: &mut W, report: &Report, rules: &RuleSet) -> io::Result<()> {
    let rule_name = |function: usize, rule: usize| {
        let name = &rules.functions[function].rules[rule].name;
        if name.contains(char::is_whitespace) || name.contains('"') {
            format!("{name:?}")
        } else {
            name.clone()
        }
    };
    let fired: Vec<_> = report.rules.iter().filter(|s| s.fires > 0).collect();
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        format!("rules that fired ({} of {}; precision = correct / fires)", fired.len(), report.rules.len())
            .bold()
    )?;
    let function_width =
        rules.functions.iter().map(|f| f.id.chars().count()).max().unwrap_or(0).max("function".len());
    let rule_width =
        fired.iter().map(|s| rule_name(s.function, s.rule).chars().count()).max().unwrap_or(0).clamp(4, 40);
    writeln!(
        out,
        "{}",
        format!(
            "{:<function_width$}  {:<rule_width$}  weight  fires  correct  incorrect  precision  conflicts  decisive  helps  hurts",
            "function", "rule"
        )
        .bold()
    )?;
    for stats in fired {
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
            "{}  {:<rule_width$}  {:>6}  {:>5}  {:>7}  {:>9}  {}  {:>9}  {:>8}  {:>5}  {}",
            class_cell(rules, Some(stats.function), function_width, true),
            rule_name(stats.function, stats.rule),
            signed(rules.functions[stats.function].rules[stats.rule].weight),
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
    let dead: Vec<String> = report
        .dead_rules()
        .map(|s| format!("{}/{}", rules.functions[s.function].id, rule_name(s.function, s.rule)))
        .collect();
    if !dead.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            format!("dead rules ({}, never fired):", dead.len()).yellow(),
            dead.join(", ")
        )?;
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
