//! `triage eval FILE`: classify a labelled table exactly as `triage batch` would (same reader,
//! same column options, same request builder), then report how the verdicts compare with the
//! labels. Exit 1 when a gate (`--min-accuracy`, `--min-f1`) is missed or a row could not be read.

use std::io::{self, BufWriter, Write};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use request_triage::batch::RowReport;
use request_triage::eval::{self, parse_label, Sample, Unreadable};
use request_triage::table::{ExtraColumn, RequestFields, RowError, Table};
use request_triage::{Classifier, ClassifyOptions};

use super::batch::{table_error, table_options, Input};
use super::{Context, Outcome};
use crate::cli::{EvalArgs, EvalFormat, TableArgs};

/// Longest excerpt of a request shown beside a mistake, in characters.
const EXCERPT_CHARS: usize = 100;

pub fn run(context: &Context, args: &EvalArgs, include_code: bool) -> Result<Outcome> {
    for (option, value) in [("--min-accuracy", args.min_accuracy), ("--min-f1", args.min_f1)] {
        if let Some(value) = value.filter(|v| !(0.0..=1.0).contains(v)) {
            anyhow::bail!("{option} must be between 0 and 1, found {value}");
        }
    }
    let rules = context.load_rules()?;
    let classifier = Classifier::with_options(rules, ClassifyOptions { include_code })?;
    let rules = classifier.rules();

    let group_column = args.group_column.as_deref();
    let (input, rows, unreadable) = read_labelled(context, &args.table, &args.label_column, group_column)?;
    // Every label is checked before any work: a bad one stops the run at its row.
    let mut labelled = Vec::with_capacity(rows.len());
    let mut group_values = Vec::new();
    for row in rows {
        if group_column.is_some() {
            // The group column is the extra after the label.
            group_values.push(row.fields.extras.get(1).map_or_else(String::new, |value| value.to_string()));
        }
        let expected = parse_label(rules, row.number, &row.label)
            .map_err(|mut err| {
                err.line = Some(row.line);
                err
            })
            .with_context(|| input.name())?;
        labelled.push((row.number, expected, row.fields));
    }
    let samples: Vec<Sample> = labelled
        .par_iter()
        .map(|(row, expected, fields)| Sample {
            row: *row,
            id: fields.id.as_ref().map(|id| id.to_string()),
            expected: *expected,
            verdict: classifier.classify(&fields.request()),
            excerpt: excerpt(fields.title.as_deref(), &fields.body),
        })
        .collect();
    if samples.is_empty() {
        context.warn(format!("{}: no labelled rows to evaluate", input.name()));
    }

    let mut report = eval::evaluate(rules, &samples);
    report.unreadable = unreadable;
    let group_scores = args
        .group_column
        .as_ref()
        .map(|column| (column.as_str(), eval::by_group(rules.functions.len(), &samples, &group_values)));
    let groups = group_scores.as_ref().map(|(column, scores)| (*column, scores.as_slice()));
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        EvalFormat::Text => {
            let shown = eval::text::Shown {
                errors: args.show_errors,
                rules: (!args.all_rules).then_some(args.top),
                groups,
            };
            eval::text::report(&mut out, &report, &samples, rules, shown)?;
        }
        EvalFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &eval::json::report(&report, &samples, rules, args.show_errors, groups),
            )?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;

    let mut outcome = Outcome::Success;
    if !report.unreadable.is_empty() {
        outcome = Outcome::Findings;
    }
    let gated = args.min_accuracy.is_some() || args.min_f1.is_some();
    if gated && report.headline.total == 0 {
        gate_missed("no labelled rows to measure, so no gate can pass".into());
        return Ok(Outcome::Findings);
    }
    if let Some(bar) = args.min_accuracy.filter(|bar| report.headline.accuracy < *bar) {
        gate_missed(format!(
            "accuracy {} ({} of {}) is below --min-accuracy {bar}",
            below(report.headline.accuracy, bar),
            report.headline.correct,
            report.headline.total
        ));
        outcome = Outcome::Findings;
    }
    if let Some(bar) = args.min_f1 {
        for scores in report.present_functions().filter(|s| s.f1 < bar) {
            let id = &rules.functions[scores.function].id;
            gate_missed(format!("F1 of {id} {} is below --min-f1 {bar}", below(scores.f1, bar)));
            outcome = Outcome::Findings;
        }
    }
    Ok(outcome)
}

/// A readable row of a labelled table: its request and its label as written.
pub(super) struct LabelledRow {
    pub number: usize,
    pub line: u64,
    pub label: String,
    pub fields: RequestFields<'static>,
}

/// Read a labelled table as `eval` does (the table options of `batch` plus `--label-column`):
/// readable rows in input order, and the rows that could not be read, each already reported as
/// a warning ("not counted"). Labels are returned as written, for the caller to resolve.
pub(super) fn read_labelled(
    context: &Context,
    args: &TableArgs,
    label_column: &str,
    group_column: Option<&str>,
) -> Result<(Input, Vec<LabelledRow>, Vec<Unreadable>)> {
    let input = Input::from_args(args);
    let (reader, _) = input.open(context)?;
    let mut options = table_options(args);
    options.selection.extras.push(ExtraColumn { role: "label".into(), column: label_column.to_owned() });
    if let Some(column) = group_column {
        options.selection.extras.push(ExtraColumn { role: "group".into(), column: column.to_owned() });
    }
    let table = Table::open(reader, &options).map_err(|err| table_error(&input, err))?;
    let mut rows = Vec::new();
    let mut unreadable = Vec::new();
    for row in table.rows() {
        let row = row.map_err(|err| table_error(&input, err))?;
        let number = usize::try_from(row.number).unwrap_or(usize::MAX);
        // Eval keeps a row with more fields than the header out of its figures: joined into the
        // last column, the extra fields could make up a wrong label.
        let fields = match row.fields {
            Ok(_) if row.extra_fields > 0 => {
                let expected = row.values.len();
                Err(RowError::FieldCount { found: expected + row.extra_fields, expected })
            }
            other => other,
        };
        match fields {
            Ok(fields) => {
                let label = fields.extras.first().map_or_else(String::new, |label| label.to_string());
                rows.push(LabelledRow { number, line: row.line, label, fields });
            }
            Err(error) => {
                let report = RowReport { number: row.number, line: row.line, id: None, error };
                context.warn(format!("{}: {report} (not counted)", input.name()));
                unreadable.push(Unreadable {
                    row: number,
                    line: Some(row.line),
                    message: report.error.to_string(),
                });
            }
        }
    }
    Ok((input, rows, unreadable))
}

/// `value` with 3 decimals, or more when 3 would round it up to the bar it is below
/// (0.94996 is "0.94996", not "0.950", next to a bar of 0.95).
fn below(value: f64, bar: f64) -> String {
    (3..=12)
        .map(|decimals| format!("{value:.decimals$}"))
        .find(|text| text.parse::<f64>().is_ok_and(|shown| shown < bar))
        .unwrap_or_else(|| value.to_string())
}

/// A missed gate is the reason for exit 1, so it is said even with `--quiet`.
fn gate_missed(message: String) {
    eprintln!("triage: eval: {message}");
}

/// The first characters of a request on one line, title first, to recognise it by.
fn excerpt(title: Option<&str>, body: &str) -> String {
    let words = title.into_iter().flat_map(str::split_whitespace);
    let separator = title.filter(|t| !t.trim().is_empty() && !body.trim().is_empty()).map(|_| "|");
    let flat = words.chain(separator).chain(body.split_whitespace()).collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::below;

    #[test]
    fn a_value_below_the_bar_never_shows_as_the_bar() {
        assert_eq!(below(0.692_307, 0.7), "0.692");
        assert_eq!(below(0.949_96, 0.95), "0.94996");
        assert_eq!(below(0.949_999_999_9, 0.95), "0.9499999999");
    }
}
