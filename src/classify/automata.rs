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

/// The literals of an [`Automata`] indexed by their first byte, to find the same matches in a
/// short text without building an automaton: for one request, building the Aho-Corasick NFA over
/// the default rules' two thousand literals took 15 million instructions, trying each literal
/// that starts with each byte of a sentence takes a few ten thousand.
#[derive(Debug, Clone)]
pub struct ShortScan {
    literals: Vec<Box<[u8]>>,
    /// The literals (by index) that start with each byte value.
    by_first_byte: Vec<Vec<usize>>,
}

impl ShortScan {
    /// `None` when a literal is empty: an automaton reports an empty literal at every position,
    /// which this scan does not imitate.
    pub fn new<S: AsRef<[u8]>>(literals: &[S]) -> Option<ShortScan> {
        let mut by_first_byte = vec![Vec::new(); 256];
        for (index, literal) in literals.iter().enumerate() {
            by_first_byte[usize::from(*literal.as_ref().first()?)].push(index);
        }
        let literals = literals.iter().map(|literal| literal.as_ref().into()).collect();
        Some(ShortScan { literals, by_first_byte })
    }

    /// Every occurrence of every literal in the order [`Automata::find_overlapping`] reports them
    /// (chunk by chunk; within a chunk by end, the longest first where several end together, as
    /// a standard Aho-Corasick automaton lists a state's own match before those of its
    /// suffixes), into `found`.
    pub fn find_overlapping(&self, haystack: &[u8], found: &mut Vec<Found>) {
        found.clear();
        for (start, byte) in haystack.iter().enumerate() {
            for &literal in &self.by_first_byte[usize::from(*byte)] {
                let bytes = &self.literals[literal];
                if haystack[start..].starts_with(bytes) {
                    found.push(Found { start, end: start + bytes.len(), literal });
                }
            }
        }
        found.sort_unstable_by_key(|f| (f.literal / CHUNK, f.end, std::cmp::Reverse(f.end - f.start)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_short_scan_finds_what_the_automata_find_in_the_same_order(
            literals in proptest::collection::vec("[ab ]{1,4}", 1..20),
            haystack in "[ab c]{0,40}",
        ) {
            let mut unique = literals.clone();
            unique.sort();
            unique.dedup();
            let automata = Automata::build(&unique, AhoCorasickKind::NoncontiguousNFA).unwrap();
            let expected: Vec<Found> = automata.find_overlapping(haystack.as_bytes()).collect();
            let mut found = Vec::new();
            ShortScan::new(&unique).unwrap().find_overlapping(haystack.as_bytes(), &mut found);
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn the_short_scan_orders_by_chunk_first() {
        let mut literals: Vec<String> = (0..CHUNK).map(|i| format!("k{i}")).collect();
        literals.push("k1".to_owned() + "x");
        literals[0] = "x".to_owned();
        let haystack = b"k1x k1";
        let automata = Automata::build(&literals, AhoCorasickKind::NoncontiguousNFA).unwrap();
        let expected: Vec<Found> = automata.find_overlapping(haystack).collect();
        let mut found = Vec::new();
        ShortScan::new(&literals).unwrap().find_overlapping(haystack, &mut found);
        assert_eq!(found, expected);
        assert_eq!(found.last().map(|f| f.literal), Some(CHUNK));
        assert!(ShortScan::new(&["a", ""]).is_none());
    }

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
