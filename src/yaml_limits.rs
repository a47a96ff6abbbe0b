//! Nesting and alias limits for YAML from anyone (rule files, issue templates), enforced on the
//! events a YAML parser produces, before serde_yaml reads the text.
//!
//! serde_yaml (libyaml) parses a whole document into events before it deserializes anything, and
//! its scanner takes time quadratic in the nesting depth of flow collections (`[[[[...`), so a
//! limit checked while deserializing comes too late. A text scan for brackets can be fooled
//! (a `"` inside a plain scalar hides every later bracket) and refuses brackets in prose. So the
//! text first goes through a streaming parser (saphyr, like libyaml a YAML 1.2 scanner), which
//! stops at the first collection nested too deep and at the first alias that repeats more text
//! than allowed, naming its line and column. Where that parser finds a syntax error, the check
//! ends there and serde_yaml reports the text's own error: the part after the error is never
//! parsed by either.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// What an alias costs beyond the text it repeats, per node (scalar, sequence or mapping), so
/// that repeating millions of empty strings also runs out.
pub const NODE_COST: usize = 16;

/// saphyr's message when flow collections nest deeper than its scanner's own limit (255).
const FLOW_DEPTH_ERROR: &str = "recursion limit exceeded";

/// The limits one kind of file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of collections (block or flow), counting the top one as 1.
    pub max_depth: usize,
    /// Most text that aliases may repeat: for each `*alias`, the bytes of every scalar under its
    /// anchor plus [`NODE_COST`] per node, summed over the document.
    pub max_alias_bytes: usize,
}

/// Which limit was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    #[error("YAML collections nested more than {limit} levels deep; that is the limit")]
    TooDeep { limit: usize },
    #[error("YAML aliases here repeat more than {limit} bytes of text, the limit (is this an alias bomb?)")]
    AliasBomb { limit: usize },
}

/// A limit passed at a 1-based line and column (in characters) of the text checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitError {
    pub line: usize,
    pub column: usize,
    pub exceeded: Exceeded,
}

/// A collection being read: its anchor (0 for none) and the expanded size of what it holds so far.
struct Open {
    anchor: usize,
    size: usize,
}

/// Check `text` against `limits`, stopping at the first collection or alias past them. Cost is
/// linear in the text: the parser never holds more than `max_depth` open collections.
pub fn check(text: &str, limits: Limits) -> Result<(), LimitError> {
    let mut open: Vec<Open> = Vec::new();
    // Expanded size of each finished anchored node, by the parser's anchor id.
    let mut anchors: HashMap<usize, usize> = HashMap::new();
    let mut repeated = 0_usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(event) => event,
            // The scanner reads ahead of the events; it stops at 255 nested flow collections.
            Err(err) if err.info() == FLOW_DEPTH_ERROR => {
                let mark = err.marker();
                let exceeded = Exceeded::TooDeep { limit: limits.max_depth };
                return Err(LimitError { line: mark.line(), column: mark.col() + 1, exceeded });
            }
            // A syntax error: serde_yaml finds it too, and neither parses past it.
            Err(_) => return Ok(()),
        };
        let at = |exceeded| LimitError { line: span.start.line(), column: span.start.col() + 1, exceeded };
        let finished = match event {
            Event::DocumentStart(_) => {
                open.clear();
                anchors.clear();
                None
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= limits.max_depth {
                    return Err(at(Exceeded::TooDeep { limit: limits.max_depth }));
                }
                open.push(Open { anchor, size: NODE_COST });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => open.pop().map(|node| (node.anchor, node.size)),
            Event::Scalar(value, _, anchor, _) => Some((anchor, value.len().saturating_add(NODE_COST))),
            Event::Alias(anchor) => {
                // An alias to a collection still open (a cycle) repeats what it holds so far.
                let size = anchors.get(&anchor).copied().unwrap_or_else(|| {
                    open.iter().filter(|node| node.anchor == anchor).map(|node| node.size).sum()
                });
                repeated = repeated.saturating_add(size);
                if repeated > limits.max_alias_bytes {
                    return Err(at(Exceeded::AliasBomb { limit: limits.max_alias_bytes }));
                }
                Some((0, size))
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => None,
        };
        if let Some((anchor, size)) = finished {
            if anchor != 0 {
                anchors.insert(anchor, size);
            }
            if let Some(parent) = open.last_mut() {
                parent.size = parent.size.saturating_add(size);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_depth: 8, max_alias_bytes: 1000 };

    fn exceeded(text: &str) -> Option<(usize, usize, Exceeded)> {
        check(text, LIMITS).err().map(|err| (err.line, err.column, err.exceeded))
    }

    #[test]
    fn nesting_up_to_the_limit_passes_and_one_more_is_refused_where_it_opens() {
        assert_eq!(exceeded(&format!("a: {}{}", "[".repeat(7), "]".repeat(7))), None);
        assert_eq!(
            exceeded(&format!("a: {}{}", "[".repeat(8), "]".repeat(8))),
            Some((1, 11, Exceeded::TooDeep { limit: 8 }))
        );
    }

    #[test]
    fn block_nesting_counts_too() {
        let mut text = String::new();
        for level in 0..9 {
            text.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
        }
        text.push_str(&format!("{}end: 1\n", "  ".repeat(9)));
        assert!(matches!(exceeded(&text), Some((_, _, Exceeded::TooDeep { .. }))));
    }

    #[test]
    fn a_quote_inside_a_plain_scalar_hides_no_bracket() {
        // A text scan took `"b` for the start of a string and missed every bracket after it.
        let text = format!("name: a \"b\nq: {}\n", "[".repeat(20));
        assert_eq!(exceeded(&text), Some((2, 11, Exceeded::TooDeep { limit: 8 })));
    }

    #[test]
    fn brackets_in_plain_block_and_quoted_scalars_and_comments_are_text() {
        let many = "[".repeat(100);
        let text = format!(
            "question: see {many}\nblock: |\n  {many}\nquoted: \"{many}\"\n# {many}\nlist: [a, '{many}']\n"
        );
        assert_eq!(exceeded(&text), None);
    }

    #[test]
    fn aliases_are_charged_what_they_repeat_and_stopped_at_the_alias() {
        let long = "x".repeat(300);
        assert_eq!(exceeded(&format!("a: &s {long}\nb: [*s, *s]\n")), None);
        assert_eq!(
            exceeded(&format!("a: &s {long}\nb: [*s, *s, *s, *s]\n")),
            Some((2, 17, Exceeded::AliasBomb { limit: 1000 }))
        );
    }

    #[test]
    fn nested_aliases_multiply() {
        // Billion laughs: each level repeats the one before nine times.
        let mut text = String::from("l0: &l0 [a, a, a, a, a, a, a, a, a]\n");
        for level in 1..6 {
            let refs = vec![format!("*l{}", level - 1); 9].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        assert!(matches!(exceeded(&text), Some((_, _, Exceeded::AliasBomb { .. }))));
    }

    #[test]
    fn nesting_past_the_scanners_own_limit_is_too_deep() {
        let text = format!("a: {}{}", "[".repeat(80_000), "]".repeat(80_000));
        assert!(matches!(exceeded(&text), Some((1, _, Exceeded::TooDeep { limit: 8 }))));
    }

    #[test]
    fn a_syntax_error_ends_the_check_without_a_limit_error() {
        assert_eq!(exceeded("a: [b\nc: }"), None);
    }
}
