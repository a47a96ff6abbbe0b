//! A rule's `unless:` list: text in which its words mean something else ("event" in "event
//! loop", "post" in "POST /v1"). A match that overlaps an occurrence of one of its rule's
//! `unless` entries is cancelled and does not vote. Overlap rather than containment, so that an
//! entry can name the one word of a long pattern match that is used in another sense ("POST
//! request" cancels "post ... release").
//!
//! Linear in the text: all `unless` phrases are searched by the same kind of automata as keywords
//! (or, in one short text, the same literal scan), each `unless` regex is a regex-automata regex
//! (linear time; in one short text possibly an embedded DFA, see `prebuilt`), and both run on a
//! request part only when a rule that has
//! them matched there. Whether a match overlaps an occurrence is a binary search over the
//! occurrences sorted by start.

use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt, HashSet};

use aho_corasick::AhoCorasickKind;

use super::automata::{Automata, Found as Occurrence, LiteralList, LiteralSet, ShortScan};
use super::fold::Folded;
use super::pattern::LazyRegex;
use super::rows::Rows;
use super::score::Found;
use super::{original_span, pattern_error, too_big, word_edges, Term};
use crate::rules::{RuleKind, RuleSet, RulesError};

/// A phrase and the rule it guards; it matches as a keyword does.
#[derive(Debug, Clone, Copy)]
struct PhraseTarget {
    rule: (usize, usize),
    term: Term,
}

/// An `unless` regex and the rule it guards.
#[derive(Debug)]
struct GuardRegex {
    rule: (usize, usize),
    /// Which of the rule's `unless` entries it is: the rule set holds its source.
    entry: usize,
    regex: LazyRegex,
}

/// The `unless` entries of a rule set, compiled.
#[derive(Debug, Default)]
pub(super) struct Guards {
    /// Every `unless` phrase of every rule, folded as keywords are, in one automaton (`None`
    /// when there are none): built up front when `eager`, else when a request first matches a
    /// guarded rule, so a request that matches none does not pay for it; the error when it
    /// cannot be built.
    phrases: OnceLock<Result<Option<Automata>, String>>,
    /// The phrases to build the automaton from when not built up front.
    phrase_list: LiteralList,
    /// For few requests: the phrases indexed for a short text's scan, which costs a request that
    /// matches a guarded rule far less than building the automaton (see [`ShortScan`]); built
    /// when a short text first needs it, `None` when it cannot be (an empty phrase).
    phrase_scan: OnceLock<Option<ShortScan>>,
    /// For each phrase: the rules `(function, rule)` it guards, and how it meets word boundaries.
    phrase_rules: Rows<PhraseTarget>,
    /// Each `unless` regex and the rule it guards, compiled on first use unless built `eager`:
    /// one request pays only for the entries of rules that matched it.
    regexes: Vec<GuardRegex>,
    /// Rules that have an `unless` list.
    guarded: HashSet<(usize, usize)>,
}

impl Guards {
    /// With `eager`, every `unless` regex is compiled now, so that one that cannot compile is an
    /// error here; otherwise each is compiled when first needed (see [`Guards::failure`]).
    pub(super) fn build(rules: &RuleSet, eager: bool) -> Result<Guards, RulesError> {
        let mut guards = Guards::default();
        let mut phrases = LiteralSet::default();
        let mut phrase_rules = Vec::new();
        let mut scratch = Folded::default();
        for (function, voter) in rules.voters().enumerate() {
            for (index, rule) in voter.iter().enumerate() {
                let key = (function, index);
                for (entry, unless) in rule.unless.iter().enumerate() {
                    guards.guarded.insert(key);
                    match unless.kind {
                        RuleKind::Keyword => {
                            let (literal, term) = Term::parse_in(&unless.source, &mut scratch);
                            phrase_rules
                                .push((phrases.id(literal.as_bytes()), PhraseTarget { rule: key, term }));
                        }
                        RuleKind::Pattern => {
                            let regex = LazyRegex::build(&unless.prepared.source, eager)
                                .map_err(|message| guard_error(rules, key, message))?;
                            guards.regexes.push(GuardRegex { rule: key, entry, regex });
                        }
                    }
                }
            }
        }
        let phrases = phrases.into_list();
        guards.phrase_rules = Rows::from_pairs(phrases.len(), &phrase_rules);
        if eager {
            let automaton = phrase_automaton(&phrases).map_err(|message| too_big(rules, message))?;
            // Only this thread has seen the cell: it is empty.
            let _ = guards.phrases.set(Ok(automaton));
        } else {
            guards.phrase_list = phrases;
        }
        Ok(guards)
    }

    /// The phrase automaton, built now if not yet; `None` when there are no phrases or it cannot
    /// be built (see [`Guards::failure`]).
    fn phrase_automaton(&self) -> Option<&Automata> {
        self.phrases
            .get_or_init(|| phrase_automaton(&self.phrase_list))
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
    }

    /// Mark the matches in `found` (all from the part whose folded text is `folded`) that overlap
    /// an occurrence of one of their rule's `unless` entries; `rules` is the rule set these
    /// guards were built from.
    pub(super) fn cancel(
        &self,
        rules: &RuleSet,
        folded: &Folded,
        text: &str,
        light: bool,
        found: &mut [Found],
    ) {
        if self.guarded.is_empty() {
            return;
        }
        let wanted: HashSet<(usize, usize)> =
            found.iter().map(|f| (f.function, f.rule)).filter(|key| self.guarded.contains(key)).collect();
        if wanted.is_empty() {
            return;
        }
        // Occurrences of each wanted rule's `unless` entries: (start, end) in the original text.
        let mut spans: HashMap<(usize, usize), Vec<(usize, usize)>> = HashMap::new();
        let haystack = folded.text.as_str();
        let note = |occurrence: Occurrence| {
            let span = (occurrence.start, occurrence.end);
            let edges = word_edges(haystack, occurrence.start, occurrence.end);
            for target in self.phrase_rules[occurrence.literal].iter().filter(|t| wanted.contains(&t.rule)) {
                if let Some(found) = target.term.span(folded, text, span, edges) {
                    spans.entry(target.rule).or_default().push(found);
                }
            }
        };
        let scan =
            light.then(|| self.phrase_scan.get_or_init(|| ShortScan::new(self.phrase_list.clone()).ok()));
        match scan.and_then(Option::as_ref) {
            Some(scan) => {
                let mut occurrences = Vec::new();
                scan.find_overlapping(haystack.as_bytes(), &mut occurrences);
                occurrences.into_iter().for_each(note);
            }
            None => self
                .phrase_automaton()
                .iter()
                .flat_map(|a| a.find_overlapping(haystack.as_bytes()))
                .for_each(note),
        }
        for guard in self.regexes.iter().filter(|guard| wanted.contains(&guard.rule)) {
            // One that cannot compile cancels nothing; `failure` reports it.
            let (function, rule) = guard.rule;
            let source = &rules.rule(function, rule).unless[guard.entry].prepared.source;
            let _ = guard.regex.each_match(source, haystack.as_bytes(), light, |start, end| {
                spans.entry(guard.rule).or_default().push(original_span(folded, text, start, end));
                true
            });
        }
        // Sorted by start with the largest end so far: a match [s, e) overlaps some occurrence when
        // an occurrence starting before e ends after s.
        let reach: HashMap<(usize, usize), (Vec<usize>, Vec<usize>)> = spans
            .into_iter()
            .map(|(key, mut list)| {
                list.sort_unstable();
                let starts = list.iter().map(|&(start, _)| start).collect();
                let ends = list
                    .iter()
                    .scan(0, |furthest, &(_, end)| {
                        *furthest = end.max(*furthest);
                        Some(*furthest)
                    })
                    .collect();
                (key, (starts, ends))
            })
            .collect();
        for f in found.iter_mut() {
            if let Some((starts, ends)) = reach.get(&(f.function, f.rule)) {
                let before = starts.partition_point(|&start| start < f.end);
                f.cancelled = before > 0 && ends[before - 1] > f.start;
            }
        }
    }

    /// The first `unless` regex compiled so far that failed to compile (only possible when not
    /// built `eager`): it cancelled nothing, and a caller should report it.
    pub(super) fn failure(&self, rules: &RuleSet) -> Option<RulesError> {
        self.regexes
            .iter()
            .find_map(|guard| {
                guard.regex.failure().map(|message| guard_error(rules, guard.rule, message.clone()))
            })
            .or_else(|| match self.phrases.get() {
                Some(Err(message)) => Some(too_big(rules, message.clone())),
                _ => None,
            })
    }
}

/// The automaton over the `unless` phrases, `None` when there are none. Built in chunks as the
/// keywords' automata are, so many phrases still load in linear time.
fn phrase_automaton(phrases: &LiteralList) -> Result<Option<Automata>, String> {
    Automata::over(phrases, AhoCorasickKind::NoncontiguousNFA, "`unless`")
}

/// An error naming the rule whose `unless` regex cannot compile.
fn guard_error(rules: &RuleSet, rule: (usize, usize), message: String) -> RulesError {
    let name = &rules.rule(rule.0, rule.1).name;
    pattern_error(rules, rule, format!("in `unless` of {name:?}: {message}"))
}

#[cfg(test)]
mod tests {
    use super::super::{Classifier, ClassifyOptions, SHORT_TEXT};
    use crate::rules::RuleSet;

    const RULES: &str = r#"
version: 1
functions:
  - id: community
    keywords:
      - { term: event, weight: 2, unless: ["event loop*"] }
      - { term: meetup, weight: 4 }
"#;

    #[test]
    fn for_few_requests_the_phrase_scan_and_automaton_wait_for_a_guarded_rule_to_match() {
        let rules = RuleSet::from_yaml(RULES, "lazy.yaml").unwrap();
        let classifier = Classifier::for_few_requests(rules, ClassifyOptions::default()).unwrap();
        assert_eq!(classifier.classify_text("our meetup").scores[0], 4.0);
        assert!(classifier.guards.phrase_scan.get().is_none(), "no guarded rule matched: not built");
        assert_eq!(classifier.classify_text("the event loop stalls at our meetup").scores[0], 4.0);
        assert!(matches!(classifier.guards.phrase_scan.get(), Some(Some(_))), "a short text: scanned");
        assert!(classifier.guards.phrases.get().is_none(), "and no automaton built");
        let long = format!("the event loop stalls at our meetup {}", "and more ".repeat(SHORT_TEXT / 8));
        assert_eq!(classifier.classify_text(&long).scores[0], 4.0);
        assert!(matches!(classifier.guards.phrases.get(), Some(Ok(Some(_)))), "a long text: the automaton");
        assert!(classifier.pattern_failure().is_none());
        let eager = Classifier::new(RuleSet::from_yaml(RULES, "eager.yaml").unwrap()).unwrap();
        assert!(matches!(eager.guards.phrases.get(), Some(Ok(Some(_)))), "built up front for many requests");
    }
}
