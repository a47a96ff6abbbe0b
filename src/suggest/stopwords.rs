//! Words too common to mean anything on their own. A small list per language (English first,
//! then the function words of French, German, Spanish and Portuguese that `triage` meets in
//! real requests); words found in most requests of the data are dropped as well (see
//! `candidates`), which covers any other language.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Never a candidate on their own; folded (lowercase) as the classifier folds text. One list
/// per language, words separated by spaces.
const STOP_WORDS: &[&str] = &[
    // English: function words
    "a about above after again against all also am an and any are aren as at be because been \
     before being below between both but by can cannot could couldn d did didn do does doesn \
     doing don down during each either else etc even ever every few for from further get gets \
     getting got had hadn has hasn have haven having he her here hers herself him himself his \
     how i if in into is isn it its itself just ll m may me might more most much must my \
     myself no nor not now of off on once one only or other our ours ourselves out over own \
     please re s same shall she should shouldn so some such t than that the their theirs them \
     themselves then there these they this those through to too under until up us ve very was \
     wasn we were weren what when where which while who whom why will with won would wouldn y \
     yet you your yours yourself yourselves",
    // English: hedges, fillers and indefinite pronouns, which carry no topic
    "already although anybody anyone anything everyone everything however maybe nobody nothing \
     ok okay perhaps quite really since somebody someone something still thing things though \
     via whether within without",
    // Pieces of links and addresses
    "http https www com org net html",
    // French
    "au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur lui mais \
     me mes mon ne nous ou par pas pour qu que qui sa se ses son sur ta te tu un une vous",
    // German
    "aber auch auf aus bei das dass dem den der des die du ein eine einen einer es für hat ich \
     ihr im ist mit nicht oder sich sie sind und von wie wir zu zum zur",
    // Spanish and Portuguese
    "al como con da del do el ella em ese esta este eu las lo los mas mi muy na no nos o os \
     para pero por se su sus um uma y yo",
];

/// Words a phrase may not start or end with ("the sdk", "sdk for"): a phrase that begins or
/// ends with one of these matches the same requests as the phrase without it, only fewer.
const GLUE_WORDS: &str = "a an and are as at be been but by for from in into is it its of on or \
                          s so t than that the then these this those to was were with";

fn set(lists: &'static [&'static str]) -> HashSet<&'static str> {
    lists.iter().flat_map(|list| list.split_whitespace()).collect()
}

/// Whether `word` (folded) is a stop word in any listed language.
pub(super) fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set(STOP_WORDS)).contains(word)
}

/// Whether `word` (folded) may not start or end a phrase.
pub(super) fn is_glue_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set(&[GLUE_WORDS])).contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_split_into_words() {
        assert!(is_stop_word("the") && is_stop_word("whether") && is_stop_word("für"));
        assert!(!is_stop_word("sdk") && !is_stop_word("thanks"));
        assert!(is_glue_word("of") && !is_glue_word("how"));
    }
}
