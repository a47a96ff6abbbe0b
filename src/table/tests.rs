#![allow(clippy::unwrap_used)] // tests fail loudly by design

use super::*;

fn options(format: TableFormat, text: &[&str]) -> TableOptions {
    let selection = Selection { text: text.iter().map(|s| s.to_string()).collect(), ..Selection::default() };
    TableOptions::new(format, selection)
}

fn rows(input: &[u8], options: &TableOptions) -> Vec<Row> {
    Table::open(input, options).unwrap().rows().collect::<Result<Vec<_>, _>>().unwrap()
}

fn body(row: &Row) -> &str {
    &row.fields.as_ref().unwrap().body
}

#[test]
fn csv_with_header_keeps_every_column_and_joins_text_columns() {
    let mut options = options(TableFormat::Csv, &["summary", "details"]);
    options.selection.id = Some("id".into());
    let rows = rows(b"id,summary,details\n7,\"Quoted, with comma\",second\n", &options);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].values, ["7", "Quoted, with comma", "second"]);
    let fields = rows[0].fields.as_ref().unwrap();
    assert_eq!(fields.body, "Quoted, with comma\n\nsecond");
    assert_eq!(fields.id.as_deref(), Some("7"));
    assert_eq!(fields.title, None);
}

#[test]
fn record_numbers_skip_the_header_and_lines_count_embedded_newlines() {
    let rows = rows(b"body\n\"one\nstill one\"\ntwo\n", &options(TableFormat::Csv, &["body"]));
    let numbers: Vec<(u64, u64)> = rows.iter().map(|row| (row.number, row.line)).collect();
    assert_eq!(numbers, [(1, 2), (2, 4)]);
    assert_eq!(body(&rows[0]), "one\nstill one");
}

#[test]
fn blank_lines_are_not_records_but_count_towards_line_numbers() {
    let input = b"\nbody\r\n\r\none\n\n\n\"two\nlines\"\n\r\nthree\n\n";
    let rows = rows(input, &options(TableFormat::Csv, &["body"]));
    let numbers: Vec<(u64, u64)> = rows.iter().map(|row| (row.number, row.line)).collect();
    assert_eq!(numbers, [(1, 4), (2, 7), (3, 10)]);
    assert_eq!(body(&rows[2]), "three");
}

#[test]
fn no_headers_names_columns_by_index_and_keeps_the_first_row() {
    let mut options = options(TableFormat::Csv, &["2"]);
    options.has_headers = false;
    options.selection.title = Some("1".into());
    let table = Table::open(&b"Docs,how do i start\nLogo,add our logo\n"[..], &options).unwrap();
    assert_eq!(table.layout().columns(), ["1", "2"]);
    let rows: Vec<Row> = table.rows().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].fields.as_ref().unwrap().title.as_deref(), Some("Docs"));
    assert_eq!(body(&rows[1]), "add our logo");
}

#[test]
fn tab_delimiter_and_tsv_default() {
    assert_eq!(default_delimiter(Some(Path::new("x.TSV"))), b'\t');
    assert_eq!(default_delimiter(Some(Path::new("x.csv"))), b',');
    let mut options = options(TableFormat::Csv, &["body"]);
    options.delimiter = '\t';
    let rows = rows(b"id\tbody\n1\ta, b\n", &options);
    assert_eq!(body(&rows[0]), "a, b");
}

#[test]
fn short_rows_are_row_errors_and_reading_goes_on() {
    let rows = rows(b"id,body\n1,ok\n3\n4,fine\n", &options(TableFormat::Csv, &["body"]));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].fields, Err(RowError::FieldCount { found: 1, expected: 2 }));
    assert_eq!(rows[1].values, ["3"]);
    assert_eq!(body(&rows[2]), "fine");
}

#[test]
fn long_rows_are_classified_with_their_extra_fields_joined_into_the_last_column() {
    let input = b"id,title,body\n1,Docs,how do i, really, start\n2,\"a,b\",\"c\",\"d,e\"\n3,x,y\n";
    let rows = rows(input, &options(TableFormat::Csv, &["body"]));
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[0].extra_fields, body(&rows[0])), (2, "how do i, really, start"));
    assert_eq!(rows[0].values, ["1", "Docs", "how do i, really, start"]);
    assert_eq!(rows[1].values, ["2", "a,b", "c,d,e"], "quoted fields are joined unquoted");
    assert_eq!((rows[2].extra_fields, body(&rows[2])), (0, "y"));
}

#[test]
fn a_long_row_of_a_one_column_table_and_a_tab_delimiter() {
    let mut options = options(TableFormat::Csv, &["body"]);
    options.delimiter = '\t';
    let rows = rows(b"body\na\tb\t\n", &options);
    assert_eq!((rows[0].extra_fields, body(&rows[0])), (2, "a\tb\t"));
}

#[test]
fn crlf_input_is_noticed_from_its_first_line() {
    for (input, crlf) in [(&b"id,body\r\n1,x\r\n"[..], true), (b"id,body\n1,x\r\n", false), (b"", false)] {
        let table = Table::open(input, &options(TableFormat::Csv, &["body"])).unwrap();
        assert_eq!(table.crlf(), crlf, "{:?}", String::from_utf8_lossy(input));
    }
    let mut headless = options(TableFormat::Csv, &["1"]);
    headless.has_headers = false;
    assert!(Table::open(&b"x\r\ny\r\n"[..], &headless).unwrap().crlf());
}

#[test]
fn unterminated_quote_is_reported_on_the_row_that_swallows_the_rest() {
    let rows = rows(b"id,body\n1,ok\n2,\"never closed\n3,lost\n", &options(TableFormat::Csv, &["body"]));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].fields, Err(RowError::UnterminatedQuote));
    assert_eq!(rows[1].line, 3);
}

#[test]
fn closed_quotes_at_the_end_without_newline_are_fine() {
    let rows = rows(b"id,body\n1,\"closed\"", &options(TableFormat::Csv, &["body"]));
    assert_eq!(body(&rows[0]), "closed");
    let rows = rows_of(b"id,body\n1,plain");
    assert_eq!(body(&rows[0]), "plain");
}

fn rows_of(input: &[u8]) -> Vec<Row> {
    rows(input, &options(TableFormat::Csv, &["body"]))
}

#[test]
fn invalid_utf8_names_the_column() {
    let rows = rows_of(b"id,body\n1,caf\xe9\n2,ok\n");
    assert_eq!(rows[0].fields, Err(RowError::InvalidUtf8 { column: Some("body".into()), offset: 3 }));
    assert_eq!(rows[0].values, ["1", "caf\u{fffd}"]);
    assert_eq!(body(&rows[1]), "ok");
}

#[test]
fn missing_column_is_an_error_before_any_row() {
    let err = Table::open(&b"id,text\n1,x\n"[..], &options(TableFormat::Csv, &["body"])).err().unwrap();
    assert_eq!(err.to_string(), r#"text column "body" does not exist; the columns are: "id", "text""#);
}

#[test]
fn empty_input_opens_with_no_rows() {
    for format in [TableFormat::Csv, TableFormat::Jsonl] {
        let table = Table::open(&b""[..], &options(format, &["body"])).unwrap();
        assert!(table.is_empty_input());
        assert_eq!(table.rows().count(), 0);
    }
}

#[test]
fn header_only_csv_checks_columns_and_has_no_rows() {
    let table = Table::open(&b"id,body\n"[..], &options(TableFormat::Csv, &["body"])).unwrap();
    assert!(!table.is_empty_input());
    assert_eq!(table.rows().count(), 0);
}

#[test]
fn jsonl_reads_objects_and_reports_each_bad_line() {
    let input =
        b"{\"id\":1,\"body\":\"sdk docs\",\"n\":null}\n\n[1,2]\nnot json\n{\"id\":4}\n{\"body\":[\"x\"]}\n\
                  {\"body\":\"caf\xe9\"}\n{\"body\":null,\"title\":\"Meetup\"}\n";
    let mut options = options(TableFormat::Jsonl, &["body"]);
    options.selection.title = Some("title".into());
    // `title` is not a key of the first object: keys come from it, so name only existing ones.
    options.selection.title = None;
    let rows = rows(input, &options);
    assert_eq!(rows.len(), 7, "blank lines are not records");
    assert_eq!(body(&rows[0]), "sdk docs");
    assert_eq!(rows[0].values, ["1", "sdk docs", ""]);
    assert_eq!(rows[1].line, 3);
    assert_eq!(rows[1].fields, Err(RowError::NotObject(JsonKind::Array)));
    assert!(matches!(rows[2].fields, Err(RowError::BadJson(_))));
    assert_eq!(rows[3].fields, Err(RowError::MissingField { key: "body".into() }));
    assert_eq!(rows[4].fields, Err(RowError::NotText { key: "body".into(), found: JsonKind::Array }));
    assert_eq!(rows[5].fields, Err(RowError::InvalidUtf8 { column: None, offset: 12 }));
    assert_eq!(body(&rows[6]), "", "null text is an empty request, not an error");
}

#[test]
fn jsonl_keys_come_from_the_first_object() {
    let input = b"oops\n{\"ticket\":\"a\",\"message\":\"b\"}\n";
    let table = Table::open(&input[..], &options(TableFormat::Jsonl, &[])).unwrap();
    assert_eq!(table.layout().columns(), ["ticket", "message"]);
    assert_eq!(table.layout().text(), [1]);
    let err = Table::open(&input[..], &options(TableFormat::Jsonl, &["body"])).err().unwrap();
    assert!(err.to_string().contains(r#""ticket", "message""#), "{err}");
}

#[test]
fn the_request_puts_the_title_first_with_title_weight() {
    let fields =
        RequestFields { title: Some("Docs".into()), body: "body text".into(), id: None, extras: Vec::new() };
    let request = fields.request();
    let parts: Vec<(Field, &str)> = request.parts().iter().map(|p| (p.field, p.text.as_ref())).collect();
    assert_eq!(parts, [(Field::Title, "Docs"), (Field::Body, "body text")]);
}

#[test]
fn extras_are_read_in_order_and_missing_ones_are_empty() {
    let mut options = options(TableFormat::Jsonl, &["body"]);
    options.selection.extras = vec![
        ExtraColumn { role: "label".into(), column: "owner".into() },
        ExtraColumn { role: "other".into(), column: "body".into() },
    ];
    let rows = rows(b"{\"body\":\"x\",\"owner\":\"devrel\"}\n{\"body\":\"y\"}\n", &options);
    assert_eq!(rows[0].fields.as_ref().unwrap().extras, ["devrel", "x"]);
    assert_eq!(rows[1].fields.as_ref().unwrap().extras, ["", "y"]);
}

#[test]
fn chunks_hold_many_records_and_are_reused() {
    let mut input = String::from("id,body\n");
    for index in 0..10_000 {
        input.push_str(&format!("{index},text number {index}\n"));
    }
    let mut table = Table::open(input.as_bytes(), &options(TableFormat::Csv, &["body"])).unwrap();
    let mut chunk = Chunk::default();
    let mut seen = 0;
    while table.read_chunk(&mut chunk).unwrap() {
        for record in chunk.records() {
            seen += 1;
            assert_eq!(record.number, seen);
            let decoded = record.decode(table.layout());
            let fields = decoded.fields(table.layout()).unwrap();
            assert_eq!(fields.body, format!("text number {}", seen - 1));
        }
    }
    assert_eq!(seen, 10_000);
    assert_eq!(table.bytes_read(), input.len() as u64);
}

#[test]
fn formats_from_extensions() {
    assert_eq!(TableFormat::from_path(Path::new("a.JSONL")), Some(TableFormat::Jsonl));
    assert_eq!(TableFormat::from_path(Path::new("a.tsv")), Some(TableFormat::Csv));
    assert_eq!(TableFormat::from_path(Path::new("a")), None);
}

#[test]
fn a_quote_is_not_a_delimiter() {
    let mut options = options(TableFormat::Csv, &["body"]);
    options.delimiter = '"';
    assert!(matches!(Table::open(&b""[..], &options), Err(TableError::BadDelimiter('"'))));
}

/// Like a terminal after one Ctrl-D: the input, one end of input, then more if asked again.
struct EndsThenReadsOn(Vec<&'static [u8]>);

impl std::io::Read for EndsThenReadsOn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.first() {
            Some(part) if !part.is_empty() => {
                let part = self.0.remove(0);
                buf[..part.len()].copy_from_slice(part);
                Ok(part.len())
            }
            _ if self.0.is_empty() => Ok(0),
            _ => {
                self.0.remove(0);
                Ok(0)
            }
        }
    }
}

#[test]
fn the_first_end_of_input_ends_the_table() {
    for format in [TableFormat::Csv, TableFormat::Jsonl] {
        let (first, after): (&[u8], &[u8]) = match format {
            TableFormat::Csv => (b"body\none\n", b"typed after the end\n"),
            TableFormat::Jsonl => (b"{\"body\": \"one\"}\n", b"{\"body\": \"after\"}\n"),
        };
        let reader = EndsThenReadsOn(vec![first, b"", after]);
        let rows = Table::open(reader, &options(format, &["body"])).unwrap().rows().count();
        assert_eq!(rows, 1, "{format:?}");
    }
}
