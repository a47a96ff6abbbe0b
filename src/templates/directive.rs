//! The `triage:` directive: a comment that names a template's owner explicitly. Forms reject
//! unknown keys, so the directive is a YAML comment (`# triage: devrel`); in markdown it is an
//! HTML comment (`<!-- triage: devrel -->`), which GitHub does not show.

use std::sync::LazyLock;

use regex::Regex;

use super::locate::LineIndex;
use super::Directive;

/// Which comment syntax to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Yaml,
    Markdown,
}

// A YAML comment starts at the line start or after whitespace.
static YAML: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?m)(?:^|[ \t])#[ \t]*triage[ \t]*:[ \t]*([A-Za-z0-9_-]+)[ \t]*\r?$").ok());
static MARKDOWN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"<!--[ \t]*triage[ \t]*:[ \t]*([A-Za-z0-9_-]+)[ \t]*-->").ok());

/// Every directive in the file, in order.
pub fn find(index: &LineIndex, style: Style) -> Vec<Directive> {
    find_in(index, style, 0, index.text().len())
}

/// Every directive within `text[start..end]`, in order.
pub fn find_in(index: &LineIndex, style: Style, start: usize, end: usize) -> Vec<Directive> {
    let regex = match style {
        Style::Yaml => &*YAML,
        Style::Markdown => &*MARKDOWN,
    };
    let (Some(regex), Some(text)) = (regex.as_ref(), index.text().get(start..end)) else { return Vec::new() };
    regex
        .captures_iter(text)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            let id = captures.get(1)?;
            // Point at the comment itself, not the whitespace before it.
            let offset = whole.as_str().find(['#', '<']).unwrap_or(0);
            Some(Directive { id: id.as_str().to_owned(), at: index.location(start + whole.start() + offset) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_directives_are_comments_only() {
        let text = "name: x # triage: devrel\nvalue: 'issue#triage: marketing'\n  # triage:community\n";
        let index = LineIndex::new(text);
        let found = find(&index, Style::Yaml);
        let ids: Vec<_> = found.iter().map(|d| (d.id.as_str(), d.at.line, d.at.column)).collect();
        assert_eq!(ids, [("devrel", 1, 9), ("community", 3, 3)]);
    }

    #[test]
    fn markdown_directives_are_html_comments() {
        let text = "Hello\n<!-- triage: marketing -->\n# triage: devrel\n";
        let index = LineIndex::new(text);
        let found = find(&index, Style::Markdown);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].id.as_str(), found[0].at.line), ("marketing", 2));
    }
}
