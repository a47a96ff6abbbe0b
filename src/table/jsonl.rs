//! JSONL lines into a [`Chunk`]: the reader only splits lines (fast, sequential); parsing each
//! line as JSON happens later, in whichever thread decodes the record.

use std::io::{self, BufRead, BufReader, Read};

use super::chunk::{Chunk, ChunkFormat, Meta};
use crate::input::EndOnce;

const INPUT_BUFFER: usize = 256 * 1024;

/// A JSONL reader that appends non-blank lines to chunks.
pub(super) struct JsonlSource<R> {
    input: BufReader<EndOnce<R>>,
    line: u64,
    records: u64,
    consumed: u64,
}

impl<R: Read> JsonlSource<R> {
    pub fn new(reader: R) -> JsonlSource<R> {
        JsonlSource {
            input: BufReader::with_capacity(INPUT_BUFFER, EndOnce::new(reader)),
            line: 0,
            records: 0,
            consumed: 0,
        }
    }

    /// Bytes of input consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Append the next non-blank line to `chunk`; `false` at the end of the input.
    pub fn read_record(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        chunk.format = ChunkFormat::Jsonl;
        chunk.data.truncate(chunk.data_len);
        loop {
            let start = chunk.data.len();
            let read = self.input.read_until(b'\n', &mut chunk.data)?;
            if read == 0 {
                return Ok(false);
            }
            self.consumed += read as u64;
            self.line += 1;
            let mut end = chunk.data.len();
            if chunk.data[start..end].ends_with(b"\n") {
                end -= 1;
            }
            if chunk.data[start..end].ends_with(b"\r") {
                end -= 1;
            }
            let mut begin = start;
            if self.line == 1 && chunk.data[start..end].starts_with(b"\xEF\xBB\xBF") {
                begin += 3; // a UTF-8 byte order mark
            }
            if chunk.data[begin..end].iter().all(u8::is_ascii_whitespace) {
                chunk.data.truncate(start);
                continue;
            }
            chunk.data.truncate(end);
            chunk.data_len = end;
            self.records += 1;
            chunk.records.push(Meta {
                number: self.records,
                line: self.line,
                data: (begin, end),
                ends: (0, 0),
                problem: None,
                extra_fields: 0,
            });
            return Ok(true);
        }
    }
}
