//! `triage rules suggest`: learn readable keyword rules from a team's own labelled requests.
//!
//! Candidates are the words, short phrases and prefixes of the requests, folded as the
//! classifier folds text ([`candidates`]). A greedy selection adds the candidate that most
//! improves the labelled requests' margins, with a weight on the rule file's own scale, as
//! evidence for a function or counter-evidence against one; k-fold cross-validation decides how
//! many to keep ([`select`]). The result is the base rule set plus the new keywords, each with
//! its precision and support on the data, written next to it by [`write`].

mod candidates;
mod select;
mod stopwords;
pub mod write;

use rayon::prelude::*;

pub use select::Scale;

use crate::classify::{Classifier, ClassifyOptions, Request};
use crate::eval::{self, Sample};
use crate::rules::{Function, Rule, RuleKind, RuleSet, RulesError};
use select::{Problem, Target};

/// How the selection runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestOptions {
    /// Fewest labelled requests a term must occur in; `None` picks [`default_min_support`].
    pub min_support: Option<usize>,
    /// Most rules to add.
    pub max_new: usize,
    /// Folds of the cross-validation (at least 2, at most one per request).
    pub folds: usize,
    /// Let code blocks and HTML comments vote, as `--include-code` does for classifying.
    pub include_code: bool,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions { min_support: None, max_new: 100, folds: 5, include_code: false }
    }
}

/// A term must occur in at least 3 requests, and in one per thousand of a large file: rarer
/// terms are anecdotes, and a learned rule should hold for a share of future requests.
pub fn default_min_support(requests: usize) -> usize {
    (requests / 1000).max(3)
}

/// A request and the owner a person gave it (`None`: unassigned).
#[derive(Debug, Clone)]
pub struct LabelledRequest<'a> {
    pub request: Request<'a>,
    pub expected: Option<usize>,
}

/// A keyword the suggestion adds, with its evidence in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestedRule {
    /// Index of the function it is added to.
    pub function: usize,
    /// The keyword as written in the rule file (`stack trace`, `deploy*`).
    pub term: String,
    /// On the rule file's scale; negative for counter-evidence.
    pub weight: f64,
    /// Labelled requests it occurs in.
    pub support: usize,
    /// Of those, how many carry each label: one count per function, then `unassigned`.
    pub labels: Vec<usize>,
}

impl SuggestedRule {
    /// Requests where the rule votes right: labelled its function (evidence) or anything
    /// else (counter-evidence), as `eval` counts a rule's correct firings.
    pub fn agreeing(&self) -> usize {
        let own = self.labels[self.function];
        if self.is_counter_evidence() {
            self.support - own
        } else {
            own
        }
    }

    /// `agreeing / support`.
    pub fn precision(&self) -> f64 {
        if self.support == 0 {
            0.0
        } else {
            self.agreeing() as f64 / self.support as f64
        }
    }

    pub fn is_counter_evidence(&self) -> bool {
        self.weight < 0.0
    }
}

/// Accuracy and macro-F1, as `triage eval` defines them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub accuracy: f64,
    pub macro_f1: f64,
}

/// What [`suggest`] found.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The base rules plus the added keywords (appended to each function's keywords).
    pub rules: RuleSet,
    /// The added keywords, strongest (chosen first) first.
    pub added: Vec<SuggestedRule>,
    /// The base rules on the data (nothing learned, so nothing to cross-validate).
    pub before: Figures,
    /// Cross-validated: each fold classified by the rules learned without it.
    pub after: Figures,
    /// The learned rules on the data they were learned from (optimistic).
    pub fitted: Figures,
    pub folds: usize,
    pub min_support: usize,
    /// Candidates considered (after the support filter and leaving out terms the base has).
    pub candidates: usize,
    pub requests: usize,
}

/// Why no suggestion could be made.
#[derive(Debug, thiserror::Error)]
pub enum SuggestError {
    #[error("{found} labelled request{}: at least 2 are needed to learn and cross-validate", if *found == 1 { "" } else { "s" })]
    TooFewRequests { found: usize },
    #[error(transparent)]
    Rules(#[from] RulesError),
}

/// A rule set with no rules whose functions are the labels (`unassigned` is not one): an id
/// made from each label and the label as written as its name. For learning without a base file.
pub fn functions_from_labels<'l>(labels: impl IntoIterator<Item = &'l str>) -> RuleSet {
    let mut functions: Vec<Function> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for label in labels {
        let label = label.trim();
        if label.is_empty() || label.eq_ignore_ascii_case("unassigned") {
            continue;
        }
        if seen.iter().any(|known| known.eq_ignore_ascii_case(label)) {
            continue;
        }
        seen.push(label.to_owned());
        let mut id = function_id(label);
        while functions.iter().any(|f| f.id == id) || matches!(id.as_str(), "mixed" | "error" | "none") {
            id.push_str("-2");
        }
        functions.push(Function {
            id,
            name: label.to_owned(),
            focus: String::new(),
            question: None,
            labels: Vec::new(),
            rules: Vec::new(),
            examples: Vec::new(),
        });
    }
    functions.sort_by(|a, b| a.id.cmp(&b.id));
    RuleSet {
        origin: "<labels>".into(),
        source: Default::default(),
        threshold: 2.0,
        mixed_ratio: 0.75,
        single_rule_threshold: 2.0,
        title_weight: 2.0,
        body_weight: 1.0,
        languages: crate::rules::default_languages(),
        functions,
        none: Vec::new(),
        none_examples: Vec::new(),
        tests: Vec::new(),
    }
}

/// A valid function id for a label: lowercase ASCII letters, digits, `-` and `_`, starting
/// with a letter (`Dev Rel` -> `dev-rel`).
fn function_id(label: &str) -> String {
    let mut id = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_owned();
    if id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id
    } else {
        format!("f-{id}").trim_end_matches('-').to_owned()
    }
}

/// `base` with `added` appended to its functions' keywords (before their patterns, in the
/// order a rule file loads them).
pub fn with_rules(base: &RuleSet, added: &[SuggestedRule]) -> RuleSet {
    let mut rules = base.clone();
    for rule in added {
        let function = &mut rules.functions[rule.function].rules;
        let at = function.iter().position(|r| r.kind == RuleKind::Pattern).unwrap_or(function.len());
        function.insert(
            at,
            Rule {
                kind: RuleKind::Keyword,
                source: rule.term.clone().into(),
                name: rule.term.clone().into(),
                weight: rule.weight,
                line: None,
                prepared: Default::default(),
                unless: Vec::new(),
            },
        );
    }
    rules
}

/// Learn keywords for `base` from `data`. Deterministic: the same input gives the same rules.
pub fn suggest(
    base: &RuleSet,
    data: &[LabelledRequest<'_>],
    options: &SuggestOptions,
) -> Result<Suggestion, SuggestError> {
    let rows = data.len();
    if rows < 2 {
        return Err(SuggestError::TooFewRequests { found: rows });
    }
    let classify_options = ClassifyOptions { include_code: options.include_code };
    let classifier = Classifier::with_options(base.clone(), classify_options)?;
    let functions = base.functions.len();
    let cases = base.cases();
    let mut requests: Vec<Request<'_>> = data.iter().map(|labelled| labelled.request.clone()).collect();
    requests.extend(cases.iter().map(|case| case.request()));
    let verdicts: Vec<_> = requests.par_iter().map(|request| classifier.classify(request)).collect();
    let mut base_scores = vec![0.0; requests.len() * functions];
    for (row, verdict) in verdicts.iter().enumerate() {
        // The `none:` block (index `functions`) picks no owner; only functions' scores are modelled.
        for contribution in verdict.contributions.iter().filter(|c| c.function < functions) {
            base_scores[row * functions + contribution.function] += contribution.points;
        }
    }
    let labels: Vec<Option<usize>> = data.iter().map(|labelled| labelled.expected).collect();
    let passing: Vec<bool> =
        cases.iter().zip(&verdicts[rows..]).map(|(case, verdict)| case.expect.met_by(verdict)).collect();
    let before_samples: Vec<Sample> = verdicts
        .into_iter()
        .take(rows)
        .enumerate()
        .map(|(row, verdict)| sample(row, labels[row], verdict))
        .collect();
    let fold_count = options.folds.clamp(2, rows);
    let folds = stratified_folds(&labels, functions, fold_count);
    let min_support = options.min_support.unwrap_or_else(|| default_min_support(rows)).max(1);

    let covered = |term: &str| {
        let verdict = classifier.classify_text(term);
        verdict.matches.iter().any(|m| m.start == 0 && m.end == term.len())
    };
    let candidates = candidates::find(&classifier, &requests, &labels, min_support, covered);
    let mut targets: Vec<Target> = labels.iter().map(|&label| Target::Label(label)).collect();
    targets.extend(cases.iter().map(|case| Target::Case(case.expect.clone())));
    let problem = Problem {
        rules: base,
        base: base_scores,
        targets,
        folds: folds.clone(),
        fold_count,
        candidates: &candidates,
        scale: Scale::of(base),
        max_new: options.max_new,
    };
    let selection = problem.select();
    let describe = |choices: &[select::Choice]| -> Vec<SuggestedRule> {
        choices
            .iter()
            .map(|choice| {
                let candidate = &candidates.list[choice.candidate as usize];
                SuggestedRule {
                    function: choice.function,
                    term: candidate.term.clone(),
                    weight: choice.weight,
                    support: candidate.support,
                    labels: candidate.labels.clone(),
                }
            })
            .collect()
    };
    let added = keep_cases_passing(
        base,
        describe(&selection.all.chosen[..selection.keep]),
        &cases,
        &passing,
        classify_options,
    )?;

    // Cross-validated figures with the real classifier: each fold by the rules its run chose.
    let held_out: Vec<Vec<Sample>> = (0..fold_count)
        .into_par_iter()
        .map(|fold| {
            let run = &selection.folds[fold].chosen;
            let learned = with_rules(base, &describe(&run[..selection.keep.min(run.len())]));
            let classifier = Classifier::with_options(learned, classify_options)?;
            Ok((0..rows)
                .filter(|&row| folds[row] == fold)
                .map(|row| sample(row, labels[row], classifier.classify(&requests[row])))
                .collect())
        })
        .collect::<Result<_, RulesError>>()?;
    let held_out: Vec<Sample> = held_out.into_iter().flatten().collect();
    let learned = with_rules(base, &added);
    let fitted_classifier = Classifier::with_options(learned.clone(), classify_options)?;
    let fitted_samples: Vec<Sample> = (0..rows)
        .into_par_iter()
        .map(|row| sample(row, labels[row], fitted_classifier.classify(&requests[row])))
        .collect();
    let figures = |samples: &[Sample]| {
        let (accuracy, macro_f1) = eval::headline(functions, samples);
        Figures { accuracy, macro_f1 }
    };
    Ok(Suggestion {
        rules: learned,
        before: figures(&before_samples),
        after: figures(&held_out),
        fitted: figures(&fitted_samples),
        added,
        folds: fold_count,
        min_support,
        candidates: candidates.list.len(),
        requests: rows,
    })
}

/// The selection already refuses any rule that would break a case (example or test) that
/// passes with the base rules, by its additive model of scoring. The classifier counts one
/// stretch of text once per function, so two overlapping rules can score less than the model
/// says: check every such case with the classifier itself, and while one fails, drop the
/// latest-chosen rule whose removal makes it pass (or else the latest-chosen rule).
fn keep_cases_passing(
    base: &RuleSet,
    mut added: Vec<SuggestedRule>,
    cases: &[crate::rules::Case<'_>],
    passing: &[bool],
    options: ClassifyOptions,
) -> Result<Vec<SuggestedRule>, RulesError> {
    let fails = |rules: &[SuggestedRule], case: &crate::rules::Case<'_>| -> Result<bool, RulesError> {
        let classifier = Classifier::for_few_requests(with_rules(base, rules), options)?;
        Ok(!case.expect.met_by(&classifier.classify(&case.request())))
    };
    while !added.is_empty() {
        let classifier = Classifier::with_options(with_rules(base, &added), options)?;
        let mut kept = cases.iter().zip(passing).filter(|(_, &passed)| passed).map(|(case, _)| case);
        let Some(case) = kept.find(|case| !case.expect.met_by(&classifier.classify(&case.request()))) else {
            break;
        };
        let fixed = (0..added.len()).rev().find_map(|index| {
            let mut without = added.clone();
            without.remove(index);
            match fails(&without, case) {
                Ok(true) => None,
                Ok(false) => Some(Ok(without)),
                Err(err) => Some(Err(err)),
            }
        });
        match fixed {
            Some(without) => added = without?,
            None => {
                added.pop();
            }
        }
    }
    Ok(added)
}

/// A labelled verdict for the headline figures, which need only its owner: the evidence is
/// dropped so that a large file's samples stay small.
fn sample(row: usize, expected: Option<usize>, mut verdict: crate::classify::Verdict) -> Sample {
    verdict.matches = Vec::new();
    verdict.contributions = Vec::new();
    Sample { row: row + 1, id: None, expected, verdict, excerpt: String::new() }
}

/// Folds with each label spread evenly: the i-th request of a label goes to fold i mod k.
fn stratified_folds(labels: &[Option<usize>], functions: usize, folds: usize) -> Vec<usize> {
    let mut seen = vec![0usize; functions + 1];
    labels
        .iter()
        .map(|label| {
            let class = label.unwrap_or(functions);
            let fold = seen[class] % folds;
            seen[class] += 1;
            fold
        })
        .collect()
}

#[cfg(test)]
mod tests;
