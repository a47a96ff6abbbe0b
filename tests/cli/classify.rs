//! Integration tests: classifying one request, as a user types it or pipes it.

use predicates::prelude::*;

use crate::support::{first_line_then_closed, fixture, rule_file, triage};

const SDK_401: &str = "How do I authenticate with the Python SDK? I keep getting a 401";

fn small() -> [String; 2] {
    ["--rules".into(), fixture("rules/small.yaml").display().to_string()]
}

fn stdout_of(command: &mut assert_cmd::Command) -> String {
    let output = command.output().expect("triage runs");
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn piped_request_text_output() {
    let out = stdout_of(triage().args(small()).write_stdin(SDK_401));
    insta::assert_snapshot!(out);
}

#[test]
fn text_arguments_are_one_request() {
    let out =
        stdout_of(triage().args(small()).args(["Please", "announce", "the", "launch", "on", "the", "blog"]));
    assert!(out.starts_with("Marketing  assigned  score 4"), "{out}");
}

#[test]
fn text_after_a_double_dash_is_a_request_even_when_it_starts_with_a_command_name() {
    let out =
        stdout_of(triage().args(small()).args(["--format", "json", "--", "check", "the", "blog", "post"]));
    let verdict: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["owner"], "marketing", "{out}");
}

#[test]
fn single_request_options_before_a_command_are_an_error_not_ignored() {
    let input = fixture("batch/requests.csv");
    for option in [&["--format", "json"][..], &["--lines"], &["--explain"]] {
        triage()
            .args(option)
            .arg("batch")
            .arg(&input)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("only apply to classifying one request"));
    }
}

#[test]
fn runner_up_is_shown_when_it_scored() {
    let out = stdout_of(triage().args(small()).arg("a meetup about the sdk and a forum"));
    assert!(out.starts_with("Community  assigned  score 5"), "{out}");
    assert!(out.contains("runner-up: DevRel 2"), "{out}");
}

#[test]
fn json_output_carries_the_full_evidence() {
    let out = stdout_of(triage().args(small()).args(["--format", "json", SDK_401]));
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    insta::assert_json_snapshot!(value);
    let first = &value["matches"][0];
    let (start, end) = (first["start"].as_u64().unwrap() as usize, first["end"].as_u64().unwrap() as usize);
    assert_eq!(&SDK_401[start..end], first["text"].as_str().unwrap());
}

#[test]
fn unassigned_json_has_null_owner() {
    let out = stdout_of(triage().args(small()).args(["--format", "json", "hello"]));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["owner"], serde_json::Value::Null);
    assert_eq!(value["status"], "unassigned");
}

#[test]
fn lines_jsonl_gives_one_object_per_line() {
    let input = "how do i use the sdk\n\na meetup in the forum\n";
    let out = stdout_of(triage().args(small()).args(["--lines", "--format", "jsonl"]).write_stdin(input));
    let owners: Vec<serde_json::Value> =
        out.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["owner"].clone()).collect();
    assert_eq!(
        owners,
        [serde_json::json!("devrel"), serde_json::Value::Null, serde_json::json!("community")]
    );
}

#[test]
fn lines_json_is_one_array() {
    let out = stdout_of(
        triage().args(small()).args(["--lines", "--format", "json"]).write_stdin("sdk sdk\nforum\n"),
    );
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(2));
    assert_eq!(value[1]["line"], 2);
}

#[test]
fn explain_highlights_matches_plainly_when_not_coloured() {
    let out = stdout_of(triage().args(small()).args(["--explain", SDK_401]));
    assert!(out.contains("[How do I](devrel) [authenticate](devrel) with the Python [SDK](devrel)"), "{out}");
}

#[test]
fn explain_highlights_evidence_rather_than_counter_evidence_on_the_same_words() {
    let (_folder, rules) = rule_file(
        "version: 1\nfunctions:\n  - id: community\n    keywords: [meetup, { term: sdk, weight: -1 }]\n  \
         - id: devrel\n    keywords: [{ term: python sdk, weight: 2 }, { term: sdk, weight: 2 }]\n",
    );
    let out = stdout_of(triage().args(["--rules", rules.to_str().unwrap(), "--explain", "the Python SDK"]));
    // "Python SDK" and "SDK" overlap: one stretch of text votes once, so the score is 2, not 4.
    assert!(out.starts_with("devrel  assigned  score 2\n"), "no focus, no brackets: {out}");
    assert!(out.ends_with("the [Python SDK](devrel)\n"), "{out}");
    let out = stdout_of(triage().args(["--rules", rules.to_str().unwrap(), "--explain", "an SDK meetup"]));
    assert!(out.ends_with("an [SDK](devrel) [meetup](community)\n"), "{out}");
}

#[test]
fn colour_is_off_when_piped_and_on_when_forced() {
    let plain = stdout_of(triage().args(small()).arg(SDK_401));
    assert!(!plain.contains('\u{1b}'));
    let forced = stdout_of(triage().args(small()).args(["--color", "always", SDK_401]));
    assert!(forced.contains("\u{1b}["));
    let env_forced = stdout_of(triage().args(small()).env("CLICOLOR_FORCE", "1").arg(SDK_401));
    assert!(env_forced.contains("\u{1b}["));
    let no_color =
        stdout_of(triage().args(small()).env("NO_COLOR", "1").env("CLICOLOR_FORCE", "0").arg(SDK_401));
    assert!(!no_color.contains('\u{1b}'));
    let never =
        stdout_of(triage().args(small()).args(["--color", "never"]).env("CLICOLOR_FORCE", "1").arg(SDK_401));
    assert!(!never.contains('\u{1b}'));
}

#[test]
fn json_is_never_coloured() {
    let out = stdout_of(triage().args(small()).args(["--color", "always", "--format", "json", SDK_401]));
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn code_blocks_do_not_vote_unless_include_code() {
    let text = "Our status:\n```\nhow do i fix this sdk 401\n```\n";
    let out = stdout_of(triage().args(small()).args(["--format", "json"]).write_stdin(text));
    assert!(out.contains("\"status\": \"unassigned\""), "{out}");
    let out =
        stdout_of(triage().args(small()).args(["--include-code", "--format", "json"]).write_stdin(text));
    assert!(out.contains("\"owner\": \"devrel\""), "{out}");
}

#[test]
fn empty_input_is_unassigned_and_succeeds() {
    let out = stdout_of(triage().args(small()).write_stdin(""));
    assert!(out.starts_with("unassigned  score 0"), "{out}");
}

#[test]
fn invalid_utf8_is_read_lossily_with_one_warning() {
    triage()
        .args(small())
        .write_stdin(&b"how do i \xff\xfe use the sdk"[..])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("DevRel"))
        .stderr(predicate::str::contains("not valid UTF-8").count(1));
}

#[test]
fn closed_stdout_ends_quietly() {
    // Many lines into a reader that closes at once: no panic message, exit 0.
    let input = "how do i use the sdk\n".repeat(200_000);
    let mut args: Vec<String> = small().into();
    args.extend(["--lines", "--format", "jsonl"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, output) = first_line_then_closed(&args, input.into_bytes());
    assert!(output.status.success(), "status {:?}", output.status);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("error"), "{stderr}");
}

#[test]
fn default_rules_route_the_readme_examples() {
    let owner = |text: &str| {
        let out = stdout_of(triage().args(["--format", "json", text]));
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["owner"].as_str().map(str::to_owned)
    };
    assert_eq!(owner(SDK_401).as_deref(), Some("devrel"));
    assert_eq!(
        owner("Can we announce the 2.0 launch on the blog and in the newsletter?").as_deref(),
        Some("marketing")
    );
    assert_eq!(owner("Is there a meetup or user group near Lyon?").as_deref(), Some("community"));
}

#[test]
fn rules_are_discovered_up_to_the_repository_root() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    std::fs::write(
        root.path().join(".triage.yaml"),
        "version: 1\nfunctions:\n  - id: support\n    name: Support\n    keywords: [{ term: refund, weight: 5 }]\n",
    )
    .unwrap();
    let nested = root.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    let out = stdout_of(triage().current_dir(&nested).arg("I want a refund"));
    assert!(out.starts_with("Support  assigned  score 5"), "{out}");
    // TRIAGE_RULES wins over discovery.
    let out = stdout_of(
        triage().current_dir(&nested).env("TRIAGE_RULES", fixture("rules/small.yaml")).arg("I want a refund"),
    );
    assert!(out.starts_with("unassigned"), "{out}");
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("triage.yaml"), "not: [valid").unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    // The broken file above the repository root is never read.
    triage().current_dir(&repo).arg("hello").assert().success();
}

#[test]
fn a_bad_rule_file_exits_2_naming_file_line_and_problem() {
    triage()
        .args(["--rules", fixture("rules/unknown-key.yaml").to_str().unwrap(), "hello"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown-key.yaml:5:")
                .and(predicate::str::contains("unknown field `pattern`")),
        );
    triage().args(["--rules", "/nonexistent/rules.yaml", "hello"]).assert().code(2).stderr(
        predicate::str::contains("/nonexistent/rules.yaml").and(predicate::str::contains("cannot read")),
    );
}

#[test]
fn title_option_weights_the_title_as_batch_does() {
    // "launch" is worth 2; in the title (weight 2 in small.yaml) it reaches 4.
    let titled =
        stdout_of(triage().args(small()).args(["--format", "json", "--title", "Launch", "--", "hi"]));
    let value: serde_json::Value = serde_json::from_str(&titled).unwrap();
    assert_eq!(
        (value["owner"].as_str(), value["score"].as_f64()),
        (Some("marketing"), Some(4.0)),
        "{titled}"
    );
    assert_eq!(value["matches"][0]["field"], "title", "{titled}");
    let untitled = stdout_of(triage().args(small()).args(["--format", "json", "--", "Launch", "hi"]));
    let value: serde_json::Value = serde_json::from_str(&untitled).unwrap();
    assert_eq!(value["score"].as_f64(), Some(2.0), "{untitled}");
}

#[test]
fn title_option_with_the_body_on_stdin() {
    let out = stdout_of(
        triage().args(small()).args(["--format", "json", "--title", "Meetup"]).write_stdin("in Lyon"),
    );
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((value["owner"].as_str(), value["score"].as_f64()), (Some("community"), Some(6.0)), "{out}");
}

#[test]
fn title_option_cannot_be_combined_with_lines() {
    triage()
        .args(small())
        .args(["--title", "x", "--lines"])
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--title"));
}

#[test]
fn json_verdict_carries_the_owners_labels_as_written() {
    let (_folder, rules) = rule_file(
        "version: 1\nfunctions:\n  - id: docs\n    name: Docs\n    focus: docs\n    labels: [Documentation, \"good first issue\"]\n    keywords: [{ term: docs, weight: 3 }]\n",
    );
    let out = stdout_of(triage().arg("--rules").arg(&rules).args(["--format", "json", "the docs are wrong"]));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["labels"], serde_json::json!(["Documentation", "good first issue"]), "{out}");
    let none = stdout_of(triage().arg("--rules").arg(&rules).args(["--format", "json", "hello"]));
    let value: serde_json::Value = serde_json::from_str(&none).unwrap();
    assert_eq!(value["labels"], serde_json::json!([]), "no owner, no labels: {none}");
}
