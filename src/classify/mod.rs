//! The classifier: a compiled rule set that scores requests. Pure: it never prints.
//!
//! All keywords of all functions, together with the strings each pattern requires, are found in
//! one pass over case-folded, whitespace-collapsed text: by Aho-Corasick automata (one for ASCII
//! literals, one for the others, more for huge rule sets; see `automata`), or for one short text
//! by a literal scan. Only the patterns whose searched clause of required strings occurs are run
//! (see [`candidates`]), so a request runs only the few patterns it could match. For the default
//! rules, the literal index and the patterns' DFAs for single requests are built ahead of time
//! and embedded (see `index` and `prebuilt`).

mod automata;
mod candidates;
mod clauses;
pub(crate) mod fold;
mod index;
pub mod markdown;
pub(crate) mod pattern;
mod prebuilt;
mod rows;
mod score;
mod unless;

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use aho_corasick::AhoCorasickKind;
use automata::{Automata, LiteralList, ShortScan};
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;

use crate::language::{self, Detected};
use crate::rules::{Field, RuleKind, RuleSet, RulesError, RulesErrorKind};
use candidates::{PatternFilter, Seen};
pub(crate) use fold::{is_boundary, is_word_char};
use fold::{word_end, Folded};
use index::Index;
use pattern::LazyRegex;
use rows::Rows;
pub(crate) use score::{round_score, tally};
pub use score::{Decision, NoOwner, Tally, Uncounted};

/// One request: text in fields. Most requests are a single body; batch rows and templates
/// add a title, and templates add many parts (name, description, each form field).
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    parts: Vec<Part<'a>>,
}

/// A piece of a request's text and the field it belongs to.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub field: Field,
    pub text: Cow<'a, str>,
}

impl<'a> Request<'a> {
    /// A request that is all body.
    pub fn body(text: impl Into<Cow<'a, str>>) -> Request<'a> {
        let mut request = Request::default();
        request.push(Field::Body, text);
        request
    }

    /// A request with a title and a body.
    pub fn with_title(title: impl Into<Cow<'a, str>>, body: impl Into<Cow<'a, str>>) -> Request<'a> {
        let mut request = Request::default();
        request.push(Field::Title, title);
        request.push(Field::Body, body);
        request
    }

    /// Add a part; match spans are reported per part, in the order parts were pushed.
    pub fn push(&mut self, field: Field, text: impl Into<Cow<'a, str>>) {
        self.parts.push(Part { field, text: text.into() });
    }

    pub fn parts(&self) -> &[Part<'a>] {
        &self.parts
    }
}

/// How clearly a request routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// One function clearly owns it.
    Assigned,
    /// The owner leads, but the runner-up is close (`mixed_ratio`).
    Mixed,
    /// No function reached the threshold.
    Unassigned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Assigned => "assigned",
            Status::Mixed => "mixed",
            Status::Unassigned => "unassigned",
        }
    }
}

/// One place a rule matched: the evidence behind a score, or a match that did not count.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index into the rule set's voters: a function, or the `none:` block at
    /// [`RuleSet::none_index`].
    pub function: usize,
    /// Index into that function's rules.
    pub rule: usize,
    pub kind: RuleKind,
    /// The rule's weight (before the field weight).
    pub weight: f64,
    pub field: Field,
    /// Index of the request part the span is in.
    pub part: usize,
    /// Byte offsets into that part's text, on character boundaries.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `None` when this match changed a score; otherwise why it did not.
    pub uncounted: Option<Uncounted>,
}

impl Match {
    /// Whether this match changed a score.
    pub fn counted(&self) -> bool {
        self.uncounted.is_none()
    }
}

/// A rule that counted and what it added to its function's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    /// A function, or the `none:` block at [`RuleSet::none_index`].
    pub function: usize,
    pub rule: usize,
    /// The rule's weight.
    pub weight: f64,
    /// The field of the match that counted, and that field's weight.
    pub field: Field,
    pub field_weight: f64,
    /// `weight x field_weight`: what it added to the score.
    pub points: f64,
    /// Index into the verdict's matches of the match that counted.
    pub evidence: usize,
}

/// The outcome for one request, with all its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The owning function's index; `None` when unassigned.
    pub owner: Option<usize>,
    pub status: Status,
    /// The top score (also reported when no function reached the threshold).
    pub score: f64,
    /// Every function's score, in rule-file order.
    pub scores: Vec<f64>,
    /// The score of the `none:` block: evidence that the request belongs to no function.
    pub none_score: f64,
    /// The best-scoring other function, when it scored above zero.
    pub runner_up: Option<usize>,
    /// Why there is no owner (`None` when there is one).
    pub no_owner: Option<NoOwner>,
    /// The rules that counted, grouped by function (highest score first, ties in rule-file
    /// order), strongest first within a function (ties in rule-file order).
    pub contributions: Vec<Contribution>,
    /// In text order: every match that counted, and the first match in each part of each rule
    /// that did not count there (marked with why).
    pub matches: Vec<Match>,
    /// The language an unassigned request is written in, when the detector is sure of it, and
    /// whether the rules cover it (detected only for unassigned verdicts, where it explains why
    /// no rule matched). `None` for assigned and mixed verdicts.
    pub language: Option<Detected>,
}

impl Verdict {
    /// The function the text leans to: the owner, else the best score above zero (ties to the
    /// function listed first), so an unassigned verdict can still name its closest function.
    pub fn leaning(&self) -> Option<usize> {
        self.owner.or_else(|| {
            (0..self.scores.len())
                .filter(|&i| self.scores[i] > 0.0)
                .max_by(|&a, &b| self.scores[a].total_cmp(&self.scores[b]).then(b.cmp(&a)))
        })
    }

    /// The match that counted for a contribution: what to show as its evidence.
    pub fn evidence(&self, contribution: &Contribution) -> Option<&Match> {
        self.matches.get(contribution.evidence)
    }

    /// A voter's score: a function's, or the `none:` block's at its index.
    pub fn score_of(&self, function: usize) -> f64 {
        self.scores.get(function).copied().unwrap_or(self.none_score)
    }

    /// The points the floor at 0 adds back to `function`: what its counter-evidence took beyond
    /// its evidence. Listed beside the contributions, it makes them add up to the score.
    pub fn floor(&self, function: usize) -> f64 {
        let sum: f64 = self.contributions.iter().filter(|c| c.function == function).map(|c| c.points).sum();
        if sum < 0.0 {
            round_score(-sum)
        } else {
            0.0
        }
    }
}

/// Options that change what text votes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassifyOptions {
    /// Count text inside code blocks and HTML comments (ignored by default).
    pub include_code: bool,
}

/// A keyword literal in the automaton and the rules that use it.
#[derive(Debug, Clone, Copy, serde::Deserialize, Serialize)]
struct KeywordTarget {
    /// `u32`, as in [`Rows`]: 12 bytes a target, not 24.
    function: u32,
    rule: u32,
    term: Term,
}

/// How a keyword or an `unless` phrase meets its literal in the text: as whole words where the
/// literal starts or ends with a word character, or as a prefix when written with a trailing `*`.
#[derive(Debug, Clone, Copy, serde::Deserialize, Serialize)]
pub(super) struct Term {
    prefix: bool,
    /// Whether the literal starts/ends with a word character, i.e. needs a boundary there.
    word_start: bool,
    word_end: bool,
}

impl Term {
    /// The literal to search for in the folded text, and how it must meet the words around it,
    /// without allocating: the literal is part of `source`, or of `scratch` where folding
    /// changes the term.
    pub(super) fn parse_in<'a>(source: &'a str, scratch: &'a mut Folded) -> (&'a str, Term) {
        // What `normalize_term` gives; a term that folding leaves as it is (the usual one) is
        // not even copied.
        let trimmed = source.trim();
        let normalized = if folds_to_itself(trimmed) {
            trimmed
        } else {
            scratch.fold(trimmed);
            scratch.text.as_str()
        };
        let prefix = normalized.ends_with('*');
        let literal = normalized.trim_end_matches('*').trim_end();
        let word_start = literal.chars().next().is_some_and(is_word_char);
        let word_end = literal.chars().next_back().is_some_and(is_word_char);
        (literal, Term { prefix, word_start, word_end })
    }

    /// Where an occurrence `start..end` of the literal in the folded text counts, in the
    /// original text (a prefix reaches to the end of its word: `invoic*` -> "invoices"); `None`
    /// when the words around it do not fit. `edges` is [`word_edges`] of the occurrence.
    pub(super) fn span(
        self,
        folded: &Folded,
        text: &str,
        (start, end): (usize, usize),
        (starts_word, ends_word): (bool, bool),
    ) -> Option<(usize, usize)> {
        let left_ok = !self.word_start || starts_word;
        let right_ok = self.prefix || !self.word_end || ends_word;
        if !(left_ok && right_ok) {
            return None;
        }
        let (start, end) = original_span(folded, text, start, end);
        Some((start, if self.prefix { word_end(text, end) } else { end }))
    }
}

/// Whether folding leaves `text` (trimmed) as it is: printable ASCII without capitals and
/// caseless letters (kana, CJK, Hangul), words separated by single spaces.
fn folds_to_itself(text: &str) -> bool {
    let mut after_space = false;
    text.chars().all(|c| {
        let ok = match c {
            ' ' => !after_space,
            '!'..='~' => !c.is_ascii_uppercase(),
            _ => fold::is_caseless_letter(c),
        };
        after_space = c == ' ';
        ok
    })
}

/// Whether `start..end` of `haystack` begins and ends at word boundaries.
pub(super) fn word_edges(haystack: &str, start: usize, end: usize) -> (bool, bool) {
    let at = |offset: usize| {
        is_boundary(haystack[..offset].chars().next_back(), haystack[offset..].chars().next())
    };
    (at(start), at(end))
}

/// A compiled rule set, ready to classify many requests from many threads.
#[derive(Debug)]
pub struct Classifier {
    rules: RuleSet,
    options: ClassifyOptions,
    /// The keyword literals and the strings patterns require, in automata (`None` when there
    /// are none): built up front for many requests; for few, on the first text longer
    /// than [`SHORT_TEXT`], or never (the error when it cannot be built).
    keywords: OnceLock<Result<Option<Automata>, String>>,
    /// For few requests, the literals: indexed to be searched without an automaton in short
    /// texts (`Err` when they cannot be: see [`ShortScan::new`]), and kept to build the automaton
    /// from (a noncontiguous NFA, cheap to build) when a long text comes. For many requests,
    /// `Err` of no literals: the automaton is built.
    scan: Result<ShortScan, LiteralList>,
    /// For each literal of the automaton, the keyword rules it stands for (none for a string
    /// only patterns require).
    keyword_targets: Rows<KeywordTarget>,
    /// `(function, rule)` of each pattern.
    pattern_rules: Vec<(usize, usize)>,
    /// Which patterns a text could match, from the literals the automaton found.
    pattern_filter: PatternFilter,
    /// Each pattern compiled on first use, so a single request pays only for the patterns its
    /// text could match; [`Classifier::with_options`] compiles them all up front.
    pattern_regexes: Vec<LazyRegex>,
    /// Built for few requests: short texts get the light form of each pattern.
    few_requests: bool,
    /// The rules' `unless` entries: text in which a match means something else.
    guards: unless::Guards,
}

/// How many bytes of a request the language detector reads.
const LANGUAGE_SAMPLE: usize = 512;

thread_local! {
    static FOLD_BUFFER: RefCell<Folded> = RefCell::new(Folded::default());
    /// The keywords a [`ShortScan`] found in the current text.
    static SCAN_BUFFER: RefCell<Vec<automata::Found>> = const { RefCell::new(Vec::new()) };
}

impl Classifier {
    /// Compile a rule set with default options.
    pub fn new(rules: RuleSet) -> Result<Classifier, RulesError> {
        Classifier::with_options(rules, ClassifyOptions::default())
    }

    /// Compile a rule set once, patterns included; classification then does no compilation.
    pub fn with_options(rules: RuleSet, options: ClassifyOptions) -> Result<Classifier, RulesError> {
        Classifier::build(rules, options, true)
    }

    /// Like [`Classifier::with_options`], but patterns are compiled when a request first needs
    /// them, and so are `unless` regexes: the fastest start for one request. A pattern that
    /// cannot compile (too big for the size limit) is then only found when a request needs it;
    /// see [`Classifier::pattern_failure`].
    pub fn for_few_requests(rules: RuleSet, options: ClassifyOptions) -> Result<Classifier, RulesError> {
        Classifier::build(rules, options, false)
    }

    /// `many_requests` trades build time for search speed: a DFA and every pattern compiled up
    /// front, instead of an NFA and patterns compiled when first needed.
    fn build(
        rules: RuleSet,
        options: ClassifyOptions,
        many_requests: bool,
    ) -> Result<Classifier, RulesError> {
        let Index { literals: scan, keyword_targets, pattern_rules, pattern_filter } = Index::of(&rules);
        let literals = literals_of(&scan);
        // A DFA is fastest to search but costly to build, worth it only for many requests and
        // not for huge keyword lists; for few requests the NFA as first built is enough (see
        // `keyword_automaton`), and short texts need none (see `ShortScan`). The DFA builds on
        // a thread of its own while the patterns compile on this one: the two take about as
        // long, and batch cannot start before both are done. Where no thread can be started (a
        // process or memory limit), it builds here after the patterns.
        let kind =
            if literals.len() <= 5_000 { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA };
        let (automaton, compiled) = std::thread::scope(|scope| {
            let spawned = many_requests
                .then(|| std::thread::Builder::new().spawn_scoped(scope, || build_keywords(literals, kind)));
            let compiled = compile_patterns(&rules, &pattern_rules, many_requests)
                .and_then(|regexes| Ok((regexes, unless::Guards::build(&rules, many_requests)?)));
            let automaton = spawned.map(|spawned| match spawned {
                Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => build_keywords(literals, kind),
            });
            (automaton, compiled)
        });
        let (pattern_regexes, guards) = compiled?;
        let keywords = OnceLock::new();
        let scan = match automaton {
            Some(automaton) => {
                // Only this thread has seen the cell: it is empty.
                let _ = keywords.set(Ok(automaton.map_err(|message| too_big(&rules, message))?));
                // Built: the literals are no longer needed.
                Err(LiteralList::default())
            }
            None => scan,
        };
        Ok(Classifier {
            rules,
            options,
            keywords,
            scan,
            keyword_targets,
            pattern_rules,
            pattern_filter,
            pattern_regexes,
            few_requests: !many_requests,
            guards,
        })
    }

    /// The same classifier with the pattern filter off: every pattern runs on every text. The
    /// reference the filter is tested against.
    #[cfg(test)]
    fn without_pattern_filter(mut self) -> Classifier {
        self.pattern_filter = PatternFilter::unfiltered(self.pattern_rules.len());
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn options(&self) -> ClassifyOptions {
        self.options
    }

    /// Classify plain text as a request body.
    pub fn classify_text(&self, text: &str) -> Verdict {
        self.classify(&Request::body(text))
    }

    /// Score a request against every function and decide its owner.
    pub fn classify(&self, request: &Request) -> Verdict {
        let mut found = Vec::new();
        // How often each rule matched in the current part: past `MATCHES_PER_RULE` a rule's
        // further matches are not weighed, so memory stays bounded on a huge request.
        let mut per_rule: HashMap<(usize, usize), usize> = HashMap::new();
        for (part_index, part) in request.parts().iter().enumerate() {
            let text = self.visible(&part.text);
            per_rule.clear();
            let first = found.len();
            FOLD_BUFFER.with(|buffer| {
                let mut folded = buffer.borrow_mut();
                folded.fold(&text);
                let mut record = |function: usize, rule: usize, kind: RuleKind, start: usize, end: usize| {
                    let seen = per_rule.entry((function, rule)).or_insert(0);
                    if *seen >= score::MATCHES_PER_RULE {
                        return;
                    }
                    *seen += 1;
                    found.push(score::Found {
                        function,
                        rule,
                        kind,
                        field: part.field,
                        part: part_index,
                        start,
                        end,
                        cancelled: false,
                    });
                };
                // A short text for few requests is scanned for literals without an automaton, and
                // gets the light form of each regex it needs.
                let light = self.few_requests && folded.text.len() <= SHORT_TEXT;
                let mut clauses_seen = self.pattern_filter.start();
                self.match_keywords(&folded, &text, light, &mut clauses_seen, &mut record);
                self.match_patterns(&folded, &text, &clauses_seen, light, &mut record);
                self.guards.cancel(&self.rules, &folded, &text, light, &mut found[first..]);
            });
        }
        let mut verdict = score::verdict(&self.rules, request, found);
        if verdict.status == Status::Unassigned {
            verdict.language = self.detect_language(request);
        }
        verdict
    }

    /// The language of the text that voted (code blocks and comments masked as for matching)
    /// and whether the rules cover it. The detector reads at most [`LANGUAGE_SAMPLE`] bytes: a
    /// language shows in its first sentences, and a 200 MB request must not cost 200 MB more.
    fn detect_language(&self, request: &Request) -> Option<Detected> {
        let mut sample = String::new();
        for part in request.parts() {
            let room = LANGUAGE_SAMPLE.saturating_sub(sample.len());
            let mut end = part.text.len().min(room);
            while !part.text.is_char_boundary(end) {
                end -= 1;
            }
            sample.push_str(&self.visible(&part.text[..end]));
            sample.push('\n');
            if sample.len() >= LANGUAGE_SAMPLE {
                break;
            }
        }
        language::detect_coverage(&sample, &self.rules.languages)
    }

    /// The text of one request part that votes: code blocks and HTML comments masked unless
    /// `include_code`.
    fn visible<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.options.include_code {
            Cow::Borrowed(text)
        } else {
            markdown::mask_noise(text)
        }
    }

    /// A part's text exactly as the rules see it: noise masked, then folded (lowercase,
    /// whitespace runs as one space). `rules suggest` draws its candidate terms from it, so a
    /// suggested keyword matches wherever the classifier would see it.
    pub fn matching_text(&self, text: &str) -> String {
        let mut folded = Folded::default();
        folded.fold(&self.visible(text));
        folded.text
    }

    /// Keywords: the automata (or, for one short text, `light`, the literal scan) over the folded
    /// text, then whole-word checks. The same pass marks the pattern clauses whose strings occur
    /// (see [`candidates`]).
    fn match_keywords(
        &self,
        folded: &Folded,
        text: &str,
        light: bool,
        clauses_seen: &mut Seen,
        record: &mut impl FnMut(usize, usize, RuleKind, usize, usize),
    ) {
        let haystack = folded.text.as_str();
        let mut hit = |found: automata::Found| {
            self.pattern_filter.note(found.literal, clauses_seen);
            if self.keyword_targets[found.literal].is_empty() {
                return;
            }
            let occurrence = (found.start, found.end);
            let edges = word_edges(haystack, found.start, found.end);
            for target in &self.keyword_targets[found.literal] {
                if let Some((start, end)) = target.term.span(folded, text, occurrence, edges) {
                    record(target.function as usize, target.rule as usize, RuleKind::Keyword, start, end);
                }
            }
        };
        match &self.scan {
            Ok(scan) if light => SCAN_BUFFER.with(|buffer| {
                let mut found = buffer.borrow_mut();
                scan.find_overlapping(haystack.as_bytes(), &mut found);
                found.iter().for_each(|&f| hit(f));
            }),
            _ => {
                if let Some(automaton) = self.keyword_automaton() {
                    automaton.find_overlapping(haystack.as_bytes()).for_each(hit);
                }
            }
        }
    }

    /// The keyword automaton, built now if not yet; `None` when there are no literals or it
    /// cannot be built (see [`Classifier::pattern_failure`]).
    fn keyword_automaton(&self) -> Option<&Automata> {
        self.keywords
            .get_or_init(|| {
                let literals = literals_of(&self.scan);
                build_keywords(literals, AhoCorasickKind::NoncontiguousNFA)
            })
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
    }

    /// Patterns: only those whose required strings all occur run, each on its own.
    fn match_patterns(
        &self,
        folded: &Folded,
        text: &str,
        clauses_seen: &Seen,
        light: bool,
        record: &mut impl FnMut(usize, usize, RuleKind, usize, usize),
    ) {
        let haystack = folded.text.as_bytes();
        for index in self.pattern_filter.candidates(clauses_seen) {
            let (function, rule) = self.pattern_rules[index];
            let prepared = self.rules.rule(function, rule).prepared();
            // One short text checks what the keyword pass did not look for before it loads or
            // compiles the pattern.
            if light && !prepared.required.rest_found_in(haystack) {
                continue;
            }
            // A pattern that cannot compile never matches; `pattern_failure` reports it.
            if let Ok(Some((start, end))) =
                self.pattern_regexes[index].first_match(&prepared.source, haystack, light)
            {
                let (start, end) = original_span(folded, text, start, end);
                record(function, rule, RuleKind::Pattern, start, end);
            }
        }
    }

    /// The first pattern or `unless` regex compiled so far that failed to compile (only possible with
    /// [`Classifier::for_few_requests`]), so a caller can report it instead of a quiet miss.
    pub fn pattern_failure(&self) -> Option<RulesError> {
        self.pattern_regexes
            .iter()
            .enumerate()
            .find_map(|(index, regex)| {
                regex
                    .failure()
                    .map(|message| pattern_error(&self.rules, self.pattern_rules[index], message.clone()))
            })
            .or_else(|| self.guards.failure(&self.rules))
            .or_else(|| match self.keywords.get() {
                Some(Err(message)) => Some(too_big(&self.rules, message.clone())),
                _ => None,
            })
    }
}

/// Texts up to this many bytes are, for a classifier for few requests, searched for keywords with
/// [`ShortScan`] and matched by the light form of patterns and `unless` regexes: below it, trying
/// every literal that starts at each byte costs less than building the automaton once, and a
/// backtracking NFA less than building a lazy DFA.
const SHORT_TEXT: usize = 4096;

/// Each pattern of `pattern_rules`, compiled now when `eager` (an error names the first that
/// cannot compile), else when first needed.
fn compile_patterns(
    rules: &RuleSet,
    pattern_rules: &[(usize, usize)],
    eager: bool,
) -> Result<Vec<LazyRegex>, RulesError> {
    pattern_rules
        .iter()
        .map(|&rule| {
            let source = &rules.rule(rule.0, rule.1).prepared().source;
            LazyRegex::build(source, eager).map_err(|err| pattern_error(rules, rule, err))
        })
        .collect()
}

/// The literals of a classifier's `scan`.
fn literals_of(scan: &Result<ShortScan, LiteralList>) -> &LiteralList {
    scan.as_ref().map_or_else(|literals| literals, ShortScan::literals)
}

/// The keyword automaton over `literals`, `None` when there are none.
fn build_keywords(literals: &LiteralList, kind: AhoCorasickKind) -> Result<Option<Automata>, String> {
    Automata::over(literals, kind, "keyword")
}

/// The error for an automaton that cannot be built.
fn too_big(rules: &RuleSet, message: String) -> RulesError {
    RulesError {
        origin: rules.origin.clone(),
        line: None,
        column: None,
        kind: RulesErrorKind::TooBigToCompile(message),
    }
}

/// An error naming the pattern `(function, rule)` and its line.
fn pattern_error(rules: &RuleSet, (function, rule): (usize, usize), message: String) -> RulesError {
    RulesError {
        origin: rules.origin.clone(),
        line: rules.rule(function, rule).line,
        column: None,
        kind: RulesErrorKind::BadRegex { function: rules.voter_id(function).to_owned(), message },
    }
}

/// A span of the folded text as a span of the original, widened to character boundaries (an
/// ASCII-mode pattern may stop inside a multi-byte character).
fn original_span(folded: &Folded, text: &str, start: usize, end: usize) -> (usize, usize) {
    let (mut start, mut end) = (folded.original(start), folded.original(end));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

impl RuleSet {
    /// Owner, status, top score and runner-up for a set of scores, as the design defines them:
    /// ties go to the function listed first.
    pub fn decide(&self, scores: &[f64]) -> (Option<usize>, Status, f64, Option<usize>) {
        let mut top: Option<usize> = None;
        for (index, &score) in scores.iter().enumerate() {
            if top.is_none_or(|t| score > scores[t]) {
                top = Some(index);
            }
        }
        let Some(top) = top else { return (None, Status::Unassigned, 0.0, None) };
        let top_score = scores[top];
        let mut runner_up: Option<usize> = None;
        for (index, &score) in scores.iter().enumerate() {
            if index != top && score > 0.0 && runner_up.is_none_or(|r| score > scores[r]) {
                runner_up = Some(index);
            }
        }
        let runner_up_score = runner_up.map_or(0.0, |r| scores[r]);
        if top_score < self.threshold {
            (None, Status::Unassigned, top_score, runner_up)
        } else if runner_up_score >= self.mixed_ratio * top_score {
            (Some(top), Status::Mixed, top_score, runner_up)
        } else {
            (Some(top), Status::Assigned, top_score, runner_up)
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod script_tests;
