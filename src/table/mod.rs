//! Requests from tables: CSV (any delimiter, with or without a header) and JSONL, read in
//! reusable chunks, with the columns chosen once by name or 1-based index. Shared by `batch` and
//! `eval` so both build exactly the same [`Request`] from the same row.
//!
//! Reading is split in two so it can run across threads: [`Table::read_chunk`] only finds
//! records (sequential, cheap), [`Record::decode`] checks and decodes one record and
//! [`Decoded::fields`] picks out the request (parallel). [`Table::rows`] wraps both into a
//! simple iterator of owned [`Row`]s.
//!
//! ```
//! use request_triage::table::{Selection, Table, TableFormat, TableOptions};
//!
//! let csv = "id,title,body\n1,SDK question,How do I install the SDK?\n";
//! let options = TableOptions::new(TableFormat::Csv, Selection::default());
//! let table = Table::open(csv.as_bytes(), &options).unwrap();
//! let rows: Vec<_> = table.rows().collect::<Result<_, _>>().unwrap();
//! let fields = rows[0].fields.as_ref().unwrap();
//! assert_eq!(fields.title.as_deref(), Some("SDK question"));
//! assert_eq!(fields.body, "How do I install the SDK?");
//! assert_eq!(rows[0].values, ["1", "SDK question", "How do I install the SDK?"]);
//! ```

mod chunk;
mod columns;
mod csv;
mod error;
mod json_array;
mod jsonl;

use std::borrow::Cow;
use std::io::{self, Read};
use std::path::Path;

use serde_json::{Map, Value};

pub use chunk::{Chunk, CsvFields, Record};
pub use columns::{
    normalise, ExtraColumn, Layout, Selection, DEFAULT_ID_COLUMNS, DEFAULT_TEXT_COLUMNS,
    DEFAULT_TITLE_COLUMNS,
};
pub use error::{JsonKind, RowError, TableError};

use crate::classify::Request;
use crate::input::EndOnce;
use crate::rules::Field;
use chunk::RecordBody;
use csv::CsvSource;
use json_array::JsonArraySource;
use jsonl::JsonlSource;

/// The table formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma- (or other delimiter-) separated values.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects (or several, one after another), streamed element by element.
    /// Asked to open this, [`Table::open`] looks at the first non-blank byte: an input that does
    /// not start with `[` is read as JSONL, and [`Table::format`] says so.
    Json,
}

impl TableFormat {
    /// The format a file name implies: `.json` is JSON (an array, else JSONL),
    /// `.jsonl`/`.ndjson` are JSONL, `.csv`/`.tsv`/`.txt` are CSV; `None` for anything else
    /// (callers default to CSV).
    pub fn from_path(path: &Path) -> Option<TableFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(TableFormat::Json),
            "jsonl" | "ndjson" => Some(TableFormat::Jsonl),
            "csv" | "tsv" | "tab" | "txt" => Some(TableFormat::Csv),
            _ => None,
        }
    }
}

/// The CSV delimiter a file name implies: tab for `.tsv`/`.tab`, else comma.
pub fn default_delimiter(path: Option<&Path>) -> u8 {
    let is_tab = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    if is_tab {
        b'\t'
    } else {
        b','
    }
}

/// How to read a table: its format, CSV dialect and the columns to use.
#[derive(Debug, Clone)]
pub struct TableOptions {
    pub format: TableFormat,
    /// CSV field delimiter (one ASCII character).
    pub delimiter: char,
    /// Whether the first CSV row is a header. Without one, columns are named `1`, `2`, ...
    pub has_headers: bool,
    pub selection: Selection,
}

impl TableOptions {
    /// Options with a comma delimiter and a header row.
    pub fn new(format: TableFormat, selection: Selection) -> TableOptions {
        TableOptions { format, delimiter: ',', has_headers: true, selection }
    }
}

/// Records to look at when searching a JSONL input for its first object (which names the
/// columns); beyond that the input is taken to have no usable columns.
const JSONL_PEEK_RECORDS: usize = 1024;
/// A chunk is full at this many bytes of record data...
const CHUNK_BYTES: usize = 512 * 1024;
/// ... or this many records.
const CHUNK_RECORDS: usize = 4096;

/// A reader with the bytes looked at to choose the format put back in front.
type Peeked<R> = io::Chain<io::Cursor<Vec<u8>>, EndOnce<R>>;

enum Source<R> {
    Csv(Box<CsvSource<R>>),
    Jsonl(JsonlSource<Peeked<R>>),
    JsonArray(JsonArraySource<Peeked<R>>),
}

impl<R: Read> Source<R> {
    fn read_record(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        match self {
            Source::Csv(source) => source.read_record(chunk),
            Source::Jsonl(source) => source.read_record(chunk),
            Source::JsonArray(source) => source.read_record(chunk),
        }
    }
}

/// Read up to the first byte that is not blank (nor a byte order mark); the bytes read so far
/// and that byte, if the input has one.
fn peek_first_byte<R: Read>(reader: &mut R) -> io::Result<(Vec<u8>, Option<u8>)> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = reader.read(&mut buffer)?;
        if read == 0 {
            return Ok((seen, None));
        }
        let from = seen.len();
        seen.extend_from_slice(&buffer[..read]);
        let body = if seen.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let first = seen[from.max(body)..].iter().find(|byte| !byte.is_ascii_whitespace()).copied();
        // A partial byte order mark at the very start is not content yet.
        if first.is_some() && !(seen.len() < 3 && b"\xEF\xBB\xBF".starts_with(&seen)) {
            return Ok((seen, first));
        }
    }
}

/// An open table: the header is read and the selected columns are checked.
pub struct Table<R> {
    source: Source<R>,
    layout: Layout,
    format: TableFormat,
    /// Records read while opening (the first CSV row without a header, JSONL lines up to the
    /// first object), handed out by the first `read_chunk`.
    pending: Option<Chunk>,
    /// The input had no records and no header at all.
    empty: bool,
}

impl<R: Read> Table<R> {
    /// Open a table: read the header (or the first row or object), resolve the selection and
    /// fail with [`TableError::MissingColumn`] listing the columns if one does not exist. An
    /// empty input opens fine and has no rows.
    pub fn open(reader: R, options: &TableOptions) -> Result<Table<R>, TableError> {
        match options.format {
            TableFormat::Csv => Table::open_csv(reader, options),
            TableFormat::Jsonl => {
                let peeked = io::Cursor::new(Vec::new()).chain(EndOnce::new(reader));
                Table::open_json(Source::Jsonl(JsonlSource::new(peeked)), TableFormat::Jsonl, options)
            }
            TableFormat::Json => {
                let mut reader = EndOnce::new(reader);
                let (seen, first) = peek_first_byte(&mut reader)?;
                let peeked = io::Cursor::new(seen).chain(reader);
                if first == Some(b'[') {
                    let source = Source::JsonArray(JsonArraySource::new(peeked));
                    Table::open_json(source, TableFormat::Json, options)
                } else {
                    Table::open_json(Source::Jsonl(JsonlSource::new(peeked)), TableFormat::Jsonl, options)
                }
            }
        }
    }

    fn open_csv(reader: R, options: &TableOptions) -> Result<Table<R>, TableError> {
        let delimiter = u8::try_from(options.delimiter)
            .ok()
            .filter(|d| d.is_ascii() && !matches!(d, b'"' | b'\n' | b'\r'))
            .ok_or(TableError::BadDelimiter(options.delimiter))?;
        let mut source = CsvSource::new(reader, delimiter);
        let mut pending = None;
        let columns = if options.has_headers {
            source.read_header()?
        } else {
            let mut first = Chunk::default();
            if source.read_record(&mut first)? {
                let width = first.record(0).and_then(|r| r.csv_fields()).map_or(0, |f| f.len());
                pending = Some(first);
                Some((1..=width).map(|index| index.to_string()).collect())
            } else {
                None
            }
        };
        let (layout, empty) = match columns {
            Some(columns) => {
                (Layout::resolve(columns, !options.has_headers, true, &options.selection)?, false)
            }
            None => (Layout::empty(!options.has_headers), true),
        };
        Ok(Table { source: Source::Csv(Box::new(source)), layout, format: TableFormat::Csv, pending, empty })
    }

    /// Open JSONL or a JSON array: the columns are the keys of the first object.
    fn open_json(
        mut source: Source<R>,
        format: TableFormat,
        options: &TableOptions,
    ) -> Result<Table<R>, TableError> {
        let mut first = Chunk::default();
        let mut keys = None;
        while first.len() < JSONL_PEEK_RECORDS && source.read_record(&mut first)? {
            let line = first.record(first.len() - 1).and_then(|r| r.jsonl_line()).unwrap_or_default();
            if let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(line) {
                keys = Some(object.keys().cloned().collect::<Vec<_>>());
                break;
            }
        }
        let empty = first.is_empty();
        let layout = match keys {
            Some(keys) => Layout::resolve(keys, false, false, &options.selection)?,
            None if empty || options.selection.text.is_empty() => Layout::empty(false),
            // No object to learn the keys from: take the user's names on trust; rows without
            // them will say so.
            None => {
                let selection = &options.selection;
                let mut names: Vec<String> = selection.text.clone();
                names.extend(selection.title.iter().cloned());
                names.extend(selection.id.iter().cloned());
                names.extend(selection.extras.iter().map(|extra| extra.column.clone()));
                names.dedup();
                Layout::resolve(names, false, false, selection)?
            }
        };
        Ok(Table { source, layout, format, pending: Some(first), empty })
    }

    /// The resolved columns.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The table's format.
    pub fn format(&self) -> TableFormat {
        self.format
    }

    /// Whether a CSV input's first line ends with CRLF (or a bare CR), so CSV output can end its
    /// rows the same way. `false` for JSON input and for an empty input.
    pub fn crlf(&self) -> bool {
        match &self.source {
            Source::Csv(source) => source.crlf().unwrap_or(false),
            Source::Jsonl(_) | Source::JsonArray(_) => false,
        }
    }

    /// Whether the input was empty (no header, no records): there is nothing to classify.
    pub fn is_empty_input(&self) -> bool {
        self.empty
    }

    /// Bytes of input consumed so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        match &self.source {
            Source::Csv(source) => source.consumed(),
            Source::Jsonl(source) => source.consumed(),
            Source::JsonArray(source) => source.consumed(),
        }
    }

    /// Clear `chunk` and fill it with the next records (up to about half a megabyte); `false`
    /// when the input is exhausted and the chunk is empty.
    pub fn read_chunk(&mut self, chunk: &mut Chunk) -> Result<bool, TableError> {
        chunk.clear();
        if let Some(pending) = self.pending.take() {
            *chunk = pending;
        }
        while chunk.len() < CHUNK_RECORDS && chunk.data_bytes() < CHUNK_BYTES {
            if !self.source.read_record(chunk)? {
                break;
            }
        }
        Ok(!chunk.is_empty())
    }

    /// All rows as owned values, in order. Stops after the first [`TableError`].
    pub fn rows(self) -> Rows<R> {
        Rows { table: self, chunk: Chunk::default(), next: 0, failed: false }
    }
}

/// The input columns of one record, decoded, and the request fields can borrow from them.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub number: u64,
    pub line: u64,
    /// CSV fields past the header's width, joined into the last column (the row is classified).
    pub extra_fields: usize,
    pub values: Values<'a>,
    problem: Option<RowError>,
}

/// A record's input columns, ready to be written back.
#[derive(Debug)]
pub enum Values<'a> {
    /// CSV fields (all valid UTF-8 unless the row has a problem).
    Csv(CsvFields<'a>),
    /// A JSONL object, keys in input order.
    Json(Map<String, Value>),
    /// A JSONL line that is not a JSON object.
    Unreadable(&'a [u8]),
}

/// The parts of a request taken from one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFields<'a> {
    /// The title column's text, when there is a title column.
    pub title: Option<Cow<'a, str>>,
    /// The text columns joined with a blank line.
    pub body: Cow<'a, str>,
    /// The id column's text, when there is an id column.
    pub id: Option<Cow<'a, str>>,
    /// The extra columns' text, in the order they were selected (empty when absent).
    pub extras: Vec<Cow<'a, str>>,
}

impl RequestFields<'_> {
    /// The request to classify: the title (title field weight) then the body. `batch` and
    /// `eval` both build requests here, so they reach the same verdict for the same row.
    pub fn request(&self) -> Request<'_> {
        let mut request = Request::default();
        if let Some(title) = &self.title {
            request.push(Field::Title, title.as_ref());
        }
        request.push(Field::Body, self.body.as_ref());
        request
    }

    /// Detach the fields from the record they borrow.
    pub fn into_owned(self) -> RequestFields<'static> {
        let own = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        RequestFields {
            title: self.title.map(own),
            body: own(self.body),
            id: self.id.map(own),
            extras: self.extras.into_iter().map(own).collect(),
        }
    }
}

impl<'a> Record<'a> {
    /// Check and decode the record: CSV fields must be UTF-8, a JSONL line must be an object.
    /// Problems found here or while reading are kept and returned by [`Decoded::fields`].
    pub fn decode(&self, layout: &Layout) -> Decoded<'a> {
        let mut problem = self.problem.cloned();
        let values = match self.body {
            RecordBody::Csv(fields) => match fields.checked() {
                Ok(checked) => Values::Csv(checked),
                Err((index, offset)) => {
                    if problem.is_none() {
                        let column = Some(column_name(layout, index));
                        problem = Some(RowError::InvalidUtf8 { column, offset });
                    }
                    Values::Csv(fields)
                }
            },
            // The reader already knows this one is broken (a JSON array cut off or broken there).
            RecordBody::Jsonl(line) if problem.is_some() => Values::Unreadable(line),
            RecordBody::Jsonl(line) => match std::str::from_utf8(line) {
                Err(err) => {
                    problem = Some(RowError::InvalidUtf8 { column: None, offset: err.valid_up_to() });
                    Values::Unreadable(line)
                }
                Ok(text) => match serde_json::from_str::<Value>(text) {
                    Ok(Value::Object(object)) => Values::Json(object),
                    Ok(other) => {
                        problem = Some(RowError::NotObject(JsonKind::of(&other)));
                        Values::Unreadable(line)
                    }
                    Err(err) => {
                        problem = Some(RowError::BadJson(err.to_string()));
                        Values::Unreadable(line)
                    }
                },
            },
        };
        Decoded { number: self.number, line: self.line, extra_fields: self.extra_fields, values, problem }
    }
}

fn column_name(layout: &Layout, index: usize) -> String {
    layout.columns().get(index).cloned().unwrap_or_else(|| (index + 1).to_string())
}

impl Decoded<'_> {
    /// The request fields of this row, or why it has none. A missing JSONL text key is an
    /// error; a missing title, id or extra key reads as absent or empty.
    pub fn fields<'s>(&'s self, layout: &Layout) -> Result<RequestFields<'s>, RowError> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        // `text`: a text or title field, which must be a string or `null` (a number or boolean
        // there is most likely the wrong key); an id or extra field may be any scalar.
        let read = |index: usize, required: bool, text: bool| -> Result<Option<Cow<'s, str>>, RowError> {
            match &self.values {
                Values::Csv(fields) => Ok(fields.get_str(index).map(Cow::Borrowed)),
                // The key is only copied for an error: this runs for every field of every row.
                Values::Json(object) => match layout.columns().get(index).and_then(|key| object.get(key)) {
                    None if required => Err(RowError::MissingField { key: column_name(layout, index) }),
                    None => Ok(None),
                    Some(value) => json_text(value)
                        .filter(|_| !text || matches!(value, Value::String(_) | Value::Null))
                        .map(Some)
                        .ok_or_else(|| RowError::NotText {
                            key: column_name(layout, index),
                            found: JsonKind::of(value),
                        }),
                },
                Values::Unreadable(_) => Ok(None),
            }
        };
        let get = |index: usize, required: bool| read(index, required, true);
        let body = match layout.text() {
            [] => Cow::Borrowed(""),
            [single] => get(*single, true)?.unwrap_or_default(),
            several => {
                let mut body = String::new();
                for (position, &index) in several.iter().enumerate() {
                    if position > 0 {
                        body.push_str("\n\n");
                    }
                    body.push_str(&get(index, true)?.unwrap_or_default());
                }
                Cow::Owned(body)
            }
        };
        let title = layout.title().map(|index| get(index, false)).transpose()?.flatten();
        let id = layout.id().map(|index| read(index, false, false)).transpose()?.flatten();
        let extras = layout
            .extras()
            .iter()
            .map(|&index| read(index, false, false).map(Option::unwrap_or_default))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RequestFields { title, body, id, extras })
    }

    /// The value of the input column at `index` as text, if the record has it.
    pub fn cell(&self, layout: &Layout, index: usize) -> Option<String> {
        match &self.values {
            Values::Csv(fields) => fields.get(index).map(|bytes| String::from_utf8_lossy(bytes).into_owned()),
            Values::Json(object) => object.get(layout.columns().get(index)?).map(json_cell),
            Values::Unreadable(_) => None,
        }
    }

    /// Every input column's value as text, in input order: CSV fields (lossily decoded), JSON
    /// values (strings as they are, `null` and missing keys empty, others as JSON).
    pub fn texts(&self, layout: &Layout) -> Vec<String> {
        match &self.values {
            Values::Csv(fields) => {
                fields.iter().map(|bytes| String::from_utf8_lossy(bytes).into_owned()).collect()
            }
            Values::Json(object) => layout
                .columns()
                .iter()
                .map(|key| object.get(key).map(json_cell).unwrap_or_default())
                .collect(),
            Values::Unreadable(_) => Vec::new(),
        }
    }
}

/// The text of a JSON value used as request text: strings as they are, `null` empty, numbers
/// and booleans as written; `None` for arrays and objects.
fn json_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Null => Some(Cow::Borrowed("")),
        Value::Bool(_) | Value::Number(_) => Some(Cow::Owned(value.to_string())),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A JSON value as one table cell: like [`json_text`], with arrays and objects as JSON.
pub fn json_cell(value: &Value) -> String {
    json_text(value).map_or_else(|| value.to_string(), Cow::into_owned)
}

/// One row, owned: its numbers, every input column as text and the request fields or the
/// reason it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based record number.
    pub number: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// Every input column's value, in input order (see [`Decoded::texts`]).
    pub values: Vec<String>,
    /// CSV fields past the header's width, joined into the last column (see [`Record`]).
    pub extra_fields: usize,
    pub fields: Result<RequestFields<'static>, RowError>,
}

/// The iterator of [`Table::rows`].
pub struct Rows<R> {
    table: Table<R>,
    chunk: Chunk,
    next: usize,
    failed: bool,
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Result<Row, TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        if self.next >= self.chunk.len() {
            self.next = 0;
            match self.table.read_chunk(&mut self.chunk) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
        }
        let record = self.chunk.record(self.next)?;
        self.next += 1;
        let layout = &self.table.layout;
        let decoded = record.decode(layout);
        Some(Ok(Row {
            number: decoded.number,
            line: decoded.line,
            extra_fields: decoded.extra_fields,
            values: decoded.texts(layout),
            fields: decoded.fields(layout).map(RequestFields::into_owned),
        }))
    }
}

#[cfg(test)]
mod tests;
