//! Many literals searched at once, in Aho-Corasick automata of at most [`CHUNK`] literals each.
//!
//! Building one automaton takes time quadratic in the number of literals for some sets: the
//! aho-corasick crate moves match states to the front by pairwise swaps, and remapping the state
//! ids follows each swap cycle, which for `k0`, `k1` ... `k99999` is as long as the automaton
//! (100,000 keywords took 24 s to load). Chunks bound that cost to `CHUNK` per literal, so loading
//! is linear; a rule set with at most `CHUNK` literals (every real one) still gets one automaton.

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind};

/// Most literals in one automaton.
pub const CHUNK: usize = 4096;

/// Literals split over one or more automata; a match reports the literal's index in the list
/// the automata were built from.
#[derive(Debug, Clone)]
pub struct Automata {
    /// Each automaton with the index of its first literal.
    parts: Vec<(AhoCorasick, usize)>,
}

/// One literal found: its byte span in the haystack and its index in the literal list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub literal: usize,
}

impl Automata {
    /// Automata of `kind` over `literals` (standard, overlapping matches). Falls back to the
    /// builder's own choice of kind when `kind` cannot be built (a DFA too large).
    pub fn build<S: AsRef<[u8]>>(literals: &[S], kind: AhoCorasickKind) -> Result<Automata, BuildError> {
        let mut parts = Vec::with_capacity(literals.len().div_ceil(CHUNK));
        for (index, chunk) in literals.chunks(CHUNK).enumerate() {
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(chunk)
                .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(chunk))?;
            parts.push((automaton, index * CHUNK));
        }
        Ok(Automata { parts })
    }

    /// Every occurrence of every literal, overlapping ones included; in text order within one
    /// chunk, chunk after chunk.
    pub fn find_overlapping<'a>(&'a self, haystack: &'a [u8]) -> impl Iterator<Item = Found> + 'a {
        self.parts.iter().flat_map(move |(automaton, first)| {
            automaton.find_overlapping_iter(haystack).map(move |found| Found {
                start: found.start(),
                end: found.end(),
                literal: first + found.pattern().as_usize(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_past_one_chunk_are_found_with_their_own_index() {
        let literals: Vec<String> = (0..CHUNK * 2 + 10).map(|i| format!("k{i}")).collect();
        let automata = Automata::build(&literals, AhoCorasickKind::NoncontiguousNFA).unwrap();
        assert_eq!(automata.parts.len(), 3);
        let last = CHUNK * 2 + 9;
        let haystack = format!("a k{last} b k0");
        let mut found: Vec<usize> = automata
            .find_overlapping(haystack.as_bytes())
            .filter(|f| &haystack[f.start..f.end] == literals[f.literal].as_str())
            .map(|f| f.literal)
            .collect();
        found.sort_unstable();
        assert!(found.contains(&last) && found.contains(&0), "{found:?}");
        assert!(found.iter().all(|&i| haystack.contains(literals[i].as_str())));
    }
}
