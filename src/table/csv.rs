//! CSV records straight into a [`Chunk`] with `csv_core`, the parser under the `csv` crate: no
//! per-row allocation, and the parser's own state tells us when the input ends inside quotes
//! (the `csv` crate silently accepts that).

use std::io::{self, BufRead, BufReader, Read};

use csv_core::{ReadRecordResult, Reader as CoreReader, ReaderBuilder};

use super::chunk::{Chunk, Meta};
use super::error::RowError;
use crate::input::EndOnce;

/// Bytes read from the input at a time.
const INPUT_BUFFER: usize = 256 * 1024;

/// A CSV reader that appends records to chunks and checks each against the expected width.
pub(super) struct CsvSource<R> {
    core: CoreReader,
    input: BufReader<EndOnce<R>>,
    /// Width of the header or the first row: rows of another width are errors.
    pub expected: Option<usize>,
    /// Data records read so far (the header is not one).
    records: u64,
    consumed: u64,
    /// The raw bytes of the record being read, to check its quotes if the input ends in it.
    raw: Vec<u8>,
    /// Blank lines skipped here, before the parser (which skips them without counting them).
    blank_lines: u64,
    delimiter: u8,
    /// Whether the first record ended with CR (CRLF): the output then ends rows the same way.
    crlf: Option<bool>,
}

impl<R: Read> CsvSource<R> {
    pub fn new(reader: R, delimiter: u8) -> CsvSource<R> {
        let core = ReaderBuilder::new().delimiter(delimiter).build();
        CsvSource {
            core,
            input: BufReader::with_capacity(INPUT_BUFFER, EndOnce::new(reader)),
            expected: None,
            records: 0,
            consumed: 0,
            raw: Vec::new(),
            blank_lines: 0,
            delimiter,
            crlf: None,
        }
    }

    /// Bytes of input consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Read the header row: its fields, lossily decoded. `None` for empty input.
    pub fn read_header(&mut self) -> io::Result<Option<Vec<String>>> {
        let mut chunk = Chunk::default();
        if !self.read_raw(&mut chunk)? {
            return Ok(None);
        }
        let names: Vec<String> = chunk
            .record(0)
            .and_then(|record| record.csv_fields())
            .map(|fields| fields.iter().map(|field| String::from_utf8_lossy(field).into_owned()).collect())
            .unwrap_or_default();
        self.expected = Some(names.len());
        Ok(Some(names))
    }

    /// Whether the input's first line ended with CRLF (or a bare CR); `None` before any record.
    pub fn crlf(&self) -> Option<bool> {
        self.crlf
    }

    /// Append the next data record to `chunk`; `false` at the end of the input. A record with
    /// fewer fields than expected is a row error. One with more keeps them all: the fields past
    /// the last column are joined into it with the delimiter (the usual cause is an unquoted
    /// delimiter in free text), so the row is classified and nothing is cut.
    pub fn read_record(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        if !self.read_raw(chunk)? {
            return Ok(false);
        }
        self.records += 1;
        let Some(meta) = chunk.records.last_mut() else { return Ok(true) };
        meta.number = self.records;
        let found = meta.ends.1 - meta.ends.0;
        let expected = *self.expected.get_or_insert(found);
        if meta.problem.is_some() || found == expected {
            return Ok(true);
        }
        if found < expected || expected == 0 {
            meta.problem = Some(RowError::FieldCount { found, expected });
            return Ok(true);
        }
        meta.extra_fields = found - expected;
        join_extra_fields(chunk, expected, self.delimiter);
        Ok(true)
    }

    fn read_raw(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        self.skip_blank_lines()?;
        let line = self.core.line() + self.blank_lines;
        let (data_start, ends_start) = (chunk.data_len, chunk.ends_len);
        let (mut out, mut ends) = (data_start, ends_start);
        chunk.reserve(out + 4096, ends + 64);
        let mut unterminated = false;
        self.raw.clear();
        loop {
            let input = self.input.fill_buf()?;
            if input.is_empty()
                && (out > data_start || ends > ends_start)
                && ends_inside_quotes(&self.raw, self.delimiter)
            {
                unterminated = true;
            }
            let (result, read, written, ended) =
                self.core.read_record(input, &mut chunk.data[out..], &mut chunk.ends[ends..]);
            // csv_core ends a record at the CR of a CRLF (the LF is skipped before the next one).
            let ended_with_cr = read > 0 && input[read - 1] == b'\r';
            if !matches!(result, ReadRecordResult::Record | ReadRecordResult::End) {
                // Kept only while a record is unfinished: needed if the input ends inside it.
                self.raw.extend_from_slice(&input[..read]);
            }
            self.input.consume(read);
            self.consumed += read as u64;
            out += written;
            ends += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => chunk.reserve(chunk.data.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => chunk.reserve(0, chunk.ends.len() * 2),
                ReadRecordResult::Record => {
                    if self.crlf.is_none() {
                        self.crlf = Some(ended_with_cr);
                    }
                    chunk.data_len = out;
                    chunk.ends_len = ends;
                    chunk.records.push(Meta {
                        number: 0,
                        line,
                        data: (data_start, out),
                        ends: (ends_start, ends),
                        problem: unterminated.then_some(RowError::UnterminatedQuote),
                        extra_fields: 0,
                    });
                    return Ok(true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// Consume the line breaks before a record, counting them, so a record's line number is right.
    fn skip_blank_lines(&mut self) -> io::Result<()> {
        loop {
            let input = self.input.fill_buf()?;
            let breaks = input.iter().take_while(|&&byte| byte == b'\n' || byte == b'\r').count();
            if breaks == 0 {
                return Ok(());
            }
            self.blank_lines += input[..breaks].iter().filter(|&&byte| byte == b'\n').count() as u64;
            self.input.consume(breaks);
            self.consumed += breaks as u64;
        }
    }
}

/// Make the last record of `chunk`, which has more than `width` fields, a record of `width`
/// fields: the fields from the last column on become one, joined with `delimiter`.
fn join_extra_fields(chunk: &mut Chunk, width: usize, delimiter: u8) {
    let Some(meta) = chunk.records.last() else { return };
    let ((data_start, data_end), (ends_start, ends_end)) = (meta.data, meta.ends);
    let ends: Vec<usize> = chunk.ends[ends_start + width - 1..ends_end].to_vec();
    let joined_start = data_start + if width == 1 { 0 } else { chunk.ends[ends_start + width - 2] };
    let mut joined = Vec::with_capacity(data_end - joined_start + ends.len());
    let mut field_start = joined_start;
    for (position, &end) in ends.iter().enumerate() {
        if position > 0 {
            joined.push(delimiter);
        }
        joined.extend_from_slice(&chunk.data[field_start..data_start + end]);
        field_start = data_start + end;
    }
    let new_end = joined_start + joined.len();
    chunk.reserve(new_end, 0);
    chunk.data[joined_start..new_end].copy_from_slice(&joined);
    chunk.ends[ends_start + width - 1] = new_end - data_start;
    if let Some(meta) = chunk.records.last_mut() {
        meta.data.1 = new_end;
        meta.ends.1 = ends_start + width;
    }
    chunk.data_len = new_end;
    chunk.ends_len = ends_start + width;
}

/// Does `raw`, the bytes of a record the input ends in, end inside a quoted field? Parse it
/// again with `csv_core`'s NFA parser (whose state survives a clone, unlike the DFA's) and ask
/// a copy: `x\n` ends the record unless a quote is still open.
fn ends_inside_quotes(raw: &[u8], delimiter: u8) -> bool {
    let mut parser = ReaderBuilder::new().delimiter(delimiter).nfa(true).build();
    let mut output = vec![0u8; raw.len() + 16];
    let mut ends = vec![0usize; raw.len() + 2];
    let (result, ..) = parser.read_record(raw, &mut output, &mut ends);
    if result != ReadRecordResult::InputEmpty {
        return false; // the record ended before the end of the input
    }
    let mut probe = parser.clone();
    let (result, ..) = probe.read_record(b"x\n", &mut output, &mut ends);
    result != ReadRecordResult::Record
}
