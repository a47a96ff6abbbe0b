//! Hostile input: rule files built to exhaust time or memory, huge and malformed requests,
//! unreadable files and closed pipes. Each must end with a clear message and a documented exit
//! code (0 works, 2 refused). Big inputs are generated at test time, never committed. Every run
//! is capped in memory and CPU time (`support::capped`), so a regression fails fast.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{capped as triage, capped_process as triage_process, first_line_then_closed};

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

/// A file with mode 000, or `None` when running as root, which reads files whatever their mode.
fn unreadable_file(dir: &Path, name: &str, contents: &str) -> Option<PathBuf> {
    let root = StdCommand::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"));
    if root {
        eprintln!("skipped: running as root, so chmod 000 does not stop reads");
        return None;
    }
    let path = write(dir, name, contents);
    fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).expect("chmod 000");
    Some(path)
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
    // Named at the alias that passes the limit, not at the anchor it repeats.
    triage().arg("-r").arg(&path).arg("hello").assert().code(2).stderr(contains(
        "laughs.yaml:8:14: YAML aliases here repeat more than 16777216 bytes of text, the limit",
    ));
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
        .stderr(contains("bomb.yaml:5:").and(contains("YAML aliases here repeat more than 16777216 bytes")));
}

#[test]
fn alias_bomb_reusing_a_keyword_list_in_many_functions_is_refused() {
    // One list of 20,000 keywords, reused by 2,000 functions: 40 million keywords.
    let dir = scratch();
    let keywords: Vec<String> = (0..20_000).map(|i| format!("k{i}")).collect();
    let mut yaml =
        format!("version: 1\nfunctions:\n  - id: f0\n    keywords: &k [{}]\n", keywords.join(", "));
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
        .stderr(contains("reuse.yaml:").and(contains("YAML aliases here repeat more than")));
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
fn rule_file_nested_20000_deep_is_refused_on_its_line() {
    let dir = scratch();
    let yaml = format!("version: 1\nfunctions: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let path = write(dir.path(), "deep.yaml", yaml);
    triage().arg("-r").arg(&path).arg("hello").assert().code(2).stderr(
        contains("deep.yaml:2:")
            .and(contains(": YAML collections"))
            .and(contains("nested more than 64 levels deep")),
    );
}

#[test]
fn mapping_nested_20000_deep_is_refused() {
    let dir = scratch();
    let yaml = format!("version: 1\nfunctions: {}1{}\n", "{a: ".repeat(20_000), "}".repeat(20_000));
    let path = write(dir.path(), "deep.yaml", yaml);
    triage().arg("-r").arg(&path).arg("x").assert().code(2).stderr(contains("nested more than 64"));
}

#[test]
fn a_stray_quote_in_a_plain_scalar_does_not_hide_deep_nesting() {
    // The old text scan took `"b` for the start of a string and missed every bracket after it.
    let dir = scratch();
    let yaml = format!(
        "version: 1\nfunctions:\n  - id: a\n    name: a \"b\n    keywords: {}x{}\n",
        "[".repeat(80_000),
        "]".repeat(80_000)
    );
    let path = write(dir.path(), "stray.yaml", yaml);
    triage()
        .arg("-r")
        .arg(&path)
        .arg("x")
        .assert()
        .code(2)
        .stderr(contains("stray.yaml:5:").and(contains("nested more than 64")));
}

#[test]
fn many_brackets_in_plain_and_block_scalars_are_text() {
    let dir = scratch();
    let deep = "[".repeat(100);
    let yaml =
        rules_with(&format!("    question: see {deep}\n    focus: |\n      {deep}\n    keywords: [sdk]\n"));
    let path = write(dir.path(), "prose.yaml", yaml);
    triage().arg("-r").arg(&path).arg("the sdk").assert().success().stdout(contains("score 1"));
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
    let path = write(
        dir.path(),
        "big-regex.yaml",
        rules_with(&format!("    patterns:\n      - regex: '{regex}'\n")),
    );
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
    let path =
        write(dir.path(), "blowup.yaml", rules_with("    patterns:\n      - regex: 'x(?u:\\w{1000})'\n"));
    triage().arg("-r").arg(&path).arg("hello").assert().code(2).stderr(
        contains("blowup.yaml:5:").and(contains("more than 8388608 bytes, the limit for one pattern")),
    );
}

#[test]
fn nested_counted_repetition_is_refused_naming_the_repetition_limit() {
    let dir = scratch();
    let path =
        write(dir.path(), "nested.yaml", rules_with("    patterns:\n      - regex: '\\w{1000}{1000}'\n"));
    triage()
        .arg("-r")
        .arg(&path)
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("nested.yaml:5:").and(contains("1000000 times; the limit is 1000")));
}

#[test]
fn counted_repetition_of_100000_is_refused_by_rules_check() {
    // It compiled under the size limit, passed `rules check`, then took 59 s on a 196 KB request.
    let dir = scratch();
    let path = write(dir.path(), "count.yaml", rules_with("    patterns:\n      - regex: 'a.{100000}'\n"));
    triage()
        .arg("-r")
        .arg(&path)
        .args(["rules", "check"])
        .assert()
        .code(2)
        .stderr(contains("count.yaml:5:").and(contains("repeats 100000 times; the limit is 1000")));
}

#[test]
fn patterns_too_big_together_are_refused_alike_by_rules_check_batch_and_one_request() {
    // Each pattern is under the 8 MiB limit for one; together they pass the 32 MiB for all.
    let dir = scratch();
    let mut body = String::from("    patterns:\n");
    for i in 0..6 {
        body.push_str(&format!("      - regex: 'p{i}(?u:\\w{{400}})'\n"));
    }
    let path = write(dir.path(), "together.yaml", rules_with(&body));
    let input = write(dir.path(), "in.csv", "id,text\n1,hello p1 world\n");
    let message = "together.yaml:9:";
    let limit = "the patterns up to this one compile to more than 33554432 bytes together, the limit for all patterns";
    for args in
        [&["rules", "check"][..], &["batch", input.to_str().expect("UTF-8 path")], &["hello p1 world"]]
    {
        triage()
            .arg("-r")
            .arg(&path)
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(message).and(contains(limit)));
    }
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
        .stderr(contains("huge.yaml: the rule file is larger than 16777216 bytes"));
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

/// Loading is linear: these took 24 s (100,000 keywords `k0` ... `k99999`, release build) and
/// 14 s (50,000 functions) when it was quadratic, minutes in a debug build. The CPU-time cap of
/// `capped` is what fails them if that comes back; they finish in a few seconds.
#[test]
fn hundred_thousand_unpadded_keywords_load_in_linear_time() {
    let dir = scratch();
    let mut yaml = String::from("version: 1\nthreshold: 1\nfunctions:\n  - id: many\n    keywords:\n");
    for i in 0..100_000 {
        yaml.push_str(&format!("      - k{i}\n"));
    }
    let path = write(dir.path(), "unpadded.yaml", yaml);
    triage().arg("-r").arg(&path).args(["rules", "check"]).assert().success();
    triage()
        .arg("-r")
        .arg(&path)
        .args(["--format", "json", "we hit k99999 and k0 today"])
        .assert()
        .success()
        .stdout(contains(r#""owner": "many""#).and(contains(r#""score": 2.0"#)));
}

#[test]
fn fifty_thousand_functions_load_in_linear_time() {
    let dir = scratch();
    let mut yaml = String::from("version: 1\nthreshold: 1\nfunctions:\n");
    for i in 0..50_000 {
        yaml.push_str(&format!("  - id: f{i}\n    keywords: [w{i}]\n"));
    }
    yaml.push_str("tests:\n  - { text: w49999, expect: f49999 }\n");
    let path = write(dir.path(), "functions.yaml", yaml);
    triage().arg("-r").arg(&path).args(["rules", "check"]).assert().success();
    triage().arg("-r").arg(&path).args(["rules", "test"]).assert().success();
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
    let dir = scratch();
    let Some(path) = unreadable_file(dir.path(), "secret.yaml", "version: 1\n") else { return };
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
    triage()
        .arg("-r")
        .arg(dir.path())
        .arg("hello")
        .assert()
        .code(2)
        .stderr(contains("cannot read the rule file"));
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

/// Run `triage ARGS` with standard input from a file (a big one: a long CPU-time cap).
fn run_with_stdin_file(args: &[&str], input: &Path) -> std::process::Output {
    crate::support::capped_process_with(600)
        .args(args)
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
    let lines = b"how do i install the sdk\nmeetup next week in Berlin\n";
    let input = lines.repeat(8 * 1024 * 1024 / lines.len());
    let (first, output) = first_line_then_closed(&["--lines", "--format", "jsonl"], input);
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
    triage()
        .args(["--format", "json"])
        .write_stdin(body)
        .assert()
        .success()
        .stdout(contains(r#""owner": "devrel""#));
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
    triage().args(["-q", "rules", "check"]).arg(&path).assert().success().stdout(contains("1 function,"));
}

// ---- tables (`triage batch`) ----

#[test]
fn csv_with_ragged_rows_and_an_unterminated_quote_keeps_every_row() {
    let dir = scratch();
    let csv =
        "id,title,body\n1,SDK,how do i install\n2,short\n3,a,b,c,d\n4,\"never closed,blog post\n5,x,y\n";
    let path = write(dir.path(), "ragged.csv", csv);
    let output = triage().arg("batch").arg(&path).output().expect("run triage");
    assert_eq!(output.status.code(), Some(1), "rows that cannot be read are findings");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 messages");
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(stdout.as_bytes());
    let statuses: Vec<String> = reader.records().map(|r| r.expect("output is CSV")[4].to_owned()).collect();
    // Row 4's quote runs to the end of the input, swallowing row 5: it becomes one error row.
    // Row 3's two extra fields join its last column, and it is classified.
    assert_eq!(statuses, ["assigned", "error", "unassigned", "error"]);
    assert!(
        stderr.contains(r#"row 2 (line 3, id "2"): wrong field count: 2 fields, expected 3"#),
        "{stderr}"
    );
    assert!(
        stderr.contains(r#"row 3 (line 4, id "3"): 5 fields, expected 3: the 2 extra fields are kept in the last column "body""#),
        "{stderr}"
    );
    assert!(stderr.contains(r#"row 4 (line 5, id "4"): unterminated quoted field"#), "{stderr}");
}

#[test]
fn invalid_utf8_in_a_csv_cell_is_an_error_row_naming_the_column() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "latin1.csv",
        b"id,body\n1,caf\xe9 meetup\n2,how do i install the sdk\n".as_slice(),
    );
    let output = triage().arg("batch").arg(&path).output().expect("run triage");
    assert_eq!(output.status.code(), Some(1));
    // The row's bytes are passed through as they came; the other rows are classified.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1,caf\u{fffd} meetup,,error,"), "{stdout}");
    assert!(stdout.contains("2,how do i install the sdk,devrel,assigned"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("row 1 (line 2, id \"1\"): invalid UTF-8 in column \"body\" at byte 3"),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_nul_bytes_and_garbage_in_jsonl_are_error_rows() {
    let dir = scratch();
    let input = b"{\"body\":\"caf\xe9\"}\nnot json\n[1]\n{\"body\":\"how do i\\u0000 install the sdk\"}\n";
    let path = write(dir.path(), "bad.jsonl", input.as_slice());
    let output = triage().arg("batch").arg(&path).output().expect("run triage");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let rows: Vec<serde_json::Value> =
        stdout.lines().map(|line| serde_json::from_str(line).expect("each output line is JSON")).collect();
    let statuses: Vec<&str> = rows.iter().map(|row| row["status"].as_str().unwrap_or("?")).collect();
    assert_eq!(statuses, ["error", "error", "error", "assigned"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("row 1 (line 1): invalid UTF-8"), "{stderr}");
    assert!(stderr.contains("row 2 (line 2): invalid JSON"), "{stderr}");
    assert!(stderr.contains("row 3 (line 3): not a JSON object"), "{stderr}");
}

#[test]
fn missing_batch_input_is_a_clear_error() {
    let dir = scratch();
    triage()
        .arg("batch")
        .arg(dir.path().join("gone.csv"))
        .assert()
        .code(2)
        .stderr(contains("gone.csv").and(contains("No such file")));
}

#[test]
fn unreadable_batch_input_is_a_clear_error() {
    let dir = scratch();
    let Some(path) = unreadable_file(dir.path(), "locked.csv", "id,body\n1,docs\n") else { return };
    triage()
        .arg("batch")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("locked.csv").and(contains("ermission denied")));
}

/// Temporary files `batch -o` leaves in `dir`.
fn leftover_temporary_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list the folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

/// Send `signal` to a `batch -o` run once its temporary file exists: the temporary file must be
/// gone afterwards, and the output either complete or absent.
fn signalled_batch_leaves_a_complete_output_file_or_none(signal: &str, code: i32) {
    let dir = scratch();
    let input = dir.path().join("big.csv");
    let rows = 400_000;
    {
        let mut file = std::io::BufWriter::new(fs::File::create(&input).expect("create input"));
        writeln!(file, "id,body").expect("write input");
        for i in 0..rows {
            writeln!(file, "{i},How do I install the SDK? Meetup next week; blog post {i}")
                .expect("write input");
        }
        file.flush().expect("write input");
    }
    let output = dir.path().join("out.csv");
    let mut child = triage_process()
        .arg("batch")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start triage");
    // Interrupt once the temporary output exists (or the run is over).
    let mut signalled = false;
    for _ in 0..6000 {
        if child.try_wait().expect("poll triage").is_some() {
            break;
        }
        if !leftover_temporary_files(dir.path()).is_empty() {
            let status =
                StdCommand::new("kill").arg(format!("-{signal}")).arg(child.id().to_string()).status();
            signalled = status.is_ok_and(|s| s.success());
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let result = child.wait_with_output().expect("triage ends");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(leftover_temporary_files(dir.path()), Vec::<String>::new(), "temporary file left behind");
    match result.status.code() {
        Some(exit) if exit == code => {
            assert!(signalled);
            assert!(!output.exists(), "an interrupted run must not leave an output file");
            assert!(stderr.contains(&format!("interrupted by SIG{signal}")), "{stderr}");
        }
        Some(0) => {
            // The run finished before the signal arrived: the file must then be complete.
            let written = fs::read_to_string(&output).expect("output file");
            assert_eq!(written.lines().count(), rows + 1);
        }
        other => panic!("unexpected exit {other:?}: {stderr}"),
    }
}

#[test]
fn interrupted_batch_leaves_a_complete_output_file_or_none() {
    signalled_batch_leaves_a_complete_output_file_or_none("INT", 130);
}

#[test]
fn terminated_batch_removes_its_temporary_file() {
    // SIGTERM is what `timeout` and `kill` send.
    signalled_batch_leaves_a_complete_output_file_or_none("TERM", 143);
}

#[test]
fn hung_up_batch_removes_its_temporary_file() {
    signalled_batch_leaves_a_complete_output_file_or_none("HUP", 129);
}

// ---- templates (`triage check`) ----

#[test]
fn front_matter_that_is_never_closed_is_a_broken_finding() {
    let dir = scratch();
    let folder = dir.path().join(".github/ISSUE_TEMPLATE");
    fs::create_dir_all(&folder).expect("create folder");
    write(
        &folder,
        "bug.md",
        "---\nname: Bug\nabout: How do I report an error?\n\nThe body, with no closing line\n",
    );
    triage().arg("check").arg(dir.path()).assert().code(1).stdout(contains(
        "bug.md:1:1: error[broken]: the front matter opened by `---` on line 1 is never closed",
    ));
}

/// `triage check FILE` on a generated template: a `broken` finding (exit 1) with `message`.
fn broken_template(name: &str, text: &str, message: &str) {
    let dir = scratch();
    let path = write(dir.path(), name, text);
    triage().arg("check").arg(&path).assert().code(1).stdout(contains(message));
}

#[test]
fn string_alias_bomb_in_a_template_is_a_broken_finding_at_the_alias() {
    // 100 KB repeated 20,000 times would be 2 GB; GitHub's parser would have to expand it too.
    let long = "x".repeat(100_000);
    let refs = vec!["*s"; 20_000].join(", ");
    let bomb = "is this an alias bomb?";
    broken_template(
        "bomb.md",
        &format!("---\nname: &s \"{long}\"\nabout: y\nlabels: [{refs}]\n---\nx\n"),
        // Line 4 of the file: the front matter starts on line 2. The 11th alias passes 1 MiB.
        &format!("bomb.md:4:50: error[broken]: YAML aliases here repeat more than 1048576 bytes of text, the limit ({bomb})"),
    );
    broken_template(
        "bomb.yml",
        &format!("name: &s \"{long}\"\ndescription: y\nbody: [{refs}]\n"),
        "bomb.yml:3:48: error[broken]: YAML aliases",
    );
    broken_template(
        "config.yml",
        &format!("contact_links:\n  - name: &s \"{long}\"\n    about: [{refs}]\n"),
        "config.yml:3:53: error[broken]: YAML aliases",
    );
}

#[test]
fn deep_nesting_in_a_form_front_matter_or_config_is_a_broken_finding() {
    let deep = format!("{}{}", "[".repeat(80_000), "]".repeat(80_000));
    let message = "error[broken]: YAML collections nested more than 64 levels deep";
    broken_template("deep.yml", &format!("name: x\ndescription: y\nbody: {deep}\n"), message);
    broken_template("deep.md", &format!("---\nname: x\nabout: {deep}\n---\nx\n"), message);
    broken_template("config.yml", &format!("contact_links: {deep}\n"), message);
}

#[test]
fn invalid_utf8_in_a_template_is_read_lossily_with_a_warning() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "docs.md",
        b"---\nname: SDK help\nabout: How do I install the SDK? caf\xe9\nlabels: documentation\n---\nerror \xff\n".as_slice(),
    );
    triage()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stderr(contains("docs.md").and(contains("not valid UTF-8")));
}

#[test]
fn dangling_symlink_in_a_template_folder_is_skipped_and_the_others_are_checked() {
    let dir = scratch();
    let folder = dir.path().join(".github/ISSUE_TEMPLATE");
    fs::create_dir_all(&folder).expect("create folder");
    // A template that routes to no one: its finding must still be reported.
    write(&folder, "vague.md", "---\nname: Other\nabout: Anything else\n---\nHello\n");
    std::os::unix::fs::symlink("gone.md", folder.join("dangling.md")).expect("make a dangling link");
    std::os::unix::fs::symlink("loop.yml", folder.join("loop.yml")).expect("make a looping link");
    triage()
        .args(["check", "--deny", "warnings"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(contains("vague.md:"))
        .stderr(
            contains("dangling.md` is a symbolic link to nothing")
                .and(contains("loop.yml` is a symbolic link")),
        );
}

#[test]
fn symlink_loop_in_a_template_folder_ends() {
    let dir = scratch();
    let folder = dir.path().join(".github/ISSUE_TEMPLATE");
    fs::create_dir_all(&folder).expect("create folder");
    write(
        &folder,
        "docs.md",
        "---\nname: SDK help\nabout: How do I install the SDK?\nlabels: documentation\n---\n",
    );
    std::os::unix::fs::symlink("..", folder.join("loop")).expect("make a symlink loop");
    std::os::unix::fs::symlink("self", folder.join("self")).expect("make a self-link");
    triage().arg("check").arg(dir.path()).timeout(std::time::Duration::from_secs(120)).assert().success();
}

#[test]
fn missing_template_path_is_a_clear_error() {
    let dir = scratch();
    triage()
        .arg("check")
        .arg(dir.path().join("nothing-here"))
        .assert()
        .code(2)
        .stderr(contains("nothing-here").and(contains("No such file")));
}

#[test]
fn unreadable_template_is_a_clear_error() {
    let dir = scratch();
    let Some(path) = unreadable_file(dir.path(), "locked.md", "---\nname: x\nabout: y\n---\n") else {
        return;
    };
    triage()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("locked.md").and(contains("ermission denied")));
}

#[test]
fn closed_stdout_during_batch_ends_quietly_with_success() {
    let dir = scratch();
    let input = dir.path().join("many.csv");
    {
        let mut file = std::io::BufWriter::new(fs::File::create(&input).expect("create input"));
        writeln!(file, "id,body").expect("write input");
        for i in 0..100_000 {
            writeln!(file, "{i},How do I install the SDK? Meetup next week").expect("write input");
        }
        file.flush().expect("write input");
    }
    let input = input.to_str().expect("a UTF-8 temporary path");
    let (first, output) = first_line_then_closed(&["-q", "batch", "--format", "jsonl", input], Vec::new());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first.starts_with(r#"{"id":"0""#), "first line: {first}");
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

// ---- generated scripts and pages on a closed or full stdout ----

/// Run `triage ARGS | true` in bash, triage starting after `true` has closed the pipe.
/// Returns triage's exit code (pipefail) and its stderr.
fn into_closed_pipe(args: &str) -> (Option<i32>, String) {
    let script = format!(r#"set -o pipefail; (sleep 0.3; exec "$0" {args}) | true"#);
    let output = StdCommand::new("bash")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("triage"))
        .output()
        .expect("run bash");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn completions_and_man_into_a_closed_pipe_end_quietly() {
    for args in ["completions bash", "man"] {
        let (code, stderr) = into_closed_pipe(args);
        assert_eq!(code, Some(0), "{args}: {stderr}");
        assert_eq!(stderr, "", "{args}");
    }
}

#[test]
fn completions_and_man_into_a_full_device_exit_2_with_a_message() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    for args in [&["completions", "bash"][..], &["man"]] {
        let full = fs::OpenOptions::new().write(true).open("/dev/full").expect("open /dev/full");
        let output = triage_process().args(args).stdout(full).output().expect("run triage");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write to stdout") && !stderr.contains("panicked"), "{stderr}");
    }
}

// ---- rule files that are devices or pipes ----

#[test]
fn rule_file_from_an_endless_device_is_refused_at_the_size_limit() {
    triage()
        .args(["-r", "/dev/zero", "hello"])
        .assert()
        .code(2)
        .stderr(contains("/dev/zero: the rule file is larger than 16777216 bytes"));
}

#[test]
fn rule_file_from_an_endless_pipe_is_refused_at_the_size_limit() {
    // `yes | triage -r /dev/stdin`: only one byte past the limit is read.
    let mut child = triage_process()
        .args(["-r", "/dev/stdin", "hello"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start triage");
    let mut input = child.stdin.take().expect("piped stdin");
    let feeder = std::thread::spawn(move || {
        let line = b"y\n".repeat(4096);
        while input.write_all(&line).is_ok() {}
    });
    let output = child.wait_with_output().expect("triage ends");
    feeder.join().expect("feeder ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the rule file is larger than 16777216 bytes"), "{stderr}");
}

#[test]
fn byte_order_mark_before_the_version_is_accepted() {
    let dir = scratch();
    let path =
        write(dir.path(), "bom.yaml", "\u{feff}version: 1\nfunctions:\n  - id: docs\n    keywords: [sdk]\n");
    triage().arg("-r").arg(&path).args(["rules", "check"]).assert().success();
}

#[test]
fn weight_of_1e303_is_refused_so_scores_stay_finite() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "huge.yaml",
        rules_with(
            "    keywords:\n      - { term: sdk, weight: 1e303 }\n      - { term: api, weight: 1e303 }\n",
        ),
    );
    triage()
        .arg("-r")
        .arg(&path)
        .args(["rules", "check"])
        .assert()
        .code(2)
        .stderr(contains("huge.yaml:5:").and(contains("from -1000000 to 1000000")));
}

#[test]
fn newline_in_a_template_file_name_is_escaped_so_each_finding_is_one_line() {
    let dir = scratch();
    let path = write(dir.path(), "two\nlines.md", "---\nname: Other\nabout: Anything else\n---\nHello\n");
    let output = triage().args(["check", "--deny", "warnings"]).arg(&path).output().expect("run triage");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first = stdout.lines().next().unwrap_or("");
    assert!(first.contains("two\\nlines.md:") && first.contains("warning[unassigned]"), "{stdout}");
}
