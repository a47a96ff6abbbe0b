//! The elements of a JSON array (`gh issue list --json ...`, most REST APIs) into a [`Chunk`],
//! one record each, streamed: memory holds a chunk of elements, never the array.
//!
//! This only finds where each element starts and ends (brackets and braces outside strings);
//! each element is then parsed by serde_json like a JSONL line, in whichever thread decodes the
//! record, so a malformed element is one `error` row and the rest go on. Arrays written one after
//! another (`gh api --paginate` prints one per page) are read as one.

use std::io::{self, BufRead, BufReader, Read};

use super::chunk::{Chunk, ChunkFormat, Meta};
use super::error::RowError;
use crate::input::EndOnce;

const INPUT_BUFFER: usize = 256 * 1024;

/// Where the reader is in the array's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// `[` (the input's first array), or the end of the input after an array.
    Array,
    /// The first element, or `]` for an empty array.
    FirstValue,
    /// An element (after a comma).
    Value,
    /// `,` or `]` after an element.
    CommaOrEnd,
    /// Nothing more: the input ended, or the array broke and the rest is not read.
    Nothing,
}

/// A JSON array reader that appends each element's bytes to chunks.
pub(super) struct JsonArraySource<R> {
    input: BufReader<EndOnce<R>>,
    expect: Expect,
    /// 1-based line of the next byte.
    line: u64,
    records: u64,
    consumed: u64,
}

impl<R: Read> JsonArraySource<R> {
    pub fn new(reader: R) -> JsonArraySource<R> {
        JsonArraySource {
            input: BufReader::with_capacity(INPUT_BUFFER, EndOnce::new(reader)),
            expect: Expect::Array,
            line: 1,
            records: 0,
            consumed: 0,
        }
    }

    /// Bytes of input consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Append the next element to `chunk`; `false` at the end of the input. Where the array is
    /// cut off or broken, the record is the element read so far (maybe empty) with a
    /// [`RowError`] naming the byte offset, and nothing after it is read.
    pub fn read_record(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        chunk.format = ChunkFormat::Jsonl;
        chunk.data.truncate(chunk.data_len);
        loop {
            let next = self.skip_blank()?;
            match (self.expect, next) {
                (Expect::Nothing, _) | (Expect::Array, None) => {
                    self.expect = Expect::Nothing;
                    return Ok(false);
                }
                (Expect::Array, Some(b'[')) => {
                    self.take(1);
                    self.expect = Expect::FirstValue;
                }
                (Expect::FirstValue | Expect::CommaOrEnd, Some(b']')) => {
                    self.take(1);
                    self.expect = Expect::Array;
                }
                (Expect::CommaOrEnd, Some(b',')) => {
                    self.take(1);
                    self.expect = Expect::Value;
                }
                (Expect::FirstValue | Expect::Value | Expect::CommaOrEnd, None) => {
                    let problem = RowError::ArrayCut { offset: self.consumed, inside: false };
                    return Ok(self.push(chunk, chunk.data.len(), self.line, Some(problem)));
                }
                (Expect::FirstValue | Expect::Value, Some(b)) if b != b']' && b != b',' => {
                    return self.read_element(chunk);
                }
                (expect, Some(found)) => {
                    let expected = match expect {
                        Expect::Array => "`[` or the end of the input after the array",
                        Expect::CommaOrEnd => "`,` or `]` after an element",
                        _ => "an element",
                    };
                    let problem = RowError::BrokenArray { offset: self.consumed, expected, found };
                    return Ok(self.push(chunk, chunk.data.len(), self.line, Some(problem)));
                }
            }
        }
    }

    /// Copy one element into the chunk: an object or array up to the bracket that closes it, any
    /// other value up to the `,` or `]` after it (outside strings).
    fn read_element(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        let (start, line) = (chunk.data.len(), self.line);
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                let problem = RowError::ArrayCut { offset: self.consumed, inside: true };
                return Ok(self.push(chunk, start, line, Some(problem)));
            }
            let mut end = None;
            let mut index = 0;
            while index < buffer.len() {
                let byte = buffer[index];
                if escaped {
                    escaped = false;
                } else if in_string {
                    // Skip to the next quote or backslash: most of an element is string.
                    match memchr::memchr2(b'"', b'\\', &buffer[index..]) {
                        Some(found) => {
                            index += found;
                            match buffer[index] {
                                b'"' => in_string = false,
                                _ => escaped = true,
                            }
                        }
                        None => index = buffer.len() - 1,
                    }
                } else {
                    match byte {
                        b'"' => in_string = true,
                        b'[' | b'{' => depth += 1,
                        // The bracket that closes an object or array element ends it; what
                        // follows must be `,` or `]`.
                        b']' | b'}' if depth > 0 => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(index + 1);
                                break;
                            }
                        }
                        // A number, string, `true` ... ends where the array goes on or closes.
                        b']' | b'}' | b',' if depth == 0 => {
                            end = Some(index);
                            break;
                        }
                        _ => {}
                    }
                }
                index += 1;
            }
            let taken = end.unwrap_or(buffer.len());
            chunk.data.extend_from_slice(&buffer[..taken]);
            self.take(taken);
            if end.is_some() {
                // Trailing blanks are not part of the element.
                while chunk.data.len() > start && chunk.data.last().is_some_and(u8::is_ascii_whitespace) {
                    chunk.data.pop();
                }
                self.expect = Expect::CommaOrEnd;
                return Ok(self.push(chunk, start, line, None));
            }
        }
    }

    /// Record `chunk.data[start..]` as the next element; a problem ends the reading.
    fn push(&mut self, chunk: &mut Chunk, start: usize, line: u64, problem: Option<RowError>) -> bool {
        if problem.is_some() {
            self.expect = Expect::Nothing;
        }
        self.records += 1;
        let end = chunk.data.len();
        chunk.data_len = end;
        chunk.records.push(Meta {
            number: self.records,
            line,
            data: (start, end),
            ends: (0, 0),
            problem,
            extra_fields: 0,
        });
        true
    }

    /// Consume blanks (and a byte order mark before the first array); the next byte, if any.
    fn skip_blank(&mut self) -> io::Result<Option<u8>> {
        loop {
            let at_start = self.consumed == 0;
            let buffer = self.input.fill_buf()?;
            if at_start && buffer.starts_with(b"\xEF\xBB\xBF") {
                self.take(3);
                continue;
            }
            let blanks = buffer.iter().take_while(|byte| byte.is_ascii_whitespace()).count();
            let next = buffer.get(blanks).copied();
            self.take(blanks);
            if next.is_some() || blanks == 0 {
                return Ok(next);
            }
        }
    }

    /// Consume `count` bytes of the buffer, counting lines.
    fn take(&mut self, count: usize) {
        if let Ok(buffer) = self.input.fill_buf() {
            let count = count.min(buffer.len());
            self.line += memchr::memchr_iter(b'\n', &buffer[..count]).count() as u64;
            self.input.consume(count);
            self.consumed += count as u64;
        }
    }
}
