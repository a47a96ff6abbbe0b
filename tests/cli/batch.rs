//! Integration tests: `triage batch` on the fixtures in `tests/fixtures/batch/`.

use std::fs;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{first_line_then_closed, fixture, triage};

fn batch_fixture(name: &str) -> String {
    fixture(&format!("batch/{name}")).display().to_string()
}

/// Run `triage batch ARGS` and return (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let output = triage().arg("batch").args(args).output().expect("triage runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.expect("valid CSV output").iter().map(str::to_owned).collect())
        .collect()
}

fn jsonl_values(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).expect("each line is JSON")).collect()
}

#[test]
fn csv_input_gives_csv_with_every_column_and_the_verdict() {
    let (code, stdout, stderr) = run(&[&batch_fixture("requests.csv"), "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "", "quiet and no bad rows: nothing on stderr");
    insta::assert_snapshot!("batch_requests_csv", stdout);
    let rows = csv_rows(&stdout);
    assert_eq!(rows[0], ["id", "title", "body", "channel", "owner", "status", "score", "reasons"]);
    assert_eq!(rows.len(), 7, "header and one row per record");
    let owners: Vec<&str> = rows[1..].iter().map(|row| row[4].as_str()).collect();
    assert_eq!(owners[..4], ["devrel", "community", "marketing", ""]);
    assert_eq!(rows[4][5], "unassigned");
    assert!(rows[5][2].contains('\n'), "multi-line fields survive: {:?}", rows[5][2]);
    assert_eq!(rows[6][1], "Überraschung 🎉");
}

#[test]
fn jsonl_input_gives_jsonl_with_keys_in_order_and_the_evidence() {
    let args =
        [&batch_fixture("requests.jsonl")[..], "--text-column", "message", "--title-column", "subject", "-q"];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("batch_requests_jsonl", stdout);
    let values = jsonl_values(&stdout);
    assert_eq!(values.len(), 3, "the blank line is not a record");
    let keys: Vec<&str> = values[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["ticket", "subject", "message", "votes", "owner", "status", "score", "reasons", "evidence"]
    );
    assert_eq!(values[0]["owner"], "marketing");
    assert_eq!(values[1]["owner"], "devrel");
    assert_eq!(values[1]["evidence"]["matches"][0]["field"], "title", "titles are weighted as titles");
    assert_eq!(values[2]["tags"], serde_json::json!(["x"]), "keys not in the first object are kept");
}

#[test]
fn csv_to_json_is_one_array_with_evidence() {
    let (code, stdout, stderr) = run(&[&batch_fixture("requests.csv"), "--format", "json", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    let value: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let rows = value.as_array().expect("an array");
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["id"], "R-1");
    assert_eq!(rows[0]["evidence"]["owner"], "devrel");
    assert!(rows[0]["evidence"]["matches"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn jsonl_to_csv_uses_the_first_objects_keys_as_columns() {
    let args = [&batch_fixture("requests.jsonl")[..], "--text-column", "message", "-f", "csv", "-q"];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let rows = csv_rows(&stdout);
    assert_eq!(rows[0], ["ticket", "subject", "message", "votes", "owner", "status", "score", "reasons"]);
    assert_eq!(rows[1][3], "3");
    assert_eq!(rows[2][3], "", "null is an empty cell");
    assert_eq!(rows.len(), 4);
}

#[test]
fn jsonl_to_csv_warns_about_keys_that_have_no_column() {
    let args = [&batch_fixture("requests.jsonl")[..], "--text-column", "message", "-f", "csv"];
    let (_, _, stderr) = run(&args);
    assert!(stderr.contains("1 row has keys that are not in the first object"), "{stderr}");
}

#[test]
fn json_output_from_an_empty_input_is_an_empty_array() {
    let (code, stdout, _) = run(&[&batch_fixture("empty.csv"), "-f", "json", "-q"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), serde_json::json!([]));
}

#[test]
fn tsv_files_are_tab_separated_in_and_out() {
    let (code, stdout, stderr) = run(&[&batch_fixture("requests.tsv"), "-q"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "id\ttitle\tbody\towner\tstatus\tscore\treasons");
    assert!(lines[1].starts_with(
        "T-1\tTutorial broken\tThe tutorial has a typo, the SDK call fails, with commas\tdevrel\t"
    ));
    assert!(lines[2].contains("\tcommunity\t"), "{}", lines[2]);
}

#[test]
fn explicit_delimiter_overrides_the_extension() {
    let input = "id;body\n1;install the sdk, please\n";
    let assert = triage().args(["batch", "-d", ";", "-q"]).write_stdin(input).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.starts_with("id;body;owner;status;score;reasons\n1;install the sdk, please;devrel;"),
        "{stdout}"
    );
}

#[test]
fn delimiter_can_be_typed_as_backslash_t_or_tab() {
    let input = "id\tbody\n1\tinstall the sdk, please\n";
    for spelling in ["\\t", "tab"] {
        let assert = triage().args(["batch", "-d", spelling, "-q"]).write_stdin(input).assert().success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(stdout.starts_with("id\tbody\towner\tstatus\tscore\treasons\n1\t"), "{spelling}: {stdout}");
    }
    triage().args(["batch", "-d", ";;"]).write_stdin(input).assert().code(2);
}

#[test]
fn no_headers_selects_columns_by_index_and_writes_no_header() {
    let args =
        [&batch_fixture("noheader.csv")[..], "--no-headers", "--text-column", "1", "--id-column", "2", "-q"];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let rows = csv_rows(&stdout);
    assert_eq!(rows.len(), 2, "the first row is data, and no header is added");
    assert_eq!(rows[0][..3], ["How do I install the SDK?", "docs", "devrel"]);
    assert_eq!(rows[1][2], "community");
}

#[test]
fn no_headers_with_a_name_is_a_missing_column_listing_the_range() {
    let (code, _, stderr) = run(&[&batch_fixture("noheader.csv"), "--no-headers", "--text-column", "body"]);
    assert_eq!(code, 2);
    assert!(stderr.contains(r#"text column "body" does not exist"#), "{stderr}");
    assert!(stderr.contains("1 to 2"), "{stderr}");
}

#[test]
fn missing_column_exits_2_and_lists_the_columns_that_exist() {
    let (code, stdout, stderr) = run(&[&batch_fixture("requests.csv"), "--text-column", "description"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            r#"text column "description" does not exist; the columns are: "id", "title", "body", "channel""#
        ),
        "{stderr}"
    );
}

#[test]
fn missing_jsonl_key_lists_the_keys_of_the_first_object() {
    let (code, _, stderr) = run(&[&batch_fixture("requests.jsonl"), "--title-column", "headline"]);
    assert_eq!(code, 2);
    assert!(stderr.contains(r#"title column "headline" does not exist"#), "{stderr}");
    assert!(stderr.contains(r#""ticket", "subject", "message", "votes""#), "{stderr}");
}

/// Runs a fixture with bad rows: exit 1, every row still in the output, each bad row reported.
fn bad_rows(name: &str, extra: &[&str]) -> (Vec<Vec<String>>, String) {
    let mut args = vec![batch_fixture(name)];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(["-f".to_owned(), "csv".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 1, "bad rows exit 1: {stderr}");
    (csv_rows(&stdout), stderr)
}

#[test]
fn ragged_rows_are_reported_short_ones_kept_with_status_error_long_ones_classified() {
    let (rows, stderr) = bad_rows("ragged.csv", &[]);
    assert_eq!(rows.len(), 5, "header + 4 records");
    assert_eq!(rows[2][..4], ["2", "too,many,fields", "", "unassigned"], "extra fields join the last column");
    assert_eq!(rows[3][..4], ["3", "", "", "error"]);
    assert_eq!(rows[3][5], "wrong field count: 1 field, expected 2");
    assert_eq!(rows[4][2], "devrel", "rows after a bad one are still classified");
    assert!(
        stderr.contains(
            r#"ragged.csv: row 2 (line 3, id "2"): 4 fields, expected 2: the 2 extra fields are kept in the last column "body", joined with ","#
        ),
        "{stderr}"
    );
    assert!(stderr.contains(r#"row 3 (line 4, id "3"): wrong field count: 1 field, expected 2"#), "{stderr}");
    assert!(stderr.contains("1 row has more fields than the header"), "{stderr}");
    assert!(stderr.contains("error 1"), "the summary counts errors: {stderr}");
}

#[test]
fn a_long_row_is_classified_on_all_of_its_text() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("unquoted.csv");
    std::fs::write(
        &path,
        "id,body
1,Hello, how do I install the SDK, please?
",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[path.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(code, 0, "a warning, not an error: {stderr}");
    let values = jsonl_values(&stdout);
    assert_eq!(values[0]["body"], "Hello, how do I install the SDK, please?");
    assert_eq!(values[0]["owner"], "devrel");
    assert!(stderr.contains("4 fields, expected 2: the 2 extra fields are kept"), "{stderr}");
    assert!(stderr.starts_with("triage: warning: "), "{stderr}");
}

#[test]
fn unterminated_quote_is_reported_on_its_row() {
    let (rows, stderr) = bad_rows("unterminated.csv", &[]);
    assert_eq!(rows.len(), 3, "the open quote swallows the last line into row 2");
    assert_eq!(rows[2][3], "error");
    assert!(rows[2][5].starts_with("unterminated quoted field"), "{:?}", rows[2]);
    assert!(stderr.contains(r#"row 2 (line 3, id "2"): unterminated quoted field"#), "{stderr}");
}

#[test]
fn invalid_utf8_is_a_row_error_naming_the_column() {
    let (rows, stderr) = bad_rows("invalid_utf8.csv", &[]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][..3], ["1", "caf\u{fffd} meetup", ""]);
    assert_eq!(rows[1][3], "error");
    assert_eq!(rows[2][2], "devrel");
    assert!(
        stderr.contains(r#"row 1 (line 2, id "1"): invalid UTF-8 in column "body" at byte 3"#),
        "{stderr}"
    );
}

#[test]
fn jsonl_lines_that_are_not_objects_are_reported_by_line() {
    let (code, stdout, stderr) = run(&[&batch_fixture("not_object.jsonl")]);
    assert_eq!(code, 1, "{stderr}");
    let values = jsonl_values(&stdout);
    assert_eq!(values.len(), 5);
    let statuses: Vec<&str> = values.iter().map(|v| v["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["assigned", "error", "error", "error", "assigned"]);
    assert_eq!(values[1]["input"], "[1,2,3]", "the unreadable line is kept");
    assert_eq!(values[1]["reasons"], "not a JSON object (found an array)");
    assert!(stderr.contains("row 2 (line 2): not a JSON object (found an array)"), "{stderr}");
    assert!(stderr.contains("row 3 (line 3): invalid JSON: key must be a string"), "{stderr}");
    assert!(stderr.contains("row 4 (line 4): not a JSON object (found a string)"), "{stderr}");
}

#[test]
fn missing_or_non_text_jsonl_field_is_a_row_error() {
    let (code, stdout, stderr) = run(&[&batch_fixture("missing_text.jsonl"), "--id-column", "id"]);
    assert_eq!(code, 1);
    let values = jsonl_values(&stdout);
    assert_eq!(values.len(), 3);
    assert_eq!(values[1]["status"], "error");
    assert_eq!(values[1]["text"], "no body key", "the row's own keys are kept");
    assert!(stderr.contains(r#"row 2 (line 2, id "2"): missing text field "body""#), "{stderr}");
    assert!(stderr.contains(r#"row 3 (line 3, id "3"): field "body" is an object, not text"#), "{stderr}");
}

#[test]
fn strict_json_output_is_a_closed_array_of_the_rows_before_the_bad_one() {
    let (code, stdout, stderr) = run(&[&batch_fixture("ragged.csv"), "--strict", "--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).expect("the output is complete JSON");
    let ids: Vec<_> = rows.as_array().expect("an array").iter().map(|row| row["id"].clone()).collect();
    assert_eq!(ids, ["1"], "{stdout}");
}

#[test]
fn strict_stops_at_the_first_bad_row_with_exit_2() {
    let (code, stdout, stderr) = run(&[&batch_fixture("ragged.csv"), "--strict"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(r#"row 2 (line 3, id "2"): wrong field count: 4 fields, expected 2"#),
        "{stderr}"
    );
    let rows = csv_rows(&stdout);
    let ids: Vec<_> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids, ["id", "1"], "the rows before the bad one are written, none after: {stdout}");
    assert_eq!(stderr.matches("wrong field count").count(), 1, "stops at the first: {stderr}");
}

#[test]
fn order_and_row_count_are_kept_across_many_chunks() {
    let mut input = String::from("id,body\n");
    let bodies = ["install the sdk", "our meetup", "the blog post", "nothing", "x,\"quoted\"\nline"];
    let rows = 30_000;
    for index in 0..rows {
        let body = bodies[index % bodies.len()].replace('"', "\"\"");
        input.push_str(&format!("{index},\"{body}\"\n"));
    }
    let assert = triage().args(["batch", "-q"]).write_stdin(input).assert().success();
    let output = csv_rows(&String::from_utf8_lossy(&assert.get_output().stdout));
    assert_eq!(output.len(), rows + 1);
    for (index, row) in output[1..].iter().enumerate() {
        assert_eq!(row[0], index.to_string(), "row order");
        let expected = ["devrel", "community", "marketing", "", ""][index % bodies.len()];
        assert_eq!(row[2], expected, "row {index}");
    }
}

#[test]
fn a_json_array_spans_many_chunks() {
    let mut input = String::from("id,body\n");
    for index in 0..10_000 {
        input.push_str(&format!("{index},install the sdk\n"));
    }
    let assert = triage().args(["batch", "-q", "--format", "json"]).write_stdin(input).assert().success();
    let rows: Vec<Value> = serde_json::from_slice(&assert.get_output().stdout).expect("one JSON array");
    let ids: Vec<String> = rows.iter().map(|row| row["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, (0..10_000).map(|index| index.to_string()).collect::<Vec<_>>());
}

#[test]
fn stdin_dash_with_an_explicit_input_format() {
    let input = "{\"body\":\"How do I install the SDK?\"}\n";
    triage()
        .args(["batch", "-", "--input-format", "jsonl", "-q"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""owner":"devrel""#));
}

#[test]
fn empty_input_prints_just_the_header() {
    let (code, stdout, _) = run(&[&batch_fixture("empty.csv"), "-q"]);
    assert_eq!((code, stdout.as_str()), (0, "owner,status,score,reasons\n"));
    let (code, stdout, _) = run(&[&batch_fixture("header_only.csv"), "-q"]);
    assert_eq!((code, stdout.as_str()), (0, "id,title,body,owner,status,score,reasons\n"));
}

#[test]
fn added_columns_never_clash_with_input_columns() {
    let (code, stdout, _) = run(&[&batch_fixture("owner_column.csv"), "-q"]);
    assert_eq!(code, 0);
    let rows = csv_rows(&stdout);
    assert_eq!(rows[0], ["id", "body", "owner", "triage_owner", "status", "score", "reasons"]);
    assert_eq!(rows[1][2..4], ["community", "devrel"]);
}

#[test]
fn summary_on_stderr_counts_owners_and_statuses() {
    let (_, _, stderr) = run(&[&batch_fixture("requests.csv")]);
    assert!(stderr.contains("triage: 6 rows (text: body; title: title; id: id)"), "{stderr}");
    assert!(stderr.contains("rows/s"), "{stderr}");
    assert!(stderr.contains("owner:  marketing 2  community 2  devrel 1  none 1"), "{stderr}");
    assert!(stderr.contains("status: assigned"), "{stderr}");
}

#[test]
fn output_file_is_written_whole_and_no_temporary_file_remains() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("out.csv");
    let (code, stdout, stderr) = run(&[&batch_fixture("requests.csv"), "-o", target.to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "with -o nothing goes to stdout");
    let written = fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("id,title,body,channel,owner,status,score,reasons\n"));
    assert_eq!(csv_rows(&written).len(), 7);
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1, "only the output file");
}

#[test]
fn failed_run_leaves_an_existing_output_untouched_and_no_temporary_file() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("out.csv");
    fs::write(&target, "previous contents\n").unwrap();
    let (code, _, stderr) = run(&[&batch_fixture("ragged.csv"), "--strict", "-o", target.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "previous contents\n");
    let names: Vec<_> = fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("out.csv")], "no temporary file left behind");
}

/// `-o /dev/null` once renamed a regular file onto the device. A FIFO stands in for the device
/// here, so that a regression cannot break the machine that runs the test.
#[cfg(unix)]
#[test]
fn output_to_a_pipe_or_device_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("out.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let (code, stdout, stderr) = run(&[&batch_fixture("requests.csv"), "-o", fifo.to_str().unwrap(), "-q"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    // Checked before joining: a replaced pipe would leave the reader waiting for ever.
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    let received = reader.join().unwrap();
    assert_eq!(csv_rows(&received).len(), 7, "{received}");
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1, "no temporary file left behind");
}

#[cfg(unix)]
#[test]
fn output_through_a_symbolic_link_keeps_the_link_and_replaces_its_target() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("real.csv");
    let link = folder.path().join("link.csv");
    fs::write(&target, "previous contents\n").unwrap();
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let (code, _, stderr) = run(&[&batch_fixture("requests.csv"), "-o", link.to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(csv_rows(&fs::read_to_string(&target).unwrap()).len(), 7);
}

#[cfg(unix)]
#[test]
fn output_through_a_dangling_symbolic_link_creates_its_target_and_keeps_the_link() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("new.csv");
    let link = folder.path().join("link.csv");
    std::os::unix::fs::symlink("new.csv", &link).unwrap();
    let (code, _, stderr) = run(&[&batch_fixture("requests.csv"), "-o", link.to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert_eq!(csv_rows(&fs::read_to_string(&target).unwrap()).len(), 7);
}

#[cfg(unix)]
#[test]
fn output_through_a_looping_symbolic_link_is_an_error_and_the_link_stays() {
    let folder = tempfile::tempdir().unwrap();
    let (a, b) = (folder.path().join("a.csv"), folder.path().join("b.csv"));
    std::os::unix::fs::symlink("b.csv", &a).unwrap();
    std::os::unix::fs::symlink("a.csv", &b).unwrap();
    let (code, _, stderr) = run(&[&batch_fixture("requests.csv"), "-o", a.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("symbolic links loop"), "{stderr}");
    assert!(fs::symlink_metadata(&a).unwrap().file_type().is_symlink(), "the link is not replaced");
}

#[test]
fn output_to_a_folder_is_an_error_naming_it() {
    let folder = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&[&batch_fixture("requests.csv"), "-o", folder.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("it is a folder"), "{stderr}");
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 0, "nothing written into the folder");
}

#[test]
fn bad_rows_still_write_the_output_file_and_exit_1() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("out.jsonl");
    let (code, _, _) = run(&[&batch_fixture("ragged.csv"), "-f", "jsonl", "-o", target.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(jsonl_values(&fs::read_to_string(&target).unwrap()).len(), 4);
}

#[test]
fn unreadable_input_file_is_an_error_naming_it() {
    triage()
        .args(["batch", "/nonexistent/requests.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot open /nonexistent/requests.csv"));
}

#[test]
fn closed_stdout_ends_quietly() {
    let mut input = String::from("id,body\n");
    for index in 0..200_000 {
        input.push_str(&format!("{index},install the sdk and read the docs\n"));
    }
    let (_, output) = first_line_then_closed(&["batch", "-q"], input.into_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn crlf_csv_comes_back_with_crlf_and_lf_with_lf() {
    let folder = tempfile::tempdir().unwrap();
    for (name, input) in [
        ("crlf.csv", "id,body\r\n1,\"how do i\r\ninstall\"\r\n2,blog post\r\n"),
        ("lf.csv", "id,body\n1,\"how do i\r\ninstall\"\n2,blog post\n"),
    ] {
        let path = folder.path().join(name);
        fs::write(&path, input).unwrap();
        let (code, stdout, stderr) = run(&[path.to_str().unwrap(), "-q"]);
        assert_eq!(code, 0, "{stderr}");
        let crlf = stdout.matches("\r\n").count();
        // Three rows, one line break inside a quoted field (always kept as it was).
        assert_eq!(crlf, if name == "crlf.csv" { 4 } else { 1 }, "{name}: {stdout:?}");
        assert!(stdout.starts_with("id,body,owner,status,score,reasons"), "{stdout:?}");
        assert!(stdout.contains("\n1,\"how do i\r\ninstall\",devrel,"), "{stdout:?}");
        assert_eq!(stdout.matches('\n').count(), 4, "no other line breaks: {stdout:?}");
    }
}

#[test]
fn unreadable_jsonl_lines_keep_their_content_in_csv_output() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("mixed.jsonl");
    std::fs::write(&path, "{\"id\":\"1\",\"body\":\"install the sdk\"}\nnot json at all\n[1, 2]\n")
        .expect("write");
    let (code, stdout, _) = run(&[path.to_str().expect("UTF-8 path"), "--format", "csv"]);
    assert_eq!(code, 1);
    let rows = csv_rows(&stdout);
    assert_eq!(rows[2][0], "not json at all", "{stdout}");
    assert_eq!(rows[3][0], "[1, 2]", "{stdout}");
    assert!(rows.iter().all(|row| row.len() == rows[0].len()), "rectangular: {stdout}");
}

#[test]
fn jsonl_text_that_is_a_number_or_boolean_is_an_error_row_and_null_is_empty() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("kinds.jsonl");
    let input = "{\"id\":1,\"body\":42}\n{\"id\":2,\"body\":true}\n{\"id\":3,\"body\":null}\n";
    std::fs::write(&path, input).expect("write");
    let (code, stdout, stderr) = run(&[path.to_str().expect("UTF-8 path")]);
    assert_eq!(code, 1, "{stderr}");
    let statuses: Vec<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("JSON")["status"].to_string())
        .collect();
    assert_eq!(statuses, [r#""error""#, r#""error""#, r#""unassigned""#]);
    assert!(stderr.contains(r#"field "body" is a number, not text"#), "{stderr}");
}

#[test]
fn input_columns_named_like_added_ones_and_repeated_headers_are_all_kept_in_json() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("clash.csv");
    std::fs::write(&path, "body,owner,triage_owner,note,note\ninstall the sdk,alice,bob,first,second\n")
        .expect("write");
    let (code, stdout, stderr) = run(&[path.to_str().expect("UTF-8 path"), "--format", "jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    let row: serde_json::Value = serde_json::from_str(stdout.lines().next().expect("a row")).expect("JSON");
    assert_eq!(row["owner"], "alice");
    assert_eq!(row["triage_owner"], "bob");
    assert_eq!(row["triage_owner_2"], "devrel");
    assert_eq!(row["note"], "first");
    assert_eq!(row["note_2"], "second");
}

/// Every default pattern fires somewhere in `patterns.csv` (the library test
/// `fast_and_reference_pattern_paths_agree` checks that); this snapshot was taken before the
/// pattern filter replaced the pattern set, so any change in verdicts or evidence shows here.
#[test]
fn verdicts_and_evidence_on_every_default_pattern_stay_the_same() {
    let (code, stdout, stderr) = run(&[&batch_fixture("patterns.csv"), "-f", "jsonl", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(jsonl_values(&stdout).len(), 159, "one line per request");
    insta::assert_snapshot!("batch_patterns_jsonl", stdout);
}
