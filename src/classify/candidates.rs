//! Which patterns a text could match, found in the same automaton pass as the keywords.
//!
//! Every pattern carries clauses of required strings (see [`super::pattern::Prepared`]): a match
//! contains one string of each clause. The strings of the clauses searched for (the first of each
//! pattern: see `Clauses::searched`) join the keyword literals in the automata the classifier runs
//! over the folded text anyway; each hit marks the clauses its string belongs to, and a pattern
//! is run only when all of its clauses given here are marked.
//! On real request text this runs a few patterns per request instead of all of them at once: one
//! `RegexSet` over all patterns kept building lazy-DFA states on varied text.

use super::rows::Rows;

/// The clauses of all patterns and which automaton literal satisfies which clause.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct PatternFilter {
    /// For each literal of the automaton (by its index), the clauses it satisfies. (Numbers are
    /// `u32`, as in [`Rows`].)
    literal_clauses: Rows<u32>,
    /// Pattern `p`'s clauses are `pattern_clauses[p]..pattern_clauses[p + 1]`.
    pattern_clauses: Vec<u32>,
    /// The pattern each clause belongs to.
    clause_pattern: Vec<u32>,
    /// The patterns with no clauses: candidates for every text.
    unconditional: Vec<usize>,
}

/// The clauses seen in one text so far, and the patterns they belong to: a text marks a few of
/// the patterns' clauses, so only those patterns are checked, not every pattern of the rules.
#[derive(Debug)]
pub(crate) struct Seen {
    marked: Vec<bool>,
    patterns: Vec<usize>,
}

/// A [`PatternFilter`] being filled, pattern by pattern.
#[derive(Debug)]
pub(crate) struct FilterBuilder {
    /// `(literal, clause)`: the literal satisfies the clause.
    satisfies: Vec<(usize, u32)>,
    pattern_clauses: Vec<u32>,
}

impl FilterBuilder {
    /// Room for `strings` strings in all patterns' clauses.
    pub(crate) fn with_capacity(strings: usize) -> FilterBuilder {
        FilterBuilder { satisfies: Vec::with_capacity(strings), pattern_clauses: vec![0] }
    }

    /// Add the next pattern's clauses (those the automaton looks for: see
    /// [`Prepared::required`](super::pattern::Prepared::required)); `literal` gives the automaton
    /// index of a string, adding it to the automaton's literals when new.
    pub(crate) fn push_pattern<'a, Strings: IntoIterator<Item = &'a str>>(
        &mut self,
        clauses: impl IntoIterator<Item = Strings>,
        mut literal: impl FnMut(&str) -> usize,
    ) {
        let mut clause = self.pattern_clauses.last().copied().unwrap_or(0);
        for strings in clauses {
            for string in strings {
                self.satisfies.push((literal(string), clause));
            }
            clause += 1;
        }
        self.pattern_clauses.push(clause);
    }

    /// The filter for an automaton of `literals` literals (every index `literal` gave is below).
    pub(crate) fn finish(self, literals: usize) -> PatternFilter {
        PatternFilter::new(Rows::from_pairs(literals, &self.satisfies), self.pattern_clauses)
    }
}

impl PatternFilter {
    fn new(literal_clauses: Rows<u32>, pattern_clauses: Vec<u32>) -> PatternFilter {
        let mut clause_pattern = Vec::new();
        let mut unconditional = Vec::new();
        for (pattern, range) in pattern_clauses.windows(2).enumerate() {
            clause_pattern.extend((range[0]..range[1]).map(|_| pattern as u32));
            if range[0] == range[1] {
                unconditional.push(pattern);
            }
        }
        PatternFilter { literal_clauses, pattern_clauses, clause_pattern, unconditional }
    }

    /// No pattern has clauses: every pattern runs on every text (the reference path of tests).
    #[cfg(test)]
    pub(crate) fn unfiltered(patterns: usize) -> PatternFilter {
        PatternFilter::new(Rows::default(), vec![0; patterns + 1])
    }

    /// A fresh record of the clauses seen in one text, all unmarked.
    pub(crate) fn start(&self) -> Seen {
        Seen { marked: vec![false; self.clause_pattern.len()], patterns: Vec::new() }
    }

    /// The automaton found literal `literal`: mark the clauses it satisfies.
    pub(crate) fn note(&self, literal: usize, seen: &mut Seen) {
        for &clause in &self.literal_clauses[literal] {
            let clause = clause as usize;
            if !seen.marked[clause] {
                seen.marked[clause] = true;
                seen.patterns.push(self.clause_pattern[clause] as usize);
            }
        }
    }

    /// The patterns (by index) whose clauses were all seen, in order.
    pub(crate) fn candidates(&self, seen: &Seen) -> Vec<usize> {
        let mut patterns: Vec<usize> = seen.patterns.iter().chain(&self.unconditional).copied().collect();
        patterns.sort_unstable();
        patterns.dedup();
        patterns.retain(|&pattern| {
            seen.marked[self.pattern_clauses[pattern] as usize..self.pattern_clauses[pattern + 1] as usize]
                .iter()
                .all(|&marked| marked)
        });
        patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::clauses::Clauses;

    fn clauses(list: &[&[&str]]) -> Clauses {
        Clauses::new(
            &list.iter().map(|clause| clause.iter().map(|s| s.to_string()).collect()).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_pattern_is_a_candidate_once_each_of_its_clauses_is_seen_and_in_pattern_order() {
        let literals = ["broken", "link", "image", "docs"];
        let id = |string: &str| literals.iter().position(|l| *l == string).unwrap_or(usize::MAX);
        let mut builder = FilterBuilder::with_capacity(4);
        builder.push_pattern(clauses(&[&["broken"], &["image", "link"]]).iter(), id); // pattern 0
        builder.push_pattern(clauses(&[]).iter(), id); // pattern 1: no clauses, always a candidate
        builder.push_pattern(clauses(&[&["docs"]]).iter(), id); // pattern 2
        let filter = builder.finish(literals.len());

        let mut seen = filter.start();
        assert_eq!(filter.candidates(&seen), [1]);
        filter.note(id("docs"), &mut seen);
        filter.note(id("link"), &mut seen);
        filter.note(id("link"), &mut seen);
        assert_eq!(filter.candidates(&seen), [1, 2], "pattern 0 still lacks `broken`");
        filter.note(id("broken"), &mut seen);
        assert_eq!(filter.candidates(&seen), [0, 1, 2]);
        assert_eq!(PatternFilter::unfiltered(3).candidates(&PatternFilter::unfiltered(3).start()), [0, 1, 2]);
    }
}
