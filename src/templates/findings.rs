//! What `triage check` reports about a template, decided purely from the parsed template and a
//! classifier: `broken`, `label-conflict`, `mismatch`, `mixed` and `unassigned`.

use serde::Serialize;

use super::locate::LineIndex;
use super::{Directive, Location, Template, TemplateRequest};
use crate::classify::{Classifier, Status, Verdict};
use crate::rules::RuleSet;

/// How serious a finding is. Errors fail the check; warnings only with `--deny warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// The kinds of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// YAML that cannot be parsed, or a template GitHub would reject.
    Broken,
    /// The labels map to two different functions.
    LabelConflict,
    /// Labels or a directive expect one function; the text routes to another.
    Mismatch,
    /// The text routes to two functions almost equally.
    Mixed,
    /// The text routes to no function.
    Unassigned,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Broken => "broken",
            Code::LabelConflict => "label-conflict",
            Code::Mismatch => "mismatch",
            Code::Mixed => "mixed",
            Code::Unassigned => "unassigned",
        }
    }

    /// The level a code has by default.
    pub fn level(self) -> Level {
        match self {
            Code::Unassigned => Level::Warning,
            _ => Level::Error,
        }
    }
}

/// One problem with a template, pointing at the line that matters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub level: Level,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Finding {
    fn new(code: Code, at: Location, message: String) -> Finding {
        Finding { code, level: code.level(), line: at.line, column: at.column, message }
    }
}

/// The directive value for a template no function owns.
pub const UNASSIGNED: &str = "unassigned";

/// Where an expected owner came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedSource {
    Labels,
    Directive,
}

/// The owner a template's labels or directive ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// Index of the function; `None` when a `triage: unassigned` directive says the template is
    /// deliberately owned by no function (a security-report link, a blank issue).
    pub function: Option<usize>,
    pub source: ExpectedSource,
    pub at: Location,
    /// The label or directive as written.
    pub because: String,
}

/// The text that decided a verdict: the part holding the owner's strongest match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub at: Location,
    /// Which part of the template: `name`, `body`, `body[2].label` ...
    pub part: String,
}

/// One checked request (a template, or one contact link of a chooser) and its findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub name: Option<String>,
    pub at: Location,
    /// `None` when the template could not be read at all.
    pub verdict: Option<Verdict>,
    pub expected: Option<Expected>,
    pub decided: Option<Decided>,
    pub findings: Vec<Finding>,
}

impl Checked {}

/// Check a parsed template: `source` is the file's text (to point at matches in verbatim parts).
/// Returns one [`Checked`] per request; file-wide findings (broken, label-conflict) go with the
/// first, and a template with no request at all still yields one when it has findings.
pub fn check(template: &Template, source: &str, classifier: &Classifier) -> Vec<Checked> {
    let rules = classifier.rules();
    let index = LineIndex::new(source);
    let mut file_findings: Vec<Finding> =
        template.problems.iter().map(|p| Finding::new(Code::Broken, p.at, p.message.clone())).collect();

    // Labels through each function's `labels:`, case-insensitively for all of Unicode.
    let mut label_functions: Vec<(usize, &super::Label)> = Vec::new();
    for label in &template.labels {
        let name = label.name.trim().to_lowercase();
        for (function_index, function) in rules.functions.iter().enumerate() {
            if function.labels.iter().any(|known| known.to_lowercase() == name) {
                label_functions.push((function_index, label));
            }
        }
    }
    let mut distinct: Vec<usize> = Vec::new();
    for &(function, _) in &label_functions {
        if !distinct.contains(&function) {
            distinct.push(function);
        }
    }
    let file_directive = resolve(template.directive.as_ref(), rules, &mut file_findings);
    let settles = |d: &Expected| d.function.is_some_and(|function| distinct.contains(&function));
    if distinct.len() > 1 && !file_directive.as_ref().is_some_and(settles) {
        let (first, first_label) = label_functions[0];
        if let Some(&(second, second_label)) = label_functions.iter().find(|(f, _)| *f != first) {
            file_findings.push(Finding::new(
                Code::LabelConflict,
                second_label.at,
                format!(
                    "label `{}` means {} but label `{}` (line {}) means {}; keep labels of one function, \
                     or name the owner with a `triage:` directive",
                    second_label.name,
                    rules.functions[second].name,
                    first_label.name,
                    first_label.at.line,
                    rules.functions[first].name,
                ),
            ));
        }
    }
    let from_labels = match (distinct.as_slice(), label_functions.first()) {
        ([function], Some((_, label))) => Some(Expected {
            function: Some(*function),
            source: ExpectedSource::Labels,
            at: label.at,
            because: label.name.clone(),
        }),
        _ => None,
    };

    let mut checked = Vec::new();
    for request in &template.requests {
        let mut findings = std::mem::take(&mut file_findings);
        let own = resolve(request.directive.as_ref(), rules, &mut findings);
        let expected = own.or_else(|| file_directive.clone()).or_else(|| from_labels.clone());
        checked.push(check_request(request, expected, &index, classifier, findings));
    }
    if checked.is_empty() && !file_findings.is_empty() {
        checked.push(Checked {
            name: None,
            at: Location::START,
            verdict: None,
            expected: file_directive.or(from_labels),
            decided: None,
            findings: file_findings,
        });
    }
    for item in &mut checked {
        item.findings.sort_by_key(|f| (f.line, f.column, f.code));
    }
    checked
}

/// A directive's function (`unassigned`: deliberately none), or a `broken` finding when the rules
/// have no such function. `unassigned` cannot be a function id, so it never shadows one.
fn resolve(directive: Option<&Directive>, rules: &RuleSet, findings: &mut Vec<Finding>) -> Option<Expected> {
    let directive = directive?;
    let expected = |function| Expected {
        function,
        source: ExpectedSource::Directive,
        at: directive.at,
        because: directive.id.clone(),
    };
    if directive.id.eq_ignore_ascii_case(UNASSIGNED) {
        return Some(expected(None));
    }
    match rules.find_function(&directive.id) {
        Some(function) => Some(expected(Some(function))),
        None => {
            let known: Vec<_> = rules.functions.iter().map(|f| f.id.as_str()).collect();
            findings.push(Finding::new(
                Code::Broken,
                directive.at,
                format!(
                    "the directive names `{}`, which is not a function (known: {}; or `{UNASSIGNED}` \
                     for a template no function owns)",
                    directive.id,
                    known.join(", ")
                ),
            ));
            None
        }
    }
}

fn check_request(
    request: &TemplateRequest,
    expected: Option<Expected>,
    index: &LineIndex,
    classifier: &Classifier,
    mut findings: Vec<Finding>,
) -> Checked {
    let rules = classifier.rules();
    let verdict = classifier.classify(&request.request());
    // The function the text leans to: the owner, else the best scorer.
    let leaning = verdict.leaning();
    let decided = leaning.and_then(|function| decided_by(request, &verdict, function, index));
    let name = |function: usize| rules.functions[function].name.as_str();
    let score = |function: usize| crate::output::number(verdict.scores[function]);

    if let (Some(expected), Some(owner)) = (&expected, verdict.owner) {
        if Some(owner) != expected.function {
            let source = match expected.source {
                ExpectedSource::Labels => format!("label `{}`", expected.because),
                ExpectedSource::Directive => format!("the directive `triage: {}`", expected.because),
            };
            let message = match expected.function {
                Some(function) => format!(
                    "{source} expects {} but the text routes to {} ({} {}, {} {})",
                    name(function),
                    name(owner),
                    name(owner),
                    score(owner),
                    name(function),
                    score(function),
                ),
                None => format!(
                    "{source} expects no owner but the text routes to {} ({} {}, threshold {}); \
                     reword it or name its owner",
                    name(owner),
                    name(owner),
                    score(owner),
                    crate::output::number(rules.threshold),
                ),
            };
            findings.push(Finding::new(Code::Mismatch, expected.at, message));
        }
    }
    // A template marked `triage: unassigned` is meant to route nowhere: no warning for that.
    let unowned = expected.as_ref().is_some_and(|e| e.function.is_none());
    match (verdict.status, verdict.owner, verdict.runner_up) {
        (Status::Mixed, Some(owner), Some(runner_up)) => findings.push(Finding::new(
            Code::Mixed,
            decided.as_ref().map_or(request.at, |d| d.at),
            format!(
                "the text mixes {} ({}) and {} ({}); make it ask for one function's work, or split the template",
                name(owner),
                score(owner),
                name(runner_up),
                score(runner_up),
            ),
        )),
        (Status::Unassigned, _, _) if !unowned => {
            let closest = match leaning {
                Some(function) => format!("closest: {} with {}", name(function), score(function)),
                None => "no rule matched".to_owned(),
            };
            // Why no function owns it: the threshold, the `none:` block, or one weak rule.
            let why = crate::output::no_owner_note(&verdict, rules);
            findings.push(Finding::new(
                Code::Unassigned,
                request.at,
                match verdict.language.and_then(|detected| detected.note()) {
                    Some(note) => format!("the text routes to no function ({closest}, {why}); it is {note}"),
                    None => format!("the text routes to no function ({closest}, {why}); say what the request is about"),
                },
            ));
        }
        _ => {}
    }
    Checked {
        name: request.name.clone(),
        at: request.at,
        verdict: Some(verdict),
        expected,
        decided,
        findings,
    }
}

/// Where `function`'s strongest rule matched, preferring the part with the heavier field.
fn decided_by(
    request: &TemplateRequest,
    verdict: &Verdict,
    function: usize,
    index: &LineIndex,
) -> Option<Decided> {
    // Contributions are strongest first, and each counted at its strongest (heaviest-field) match.
    let contribution = verdict.contributions.iter().find(|c| c.function == function && c.points > 0.0)?;
    let found = verdict.evidence(contribution)?;
    let part = request.parts.get(found.part)?;
    let at = match part.verbatim {
        Some(offset) => index.location(offset + found.start),
        None => part.at,
    };
    Some(Decided { at, part: part.what.clone() })
}
