//! Where things are in a template's text. serde_yaml reports no spans for values, so after a
//! successful parse we walk the value in document order and find each key and scalar in the
//! text with a cursor that only moves forward (the way `rules::locate` finds rule values).

use std::collections::BTreeMap;

use serde_yaml::Value;

/// A 1-based line and column (in characters) in the template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub const START: Location = Location { line: 1, column: 1 };
}

/// Byte offset to [`Location`] for a whole file.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The location of a byte offset (clamped to the text).
    pub fn location(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        Location { line, column: self.text[start..offset].chars().count() + 1 }
    }
}

/// A path into a YAML value: `body.2.attributes.label`.
pub type Path = String;

/// Byte offsets of the keys and scalar values of a YAML document inside its file.
#[derive(Debug, Default)]
pub struct Spots {
    keys: BTreeMap<Path, usize>,
    values: BTreeMap<Path, usize>,
}

impl Spots {
    /// Walk `value` (parsed from `text[start..end]`) and find where its keys and scalars are.
    pub fn find(value: &Value, text: &str, start: usize, end: usize) -> Spots {
        let mut walker =
            Walker { text: &text[..end.min(text.len())], cursor: start, spots: Spots::default() };
        walker.walk(value, String::new());
        walker.spots
    }

    /// Where the key at `path` is, if found.
    pub fn key(&self, path: &str) -> Option<usize> {
        self.keys.get(path).copied()
    }

    /// Where the value at `path` starts: the scalar itself when found, else its key.
    pub fn value(&self, path: &str) -> Option<usize> {
        self.values.get(path).or_else(|| self.keys.get(path)).copied()
    }

    /// [`Spots::key`] as a line and column, or the top of the file when not found.
    pub fn key_at(&self, path: &str, index: &LineIndex) -> Location {
        self.key(path).map_or(Location::START, |at| index.location(at))
    }

    /// [`Spots::value`] as a line and column, or the top of the file when not found.
    pub fn value_at(&self, path: &str, index: &LineIndex) -> Location {
        self.value(path).map_or(Location::START, |at| index.location(at))
    }
}

struct Walker<'a> {
    text: &'a str,
    cursor: usize,
    spots: Spots,
}

impl Walker<'_> {
    fn walk(&mut self, value: &Value, path: Path) {
        match value {
            Value::Mapping(mapping) => {
                for (key, child) in mapping {
                    let name = scalar_text(key).unwrap_or_default();
                    let child_path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                    if let Some(at) = self.find_key(&name) {
                        self.spots.keys.insert(child_path.clone(), at);
                    }
                    self.walk(child, child_path);
                }
            }
            Value::Sequence(items) => {
                for (index, item) in items.iter().enumerate() {
                    let item_path = format!("{path}.{index}");
                    let before = self.cursor;
                    self.walk(item, item_path.clone());
                    // An item's own place: its first key or scalar, else where the walk stood.
                    let at = self
                        .spots
                        .values
                        .range(item_path.clone()..)
                        .take_while(|(p, _)| within(p, &item_path))
                        .map(|(_, &at)| at)
                        .chain(
                            self.spots
                                .keys
                                .range(item_path.clone()..)
                                .take_while(|(p, _)| within(p, &item_path))
                                .map(|(_, &at)| at),
                        )
                        .min()
                        .unwrap_or(before);
                    self.spots.keys.entry(item_path).or_insert(at);
                }
            }
            Value::Tagged(tagged) => self.walk(&tagged.value, path),
            scalar => {
                if let Some(text) = scalar_text(scalar) {
                    if let Some(at) = self.find_value(&text) {
                        self.spots.values.insert(path, at);
                    }
                }
            }
        }
    }

    /// Find `name:` (possibly quoted) at or after the cursor and move past the colon.
    fn find_key(&mut self, name: &str) -> Option<usize> {
        if name.is_empty() {
            return None;
        }
        let rest = self.text.get(self.cursor..)?;
        for (at, _) in rest.match_indices(name) {
            let after =
                rest[at + name.len()..].trim_start_matches(['"', '\'']).trim_start_matches([' ', '\t']);
            if after.starts_with(':') {
                let colon = rest.len() - after.len();
                let found = self.cursor + at;
                self.cursor += colon + 1;
                return Some(found);
            }
        }
        None
    }

    /// Find a scalar's text at or after the cursor: its first non-empty line, or failing that
    /// (escapes, folding) its first word; moves the cursor past it.
    fn find_value(&mut self, value: &str) -> Option<usize> {
        let rest = self.text.get(self.cursor..)?;
        let first_line = value.lines().map(str::trim).find(|line| !line.is_empty())?;
        let needle = prefix_chars(first_line, 60);
        let word = first_line.split_whitespace().next().unwrap_or(first_line);
        for candidate in [needle, prefix_chars(word, 60)] {
            if let Some(at) = rest.find(candidate) {
                let found = self.cursor + at;
                self.cursor = found + candidate.len();
                return Some(found);
            }
        }
        None
    }
}

/// Whether `path` is `parent` or below it.
fn within(path: &str, parent: &str) -> bool {
    path.strip_prefix(parent).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// At most `count` characters of `text`.
fn prefix_chars(text: &str, count: usize) -> &str {
    match text.char_indices().nth(count) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The text of a scalar (strings, numbers, booleans); `None` for null, maps and sequences.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

/// The keys of `mapping` that are not in `allowed`: GitHub rejects unknown keys in forms and the
/// chooser, so each becomes a problem at the key's line.
pub fn unknown_keys<'a>(
    mapping: &'a serde_yaml::Mapping,
    allowed: &'a [&str],
) -> impl Iterator<Item = String> + 'a {
    mapping
        .keys()
        .map(|key| scalar_text(key).unwrap_or_default())
        .filter(move |name| !allowed.contains(&name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let index = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(index.location(0), Location { line: 1, column: 1 });
        assert_eq!(index.location(5), Location { line: 2, column: 2 });
        assert_eq!(index.location(7), Location { line: 3, column: 1 });
        assert_eq!(index.location(99), Location { line: 4, column: 2 });
    }

    #[test]
    fn repeated_values_are_found_in_document_order() {
        let text = "body:\n  - attributes:\n      label: Name\n  - attributes:\n      label: Name\n";
        let value: Value = serde_yaml::from_str(text).unwrap();
        let spots = Spots::find(&value, text, 0, text.len());
        let index = LineIndex::new(text);
        let at = |path: &str| index.location(spots.value(path).unwrap());
        assert_eq!(at("body.0.attributes.label"), Location { line: 3, column: 14 });
        assert_eq!(at("body.1.attributes.label"), Location { line: 5, column: 14 });
        assert_eq!(index.location(spots.key("body.1").unwrap()).line, 4);
    }

    #[test]
    fn block_scalars_point_at_their_first_line() {
        let text = "value: |\n\n  First line\n  second\nother: x\n";
        let value: Value = serde_yaml::from_str(text).unwrap();
        let spots = Spots::find(&value, text, 0, text.len());
        let index = LineIndex::new(text);
        assert_eq!(index.location(spots.value("value").unwrap()).line, 3);
        assert_eq!(index.location(spots.value("other").unwrap()).line, 5);
    }
}
