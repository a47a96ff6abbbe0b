//! Many literals searched at once, in Aho-Corasick automata of at most [`CHUNK`] literals each,
//! ASCII literals apart from the others (see [`Automata`]).
//!
//! Building one automaton takes time quadratic in the number of literals for some sets: the
//! aho-corasick crate moves match states to the front by pairwise swaps, and remapping the state
//! ids follows each swap cycle, which for `k0`, `k1` ... `k99999` is as long as the automaton
//! (100,000 keywords took 24 s to load). Chunks bound that cost to `CHUNK` per literal, so loading
//! is linear; a rule set with at most `CHUNK` literals of each kind (every real one) gets one
//! automaton for its ASCII literals and one for the others.

use std::hash::BuildHasher;

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind};
use foldhash::fast::FixedState;
use hashbrown::hash_table::{Entry, HashTable};

use super::rows::Rows;

/// Most literals in one automaton.
pub const CHUNK: usize = 4096;

/// Literals split over one or more automata; a match reports the literal's index in the list
/// the automata were built from. Literals with non-ASCII bytes (Chinese, Russian ...) have
/// automata of their own, searched only in text that has non-ASCII bytes: one DFA over the
/// default rules' literals took 25 MB, the ASCII literals' alone 4.8 MB, and the smaller table
/// stays in cache far better on the English text most requests are.
#[derive(Debug, Clone)]
pub struct Automata {
    parts: Vec<Part>,
}

/// One automaton and the literals it searches for.
#[derive(Debug, Clone)]
struct Part {
    automaton: AhoCorasick,
    /// The list index of each of the automaton's literals, by the automaton's literal number.
    literals: Vec<usize>,
    /// Whether any of its literals has a non-ASCII byte (it can match only in such text).
    non_ascii: bool,
}

/// One literal found: its byte span in the haystack and its index in the literal list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub literal: usize,
}

/// The automaton each literal goes to: the ASCII literals' automata first, then the others', at
/// most [`CHUNK`] literals in each, in list order.
fn parts_of<'a>(literals: impl Iterator<Item = &'a [u8]> + Clone) -> Vec<usize> {
    let ascii_parts = literals.clone().filter(|literal| literal.is_ascii()).count().div_ceil(CHUNK);
    let (mut ascii, mut other) = (0, 0);
    literals
        .map(|literal| {
            let (seen, first_part) =
                if literal.is_ascii() { (&mut ascii, 0) } else { (&mut other, ascii_parts) };
            *seen += 1;
            first_part + (*seen - 1) / CHUNK
        })
        .collect()
}

impl Automata {
    /// Automata of `kind` over `literals`, `None` when there are none; an error names the
    /// automaton as `what` ("keyword", "`unless`").
    pub fn over(
        literals: &LiteralList,
        kind: AhoCorasickKind,
        what: &str,
    ) -> Result<Option<Automata>, String> {
        if literals.is_empty() {
            return Ok(None);
        }
        let literals: Vec<&[u8]> = literals.iter().collect();
        Automata::build(&literals, kind)
            .map(Some)
            .map_err(|err| format!("cannot build the {what} automaton: {err}"))
    }

    /// Automata of `kind` over `literals` (standard, overlapping matches). Falls back to the
    /// builder's own choice of kind when `kind` cannot be built (a DFA too large).
    pub fn build<S: AsRef<[u8]>>(literals: &[S], kind: AhoCorasickKind) -> Result<Automata, BuildError> {
        let part_of = parts_of(literals.iter().map(AsRef::as_ref));
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); part_of.iter().max().map_or(0, |last| last + 1)];
        for (index, &part) in part_of.iter().enumerate() {
            members[part].push(index);
        }
        let mut parts = Vec::with_capacity(members.len());
        for indexes in members {
            let chunk: Vec<&[u8]> = indexes.iter().map(|&index| literals[index].as_ref()).collect();
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(&chunk)
                .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&chunk))?;
            let non_ascii = chunk.iter().any(|literal| !literal.is_ascii());
            parts.push(Part { automaton, literals: indexes, non_ascii });
        }
        Ok(Automata { parts })
    }

    /// Every occurrence of every literal, overlapping ones included; in text order within one
    /// automaton, automaton after automaton (see [`parts_of`]).
    pub fn find_overlapping<'a>(&'a self, haystack: &'a [u8]) -> impl Iterator<Item = Found> + 'a {
        let ascii = haystack.is_ascii();
        self.parts.iter().filter(move |part| !(ascii && part.non_ascii)).flat_map(move |part| {
            part.automaton.find_overlapping_iter(haystack).map(move |found| Found {
                start: found.start(),
                end: found.end(),
                literal: part.literals[found.pattern().as_usize()],
            })
        })
    }
}

/// Literals in one buffer, so that a rule set's thousands of literals (3,742 for the default
/// rules) are two allocations, not thousands: literal `i` is `bytes[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LiteralList {
    /// As one byte string when serialized: read back with one copy, not byte by byte.
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
    /// `u32`, as in [`Rows`].
    ends: Vec<u32>,
}

impl LiteralList {
    /// An empty list with room for `literals` literals of `bytes` bytes in all.
    pub fn with_capacity(literals: usize, bytes: usize) -> LiteralList {
        LiteralList { bytes: Vec::with_capacity(bytes), ends: Vec::with_capacity(literals) }
    }

    /// Add a literal; returns its index.
    pub fn push(&mut self, literal: &[u8]) -> usize {
        self.bytes.extend_from_slice(literal);
        self.ends.push(self.bytes.len() as u32);
        self.ends.len() - 1
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Literal `index`.
    pub fn get(&self, index: usize) -> &[u8] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        &self.bytes[start..self.ends[index] as usize]
    }

    /// The literals in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + Clone + '_ {
        (0..self.len()).map(|index| self.get(index))
    }
}

/// A [`LiteralList`] being filled with distinct literals: each literal's index, added when new.
/// The index holds literal numbers and compares through the list, so a literal's bytes are stored
/// once.
#[derive(Debug, Default)]
pub struct LiteralSet {
    list: LiteralList,
    index: HashTable<usize>,
    hasher: FixedState,
}

impl LiteralSet {
    /// An empty set with room for `literals` literals of `bytes` bytes in all.
    pub fn with_capacity(literals: usize, bytes: usize) -> LiteralSet {
        LiteralSet {
            list: LiteralList::with_capacity(literals, bytes),
            index: HashTable::with_capacity(literals),
            hasher: FixedState::default(),
        }
    }

    /// The index of `literal`, added when new.
    pub fn id(&mut self, literal: &[u8]) -> usize {
        let LiteralSet { list, index, hasher } = self;
        let hash = hasher.hash_one(literal);
        match index.entry(hash, |&id| list.get(id) == literal, |&id| hasher.hash_one(list.get(id))) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => *entry.insert(list.push(literal)).get(),
        }
    }

    /// The literals, in the order they were first added.
    pub fn into_list(self) -> LiteralList {
        self.list
    }
}

/// The literals of an [`Automata`] indexed by their first two bytes, to find the same matches in
/// a short text without building an automaton: for one request, building the Aho-Corasick NFA
/// over the default rules' literals (then two thousand) took 15 million instructions, trying each
/// literal that starts with each pair of bytes of a sentence takes a few ten thousand. (Indexed
/// by the first byte alone, a 700-byte issue compared two million bytes.)
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ShortScan {
    literals: LiteralList,
    /// The literals (by index) in row [`pair_row`] of their first two bytes, or, for a literal of
    /// one byte, in row `PAIR_ROWS` + that byte.
    by_start: Rows<u32>,
    /// The automaton each literal would be in (see [`parts_of`]), to report in the same order.
    part_of: Vec<u32>,
}

/// Rows of [`ShortScan::by_start`] for literals of two bytes or more.
const PAIR_ROWS: usize = 4096;

/// The row of the literals that start with `first`, `second`: different pairs may share one,
/// since every literal there is compared in full.
fn pair_row(first: u8, second: u8) -> usize {
    ((usize::from(first) << 4) ^ usize::from(second)) % PAIR_ROWS
}

impl ShortScan {
    /// `Err` with the literals back when one is empty: an automaton reports an empty literal at
    /// every position, which this scan does not imitate.
    pub fn new(literals: LiteralList) -> Result<ShortScan, LiteralList> {
        let mut rows = Vec::with_capacity(literals.len());
        for index in 0..literals.len() {
            let row = match *literals.get(index) {
                [] => return Err(literals),
                [only] => PAIR_ROWS + usize::from(only),
                [first, second, ..] => pair_row(first, second),
            };
            rows.push((row, index as u32));
        }
        let by_start = Rows::from_pairs(PAIR_ROWS + 256, &rows);
        let part_of = parts_of(literals.iter()).into_iter().map(|part| part as u32).collect();
        Ok(ShortScan { literals, by_start, part_of })
    }

    /// The literals searched for, in the order their indexes refer to.
    pub fn literals(&self) -> &LiteralList {
        &self.literals
    }

    /// Every occurrence of every literal in the order [`Automata::find_overlapping`] reports them
    /// (automaton by automaton; within one by end, the longest first where several end together,
    /// as a standard Aho-Corasick automaton lists a state's own match before those of its
    /// suffixes), into `found`.
    pub fn find_overlapping(&self, haystack: &[u8], found: &mut Vec<Found>) {
        found.clear();
        for (start, &byte) in haystack.iter().enumerate() {
            let one_byte = &self.by_start[PAIR_ROWS + usize::from(byte)];
            let two_bytes =
                haystack.get(start + 1).map_or(&[][..], |&next| &self.by_start[pair_row(byte, next)]);
            for &literal in one_byte.iter().chain(two_bytes) {
                let literal = literal as usize;
                let bytes = self.literals.get(literal);
                if haystack[start..].starts_with(bytes) {
                    found.push(Found { start, end: start + bytes.len(), literal });
                }
            }
        }
        found.sort_unstable_by_key(|f| (self.part_of[f.literal], f.end, std::cmp::Reverse(f.end - f.start)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list<S: AsRef<[u8]>>(literals: &[S]) -> LiteralList {
        let mut list = LiteralList::default();
        for literal in literals {
            list.push(literal.as_ref());
        }
        list
    }

    #[test]
    fn a_literal_set_numbers_each_literal_once_in_the_order_first_seen() {
        let mut set = LiteralSet::with_capacity(2, 8);
        let ids: Vec<usize> = ["sdk", "docs", "sdk", "", "docs", "sd"].map(|l| set.id(l.as_bytes())).into();
        assert_eq!(ids, [0, 1, 0, 2, 1, 3]);
        let list = set.into_list();
        assert_eq!(list.iter().collect::<Vec<_>>(), [b"sdk".as_slice(), b"docs", b"", b"sd"]);
        let mut many = LiteralSet::default();
        let ids: Vec<usize> = (0..1000).chain(0..1000).map(|i| many.id(format!("k{i}").as_bytes())).collect();
        assert_eq!(ids, (0..1000).chain(0..1000).collect::<Vec<_>>(), "past the first capacity");
    }

    #[test]
    fn a_literal_list_gives_back_each_literal_by_index() {
        let literals = list(&["docs", "", "sdk", "é"]);
        assert_eq!((literals.len(), literals.is_empty()), (4, false));
        assert_eq!([literals.get(0), literals.get(1), literals.get(2)], [b"docs".as_slice(), b"", b"sdk"]);
        assert_eq!(literals.get(3), "é".as_bytes());
        assert!(LiteralList::default().is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_short_scan_finds_what_the_automata_find_in_the_same_order(
            literals in proptest::collection::vec("[ab é]{1,4}", 1..20),
            haystack in "[ab cé]{0,40}",
        ) {
            let mut unique = literals.clone();
            unique.sort();
            unique.dedup();
            let automata = Automata::build(&unique, AhoCorasickKind::NoncontiguousNFA).unwrap();
            let expected: Vec<Found> = automata.find_overlapping(haystack.as_bytes()).collect();
            let mut found = Vec::new();
            ShortScan::new(list(&unique)).unwrap().find_overlapping(haystack.as_bytes(), &mut found);
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
        ShortScan::new(list(&literals)).unwrap().find_overlapping(haystack, &mut found);
        assert_eq!(found, expected);
        assert_eq!(found.last().map(|f| f.literal), Some(CHUNK));
        let with_empty = ShortScan::new(list(&["a", ""])).map(|_| ()).unwrap_err();
        assert_eq!(with_empty.iter().collect::<Vec<_>>(), [b"a".as_slice(), b""], "the literals come back");
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
