//! Markdown templates: YAML front matter between `---` lines (name, about, title, labels,
//! assignees), then the body. The front matter is split by hand so YAML errors can be shifted to
//! the right line of the `.md` file.

use serde_yaml::Value;

use super::locate::{LineIndex, Location, Spots};
use super::{parse_yaml, push_part, read_labels, Kind, SourcePart, Template, TemplateRequest};
use crate::rules::Field;

/// Where the front matter is: the YAML between the fences, and where the body starts.
struct FrontMatter {
    /// Byte range of the YAML text.
    yaml: (usize, usize),
    /// Lines before the YAML (the opening fence), added to YAML error lines.
    line_offset: usize,
    body_start: usize,
}

/// Split front matter off by hand. `Ok(None)`: the file has none. `Err(())`: opened, never closed.
fn split(text: &str) -> Result<Option<FrontMatter>, ()> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lines = line_spans(text, start);
    let Some((first_start, first_end)) = lines.next() else { return Ok(None) };
    if text[first_start..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = (first_end + 1).min(text.len());
    for (line_start, line_end) in lines {
        if text[line_start..line_end].trim_end() == "---" {
            return Ok(Some(FrontMatter {
                yaml: (yaml_start, line_start),
                line_offset: 1,
                body_start: (line_end + 1).min(text.len()),
            }));
        }
    }
    Err(())
}

/// `(start, end)` byte spans of each line (without the newline) from `start`.
fn line_spans(text: &str, start: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut cursor = start;
    std::iter::from_fn(move || {
        if cursor >= text.len() {
            return None;
        }
        let end = text[cursor..].find('\n').map_or(text.len(), |at| cursor + at);
        let span = (cursor, end);
        cursor = end + 1;
        Some(span)
    })
}

/// Where the front matter ends (0 when there is none), for finding YAML comments in it.
pub fn front_matter_end(text: &str) -> usize {
    match split(text) {
        Ok(Some(front)) => front.yaml.1,
        _ => 0,
    }
}

pub fn parse(index: &LineIndex) -> Template {
    let text = index.text();
    let mut template = Template::new(Kind::Markdown);
    let front = match split(text) {
        Ok(front) => front,
        Err(()) => {
            template.problem(
                Location::START,
                "the front matter opened by `---` on line 1 is never closed by a `---` line",
            );
            return template;
        }
    };
    let mut parts = Vec::new();
    let mut name = None;
    let mut at = Location::START;
    let body_start = match &front {
        None => 0,
        Some(front) => {
            let (start, end) = front.yaml;
            let value = match parse_yaml(&text[start..end], front.line_offset) {
                Ok(value) => value,
                Err(problem) => {
                    template.problems.push(problem);
                    return template;
                }
            };
            let spots = Spots::find(&value, text, start, end);
            match &value {
                Value::Mapping(_) => {}
                Value::Null => template.problem(
                    Location::START,
                    "the front matter is empty; GitHub needs `name` and `about` to offer the template",
                ),
                _ => template.problem(
                    Location { line: 2, column: 1 },
                    "the front matter must be a mapping of keys (name, about, title, labels, assignees)",
                ),
            }
            for key in ["name", "about"] {
                let missing =
                    value.get(key).and_then(super::locate::scalar_text).is_none_or(|v| v.trim().is_empty());
                if value.is_mapping() && missing {
                    template.problem(
                        spots.key_at(key, index),
                        format!(
                            "the front matter has no `{key}`; GitHub does not offer templates without it"
                        ),
                    );
                }
            }
            name = value.get("name").and_then(super::locate::scalar_text);
            if let Some(found) = spots.value("name") {
                at = index.location(found);
            }
            for key in ["name", "about", "title"] {
                push_part(&mut parts, value.get(key), Field::Title, key, key, &spots, index);
            }
            read_labels(value.get("labels"), "labels", &spots, index, &mut template);
            front.body_start
        }
    };
    let body = &text[body_start..];
    if !body.trim().is_empty() {
        let skipped = body.len() - body.trim_start().len();
        parts.push(SourcePart {
            field: Field::Body,
            text: body.to_owned(),
            at: index.location(body_start + skipped),
            what: "body".into(),
            verbatim: Some(body_start),
        });
    }
    template.requests.push(TemplateRequest { name, at, parts, directive: None });
    template
}
