//! `triage rules show | check | test | schema`.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;
use colored::Colorize;
use request_triage::output::plural;
use request_triage::{Classifier, ClassifyOptions, Expectation, RuleSet, Status};

use super::{Context, Outcome};
use crate::cli::RulesCommand;

pub fn run(context: &Context, command: RulesCommand, include_code: bool) -> Result<Outcome> {
    let options = ClassifyOptions { include_code };
    let mut out = io::stdout().lock();
    match command {
        RulesCommand::Show { .. } => {
            let rules = context.load_rules()?;
            out.write_all(rules.source.as_bytes())?;
            if !rules.source.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            Ok(Outcome::Success)
        }
        RulesCommand::Schema => {
            serde_json::to_writer_pretty(&mut out, &request_triage::rules::schema::schema())?;
            out.write_all(b"\n")?;
            Ok(Outcome::Success)
        }
        RulesCommand::Check { file, .. } => {
            let rules = load(context, file)?;
            let classifier = Classifier::with_options(rules, options)?;
            let rules = classifier.rules();
            let warnings = rules.warnings();
            for warning in &warnings {
                writeln!(out, "{}: {warning}", "warning".yellow().bold())?;
            }
            let rule_count: usize = rules.functions.iter().map(|f| f.rules.len()).sum();
            let (functions, warnings) = (rules.functions.len(), warnings.len());
            writeln!(
                out,
                "{}: {functions} function{}, {rule_count} rule{}, {warnings} warning{}",
                rules.origin,
                plural(functions),
                plural(rule_count),
                plural(warnings),
            )?;
            Ok(Outcome::Success)
        }
        RulesCommand::Test { file, .. } => {
            let classifier = Classifier::with_options(load(context, file)?, options)?;
            test(&mut out, &classifier)
        }
        RulesCommand::Suggest(args) => super::suggest::run(context, &args, include_code),
    }
}

fn load(context: &Context, file: Option<PathBuf>) -> Result<RuleSet> {
    match file {
        Some(path) => Ok(RuleSet::from_path(&path)?),
        None => context.load_rules(),
    }
}

/// Run every example (must route to its function) and test; list each failure.
fn test(out: &mut impl Write, classifier: &Classifier) -> Result<Outcome> {
    let rules = classifier.rules();
    let describe = |owner: Option<usize>, status: Status| match (owner, status) {
        (_, Status::Unassigned) | (None, _) => "unassigned".to_owned(),
        (Some(index), Status::Mixed) => format!("mixed ({})", rules.functions[index].id),
        (Some(index), Status::Assigned) => rules.functions[index].id.clone(),
    };
    let cases = rules.cases();
    if cases.is_empty() {
        // `0 passed, 0 failed` would read like a pass; a file with nothing to run is not tested.
        writeln!(
            out,
            "nothing to test: {} has no examples (under a function) and no tests (top-level `tests:`)",
            rules.origin
        )?;
        return Ok(Outcome::Success);
    }
    let mut failures = 0;
    for case in &cases {
        let (request, expect, line) = (case.request(), &case.expect, case.line);
        let verdict = classifier.classify(&request);
        let passed = expect.met_by(&verdict);
        if passed {
            continue;
        }
        failures += 1;
        let expected = match expect {
            Expectation::Owner(index) => rules.functions[*index].id.clone(),
            Expectation::Unassigned => "unassigned".into(),
            Expectation::Mixed => "mixed".into(),
        };
        let location = line.map_or_else(|| rules.origin.clone(), |l| format!("{}:{l}", rules.origin));
        let text: String = request.parts().iter().map(|p| p.text.as_ref()).collect::<Vec<_>>().join(" / ");
        writeln!(
            out,
            "{}: {location}: expected {expected}, got {} ({}): {text:?}",
            "FAIL".red().bold(),
            describe(verdict.owner, verdict.status),
            match request_triage::output::reasons(&verdict, rules) {
                reasons if reasons.is_empty() => "no rule counted".to_owned(),
                reasons => reasons,
            },
        )?;
    }
    writeln!(out, "{} passed, {failures} failed", cases.len() - failures)?;
    Ok(if failures == 0 { Outcome::Success } else { Outcome::Findings })
}
