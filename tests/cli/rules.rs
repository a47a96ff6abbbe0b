//! Integration tests: `triage rules show | check | test | schema`, completions and the man page.

use predicates::prelude::*;

use crate::support::{fixture, rule_file, triage};

#[test]
fn show_prints_the_effective_rules_which_load_back() {
    let output = triage().args(["rules", "show"]).output().unwrap();
    assert!(output.status.success());
    let shown = String::from_utf8(output.stdout).unwrap();
    let reloaded = request_triage::RuleSet::from_yaml(&shown, "shown").unwrap();
    let default = request_triage::RuleSet::default_rules();
    assert_eq!(reloaded.functions, default.functions);
    assert_eq!(reloaded.tests, default.tests);
}

#[test]
fn show_prints_a_given_rule_file() {
    let small = fixture("rules/small.yaml");
    triage()
        .args(["--rules", small.to_str().unwrap(), "rules", "show"])
        .assert()
        .success()
        .stdout(std::fs::read_to_string(&small).unwrap());
}

#[test]
fn check_summarises_a_valid_file() {
    triage()
        .args(["rules", "check", fixture("rules/small.yaml").to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("3 functions, 10 rules, 0 warnings"));
}

#[test]
fn check_lists_shared_terms_as_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.yaml");
    std::fs::write(
        &path,
        "version: 1\nfunctions:\n  - id: a\n    keywords: [event]\n  - id: b\n    keywords: [event]\n",
    )
    .unwrap();
    triage()
        .args(["rules", "check", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").and(predicate::str::contains("shared.yaml:6")));
}

#[test]
fn check_rejects_a_bad_file_with_exit_2() {
    triage()
        .args(["rules", "check", fixture("rules/unknown-key.yaml").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown-key.yaml:5:5: functions[0]: unknown field `pattern`"));
}

#[test]
fn test_passes_on_the_default_and_small_rules() {
    triage().args(["rules", "test"]).assert().success().stdout(predicate::str::contains(" 0 failed"));
    triage()
        .args(["rules", "test", fixture("rules/small.yaml").to_str().unwrap()])
        .assert()
        .success()
        .stdout("3 passed, 0 failed\n");
}

#[test]
fn test_lists_each_failure_and_exits_1() {
    let output = triage()
        .args(["rules", "test", fixture("rules/failing-tests.yaml").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!(stdout.replace(env!("CARGO_MANIFEST_DIR"), "[ROOT]"));
}

#[test]
fn a_failing_example_is_reported_at_its_own_line() {
    // The example "meetup" is also a keyword of community, two lines above it.
    let (_folder, rules) = rule_file("version: 1\nfunctions:\n  - id: community\n    keywords: [meetup]\n  - id: devrel\n    keywords: [sdk]\n    examples:\n      - meetup\n");
    let output = triage().args(["rules", "test"]).arg(&rules).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("rules.yaml:8: expected devrel"), "{stdout}");
}

#[test]
fn rules_test_honours_include_code() {
    let (_folder, rules) = rule_file("version: 1\nfunctions:\n  - id: community\n    keywords: [{ term: meetup, weight: 3 }]\ntests:\n  - { text: \"<!-- meetup -->\", expect: unassigned }\n");
    triage().args(["rules", "test"]).arg(&rules).assert().success();
    triage().args(["rules", "test", "--include-code"]).arg(&rules).assert().code(1);
}

#[test]
fn schema_is_json_schema_for_the_format() {
    let output = triage().args(["rules", "schema"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["properties"]["version"]["const"], 1);
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        triage().args(["completions", shell]).assert().success().stdout(predicate::str::contains("triage"));
    }
    triage().arg("man").assert().success().stdout(predicate::str::contains(".TH triage"));
}

#[test]
fn scores_are_rounded_to_six_decimals_before_the_threshold() {
    // The documented decision: the score printed is the score compared.
    let rules = |weight: &str| {
        format!(
            "version: 1\nthreshold: 3\nfunctions:\n  - id: a\n    keywords:\n      - {{ term: sdk, weight: {weight} }}\n  - id: b\n    keywords: [meetup]\n"
        )
    };
    let (_folder, seven) = rule_file(&rules("2.9999999"));
    triage()
        .arg("-r")
        .arg(&seven)
        .arg("the sdk")
        .assert()
        .success()
        .stdout(predicate::str::contains("assigned  score 3\n"));
    let (_folder, five) = rule_file(&rules("2.99999"));
    triage().arg("-r").arg(&five).args(["--format", "json", "the sdk"]).assert().success().stdout(
        predicate::str::contains(r#""status": "unassigned""#)
            .and(predicate::str::contains(r#""score": 2.99999"#)),
    );
}
