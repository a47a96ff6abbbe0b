//! Choosing rules: a greedy forward selection over the candidates, measured by cross-validation.
//!
//! Scores are additive (a function's score is the sum of its fired rules' points), so adding a
//! keyword only changes the scores of the requests it occurs in. Each request keeps its current
//! score per function; trying a candidate costs one look at each request it occurs in.
//!
//! The greedy step takes the candidate (with the function and the weight on the rule file's
//! scale) that most improves the training requests' *margins*: how far the labelled function
//! leads the others and the threshold, capped at the threshold, plus a bonus for each request
//! that becomes right. Margins rather than bare accuracy, so that a request already right by a
//! hair still rewards a second, independent piece of evidence: that is what carries a rule file
//! to requests it has never seen.
//!
//! The number of rules to keep is chosen by k-fold cross-validation: the selection runs once per
//! fold on the other folds' requests and is scored after each step on the fold it did not see;
//! the suggestion keeps the rules up to the step where held-out accuracy peaked. A rule that did
//! not improve cross-validated accuracy is therefore not kept. The rule file's own examples and
//! tests are constraints: a candidate that would break one that passes is never chosen.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::candidates::{Candidates, FIELD_BODY, FIELD_TITLE};
use crate::classify::{round_score, Status};
use crate::rules::{Expectation, RuleSet};

/// Gains at or below this are no gain (float noise).
const EPSILON: f64 = 1e-9;
/// Scores closer than this are equal (the classifier rounds scores to a millionth).
const TIE: f64 = 1e-6;

/// What a row should come out as.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    /// A labelled request: a function, or `None` for unassigned.
    Label(Option<usize>),
    /// One of the rule file's examples or tests.
    Case(Expectation),
}

/// The weights a new rule may get: the rule file's own scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Weights for evidence, ascending.
    pub positive: Vec<f64>,
    /// Weights for counter-evidence, by magnitude ascending (all negative).
    pub negative: Vec<f64>,
}

impl Scale {
    /// The distinct weights `rules` uses. A scale of fewer than three steps (a file of plain
    /// keywords, all weight 1) is widened to 1x, 2x and 3x its smallest weight, so that a new
    /// rule can say "decisive" as well as "supporting". Counter-evidence uses the file's
    /// negative weights up to three steps, else the two smallest positive ones negated.
    pub fn of(rules: &RuleSet) -> Scale {
        let weights = rules.functions.iter().flat_map(|f| f.rules.iter().map(|r| r.weight));
        let mut positive: Vec<f64> = weights.clone().filter(|w| *w > 0.0).collect();
        let mut negative: Vec<f64> = weights.filter(|w| *w < 0.0).collect();
        for list in [&mut positive, &mut negative] {
            list.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
            list.dedup();
        }
        if positive.len() < 3 {
            let unit = positive.first().copied().unwrap_or(1.0);
            positive = vec![unit, 2.0 * unit, 3.0 * unit];
        }
        negative.truncate(3);
        if negative.is_empty() {
            negative = positive.iter().take(2).map(|w| -w).collect();
        }
        Scale { positive, negative }
    }
}

/// A chosen rule: candidate, function and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Choice {
    pub candidate: u32,
    pub function: usize,
    pub weight: f64,
    /// What it added to the training objective when chosen.
    pub gain: f64,
}

/// Everything the selection works on.
pub(super) struct Problem<'a> {
    pub rules: &'a RuleSet,
    /// Each row's score per function before any new rule (rows x functions), not floored.
    pub base: Vec<f64>,
    pub targets: Vec<Target>,
    /// The fold of each labelled row; cases have none.
    pub folds: Vec<usize>,
    pub fold_count: usize,
    pub candidates: &'a Candidates,
    pub scale: Scale,
    pub max_new: usize,
}

/// The outcome of one selection run.
#[derive(Debug, Clone, Default)]
pub(super) struct Run {
    pub chosen: Vec<Choice>,
    /// For a fold's run: `(right, margin sum)` on the held-out fold before any rule and after
    /// each chosen one.
    pub curve: Vec<(usize, f64)>,
}

/// The options of one candidate: `(function, weight)` pairs.
type Options = Vec<(usize, f64)>;

/// The chosen rules of every fold's run and of the run on all the data.
pub(super) struct Selection {
    pub folds: Vec<Run>,
    pub all: Run,
    /// How many of the chosen rules to keep (where held-out accuracy peaked).
    pub keep: usize,
}

impl Problem<'_> {
    fn functions(&self) -> usize {
        self.rules.functions.len()
    }

    fn field_weight(&self, fields: u8) -> f64 {
        let title = if fields & FIELD_TITLE != 0 { self.rules.title_weight } else { f64::NEG_INFINITY };
        let body = if fields & FIELD_BODY != 0 { self.rules.body_weight } else { f64::NEG_INFINITY };
        title.max(body)
    }

    /// The options worth trying for a candidate: evidence for the function most of its requests
    /// carry, counter-evidence against each other function.
    fn options(&self, candidate: usize) -> Options {
        let candidate = &self.candidates.list[candidate];
        let (labels, support) = (&candidate.labels, candidate.support);
        let functions = self.functions();
        let home = (0..functions)
            .filter(|&f| labels[f] > 0)
            .max_by(|&a, &b| labels[a].cmp(&labels[b]).then(b.cmp(&a)));
        let mut options: Options = Vec::new();
        if let Some(home) = home {
            options.extend(trusted(&self.scale.positive, labels[home], support).iter().map(|&w| (home, w)));
        }
        for function in (0..functions).filter(|&f| Some(f) != home) {
            let against = support - labels[function];
            options.extend(trusted(&self.scale.negative, against, support).iter().map(|&w| (function, w)));
        }
        options
    }

    /// Judge one row's scores against its target: `(right, margin value)`. The margin is how
    /// far the labelled function leads both the best other function and the threshold (for an
    /// `unassigned` label: how far the best function stays below the threshold), capped above
    /// at the threshold, plus the threshold again when the row is right.
    fn judge(&self, scores: &[f64], target: &Target, floored: &mut Vec<f64>) -> (bool, f64) {
        let threshold = self.rules.threshold;
        let expected = match target {
            Target::Label(expected) => *expected,
            Target::Case(expect) => return (self.case_met(scores, expect, floored), 0.0),
        };
        // The owner as `RuleSet::decide` picks it (first listed wins a tie), in one pass; scores
        // within a millionth count as equal, as `decide`'s rounded scores do.
        let (mut top, mut best, mut second) = (0, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for (index, &score) in scores.iter().enumerate() {
            let score = score.max(0.0);
            if score > best + TIE {
                second = best;
                (top, best) = (index, score);
            } else if score > second {
                second = score;
            }
        }
        let second = second.max(0.0);
        let owner = (best >= threshold - TIE).then_some(top);
        let right = owner == expected;
        let margin = match expected {
            Some(function) => {
                let own = scores[function].max(0.0);
                let other = if function == top { second } else { best };
                (own - other).min(own - threshold)
            }
            None => threshold - best,
        };
        let cap = threshold;
        (right, margin.min(cap) + if right { cap } else { 0.0 })
    }

    /// Whether a rule-file case passes with these scores, decided exactly as the classifier does.
    fn case_met(&self, scores: &[f64], expect: &Expectation, floored: &mut Vec<f64>) -> bool {
        floored.clear();
        floored.extend(scores.iter().map(|s| round_score(s.max(0.0))));
        let (owner, status, _, _) = self.rules.decide(floored);
        match expect {
            Expectation::Owner(index) => owner == Some(*index) && status == Status::Assigned,
            Expectation::Unassigned => status == Status::Unassigned,
            Expectation::Mixed => status == Status::Mixed,
        }
    }

    /// For each option of `candidate`: the change of the margin sum per bucket (`bucket` maps a
    /// labelled row to its bucket, or `None` to leave it out), and whether the option keeps
    /// every case that passes passing.
    fn gains(
        &self,
        scores: &[f64],
        candidate: usize,
        options: &Options,
        buckets: usize,
        bucket: impl Fn(usize) -> Option<usize>,
    ) -> (Vec<f64>, Vec<bool>) {
        let functions = self.functions();
        let mut gains = vec![0.0; buckets * options.len()];
        let mut valid = vec![true; options.len()];
        let (mut trial, mut floored) = (Vec::with_capacity(functions), Vec::with_capacity(functions));
        for posting in &self.candidates.list[candidate].postings {
            let row = posting.row as usize;
            let target = &self.targets[row];
            let into = match target {
                Target::Label(_) => match bucket(row) {
                    Some(into) => Some(into),
                    None => continue,
                },
                Target::Case(_) => None,
            };
            let current = &scores[row * functions..(row + 1) * functions];
            let (was_right, before) = self.judge(current, target, &mut floored);
            if into.is_none() && !was_right {
                continue; // a case that fails already cannot be broken
            }
            let points = self.field_weight(posting.fields);
            for (index, &(function, weight)) in options.iter().enumerate() {
                trial.clear();
                trial.extend_from_slice(current);
                trial[function] += weight * points;
                let (right, after) = self.judge(&trial, target, &mut floored);
                match into {
                    Some(into) => gains[into * options.len() + index] += after - before,
                    None => valid[index] &= right,
                }
            }
        }
        (gains, valid)
    }

    /// Run the selection for every fold and for all the data, then choose how many rules to keep.
    pub fn select(&self) -> Selection {
        let count = self.candidates.list.len();
        let options: Vec<Options> = (0..count).map(|c| self.options(c)).collect();
        // Every run starts from the same scores: one pass gives each fold's share of each gain.
        let initial: Vec<(Vec<f64>, Vec<bool>)> = (0..count)
            .into_par_iter()
            .map(|c| self.gains(&self.base, c, &options[c], self.fold_count, |row| Some(self.folds[row])))
            .collect();
        // The candidates' order of preference when gains tie: more support, then fewer words.
        let mut order: Vec<usize> = (0..count).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.candidates.list[a], &self.candidates.list[b]);
            b.support.cmp(&a.support).then(a.term.len().cmp(&b.term.len())).then(a.term.cmp(&b.term))
        });
        let mut rank = vec![0; count];
        for (position, &candidate) in order.iter().enumerate() {
            rank[candidate] = position;
        }
        let mut runs: Vec<Run> = (0..=self.fold_count)
            .into_par_iter()
            .map(|run| {
                let held_out = (run < self.fold_count).then_some(run);
                self.run(held_out, &options, &initial, &rank)
            })
            .collect();
        let all = runs.pop().unwrap_or_default();
        let keep = best_length(&runs).min(all.chosen.len());
        Selection { folds: runs, all, keep }
    }

    /// One greedy run, trained on every fold but `held_out`.
    fn run(
        &self,
        held_out: Option<usize>,
        options: &[Options],
        initial: &[(Vec<f64>, Vec<bool>)],
        rank: &[usize],
    ) -> Run {
        let functions = self.functions();
        let count = self.candidates.list.len();
        let trains = |row: usize| Some(self.folds[row]) != held_out;
        let mut scores = self.base.clone();
        let mut used = vec![false; count];
        let mut stale = vec![false; count];
        let mut heap = BinaryHeap::with_capacity(count);
        let train_folds: Vec<usize> = (0..self.fold_count).filter(|&f| Some(f) != held_out).collect();
        for (candidate, (per_fold, valid)) in initial.iter().enumerate() {
            heap.push(Entry::best(candidate, per_fold, valid, &train_folds, rank[candidate]));
        }
        let mut floored = Vec::with_capacity(functions);
        let mut held = (0usize, 0.0f64);
        if let Some(fold) = held_out {
            for row in (0..self.folds.len()).filter(|&row| self.folds[row] == fold) {
                let (right, value) = self.judge(
                    &scores[row * functions..(row + 1) * functions],
                    &self.targets[row],
                    &mut floored,
                );
                held.0 += usize::from(right);
                held.1 += value;
            }
        }
        let mut result = Run { chosen: Vec::new(), curve: vec![held] };
        // Entries of a candidate from before its latest evaluation are dropped when popped.
        let mut version = vec![0usize; count];
        let mut swept = false;
        while result.chosen.len() < self.max_new {
            let Some(entry) = heap.pop() else { break };
            let candidate = entry.candidate;
            if used[candidate] || entry.version != version[candidate] {
                continue;
            }
            if stale[candidate] {
                version[candidate] += 1;
                heap.push(self.fresh(
                    &scores,
                    candidate,
                    &options[candidate],
                    rank[candidate],
                    &train_folds,
                    version[candidate],
                ));
                stale[candidate] = false;
                continue;
            }
            if entry.gain <= EPSILON {
                // No known gain left. A candidate whose requests changed since it was last
                // looked at may still help (gains are not monotone): look at each once more.
                let changed: Vec<usize> = (0..count).filter(|&c| stale[c] && !used[c]).collect();
                if swept || changed.is_empty() {
                    break;
                }
                heap.push(entry);
                for candidate in changed {
                    version[candidate] += 1;
                    heap.push(self.fresh(
                        &scores,
                        candidate,
                        &options[candidate],
                        rank[candidate],
                        &train_folds,
                        version[candidate],
                    ));
                    stale[candidate] = false;
                }
                swept = true;
                continue;
            }
            swept = false;
            let Some((function, weight)) = entry.option.map(|o| options[candidate][o]) else { break };
            for other in self.related(candidate) {
                used[other] = true;
            }
            used[candidate] = true;
            for posting in &self.candidates.list[candidate].postings {
                let row = posting.row as usize;
                let cell = row * functions..(row + 1) * functions;
                let is_held =
                    held_out.is_some() && matches!(self.targets[row], Target::Label(_)) && !trains(row);
                if is_held {
                    let (right, value) = self.judge(&scores[cell.clone()], &self.targets[row], &mut floored);
                    held.0 -= usize::from(right);
                    held.1 -= value;
                }
                scores[row * functions + function] += weight * self.field_weight(posting.fields);
                if is_held {
                    let (right, value) = self.judge(&scores[cell], &self.targets[row], &mut floored);
                    held.0 += usize::from(right);
                    held.1 += value;
                }
                for &other in &self.candidates.by_row[row] {
                    stale[other as usize] = true;
                }
            }
            result.chosen.push(Choice { candidate: candidate as u32, function, weight, gain: entry.gain });
            result.curve.push(held);
        }
        result
    }

    /// A candidate's heap entry from the current scores.
    fn fresh(
        &self,
        scores: &[f64],
        candidate: usize,
        options: &Options,
        rank: usize,
        train_folds: &[usize],
        version: usize,
    ) -> Entry {
        let (gains, valid) = self.gains(scores, candidate, options, self.fold_count, |row| {
            let fold = self.folds[row];
            train_folds.contains(&fold).then_some(fold)
        });
        Entry { version, ..Entry::best(candidate, &gains, &valid, train_folds, rank) }
    }

    /// Candidates that would be another form of the same word once `candidate` is chosen: a
    /// prefix and the words it matches (`deploy*` and `deployment`), so word forms never stack.
    fn related(&self, candidate: usize) -> Vec<usize> {
        let list = &self.candidates.list;
        let term = &list[candidate].term;
        let single_word = |t: &str| !t.contains(' ');
        if !single_word(term) {
            return Vec::new();
        }
        let chosen_stem = term.strip_suffix('*');
        (0..list.len())
            .filter(|&other| other != candidate && single_word(&list[other].term))
            .filter(|&other| {
                let other_term = &list[other].term;
                let other_stem = other_term.strip_suffix('*');
                match (chosen_stem, other_stem) {
                    (Some(stem), Some(other)) => stem.starts_with(other) || other.starts_with(stem),
                    (Some(stem), None) => other_term.starts_with(stem),
                    (None, Some(other)) => term.starts_with(other),
                    (None, None) => false,
                }
            })
            .collect()
    }
}

/// The steps of `scale` a rule may take when it votes right on `agreeing` of the `support`
/// requests it occurs in: the higher the lower bound of its precision (Wilson, 95% one-sided),
/// the higher up the scale it may go. A term right on 15 of 15 requests may be decisive; one
/// right on 6 of 8 only supports. The first step is always allowed.
fn trusted(scale: &[f64], agreeing: usize, support: usize) -> &[f64] {
    const Z: f64 = 1.645;
    let (n, p) = (support as f64, agreeing as f64 / support.max(1) as f64);
    let centre = p + Z * Z / (2.0 * n);
    let spread = Z * (p * (1.0 - p) / n + Z * Z / (4.0 * n * n)).sqrt();
    let lower = (centre - spread) / (1.0 + Z * Z / n);
    let trust = ((lower - 0.5) / 0.5).clamp(0.0, 1.0);
    let steps = ((scale.len() as f64 * trust).floor() as usize + 1).min(scale.len());
    &scale[..steps]
}

/// The number of steps after which the held-out folds were right most often (summed over the
/// folds; ties go to the larger held-out margin, then to fewer rules).
fn best_length(folds: &[Run]) -> usize {
    let longest = folds.iter().map(|run| run.curve.len()).max().unwrap_or(0);
    let mut best = (0, (0usize, f64::NEG_INFINITY));
    for step in 0..longest {
        let mut total = (0usize, 0.0f64);
        for run in folds {
            if let Some(&(right, value)) = run.curve.get(step).or(run.curve.last()) {
                total.0 += right;
                total.1 += value;
            }
        }
        let better = total.0 > best.1 .0 || (total.0 == best.1 .0 && total.1 > best.1 .1 + EPSILON);
        if step == 0 || better {
            best = (step, total);
        }
    }
    best.0
}

/// A candidate in the greedy's queue: its best option and that option's gain.
#[derive(Debug, Clone, Copy)]
struct Entry {
    gain: f64,
    rank: usize,
    candidate: usize,
    option: Option<usize>,
    /// The candidate's evaluation this entry comes from.
    version: usize,
}

impl Entry {
    /// A candidate judged by cross-validation inside its training folds: for each of them, the
    /// option (function and weight) that does best on the others is tried on it, and `gain` is
    /// the sum of those held-out gains. A term whose evidence does not carry from some requests
    /// to others (a common word that happens to lean one way) gains nothing and is not chosen.
    /// `option` is the one that does best on all of them. Options that would break a passing
    /// example or test are never taken; ties go to the option listed first (the smaller
    /// weight, evidence before counter-evidence).
    fn best(candidate: usize, gains: &[f64], valid: &[bool], folds: &[usize], rank: usize) -> Entry {
        let width = valid.len();
        let total: Vec<f64> = (0..width).map(|o| folds.iter().map(|&f| gains[f * width + o]).sum()).collect();
        let best_of = |score: &dyn Fn(usize) -> f64| {
            let mut best: Option<usize> = None;
            for option in (0..width).filter(|&o| valid[o]) {
                if best.is_none_or(|b| score(option) > score(b) + EPSILON) {
                    best = Some(option);
                }
            }
            best
        };
        let Some(option) = best_of(&|o| total[o]).filter(|&o| total[o] > EPSILON) else {
            return Entry { gain: f64::NEG_INFINITY, rank, candidate, option: None, version: 0 };
        };
        let held_out: f64 = if folds.len() < 2 {
            total[option]
        } else {
            folds
                .iter()
                .filter_map(|&fold| {
                    let chosen = best_of(&|o| total[o] - gains[fold * width + o])?;
                    Some(gains[fold * width + chosen])
                })
                .sum()
        };
        Entry { gain: held_out, rank, candidate, option: Some(option), version: 0 }
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Larger gain first, then the better-ranked candidate.
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain.total_cmp(&other.gain).then(other.rank.cmp(&self.rank))
    }
}
