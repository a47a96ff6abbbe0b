//! What can go wrong reading a table: errors that stop the whole run ([`TableError`]) and
//! problems with one row ([`RowError`]), which the caller reports and keeps going.

use std::fmt;
use std::io;

/// An error that stops reading the table: the input cannot be read at all, or the columns the
/// user asked for do not exist.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Reading the input failed (kept as `io::Error` so a closed pipe stays recognisable).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A `--text-column`, `--title-column`, `--id-column` or extra column that is not there.
    #[error("{role} column {column:?} does not exist; {}", describe_available(available, *by_index))]
    MissingColumn {
        /// Which option named it: `text`, `title`, `id`, or the extra column's role.
        role: String,
        /// The name or index as the user wrote it.
        column: String,
        /// The columns (or JSON keys) that exist, in input order.
        available: Vec<String>,
        /// Columns are 1-based indexes (`--no-headers`).
        by_index: bool,
    },
    /// A column name the user gave matches no column exactly and several case-insensitively.
    #[error(
        "{role} column {column:?} matches several columns when case is ignored: {}; give the exact name",
        matches.iter().map(|name| format!("{name:?}")).collect::<Vec<_>>().join(", ")
    )]
    AmbiguousColumn { role: String, column: String, matches: Vec<String> },
    /// No text column was named and none of the usual names was found.
    #[error(
        "no text column: name one with --text-column; {}",
        describe_available(available, *by_index)
    )]
    NoTextColumn { available: Vec<String>, by_index: bool },
    /// The delimiter cannot be used for CSV (it must be one ASCII byte, not a quote or newline).
    #[error(
        "the delimiter {0:?} cannot be used: it must be one ASCII character other than a quote or newline"
    )]
    BadDelimiter(char),
}

fn describe_available(available: &[String], by_index: bool) -> String {
    if available.is_empty() {
        "the input has no columns".to_owned()
    } else if by_index {
        format!(
            "the rows have {} column{} (--no-headers: name columns by 1-based index, 1 to {})",
            available.len(),
            if available.len() == 1 { "" } else { "s" },
            available.len()
        )
    } else {
        let quoted: Vec<String> = available.iter().map(|name| format!("{name:?}")).collect();
        format!("the columns are: {}", quoted.join(", "))
    }
}

/// A byte as a person reads it: `` `x` ``, or its value when it is not a printable character.
fn describe_byte(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("`{}`", char::from(byte))
    } else {
        format!("byte 0x{byte:02X}")
    }
}

/// A delimiter as a person reads it: `","`, or `tab`.
fn describe_delimiter(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_owned(),
        other => format!("{:?}", char::from(other).to_string()),
    }
}

/// Why one row could not be turned into a request. The row still gets an output row (status
/// `error`) carrying this reason, so nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    /// The input ends inside a quoted CSV field: a quote was opened and never closed, so this
    /// row swallowed the rest of the input.
    #[error("unterminated quoted field: a quote opened in this row is never closed, so it runs to the end of the input")]
    UnterminatedQuote,
    /// The CSV row has more or fewer fields than the header (or the first row).
    #[error("wrong field count: {found} field{}, expected {expected}", if *found == 1 { "" } else { "s" })]
    FieldCount { found: usize, expected: usize },
    /// The CSV row has more fields than the header: a warning, not an error. The row is
    /// classified with the extra fields joined into the last column.
    #[error(
        "{found} fields, expected {expected}: the {} extra field{} kept in the last column {column:?}, joined with {}",
        found - expected,
        if found - expected == 1 { " is" } else { "s are" },
        describe_delimiter(*delimiter)
    )]
    ExtraFields { found: usize, expected: usize, column: String, delimiter: u8 },
    /// A JSON array ends before it is closed (a cut-off download or export): the row is the
    /// element read so far, if any, and nothing follows it.
    #[error(
        "the input ends at byte {offset}{}: the JSON array is cut off here",
        if *inside { " inside this element" } else { " before the array is closed" }
    )]
    ArrayCut {
        /// 0-based byte offset of the end of the input.
        offset: u64,
        /// Whether an element was being read (its bytes are the row's input).
        inside: bool,
    },
    /// The bytes between a JSON array's elements are not `,`, `]` or blanks: the array is
    /// broken there and the rest of the input is not read.
    #[error(
        "expected {expected} at byte {offset}, found {}: the JSON array is broken here and the rest of the input is not read",
        describe_byte(*found)
    )]
    BrokenArray {
        /// 0-based byte offset of the unexpected byte.
        offset: u64,
        expected: &'static str,
        found: u8,
    },
    /// A field is not valid UTF-8.
    #[error(
        "invalid UTF-8{} at byte {offset}",
        column.as_ref().map(|name| format!(" in column {name:?}")).unwrap_or_default()
    )]
    InvalidUtf8 {
        /// The CSV column; `None` for a JSONL line.
        column: Option<String>,
        /// Offset of the first invalid byte in the field or line.
        offset: usize,
    },
    /// A JSONL line is not valid JSON.
    #[error("invalid JSON: {0}")]
    BadJson(String),
    /// A JSONL line is valid JSON but not an object.
    #[error("not a JSON object (found {0})")]
    NotObject(JsonKind),
    /// A text key is missing from this JSONL object.
    #[error("missing text field {key:?}")]
    MissingField { key: String },
    /// A text or title key holds a number, boolean, array or object instead of text (or `null`).
    #[error("field {key:?} is {found}, not text")]
    NotText { key: String, found: JsonKind },
}

/// The kind of a JSON value, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    /// The kind of `value`.
    pub fn of(value: &serde_json::Value) -> JsonKind {
        match value {
            serde_json::Value::Null => JsonKind::Null,
            serde_json::Value::Bool(_) => JsonKind::Bool,
            serde_json::Value::Number(_) => JsonKind::Number,
            serde_json::Value::String(_) => JsonKind::String,
            serde_json::Value::Array(_) => JsonKind::Array,
            serde_json::Value::Object(_) => JsonKind::Object,
        }
    }
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        })
    }
}
