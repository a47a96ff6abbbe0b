//! Column selection: turn what the user named (`--text-column body`, `--title-column 2`) into
//! positions, once, against the header, so every row is read the same way.

use super::error::TableError;

/// Names tried, case-insensitively, for the text when no `--text-column` is given.
pub const DEFAULT_TEXT_COLUMNS: &[&str] = &["text", "body", "description", "message", "content", "request"];
/// Names tried, case-insensitively, for the title when no `--title-column` is given.
pub const DEFAULT_TITLE_COLUMNS: &[&str] = &["title", "subject"];

/// An extra column to carry along with each request (for example the label column of `eval`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraColumn {
    /// What the column is for, used in messages: `label column "owner" does not exist`.
    pub role: String,
    /// The column name or 1-based index as the user wrote it.
    pub column: String,
}

/// The columns a user asked for, by name or 1-based index, before they are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Text columns, joined with a blank line into the body. Empty: the first column named like
    /// one of [`DEFAULT_TEXT_COLUMNS`].
    pub text: Vec<String>,
    /// The title column. `None`: a column named like one of [`DEFAULT_TITLE_COLUMNS`], if any
    /// (never one of the text columns).
    pub title: Option<String>,
    /// A column whose value identifies the row in messages.
    pub id: Option<String>,
    /// Further columns to read, in this order.
    pub extras: Vec<ExtraColumn>,
}

/// Positions of the selected columns among the input columns: resolved once, used per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    columns: Vec<String>,
    by_index: bool,
    text: Vec<usize>,
    title: Option<usize>,
    id: Option<usize>,
    extras: Vec<usize>,
}

impl Layout {
    /// Resolve `selection` against the input's `columns` (CSV header names, `1..=n` without a
    /// header, or the keys of the first JSONL object). `by_index` means the names are only
    /// positions (`--no-headers`); `allow_index` lets a number name a column by position when no
    /// column has that name (CSV only: JSON keys are names).
    pub fn resolve(
        columns: Vec<String>,
        by_index: bool,
        allow_index: bool,
        selection: &Selection,
    ) -> Result<Layout, TableError> {
        let find = |role: &str, wanted: &str| -> Result<usize, TableError> {
            if !by_index {
                if let Some(position) = columns.iter().position(|name| name == wanted) {
                    return Ok(position);
                }
            }
            if by_index || allow_index {
                if let Ok(index) = wanted.trim().parse::<usize>() {
                    if (1..=columns.len()).contains(&index) {
                        return Ok(index - 1);
                    }
                }
            }
            Err(TableError::MissingColumn {
                role: role.to_owned(),
                column: wanted.to_owned(),
                available: columns.clone(),
                by_index,
            })
        };
        let by_default_name = |names: &[&str], exclude: &[usize]| -> Option<usize> {
            if by_index {
                return None;
            }
            names.iter().find_map(|wanted| {
                columns
                    .iter()
                    .enumerate()
                    .find(|(index, name)| {
                        name.trim().eq_ignore_ascii_case(wanted) && !exclude.contains(index)
                    })
                    .map(|(index, _)| index)
            })
        };
        let text = if selection.text.is_empty() {
            match by_default_name(DEFAULT_TEXT_COLUMNS, &[]) {
                Some(index) => vec![index],
                None => return Err(TableError::NoTextColumn { available: columns.clone(), by_index }),
            }
        } else {
            selection.text.iter().map(|wanted| find("text", wanted)).collect::<Result<Vec<_>, _>>()?
        };
        let title = match &selection.title {
            Some(wanted) => Some(find("title", wanted)?),
            None => by_default_name(DEFAULT_TITLE_COLUMNS, &text),
        };
        let id = selection.id.as_deref().map(|wanted| find("id", wanted)).transpose()?;
        let extras = selection
            .extras
            .iter()
            .map(|extra| find(&extra.role, &extra.column))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Layout { columns, by_index, text, title, id, extras })
    }

    /// A layout for input with no columns at all (an empty file): nothing to select.
    pub fn empty(by_index: bool) -> Layout {
        Layout { columns: Vec::new(), by_index, text: Vec::new(), title: None, id: None, extras: Vec::new() }
    }

    /// The input's column names, in input order (`1`, `2`, ... without a header).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Whether columns are only positions (`--no-headers`).
    pub fn by_index(&self) -> bool {
        self.by_index
    }

    /// Positions of the text columns, in the order given.
    pub fn text(&self) -> &[usize] {
        &self.text
    }

    /// Position of the title column.
    pub fn title(&self) -> Option<usize> {
        self.title
    }

    /// Position of the id column.
    pub fn id(&self) -> Option<usize> {
        self.id
    }

    /// Positions of the extra columns, in the order of [`Selection::extras`].
    pub fn extras(&self) -> &[usize] {
        &self.extras
    }

    /// A one-line description of the selection for summaries: `text: body; title: title`.
    pub fn describe(&self) -> String {
        let names = |positions: &[usize]| -> String {
            positions.iter().map(|&p| self.columns[p].as_str()).collect::<Vec<_>>().join(", ")
        };
        let mut out = format!("text: {}", names(&self.text));
        if let Some(title) = self.title {
            out.push_str(&format!("; title: {}", self.columns[title]));
        }
        if let Some(id) = self.id {
            out.push_str(&format!("; id: {}", self.columns[id]));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn columns(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    fn select(text: &[&str], title: Option<&str>) -> Selection {
        Selection {
            text: text.iter().map(|s| s.to_string()).collect(),
            title: title.map(str::to_owned),
            ..Selection::default()
        }
    }

    #[test]
    fn names_win_over_indexes_and_indexes_are_one_based() {
        let layout =
            Layout::resolve(columns(&["id", "2", "body"]), false, true, &select(&["2", "3"], None)).unwrap();
        assert_eq!(layout.text(), [1, 2]);
    }

    #[test]
    fn json_keys_are_never_positions() {
        let err = Layout::resolve(columns(&["a", "b"]), false, false, &select(&["1"], None)).unwrap_err();
        assert!(matches!(err, TableError::MissingColumn { .. }), "{err}");
    }

    #[test]
    fn missing_column_lists_the_columns_that_exist() {
        let err = Layout::resolve(columns(&["id", "title", "body"]), false, true, &select(&["bdy"], None))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"text column "bdy" does not exist; the columns are: "id", "title", "body""#
        );
    }

    #[test]
    fn without_headers_only_indexes_in_range_select() {
        let layout = Layout::resolve(columns(&["1", "2"]), true, true, &select(&["2"], Some("1"))).unwrap();
        assert_eq!((layout.text(), layout.title()), (&[1][..], Some(0)));
        let err = Layout::resolve(columns(&["1", "2"]), true, true, &select(&["3"], None)).unwrap_err();
        assert!(err.to_string().contains("1 to 2"), "{err}");
    }

    #[test]
    fn defaults_find_body_and_title_case_insensitively() {
        let layout =
            Layout::resolve(columns(&["Id", "Title", "Body"]), false, true, &select(&[], None)).unwrap();
        assert_eq!((layout.text(), layout.title()), (&[2][..], Some(1)));
        assert_eq!(layout.describe(), "text: Body; title: Title");
    }

    #[test]
    fn default_title_is_never_a_text_column() {
        let layout = Layout::resolve(columns(&["title"]), false, true, &select(&["title"], None)).unwrap();
        assert_eq!(layout.title(), None);
    }

    #[test]
    fn no_text_column_is_an_error_naming_the_columns() {
        let err = Layout::resolve(columns(&["a", "b"]), false, true, &select(&[], None)).unwrap_err();
        assert!(matches!(err, TableError::NoTextColumn { .. }));
        assert!(err.to_string().contains(r#""a", "b""#), "{err}");
    }
}
