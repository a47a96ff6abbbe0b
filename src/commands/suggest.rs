//! `triage rules suggest DATA`: learn keywords from labelled requests, read as `eval` reads them.
//! The rule file from `--rules` (or a discovered `triage.yaml`) is the base; without one the
//! functions come from the labels. The additions go to stdout as YAML, or with `-o` a complete
//! rule file is written; a summary with cross-validated figures goes to stderr.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use request_triage::eval::parse_label;
use request_triage::output::{plural, signed};
use request_triage::suggest::{self, LabelledRequest, SuggestOptions, Suggestion};
use request_triage::{Classifier, ClassifyOptions, RuleSet};

use super::batch::write_text_to_file;
use super::eval::read_labelled;
use super::{Context, Outcome};
use crate::cli::SuggestArgs;

/// How many of the new rules the summary lists.
const STRONGEST: usize = 10;

pub fn run(context: &Context, args: &SuggestArgs, include_code: bool) -> Result<Outcome> {
    let base = context.rules_path()?.map(|path| RuleSet::from_path(&path)).transpose()?;
    let (input, rows, unreadable) = read_labelled(context, &args.table, &args.label_column, None)?;
    let from_labels = base.is_none();
    let base = match base {
        Some(base) => base,
        None => {
            let rules = suggest::functions_from_labels(rows.iter().map(|row| row.label.as_str()));
            if rules.functions.is_empty() {
                anyhow::bail!(
                    "{}: no label names a function (all are empty or `unassigned`), so there is \
                     nothing to learn; give a rule file with --rules or label the requests",
                    input.name()
                );
            }
            rules
        }
    };
    let mut data = Vec::with_capacity(rows.len());
    for row in &rows {
        let expected = parse_label(&base, row.number, &row.label)
            .map_err(|mut err| {
                err.line = Some(row.line);
                err
            })
            .with_context(|| input.name())?;
        data.push(LabelledRequest { request: row.fields.request(), expected });
    }
    let options = SuggestOptions {
        min_support: args.min_support.map(|n| n as usize),
        max_new: args.max_new,
        folds: args.folds as usize,
        include_code,
    };
    let suggestion = suggest::suggest(&base, &data, &options).with_context(|| input.name())?;

    let header = vec![
        format!(
            "Learned by `triage rules suggest` from {} ({} labelled request{}).",
            input.name(),
            suggestion.requests,
            plural(suggestion.requests)
        ),
        format!(
            "Cross-validated accuracy {:.3} -> {:.3}, macro-F1 {:.3} -> {:.3} ({}-fold).",
            suggestion.before.accuracy,
            suggestion.after.accuracy,
            suggestion.before.macro_f1,
            suggestion.after.macro_f1,
            suggestion.folds
        ),
    ];
    let mut written = None;
    match args.output.as_deref().filter(|path| *path != Path::new("-")) {
        Some(path) => {
            let (text, kept) = suggest::write::complete(&base, &suggestion.added, &header);
            check_result(&text, path, include_code)?;
            write_text_to_file(path, &text)?;
            written = Some((path, kept));
        }
        None => {
            let text = suggest::write::additions(&base, &suggestion.added, &header);
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    if !context.global.quiet {
        summary(&suggestion, &base, &input.name(), written, from_labels);
    }
    Ok(if unreadable.is_empty() { Outcome::Success } else { Outcome::Findings })
}

/// The complete file must load, and the base file's examples and tests must still pass: the
/// selection never breaks one, so a failure here is a defect, reported instead of written.
fn check_result(text: &str, path: &Path, include_code: bool) -> Result<()> {
    let rules = RuleSet::from_yaml(text, &path.display().to_string())
        .context("the suggested rule file does not load (this is a bug in triage)")?;
    let classifier = Classifier::with_options(rules, ClassifyOptions { include_code })?;
    let rules = classifier.rules();
    let failing: Vec<String> = rules
        .cases()
        .iter()
        .filter(|case| !case.expect.met_by(&classifier.classify(&case.request())))
        .map(|case| format!("{:?}", case.text))
        .collect();
    if !failing.is_empty() {
        anyhow::bail!(
            "the suggested rules fail {} of the base file's examples and tests ({}); nothing was written",
            failing.len(),
            failing.join(", ")
        );
    }
    Ok(())
}

/// The summary on stderr: figures before and after, rules per function, the strongest rules.
fn summary(
    suggestion: &Suggestion,
    base: &RuleSet,
    name: &str,
    written: Option<(&Path, bool)>,
    from_labels: bool,
) {
    let mut text = String::new();
    let origin =
        if from_labels { "functions from the labels".to_owned() } else { format!("base {}", base.origin) };
    text.push_str(&format!(
        "triage: rules suggest: {} request{} from {name}, {origin}; {} candidate term{} (support >= {}), {}-fold cross-validation\n",
        suggestion.requests,
        plural(suggestion.requests),
        suggestion.candidates,
        plural(suggestion.candidates),
        suggestion.min_support,
        suggestion.folds,
    ));
    text.push_str("                 before   after (cross-validated)\n");
    text.push_str(&format!(
        "  accuracy       {:>6.3}  {:>6.3}   ({:.3} on the data it learned from)\n",
        suggestion.before.accuracy, suggestion.after.accuracy, suggestion.fitted.accuracy
    ));
    text.push_str(&format!(
        "  macro-F1       {:>6.3}  {:>6.3}   ({:.3} on the data it learned from)\n",
        suggestion.before.macro_f1, suggestion.after.macro_f1, suggestion.fitted.macro_f1
    ));
    let added = &suggestion.added;
    let counter = added.iter().filter(|rule| rule.is_counter_evidence()).count();
    let per_function: Vec<String> = base
        .functions
        .iter()
        .enumerate()
        .map(|(index, function)| {
            format!("{} {}", function.id, added.iter().filter(|rule| rule.function == index).count())
        })
        .collect();
    text.push_str(&format!(
        "  added {} rule{}: {} ({counter} counter-evidence)\n",
        added.len(),
        plural(added.len()),
        per_function.join(", ")
    ));
    if !added.is_empty() {
        text.push_str(&format!("  strongest (in the order chosen, up to {STRONGEST}):\n"));
        let width = added.iter().take(STRONGEST).map(|r| r.term.chars().count() + 2).max().unwrap_or(0);
        let id_width = base.functions.iter().map(|f| f.id.len()).max().unwrap_or(0);
        for rule in added.iter().take(STRONGEST) {
            let term = format!("\"{}\"", rule.term);
            text.push_str(&format!(
                "    {:>3}  {:<id_width$}  {term:<width$}  {}\n",
                signed(rule.weight),
                base.functions[rule.function].id,
                suggest::write::comment(rule, base).trim_start_matches("suggested: "),
            ));
        }
    }
    match written {
        Some((path, true)) => {
            text.push_str(&format!("  wrote {} (the base file with the new rules added)\n", path.display()))
        }
        Some((path, false)) => text.push_str(&format!(
            "  wrote {}{}\n",
            path.display(),
            if from_labels { "" } else { " (written afresh: the base file's comments could not be kept)" }
        )),
        None => {}
    }
    eprint!("{text}");
}
