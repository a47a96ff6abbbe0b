//! Candidate terms: the words, phrases of two or three words, and prefixes (`deploy*`) found in
//! the labelled requests, folded exactly as the classifier folds text, with the requests each
//! occurs in. Counting is linear in the data: words first, then only phrases whose words are
//! frequent enough, then only three-word phrases whose two halves are (a phrase can never be
//! more frequent than its parts).

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use super::stopwords::{is_glue_word, is_stop_word};
use crate::classify::{is_boundary, is_word_char, Classifier, Request};
use crate::rules::Field;

/// Marks a gap between two words that a phrase keyword cannot match across (punctuation, the
/// end of a part).
const BREAK: u32 = u32::MAX;
/// Set on a word id found in a title part.
const IN_TITLE: u32 = 1 << 31;

/// Where a term occurs in one request: bit 0 a title part, bit 1 a body part.
pub(super) const FIELD_TITLE: u8 = 1;
pub(super) const FIELD_BODY: u8 = 2;

/// Endings removed to find the stem that word forms share ("deploys", "deployment" -> `deploy*`).
const SUFFIXES: &[&str] = &[
    "ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ers", "er", "ies", "ied", "ed", "es",
    "s", "ly",
];
/// The shortest stem a prefix term may have, in characters, when the stem is itself a word of
/// the data (`logo*`); other stems need one more (`ment*` from "mentions" would match "mentor").
const MIN_STEM_CHARS: usize = 4;
/// A word found in more than this share of the requests is too common to tell them apart.
const MAX_WORD_SHARE: f64 = 0.5;

/// A request (row) and one field set: where a candidate occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Posting {
    pub row: u32,
    pub fields: u8,
}

/// One candidate term and its evidence in the data.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// The keyword as a rule file writes it: `stack trace`, `deploy*`.
    pub term: String,
    /// Every request it occurs in (data rows, then the rule file's own cases), by row.
    pub postings: Vec<Posting>,
    /// Data requests it occurs in.
    pub support: usize,
    /// Of those, how many carry each label: one count per function, then `unassigned`.
    pub labels: Vec<usize>,
}

/// The candidates and, for each row, the candidates that occur in it.
pub(super) struct Candidates {
    pub list: Vec<Candidate>,
    pub by_row: Vec<Vec<u32>>,
}

/// Requests as word ids: `tokens[row]` in text order, with [`BREAK`] between words a phrase
/// cannot span and [`IN_TITLE`] on words from a title.
struct Corpus {
    words: Vec<String>,
    tokens: Vec<Vec<u32>>,
}

/// Find the candidates in `requests`. The first `labels.len()` requests are the labelled data;
/// any after them (the rule file's examples and tests) get postings but count for no support.
/// `already_covered` says whether the base rules already match a whole term.
pub(super) fn find(
    classifier: &Classifier,
    requests: &[Request<'_>],
    labels: &[Option<usize>],
    min_support: usize,
    already_covered: impl Fn(&str) -> bool + Sync,
) -> Candidates {
    let functions = classifier.rules().functions.len();
    let data_rows = labels.len();
    let corpus = Corpus::build(classifier, requests);
    let distinct: Vec<Vec<(u32, u8)>> =
        corpus.tokens.par_iter().map(|tokens| distinct_words(tokens)).collect();

    // Words: how many data requests each occurs in, and every row it occurs in.
    let mut word_rows: Vec<Vec<Posting>> = vec![Vec::new(); corpus.words.len()];
    for (row, words) in distinct.iter().enumerate() {
        for &(word, fields) in words {
            word_rows[word as usize].push(Posting { row: row as u32, fields });
        }
    }
    drop(distinct);
    let df = |word: u32| word_rows[word as usize].iter().take_while(|p| (p.row as usize) < data_rows).count();
    let max_df = if data_rows >= 20 { (data_rows as f64 * MAX_WORD_SHARE) as usize } else { usize::MAX };
    let word_df: Vec<usize> = (0..corpus.words.len() as u32).map(df).collect();
    let frequent: Vec<bool> = word_df.iter().map(|&count| count >= min_support).collect();
    let edge: Vec<bool> = corpus
        .words
        .iter()
        .enumerate()
        .map(|(id, word)| frequent[id] && !is_glue_word(word) && !is_number(word))
        .collect();
    let single: Vec<bool> = corpus
        .words
        .iter()
        .enumerate()
        .map(|(id, word)| {
            edge[id] && !is_stop_word(word) && word.chars().count() >= 2 && word_df[id] <= max_df
        })
        .collect();

    // Phrases of two frequent words, then of three whose two halves are frequent.
    let data_tokens = &corpus.tokens[..data_rows];
    let pairs = count_ngrams(data_tokens, 2, |gram| gram.iter().all(|&w| frequent[w as usize]));
    let frequent_pair = |a: u32, b: u32| pairs.get(&[a, b, BREAK]).is_some_and(|&n| n >= min_support);
    let triples = count_ngrams(data_tokens, 3, |gram| {
        edge[gram[0] as usize]
            && edge[gram[2] as usize]
            && frequent_pair(gram[0], gram[1])
            && frequent_pair(gram[1], gram[2])
    });

    // Every candidate key, named by its term; ids follow the terms' order, so they do not
    // depend on hashing.
    let mut keys: Vec<(String, [u32; 3])> = Vec::new();
    let name =
        |gram: &[u32]| gram.iter().map(|&w| corpus.words[w as usize].as_str()).collect::<Vec<_>>().join(" ");
    for (id, _) in single.iter().enumerate().filter(|(_, &ok)| ok) {
        keys.push((corpus.words[id].clone(), [id as u32, BREAK, BREAK]));
    }
    for (gram, &count) in pairs.iter().chain(triples.iter()) {
        let len = if gram[2] == BREAK { 2 } else { 3 };
        if count >= min_support && edge[gram[0] as usize] && edge[gram[len - 1] as usize] {
            keys.push((name(&gram[..len]), *gram));
        }
    }
    let prefixes = prefix_stems(&corpus.words, &word_df);
    keys.sort_unstable();

    // Phrases and words: postings from one more pass over every row.
    let index: HashMap<[u32; 3], u32> =
        keys.iter().enumerate().map(|(id, (_, key))| (*key, id as u32)).collect();
    let found: Vec<Vec<(u32, u8)>> =
        corpus.tokens.par_iter().map(|tokens| occurrences(tokens, &index)).collect();
    let mut list: Vec<Candidate> = keys
        .into_iter()
        .map(|(term, _)| Candidate { term, postings: Vec::new(), support: 0, labels: Vec::new() })
        .collect();
    for (row, occurring) in found.iter().enumerate() {
        for &(id, fields) in occurring {
            list[id as usize].postings.push(Posting { row: row as u32, fields });
        }
    }
    drop(found);
    drop(index);

    // Prefixes: the union of the words they match.
    let mut sorted_words: Vec<(&str, u32)> =
        corpus.words.iter().enumerate().map(|(id, word)| (word.as_str(), id as u32)).collect();
    sorted_words.sort_unstable();
    for stem in prefixes {
        let start = sorted_words.partition_point(|(word, _)| *word < stem.as_str());
        let mut postings: Vec<Posting> = sorted_words[start..]
            .iter()
            .take_while(|(word, _)| word.starts_with(stem.as_str()))
            .flat_map(|&(_, id)| word_rows[id as usize].iter().copied())
            .collect();
        postings.sort_unstable_by_key(|p| p.row);
        postings.dedup_by(|later, kept| {
            let same = later.row == kept.row;
            if same {
                kept.fields |= later.fields;
            }
            same
        });
        list.push(Candidate { term: format!("{stem}*"), postings, support: 0, labels: Vec::new() });
    }

    for candidate in &mut list {
        candidate.labels = vec![0; functions + 1];
        for posting in candidate.postings.iter().take_while(|p| (p.row as usize) < data_rows) {
            candidate.labels[labels[posting.row as usize].unwrap_or(functions)] += 1;
            candidate.support += 1;
        }
    }
    let keep: Vec<bool> = list
        .par_iter()
        .map(|candidate| {
            candidate.support >= min_support && !already_covered(candidate.term.trim_end_matches('*'))
        })
        .collect();
    let mut kept = keep.iter();
    list.retain(|_| kept.next().copied().unwrap_or(false));
    list.sort_by(|a, b| a.term.cmp(&b.term));

    let mut by_row: Vec<Vec<u32>> = vec![Vec::new(); requests.len()];
    for (id, candidate) in list.iter().enumerate() {
        for posting in &candidate.postings {
            by_row[posting.row as usize].push(id as u32);
        }
    }
    Candidates { list, by_row }
}

impl Corpus {
    /// Fold every part as the classifier does (in parallel), then give each word an id.
    fn build(classifier: &Classifier, requests: &[Request<'_>]) -> Corpus {
        let folded: Vec<Vec<(bool, String)>> = requests
            .par_iter()
            .map(|request| {
                request
                    .parts()
                    .iter()
                    .map(|part| (part.field == Field::Title, classifier.matching_text(&part.text)))
                    .collect()
            })
            .collect();
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut words: Vec<&str> = Vec::new();
        let mut tokens = Vec::with_capacity(folded.len());
        for parts in &folded {
            let mut row = Vec::new();
            for (title, text) in parts {
                let flag = if *title { IN_TITLE } else { 0 };
                let mut previous_end: Option<usize> = None;
                for (start, end) in word_spans(text) {
                    if previous_end.is_some_and(|previous| &text[previous..start] != " ") {
                        row.push(BREAK);
                    }
                    let word = &text[start..end];
                    let id = *ids.entry(word).or_insert_with(|| {
                        words.push(word);
                        (words.len() - 1) as u32
                    });
                    row.push(id | flag);
                    previous_end = Some(end);
                }
                row.push(BREAK);
            }
            tokens.push(row);
        }
        Corpus { words: words.into_iter().map(str::to_owned).collect(), tokens }
    }
}

/// Byte spans of the words of folded text, split where keywords see a word boundary: at
/// anything but a word character, and where the script changes (`api` in `apiキー`).
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while chars.peek().is_some_and(|&(_, c)| !is_word_char(c)) {
            chars.next();
        }
        let (start, first) = chars.next()?;
        let (mut end, mut previous) = (start + first.len_utf8(), first);
        while let Some(&(at, c)) = chars.peek().filter(|&&(_, c)| !is_boundary(Some(previous), Some(c))) {
            end = at + c.len_utf8();
            previous = c;
            chars.next();
        }
        Some((start, end))
    })
}

/// A row's distinct words with the fields they occur in, by word id.
fn distinct_words(tokens: &[u32]) -> Vec<(u32, u8)> {
    let mut words: Vec<(u32, u8)> =
        tokens.iter().filter(|&&t| t != BREAK).map(|&t| (t & !IN_TITLE, fields_of(t))).collect();
    merge_fields(&mut words);
    words
}

fn fields_of(token: u32) -> u8 {
    if token & IN_TITLE != 0 {
        FIELD_TITLE
    } else {
        FIELD_BODY
    }
}

/// Sort `(id, fields)` pairs by id and merge the fields of equal ids.
fn merge_fields(items: &mut Vec<(u32, u8)>) {
    items.sort_unstable_by_key(|&(id, _)| id);
    items.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 |= later.1;
        }
        same
    });
}

/// The phrases of `n` adjacent words (no [`BREAK`] inside) that pass `keep`, each counted once
/// per row. Keys are padded with [`BREAK`] to three ids.
fn count_ngrams(
    rows: &[Vec<u32>],
    n: usize,
    keep: impl Fn(&[u32]) -> bool + Sync,
) -> HashMap<[u32; 3], usize> {
    let count_chunk = |mut counts: HashMap<[u32; 3], usize>, chunk: &[Vec<u32>]| {
        let mut seen: Vec<[u32; 3]> = Vec::new();
        for tokens in chunk {
            seen.clear();
            for window in tokens.windows(n) {
                if window.contains(&BREAK) {
                    continue;
                }
                let mut key = [BREAK; 3];
                for (slot, &token) in key.iter_mut().zip(window) {
                    *slot = token & !IN_TITLE;
                }
                if keep(&key[..n]) {
                    seen.push(key);
                }
            }
            seen.sort_unstable();
            seen.dedup();
            for key in &seen {
                *counts.entry(*key).or_insert(0) += 1;
            }
        }
        counts
    };
    // Folded per worker, then merged pairwise: a few maps alive at once, not one per chunk.
    rows.par_chunks(2048).fold(HashMap::new, count_chunk).reduce(HashMap::new, |mut into, from| {
        let (mut into, from) =
            if into.len() < from.len() { (from, into) } else { (std::mem::take(&mut into), from) };
        for (key, count) in from {
            *into.entry(key).or_insert(0) += count;
        }
        into
    })
}

/// The candidates of `index` that occur in one row, with their fields.
fn occurrences(tokens: &[u32], index: &HashMap<[u32; 3], u32>) -> Vec<(u32, u8)> {
    let mut found = Vec::new();
    for start in 0..tokens.len() {
        let mut key = [BREAK; 3];
        let mut fields = 0;
        for length in 1..=3 {
            let Some(&token) = tokens.get(start + length - 1).filter(|&&t| t != BREAK) else { break };
            key[length - 1] = token & !IN_TITLE;
            fields |= fields_of(token);
            if let Some(&id) = index.get(&key) {
                found.push((id, fields));
            }
        }
    }
    merge_fields(&mut found);
    found
}

/// Stems shared by two or more word forms of the data ("deploy" for "deploys", "deployment"):
/// each becomes a prefix candidate. Only alphabetic words that are not stop words count.
fn prefix_stems(words: &[String], df: &[usize]) -> Vec<String> {
    let mut stems: Vec<String> = words
        .iter()
        .zip(df)
        .filter(|(word, &count)| count > 0 && word.chars().all(char::is_alphabetic) && !is_stop_word(word))
        .filter_map(|(word, _)| {
            let suffix = SUFFIXES.iter().find(|suffix| word.ends_with(*suffix))?;
            let stem = &word[..word.len() - suffix.len()];
            let long_enough = stem.chars().count() > MIN_STEM_CHARS
                || (stem.chars().count() >= MIN_STEM_CHARS && words.iter().any(|w| w == stem));
            long_enough.then(|| stem.to_owned())
        })
        .collect();
    stems.sort_unstable();
    stems.dedup();
    let mut sorted: Vec<&str> =
        words.iter().zip(df).filter(|(_, &count)| count > 0).map(|(word, _)| word.as_str()).collect();
    sorted.sort_unstable();
    // A stem is worth a prefix only when at least two different words of the data start with it.
    stems.retain(|stem| {
        let start = sorted.partition_point(|word| *word < stem.as_str());
        sorted[start..].iter().take_while(|word| word.starts_with(stem.as_str())).nth(1).is_some()
    });
    stems
}

fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_numeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_word_characters() {
        let spans: Vec<&str> =
            word_spans("how do i, fix node.js_x?").map(|(s, e)| &"how do i, fix node.js_x?"[s..e]).collect();
        assert_eq!(spans, ["how", "do", "i", "fix", "node", "js_x"]);
    }

    #[test]
    fn a_change_of_script_ends_a_word_as_it_does_for_keywords() {
        let text = "apiキー sdkを使う";
        let spans: Vec<&str> = word_spans(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(spans[0], "api");
        assert!(spans.contains(&"sdk"), "{spans:?}");
    }

    #[test]
    fn stems_need_two_word_forms() {
        let words: Vec<String> = ["deploy", "deploying", "deployment", "testing"].map(String::from).to_vec();
        assert_eq!(prefix_stems(&words, &[1, 1, 1, 1]), ["deploy"]);
    }
}
