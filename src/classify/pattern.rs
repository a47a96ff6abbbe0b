//! Patterns run on the same folded text as keywords (lowercased, whitespace runs collapsed to one
//! space), so they are compiled case-sensitively with their literals lowercased: that gives
//! Unicode case-insensitivity without the cost of case-insensitive regex compilation, which for
//! a few dozen patterns with alternations takes tens of milliseconds. Patterns written in ASCII
//! are compiled in ASCII mode (`\w`, `\b`, `\d` are ASCII), which keeps them small and lets the
//! lazy DFA run on any text; a pattern with non-ASCII characters, or one that asks for `(?u)`,
//! gets Unicode classes.

use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem};

use crate::rules::limits;

/// The pattern as the classifier compiles it, or the regex crate's message for why it cannot parse.
pub(crate) fn prepare(source: &str) -> Result<String, String> {
    let mut tree = ast::parse::Parser::new().parse(source).map_err(|err| err.to_string())?;
    lowercase_literals(&mut tree);
    let mut lowered = String::with_capacity(source.len());
    ast::print::Printer::new().print(&tree, &mut lowered).map_err(|err| err.to_string())?;
    let prepared = if source.is_ascii() { format!("(?-u:{lowered})") } else { lowered };
    // Translation finds what parsing cannot (an unknown Unicode class, say).
    regex_syntax::ParserBuilder::new().utf8(false).build().parse(&prepared).map_err(|err| err.to_string())?;
    Ok(prepared)
}

/// Compile a prepared pattern (see [`prepare`]) with the size limits.
pub(crate) fn compile(prepared: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(prepared)
        .size_limit(limits::REGEX_SIZE_LIMIT)
        .dfa_size_limit(limits::REGEX_SIZE_LIMIT)
        .build()
}

fn lowercase_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

fn lowercase_literals(tree: &mut Ast) {
    match tree {
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

    #[test]
    fn literals_are_lowercased_and_escapes_kept() {
        assert_eq!(prepare(r"\bAPI\s+Key\b").unwrap(), r"(?-u:\bapi\s+key\b)");
        assert_eq!(prepare(r"[A-Z]\W\S\D").unwrap(), r"(?-u:[a-z]\W\S\D)");
    }

    #[test]
    fn non_ascii_patterns_keep_unicode_classes() {
        assert_eq!(prepare(r"\bÉVÉNEMENT\b").unwrap(), r"\bévénement\b");
    }

    #[test]
    fn syntax_errors_carry_the_regex_crate_message() {
        assert!(prepare("a(b").unwrap_err().contains("unclosed group"));
        // Unknown classes fail in parsing or, at the latest, in compiling.
        let unknown_class = prepare(r"\p{NotAClass}").and_then(|p| compile(&p).map_err(|e| e.to_string()));
        assert!(unknown_class.is_err());
    }
}
