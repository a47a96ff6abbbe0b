//! Which patterns a text could match, found in the same automaton pass as the keywords.
//!
//! Every pattern carries clauses of required strings (see [`super::pattern::Prepared`]): a match
//! contains one string of each clause. Those strings join the keyword literals in the one
//! Aho-Corasick automaton the classifier runs over the folded text anyway; each hit marks the
//! clauses its string belongs to, and a pattern is run only when all of its clauses are marked.
//! On real request text this runs a few patterns per request instead of all of them at once: one
//! `RegexSet` over all patterns kept building lazy-DFA states on varied text.

use super::clauses::Clauses;
use super::rows::Rows;

/// The clauses of all patterns and which automaton literal satisfies which clause.
#[derive(Debug, Default)]
pub(crate) struct PatternFilter {
    /// For each literal of the automaton (by its index), the clauses it satisfies.
    literal_clauses: Rows<usize>,
    /// Pattern `p`'s clauses are `pattern_clauses[p]..pattern_clauses[p + 1]`.
    pattern_clauses: Vec<usize>,
}

/// A [`PatternFilter`] being filled, pattern by pattern.
#[derive(Debug)]
pub(crate) struct FilterBuilder {
    /// `(literal, clause)`: the literal satisfies the clause.
    satisfies: Vec<(usize, usize)>,
    pattern_clauses: Vec<usize>,
}

impl FilterBuilder {
    /// Room for `strings` strings in all patterns' clauses.
    pub(crate) fn with_capacity(strings: usize) -> FilterBuilder {
        FilterBuilder { satisfies: Vec::with_capacity(strings), pattern_clauses: vec![0] }
    }

    /// Add the next pattern's clauses; `literal` gives the automaton index of a string, adding
    /// it to the automaton's literals when new.
    pub(crate) fn push_pattern(&mut self, clauses: &Clauses, mut literal: impl FnMut(&str) -> usize) {
        let mut clause = self.pattern_clauses.last().copied().unwrap_or(0);
        for strings in clauses.iter() {
            for string in strings {
                self.satisfies.push((literal(string), clause));
            }
            clause += 1;
        }
        self.pattern_clauses.push(clause);
    }

    /// The filter for an automaton of `literals` literals (every index `literal` gave is below).
    pub(crate) fn finish(self, literals: usize) -> PatternFilter {
        PatternFilter {
            literal_clauses: Rows::from_pairs(literals, &self.satisfies),
            pattern_clauses: self.pattern_clauses,
        }
    }
}

impl PatternFilter {
    /// A pattern with no clauses at all: it runs on every text (the reference path of tests).
    #[cfg(test)]
    pub(crate) fn unfiltered(patterns: usize) -> PatternFilter {
        PatternFilter { literal_clauses: Rows::default(), pattern_clauses: vec![0; patterns + 1] }
    }

    fn clause_count(&self) -> usize {
        self.pattern_clauses.last().copied().unwrap_or(0)
    }

    /// A fresh record of the clauses seen in one text, all unmarked.
    pub(crate) fn start(&self) -> Vec<bool> {
        vec![false; self.clause_count()]
    }

    /// The automaton found literal `literal`: mark the clauses it satisfies.
    pub(crate) fn note(&self, literal: usize, seen: &mut [bool]) {
        self.literal_clauses[literal].iter().for_each(|&clause| seen[clause] = true);
    }

    /// The patterns (by index) whose clauses were all seen, in order.
    pub(crate) fn candidates<'a>(&'a self, seen: &'a [bool]) -> impl Iterator<Item = usize> + 'a {
        self.pattern_clauses
            .windows(2)
            .enumerate()
            .filter(|(_, range)| seen[range[0]..range[1]].iter().all(|&marked| marked))
            .map(|(pattern, _)| pattern)
    }
}
