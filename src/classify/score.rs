//! How matches become scores: which matches vote, what each adds, and the verdict they add up to.
//! Every number a printer shows comes from here, so what is listed is what counted:
//!
//! 1. A match that overlaps one of its rule's `unless` entries does not vote (a word used in
//!    another sense).
//! 2. One stretch of text votes once per function: of a function's overlapping matches only the
//!    strongest counts (largest |rule weight x field weight|, then the longer match, then the rule
//!    listed first). Evidence and counter-evidence are weighed apart, because counter-evidence is
//!    written to overlap the evidence it cancels.
//! 3. A rule counts once per request, at its strongest match.
//! 4. Counter-evidence counts only against a function that has evidence: there is nothing to lower
//!    otherwise.
//! 5. A function's score is the sum of what counted, floored at 0.
//!
//! Then the decision ([`RuleSet::decide_tally`]): the top function owns the request when it
//! reaches `threshold`, unless the `none:` block scores at least as much (the request belongs to
//! no function), or a single rule below `single_rule_threshold` is all its evidence (one weak
//! word is too little to name an owner).

use std::collections::BTreeMap;

use foldhash::{HashSet, HashSetExt};

use serde::Serialize;

use super::{Contribution, Match, Request, Status, Verdict};
use crate::rules::{Field, RuleKind, RuleSet};

/// How many matches of one rule in one request part are weighed. All of a rule's matches in a
/// part weigh the same, so only the first one not covered by a stronger match counts; later ones
/// matter only when the earlier ones were all covered. The cap bounds memory on huge requests.
pub const MATCHES_PER_RULE: usize = 64;

/// A place a rule matched, before it is known whether it votes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    pub function: usize,
    pub rule: usize,
    pub kind: RuleKind,
    pub field: Field,
    pub part: usize,
    pub start: usize,
    pub end: usize,
    /// It overlaps an occurrence of one of its rule's `unless` entries.
    pub cancelled: bool,
}

/// Why a match did not change a score (JSON `uncounted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Uncounted {
    /// It overlaps one of its rule's `unless` entries: the word is used in another sense.
    Unless,
    /// A stronger match of the same function covers some of the same text.
    Overlapped,
    /// Its rule already counted at a stronger or earlier match (a rule counts once).
    Repeat,
    /// Counter-evidence against a function with no evidence: there was nothing to lower.
    NoEvidence,
}

impl Uncounted {
    pub fn as_str(self) -> &'static str {
        match self {
            Uncounted::Unless => "unless",
            Uncounted::Overlapped => "overlapped",
            Uncounted::Repeat => "repeat",
            Uncounted::NoEvidence => "no_evidence",
        }
    }
}

/// Turn every place a rule matched into the verdict: what counted, the scores, the decision.
pub(super) fn verdict(rules: &RuleSet, request: &Request, found: Vec<Found>) -> Verdict {
    // Each match's points, looked up once: the sort below compares them many times.
    let points: Vec<f64> =
        found.iter().map(|f| rules.rule(f.function, f.rule).weight * rules.field_weight(f.field)).collect();
    let mut outcome: Vec<Option<Uncounted>> =
        found.iter().map(|f| f.cancelled.then_some(Uncounted::Unless)).collect();

    // Strongest first within each function, evidence before counter-evidence.
    let mut order: Vec<usize> = (0..found.len()).filter(|&i| !found[i].cancelled).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&found[a], &found[b]);
        let (px, py) = (points[a], points[b]);
        x.function
            .cmp(&y.function)
            .then((px < 0.0).cmp(&(py < 0.0)))
            .then(py.abs().total_cmp(&px.abs()))
            .then((y.end - y.start).cmp(&(x.end - x.start)))
            .then(x.rule.cmp(&y.rule))
            .then((x.part, x.start).cmp(&(y.part, y.start)))
    });
    // Spans taken by stronger matches of the current function and sign: `(part, start) -> end`,
    // never overlapping each other, so only the nearest one starting before an end can overlap.
    let mut claimed: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut counted_rules: HashSet<(usize, usize)> = HashSet::new();
    let mut group = None;
    let mut counted: Vec<usize> = Vec::new();
    for &index in &order {
        let f = &found[index];
        let key = (f.function, points[index] < 0.0);
        if group != Some(key) {
            group = Some(key);
            claimed.clear();
        }
        let overlaps = claimed
            .range(..(f.part, f.end))
            .next_back()
            .is_some_and(|(&(part, _), &end)| part == f.part && end > f.start);
        if overlaps {
            outcome[index] = Some(Uncounted::Overlapped);
            continue;
        }
        // A repeat still claims its text: "api key api key" is one phrase said twice, not an
        // invitation for the weaker "api" to count at the second one.
        claimed.insert((f.part, f.start), f.end);
        if counted_rules.insert((f.function, f.rule)) {
            counted.push(index);
        } else {
            outcome[index] = Some(Uncounted::Repeat);
        }
    }
    // Counter-evidence only lowers a function that has evidence.
    let has_evidence: HashSet<usize> =
        counted.iter().filter(|&&i| points[i] > 0.0).map(|&i| found[i].function).collect();
    counted.retain(|&i| {
        let keep = points[i] > 0.0 || has_evidence.contains(&found[i].function);
        if !keep {
            outcome[i] = Some(Uncounted::NoEvidence);
        }
        keep
    });

    // Shown: every match that counted, and the first match of each other rule in each part (so a
    // rule author sees what was cancelled or outweighed), in text order.
    let mut shown: Vec<usize> = (0..found.len()).collect();
    shown.sort_by_key(|&i| {
        let f = &found[i];
        (f.part, f.start, f.end, f.function, f.rule)
    });
    let mut seen: HashSet<(usize, usize, usize)> = HashSet::new();
    shown.retain(|&i| {
        let f = &found[i];
        seen.insert((f.function, f.rule, f.part)) || outcome[i].is_none()
    });
    let mut position = vec![usize::MAX; found.len()];
    let matches: Vec<Match> = shown
        .iter()
        .enumerate()
        .map(|(at, &i)| {
            position[i] = at;
            let f = &found[i];
            Match {
                function: f.function,
                rule: f.rule,
                kind: f.kind,
                weight: rules.rule(f.function, f.rule).weight,
                field: f.field,
                part: f.part,
                start: f.start,
                end: f.end,
                text: request.parts()[f.part].text[f.start..f.end].to_owned(),
                uncounted: outcome[i],
            }
        })
        .collect();

    let mut contributions: Vec<Contribution> = counted
        .iter()
        .map(|&i| {
            let f = &found[i];
            Contribution {
                function: f.function,
                rule: f.rule,
                weight: rules.rule(f.function, f.rule).weight,
                field: f.field,
                field_weight: rules.field_weight(f.field),
                points: points[i],
                evidence: position[i],
            }
        })
        .collect();
    // Summed in rule-file order, so that a sum rebuilt elsewhere comes out the same.
    contributions.sort_by_key(|c| (c.function, c.rule));
    let tally = tally(rules.functions.len(), &contributions);
    let decision = rules.decide_tally(&tally);
    let Tally { scores, none: none_score, .. } = tally;
    // Listed by function, strongest function first, then strongest rule first.
    let score_of = |function: usize| scores.get(function).copied().unwrap_or(none_score);
    contributions.sort_by(|a, b| {
        score_of(b.function)
            .total_cmp(&score_of(a.function))
            .then(a.function.cmp(&b.function))
            .then(b.points.abs().total_cmp(&a.points.abs()))
            .then(a.rule.cmp(&b.rule))
    });
    let Decision { owner, status, score, runner_up, no_owner } = decision;
    Verdict {
        owner,
        status,
        score,
        scores,
        none_score,
        runner_up,
        no_owner,
        contributions,
        matches,
        language: None,
    }
}

/// Why a verdict has no owner (JSON `no_owner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoOwner {
    /// No function reached `threshold`.
    BelowThreshold,
    /// The `none:` block reached `threshold` and scored at least as much as the top function
    /// (whether or not that function reached the threshold).
    #[serde(rename = "none")]
    NotOurs,
    /// The top function's only evidence is a single rule scoring below `single_rule_threshold`.
    SingleWeakRule,
}

impl NoOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            NoOwner::BelowThreshold => "below_threshold",
            NoOwner::NotOurs => "none",
            NoOwner::SingleWeakRule => "single_weak_rule",
        }
    }
}

/// What a decision is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// Every function's score, floored at 0, in rule-file order.
    pub scores: Vec<f64>,
    /// The `none:` block's score.
    pub none: f64,
    /// How many rules counted as evidence (positive points) for each function.
    pub evidence: Vec<usize>,
}

/// The outcome of a [`Tally`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub owner: Option<usize>,
    pub status: Status,
    /// The top function's score.
    pub score: f64,
    pub runner_up: Option<usize>,
    /// Why there is no owner; `None` when there is one.
    pub no_owner: Option<NoOwner>,
}

/// Scores and evidence counts of `functions` functions (the `none:` block at index `functions`)
/// from contributions given in rule-file order.
pub(crate) fn tally<'c>(
    functions: usize,
    contributions: impl IntoIterator<Item = &'c Contribution>,
) -> Tally {
    let contributions: Vec<&Contribution> = contributions.into_iter().collect();
    let mut scores = sum_scores(functions + 1, contributions.iter().copied());
    let none = scores.pop().unwrap_or(0.0);
    let mut evidence = vec![0; functions];
    for contribution in contributions.iter().filter(|c| c.points > 0.0) {
        if let Some(count) = evidence.get_mut(contribution.function) {
            *count += 1;
        }
    }
    Tally { scores, none, evidence }
}

impl RuleSet {
    /// The decision for a tally: [`RuleSet::decide`] on the functions' scores, then no owner when
    /// the `none:` block wins or when one weak rule is all the top function has.
    pub fn decide_tally(&self, tally: &Tally) -> Decision {
        let (owner, status, score, runner_up) = self.decide(&tally.scores);
        let no_owner = match owner {
            _ if tally.none >= self.threshold && tally.none >= score => Some(NoOwner::NotOurs),
            None => Some(NoOwner::BelowThreshold),
            Some(top)
                if tally.evidence.get(top).copied().unwrap_or(0) <= 1
                    && score < self.single_rule_threshold =>
            {
                Some(NoOwner::SingleWeakRule)
            }
            Some(_) => None,
        };
        match no_owner {
            Some(why) => {
                Decision { owner: None, status: Status::Unassigned, score, runner_up, no_owner: Some(why) }
            }
            None => Decision { owner, status, score, runner_up, no_owner },
        }
    }
}

/// Scores are sums of user-given decimals; rounding hides float noise like 2.0000000000000004.
pub(crate) fn round_score(score: f64) -> f64 {
    (score * 1e6).round() / 1e6
}

/// Each voter's score: its contributions added in the order given (rule-file order, so that
/// float sums come out the same wherever they are rebuilt), floored at 0 and rounded.
fn sum_scores<'c>(voters: usize, contributions: impl IntoIterator<Item = &'c Contribution>) -> Vec<f64> {
    let mut scores = vec![0.0_f64; voters];
    for contribution in contributions {
        if let Some(score) = scores.get_mut(contribution.function) {
            *score += contribution.points;
        }
    }
    for score in &mut scores {
        *score = round_score(score.max(0.0));
    }
    scores
}
