//! Integration tests: exports as teams get them out of their tools. A `gh issue list --json`
//! array, a Jira CSV and a Zendesk CSV (CRLF) under `tests/fixtures/exports/` are read with no
//! column options.

use serde_json::Value;

use crate::support::{fixture, triage};

fn export(name: &str) -> String {
    fixture("exports").join(name).display().to_string()
}

fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let output = triage().arg("batch").args(args).write_stdin(stdin).output().expect("triage runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Owner, status, score and reasons of each output row.
fn verdicts(rows: &[Value]) -> Vec<(Value, Value, Value, Value)> {
    rows.iter()
        .map(|row| {
            (row["owner"].clone(), row["status"].clone(), row["score"].clone(), row["reasons"].clone())
        })
        .collect()
}

#[test]
fn a_gh_json_export_is_an_array_in_and_out_with_every_field_kept() {
    let (code, stdout, stderr) = run(&[&export("gh-issues.json")], b"");
    assert_eq!(code, 0, "{stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).expect("a JSON array comes out");
    let input: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(export("gh-issues.json")).unwrap()).unwrap();
    assert_eq!(rows.len(), input.len());
    let owners: Vec<Option<&str>> = rows.iter().map(|row| row["owner"].as_str()).collect();
    assert_eq!(owners, [Some("devrel"), Some("community"), Some("marketing"), None, Some("devrel")]);
    for (row, original) in rows.iter().zip(&input) {
        for (key, value) in original.as_object().unwrap() {
            assert_eq!(&row[key], value, "{key} is kept as it was, nested values included");
        }
    }
    assert_eq!(rows[0]["evidence"]["labels"][0], "devrel", "the owner's labels, for a script to apply");
    assert!(stderr.contains("triage: 5 rows (text: body; title: title; id: number)"), "{stderr}");
}

#[test]
fn a_json_array_gives_the_same_verdicts_as_the_same_rows_as_jsonl() {
    let text = std::fs::read_to_string(export("gh-issues.json")).unwrap();
    let input: Vec<Value> = serde_json::from_str(&text).unwrap();
    let jsonl: String = input.iter().map(|value| format!("{value}\n")).collect();
    let (code, from_jsonl, stderr) = run(&["--input-format", "jsonl", "-f", "json", "-q"], jsonl.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let (code, from_array, stderr) = run(&["--input-format", "json", "-q"], text.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let (jsonl_rows, array_rows): (Vec<Value>, Vec<Value>) =
        (serde_json::from_str(&from_jsonl).unwrap(), serde_json::from_str(&from_array).unwrap());
    assert_eq!(verdicts(&array_rows), verdicts(&jsonl_rows));
    assert_eq!(array_rows, jsonl_rows, "the whole rows agree");
}

#[test]
fn a_json_array_to_csv_writes_nested_values_as_json() {
    let (code, stdout, stderr) = run(&[&export("gh-issues.json"), "-f", "csv", "-q"], b"");
    assert_eq!(code, 0, "{stderr}");
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "author",
            "body",
            "createdAt",
            "labels",
            "number",
            "title",
            "url",
            "owner",
            "status",
            "score",
            "reasons"
        ]
    );
    let first = reader.records().next().unwrap().unwrap();
    assert!(first[3].starts_with(r#"[{"id":"LA_kwDOAbc1","name":"question""#), "{:?}", &first[3]);
    assert_eq!(&first[7], "devrel");
}

#[test]
fn a_jira_csv_needs_no_column_options() {
    let (code, stdout, stderr) = run(&[&export("jira.csv"), "-f", "jsonl"], b"");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("triage: 3 rows (text: Description; title: Summary; id: Issue key)"), "{stderr}");
    let rows: Vec<Value> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let owners: Vec<&Value> = rows.iter().map(|row| &row["owner"]).collect();
    assert_eq!(owners, ["marketing", "devrel", "community"]);
    let title_match =
        rows[0]["evidence"]["matches"].as_array().unwrap().iter().any(|m| m["field"] == "title");
    assert!(title_match, "Summary is weighted as the title: {}", rows[0]["evidence"]);
}

#[test]
fn column_names_the_user_gives_match_ignoring_case() {
    let (_, by_default, _) = run(&[&export("jira.csv"), "-q"], b"");
    let args = [
        &export("jira.csv")[..],
        "--title-column",
        "summary",
        "--text-column",
        "DESCRIPTION",
        "--id-column",
        "issue KEY",
    ];
    let (code, by_name, stderr) = run(&args, b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(by_name, by_default);
    assert!(
        stderr.contains("(text: Description; title: Summary; id: Issue key)"),
        "the summary names the columns as the file does: {stderr}"
    );
}

#[test]
fn a_zendesk_csv_keeps_its_crlf_line_endings() {
    let (code, stdout, stderr) = run(&[&export("zendesk.csv")], b"");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("triage: 3 rows (text: Description; title: Subject; id: Id)"), "{stderr}");
    assert!(
        stdout.starts_with(
            "Id,Requester,Subject,Description,Status,Priority,Tags,Created at,owner,status,score,reasons\r\n"
        ),
        "{stdout:?}"
    );
    assert_eq!(
        stdout.matches('\n').count(),
        stdout.matches("\r\n").count(),
        "every line break is CRLF: {stdout:?}"
    );
    let owners: Vec<String> =
        csv::Reader::from_reader(stdout.as_bytes()).records().map(|r| r.unwrap()[8].to_owned()).collect();
    assert_eq!(owners, ["devrel", "marketing", "community"]);
}

#[test]
fn an_array_element_that_is_not_an_object_is_an_error_row_and_the_rest_go_on() {
    let input = br#"[{"title": "Docs for SSO?", "body": "Where is the guide?"}, "oops", {"title": "Meetup in Lyon", "body": ""}]"#;
    let (code, stdout, stderr) = run(&["--input-format", "json"], input);
    assert_eq!(code, 1, "an error row is a finding: {stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<&str> = rows.iter().map(|row| row["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["assigned", "error", "assigned"]);
    assert_eq!(rows[1]["input"], r#""oops""#, "the element is kept");
    assert!(
        stderr.contains("triage: <stdin>: row 2 (line 1): not a JSON object (found a string)"),
        "{stderr}"
    );
}

#[test]
fn a_cut_off_array_gives_the_rows_before_the_break_then_an_error_naming_the_byte() {
    let text = std::fs::read_to_string(export("gh-issues.json")).unwrap();
    let cut = &text.as_bytes()[..text.find(r#"{"author":{"id":"MDQ6VXNlcjM="#).unwrap() + 40];
    let (code, stdout, stderr) = run(&["--input-format", "json", "-f", "jsonl"], cut);
    assert_eq!(code, 1, "{stderr}");
    let rows: Vec<Value> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let statuses: Vec<&str> = rows.iter().map(|row| row["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["assigned", "assigned", "error"]);
    let message = format!(
        "row 3 (line 1): the input ends at byte {} inside this element: the JSON array is cut off here",
        cut.len()
    );
    assert!(stderr.contains(&message), "{stderr}");
    assert_eq!(
        rows[2]["input"],
        String::from_utf8_lossy(&cut[cut.len() - 40..]).as_ref(),
        "what was read of it is kept"
    );
    // --strict stops there with exit 2, the rows before it written.
    let (code, stdout, stderr) = run(&["--input-format", "json", "-f", "jsonl", "--strict"], cut);
    assert_eq!((code, stdout.lines().count()), (2, 2), "{stderr}");
}
