//! The suggestion as YAML: the additions alone, or a complete rule file. A complete file keeps
//! the base file's text (and so its comments) and inserts each new keyword at the end of its
//! function's `keywords:` list; when the layout is one this cannot follow, the file is written
//! afresh from the rule set instead (without the base file's comments).

use super::{with_rules, SuggestedRule};
use crate::output::number;
use crate::rules::{Expectation, RuleKind, RuleSet};

/// The comment beside a suggested keyword: its precision, its support and the label behind it.
pub fn comment(rule: &SuggestedRule, rules: &RuleSet) -> String {
    let id = &rules.functions[rule.function].id;
    let label = if rule.is_counter_evidence() { format!("not {id}") } else { id.clone() };
    format!(
        "suggested: precision {:.2} on {} request{} ({} {label})",
        rule.precision(),
        rule.support,
        if rule.support == 1 { "" } else { "s" },
        rule.agreeing(),
    )
}

/// A keyword entry as a flow mapping: `{ term: "stack trace", weight: 3 }`.
fn entry(rule: &SuggestedRule) -> String {
    format!("{{ term: {}, weight: {} }}", quote(&rule.term), number(rule.weight))
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

/// The additions alone, grouped by function, for a person to paste: `header` lines (each
/// becomes a comment) then a `functions:` list with each function's new `keywords:`.
pub fn additions(rules: &RuleSet, added: &[SuggestedRule], header: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        out.push_str(&format!("# {line}\n"));
    }
    if added.is_empty() {
        out.push_str("functions: []\n");
        return out;
    }
    out.push_str("functions:\n");
    for (index, function) in rules.functions.iter().enumerate() {
        let mine: Vec<&SuggestedRule> = added.iter().filter(|rule| rule.function == index).collect();
        if mine.is_empty() {
            continue;
        }
        out.push_str(&format!("  - id: {}\n    keywords:\n", function.id));
        for rule in mine {
            out.push_str(&format!("      - {}  # {}\n", entry(rule), comment(rule, rules)));
        }
    }
    out
}

/// A complete rule file: `base` plus `added`. Returns the text and whether the base file's own
/// text (with its comments) was kept. `header` lines go on top of a file written afresh.
pub fn complete(base: &RuleSet, added: &[SuggestedRule], header: &[String]) -> (String, bool) {
    let expected = with_rules(base, added);
    if !base.source.is_empty() {
        if let Some(text) = insert(&base.source, base, added) {
            if same_rules(&text, &base.origin, &expected) {
                return (text, true);
            }
        }
    }
    (afresh(&expected, base, added, header), false)
}

/// Whether `text` loads to the rules of `expected` (each function's rules in order, weights).
fn same_rules(text: &str, origin: &str, expected: &RuleSet) -> bool {
    let Ok(loaded) = RuleSet::from_yaml(text, origin) else { return false };
    let shape = |rules: &RuleSet| -> Vec<Vec<(RuleKind, String, u64)>> {
        rules
            .functions
            .iter()
            .map(|f| f.rules.iter().map(|r| (r.kind, r.source.to_string(), r.weight.to_bits())).collect())
            .collect()
    };
    shape(&loaded) == shape(expected)
        && loaded.none.len() == expected.none.len()
        && loaded.tests.len() == expected.tests.len()
}

/// Insert the new keywords into the base file's text, or `None` when its layout is not the
/// block style this understands (`- id: x` items, `keywords:` as a block list or absent).
fn insert(source: &str, base: &RuleSet, added: &[SuggestedRule]) -> Option<String> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    // (line index to insert after, text), for every function with additions.
    let mut insertions: Vec<(usize, String)> = Vec::new();
    for (index, function) in base.functions.iter().enumerate() {
        let mine: Vec<&SuggestedRule> = added.iter().filter(|rule| rule.function == index).collect();
        if mine.is_empty() {
            continue;
        }
        let start = lines.iter().position(|line| item_id(line) == Some(function.id.as_str()))?;
        let dash = indent(lines[start]);
        let key = dash + lines[start][dash + 1..].find(|c: char| c != ' ')? + 1;
        let end = (start + 1..lines.len())
            .find(|&i| is_content(lines[i]) && indent(lines[i]) <= dash)
            .unwrap_or(lines.len());
        let keywords = (start + 1..end)
            .find(|&i| indent(lines[i]) == key && lines[i].trim_start().starts_with("keywords:"));
        let mut text = String::new();
        let after = match keywords {
            Some(at) => {
                let rest = strip_comment(lines[at].trim_start()["keywords:".len()..].trim());
                if !rest.is_empty() {
                    return None; // a flow list: `keywords: [a, b]`
                }
                let mut last = at;
                let mut entry_indent = None;
                for (i, line) in lines.iter().enumerate().take(end).skip(at + 1) {
                    if !is_content(line) {
                        continue;
                    }
                    let column = indent(line);
                    let is_item = line.trim_start().starts_with("- ") || line.trim() == "-";
                    if column > key || (column == key && is_item) {
                        if is_item && entry_indent.is_none() {
                            entry_indent = Some(column);
                        }
                        last = i;
                    } else {
                        break;
                    }
                }
                let pad = " ".repeat(entry_indent.unwrap_or(key + 2));
                for rule in mine {
                    text.push_str(&format!("{pad}- {}  # {}\n", entry(rule), comment(rule, base)));
                }
                last
            }
            None => {
                let last = (start..end).rev().find(|&i| is_content(lines[i]))?;
                text.push_str(&format!("{}keywords:\n", " ".repeat(key)));
                for rule in mine {
                    text.push_str(&format!(
                        "{}- {}  # {}\n",
                        " ".repeat(key + 2),
                        entry(rule),
                        comment(rule, base)
                    ));
                }
                last
            }
        };
        insertions.push((after, text));
    }
    let mut out =
        String::with_capacity(source.len() + insertions.iter().map(|(_, t)| t.len()).sum::<usize>());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        for (_, text) in insertions.iter().filter(|(after, _)| *after == i) {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(text);
        }
    }
    Some(out)
}

/// The id of a `- id: x` line (quotes and a trailing comment allowed).
fn item_id(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('-')?.trim_start().strip_prefix("id:")?;
    let value = strip_comment(rest.trim());
    Some(value.trim_matches(|c| c == '"' || c == '\''))
}

/// `text` without a trailing ` # comment`.
fn strip_comment(text: &str) -> &str {
    match text.find(" #") {
        Some(at) => text[..at].trim_end(),
        None if text.starts_with('#') => "",
        None => text,
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line that is neither blank nor only a comment.
fn is_content(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

/// The whole rule file written from `rules`; the keywords of `added` get their comments.
fn afresh(rules: &RuleSet, base: &RuleSet, added: &[SuggestedRule], header: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        out.push_str(&format!("# {line}\n"));
    }
    out.push_str("version: 1\n");
    out.push_str(&format!("threshold: {}\n", number(rules.threshold)));
    out.push_str(&format!("mixed_ratio: {}\n", number(rules.mixed_ratio)));
    out.push_str(&format!(
        "fields:\n  title: {}\n  body: {}\nfunctions:\n",
        number(rules.title_weight),
        number(rules.body_weight)
    ));
    for (index, function) in rules.functions.iter().enumerate() {
        out.push_str(&format!("  - id: {}\n    name: {}\n", function.id, quote(&function.name)));
        if !function.focus.is_empty() {
            out.push_str(&format!("    focus: {}\n", quote(&function.focus)));
        }
        if let Some(question) = &function.question {
            out.push_str(&format!("    question: {}\n", quote(question)));
        }
        if !function.labels.is_empty() {
            let labels: Vec<String> = function.labels.iter().map(|l| quote(l)).collect();
            out.push_str(&format!("    labels: [{}]\n", labels.join(", ")));
        }
        let is_keyword = |rule: &&crate::rules::Rule| rule.kind == RuleKind::Keyword;
        let base_rules = base.functions.get(index).map_or(0, |f| f.rules.iter().filter(is_keyword).count());
        let keywords: Vec<(usize, &crate::rules::Rule)> =
            function.rules.iter().filter(is_keyword).enumerate().collect();
        if !keywords.is_empty() {
            out.push_str("    keywords:\n");
            for (position, rule) in keywords {
                let suggested = (position >= base_rules)
                    .then(|| added.iter().find(|a| a.function == index && a.term == rule.source))
                    .flatten();
                let line = format!("{{ term: {}, weight: {} }}", quote(&rule.source), number(rule.weight));
                match suggested {
                    Some(found) => out.push_str(&format!("      - {line}  # {}\n", comment(found, base))),
                    None => out.push_str(&format!("      - {line}\n")),
                }
            }
        }
        let patterns: Vec<&crate::rules::Rule> =
            function.rules.iter().filter(|r| r.kind == RuleKind::Pattern).collect();
        if !patterns.is_empty() {
            out.push_str("    patterns:\n");
            for rule in patterns {
                out.push_str(&format!(
                    "      - {{ regex: {}, weight: {}, name: {} }}\n",
                    quote(&rule.source),
                    number(rule.weight),
                    quote(&rule.name)
                ));
            }
        }
        if !function.examples.is_empty() {
            out.push_str("    examples:\n");
            for example in &function.examples {
                out.push_str(&format!("      - {}\n", quote(&example.text)));
            }
        }
    }
    if !rules.tests.is_empty() {
        out.push_str("tests:\n");
        for test in &rules.tests {
            let expect = match &test.expect {
                Expectation::Owner(index) => rules.functions[*index].id.clone(),
                Expectation::Unassigned => "unassigned".into(),
                Expectation::Mixed => "mixed".into(),
            };
            let title = test.title.as_ref().map(|t| format!("title: {}, ", quote(t))).unwrap_or_default();
            out.push_str(&format!("  - {{ {title}text: {}, expect: {expect} }}\n", quote(&test.text)));
        }
    }
    out
}
