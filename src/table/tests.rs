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
    for format in [TableFormat::Csv, TableFormat::Jsonl, TableFormat::Json] {
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
fn jsonl_text_that_is_a_number_or_boolean_is_an_error_but_an_id_may_be_a_number() {
    let input = b"{\"id\":1,\"body\":\"sdk\"}\n{\"id\":2,\"body\":42}\n{\"id\":3,\"body\":true}\n";
    let mut options = options(TableFormat::Jsonl, &["body"]);
    options.selection.id = Some("id".into());
    let rows = rows(input, &options);
    assert_eq!(body(&rows[0]), "sdk");
    assert_eq!(rows[1].fields, Err(RowError::NotText { key: "body".into(), found: JsonKind::Number }));
    assert_eq!(rows[2].fields, Err(RowError::NotText { key: "body".into(), found: JsonKind::Bool }));
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
    assert_eq!(TableFormat::from_path(Path::new("issues.json")), Some(TableFormat::Json));
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
    for format in [TableFormat::Csv, TableFormat::Jsonl, TableFormat::Json] {
        let (first, after): (&[u8], &[u8]) = match format {
            TableFormat::Csv => (b"body\none\n", b"typed after the end\n"),
            TableFormat::Jsonl => (b"{\"body\": \"one\"}\n", b"{\"body\": \"after\"}\n"),
            TableFormat::Json => (b"[{\"body\": \"one\"}]\n", b"[{\"body\": \"after\"}]\n"),
        };
        let reader = EndsThenReadsOn(vec![first, b"", after]);
        let rows = Table::open(reader, &options(format, &["body"])).unwrap().rows().count();
        assert_eq!(rows, 1, "{format:?}");
    }
}

fn json_rows(input: &[u8]) -> Vec<Row> {
    rows(input, &options(TableFormat::Json, &[]))
}

#[test]
fn a_json_array_is_one_row_per_element_with_nested_values_kept() {
    let input = br#"[
  {"number": 12, "title": "SDK question", "body": "How do I start?", "labels": [{"name": "question"}]},
  {"number": 13, "title": "Meetup", "body": null, "author": {"login": "ana"}}
]"#;
    let table = Table::open(&input[..], &options(TableFormat::Json, &[])).unwrap();
    assert_eq!(table.format(), TableFormat::Json);
    assert_eq!(table.layout().describe(), "text: body; title: title; id: number");
    let rows: Vec<Row> = table.rows().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].number, rows[0].line, rows[1].line), (1, 2, 3));
    assert_eq!(rows[0].values, ["12", "SDK question", "How do I start?", r#"[{"name":"question"}]"#]);
    let fields = rows[1].fields.as_ref().unwrap();
    assert_eq!(
        (fields.title.as_deref(), fields.body.as_ref(), fields.id.as_deref()),
        (Some("Meetup"), "", Some("13"))
    );
}

#[test]
fn a_non_object_element_is_an_error_row_and_the_rest_go_on() {
    let rows = json_rows(
        br#"[{"body": "a"}, 42, "text", [1, {"x": "]"}], {"body": "b"}, {"body": "c" "d"}, {"body": "e"}]"#,
    );
    let kinds: Vec<Result<&str, RowError>> =
        rows.iter().map(|row| row.fields.as_ref().map(|f| f.body.as_ref()).map_err(Clone::clone)).collect();
    assert_eq!(kinds[0], Ok("a"));
    assert_eq!(kinds[1], Err(RowError::NotObject(JsonKind::Number)));
    assert_eq!(kinds[2], Err(RowError::NotObject(JsonKind::String)));
    assert_eq!(kinds[3], Err(RowError::NotObject(JsonKind::Array)), "brackets inside strings do not count");
    assert_eq!(kinds[4], Ok("b"));
    assert!(matches!(kinds[5], Err(RowError::BadJson(_))), "{:?}", kinds[5]);
    assert_eq!(kinds[6], Ok("e"));
}

#[test]
fn a_cut_off_array_gives_the_rows_before_the_break_then_an_error_naming_the_byte() {
    let inside = json_rows(b"[{\"body\": \"a\"}, {\"body\": \"cut her");
    assert_eq!(inside.len(), 2);
    assert_eq!(inside[1].fields, Err(RowError::ArrayCut { offset: 33, inside: true }));
    assert_eq!(
        inside[1].fields.as_ref().unwrap_err().to_string(),
        "the input ends at byte 33 inside this element: the JSON array is cut off here"
    );
    for (input, offset) in [(&b"[{\"body\": \"a\"}, "[..], 16), (b"[{\"body\": \"a\"}\n", 15), (b"[", 1)] {
        let rows = json_rows(input);
        let last = rows.last().unwrap();
        assert_eq!(last.fields, Err(RowError::ArrayCut { offset, inside: false }), "{input:?}");
    }
}

#[test]
fn a_broken_array_stops_at_the_byte_where_it_breaks() {
    let rows = json_rows(br#"[{"body": "a"} {"body": "b"}]"#);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1].fields,
        Err(RowError::BrokenArray { offset: 15, expected: "`,` or `]` after an element", found: b'{' })
    );
    let rows = json_rows(br#"[{"body": "a"},]"#);
    assert_eq!(
        rows[1].fields,
        Err(RowError::BrokenArray { offset: 15, expected: "an element", found: b']' })
    );
    let rows = json_rows(b"[{\"body\": \"a\"}] trailing");
    assert_eq!(rows[1].fields.as_ref().unwrap_err().to_string(),
        "expected `[` or the end of the input after the array at byte 16, found `t`: the JSON array is broken here and the rest of the input is not read");
}

#[test]
fn arrays_one_after_another_are_read_as_one_as_gh_api_paginate_prints_them() {
    let rows = json_rows(b"\xEF\xBB\xBF  [{\"body\": \"a\"}]\n[]\n[{\"body\": \"b\"}, {\"body\": \"c\"}]\n");
    let bodies: Vec<&str> = rows.iter().map(body).collect();
    assert_eq!(bodies, ["a", "b", "c"]);
}

#[test]
fn a_json_file_that_does_not_start_with_a_bracket_is_jsonl() {
    let table =
        Table::open(&b"\n{\"body\": \"a\"}\n{\"body\": \"b\"}\n"[..], &options(TableFormat::Json, &[]))
            .unwrap();
    assert_eq!(table.format(), TableFormat::Jsonl);
    assert_eq!(table.rows().count(), 2);
}

/// A reader that hands out one byte at a time, so every element crosses buffer boundaries.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&byte, rest)), Some(slot)) => {
                *slot = byte;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

mod arrays {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any array of objects serde_json writes (compact or pretty, strings full of quotes,
        /// backslashes and brackets) reads back element for element, however the bytes arrive.
        #[test]
        fn every_element_reads_back_as_written(
            bodies in proptest::collection::vec("[a-z\"\\\\\\[\\]{}, \n\u{e9}\u{1F600}]{0,12}", 0..12),
            pretty: bool,
            trickle: bool,
        ) {
            let values: Vec<serde_json::Value> = bodies
                .iter()
                .enumerate()
                .map(|(index, body)| serde_json::json!({"id": index, "body": body, "nested": [{"b": body}]}))
                .collect();
            let text = if pretty {
                serde_json::to_vec_pretty(&values).unwrap()
            } else {
                serde_json::to_vec(&values).unwrap()
            };
            let options = options(TableFormat::Json, &["body"]);
            let rows: Vec<Row> = if trickle {
                Table::open(Trickle(&text), &options).unwrap().rows().collect::<Result<_, _>>().unwrap()
            } else {
                rows(&text, &options)
            };
            prop_assert_eq!(rows.len(), bodies.len());
            for (row, expected) in rows.iter().zip(&bodies) {
                prop_assert_eq!(body(row), expected.as_str());
            }
        }
    }
}
