//! Column selection: turn what the user named (`--text-column body`, `--title-column 2`) into
//! positions, once, against the header, so every row is read the same way.

use super::error::TableError;

/// Names tried, in this order, for the text when no `--text-column` is given. Export
/// conventions: GitHub (`body`), Jira and Zendesk (`Description`), Trello (`Card Description`),
/// Asana (`Notes`), chat and form tools (`text`, `message`, `content`). Compared as
/// [`normalise`] does: case, `_`, `-` and spaces do not matter.
pub const DEFAULT_TEXT_COLUMNS: &[&str] = &[
    "text",
    "body",
    "description",
    "message",
    "content",
    "request",
    "details",
    "ticket description",
    "issue description",
    "card description",
    "notes",
];
/// Names tried, in this order, for the title when no `--title-column` is given: GitHub
/// (`title`), Jira (`Summary`), Zendesk and Freshdesk (`Subject`), ServiceNow
/// (`short_description`), HubSpot (`Ticket name`), Trello (`Card Name`), forums (`topic`).
pub const DEFAULT_TITLE_COLUMNS: &[&str] =
    &["title", "subject", "summary", "short description", "ticket name", "card name", "topic"];
/// Names tried, in this order, for the id when no `--id-column` is given: Jira (`Issue key`
/// before `Issue id`), GitHub (`number`), Zendesk and Linear (`Id`), Freshdesk (`Ticket ID`),
/// GitLab (`Issue ID`), Trello (`Card ID`), Asana (`Task ID`).
pub const DEFAULT_ID_COLUMNS: &[&str] = &[
    "issue key",
    "key",
    "number",
    "issue number",
    "ticket number",
    "ticket id",
    "issue id",
    "id",
    "card id",
    "task id",
    "#",
];

/// A column name as the default lists compare it: trimmed, lowercased, with runs of `_`, `-`
/// and whitespace as one space (`Issue_Key`, `issue-key` and `Issue key` are the same).
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| c == '_' || c == '-' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

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
    /// one of [`DEFAULT_TEXT_COLUMNS`] (never the title the user named).
    pub text: Vec<String>,
    /// The title column. `None`: a column named like one of [`DEFAULT_TITLE_COLUMNS`], if any
    /// (never one of the text columns).
    pub title: Option<String>,
    /// A column whose value identifies the row in messages. `None`: a column named like one of
    /// [`DEFAULT_ID_COLUMNS`], if any (never a text or title column).
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
        let find = |role: &str, wanted: &str| find_column(&columns, by_index, allow_index, role, wanted);
        let by_default_name = |names: &[&str], exclude: &[usize]| -> Option<usize> {
            if by_index {
                return None;
            }
            let normalised: Vec<String> = columns.iter().map(|name| normalise(name)).collect();
            names.iter().find_map(|wanted| {
                (0..columns.len()).find(|index| normalised[*index] == *wanted && !exclude.contains(index))
            })
        };
        // A title the user named is never also the default text (and the other way round).
        let explicit_title = selection.title.as_deref().map(|wanted| find("title", wanted)).transpose()?;
        let text = if selection.text.is_empty() {
            let exclude: Vec<usize> = explicit_title.into_iter().collect();
            match by_default_name(DEFAULT_TEXT_COLUMNS, &exclude) {
                Some(index) => vec![index],
                None => return Err(TableError::NoTextColumn { available: columns.clone(), by_index }),
            }
        } else {
            selection.text.iter().map(|wanted| find("text", wanted)).collect::<Result<Vec<_>, _>>()?
        };
        let title = explicit_title.or_else(|| by_default_name(DEFAULT_TITLE_COLUMNS, &text));
        let id = match &selection.id {
            Some(wanted) => Some(find("id", wanted)?),
            None => {
                let exclude: Vec<usize> = text.iter().copied().chain(title).collect();
                by_default_name(DEFAULT_ID_COLUMNS, &exclude)
            }
        };
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
    /// Names the columns as the input spells them, whether the user or the defaults chose them.
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

/// The position of the column the user named: the exact name first, else the one name that
/// matches case-insensitively (several such names are an error naming them), else (CSV) a
/// 1-based index.
fn find_column(
    columns: &[String],
    by_index: bool,
    allow_index: bool,
    role: &str,
    wanted: &str,
) -> Result<usize, TableError> {
    if !by_index {
        if let Some(position) = columns.iter().position(|name| name == wanted) {
            return Ok(position);
        }
        let folded = wanted.trim().to_lowercase();
        let mut alike = (0..columns.len()).filter(|&index| columns[index].trim().to_lowercase() == folded);
        if let Some(first) = alike.next() {
            let others: Vec<usize> = alike.filter(|&index| columns[index] != columns[first]).collect();
            if others.is_empty() {
                return Ok(first);
            }
            return Err(TableError::AmbiguousColumn {
                role: role.to_owned(),
                column: wanted.to_owned(),
                matches: std::iter::once(first).chain(others).map(|index| columns[index].clone()).collect(),
            });
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
        available: columns.to_vec(),
        by_index,
    })
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
        assert_eq!(layout.describe(), "text: Body; title: Title; id: Id");
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

    #[test]
    fn jira_zendesk_and_github_exports_are_read_without_options() {
        let jira = Layout::resolve(
            columns(&["Issue key", "Issue id", "Summary", "Labels", "Labels", "Description"]),
            false,
            true,
            &select(&[], None),
        )
        .unwrap();
        assert_eq!(jira.describe(), "text: Description; title: Summary; id: Issue key");
        let zendesk = Layout::resolve(
            columns(&["Id", "Requester", "Subject", "Description"]),
            false,
            true,
            &select(&[], None),
        )
        .unwrap();
        assert_eq!(zendesk.describe(), "text: Description; title: Subject; id: Id");
        let github = Layout::resolve(
            columns(&["number", "title", "body", "labels"]),
            false,
            false,
            &select(&[], None),
        )
        .unwrap();
        assert_eq!(github.describe(), "text: body; title: title; id: number");
        let servicenow = Layout::resolve(
            columns(&["number", "short_description", "description"]),
            false,
            true,
            &select(&[], None),
        )
        .unwrap();
        assert_eq!(servicenow.describe(), "text: description; title: short_description; id: number");
    }

    #[test]
    fn user_names_match_exactly_first_then_ignoring_case() {
        let names = columns(&["summary", "Summary", "Description"]);
        let exact = Layout::resolve(names.clone(), false, true, &select(&[], Some("Summary"))).unwrap();
        assert_eq!(exact.title(), Some(1));
        let layout = Layout::resolve(
            columns(&["Summary", "Description"]),
            false,
            true,
            &select(&["DESCRIPTION"], Some("summary")),
        )
        .unwrap();
        assert_eq!((layout.text(), layout.title()), (&[1][..], Some(0)));
        let err = Layout::resolve(names, false, true, &select(&[], Some("SUMMARY"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"title column "SUMMARY" matches several columns when case is ignored: "summary", "Summary"; give the exact name"#
        );
    }

    #[test]
    fn a_title_the_user_named_is_not_also_the_default_text() {
        let layout = Layout::resolve(
            columns(&["description", "notes"]),
            false,
            true,
            &select(&[], Some("description")),
        )
        .unwrap();
        assert_eq!((layout.title(), layout.text()), (Some(0), &[1][..]));
    }

    #[test]
    fn the_default_id_is_never_the_text_or_title() {
        let layout =
            Layout::resolve(columns(&["key", "text"]), false, true, &select(&["key"], None)).unwrap();
        assert_eq!(layout.id(), None);
        assert_eq!(normalise("  Issue_Key "), "issue key");
        assert_eq!(normalise("Card-Description"), "card description");
    }
}
