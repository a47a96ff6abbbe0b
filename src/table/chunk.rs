//! A reusable block of records: all bytes in one buffer, positions in another, so reading a
//! million rows allocates nothing once the buffers have grown, and whole chunks can be handed to
//! worker threads and back.

use super::error::RowError;

/// Where one record's bytes are in its chunk, and what the reader already knows is wrong.
#[derive(Debug, Clone)]
pub(super) struct Meta {
    pub number: u64,
    pub line: u64,
    /// Byte range in `Chunk::data`: CSV fields back to back, or a JSONL line.
    pub data: (usize, usize),
    /// Range in `Chunk::ends` (CSV only): each field's end, relative to `data.0`.
    pub ends: (usize, usize),
    pub problem: Option<RowError>,
    /// CSV fields beyond the expected width, joined into the last field (see
    /// [`CsvSource::read_record`](super::csv::CsvSource::read_record)).
    pub extra_fields: usize,
}

/// A block of records read by [`Table::read_chunk`](super::Table::read_chunk). Reuse one chunk
/// (or a small pool) for a whole input: its buffers keep their capacity.
#[derive(Debug, Default)]
pub struct Chunk {
    pub(super) data: Vec<u8>,
    /// Bytes of `data` in use (CSV parsing writes into spare room past it).
    pub(super) data_len: usize,
    pub(super) ends: Vec<usize>,
    pub(super) ends_len: usize,
    pub(super) records: Vec<Meta>,
    pub(super) format: ChunkFormat,
}

/// How the bytes of a chunk's records are laid out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChunkFormat {
    #[default]
    Csv,
    Jsonl,
}

/// One record of a chunk, before its fields are checked and decoded.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based record number (the CSV header and blank JSONL lines are not records).
    pub number: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// CSV fields beyond the header's width, joined into the last field with the delimiter:
    /// the row is classified, and the caller says so.
    pub extra_fields: usize,
    pub(super) body: RecordBody<'a>,
    pub(super) problem: Option<&'a RowError>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum RecordBody<'a> {
    Csv(CsvFields<'a>),
    Jsonl(&'a [u8]),
}

/// The raw fields of one CSV record, borrowed from its chunk.
#[derive(Debug, Clone, Copy)]
pub struct CsvFields<'a> {
    data: &'a [u8],
    ends: &'a [usize],
    /// `data` as text, once it is known to be UTF-8 on every field boundary.
    text: Option<&'a str>,
}

impl<'a> CsvFields<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at 0-based `index`, as raw bytes.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.data.get(start..end)
    }

    /// The field at 0-based `index` as text, when the record has been checked to be UTF-8.
    pub fn get_str(&self, index: usize) -> Option<&'a str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text?.get(start..end)
    }

    /// Check that every field is UTF-8, validating the record in one pass. On failure, the
    /// 0-based index of the first bad field and the offset of the bad byte in it.
    pub fn checked(self) -> Result<CsvFields<'a>, (usize, usize)> {
        if let Ok(text) = std::str::from_utf8(self.data) {
            if self.ends.iter().all(|&end| text.is_char_boundary(end)) {
                return Ok(CsvFields { text: Some(text), ..self });
            }
        }
        let bad = self.iter().enumerate().find_map(|(index, field)| {
            std::str::from_utf8(field).err().map(|err| (index, err.valid_up_to()))
        });
        Err(bad.unwrap_or((0, 0)))
    }

    /// All fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }
}

impl Chunk {
    /// Empty the chunk, keeping its buffers.
    pub fn clear(&mut self) {
        self.data_len = 0;
        self.ends_len = 0;
        self.records.clear();
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the chunk holds no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bytes of record data held (a measure of the chunk's size).
    pub fn data_bytes(&self) -> usize {
        self.data_len
    }

    /// The record at `index`.
    pub fn record(&self, index: usize) -> Option<Record<'_>> {
        let meta = self.records.get(index)?;
        let data = self.data.get(meta.data.0..meta.data.1)?;
        let body = match self.format {
            ChunkFormat::Csv => RecordBody::Csv(CsvFields {
                data,
                ends: self.ends.get(meta.ends.0..meta.ends.1)?,
                text: None,
            }),
            ChunkFormat::Jsonl => RecordBody::Jsonl(data),
        };
        Some(Record {
            number: meta.number,
            line: meta.line,
            extra_fields: meta.extra_fields,
            body,
            problem: meta.problem.as_ref(),
        })
    }

    /// All records in order.
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        (0..self.len()).filter_map(|index| self.record(index))
    }

    /// Make room for `data` bytes and `ends` field ends in total (CSV parsing writes in place).
    pub(super) fn reserve(&mut self, data: usize, ends: usize) {
        if self.data.len() < data {
            self.data.resize(data, 0);
        }
        if self.ends.len() < ends {
            self.ends.resize(ends, 0);
        }
    }
}

impl<'a> Record<'a> {
    /// The raw CSV fields, for a CSV record.
    pub fn csv_fields(&self) -> Option<CsvFields<'a>> {
        match self.body {
            RecordBody::Csv(fields) => Some(fields),
            RecordBody::Jsonl(_) => None,
        }
    }

    /// The raw line, for a JSONL record.
    pub fn jsonl_line(&self) -> Option<&'a [u8]> {
        match self.body {
            RecordBody::Csv(_) => None,
            RecordBody::Jsonl(line) => Some(line),
        }
    }
}
