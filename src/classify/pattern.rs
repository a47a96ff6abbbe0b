//! Patterns run on the same folded text as keywords (lowercased, Latin letters without
//! diacritics, whitespace runs collapsed to one space), so they are compiled case-sensitively with
//! their literals folded the same way: that gives Unicode case-insensitivity and optional accents
//! without the cost of case-insensitive regex compilation, which for a few dozen patterns with
//! alternations takes tens of milliseconds. Patterns written in ASCII are compiled in ASCII mode
//! (`\w`, `\b`, `\d` are ASCII), which keeps them small and lets the lazy DFA run on any text; a
//! pattern with non-ASCII characters, or one that asks for `(?u)`, gets Unicode classes.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_automata::meta::{self, BuildError, Regex};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};
use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem};

use super::clauses::Clauses;
use super::prebuilt::{self, Prebuilt};
use crate::rules::limits;

/// A pattern ready for the classifier.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(crate) struct Prepared {
    /// The source the classifier compiles: literals lowercased, ASCII mode for ASCII patterns.
    /// Borrowed from the embedded snapshot for the default rules.
    #[serde(deserialize_with = "crate::rules::borrowed")]
    pub source: Cow<'static, str>,
    /// What every match contains (in the folded text): one string of each clause;
    /// `\bbroken\s+(links?|images?)\b` has the one clause `[broken image, broken link]`. At most
    /// two clauses are kept, the more selective first. A pattern only runs on text where the
    /// first has a string present, which the keyword pass finds for all patterns at once; one
    /// short text also checks the second by substring search before its pattern is loaded (see
    /// `required_clauses`). No clauses when none could be found: the pattern runs on every text.
    pub required: Clauses,
}

impl Prepared {
    /// Nothing to compile and no strings required: a keyword's.
    pub(crate) const EMPTY: Prepared = Prepared { source: Cow::Borrowed(""), required: Clauses::EMPTY };
}

/// The pattern as the classifier compiles it, or the regex crate's message for why it cannot parse
/// (or why it is refused: a counted repetition over [`limits::MAX_REPETITION`]).
pub(crate) fn prepare(source: &str) -> Result<Prepared, String> {
    let mut tree = ast::parse::Parser::new().parse(source).map_err(|err| err.to_string())?;
    check_repetition(&tree, 1)?;
    lowercase_literals(&mut tree);
    let mut lowered = String::with_capacity(source.len());
    ast::print::Printer::new().print(&tree, &mut lowered).map_err(|err| err.to_string())?;
    // A Unicode class (`\p{Greek}`) asks for Unicode mode, which ASCII mode would reject.
    let unicode_class = source.contains(r"\p") || source.contains(r"\P");
    let prepared = if source.is_ascii() && !unicode_class { format!("(?-u:{lowered})") } else { lowered };
    // What only translation or compilation finds (an unknown Unicode class, a pattern too big)
    // is reported by the classifier, which names the pattern.
    Ok(Prepared { source: prepared.into(), required: Clauses::new(&required_clauses(&tree)) })
}

/// More alternatives than this make a poor filter: such a clause is dropped.
const MAX_REQUIRED: usize = 64;

/// A clause with a string shorter than this is met by most texts: its many hits cost the
/// automaton more than the patterns it rules out (measured on real requests: 2 was slower).
const MIN_USEFUL_LENGTH: usize = 3;

/// An alternation's clauses are the unions of one clause from each branch, for every way of
/// choosing them, as long as there are at most this many ways; beyond that, each branch gives
/// only its most selective clause.
const MAX_COMBINATIONS: usize = 32;

/// At most this many clauses of each branch take part in those combinations.
const MAX_BRANCH_CLAUSES: usize = 3;

/// What every match of `tree` contains: one string of each clause (see [`Prepared::required`]).
/// A pattern that may change case-sensitivity gets none: its literals might match text that
/// is not their lowercase form.
fn required_clauses(tree: &Ast) -> Vec<Vec<String>> {
    if sets_case_insensitive(tree) {
        return Vec::new();
    }
    let mut clauses = tidy(clauses_of(tree));
    clauses.sort();
    clauses.sort_by_key(|clause| std::cmp::Reverse(selectivity(clause)));
    // The most selective clause the keyword pass can afford first: it searches for that one
    // alone. A second one in that pass rules out few more texts, and its strings ("get", " the ")
    // are found so often that the hits cost more than the regex runs they save (measured on real
    // requests: 1.10 s with two clauses against 0.97 s with one).
    let Some(searched) = clauses.iter().position(|clause| shortest(clause) >= MIN_USEFUL_LENGTH) else {
        return Vec::new();
    };
    let searched = clauses.remove(searched);
    // For one short text the next most selective, of any length, is worth a substring search:
    // it rules out most of the candidates that would otherwise be loaded or compiled.
    let checked = clauses.into_iter().next();
    std::iter::once(searched).chain(checked).collect()
}

/// The clauses worth keeping, each sorted and without repeats: none with a string that is
/// empty or all spaces (met by any text), nor with more than [`MAX_REQUIRED`] strings.
fn tidy(clauses: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut kept: Vec<Vec<String>> =
        clauses.into_iter().filter(|clause| shortest(clause) > 0 && clause.len() <= MAX_REQUIRED).collect();
    for clause in &mut kept {
        clause.sort();
        clause.dedup();
    }
    kept
}

/// The clauses worth searching for in the keyword pass (see [`MIN_USEFUL_LENGTH`]), tidied.
fn useful(clauses: Vec<Vec<String>>) -> Vec<Vec<String>> {
    tidy(clauses).into_iter().filter(|clause| shortest(clause) >= MIN_USEFUL_LENGTH).collect()
}

/// Whether `tree` turns on the `i` flag anywhere.
fn sets_case_insensitive(tree: &Ast) -> bool {
    let flags_set = |flags: &ast::Flags| {
        let mut negated = false;
        flags.items.iter().any(|item| match &item.kind {
            ast::FlagsItemKind::Negation => {
                negated = true;
                false
            }
            ast::FlagsItemKind::Flag(flag) => !negated && *flag == ast::Flag::CaseInsensitive,
        })
    };
    match tree {
        Ast::Flags(set) => flags_set(&set.flags),
        Ast::Group(group) => {
            matches!(&group.kind, ast::GroupKind::NonCapturing(flags) if flags_set(flags))
                || sets_case_insensitive(&group.ast)
        }
        Ast::Repetition(repetition) => sets_case_insensitive(&repetition.ast),
        Ast::Alternation(alternation) => alternation.asts.iter().any(sets_case_insensitive),
        Ast::Concat(concat) => concat.asts.iter().any(sets_case_insensitive),
        _ => false,
    }
}

fn clauses_of(tree: &Ast) -> Vec<Vec<String>> {
    // A part with few possible texts is one clause of all of them: `(my|our)\s+(cv|resume)` gives
    // "my cv", "our resume" ..., each rarer than any word alone.
    if let Some(strings) = exact_strings(tree) {
        return vec![minimal(strings)]
            .into_iter()
            .filter(|clause| clause.iter().all(|s| !s.is_empty()))
            .collect();
    }
    let clauses = match tree {
        Ast::Group(group) => clauses_of(&group.ast),
        Ast::Repetition(repetition) if repetition_min(&repetition.op.kind) >= 1 => {
            clauses_of(&repetition.ast)
        }
        // A match is a match of one branch: it contains one clause of each branch.
        Ast::Alternation(alternation) => {
            let mut branches = Vec::with_capacity(alternation.asts.len());
            for branch in &alternation.asts {
                let mut clauses = useful(clauses_of(branch));
                if clauses.is_empty() {
                    return Vec::new();
                }
                clauses.sort_by_key(|clause| std::cmp::Reverse(selectivity(clause)));
                clauses.truncate(MAX_BRANCH_CLAUSES);
                branches.push(clauses);
            }
            let combinations = branches.iter().try_fold(1usize, |n, clauses| n.checked_mul(clauses.len()));
            if combinations.is_none_or(|n| n > MAX_COMBINATIONS) {
                branches.iter_mut().for_each(|clauses| clauses.truncate(1));
            }
            // Every way of picking one clause per branch, as the union of the picked clauses.
            let mut unions: Vec<Vec<String>> = vec![Vec::new()];
            for clauses in &branches {
                unions = unions
                    .iter()
                    .flat_map(|union| clauses.iter().map(move |clause| [&union[..], &clause[..]].concat()))
                    .collect();
            }
            unions
        }
        // A match contains every part: all their clauses, with runs of parts that have few
        // possible texts joined into one clause of every text the run can be.
        Ast::Concat(concat) => {
            let mut all = Vec::new();
            let mut run = vec![String::new()];
            for child in &concat.asts {
                match exact_strings(child) {
                    Some(strings)
                        if run.len() * strings.len() <= MAX_EXACT && shortest(&run) < SELECTIVE_LENGTH =>
                    {
                        run = cross(&run, &strings)
                    }
                    exact => {
                        all.push(minimal(std::mem::replace(&mut run, vec![String::new()])));
                        match exact {
                            Some(strings) => run = strings,
                            None => all.extend(clauses_of(child)),
                        }
                    }
                }
            }
            all.push(minimal(run));
            all
        }
        _ => Vec::new(),
    };
    clauses.into_iter().filter(|clause| !clause.is_empty() && clause.iter().all(|s| !s.is_empty())).collect()
}

/// Most texts [`exact_strings`] lists for one part of a pattern.
const MAX_EXACT: usize = 32;

/// A run of a sequence's parts is cut into a clause once all its texts are this long: two words
/// are rare enough, and longer runs only multiply the strings to search for.
const SELECTIVE_LENGTH: usize = 8;

/// Every text `tree` can match in folded text, when there are at most [`MAX_EXACT`] of them.
/// Folded text has no whitespace but single spaces, so `\s`, `\s+` and `[ ]` can only match " ".
fn exact_strings(tree: &Ast) -> Option<Vec<String>> {
    let strings = match tree {
        Ast::Empty(_) | Ast::Assertion(_) | Ast::Flags(_) => vec![String::new()],
        Ast::Literal(literal) => vec![literal.c.to_string()],
        Ast::ClassPerl(class) if class.kind == ast::ClassPerlKind::Space && !class.negated => {
            vec![" ".to_owned()]
        }
        Ast::ClassBracketed(class) if !class.negated => class_chars(&class.kind)?,
        Ast::Group(group) => exact_strings(&group.ast)?,
        Ast::Alternation(alternation) => {
            let mut union = Vec::new();
            for branch in &alternation.asts {
                union.extend(exact_strings(branch)?);
                if union.len() > MAX_EXACT {
                    return None;
                }
            }
            union
        }
        Ast::Concat(concat) => {
            let mut product = vec![String::new()];
            for child in &concat.asts {
                let strings = exact_strings(child)?;
                if product.len() * strings.len() > MAX_EXACT {
                    return None;
                }
                product = cross(&product, &strings);
            }
            product
        }
        Ast::Repetition(repetition) => {
            let inner = exact_strings(&repetition.ast)?;
            let only_space = inner.iter().all(|s| s == " ");
            match &repetition.op.kind {
                ast::RepetitionKind::ZeroOrOne => [vec![String::new()], inner].concat(),
                // No two whitespace characters follow each other in folded text.
                ast::RepetitionKind::OneOrMore if only_space => inner,
                ast::RepetitionKind::ZeroOrMore if only_space => [vec![String::new()], inner].concat(),
                _ => return None,
            }
        }
        _ => return None,
    };
    let mut strings = strings;
    strings.sort();
    strings.dedup();
    (strings.len() <= MAX_EXACT).then_some(strings)
}

/// The characters a bracketed class of literals (and `\s`) matches, as strings, when there are
/// at most a few: `[- ]` is "-" or " ".
fn class_chars(set: &ClassSet) -> Option<Vec<String>> {
    const MAX_CLASS: usize = 8;
    fn item_chars(item: &ClassSetItem, out: &mut Vec<String>) -> Option<()> {
        match item {
            ClassSetItem::Literal(literal) => out.push(literal.c.to_string()),
            ClassSetItem::Perl(class) if class.kind == ast::ClassPerlKind::Space && !class.negated => {
                out.push(" ".to_owned())
            }
            ClassSetItem::Union(union) => {
                for item in &union.items {
                    item_chars(item, out)?;
                }
            }
            _ => return None,
        }
        (out.len() <= MAX_CLASS).then_some(())
    }
    let ClassSet::Item(item) = set else { return None };
    let mut out = Vec::new();
    item_chars(item, &mut out)?;
    Some(out)
}

/// Each of `left` followed by each of `right`.
fn cross(left: &[String], right: &[String]) -> Vec<String> {
    left.iter().flat_map(|l| right.iter().map(move |r| format!("{l}{r}"))).collect()
}

/// The strings of a clause that no shorter string of it is part of: a text with "links" has
/// "link", so [link, links] needs only "link". Sorted, without repeats.
fn minimal(mut strings: Vec<String>) -> Vec<String> {
    strings.sort_by_key(String::len);
    let mut kept: Vec<String> = Vec::new();
    for string in strings {
        if !kept.iter().any(|shorter| string.contains(shorter.as_str())) {
            kept.push(string);
        }
    }
    kept.sort();
    kept
}

fn shortest(clause: &[String]) -> usize {
    clause.iter().map(|s| s.trim_matches(' ').len()).min().unwrap_or(0)
}

/// How selective a clause is: longer shortest strings, then fewer strings, are rarer in text.
fn selectivity(clause: &[String]) -> (usize, usize) {
    (shortest(clause), usize::MAX - clause.len())
}

fn repetition_min(kind: &ast::RepetitionKind) -> u32 {
    match kind {
        ast::RepetitionKind::ZeroOrOne | ast::RepetitionKind::ZeroOrMore => 0,
        ast::RepetitionKind::OneOrMore => 1,
        ast::RepetitionKind::Range(range) => match *range {
            ast::RepetitionRange::Exactly(n) | ast::RepetitionRange::AtLeast(n) => n,
            ast::RepetitionRange::Bounded(n, _) => n,
        },
    }
}

/// Refuse a counted repetition (`x{n}`, `x{n,m}`, `x{n,}`) whose count, times the counts of the
/// repetitions around it, passes [`limits::MAX_REPETITION`]: `.{100000}` compiles under the size
/// limit but takes a minute on a 200 KB request. `outer` is the product of the enclosing counts.
fn check_repetition(tree: &Ast, outer: u64) -> Result<(), String> {
    match tree {
        Ast::Repetition(repetition) => {
            let count = match &repetition.op.kind {
                ast::RepetitionKind::Range(
                    ast::RepetitionRange::Exactly(n)
                    | ast::RepetitionRange::AtLeast(n)
                    | ast::RepetitionRange::Bounded(_, n),
                ) => u64::from(*n).max(1),
                _ => 1,
            };
            let total = outer.saturating_mul(count);
            if total > limits::MAX_REPETITION {
                let what = if outer > 1 { "with the repetitions around it, " } else { "" };
                return Err(format!(
                    "the counted repetition `{{{count}}}` repeats {what}{total} times; the limit is {}",
                    limits::MAX_REPETITION
                ));
            }
            check_repetition(&repetition.ast, total)
        }
        Ast::Group(group) => check_repetition(&group.ast, outer),
        Ast::Alternation(alternation) => {
            alternation.asts.iter().try_for_each(|ast| check_repetition(ast, outer))
        }
        Ast::Concat(concat) => concat.asts.iter().try_for_each(|ast| check_repetition(ast, outer)),
        _ => Ok(()),
    }
}

/// The memory the compiled form of a prepared pattern takes (its Thompson NFA, the part the
/// regex crate's `size_limit` bounds), or why it is over [`limits::REGEX_SIZE_LIMIT`]. Summed
/// over a rule file's patterns at load time, so that every command refuses the same rule files
/// (see [`limits::PATTERNS_SIZE_LIMIT`]).
pub(crate) fn compiled_size(prepared: &str) -> Result<usize, String> {
    use regex_automata::nfa::thompson;
    thompson::Compiler::new()
        .syntax(syntax_config())
        .configure(thompson::Config::new().utf8(false).nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT)))
        .build(prepared)
        .map(|nfa| nfa.memory_usage())
        .map_err(|err| build_message(&err, err.size_limit()))
}

/// A build error as a rule author reads it: the size limit, or the syntax error's own message
/// (an unknown Unicode class ...) rather than "error parsing regex".
fn build_message(err: &dyn std::error::Error, size_limit: Option<usize>) -> String {
    match size_limit {
        Some(limit) => format!("the regex compiles to more than {limit} bytes, the limit for one pattern"),
        None => err.source().map_or_else(|| err.to_string(), ToString::to_string),
    }
}

/// Compile a prepared pattern (see [`prepare`]) with the size limits, for searching many texts or
/// long ones: a lazy DFA and a literal prefilter, costly to build, fast to run.
pub(crate) fn compile(prepared: &str) -> Result<Regex, String> {
    build(prepared, config())
}

/// Compile a prepared pattern for one short text: the NFA alone, searched by backtracking. It
/// builds in a fraction of the time and memory, which is what a single request pays for.
fn compile_light(prepared: &str) -> Result<Regex, String> {
    build(prepared, config().auto_prefilter(false).hybrid(false).dfa(false))
}

/// Leftmost-first matches over bytes, as the regex crate's `bytes::Regex`, without capture
/// groups (only where a match is, is ever asked) or the one-pass DFA (only used for captures).
fn config() -> meta::Config {
    meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(limits::REGEX_SIZE_LIMIT)
        .which_captures(WhichCaptures::Implicit)
        .onepass(false)
}

/// How every form of a prepared pattern is parsed (the regex engine's forms, its compiled size,
/// its embedded DFA): as bytes, so that an ASCII-mode class may match any byte of UTF-8 text.
pub(crate) fn syntax_config() -> syntax::Config {
    syntax::Config::new().utf8(false)
}

fn build(prepared: &str, config: meta::Config) -> Result<Regex, String> {
    meta::Builder::new()
        .configure(config)
        .syntax(syntax_config())
        .build(prepared)
        .map_err(|err: BuildError| build_message(&err, err.size_limit()))
}

/// A pattern compiled on first use, in the form that suits the text it meets: light for a short
/// text when few requests are classified, fast otherwise (see [`compile`], [`compile_light`]).
/// Where the light form is wanted and the pattern has an embedded DFA, that is used instead (see
/// [`prebuilt`](super::prebuilt)). It does not keep the prepared source: every call is given it,
/// always the same one, by the rule set that holds it (a copy of each pattern cost one request
/// a few dozen kilobytes).
#[derive(Debug)]
pub(crate) struct LazyRegex {
    fast: OnceLock<Result<Regex, String>>,
    light: OnceLock<Result<Regex, String>>,
    /// Boxed: a DFA's tables are a kilobyte, and most patterns never load theirs.
    prebuilt: OnceLock<Option<Box<Prebuilt<'static>>>>,
}

impl LazyRegex {
    /// The prepared pattern `source`, compiled for fast search now when `eager`, so that one
    /// that cannot compile is an error up front; otherwise compiled when first needed.
    pub(crate) fn build(source: &str, eager: bool) -> Result<LazyRegex, String> {
        let regex = LazyRegex { fast: OnceLock::new(), light: OnceLock::new(), prebuilt: OnceLock::new() };
        if eager {
            regex.get(source, false)?;
        }
        Ok(regex)
    }

    /// The light form when `light`, else the fast one; compiled now if not yet.
    fn get(&self, source: &str, light: bool) -> Result<&Regex, &String> {
        if light {
            self.light.get_or_init(|| compile_light(source)).as_ref()
        } else {
            self.fast.get_or_init(|| compile(source)).as_ref()
        }
    }

    /// The first non-empty match in `haystack`, as (start, end); the rest as for
    /// [`Self::each_match`].
    pub(crate) fn first_match(
        &self,
        source: &str,
        haystack: &[u8],
        light: bool,
    ) -> Result<Option<(usize, usize)>, &String> {
        let mut first = None;
        self.each_match(source, haystack, light, |start, end| {
            first = Some((start, end));
            false
        })?;
        Ok(first)
    }

    /// Each non-empty match of the prepared pattern `source` (the one this was built from) in
    /// `haystack`, in order, until `found` returns false: by the embedded DFA or the light form
    /// when `light`, else by the fast form. An error is why the pattern cannot compile.
    pub(crate) fn each_match(
        &self,
        source: &str,
        haystack: &[u8],
        light: bool,
        mut found: impl FnMut(usize, usize) -> bool,
    ) -> Result<(), &String> {
        // Where the matches the embedded DFA gave so far end.
        let mut given_until = 0;
        // Only the light form has an embedded DFA to stand for it: many texts or long ones never
        // load one.
        let prebuilt = if light {
            self.prebuilt.get_or_init(|| prebuilt::find(source).map(Box::new)).as_deref()
        } else {
            None
        };
        if let Some(dfa) = prebuilt {
            let mut track = |start: usize, end: usize| {
                given_until = end;
                found(start, end)
            };
            // A search gives up after too many attempts on a hostile text (see `prebuilt`), and
            // could fail otherwise only by a defect: the compiled form carries on after the
            // matches given so far.
            if dfa.each_match(haystack, &mut track).is_ok() {
                return Ok(());
            }
        }
        let regex = self.get(source, light)?;
        let rest = Input::new(haystack).range(given_until..);
        for found_match in regex.find_iter(rest).filter(|m| !m.is_empty()) {
            if !found(found_match.start(), found_match.end()) {
                break;
            }
        }
        Ok(())
    }

    /// Why a form compiled so far failed, if one did.
    pub(crate) fn failure(&self) -> Option<&String> {
        [&self.fast, &self.light]
            .into_iter()
            .find_map(|cell| cell.get().and_then(|result| result.as_ref().err()))
    }
}

/// `c` folded as the text is (see `fold::push_folded`), when that is one character.
fn lowercase_char(c: char) -> char {
    let folded = folded(c);
    let mut chars = folded.chars();
    match (chars.next(), chars.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

fn folded(c: char) -> String {
    let mut out = String::new();
    super::fold::push_folded(&mut out, c);
    out
}

fn lowercase_literals(tree: &mut Ast) {
    match tree {
        // The text folds `ß` to two characters, `ss`: the literal becomes the group `(?:ss)`; a
        // combining accent, which the text drops, becomes the empty group.
        Ast::Literal(literal) if folded(literal.c).chars().count() != 1 => {
            let span = literal.span;
            let lowered = folded(literal.c)
                .chars()
                .map(|c| Ast::literal(ast::Literal { c, ..(**literal).clone() }))
                .collect::<Vec<_>>();
            let concat = Ast::concat(ast::Concat { span, asts: lowered });
            let flags = ast::Flags { span, items: Vec::new() };
            *tree = Ast::group(ast::Group {
                span,
                kind: ast::GroupKind::NonCapturing(flags),
                ast: Box::new(concat),
            });
        }
        Ast::Literal(literal) => literal.c = lowercase_char(literal.c),
        Ast::ClassBracketed(class) => lowercase_class(&mut class.kind),
        Ast::Repetition(repetition) => lowercase_literals(&mut repetition.ast),
        Ast::Group(group) => lowercase_literals(&mut group.ast),
        Ast::Alternation(alternation) => alternation.asts.iter_mut().for_each(lowercase_literals),
        Ast::Concat(concat) => concat.asts.iter_mut().for_each(lowercase_literals),
        Ast::Empty(_)
        | Ast::Flags(_)
        | Ast::Dot(_)
        | Ast::Assertion(_)
        | Ast::ClassUnicode(_)
        | Ast::ClassPerl(_) => {}
    }
}

fn lowercase_class(set: &mut ClassSet) {
    match set {
        ClassSet::Item(item) => lowercase_class_item(item),
        ClassSet::BinaryOp(op) => {
            lowercase_class(&mut op.lhs);
            lowercase_class(&mut op.rhs);
        }
    }
}

fn lowercase_class_item(item: &mut ClassSetItem) {
    match item {
        ClassSetItem::Literal(literal) => literal.c = lowercase_char(literal.c),
        ClassSetItem::Range(range) => {
            let (start, end) = (lowercase_char(range.start.c), lowercase_char(range.end.c));
            // [A-Z] becomes [a-z]; a range whose ends do not lowercase in order stays as written.
            if start <= end {
                range.start.c = start;
                range.end.c = end;
            }
        }
        ClassSetItem::Bracketed(class) => lowercase_class(&mut class.kind),
        ClassSetItem::Union(union) => union.items.iter_mut().for_each(lowercase_class_item),
        ClassSetItem::Empty(_)
        | ClassSetItem::Ascii(_)
        | ClassSetItem::Unicode(_)
        | ClassSetItem::Perl(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(pattern: &str) -> String {
        prepare(pattern).unwrap().source.into_owned()
    }

    fn required(pattern: &str) -> Vec<Vec<String>> {
        prepare(pattern).unwrap().required.to_vecs()
    }

    #[test]
    fn literals_are_lowercased_and_escapes_kept() {
        assert_eq!(source(r"\bAPI\s+Key\b"), r"(?-u:\bapi\s+key\b)");
        assert_eq!(source(r"[A-Z]\W\S\D"), r"(?-u:[a-z]\W\S\D)");
    }

    #[test]
    fn non_ascii_patterns_keep_unicode_classes() {
        assert_eq!(source(r"\bÉVÉNEMENT\b"), r"\bevenement\b");
    }

    #[test]
    fn a_unicode_class_keeps_unicode_mode() {
        let greek = compile(&source(r"\p{Greek}+")).unwrap();
        assert_eq!(greek.find("see αβγ".as_bytes()).map(|m| m.range()), Some(4..10));
        assert!(compile(&source(r"\P{Greek}")).is_ok());
    }

    fn clauses(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter().map(|clause| clause.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn a_sequence_with_few_possible_texts_requires_one_of_them() {
        assert_eq!(
            required(r"\bbroken\s+(links?|images?)\b"),
            clauses(&[&["broken image", "broken link"]]),
            "`\\s+` is one space in folded text; `links` needs no string of its own beside `link`"
        );
        assert_eq!(
            required(r"\b(my|your)\s+(CV|resume)\b"),
            clauses(&[&["my cv", "my resume", "your cv", "your resume"]])
        );
        assert_eq!(required(r"\bmeet[- ]?ups?\b"), clauses(&[&["meet up", "meet-up", "meetup"]]));
        assert_eq!(
            required(r"(docs)+ guide"),
            clauses(&[&[" guide"], &["docs"]]),
            "the longest clause comes first"
        );
    }

    #[test]
    fn a_long_sequence_is_cut_into_runs_and_the_two_most_selective_kept() {
        // `\w+` has too many texts: the parts on each side of it are runs of their own.
        assert_eq!(
            required(r"\b(happy|excited)\s+to\s+\w+\s+release\b"),
            clauses(&[&["excited to", "happy to"], &[" release"]])
        );
        // More than `MAX_EXACT` texts: the run is cut where the product would pass it.
        let many = required(r"\b(a|b|c|d|e|f|g|h)(i|j|k|l|m|n|o|p)(q|r|s|t|u|v|w|x)yz");
        assert_eq!(many.len(), 2, "{many:?}");
        assert!(many.iter().all(|clause| clause.len() <= MAX_EXACT), "{many:?}");
    }

    #[test]
    fn the_second_clause_may_have_short_strings_the_first_may_not() {
        // Too short to search for in every text, but a cheap check in one short text.
        assert_eq!(required(r"\b(m1|wsl)\b[^.]{0,9}\binstall"), clauses(&[&["install"], &["m1", "wsl"]]));
        assert_eq!(required(r"\b(m1|wsl)\b"), clauses(&[]), "no clause to search for, so none at all");
    }

    #[test]
    fn an_alternation_requires_one_clause_of_each_branch() {
        assert_eq!(required(r"foo\s+bar|bazz"), clauses(&[&["bazz", "foo bar"]]));
        // (foos AND bar) OR bazz, when a branch has too many texts: foos-or-bazz and bar-or-bazz,
        // the more selective first.
        assert_eq!(required(r"foos\w+bar|bazz"), clauses(&[&["bazz", "foos"], &["bar", "bazz"]]));
        assert_eq!(required(r"(returns|got)\s+(4\d\d|5\d\d)"), clauses(&[&["got ", "returns "]]));
    }

    #[test]
    fn optional_parts_classes_and_case_insensitive_patterns_require_nothing() {
        assert_eq!(required(r"(foo)?\d+"), clauses(&[]));
        assert_eq!(required(r"a|\w+"), clauses(&[]));
        assert_eq!(required(r"(?i)straße"), clauses(&[]));
        assert_eq!(required(r"x(?i:foo)"), clauses(&[]));
        assert_eq!(required(r"(?-i)foo"), clauses(&[&["foo"]]));
        assert_eq!(required(r"[^ ]+ x"), clauses(&[]), "a negated class has too many texts");
    }

    /// Patterns built from literals, spaces, small classes, optional parts and alternations, with
    /// words that overlap, and the folded texts they run on.
    fn pattern_and_text() -> impl proptest::strategy::Strategy<Value = (String, String)> {
        use proptest::prelude::*;
        let atom = proptest::sample::select(vec![
            "ab", "abc", "b", "ca", r"\s+", r"\s*", r"\s", " ", "[- ]", "[ab]", r"\w+", r"\b", "x?",
            "(ab|c)", "(abc)?", ".", r"\d", "[^a]",
        ]);
        let sequence = proptest::collection::vec(atom, 1..6).prop_map(|atoms| atoms.concat());
        let pattern = proptest::collection::vec(sequence, 1..3).prop_map(|branches| branches.join("|"));
        let text = "[abcx1 -]{0,40}";
        (pattern, text)
    }

    proptest::proptest! {
        #[test]
        fn every_match_in_folded_text_contains_a_string_of_each_clause_in_both_forms((pattern, text) in pattern_and_text()) {
            let prepared = prepare(&pattern).unwrap();
            let folded = super::super::fold::fold_str(&text);
            let regex = compile(&prepared.source).unwrap();
            let light: Vec<_> = compile_light(&prepared.source).unwrap().find_iter(folded.as_bytes()).collect();
            proptest::prop_assert_eq!(&regex.find_iter(folded.as_bytes()).collect::<Vec<_>>(), &light, "the light form finds the same");
            for found in regex.find_iter(folded.as_bytes()) {
                let matched = &folded[found.start()..found.end()];
                for clause in prepared.required.to_vecs() {
                    proptest::prop_assert!(
                        clause.iter().any(|s| matched.contains(s.as_str())),
                        "{pattern:?} matched {matched:?} in {folded:?}, which has no string of {clause:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn counted_repetitions_are_bounded_through_nesting() {
        assert!(prepare(r".{1000}").is_ok());
        assert!(prepare(r"(a{10}){100}").is_ok());
        let err = prepare(r".{100000}").unwrap_err();
        assert!(err.contains("repeats 100000 times; the limit is 1000"), "{err}");
        let err = prepare(r"(a{10,}){101}").unwrap_err();
        assert!(err.contains("with the repetitions around it, 1010 times"), "{err}");
        assert!(prepare(r"(x{2,2000})").is_err());
    }

    #[test]
    fn compiled_size_names_the_limit_for_one_pattern() {
        assert!(compiled_size(&source(r"foo")).unwrap() < 10_000);
        let err = compiled_size(&source(r"(?u:\w{1000})")).unwrap_err();
        assert_eq!(err, "the regex compiles to more than 8388608 bytes, the limit for one pattern");
    }

    #[test]
    fn syntax_errors_carry_the_regex_crate_message() {
        assert!(prepare("a(b").unwrap_err().contains("unclosed group"));
        // Unknown classes fail in parsing or, at the latest, in compiling.
        let unknown_class = prepare(r"\p{NotAClass}").and_then(|p| compile(&p.source));
        assert!(unknown_class.is_err());
    }
}
