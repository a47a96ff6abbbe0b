//! Classify a whole table in parallel with flat memory: a reader thread fills chunks from a small
//! fixed pool, worker threads classify them and format their output rows, and the caller's
//! thread writes the chunks' output in input order and hands the buffers back to the pool.
//! However large the input, at most the pool's chunks are in memory.

pub mod names;
pub mod write;

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use crate::classify::{Classifier, Status, Verdict};
use crate::table::{Chunk, Decoded, Layout, RowError, Table, TableError};
use write::{RowOutcome, RowWriter};

/// A row that could not be read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    /// 1-based record number.
    pub number: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// The row's id column, when there is one and it could be read.
    pub id: Option<String>,
    pub error: RowError,
}

impl std::fmt::Display for RowReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {} (line {}", self.number, self.line)?;
        if let Some(id) = &self.id {
            write!(f, ", id {id:?}")?;
        }
        write!(f, "): {}", self.error)
    }
}

/// Counts over a run: rows, owners, statuses, errors, bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    /// Rows that could not be read (status `error`).
    pub errors: u64,
    /// Rows owned by each function, in rule-file order (assigned or mixed).
    pub owners: Vec<u64>,
    /// Rows per status: assigned, mixed, unassigned.
    pub assigned: u64,
    pub mixed: u64,
    pub unassigned: u64,
    /// Input bytes read.
    pub bytes: u64,
    /// Rows with JSON keys that have no column in CSV output (see [`write::ChunkRows::finish`]).
    pub unlisted_keys: u64,
    /// CSV rows with more fields than the header, classified with the extra fields joined into
    /// the last column.
    pub extra_fields: u64,
}

impl Summary {
    fn count(&mut self, verdict: &Verdict) {
        if let Some(owner) = verdict.owner {
            self.owners[owner] += 1;
        }
        match verdict.status {
            Status::Assigned => self.assigned += 1,
            Status::Mixed => self.mixed += 1,
            Status::Unassigned => self.unassigned += 1,
        }
    }

    fn add(&mut self, other: &Summary) {
        self.rows += other.rows;
        self.errors += other.errors;
        if self.owners.len() < other.owners.len() {
            self.owners.resize(other.owners.len(), 0);
        }
        for (mine, theirs) in self.owners.iter_mut().zip(&other.owners) {
            *mine += theirs;
        }
        self.assigned += other.assigned;
        self.mixed += other.mixed;
        self.unassigned += other.unassigned;
        self.unlisted_keys += other.unlisted_keys;
        self.extra_fields += other.extra_fields;
    }
}

/// Why a batch run stopped.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Reading the table failed.
    #[error(transparent)]
    Table(#[from] TableError),
    /// Writing the output failed (a closed pipe included).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// `--strict`: the first row that could not be read.
    #[error("{0}")]
    Strict(RowReport),
}

/// How to run a batch.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// Worker threads (at least one).
    pub threads: usize,
    /// Stop at the first unreadable row.
    pub strict: bool,
}

impl Default for BatchOptions {
    fn default() -> BatchOptions {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        BatchOptions { threads, strict: false }
    }
}

/// What the caller hears about while a batch runs (on the calling thread, in input order).
pub trait Progress {
    /// A row could not be read; it is written with status `error`.
    fn row_error(&mut self, report: &RowReport);
    /// A row was read with a problem it survived (more fields than the header): it is
    /// classified and written, and the report says how.
    fn row_warning(&mut self, report: &RowReport);
    /// Output was written up to `rows` rows, after reading `bytes` bytes of input.
    fn advanced(&mut self, rows: u64, bytes: u64);
}

/// A chunk of records with its output buffer: the unit that travels between threads.
struct Work {
    sequence: u64,
    chunk: Chunk,
    output: Vec<u8>,
    summary: Summary,
    errors: Vec<RowReport>,
    warnings: Vec<RowReport>,
    /// Formatting a row failed (a bug): the run stops when this chunk's turn comes.
    failed: Option<io::Error>,
    /// Input bytes read when this chunk was complete.
    bytes: u64,
}

/// Classify every record of `table` and write one output row per record to `out`, in input
/// order, with `writer`'s format. Returns the counts, or the first error that stopped the run
/// (what was written before it stays written: callers that need all-or-nothing write to a
/// temporary file).
pub fn run<R, W, P>(
    table: Table<R>,
    classifier: &Classifier,
    writer: &RowWriter,
    out: &mut W,
    options: BatchOptions,
    progress: &mut P,
) -> Result<Summary, BatchError>
where
    R: Read + Send,
    W: Write,
    P: Progress,
{
    let mut head = Vec::new();
    writer.begin(&mut head)?;
    out.write_all(&head)?;
    let threads = options.threads.max(1);
    let pool_size = threads * 2 + 2;
    let (free_tx, free_rx) = sync_channel::<Work>(pool_size);
    for _ in 0..pool_size {
        let work = Work {
            sequence: 0,
            chunk: Chunk::default(),
            output: Vec::new(),
            summary: Summary::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
            failed: None,
            bytes: 0,
        };
        // The channel holds exactly the pool: this cannot block or fail.
        let _ = free_tx.send(work);
    }
    let (todo_tx, todo_rx) = sync_channel::<Work>(pool_size);
    let (done_tx, done_rx) = sync_channel::<Work>(pool_size);
    // Only the workers hold the receiver: when they stop, the reader's sends fail and it stops.
    let todo_rx = Arc::new(Mutex::new(todo_rx));
    let layout = table.layout().clone();

    std::thread::scope(|scope| {
        let reader = scope.spawn(|| read_chunks(table, free_rx, todo_tx));
        for _ in 0..threads {
            let (todo_rx, done_tx, layout) = (Arc::clone(&todo_rx), done_tx.clone(), &layout);
            let strict = options.strict;
            scope.spawn(move || classify_chunks(&todo_rx, done_tx, classifier, writer, layout, strict));
        }
        drop((todo_rx, done_tx));
        let written = write_in_order(done_rx, free_tx, out, options, progress);
        // Stopping early drops the channels above, which ends the other threads.
        let read = reader.join().unwrap_or_else(|_| Err(TableError::Io(io::Error::other("reader panicked"))));
        let outcome = written.and_then(|mut summary| {
            summary.bytes = read?;
            Ok(summary)
        });
        // Rows written before a bad row (`--strict`) or an unreadable input stay a complete
        // document: a JSON array gets its `]`. A failed write has nothing to close.
        if !matches!(outcome, Err(BatchError::Io(_))) {
            writer.end(out)?;
        }
        out.flush()?;
        outcome
    })
}

/// Read chunks until the input ends or the writer stops; returns the bytes read.
fn read_chunks<R: Read>(
    mut table: Table<R>,
    free: Receiver<Work>,
    todo: SyncSender<Work>,
) -> Result<u64, TableError> {
    let mut sequence = 0;
    while let Ok(mut work) = free.recv() {
        if !table.read_chunk(&mut work.chunk)? {
            break;
        }
        work.sequence = sequence;
        work.bytes = table.bytes_read();
        sequence += 1;
        if todo.send(work).is_err() {
            break;
        }
    }
    Ok(table.bytes_read())
}

fn classify_chunks(
    todo: &Mutex<Receiver<Work>>,
    done: SyncSender<Work>,
    classifier: &Classifier,
    writer: &RowWriter,
    layout: &Layout,
    strict: bool,
) {
    loop {
        let next = match todo.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(mut work) = next else { return };
        classify_chunk(&mut work, classifier, writer, layout, strict);
        if done.send(work).is_err() {
            return;
        }
    }
}

/// Classify and format one chunk. With `strict`, formatting stops before the first bad row, so
/// the output holds exactly the rows before it.
fn classify_chunk(
    work: &mut Work,
    classifier: &Classifier,
    writer: &RowWriter,
    layout: &Layout,
    strict: bool,
) {
    let rules = classifier.rules();
    work.output.clear();
    work.errors.clear();
    work.warnings.clear();
    work.failed = None;
    work.summary = Summary { owners: vec![0; rules.functions.len()], ..Summary::default() };
    let summary = &mut work.summary;
    let mut rows = writer.rows(&mut work.output, work.sequence == 0);
    for record in work.chunk.records() {
        let decoded = record.decode(layout);
        summary.rows += 1;
        if decoded.extra_fields > 0 {
            let report = extra_fields_report(&decoded, layout, writer.delimiter());
            if strict {
                let (found, expected) =
                    (layout.columns().len() + decoded.extra_fields, layout.columns().len());
                summary.errors += 1;
                work.errors.push(RowReport { error: RowError::FieldCount { found, expected }, ..report });
                break;
            }
            summary.extra_fields += 1;
            work.warnings.push(report);
        }
        let written = match decoded.fields(layout) {
            Ok(fields) => {
                let verdict = classifier.classify(&fields.request());
                summary.count(&verdict);
                rows.write(decoded, RowOutcome::Verdict(&verdict), rules)
            }
            Err(error) => {
                summary.errors += 1;
                let id = layout.id().and_then(|index| decoded.cell(layout, index));
                let report = RowReport { number: decoded.number, line: decoded.line, id, error };
                if strict {
                    work.errors.push(report);
                    break;
                }
                let written = rows.write(decoded, RowOutcome::Error(&report.error), rules);
                work.errors.push(report);
                written
            }
        };
        if let Err(err) = written {
            work.failed = Some(err);
            break;
        }
    }
    match rows.finish() {
        Ok(unlisted) => work.summary.unlisted_keys = unlisted,
        Err(err) => work.failed = work.failed.take().or(Some(err)),
    }
}

/// The report of a row with more fields than the header. Under `--strict` it is the first bad
/// row (as a field-count error, since nothing is joined for the user there).
fn extra_fields_report(decoded: &Decoded<'_>, layout: &Layout, delimiter: u8) -> RowReport {
    let expected = layout.columns().len();
    let found = expected + decoded.extra_fields;
    let column = layout.columns().last().cloned().unwrap_or_default();
    let id = layout.id().and_then(|index| decoded.cell(layout, index));
    RowReport {
        number: decoded.number,
        line: decoded.line,
        id,
        error: RowError::ExtraFields { found, expected, column, delimiter },
    }
}

fn write_in_order<W: Write, P: Progress>(
    done: Receiver<Work>,
    free: SyncSender<Work>,
    out: &mut W,
    options: BatchOptions,
    progress: &mut P,
) -> Result<Summary, BatchError> {
    let mut summary = Summary::default();
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for work in done {
        waiting.insert(work.sequence, work);
        while let Some(mut work) = waiting.remove(&next) {
            next += 1;
            // Formatting into memory fails only on a bug; stop rather than write a broken row.
            if let Some(err) = work.failed.take() {
                return Err(BatchError::Io(err));
            }
            out.write_all(&work.output)?;
            // A strict chunk's output ends before its first bad row.
            if options.strict {
                if let Some(report) = work.errors.first() {
                    return Err(BatchError::Strict(report.clone()));
                }
            }
            // Both lists are in input order; a row is in one of them at most once each.
            let mut warnings = work.warnings.iter().peekable();
            for report in &work.errors {
                while let Some(warning) = warnings.next_if(|warning| warning.number < report.number) {
                    progress.row_warning(warning);
                }
                progress.row_error(report);
            }
            for warning in warnings {
                progress.row_warning(warning);
            }
            summary.add(&work.summary);
            progress.advanced(summary.rows, work.bytes);
            // The reader may have stopped; then the pool is no longer needed.
            let _ = free.send(work);
        }
    }
    Ok(summary)
}
