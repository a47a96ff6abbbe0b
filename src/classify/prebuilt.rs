//! DFAs for the default rules' patterns, built ahead of time and embedded, so that one request
//! does not pay for compiling the patterns it might match.
//!
//! Compiling the ten or so candidate patterns of a short request (parsing, translating, building
//! the NFA) was half of a single request's instructions. Each default pattern (and `unless`
//! regex) whose DFA is small is instead stored as a sparse DFA that matches it anchored at a
//! start position, read back without copying. Trying each start in turn and taking the first
//! that matches gives the leftmost-first match the regex engine would find: the leftmost start
//! with a match, and at that start the end the pattern prefers. An unanchored DFA, which finds a
//! match in one pass, is several times larger for the patterns with bounded gaps
//! (`[^.\n]{0,40}`), and one short text does not repay it. Trying each start is quadratic at
//! worst (an attempt may read to the end of the text): a table rules out most starts (see
//! [`Prebuilt::starts`]), these DFAs only serve texts up to `SHORT_TEXT` (4 KB), and after
//! [`MAX_ATTEMPTS`] attempts the search gives up and the compiled pattern carries on, so a
//! hostile text ("a-a-a-...", 4 KB, against `\b[\w-]+\.json`) costs a bounded few milliseconds.
//!
//! A DFA is looked up by the prepared source it was built from, so it is only ever used for
//! exactly that pattern; a test rebuilds them all and compares (`TRIAGE_BLESS=1 cargo test
//! default_rules_snapshot` rewrites the file). A pattern without one (too big, or with Unicode
//! word boundaries, which DFAs lack) is compiled as before.

use std::sync::OnceLock;

use regex_automata::dfa::{sparse, Automaton};
use regex_automata::{Anchored, Input, MatchError};

/// The file the DFAs live in, relative to the crate root.
#[cfg(test)]
pub(crate) const PREBUILT_PATH: &str = "rules/default.dfa.bin";

/// Sorted (prepared source, [`Prebuilt::starts`], sparse DFA) triples of bytes, in postcard.
static PREBUILT: &[u8] = include_bytes!("../../rules/default.dfa.bin");

/// A DFA that matches one pattern anchored at the start of the search, and which bytes can begin
/// a match after which byte.
#[derive(Debug)]
pub(crate) struct Prebuilt<'a> {
    dfa: sparse::DFA<&'a [u8]>,
    /// For the text's start and each byte before a start (257 entries), the start state's
    /// group; then for each group, a 256-bit set of the bytes that do not lead the DFA to its
    /// dead state from there. Trying a start costs the DFA a search; this rules out most starts
    /// (inside words, for a pattern that begins at a word boundary) for a table lookup.
    starts: &'a [u8],
}

/// Starts tried in one text before the search gives up (see the module documentation): more
/// than the viable starts of a paragraph, few enough that reading to the end of a 4 KB text from
/// each costs about a million steps.
const MAX_ATTEMPTS: usize = 256;

/// Entries of [`Prebuilt::starts`] before the bit sets: the text's start, then each byte.
const LOOK_BEHINDS: usize = 257;

/// The embedded DFA for the prepared pattern `source`, if there is one.
pub(crate) fn find(source: &str) -> Option<Prebuilt<'static>> {
    type Table = Vec<(&'static str, &'static [u8], &'static [u8])>;
    static TABLE: OnceLock<Table> = OnceLock::new();
    // A table that cannot be read is an empty one: every pattern is then compiled.
    let table = TABLE.get_or_init(|| postcard::from_bytes(PREBUILT).unwrap_or_default());
    let index = table.binary_search_by(|(key, _, _)| (*key).cmp(source)).ok()?;
    let (_, starts, dfa) = table[index];
    Prebuilt::new(starts, dfa)
}

impl<'a> Prebuilt<'a> {
    /// The DFA in `dfa` (as `build` wrote it) with its `starts` table; `None` when either is
    /// not what `build` writes.
    fn new(starts: &'a [u8], dfa: &'a [u8]) -> Option<Prebuilt<'a>> {
        let (dfa, _) = sparse::DFA::from_bytes(dfa).ok()?;
        let groups = starts.get(..LOOK_BEHINDS)?.iter().map(|&group| usize::from(group) + 1).max()?;
        (starts.len() == LOOK_BEHINDS + groups * 32).then_some(Prebuilt { dfa, starts })
    }

    /// Whether a match can begin at `start` (below `haystack.len()`), by the byte there and
    /// the one before.
    fn may_start(&self, haystack: &[u8], start: usize) -> bool {
        let look_behind = start.checked_sub(1).map_or(0, |before| 1 + usize::from(haystack[before]));
        let group = usize::from(self.starts[look_behind]);
        let byte = usize::from(haystack[start]);
        self.starts[LOOK_BEHINDS + group * 32 + byte / 8] & (1 << (byte % 8)) != 0
    }

    /// Each non-empty match of the pattern in `haystack`, in order and not overlapping, as the
    /// regex engine's leftmost-first `find_iter` gives them, until `found` returns false. An error
    /// (after [`MAX_ATTEMPTS`]) comes after every match that starts before its offset was given.
    pub(crate) fn each_match(
        &self,
        haystack: &[u8],
        found: &mut impl FnMut(usize, usize) -> bool,
    ) -> Result<(), MatchError> {
        let mut start = 0;
        let mut attempts = 0;
        // A non-empty match takes a byte: none starts at the end. An empty one is skipped, as the
        // regex engine's callers here skip it.
        while start < haystack.len() {
            if !self.may_start(haystack, start) {
                start += 1;
                continue;
            }
            attempts += 1;
            if attempts > MAX_ATTEMPTS {
                return Err(MatchError::gave_up(start));
            }
            let input = Input::new(haystack).range(start..).anchored(Anchored::Yes);
            match self.dfa.try_search_fwd(&input)? {
                Some(end) if end.offset() > start => {
                    if !found(start, end.offset()) {
                        return Ok(());
                    }
                    start = end.offset();
                }
                _ => start += 1,
            }
        }
        Ok(())
    }
}

/// The anchored DFA for a prepared pattern and its [`Prebuilt::starts`] table, serialized, or
/// `None` when it has none (see the module documentation). Parsed and matched as the regex
/// engine's forms are (`pattern::syntax_config`, leftmost-first, empty matches inside a
/// character allowed); captures, which a DFA does not have, are left out.
#[cfg(test)]
pub(crate) fn build(source: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    use regex_automata::dfa::{dense, StartKind};
    use regex_automata::nfa::thompson::{self, WhichCaptures};
    use regex_automata::util::start;
    let dfa = dense::Builder::new()
        .syntax(super::pattern::syntax_config())
        .thompson(thompson::Config::new().utf8(false).which_captures(WhichCaptures::None))
        .configure(
            dense::Config::new()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .start_kind(StartKind::Anchored)
                .dfa_size_limit(Some(MAX_DENSE_BYTES))
                .determinize_size_limit(Some(MAX_DENSE_BYTES)),
        )
        .build(source)
        .ok()?
        .to_sparse()
        .ok()?;
    let bytes = dfa.to_bytes_little_endian();
    if bytes.len() > MAX_BYTES {
        return None;
    }
    // The start state for each look-behind, grouped; then what each group's first byte may be.
    let mut groups = Vec::new();
    let mut starts = Vec::with_capacity(LOOK_BEHINDS);
    for look_behind in std::iter::once(None).chain((0..=u8::MAX).map(Some)) {
        let config = start::Config::new().anchored(Anchored::Yes).look_behind(look_behind);
        let state = dfa.start_state(&config).ok()?;
        let group = groups.iter().position(|&known| known == state).unwrap_or_else(|| {
            groups.push(state);
            groups.len() - 1
        });
        starts.push(u8::try_from(group).ok()?);
    }
    for &state in &groups {
        let mut set = [0_u8; 32];
        for byte in 0..=u8::MAX {
            if !dfa.is_dead_state(dfa.next_state(state, byte)) {
                set[usize::from(byte / 8)] |= 1 << (byte % 8);
            }
        }
        starts.extend_from_slice(&set);
    }
    Some((starts, bytes))
}

/// The embedded file for these prepared sources: each that has a DFA, sorted, in postcard.
#[cfg(test)]
pub(crate) fn render<'a>(sources: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let mut built: Vec<(&str, Vec<u8>, Vec<u8>)> = sources
        .into_iter()
        .filter_map(|source| build(source).map(|(starts, dfa)| (source, starts, dfa)))
        .collect();
    built.sort();
    built.dedup_by(|a, b| a.0 == b.0);
    let table: Vec<(&str, &[u8], &[u8])> =
        built.iter().map(|(source, starts, dfa)| (*source, starts.as_slice(), dfa.as_slice())).collect();
    // Serializing plain data into memory cannot fail.
    postcard::to_allocvec(&table).unwrap_or_default()
}

/// A DFA bigger than this costs a request more to read back (it is checked as it loads) than
/// compiling its pattern does.
#[cfg(test)]
const MAX_BYTES: usize = 32 * 1024;

/// The dense DFA is built first and may be several times the sparse one's size.
#[cfg(test)]
const MAX_DENSE_BYTES: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::pattern::{compile, prepare, LazyRegex};
    use crate::rules::{check_fresh, RuleKind, RuleSet, DEFAULT_RULES_ORIGIN, DEFAULT_RULES_YAML};

    /// The prepared source of every pattern and `unless` regex of the default rules.
    fn default_sources(rules: &RuleSet) -> Vec<&str> {
        let rules: Vec<_> = rules.voters().flatten().collect();
        let patterns = rules.iter().filter(|rule| rule.kind == RuleKind::Pattern);
        let guards =
            rules.iter().flat_map(|rule| &rule.unless).filter(|unless| unless.kind == RuleKind::Pattern);
        patterns
            .map(|rule| rule.prepared().source.as_ref())
            .chain(guards.map(|unless| unless.prepared.source.as_ref()))
            .collect()
    }

    /// The embedded DFAs must be exactly what building them from the default rules gives.
    #[test]
    fn default_rules_snapshot_dfas_are_fresh() {
        // From the YAML, not the embedded snapshot, which may be the stale one being rewritten.
        let rules = RuleSet::from_yaml(DEFAULT_RULES_YAML, DEFAULT_RULES_ORIGIN).unwrap();
        check_fresh(PREBUILT_PATH, PREBUILT, &render(default_sources(&rules)));
    }

    #[test]
    fn most_default_patterns_have_an_embedded_dfa_and_it_loads() {
        let rules = RuleSet::default_rules();
        let sources = default_sources(&rules);
        let found = sources.iter().filter(|source| find(source).is_some()).count();
        assert!(found * 10 >= sources.len() * 9, "{found} of {} have a DFA", sources.len());
        assert!(find("(?-u:not a default pattern)").is_none());
    }

    type Spans = Vec<(usize, usize)>;

    /// Every non-empty match, by the DFA and by the regex engine.
    fn both(pattern: &str, text: &str) -> (Spans, Spans) {
        let source = prepare(pattern).unwrap().source;
        let (starts, dfa) = build(&source).unwrap();
        let prebuilt = Prebuilt::new(&starts, &dfa).unwrap();
        let mut by_dfa = Vec::new();
        prebuilt
            .each_match(text.as_bytes(), &mut |start, end| {
                by_dfa.push((start, end));
                true
            })
            .unwrap();
        let regex = compile(&source).unwrap();
        let by_regex = regex
            .find_iter(text.as_bytes())
            .filter(|m| !m.is_empty())
            .map(|m| (m.start(), m.end()))
            .collect();
        (by_dfa, by_regex)
    }

    #[test]
    fn leftmost_first_matches_come_from_the_first_start_that_matches() {
        let (by_dfa, by_regex) = both(r"\b(ab|abc)\b|c", "x abc abd c ab");
        assert_eq!(by_dfa, vec![(2, 5), (10, 11), (12, 14)], "abc, where ab is followed by a word character");
        assert_eq!(by_dfa, by_regex);
        // An empty match is passed over, and a later start still found.
        let (by_dfa, by_regex) = both(r"ab|x?", "cab");
        assert_eq!(by_dfa, vec![(1, 3)]);
        assert_eq!(by_dfa, by_regex);
    }

    #[test]
    fn a_search_that_gives_up_is_finished_by_the_compiled_pattern() {
        let rules = RuleSet::default_rules();
        let config_file = rules.voters().flatten().find(|rule| rule.name == "config file").unwrap();
        let source = config_file.prepared().source.to_string();
        // Each "a" after a dash may start `\b[\w-]+\.(json|...)`, and each attempt reads to the
        // space: the DFA gives the first match, gives up, and the compiled pattern gives the rest.
        let text = format!("x.json {} settings.json and app.yaml", "a-".repeat(400));
        let dfa = find(&source).expect("the pattern has an embedded DFA");
        assert!(dfa.each_match(text.as_bytes(), &mut |_, _| true).is_err(), "more than MAX_ATTEMPTS");
        let lazy = LazyRegex::build(&source, false).unwrap();
        let mut by_lazy = Vec::new();
        lazy.each_match(&source, text.as_bytes(), true, |start, end| {
            by_lazy.push((start, end));
            true
        })
        .unwrap();
        let regex = compile(&source).unwrap();
        let expected: Spans = regex
            .find_iter(text.as_bytes())
            .filter(|m| !m.is_empty())
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(expected.len(), 3, "{expected:?}");
        assert_eq!(by_lazy, expected);
    }

    #[test]
    fn a_pattern_with_unicode_word_boundaries_or_a_huge_dfa_has_none() {
        assert!(build(&prepare(r"\bé\b").unwrap().source).is_none());
        assert!(build(&prepare(r"(\w+\s+){0,3}x[^.]{0,60}\by\b").unwrap().source).is_none());
    }

    /// Patterns of literals, spaces, classes, word boundaries, line anchors, optional parts,
    /// bounded gaps and alternations, and the texts they run on (with line ends, which the DFA's
    /// start tables tell apart).
    fn pattern_and_text() -> impl proptest::strategy::Strategy<Value = (String, String)> {
        use proptest::prelude::*;
        let atom = proptest::sample::select(vec![
            "ab",
            "abc",
            "b",
            "ca",
            r"\s+",
            r"\s*",
            " ",
            "[- ]",
            "[ab]",
            r"\w+",
            r"\w*",
            r"\b",
            "x?",
            "(ab|c)",
            "(abc)?",
            ".",
            r"\d",
            "[^a]",
            r"[^.\n]{0,5}",
            "(a|ab)(c|bcd)",
            "^",
            "$",
            "(?m:^)",
            "(?m:$)",
            r"\B",
            "_",
            "(?Rm:$)",
        ]);
        let sequence = proptest::collection::vec(atom, 1..6).prop_map(|atoms| atoms.concat());
        let pattern = proptest::collection::vec(sequence, 1..3).prop_map(|branches| branches.join("|"));
        (pattern, "[abcdx1_ .\n\r-]{0,40}")
    }

    proptest::proptest! {
        #[test]
        fn the_dfa_finds_what_the_regex_engine_finds((pattern, text) in pattern_and_text()) {
            // A pattern whose DFA is too big has none, and is compiled instead.
            proptest::prop_assume!(build(&prepare(&pattern).unwrap().source).is_some());
            let (by_dfa, by_regex) = both(&pattern, &text);
            proptest::prop_assert_eq!(by_dfa, by_regex, "{:?} in {:?}", pattern, text);
        }
    }
}
