//! A pattern's required strings (see [`super::pattern::Prepared`]) in three allocations, not one
//! per string: the default rules' patterns require about 2,400 strings, and reading each back
//! from the rules snapshot as its own `String` was a sixth of a single request's rule loading.

use std::borrow::Cow;

/// Clauses of strings: a match contains one string of each clause. The first clause is the one
/// the keyword pass searches for ([`Clauses::searched`]); the others are checked only by
/// substring search in one short text ([`Clauses::rest_found_in`]).
#[derive(Debug, Clone, PartialEq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(crate) struct Clauses {
    /// All strings, one after the other (borrowed from the embedded snapshot for the default
    /// rules).
    #[serde(deserialize_with = "crate::rules::borrowed")]
    text: Cow<'static, str>,
    /// Where each string ends in `text` (`u32`: a pattern is far shorter than 4 GB).
    string_ends: Vec<u32>,
    /// How many strings precede the end of each clause.
    clause_ends: Vec<u32>,
}

impl Clauses {
    /// No clauses: nothing is required.
    pub(crate) const EMPTY: Clauses =
        Clauses { text: Cow::Borrowed(""), string_ends: Vec::new(), clause_ends: Vec::new() };

    pub(crate) fn new(clauses: &[Vec<String>]) -> Clauses {
        let mut flat = Clauses::default();
        for clause in clauses {
            for string in clause {
                flat.text.to_mut().push_str(string);
                flat.string_ends.push(flat.text.len() as u32);
            }
            flat.clause_ends.push(flat.string_ends.len() as u32);
        }
        flat
    }

    /// Each clause's strings.
    pub(crate) fn iter(&self) -> impl Iterator<Item = impl Iterator<Item = &str> + '_> + '_ {
        let ends = self.clause_ends.iter().map(|&end| end as usize);
        std::iter::once(0)
            .chain(ends.clone())
            .zip(ends)
            .map(move |(first, end)| (first..end).map(|s| self.string(s)))
    }

    /// The clause the keyword pass searches for: the first, if there is one.
    pub(crate) fn searched(&self) -> Option<impl Iterator<Item = &str> + '_> {
        self.iter().next()
    }

    /// Whether every clause after the first (those the keyword pass does not search for) has a
    /// string in `text`.
    pub(crate) fn rest_found_in(&self, text: &[u8]) -> bool {
        self.iter()
            .skip(1)
            .all(|mut strings| strings.any(|s| memchr::memmem::find(text, s.as_bytes()).is_some()))
    }

    fn string(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.string_ends[index - 1] as usize };
        &self.text[start..self.string_ends[index] as usize]
    }

    /// The clauses as lists, to compare and print.
    #[cfg(test)]
    pub(crate) fn to_vecs(&self) -> Vec<Vec<String>> {
        self.iter().map(|clause| clause.map(str::to_owned).collect()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_give_back_their_strings_clause_by_clause() {
        let lists =
            vec![vec!["broken image".to_owned(), "broken link".to_owned()], vec![], vec!["é".to_owned()]];
        let clauses = Clauses::new(&lists);
        assert_eq!(clauses.to_vecs(), lists);
        assert_eq!(Clauses::new(&[]).to_vecs(), Vec::<Vec<String>>::new());
        assert_eq!(Clauses::new(&[]), Clauses::default());
    }

    #[test]
    fn only_the_clauses_after_the_first_are_checked_in_a_text() {
        let clauses = Clauses::new(&[vec!["docs".to_owned()], vec!["m1".to_owned(), "wsl".to_owned()]]);
        assert!(clauses.rest_found_in(b"on wsl2"));
        assert!(!clauses.rest_found_in(b"the docs"), "the first clause is the keyword pass's");
        assert!(Clauses::new(&[vec!["docs".to_owned()]]).rest_found_in(b""));
    }
}
