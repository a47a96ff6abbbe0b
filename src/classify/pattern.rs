//! Patterns run on the same folded text as keywords (lowercased, Latin letters without
//! diacritics, whitespace runs collapsed to one space), so they are compiled case-sensitively with
//! their literals folded the same way: that gives Unicode case-insensitivity and optional accents
//! without the cost of case-insensitive regex compilation, which for a few dozen patterns with
//! alternations takes tens of milliseconds. Patterns written in ASCII are compiled in ASCII mode
//! (`\w`, `\b`, `\d` are ASCII), which keeps them small and lets the lazy DFA run on any text; a
//! pattern with non-ASCII characters, or one that asks for `(?u)`, gets Unicode classes.

use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem};

use crate::rules::limits;

/// A pattern ready for the classifier.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Prepared {
    /// The source the classifier compiles: literals lowercased, ASCII mode for ASCII patterns.
    pub source: String,
    /// Strings one of which every match contains (in the folded text). A pattern is only run on
    /// text where one of them occurs, which a single automaton finds for all patterns at once;
    /// `None` when no such strings could be found, and the pattern runs on every text.
    pub required: Option<Vec<String>>,
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
    Ok(Prepared { source: prepared, required: required_literals(&tree) })
}

/// More alternatives than this make a poor filter; the pattern then runs on every text.
const MAX_REQUIRED: usize = 64;

/// Strings one of which every match of `tree` contains, choosing the most selective option
/// (the longest shortest string) where a concatenation offers several.
fn required_literals(tree: &Ast) -> Option<Vec<String>> {
    let set = match tree {
        Ast::Literal(literal) => Some(vec![literal.c.to_string()]),
        Ast::Group(group) => required_literals(&group.ast),
        Ast::Repetition(repetition) if repetition_min(&repetition.op.kind) >= 1 => {
            required_literals(&repetition.ast)
        }
        Ast::Alternation(alternation) => {
            let mut all = Vec::new();
            for branch in &alternation.asts {
                all.extend(required_literals(branch)?);
                if all.len() > MAX_REQUIRED {
                    return None;
                }
            }
            Some(all)
        }
        Ast::Concat(concat) => {
            let mut best = None;
            let mut run = String::new();
            for child in &concat.asts {
                if let Ast::Literal(literal) = child {
                    run.push(literal.c);
                    continue;
                }
                if !run.is_empty() {
                    best = more_selective(best, Some(vec![std::mem::take(&mut run)]));
                }
                best = more_selective(best, required_literals(child));
            }
            if !run.is_empty() {
                best = more_selective(best, Some(vec![run]));
            }
            best
        }
        _ => None,
    };
    set.filter(|strings| !strings.is_empty() && strings.iter().all(|s| !s.is_empty()))
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

fn more_selective(a: Option<Vec<String>>, b: Option<Vec<String>>) -> Option<Vec<String>> {
    let rank = |set: &Vec<String>| (set.iter().map(String::len).min().unwrap_or(0), usize::MAX - set.len());
    match (a, b) {
        (Some(a), Some(b)) => Some(if rank(&b) > rank(&a) { b } else { a }),
        (a, b) => a.or(b),
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
/// (see [`limits::REGEX_SET_SIZE_LIMIT`]).
pub(crate) fn compiled_size(prepared: &str) -> Result<usize, String> {
    use regex_automata::nfa::thompson;
    thompson::Compiler::new()
        .syntax(regex_automata::util::syntax::Config::new().utf8(false))
        .configure(thompson::Config::new().utf8(false).nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT)))
        .build(prepared)
        .map(|nfa| nfa.memory_usage())
        .map_err(|err| match err.size_limit() {
            Some(limit) => {
                format!("the regex compiles to more than {limit} bytes, the limit for one pattern")
            }
            // The syntax error's own message (an unknown Unicode class ...), not "error parsing regex".
            None => std::error::Error::source(&err).map_or_else(|| err.to_string(), ToString::to_string),
        })
}

/// Compile a prepared pattern (see [`prepare`]) with the size limits.
pub(crate) fn compile(prepared: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(prepared)
        .size_limit(limits::REGEX_SIZE_LIMIT)
        .dfa_size_limit(limits::REGEX_SIZE_LIMIT)
        .build()
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
        prepare(pattern).unwrap().source
    }

    fn required(pattern: &str) -> Option<Vec<String>> {
        prepare(pattern).unwrap().required
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
        assert_eq!(greek.find("see αβγ".as_bytes()).map(|m| m.as_bytes()), Some("αβγ".as_bytes()));
        assert!(compile(&source(r"\P{Greek}")).is_ok());
    }

    #[test]
    fn required_literals_pick_the_most_selective_part() {
        let strings = |list: &[&str]| Some(list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(required(r"\b(Happy|excited)\s+to\s+announce\b"), strings(&["announce"]));
        assert_eq!(required(r"\b(returns|got)\s+(4\d\d|5\d\d)"), strings(&["returns", "got"]));
        assert_eq!(required(r"\bmeet-?ups?\b"), strings(&["meet"]));
        assert_eq!(required(r"(docs)+ guide"), strings(&[" guide"]));
        // Optional parts and classes require nothing.
        assert_eq!(required(r"(foo)?\d+"), None);
        assert_eq!(required(r"a|\w+"), None);
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
        let unknown_class =
            prepare(r"\p{NotAClass}").and_then(|p| compile(&p.source).map_err(|e| e.to_string()));
        assert!(unknown_class.is_err());
    }
}
