//! Hostile input: rule files built to exhaust time or memory, huge and malformed requests,
//! unreadable files and closed pipes. Each must end with a clear message and a documented exit
//! code (0 works, 2 refused). Big inputs are generated at test time, never committed.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::triage;

/// A temporary folder that holds generated inputs for one test.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).expect("write a generated input");
    path
}

/// The smallest valid rule file around some extra YAML for one function.
fn rules_with(function_body: &str) -> String {
    format!("version: 1\nfunctions:\n  - id: support\n{function_body}")
}

/// Write a file of `size` bytes made of `unit` repeated, in chunks, without holding it all.
fn write_repeated(path: &Path, unit: &[u8], size: usize) {
    let mut file = std::io::BufWriter::new(fs::File::create(path).expect("create a generated input"));
    let mut written = 0;
    while written < size {
        let take = unit.len().min(size - written);
        file.write_all(&unit[..take]).expect("write a generated input");
        written += take;
    }
    file.flush().expect("write a generated input");
}

fn is_root() -> bool {
    // Root reads files whatever their mode; a test of "unreadable" must know.
    StdCommand::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"))
}

// ---- rule files built to exhaust memory or time ----

#[test]
fn classic_billion_laughs_rule_file_is_refused() {
    let dir = scratch();
    let mut yaml = String::from("version: 1\nlol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*lol{}", level - 1); 9].join(", ");
        yaml.push_str(&format!("lol{level}: &lol{level} [{refs}]\n"));
    }
    yaml.push_str("functions: [{id: a, keywords: [x]}]\n");
    let path = write(dir.path(), "laughs.yaml", yaml);
    triage().arg("-r").arg(&path).arg("hello").assert().code(2).stderr(contains("laughs.yaml:2:1"));
}

#[test]
fn alias_bomb_repeating_a_long_string_is_refused_before_it_fills_memory() {
    // 100 KB of text referenced 100,000 times would expand to 10 GB.
    let dir = scratch();
    let long = "y".repeat(100_000);
    let refs = ", *s".repeat(100_000);
    let yaml = rules_with(&format!("    keywords: [x]\n    examples: [&s \"{long}\"{refs}]\n"));
    let path = write(dir.path(), "bomb.yaml", yaml);
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("bomb.yaml:5:").and(contains("expands to more than 33554432 bytes")));
}

#[test]
fn alias_bomb_reusing_a_keyword_list_in_many_functions_is_refused() {
    // One list of 20,000 keywords, reused by 2,000 functions: 40 million keywords.
    let dir = scratch();
    let keywords: Vec<String> = (0..20_000).map(|i| format!("k{i}")).collect();
    let mut yaml = format!("version: 1\nfunctions:\n  - id: f0\n    keywords: &k [{}]\n", keywords.join(", "));
    for i in 1..2_000 {
        yaml.push_str(&format!("  - {{id: f{i}, keywords: *k}}\n"));
    }
    let path = write(dir.path(), "reuse.yaml", yaml);
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("reuse.yaml:").and(contains("expands to more than")));
}

#[test]
fn aliases_within_the_budget_still_load() {
    let dir = scratch();
    let yaml = "version: 1\nfunctions:\n  - id: a\n    labels: &shared [help]\n    keywords: [sdk]\n  \
                - id: b\n    labels: *shared\n    keywords: [meetup]\n";
    let path = write(dir.path(), "aliases.yaml", yaml);
    triage().arg("-r").arg(&path).arg("the sdk").assert().success().stdout(contains("score 1"));
}

#[test]
fn rule_file_nested_20000_deep_is_refused_at_the_first_bracket_too_deep() {
    let dir = scratch();
    let yaml = format!("version: 1\nfunctions: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let path = write(dir.path(), "deep.yaml", yaml);
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("deep.yaml:2:76: YAML collections").and(contains("nested more than 64 levels deep")));
}

#[test]
fn mapping_nested_20000_deep_is_refused() {
    let dir = scratch();
    let yaml = format!("version: 1\nfunctions: {}1{}\n", "{a: ".repeat(20_000), "}".repeat(20_000));
    let path = write(dir.path(), "deep.yaml", yaml);
    triage().arg("-r").arg(&path).arg("x").assert().code(2).stderr(contains("nested more than 64"));
}

#[test]
fn brackets_inside_quotes_and_comments_do_not_count_as_nesting() {
    let dir = scratch();
    let deep = "[".repeat(100);
    let yaml = rules_with(&format!(
        "    # {deep}\n    keywords: [sdk, \"{deep}\"]\n    patterns:\n      - {{ regex: '\\[{{3}}x', name: 'it''s {deep}' }}\n"
    ));
    let path = write(dir.path(), "quoted.yaml", yaml);
    triage().arg("-r").arg(&path).arg("the sdk").assert().success().stdout(contains("score 1"));
}

#[test]
fn regex_of_one_megabyte_is_refused_naming_the_limit() {
    let dir = scratch();
    let regex = "a".repeat(1024 * 1024);
    let path = write(dir.path(), "big-regex.yaml", rules_with(&format!("    patterns:\n      - regex: '{regex}'\n")));
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("big-regex.yaml:5:").and(contains("the limit is 65536 bytes")));
}

#[test]
fn small_regex_that_compiles_huge_is_refused_naming_the_size_limit() {
    let dir = scratch();
    let path = write(dir.path(), "blowup.yaml", rules_with("    patterns:\n      - regex: '\\w{1000}{1000}'\n"));
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("blowup.yaml:5:").and(contains("size limit")));
}

#[test]
fn rule_file_over_the_size_limit_is_refused() {
    let dir = scratch();
    let path = dir.path().join("huge.yaml");
    write_repeated(&path, b"# padding padding padding padding\n", 16 * 1024 * 1024 + 1);
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("is 16777217 bytes; the limit is 16777216 bytes"));
}

#[test]
fn hundred_thousand_keywords_load_and_classify() {
    let dir = scratch();
    let mut yaml = String::from("version: 1\nthreshold: 1\nfunctions:\n  - id: many\n    keywords:\n");
    for i in 0..100_000 {
        yaml.push_str(&format!("      - term{i:06}\n"));
    }
    yaml.push_str("  - id: other\n    keywords: [meetup]\n");
    let path = write(dir.path(), "many.yaml", yaml);
    triage()
        .arg("-r")
        .arg(&path)
        .args(["--format", "json", "we hit term099999 and term000000 today"])
        .assert()
        .success()
        .stdout(contains(r#""owner": "many""#).and(contains(r#""score": 2.0"#)));
}

#[test]
fn rule_file_with_invalid_utf8_names_the_line_and_column() {
    let dir = scratch();
    let path = write(dir.path(), "latin1.yaml", b"version: 1\nfunctions:\n  - id: caf\xe9\n".as_slice());
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("latin1.yaml:3:12: the rule file is not valid UTF-8"));
}

#[test]
fn missing_rule_file_is_a_clear_error() {
    let dir = scratch();
    let path = dir.path().join("nowhere.yaml");
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("nowhere.yaml: cannot read the rule file"));
}

#[test]
fn unreadable_rule_file_is_a_clear_error() {
    if is_root() {
        eprintln!("skipped: running as root, so chmod 000 does not stop reads");
        return;
    }
    let dir = scratch();
    let path = write(dir.path(), "secret.yaml", "version: 1\n");
    fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).expect("chmod 000");
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("secret.yaml: cannot read the rule file").and(contains("ermission denied")));
}

#[test]
fn rule_file_that_is_a_folder_is_a_clear_error() {
    let dir = scratch();
    triage().arg("-r").arg(dir.path()).arg("hello").assert().code(2).stderr(contains("cannot read the rule file"));
}

// ---- requests ----

#[test]
fn nul_bytes_in_a_request_are_just_characters() {
    triage()
        .write_stdin(&b"How do I\0 install the SDK?\0\0 error 401"[..])
        .assert()
        .success()
        .stdout(contains("DevRel"))
        .stderr(predicate::str::is_empty());
}

#[test]
fn invalid_utf8_on_stdin_is_replaced_with_one_warning() {
    triage()
        .write_stdin(&b"How do I install the \xff\xfe SDK? \xc3"[..])
        .assert()
        .success()
        .stdout(contains("DevRel"))
        .stderr(contains("not valid UTF-8").count(1));
}

#[test]
fn invalid_utf8_in_lines_mode_classifies_every_line_with_one_warning() {
    triage()
        .args(["--lines", "--format", "jsonl"])
        .write_stdin(&b"\xffmeetup next week\nhow do i use the sdk \xfe\nplain\n"[..])
        .assert()
        .success()
        .stdout(contains(r#""line":1"#).and(contains(r#""line":3"#)).and(contains(r#""owner":"devrel""#)))
        .stderr(contains("not valid UTF-8").count(1));
}

/// Run `triage ARGS` with standard input from a file, reporting peak memory through `time`
/// when it is installed (never asserted: only printed for the record).
fn run_with_stdin_file(args: &[&str], input: &Path) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("triage");
    StdCommand::new(binary)
        .args(args)
        .env_remove("TRIAGE_RULES")
        .current_dir(std::env::temp_dir())
        .stdin(fs::File::open(input).expect("open the generated input"))
        .output()
        .expect("run triage")
}

#[test]
fn single_line_of_200_megabytes_on_stdin_is_classified() {
    let dir = scratch();
    let path = dir.path().join("line.txt");
    let unit = b"How do I install the SDK? We keep getting an error, so the docs could help. ";
    write_repeated(&path, unit, 200 * 1024 * 1024);
    let output = run_with_stdin_file(&["--format", "json"], &path);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let verdict: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON verdict");
    assert_eq!(verdict["owner"], "devrel");
    // Each rule counts once, however long the request.
    let matches = verdict["matches"].as_array().expect("matches");
    assert!(matches.len() < 20, "{} matches", matches.len());
    assert!(matches.iter().all(|m| m["end"].as_u64() < Some(1000)));
}

#[test]
fn closed_stdout_ends_quietly_with_success() {
    let dir = scratch();
    let path = dir.path().join("lines.txt");
    write_repeated(&path, b"how do i install the sdk\nmeetup next week in Berlin\n", 8 * 1024 * 1024);
    let binary = assert_cmd::cargo::cargo_bin("triage");
    let mut child = StdCommand::new(binary)
        .args(["--lines", "--format", "jsonl"])
        .env_remove("TRIAGE_RULES")
        .current_dir(std::env::temp_dir())
        .stdin(fs::File::open(&path).expect("open the generated input"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start triage");
    let mut first = String::new();
    {
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout).read_line(&mut first).expect("read the first line");
        // Dropping the reader closes the pipe, as `head -1` does.
    }
    let output = child.wait_with_output().expect("triage ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first.contains(r#""line":1"#), "first line: {first}");
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

#[test]
fn body_with_many_code_blocks_and_comments_is_classified() {
    // Found in code review while hardening: each comment searched every code block
    // before it, so 150,000 of each took minutes. Now a binary search: linear overall.
    let mut body = String::from("How do I install the SDK?\n");
    for _ in 0..150_000 {
        body.push_str("\n    trace line\n\n<!-- note --> docs\n");
    }
    triage().args(["--format", "json"]).write_stdin(body).assert().success().stdout(contains(r#""owner": "devrel""#));
}

#[test]
fn rules_option_before_a_command_still_runs_the_command() {
    // Found by the `rules show` round-trip property: `triage -r FILE rules show` used to classify
    // the words "rules show", because any option switched subcommands off.
    let dir = scratch();
    let path = write(dir.path(), "mine.yaml", rules_with("    keywords: [refund]\n"));
    triage()
        .arg("-r")
        .arg(&path)
        .args(["rules", "show"])
        .assert()
        .success()
        .stdout(contains("keywords: [refund]"));
    triage().args(["-q", "rules", "check"]).arg(&path).assert().success().stdout(contains("1 functions"));
}
