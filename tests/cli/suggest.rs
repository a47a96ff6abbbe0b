//! Integration tests: `triage rules suggest` on `tests/fixtures/suggest/labelled.csv`, where
//! "webhook"/"webhooks" (8 DevRel requests, no base rule) is the planted discriminative term and
//! "timezone" the planted misleading one: it occurs in DevRel and Community requests that the
//! base rule `launch` sends to Marketing.

use crate::support::{fixture, rule_file, triage};

fn folder() -> std::path::PathBuf {
    fixture("suggest")
}

/// `triage rules suggest` run in the fixture folder, so paths in its output are short.
fn suggest(args: &[&str]) -> std::process::Output {
    triage().current_dir(folder()).args(["rules", "suggest"]).args(args).output().expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn additions_and_summary() {
    let output = suggest(&["labelled.csv", "--rules", "base.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!("suggest_additions", text(&output.stdout));
    insta::assert_snapshot!("suggest_summary", text(&output.stderr));
}

#[test]
fn planted_terms_become_evidence_and_counter_evidence() {
    let output = suggest(&["labelled.csv", "--rules", "base.yaml", "-q"]);
    let additions: serde_yaml::Value =
        serde_yaml::from_slice(&output.stdout).expect("the additions are YAML");
    let keywords = |id: &str| -> Vec<(String, f64)> {
        let functions = additions["functions"].as_sequence().expect("a list of functions");
        let function =
            functions.iter().find(|f| f["id"].as_str() == Some(id)).expect("the function has additions");
        let list = function["keywords"].as_sequence().expect("keywords");
        list.iter()
            .map(|k| (k["term"].as_str().unwrap_or("").to_owned(), k["weight"].as_f64().unwrap_or(0.0)))
            .collect()
    };
    let devrel = keywords("devrel");
    assert!(devrel.iter().any(|(term, weight)| term.starts_with("webhook") && *weight > 0.0), "{devrel:?}");
    let marketing = keywords("marketing");
    assert!(marketing.iter().any(|(term, weight)| term == "timezone" && *weight < 0.0), "{marketing:?}");
}

#[test]
fn output_file_keeps_the_base_file_and_passes_check_test_and_eval() {
    let (dir, _) = rule_file("version: 1\n");
    let out = dir.path().join("learned.yaml");
    let output = suggest(&["labelled.csv", "--rules", "base.yaml", "-o", out.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("the file is written");
    let base = std::fs::read_to_string(folder().join("base.yaml")).expect("fixture");
    // Every line of the base file is kept, comments included, in order.
    let mut rest = written.as_str();
    for line in base.lines() {
        let at = rest.find(line).unwrap_or_else(|| panic!("{line:?} is missing from\n{written}"));
        rest = &rest[at + line.len()..];
    }
    assert!(written.contains("# suggested: precision 1.00 on 12 requests (12 not marketing)"), "{written}");
    let path = out.to_str().expect("utf-8 path");
    triage()
        .args(["rules", "check", path])
        .assert()
        .success()
        .stdout(predicates::str::contains("0 warnings"));
    triage().args(["rules", "test", path]).assert().success();
    let eval = |rules: &str| {
        let output = triage()
            .current_dir(folder())
            .args(["eval", "labelled.csv", "--rules", rules, "--format", "json"])
            .output()
            .expect("eval runs");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        report["accuracy"].as_f64().unwrap_or(0.0)
    };
    assert!(eval(path) > eval("base.yaml") + 0.2);
}

#[test]
fn same_input_same_output() {
    let first = suggest(&["labelled.csv", "--rules", "base.yaml"]);
    let second = suggest(&["labelled.csv", "--rules", "base.yaml"]);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(first.stderr, second.stderr);
}

#[test]
fn without_rules_the_functions_come_from_the_labels() {
    let (dir, _) = rule_file("version: 1\n");
    let out = dir.path().join("learned.yaml");
    let data = folder().join("labelled.csv");
    triage()
        .current_dir(dir.path())
        .args(["-q", "rules", "suggest", data.to_str().expect("path"), "-o", out.to_str().expect("path")])
        .assert()
        .success();
    let rules = request_triage::RuleSet::from_path(&out).expect("the written file loads");
    let ids: Vec<&str> = rules.functions.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["community", "devrel", "marketing"]);
    triage().args(["rules", "check", out.to_str().expect("path")]).assert().success();
}

#[test]
fn max_new_limits_the_rules_added() {
    let output = suggest(&["labelled.csv", "--rules", "base.yaml", "--max-new", "1", "-q"]);
    let additions = text(&output.stdout);
    assert_eq!(additions.matches("# suggested:").count(), 1, "{additions}");
}

#[test]
fn an_unknown_label_names_its_row_and_the_valid_labels() {
    let (dir, _) = rule_file("version: 1\n");
    let data = dir.path().join("data.csv");
    std::fs::write(&data, "title,body,owner\nA,Webhook fails,devrel\nB,Blog post,sales\n").expect("write");
    triage()
        .current_dir(folder())
        .args(["rules", "suggest", "--rules", "base.yaml", data.to_str().expect("path")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("row 2 (line 3): label \"sales\" is not a function"))
        .stderr(predicates::str::contains("expected one of: marketing, community, devrel, unassigned"));
}

#[test]
fn too_few_requests_is_an_error() {
    let (dir, _) = rule_file("version: 1\n");
    let data = dir.path().join("data.csv");
    std::fs::write(&data, "title,body,owner\nA,Webhook fails,devrel\n").expect("write");
    triage()
        .current_dir(folder())
        .args(["rules", "suggest", "--rules", "base.yaml", data.to_str().expect("path")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("1 labelled request: at least 2 are needed"));
}

#[test]
fn the_seed_rule_file_of_the_readme_example_is_valid() {
    let seed = folder().join("seed.yaml");
    triage()
        .args(["rules", "check", seed.to_str().expect("path")])
        .assert()
        .success()
        .stdout(predicates::str::contains("3 functions, 39 rules, 0 warnings"));
}
