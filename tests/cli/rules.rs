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
fn test_with_nothing_to_test_says_so() {
    let (_folder, rules) = rule_file("version: 1\nfunctions:\n  - id: devrel\n    keywords: [sdk]\n");
    let output = triage().args(["rules", "test"]).arg(&rules).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("nothing to test: "), "{stdout}");
    assert!(stdout.contains("rules.yaml has no examples (under a function) and no tests"), "{stdout}");
    assert!(!stdout.contains("passed"), "{stdout}");
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

#[test]
fn nushell_completions_know_the_commands_and_their_options() {
    let output = triage().args(["completions", "nushell"]).output().unwrap();
    assert!(output.status.success());
    let script = String::from_utf8(output.stdout).unwrap();
    assert!(script.contains("export extern \"triage batch\""), "{script}");
    assert!(script.contains("--group-column"), "eval's options are completed: {script}");
}

#[test]
fn man_prints_one_page_per_command_with_its_options() {
    let page = |args: &[&str]| {
        let output = triage().arg("man").args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let batch = page(&["batch"]);
    assert!(batch.contains(".TH triage-batch 1"), "{batch}");
    assert!(batch.contains("text\\-column"), "batch's own options are on its page: {batch}");
    let rules_check = page(&["rules", "check"]);
    assert!(rules_check.contains(".TH triage-rules-check 1"), "{rules_check}");
    // The main page names the command pages it refers to.
    assert!(page(&[]).contains("triage\\-batch(1)"));
    triage()
        .args(["man", "bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`triage` has no command `bogus`; its commands are: batch, check"));
}

#[test]
fn man_dir_writes_every_page() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("man1");
    triage().arg("man").arg("--dir").arg(&dir).assert().success().stdout("");
    for name in [
        "triage.1",
        "triage-batch.1",
        "triage-check.1",
        "triage-eval.1",
        "triage-rules.1",
        "triage-rules-test.1",
        "triage-man.1",
        "triage-completions.1",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(text.starts_with(".ie \\n(.g .ds Aq") || text.contains(".TH"), "{name} is roff");
    }
    assert!(!dir.join("triage-help.1").exists(), "clap's help command has no page");
}

#[test]
fn man_and_completions_help_list_only_options_that_apply() {
    for command in [["man", "--help"], ["completions", "--help"]] {
        let output = triage().args(command).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(!help.contains("--rules"), "{command:?}: {help}");
        assert!(!help.contains("--include-code"), "{command:?}: {help}");
    }
    // The commands that classify still take them, after their name or before it.
    let output = triage().args(["batch", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--rules") && help.contains("--include-code"), "{help}");
    let small = fixture("rules/small.yaml");
    let expected = std::fs::read_to_string(&small).unwrap();
    triage().args(["rules", "show", "--rules"]).arg(&small).assert().success().stdout(expected.clone());
    triage().arg("--rules").arg(&small).args(["rules", "show"]).assert().success().stdout(expected);
}

#[test]
fn a_request_that_starts_with_a_command_word_gets_a_hint() {
    let hint = "hint: if `check the blog post` is a request to classify, put it after `--`: triage -- check the blog post";
    triage().args(["check", "the", "blog", "post"]).assert().code(2).stderr(predicate::str::contains(hint));
    // A command clap rejects gets the same hint.
    triage()
        .args(["batch", "of", "requests?"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("triage -- batch of requests?"));
    // A path that exists, or one that looks like a path, is not prose: no hint.
    let output = triage().args(["check", "missing/templates"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hint"));
    let output = triage().args(["check", "--format", "json", "the", "blog"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hint"), "options mean a command");
    // A subcommand that failed (`rules show` with a missing rule file) is a command, not prose.
    // (The rule file from the environment, so that `rules` is the first argument.)
    let output = triage().env("TRIAGE_RULES", "missing.yaml").args(["rules", "show"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hint"), "a subcommand is not prose");
    // After `--` it is classified.
    triage()
        .args(["--", "check", "the", "blog", "post"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Marketing"));
}
