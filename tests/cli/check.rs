//! Integration tests: `triage check`, the pre-commit check for issue templates. The fixtures use
//! their own rule file (`tests/fixtures/check/rules.yaml`) so tuning the default rules does not
//! move them.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support::{fixture, rule_file, triage};

/// `triage check --rules rules.yaml` run from `tests/fixtures/check`, so paths in the output are
/// short and stable.
fn check() -> Command {
    let mut command = triage();
    command.current_dir(fixture("check")).args(["check", "--rules", "rules.yaml"]);
    command
}

fn stdout_of(command: &mut Command) -> String {
    String::from_utf8(command.output().expect("triage runs").stdout).expect("UTF-8 output")
}

#[test]
fn good_templates_pass_silently() {
    check().arg("good").assert().success().stdout("").stderr("");
}

#[test]
fn verbose_lists_every_request_that_passed() {
    let output = stdout_of(check().args(["-v", "good", "text/notes.txt"]));
    insta::assert_snapshot!("check_verbose", output);
}

#[test]
fn broken_templates_fail_with_what_github_rejects() {
    let assert = check().args(["broken", "broken/bad-config"]).assert().code(1);
    let output = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(output.contains("broken/unclosed.md:1:1: error[broken]: the front matter opened by `---`"));
    // The YAML error inside the front matter points at the line of the .md file.
    assert!(output.contains("broken/bad-front-matter.md:5:6: error[broken]: invalid YAML"));
    insta::assert_snapshot!("check_broken", output);
}

#[test]
fn a_chooser_under_another_name_is_one_clear_finding() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("links.yml");
    std::fs::write(&file, "blank_issues_enabled: false\ncontact_links:\n  - name: Forum\n    url: https://example.org\n    about: Meet other users\n").unwrap();
    let output = stdout_of(check().arg(&file));
    let findings: Vec<&str> = output.lines().filter(|line| line.contains("error[")).collect();
    assert_eq!(findings.len(), 1, "{output}");
    assert!(
        findings[0].ends_with(
            "error[broken]: this is a template chooser, which GitHub reads only from \
         `config.yml`; under this name GitHub takes it for an issue form and rejects it: rename it to \
         `config.yml`"
        ),
        "{output}"
    );
}

#[test]
fn with_no_path_the_current_folder_is_checked() {
    triage()
        .current_dir(fixture("check/good"))
        .args(["check", "--rules", "../rules.yaml"])
        .assert()
        .success();
    triage()
        .current_dir(fixture("check/mismatch"))
        .args(["check", "--rules", "../rules.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[mismatch]"));
}

#[test]
fn a_valid_form_and_config_are_not_broken() {
    check()
        .args(["good/.github/ISSUE_TEMPLATE/meetup.yml", "good/.github/ISSUE_TEMPLATE/config.yml"])
        .assert()
        .success();
}

#[test]
fn labels_of_two_functions_conflict() {
    check().arg("label-conflict/conflict.md").assert().code(1).stdout(predicate::str::starts_with(
        "label-conflict/conflict.md:4:17: error[label-conflict]: label `blog`",
    ));
}

#[test]
fn a_directive_settles_a_label_conflict() {
    check().arg("label-conflict/settled.md").assert().success().stdout("");
}

#[test]
fn labels_that_disagree_with_the_text_are_a_mismatch() {
    check()
        .arg("mismatch/labels.md")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "mismatch/labels.md:4:9: error[mismatch]: label `blog` expects Marketing but the text routes to DevRel",
        ));
}

#[test]
fn a_directive_that_disagrees_with_the_text_is_a_mismatch() {
    let output = stdout_of(check().arg("mismatch/directive.yml"));
    assert!(
        output.starts_with("mismatch/directive.yml:4:1: error[mismatch]: the directive `triage: marketing`")
    );
    // The why: top scores and the matched terms.
    assert!(output.contains("    scores: devrel 10, marketing 0, community 0 (threshold 2)\n"));
    assert!(output.contains("SDK(+4 title x2)"));
}

#[test]
fn labels_match_case_insensitively_beyond_ascii() {
    let (folder, rules) = rule_file("version: 1\nfunctions:\n  - id: community\n    labels: [Événement]\n    keywords: [meetup]\n  - id: devrel\n    keywords: [sdk]\n");
    let template = folder.path().join("event.md");
    std::fs::write(
        &template,
        "---\nname: SDK help\nabout: SDK questions\nlabels: ÉVÉNEMENT\n---\nThe sdk fails.\n",
    )
    .unwrap();
    let output =
        stdout_of(triage().args(["check", "--format", "json", "--rules"]).arg(&rules).arg(&template));
    let checked: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(checked[0]["expected"], "community", "{output}");
    assert_eq!(checked[0]["findings"][0]["code"], "mismatch", "{output}");
}

#[test]
fn labels_that_agree_with_the_text_pass() {
    // `Documentation` matches DevRel's `documentation` label case-insensitively.
    check().arg("mismatch/agree.md").assert().success().stdout("");
}

#[test]
fn a_template_that_mixes_two_functions_fails() {
    check().arg("mixed/mixed.md").assert().code(1).stdout(predicate::str::contains("error[mixed]"));
}

#[test]
fn a_template_with_one_owner_is_not_mixed() {
    check().arg("mixed/one-owner.md").assert().success().stdout("");
}

#[test]
fn unassigned_is_a_warning_unless_warnings_are_denied() {
    check()
        .arg("unassigned/vague.md")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("unassigned/vague.md:2:7: warning[unassigned]"));
    check()
        .args(["--deny", "warnings", "unassigned/vague.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(warnings denied)"));
    check().args(["--deny", "warnings", "good"]).assert().success();
}

#[test]
fn contact_links_are_checked_one_by_one_with_their_directives() {
    let output = stdout_of(check().args(["-v", "links/config.yml"]));
    insta::assert_snapshot!("check_links", output);
}

/// Every fixture folder and file, for the whole-output snapshots.
const EVERY_FIXTURE: [&str; 9] = [
    "good",
    "broken",
    "broken/bad-config",
    "label-conflict",
    "mismatch",
    "mixed",
    "unassigned",
    "text/notes.txt",
    "links/config.yml",
];

#[test]
fn a_quoted_contact_links_key_keeps_directives_per_link() {
    let folder = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("check/links/config.yml")).unwrap();
    let quoted = folder.path().join("config.yml");
    std::fs::write(&quoted, original.replace("contact_links:", "\"contact_links\":")).unwrap();
    let findings = |path: &Path| {
        let output = stdout_of(check().args(["--format", "json"]).arg(path));
        let checked: serde_json::Value = serde_json::from_str(&output).unwrap();
        let codes: Vec<String> = checked
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|request| request["findings"].as_array().unwrap().clone())
            .map(|finding| finding["code"].as_str().unwrap().to_owned())
            .collect();
        codes
    };
    assert_eq!(findings(&quoted), findings(&fixture("check/links/config.yml")));
}

#[test]
fn a_pattern_that_cannot_compile_stops_the_check_when_a_template_needs_it() {
    let (folder, rules) = rule_file("version: 1\nfunctions:\n  - id: community\n    keywords: [forum]\n    patterns:\n      - { regex: 'meetup \\p{NotAClass}', weight: 2 }\n");
    let template = folder.path().join("meetup.md");
    std::fs::write(&template, "---\nname: Meetup\nabout: Plan a meetup\n---\nA meetup in Lyon.\n").unwrap();
    triage()
        .args(["check", "--rules"])
        .arg(&rules)
        .arg(&template)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid regex in function `community`"));
}

#[test]
fn text_output_of_every_fixture() {
    let output = stdout_of(check().args(EVERY_FIXTURE));
    insta::assert_snapshot!("check_text_all", output);
}

#[test]
fn json_output_has_one_element_per_request() {
    let output = stdout_of(check().args(["--format", "json"]).args(EVERY_FIXTURE));
    let value: serde_json::Value = serde_json::from_str(&output).expect("one JSON document");
    let elements = value.as_array().expect("a JSON array");
    // good: 2 links + 2 templates; broken: 6 files + 1 config; then 2, 3, 2, 1, 1 files; 3 links.
    assert_eq!(elements.len(), 4 + 6 + 1 + 2 + 3 + 2 + 1 + 1 + 3);
    for element in elements {
        for key in
            ["path", "line", "kind", "owner", "status", "expected", "expected_source", "scores", "findings"]
        {
            assert!(element.get(key).is_some(), "{key} missing in {element}");
        }
    }
    insta::assert_snapshot!("check_json_all", output);
}

#[test]
fn json_reports_passing_templates_too_and_exits_by_findings() {
    let output = stdout_of(check().args(["--format", "json", "good/.github/ISSUE_TEMPLATE/meetup.yml"]));
    let value: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(value[0]["owner"], "community");
    assert_eq!(value[0]["kind"], "form");
    assert_eq!(value[0]["expected"], "community");
    assert_eq!(value[0]["expected_source"], "directive");
    assert_eq!(value[0]["findings"], serde_json::json!([]));
    check().args(["--format", "json", "mixed/mixed.md"]).assert().code(1);
}

#[test]
fn colour_follows_the_shared_choice() {
    let coloured = stdout_of(check().args(["--color", "always", "mixed/mixed.md"]));
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
    let plain = stdout_of(check().args(["mixed/mixed.md"]).env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1"));
    assert!(plain.contains("\u{1b}["), "CLICOLOR_FORCE wins over NO_COLOR");
    let plain = stdout_of(check().args(["mixed/mixed.md"]).env("NO_COLOR", "1"));
    assert!(!plain.contains("\u{1b}["));
}

#[test]
fn a_missing_path_is_an_error() {
    check().arg("nowhere.md").assert().code(2).stderr(predicate::str::contains("cannot read `nowhere.md`"));
}

#[test]
fn a_bad_rule_file_is_an_error() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("rules.yaml"), "version: 1\nfunctions: [\n").unwrap();
    triage()
        .current_dir(folder.path())
        .args(["check", "--rules", "rules.yaml"])
        .arg(fixture("check/good"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rules.yaml"));
}

#[test]
fn a_folder_without_templates_is_an_error() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("notes.txt"), "hello").unwrap();
    triage()
        .arg("check")
        .arg(folder.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no issue templates found"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_a_clear_error_not_a_hang() {
    let folder = tempfile::tempdir().unwrap();
    let templates = folder.path().join(".github/ISSUE_TEMPLATE");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::copy(fixture("check/mismatch/agree.md"), templates.join("docs.md")).unwrap();
    // A folder linking to itself is not followed (GitHub reads only the folder's own files).
    std::os::unix::fs::symlink(".", templates.join("again")).unwrap();
    triage().arg("check").arg(folder.path()).assert().success();
    // A template that is a link to itself cannot be read: skipped with a warning, and the other
    // templates are still checked.
    std::os::unix::fs::symlink("loop.md", templates.join("loop.md")).unwrap();
    triage()
        .args(["check", "-v"])
        .arg(folder.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("docs.md"))
        .stderr(predicate::str::contains("loop.md` is a symbolic link to nothing"));
}

#[cfg(unix)]
#[test]
fn the_same_file_twice_is_checked_once() {
    let output = stdout_of(check().args(["--format", "json", "mixed/mixed.md", "./mixed/mixed.md", "mixed"]));
    let value: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(value.as_array().unwrap().len(), 2, "mixed.md once, then one-owner.md");
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("bad.md");
    std::fs::write(&file, b"---\nname: SDK \xff docs\nabout: how do I install it\n---\n").unwrap();
    triage().arg("check").arg(&file).assert().success().stderr(predicate::str::contains("not valid UTF-8"));
}

// pre-commit ------------------------------------------------------------------------------------

/// The `pre-commit` program: on PATH, or where `pip install --user` puts it.
fn find_pre_commit() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join("pre-commit")).collect::<Vec<_>>())
        .unwrap_or_default();
    let user = std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/bin/pre-commit"));
    on_path.into_iter().chain(user).find(|candidate| candidate.is_file())
}

fn git(repo: &Path, args: &[&str]) {
    let status = Process::new("git").current_dir(repo).args(args).status().expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// A git repository with one template, staged, and the test rules as its `triage.yaml`.
fn template_repo(template: &str) -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("a temporary folder");
    git(repo.path(), &["init", "-q"]);
    let templates = repo.path().join(".github/ISSUE_TEMPLATE");
    std::fs::create_dir_all(&templates).expect("the template folder is created");
    std::fs::copy(fixture(&format!("check/{template}")), templates.join("template.md"))
        .expect("template copied");
    std::fs::copy(fixture("check/rules.yaml"), repo.path().join("triage.yaml")).expect("rules copied");
    git(repo.path(), &["add", "."]);
    repo
}

/// `pre-commit try-repo <this repository> <hook> --all-files` in `repo`, with the built `triage`
/// first on PATH.
fn try_repo(pre_commit: &Path, repo: &Path, hook: &str, home: &Path) -> std::process::Output {
    try_repo_on(pre_commit, repo, hook, home, &["--all-files"])
}

/// `pre-commit try-repo` as [`try_repo`], on the files `which` selects (`--files triage.yaml`).
fn try_repo_on(
    pre_commit: &Path,
    repo: &Path,
    hook: &str,
    home: &Path,
    which: &[&str],
) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("triage");
    let bin_dir = binary.parent().expect("the binary has a folder");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default(),
    ))
    .expect("PATH can be joined");
    Process::new(pre_commit)
        .current_dir(repo)
        .args(["try-repo", env!("CARGO_MANIFEST_DIR"), hook, "--color", "never"])
        .args(which)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_AUTHOR_NAME", "triage tests")
        .env("GIT_AUTHOR_EMAIL", "tests@example.org")
        .env("GIT_COMMITTER_NAME", "triage tests")
        .env("GIT_COMMITTER_EMAIL", "tests@example.org")
        .env_remove("TRIAGE_RULES")
        .output()
        .expect("pre-commit runs")
}

#[test]
fn pre_commit_system_hook_passes_good_templates_and_fails_bad_ones() {
    let Some(pre_commit) = find_pre_commit() else {
        assert!(
            std::env::var_os("TRIAGE_REQUIRE_PRE_COMMIT").is_none(),
            "TRIAGE_REQUIRE_PRE_COMMIT is set but pre-commit is not installed"
        );
        eprintln!("SKIPPED: pre-commit is not installed (python3 -m pip install --user pre-commit)");
        return;
    };
    let home = tempfile::tempdir().unwrap();

    let good = template_repo("good/.github/ISSUE_TEMPLATE/docs-question.md");
    let output = try_repo(&pre_commit, good.path(), "triage-templates-system", home.path());
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the good template should pass:\n{text}");
    assert!(text.contains("Passed"), "{text}");

    let bad = template_repo("mismatch/labels.md");
    let output = try_repo(&pre_commit, bad.path(), "triage-templates-system", home.path());
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the bad template should fail:\n{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(text.contains(".github/ISSUE_TEMPLATE/template.md:4:9: error[mismatch]"), "{text}");

    // A commit that changes only the rule file re-checks every template.
    let output = try_repo_on(
        &pre_commit,
        bad.path(),
        "triage-templates-system",
        home.path(),
        &["--files", "triage.yaml"],
    );
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "a rule-file change should re-check the templates:\n{text}");
    assert!(text.contains(".github/ISSUE_TEMPLATE/template.md:4:9: error[mismatch]"), "{text}");

    // A warning stays visible when the hook passes (verbose: true).
    let warned = template_repo("mismatch/labels.md");
    let template = warned.path().join(".github/ISSUE_TEMPLATE/template.md");
    std::fs::write(&template, "---\nname: Other\nabout: anything\n---\nNothing to route here.\n").unwrap();
    git(warned.path(), &["add", "."]);
    let output = try_repo(&pre_commit, warned.path(), "triage-templates-system", home.path());
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "a warning alone passes:\n{text}");
    assert!(text.contains("Passed") && text.contains("warning[unassigned]"), "{text}");
}

#[test]
fn a_rule_file_path_checks_the_templates_beside_it() {
    let repo = tempfile::tempdir().unwrap();
    let templates = repo.path().join(".github/ISSUE_TEMPLATE");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::copy(fixture("check/mismatch/labels.md"), templates.join("labels.md")).unwrap();
    let rules = repo.path().join("triage.yaml");
    std::fs::copy(fixture("check/rules.yaml"), &rules).unwrap();
    triage()
        .current_dir(repo.path())
        .args(["check", "triage.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(".github/ISSUE_TEMPLATE/labels.md:4:9: error[mismatch]"));
    // With nothing beside it, a rule file has no template to check.
    let lonely = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("check/rules.yaml"), lonely.path().join(".triage.yaml")).unwrap();
    triage()
        .current_dir(lonely.path())
        .args(["check", ".triage.yaml"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("nothing to check: no `.github/ISSUE_TEMPLATE` folder"));
}

#[test]
fn a_searched_folder_never_takes_the_rule_file_or_hidden_files_for_templates() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("check/rules.yaml"), repo.path().join("triage.yaml")).unwrap();
    std::fs::write(repo.path().join(".pre-commit-config.yaml"), "repos: []\n").unwrap();
    triage()
        .current_dir(repo.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no issue templates found"));
    // A template beside them is checked alone.
    std::fs::copy(fixture("check/mismatch/labels.md"), repo.path().join("labels.md")).unwrap();
    let output = triage().current_dir(repo.path()).args(["check", "."]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("labels.md:4:9: error[mismatch]"), "{stdout}");
    assert!(!stdout.contains("triage.yaml") && !stdout.contains("pre-commit"), "{stdout}");
}

/// The `language: rust` hook makes pre-commit `cargo install` this crate (a release build with
/// thin LTO of every dependency): it passed in 13 minutes (4 min CPU) on a loaded 2-core machine,
/// too slow for every `cargo test`, so it runs only when asked (`cargo test -- --ignored`).
#[test]
#[ignore = "builds triage in release mode through cargo install; run with --ignored"]
fn pre_commit_rust_hook_builds_and_runs() {
    let Some(pre_commit) = find_pre_commit() else {
        eprintln!("SKIPPED: pre-commit is not installed");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let bad = template_repo("mismatch/labels.md");
    let output = try_repo(&pre_commit, bad.path(), "triage-templates", home.path());
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{text}");
    assert!(text.contains("error[mismatch]"), "{text}");
    let good = template_repo("good/.github/ISSUE_TEMPLATE/docs-question.md");
    let output = try_repo(&pre_commit, good.path(), "triage-templates", home.path());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn an_oversized_template_is_broken_not_loaded() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("huge.md");
    std::fs::write(&file, "sdk docs ".repeat(300_000)).unwrap();
    triage()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("huge.md:1:1: error[broken]: the file is larger than"));
}

#[test]
fn include_code_lets_template_comments_vote() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("hidden.md");
    std::fs::write(&file, "---\nname: Help\nabout: x\n---\n<!-- How do I install the SDK? -->\n").unwrap();
    triage()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("warning[unassigned]"));
    triage().args(["check", "--include-code"]).arg(&file).assert().success().stdout("");
}

#[test]
fn github_format_prints_workflow_commands_that_annotate_the_diff() {
    let assert = check().args(["--format", "github", "mismatch/labels.md", "unassigned"]).assert().code(1);
    let output = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=mismatch/labels.md,line=4,col=9,title=triage[mismatch]::label `blog` expects \
             Marketing but the text routes to DevRel (DevRel 8, Marketing 0)%0A    scores: devrel 8, \
             marketing 0, community 0 (threshold 2)%0A    devrel: Docs(+4 title x2) tutorial [tutorial*](+4 title x2)%0A    \
             decided by: name (line 2)",
            "::warning file=unassigned/vague.md,line=2,col=7,title=triage[unassigned]::the text routes to \
             no function (no rule matched, threshold 2); say what the request is about%0A    scores: \
             marketing 0, community 0, devrel 0 (threshold 2)",
        ]
    );
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("checked 2 requests in 2 files: 1 error, 1 warning"), "{stderr}");
}

#[test]
fn github_format_escapes_a_path_that_would_end_the_property() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("odd, name: 100%.md");
    std::fs::write(&file, "---\nname: Thing\nabout: stuff\n---\nhello\n").unwrap();
    let output = stdout_of(triage().current_dir(folder.path()).args([
        "check",
        "--format",
        "github",
        "odd, name: 100%.md",
    ]));
    assert!(output.starts_with("::warning file=odd%2C name%3A 100%25.md,line=2,col=7,"), "{output}");
}

#[test]
fn github_format_verbose_notes_each_template_that_passed() {
    let output = stdout_of(check().args(["--format", "github", "-v", "text/notes.txt"]));
    assert_eq!(
        output,
        "::notice file=text/notes.txt,line=1,col=1,title=triage::routes to DevRel (assigned, score 13)\n"
    );
}

#[test]
fn a_byte_order_mark_does_not_break_a_form_or_front_matter() {
    let repo = tempfile::tempdir().unwrap();
    let templates = repo.path().join(".github/ISSUE_TEMPLATE");
    std::fs::create_dir_all(&templates).unwrap();
    let form = std::fs::read_to_string(fixture("check/good/.github/ISSUE_TEMPLATE/meetup.yml")).unwrap();
    let markdown =
        std::fs::read_to_string(fixture("check/good/.github/ISSUE_TEMPLATE/docs-question.md")).unwrap();
    std::fs::write(templates.join("bug.yml"), format!("\u{feff}{form}")).unwrap();
    std::fs::write(templates.join("help.md"), format!("\u{feff}{markdown}")).unwrap();
    let rules = fixture("check/rules.yaml");
    let output =
        triage().current_dir(repo.path()).arg("check").arg("--rules").arg(rules).arg("-v").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert_eq!(stdout.matches(": ok: ").count(), 2, "{stdout}");
}

#[test]
fn a_folder_whose_only_template_is_a_dangling_link_names_the_link() {
    let repo = tempfile::tempdir().unwrap();
    let templates = repo.path().join(".github/ISSUE_TEMPLATE");
    std::fs::create_dir_all(&templates).unwrap();
    std::os::unix::fs::symlink("missing.md", templates.join("bug.md")).unwrap();
    triage()
        .current_dir(repo.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds no issue templates"))
        .stderr(predicate::str::contains(
            "skipped symbolic links to nothing: `.github/ISSUE_TEMPLATE/bug.md`",
        ));
}
