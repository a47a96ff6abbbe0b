//! Integration tests: eval. The figures on `tests/fixtures/eval/labelled.csv` with
//! `tests/fixtures/eval/rules.yaml` are computed by hand in `src/eval/tests.rs` (the comment
//! above `figures_match_the_hand_computation`); here they are checked through the binary.

use serde_json::Value;

use crate::support::{fixture, triage};

fn rules() -> String {
    fixture("eval/rules.yaml").display().to_string()
}

fn labelled() -> String {
    fixture("eval/labelled.csv").display().to_string()
}

/// Run `triage eval` with the fixture rules and return its JSON report.
fn eval_json(args: &[&str]) -> Value {
    let output =
        triage().args(["eval", "--rules", &rules(), "--format", "json"]).args(args).output().expect("runs");
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("eval prints JSON")
}

fn assert_close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap_or(f64::NAN);
    assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
}

#[test]
fn json_report_matches_the_hand_computation() {
    let report = eval_json(&[&labelled(), "--id-column", "id", "--show-errors", "3"]);
    assert_eq!(report["requests"], 13);
    assert_eq!(report["correct"], 9);
    assert_close(&report["accuracy"], 9.0 / 13.0);
    assert_close(&report["macro_f1"], 61.0 / 84.0);
    assert_close(&report["coverage"], 11.0 / 13.0);
    assert_eq!(report["mixed"], 2);
    assert_eq!(report["unassigned"], 2);

    let confusion = &report["confusion"];
    let rows = [
        ("marketing", [2, 1, 0, 0]),
        ("community", [0, 3, 0, 0]),
        ("devrel", [1, 0, 3, 1]),
        ("unassigned", [1, 0, 0, 1]),
    ];
    for (expected, counts) in rows {
        for (predicted, count) in ["marketing", "community", "devrel", "unassigned"].into_iter().zip(counts) {
            assert_eq!(confusion[expected][predicted], count, "{expected} -> {predicted}");
        }
    }

    // (id, precision, recall, f1, support)
    let functions = [
        ("marketing", 0.5, 2.0 / 3.0, 4.0 / 7.0, 3),
        ("community", 0.75, 1.0, 6.0 / 7.0, 3),
        ("devrel", 1.0, 0.6, 0.75, 5),
    ];
    for (id, precision, recall, f1, support) in functions {
        let scores = &report["per_function"][id];
        assert_close(&scores["precision"], precision);
        assert_close(&scores["recall"], recall);
        assert_close(&scores["f1"], f1);
        assert_eq!(scores["support"], support);
    }

    // (function, rule, fires, correct, incorrect, conflicts, decisive, helps, hurts)
    let expected_rules = [
        ("marketing", "launch", 3, 2, 1, 2, 2, 1, 1),
        ("marketing", "blog", 4, 2, 2, 2, 1, 0, 1),
        ("marketing", "swag", 0, 0, 0, 0, 0, 0, 0),
        ("community", "meetup", 3, 2, 1, 2, 3, 2, 1),
        ("community", "forum", 1, 1, 0, 1, 1, 1, 0),
        ("community", "api", 1, 0, 1, 1, 0, 0, 0),
        ("devrel", "docs", 5, 4, 1, 3, 2, 2, 0),
        ("devrel", "sdk", 3, 2, 1, 2, 1, 1, 0),
        ("devrel", "error", 2, 2, 0, 0, 0, 0, 0),
    ];
    let listed = report["rules"].as_array().expect("rules is a list");
    assert_eq!(listed.len(), expected_rules.len());
    for (stats, (function, rule, fires, correct, incorrect, conflicts, decisive, helps, hurts)) in
        listed.iter().zip(expected_rules)
    {
        assert_eq!((stats["function"].as_str(), stats["rule"].as_str()), (Some(function), Some(rule)));
        let counts: Vec<u64> = ["fires", "correct", "incorrect", "conflicts", "decisive", "helps", "hurts"]
            .iter()
            .map(|key| stats[*key].as_u64().unwrap_or(u64::MAX))
            .collect();
        assert_eq!(
            counts,
            [fires, correct, incorrect, conflicts, decisive, helps, hurts],
            "{function}/{rule}"
        );
        assert_close(&stats["precision"], if fires == 0 { 0.0 } else { correct as f64 / fires as f64 });
        assert_eq!(stats["dead"], fires == 0);
    }
    assert_eq!(report["dead_rules"], 1);

    // Worst first: margin 2 (x2, x4 in row order), then 1 (x3); x1 (margin 0) is cut by --show-errors 3.
    assert_eq!(report["misclassified"], 4);
    let errors: Vec<(&str, &str, &str, f64)> = report["errors"]
        .as_array()
        .expect("errors is a list")
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap_or(""),
                e["expected"].as_str().unwrap_or(""),
                e["predicted"].as_str().unwrap_or(""),
                e["margin"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("x2", "unassigned", "marketing", 2.0),
            ("x4", "marketing", "community", 2.0),
            ("x3", "devrel", "unassigned", 1.0)
        ]
    );
    assert_eq!(
        report["errors"][1]["reasons"],
        "community: meetup(+6 title x2); marketing: blog(+4 title x2)"
    );
    assert_eq!(report["errors"][1]["row"], 12);
}

#[test]
fn text_report_snapshot() {
    let output = triage()
        .args(["eval", "--rules", &rules(), "--color", "never", &labelled(), "--id-column", "id"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout).replace(&rules(), "rules.yaml");
    insta::assert_snapshot!("eval_text_report", text);
}

#[test]
fn text_report_is_coloured_only_when_asked() {
    let run = |colour: &str| {
        let output = triage()
            .args(["eval", "--rules", &rules(), "--color", colour, &labelled()])
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(run("always").contains("\u{1b}["));
    assert!(!run("never").contains("\u{1b}["));
}

#[test]
fn unknown_label_is_an_error_naming_the_row_and_the_valid_labels() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("typo.csv");
    std::fs::write(&path, "text,owner\nthe docs,devrel\nsome swag,Suport\n").expect("write");
    triage()
        .args(["eval", "--rules", &rules()])
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "row 2 (line 3): label \"Suport\" is not a function; expected one of: marketing, community, devrel, unassigned",
        ));
}

#[test]
fn empty_label_is_an_error_not_unassigned() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("empty.csv");
    std::fs::write(&path, "text,owner\nthe docs,devrel\nsome swag,\n").expect("write");
    triage()
        .args(["eval", "--rules", &rules()])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("row 2 (line 3): the label is empty; expected one of:"));
}

#[test]
fn missing_label_column_names_the_columns_that_exist() {
    triage()
        .args(["eval", "--rules", &rules(), &labelled(), "--label-column", "expected"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
        "label column \"expected\" does not exist; the columns are: \"id\", \"title\", \"body\", \"owner\"",
    ));
}

#[test]
fn jsonl_input_with_another_label_column() {
    let path = fixture("eval/labelled.jsonl").display().to_string();
    // docs + sdk -> devrel (right); meetup -> community (right); nothing -> unassigned (right);
    // blog + launch -> marketing, labelled devrel (wrong): 3 of 4.
    let report = eval_json(&[&path, "--label-column", "expected"]);
    assert_eq!(report["requests"], 4);
    assert_close(&report["accuracy"], 0.75);
    assert_eq!(report["confusion"]["devrel"]["marketing"], 1);
    assert_eq!(report["confusion"]["unassigned"]["unassigned"], 1);
}

#[test]
fn accuracy_gate_exits_1_below_the_bar_only() {
    // accuracy is 9/13 = 0.6923...
    let gate = |bar: &str| {
        triage()
            .args(["eval", "--rules", &rules(), "--format", "json", &labelled(), "--min-accuracy", bar])
            .assert()
    };
    gate("0.69").code(0).stderr("");
    gate("0.7")
        .code(1)
        .stderr(predicates::str::contains("accuracy 0.692 (9 of 13) is below --min-accuracy 0.7"));
}

#[test]
fn f1_gate_checks_every_function() {
    // F1: marketing 4/7 = 0.571, community 6/7 = 0.857, devrel 0.75.
    let gate = |bar: &str| {
        triage()
            .args(["eval", "--rules", &rules(), "--format", "json", &labelled(), "--min-f1", bar])
            .assert()
    };
    gate("0.57").code(0);
    let missed = gate("0.8").code(1);
    let stderr = String::from_utf8_lossy(&missed.get_output().stderr).into_owned();
    assert!(stderr.contains("F1 of marketing 0.571 is below --min-f1 0.8"), "{stderr}");
    assert!(stderr.contains("F1 of devrel 0.750 is below --min-f1 0.8"), "{stderr}");
    assert!(!stderr.contains("community"), "{stderr}");
}

#[test]
fn a_gate_cannot_pass_on_an_empty_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("header-only.csv");
    std::fs::write(&path, "text,owner\n").expect("write");
    triage().args(["eval", "--rules", &rules()]).arg(&path).assert().code(0);
    triage()
        .args(["eval", "--rules", &rules(), "--min-f1", "0.5"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no labelled rows to measure"));
}

#[test]
fn gate_outside_0_to_1_is_a_usage_error() {
    triage()
        .args(["eval", "--rules", &rules(), &labelled(), "--min-accuracy", "95"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--min-accuracy must be between 0 and 1, found 95"));
}

#[test]
fn unreadable_rows_are_listed_not_counted_and_exit_1() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("broken.jsonl");
    std::fs::write(
        &path,
        "{\"text\": \"the sdk docs\", \"owner\": \"devrel\"}\nnot json\n{\"text\": \"a meetup\", \"owner\": \"community\"}\n",
    )
    .expect("write");
    let output =
        triage().args(["eval", "--rules", &rules(), "--format", "json"]).arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["requests"], 2);
    assert_close(&report["accuracy"], 1.0);
    assert_eq!(report["unreadable"][0]["row"], 2);
    assert_eq!(report["unreadable"][0]["line"], 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("row 2 (line 2): invalid JSON"));
}

/// The owner, status and score of every row as `triage batch --format jsonl` prints them.
fn batch_verdicts(args: &[&str]) -> Vec<(String, String, f64)> {
    let output = triage()
        .args(["batch", "--rules", &rules(), "--format", "jsonl", "--quiet"])
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let row: Value = serde_json::from_str(line).expect("JSONL");
            // The input has an `owner` column, so batch names its own `triage_owner`.
            (
                row["triage_owner"].as_str().unwrap_or("unassigned").to_owned(),
                row["status"].as_str().unwrap_or("").to_owned(),
                row["score"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

fn eval_verdicts(args: &[&str]) -> Vec<(String, String, f64)> {
    let report = eval_json(args);
    report["predictions"]
        .as_array()
        .expect("predictions is a list")
        .iter()
        .map(|p| {
            (
                p["predicted"].as_str().unwrap_or("").to_owned(),
                p["status"].as_str().unwrap_or("").to_owned(),
                p["score"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

#[test]
fn eval_verdicts_are_batch_verdicts_row_by_row() {
    let file = labelled();
    let option_sets: [Vec<&str>; 3] = [
        vec![&file],
        // The title read as plain text: no title weight, so other verdicts.
        vec![&file, "--text-column", "title", "--text-column", "body"],
        vec![&file, "--text-column", "3", "--title-column", "2"],
    ];
    let mut seen = Vec::new();
    for args in &option_sets {
        let batch = batch_verdicts(args);
        let eval = eval_verdicts(args);
        assert_eq!(batch.len(), 13);
        assert_eq!(eval, batch, "options {args:?}");
        seen.push(eval);
    }
    assert_ne!(seen[0], seen[1], "the options change verdicts, so the comparison means something");
    assert_eq!(seen[0], seen[2]);
}

#[test]
fn include_code_changes_eval_exactly_as_it_changes_batch() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("code.csv");
    // The SDK and docs words sit inside a fenced code block: ignored unless --include-code.
    std::fs::write(
        &path,
        "title,body,owner\nHelp,\"Our meetup:\n```\nsdk docs error\n```\",community\nLaunch,plain launch note,marketing\n",
    )
    .expect("write");
    let file = path.display().to_string();
    let without = eval_verdicts(&[&file]);
    let with = eval_verdicts(&[&file, "--include-code"]);
    assert_eq!(without, batch_verdicts(&[&file]));
    assert_eq!(with, batch_verdicts(&[&file, "--include-code"]));
    assert_eq!(without[0].0, "community");
    assert_eq!(with[0].0, "devrel", "code counts with --include-code");
}

#[test]
fn a_row_with_more_fields_than_the_header_is_unreadable_not_a_made_up_label() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("long.csv");
    std::fs::write(&path, "text,owner\nthe sdk docs,devrel\na meetup,community,extra\n").expect("write");
    let output =
        triage().args(["eval", "--rules", &rules(), "--format", "json"]).arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["requests"], 1);
    assert_eq!(report["unreadable"][0]["message"], "wrong field count: 3 fields, expected 2");
}

#[test]
fn group_column_gives_figures_per_value_in_json() {
    let report = eval_json(&[&labelled(), "--group-column", "channel"]);
    assert_eq!(report["groups"]["column"], "channel");
    let values = report["groups"]["values"].as_array().expect("a list of values");
    let names: Vec<&str> = values.iter().map(|group| group["value"].as_str().unwrap_or("?")).collect();
    assert_eq!(names, ["", "chat", "forum", "issue"], "sorted by value; u1 has no channel");
    // issue: m1 d1 d2 d3 right, x1 (devrel) given to marketing. Marketing P 1/2 R 1 F1 2/3;
    // devrel P 3/3 R 3/4 F1 6/7; macro-F1 (2/3 + 6/7) / 2 = 16/21. All five have an owner.
    let issue = &values[3];
    assert_eq!((issue["requests"].as_u64(), issue["correct"].as_u64()), (Some(5), Some(4)));
    assert_close(&issue["accuracy"], 0.8);
    assert_close(&issue["macro_f1"], 16.0 / 21.0);
    assert_close(&issue["coverage"], 1.0);
    // chat: c1 m2 c3 right; x2 (unassigned) given to marketing, x3 (devrel) left unassigned.
    let chat = &values[1];
    assert_eq!((chat["requests"].as_u64(), chat["correct"].as_u64()), (Some(5), Some(3)));
    assert_close(&chat["coverage"], 0.8);
    // The group with no function in it has macro-F1 0, not NaN.
    assert_close(&values[0]["macro_f1"], 0.0);
    assert_close(&values[0]["coverage"], 0.0);
    // The whole-file figures are unchanged by grouping.
    assert_close(&report["accuracy"], 9.0 / 13.0);
    assert!(eval_json(&[&labelled()]).get("groups").is_none(), "no groups unless asked");
}

#[test]
fn group_column_table_in_text() {
    let output = triage()
        .args(["eval", "--rules", &rules(), "--color", "never", &labelled(), "--group-column", "channel"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let table = "\
by channel (4 values)
channel  requests  accuracy  macro-F1  coverage  mixed
(empty)         1     1.000     0.000     0.000      0
chat            5     0.600     0.556     0.800      1
forum           2     0.500     0.333     1.000      0
issue           5     0.800     0.762     1.000      1
";
    assert!(text.contains(table), "{text}");
}

#[test]
fn a_missing_group_column_is_an_error_naming_the_columns() {
    triage()
        .args(["eval", "--rules", &rules(), &labelled(), "--group-column", "language"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("group column \"language\" does not exist; the columns are:"));
}

#[test]
fn rule_list_is_capped_by_top_and_dead_rules_are_counted() {
    let run = |extra: &[&str]| {
        let output = triage()
            .args(["eval", "--rules", &rules(), "--color", "never", &labelled()])
            .args(extra)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let top = run(&["--top", "2"]);
    assert!(top.contains("rules that fired (8 of 9 rules; top 2 by fires;"), "{top}");
    // docs fired 5 times, blog 4: the two busiest, most fires first.
    let rows: Vec<&str> =
        top.lines().filter(|line| line.contains(" keyword ") || line.contains(" pattern ")).collect();
    assert_eq!(rows.len(), 2, "{top}");
    assert!(rows[0].starts_with("devrel     keyword  docs"), "{top}");
    assert!(rows[1].starts_with("marketing  keyword  blog"), "{top}");
    assert!(top.contains("... 6 more rules fired (--top N or --all-rules to list more)"), "{top}");
    assert!(top.contains("dead rules: 1 never fired (--all-rules lists them)"), "{top}");
    assert!(!top.contains("swag"), "dead rules are counted, not named: {top}");

    for all in [run(&["--all-rules"]), run(&["-v"]), run(&["--verbose"])] {
        assert!(all.contains("dead rules: 1 never fired: marketing/keyword swag"), "{all}");
        assert!(all.contains("devrel     pattern  error"), "the kind tells a pattern apart: {all}");
        assert!(!all.contains("more rules fired"), "{all}");
    }
}

#[test]
fn a_keyword_and_a_pattern_of_the_same_name_are_told_apart() {
    let (_folder, path) = crate::support::rule_file(
        "version: 1\nfunctions:\n  - id: community\n    keywords: [governance]\n    patterns:\n      - { regex: 'steering\\s+committee', name: governance }\n  - id: devrel\n    keywords: [sdk]\n",
    );
    let folder = tempfile::tempdir().expect("temp dir");
    let data = folder.path().join("one.csv");
    std::fs::write(&data, "text,owner\nthe sdk,devrel\n").expect("write");
    let output =
        triage().arg("--rules").arg(&path).args(["eval", "--all-rules"]).arg(&data).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "dead rules: 2 never fired: community/keyword governance, community/pattern governance"
        ),
        "{text}"
    );
}
