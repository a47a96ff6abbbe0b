//! Batch output rows: every input column, in input order, then `owner`, `status`, `score` and
//! `reasons` (and, in JSON, the full evidence). Rows are written into byte buffers, one buffer
//! per chunk, so worker threads format in parallel and the writer only copies bytes out.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::classify::Verdict;
use crate::output::{json, push_number, push_reasons};
use crate::rules::RuleSet;
use crate::table::{json_cell, Decoded, Layout, RowError, TableFormat, Values};

/// The output formats of `triage batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// CSV (with the input's delimiter when the input is CSV).
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One JSON array of objects.
    Json,
}

/// The verdict columns added to each row, before renaming on collision.
pub const ADDED_COLUMNS: [&str; 4] = ["owner", "status", "score", "reasons"];

/// What became of one row: a verdict, or the reason it could not be read.
#[derive(Debug)]
pub enum RowOutcome<'a> {
    Verdict(&'a Verdict),
    Error(&'a RowError),
}

/// Formats batch rows for one run: knows the input columns, the added column names and the
/// output format. Shared by all worker threads.
#[derive(Debug, Clone)]
pub struct RowWriter {
    format: OutputFormat,
    delimiter: u8,
    header: bool,
    columns: Vec<String>,
    /// A unique JSON key for each input column (see [`super::names`]).
    keys: Vec<String>,
    added: [String; 4],
    /// The JSON key of the evidence (`evidence`, or prefixed on collision).
    evidence: String,
    /// End CSV rows with CRLF (the input's line ending) instead of LF.
    crlf: bool,
}

impl RowWriter {
    /// A writer for rows read with `layout` from a `input` table. `delimiter` is used for CSV
    /// output from CSV input (JSONL input gives comma-separated CSV); `header` says whether CSV
    /// output starts with a header row (not when the input had none). Added columns and repeated
    /// header names are named by the one rule of [`super::names`], so no column is lost.
    pub fn new(format: OutputFormat, input: TableFormat, layout: &Layout, delimiter: u8) -> RowWriter {
        let columns = layout.columns().to_vec();
        let [owner, status, score, reasons] = ADDED_COLUMNS;
        let names = super::names::output_names(&columns, &[owner, status, score, reasons, "evidence"]);
        let mut added = names.added.into_iter();
        let mut next = || added.next().unwrap_or_default();
        let added = [next(), next(), next(), next()];
        let evidence = next();
        let delimiter = if input == TableFormat::Csv { delimiter } else { b',' };
        RowWriter {
            format,
            delimiter,
            header: !layout.by_index(),
            columns,
            keys: names.keys,
            added,
            evidence,
            crlf: false,
        }
    }

    /// End CSV rows with CRLF, as the input's did (see [`Table::crlf`](crate::table::Table::crlf)),
    /// instead of LF.
    pub fn with_crlf(mut self, crlf: bool) -> RowWriter {
        self.crlf = crlf;
        self
    }

    /// The CSV delimiter of the output (and of a CSV input).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// What comes before the rows: the CSV header, or `[` for a JSON array.
    pub fn begin(&self, out: &mut Vec<u8>) -> io::Result<()> {
        match self.format {
            OutputFormat::Csv if self.header => {
                let mut writer = self.csv_writer(out);
                writer.write_record(self.columns.iter().chain(self.added.iter()))?;
                writer.flush()
            }
            OutputFormat::Json => out.write_all(b"["),
            OutputFormat::Csv | OutputFormat::Jsonl => Ok(()),
        }
    }

    /// What comes after the rows: `]` for a JSON array.
    pub fn end(&self, out: &mut impl Write) -> io::Result<()> {
        match self.format {
            OutputFormat::Json => out.write_all(b"\n]\n"),
            OutputFormat::Csv | OutputFormat::Jsonl => Ok(()),
        }
    }

    fn csv_writer<'o>(&self, out: &'o mut Vec<u8>) -> csv::Writer<&'o mut Vec<u8>> {
        let terminator = if self.crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(terminator)
            .buffer_capacity(64 * 1024)
            .from_writer(out)
    }

    /// Start writing the rows of one chunk into `out`; `first_chunk` says whether they are the
    /// first rows of the output (no JSON array separator before the first).
    pub fn rows<'o>(&'o self, out: &'o mut Vec<u8>, first_chunk: bool) -> ChunkRows<'o> {
        let sink = match self.format {
            OutputFormat::Csv => Sink::Csv(Box::new(self.csv_writer(out))),
            OutputFormat::Jsonl | OutputFormat::Json => Sink::Bytes(out),
        };
        ChunkRows {
            writer: self,
            sink,
            cells: Vec::new(),
            unlisted: 0,
            score: String::new(),
            why: String::new(),
            separate: !first_chunk,
        }
    }
}

enum Sink<'o> {
    Csv(Box<csv::Writer<&'o mut Vec<u8>>>),
    Bytes(&'o mut Vec<u8>),
}

/// Rows being written into one chunk's buffer; call [`ChunkRows::finish`] at the end.
pub struct ChunkRows<'o> {
    writer: &'o RowWriter,
    sink: Sink<'o>,
    /// Reused cells for rows that need converting (JSONL input to CSV output).
    cells: Vec<String>,
    /// Rows whose JSON keys are not all columns of the CSV output.
    unlisted: u64,
    /// Reused buffers for the score and reasons of the current row.
    score: String,
    why: String,
    /// Whether the next JSON array element follows another one (and needs a comma).
    separate: bool,
}

impl ChunkRows<'_> {
    /// Write one row: the record's input columns and its outcome.
    pub fn write(
        &mut self,
        decoded: Decoded<'_>,
        outcome: RowOutcome<'_>,
        rules: &RuleSet,
    ) -> io::Result<()> {
        self.score.clear();
        self.why.clear();
        let (owner, status) = match outcome {
            RowOutcome::Verdict(verdict) => {
                push_number(&mut self.score, verdict.score);
                push_reasons(&mut self.why, verdict, rules);
                (verdict.owner.map(|index| rules.functions[index].id.as_str()), verdict.status.as_str())
            }
            RowOutcome::Error(error) => {
                let _ = write!(self.why, "{error}");
                (None, "error")
            }
        };
        let (score, why) = (self.score.as_str(), self.why.as_str());
        let width = self.writer.columns.len();
        match &mut self.sink {
            Sink::Csv(csv) => {
                let added = [owner.unwrap_or(""), status, score, why];
                match &decoded.values {
                    Values::Csv(fields) => {
                        // Short rows are padded and long rows cut to the header's width, so the
                        // output stays rectangular; the row's reason says it was ragged.
                        let input = fields.iter().chain(std::iter::repeat(&b""[..])).take(width);
                        csv.write_record(input.chain(added.iter().map(|s| s.as_bytes())))
                    }
                    values => {
                        self.cells.clear();
                        match values {
                            Values::Json(object) => {
                                let columns = &self.writer.columns;
                                if object.keys().any(|key| !columns.contains(key)) {
                                    self.unlisted += 1;
                                }
                                self.cells.extend(
                                    columns
                                        .iter()
                                        .map(|key| object.get(key).map(json_cell).unwrap_or_default()),
                                );
                            }
                            // An unreadable JSONL line is kept whole in the first column (JSON
                            // output keeps it under `input`), so its content is not lost.
                            Values::Unreadable(line) => {
                                self.cells.push(String::from_utf8_lossy(line).into_owned());
                            }
                            Values::Csv(_) => {}
                        }
                        self.cells.resize(width, String::new());
                        csv.write_record(self.cells.iter().map(String::as_str).chain(added))
                    }
                }
                .map_err(csv_error)
            }
            Sink::Bytes(out) => {
                let mut object = match decoded.values {
                    Values::Json(object) => object,
                    Values::Csv(fields) => {
                        let mut object = Map::new();
                        for (index, name) in self.writer.keys.iter().enumerate() {
                            let value = fields.get(index).map_or(Value::Null, |bytes| {
                                String::from_utf8_lossy(bytes).into_owned().into()
                            });
                            object.insert(name.clone(), value);
                        }
                        object
                    }
                    Values::Unreadable(line) => {
                        let mut object = Map::new();
                        object.insert("input".into(), String::from_utf8_lossy(line).into_owned().into());
                        object
                    }
                };
                let [owner_key, status_key, score_key, reasons_key] = &self.writer.added;
                object.insert(owner_key.clone(), owner.map_or(Value::Null, Value::from));
                object.insert(status_key.clone(), status.into());
                let score_value = match outcome {
                    RowOutcome::Verdict(verdict) => Value::from(verdict.score),
                    RowOutcome::Error(_) => Value::Null,
                };
                object.insert(score_key.clone(), score_value);
                object.insert(reasons_key.clone(), why.into());
                let evidence = match outcome {
                    RowOutcome::Verdict(verdict) => json::verdict(verdict, rules),
                    RowOutcome::Error(_) => Value::Null,
                };
                object.insert(self.writer.evidence.clone(), evidence);
                if self.writer.format == OutputFormat::Json {
                    out.extend_from_slice(if self.separate { b",\n" } else { b"\n" });
                    self.separate = true;
                }
                serde_json::to_writer(&mut **out, &object)?;
                if self.writer.format == OutputFormat::Jsonl {
                    out.push(b'\n');
                }
                Ok(())
            }
        }
    }

    /// Flush the rows into the buffer. Returns how many rows had JSON keys that are not
    /// columns of the CSV output (the columns come from the first object), so the caller can
    /// say so instead of dropping them silently.
    pub fn finish(self) -> io::Result<u64> {
        match self.sink {
            Sink::Csv(mut csv) => csv.flush().map(|()| self.unlisted),
            Sink::Bytes(_) => Ok(0),
        }
    }
}

fn csv_error(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}
