//! Integration tests: the GitHub Action (`action.yml`), end to end without GitHub. Each test
//! runs the action's classify step exactly as `action.yml` declares it (its `run` command, its
//! `env` with the inputs filled in) on a recorded `issues.opened` payload, in a workspace holding
//! a `triage.yaml`, with the built `triage` and a stand-in `gh` on PATH. The stand-in is the
//! network edge only: it records its arguments (and the token it was given), one file per call,
//! and the tests assert the exact calls.
#![allow(clippy::unwrap_used)] // the helpers below are test code: they fail loudly by design

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::fixture;

/// What a run of the step did.
struct Ran {
    code: i32,
    stdout: String,
    /// Each `gh` call's arguments, in order.
    calls: Vec<Vec<String>>,
    /// The step's outputs (GITHUB_OUTPUT).
    outputs: BTreeMap<String, String>,
    /// GH_TOKEN as `gh` saw it.
    token: Option<String>,
}

const GH_STAND_IN: &str = r#"#!/usr/bin/env bash
# Stand-in for gh: record the arguments of this call and the token, as GitHub would receive them.
n=$(find "$GH_CALLS" -name 'call-*' | wc -l)
printf '%s\0' "$@" > "$GH_CALLS/call-$n"
printf '%s' "${GH_TOKEN-}" > "$GH_CALLS/token"
if [ -n "${GH_FAIL:-}" ]; then
  echo "$GH_FAIL" >&2
  exit 1
fi
"#;

/// The classify step of `action.yml`: its `run` command and its environment, with each
/// `${{ inputs.NAME }}` replaced by `inputs[NAME]` or the input's default.
fn action_step(inputs: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let action: serde_yaml::Value = serde_yaml::from_str(&text).expect("action.yml is YAML");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let step =
        steps.iter().find(|step| step["id"].as_str() == Some("triage")).expect("a step with id triage");
    let declared = action["inputs"].as_mapping().expect("inputs");
    for (name, _) in inputs {
        assert!(declared.contains_key(*name), "action.yml declares the input {name}");
    }
    let value_of = |expression: &str| -> String {
        let name =
            expression.trim().strip_prefix("inputs.").unwrap_or_else(|| panic!("unexpected {expression}"));
        if let Some((_, given)) = inputs.iter().find(|(input, _)| *input == name) {
            return (*given).to_owned();
        }
        let default =
            declared[name]["default"].as_str().unwrap_or_else(|| panic!("input {name} has a default"));
        default.replace("${{ github.token }}", "token-from-the-workflow")
    };
    let env = step["env"]
        .as_mapping()
        .expect("env")
        .iter()
        .map(|(key, value)| {
            let value = value.as_str().unwrap();
            let expression = value.strip_prefix("${{").and_then(|v| v.strip_suffix("}}")).expect("an input");
            (key.as_str().unwrap().to_owned(), value_of(expression))
        })
        .collect();
    (step["run"].as_str().expect("run").to_owned(), env)
}

/// Run the classify step on `payload` with `inputs`; `gh_fails` makes the stand-in fail.
fn run_action(payload: &Value, inputs: &[(&str, &str)], gh_fails: Option<&str>) -> Ran {
    let sandbox = tempfile::tempdir().unwrap();
    let (bin, calls, workspace) =
        (sandbox.path().join("bin"), sandbox.path().join("calls"), sandbox.path().join("workspace"));
    for folder in [&bin, &calls, &workspace] {
        std::fs::create_dir(folder).unwrap();
    }
    let gh = bin.join("gh");
    std::fs::write(&gh, GH_STAND_IN).unwrap();
    make_executable(&gh);
    std::fs::copy(fixture("action/triage.yaml"), workspace.join("triage.yaml")).unwrap();
    let event = sandbox.path().join("event.json");
    std::fs::write(&event, serde_json::to_vec_pretty(payload).unwrap()).unwrap();
    let outputs = sandbox.path().join("outputs");

    let triage = assert_cmd::cargo::cargo_bin("triage");
    let mut path = vec![bin.clone(), triage.parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let (run, env) = action_step(inputs);
    let mut command = Command::new("bash");
    command
        .args(["-e", "-c", &run])
        .current_dir(&workspace)
        .env_clear()
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("HOME", sandbox.path())
        .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_EVENT_NAME", "issues")
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_REPOSITORY", "acme/widgets")
        .env("GITHUB_WORKSPACE", &workspace)
        .env("GH_CALLS", &calls)
        .envs(env);
    if let Some(message) = gh_fails {
        command.env("GH_FAIL", message);
    }
    let output = command.output().expect("bash runs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&calls)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().unwrap().to_string_lossy().starts_with("call-"))
        .collect();
    files.sort_by_key(|path| path.file_name().unwrap().to_string_lossy()[5..].parse::<u32>().unwrap());
    let calls_made = files
        .iter()
        .map(|file| {
            let bytes = std::fs::read(file).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            text.strip_suffix('\0').unwrap_or(&text).split('\0').map(str::to_owned).collect()
        })
        .collect();
    let outputs = std::fs::read_to_string(&outputs)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
        calls: calls_made,
        outputs,
        token: std::fs::read_to_string(calls.join("token")).ok(),
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The recorded `issues.opened` payload.
fn opened() -> Value {
    let text = std::fs::read_to_string(fixture("exports/issues-opened.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| word.to_string()).collect()
}

#[test]
fn an_opened_issue_gets_the_owners_first_label_and_nothing_else_by_default() {
    let ran = run_action(&opened(), &[], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert_eq!(
        ran.calls,
        [args(&["issue", "edit", "486", "--repo", "acme/widgets", "--add-label", "devrel"])]
    );
    assert_eq!(ran.token.as_deref(), Some("token-from-the-workflow"), "github-token reaches gh as GH_TOKEN");
    let outputs: Vec<(&str, &str)> = ran.outputs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(outputs, [("label", "devrel"), ("owner", "devrel"), ("score", "12"), ("status", "assigned")]);
    assert!(
        ran.stdout.contains("triage: issue #486 routes to DevRel (assigned, score 12)"),
        "{}",
        ran.stdout
    );
}

#[test]
fn comment_assignees_and_team_follow_the_inputs() {
    let inputs = [
        ("comment", "true"),
        ("assignees", "community: ana\ndevrel: octocat, hubot\n"),
        ("teams", "devrel: @acme/devrel"),
        ("github-token", "a-token"),
    ];
    let ran = run_action(&opened(), &inputs, None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    // The explanation is triage's own text output for the issue (its format is tested elsewhere).
    let issue = opened();
    let why = crate::support::triage()
        .args(["--color", "never", "--rules"])
        .arg(fixture("action/triage.yaml"))
        .arg(format!("--title={}", issue["issue"]["title"].as_str().unwrap()))
        .write_stdin(issue["issue"]["body"].as_str().unwrap())
        .output()
        .unwrap()
        .stdout;
    let why = String::from_utf8(why).unwrap();
    assert!(why.starts_with("DevRel  assigned  score 12"), "{why}");
    let comment = format!(
        "triage routes this issue to **DevRel** (assigned, score 12) and labels it `devrel`.\n\n\
         <details><summary>Why</summary>\n\n```text\n{why}```\n\n</details>\n\ncc @acme/devrel"
    );
    assert_eq!(
        ran.calls,
        [
            args(&[
                "issue",
                "edit",
                "486",
                "--repo",
                "acme/widgets",
                "--add-label",
                "devrel",
                "--add-assignee",
                "octocat,hubot"
            ]),
            args(&["issue", "comment", "486", "--repo", "acme/widgets", "--body", &comment]),
        ]
    );
    assert_eq!(ran.token.as_deref(), Some("a-token"));
}

#[test]
fn a_team_alone_is_mentioned_in_a_short_comment() {
    let ran = run_action(&opened(), &[("teams", "devrel: @acme/devrel")], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert_eq!(ran.calls.len(), 2, "{:?}", ran.calls);
    assert_eq!(
        ran.calls[1],
        args(&[
            "issue",
            "comment",
            "486",
            "--repo",
            "acme/widgets",
            "--body",
            "triage routes this issue to **DevRel** (assigned, score 12) and labels it `devrel`.\n\ncc @acme/devrel",
        ])
    );
}

#[test]
fn dry_run_prints_the_calls_and_makes_none() {
    let ran = run_action(&opened(), &[("dry-run", "true"), ("assignees", "devrel: octocat")], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert!(ran.calls.is_empty(), "{:?}", ran.calls);
    assert!(
        ran.stdout.contains(
            "dry-run: gh issue edit 486 --repo acme/widgets --add-label devrel --add-assignee octocat\n"
        ),
        "{}",
        ran.stdout
    );
    assert_eq!(ran.outputs["owner"], "devrel", "outputs are still set");
}

#[test]
fn an_issue_that_already_has_the_label_is_left_alone() {
    let mut payload = opened();
    payload["action"] = "edited".into();
    payload["issue"]["labels"] = serde_json::json!([{"id": 1, "name": "DevRel", "color": "0075ca"}]);
    let ran = run_action(&payload, &[("comment", "true")], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert!(ran.calls.is_empty(), "{:?}", ran.calls);
    assert!(ran.stdout.contains("already has the label `devrel`"), "{}", ran.stdout);
}

#[test]
fn an_issue_with_no_owner_changes_nothing() {
    let mut payload = opened();
    payload["issue"]["title"] = "Hello".into();
    payload["issue"]["body"] = Value::Null;
    let ran = run_action(&payload, &[("comment", "true")], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert!(ran.calls.is_empty(), "{:?}", ran.calls);
    assert_eq!((ran.outputs["owner"].as_str(), ran.outputs["status"].as_str()), ("", "unassigned"));
    assert!(
        ran.stdout.contains("routes to no function (unassigned, score 0): nothing to do"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_function_without_labels_is_still_assigned() {
    let mut payload = opened();
    payload["issue"]["title"] = "Invoice missing".into();
    payload["issue"]["body"] = "Where is my invoice?".into();
    let ran = run_action(&payload, &[("assignees", "support: billing-bot")], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert_eq!(
        ran.calls,
        [args(&["issue", "edit", "486", "--repo", "acme/widgets", "--add-assignee", "billing-bot"])]
    );
    assert!(ran.stdout.contains("Support has no labels in the rule file"), "{}", ran.stdout);
}

#[test]
fn the_rules_input_picks_another_rule_file() {
    // The built-in rules instead of the workspace's triage.yaml: their first DevRel label too.
    let builtin = tempfile::tempdir().unwrap();
    let rules = builtin.path().join("rules.yaml");
    let shown = crate::support::triage().args(["rules", "show"]).output().unwrap().stdout;
    std::fs::write(&rules, shown).unwrap();
    let ran = run_action(&opened(), &[("rules", rules.to_str().unwrap())], None);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert_eq!(ran.outputs["owner"], "devrel");
    assert_ne!(ran.outputs["score"], "12", "scored by the other rules: {:?}", ran.outputs);
}

/// The inputs of one run, by name.
type Inputs<'a> = &'a [(&'a str, &'a str)];

/// Each bad payload or input fails the step with an error annotation saying what is wrong, and
/// makes no call.
#[test]
fn a_bad_payload_or_input_fails_the_step_with_a_clear_message() {
    let mut no_title = opened();
    no_title["issue"].as_object_mut().unwrap().remove("title");
    let mut no_body = opened();
    no_body["issue"].as_object_mut().unwrap().remove("body");
    let push = serde_json::json!({"ref": "refs/heads/main", "repository": {"full_name": "acme/widgets"}});
    let cases: [(&Value, Inputs, &str); 5] = [
        (&no_title, &[], "::error title=triage::the event payload's issue has no title (.issue.title)"),
        (&no_body, &[], "::error title=triage::the event payload's issue has no body (.issue.body; an empty issue has `null`)"),
        (&push, &[], "::error title=triage::the event payload has no issue (.issue): run this action on `issues: [opened, edited]`, not on `issues`"),
        (&opened(), &[("assignees", "devrl: octocat")], "::error title=triage::input `assignees`: `devrl` is not a function of the rule file (functions: marketing, community, devrel, support)"),
        (&opened(), &[("teams", "@acme/devrel")], "::error title=triage::input `teams`: the line `@acme/devrel` is not `function: value`"),
    ];
    for (payload, inputs, message) in cases {
        let ran = run_action(payload, inputs, None);
        assert_eq!(ran.code, 1, "{message}: {}", ran.stdout);
        assert!(ran.stdout.contains(&format!("{message}\n")), "expected {message}\ngot: {}", ran.stdout);
        assert!(ran.calls.is_empty(), "{:?}", ran.calls);
    }
}

#[test]
fn a_failing_gh_fails_the_step_with_its_message() {
    let ran = run_action(&opened(), &[], Some("HTTP 403: Resource not accessible by integration"));
    assert_eq!(ran.code, 1);
    assert!(ran.stdout.contains("HTTP 403: Resource not accessible by integration"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("::error title=triage::`gh issue edit` failed (see its message above); the token needs `issues: write`"),
        "{}",
        ran.stdout
    );
}

/// The workflow README.md gives to copy, as YAML.
fn readme_workflow() -> serde_yaml::Value {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let after = readme.split("<!-- workflow: triage.yml -->").nth(1).expect("the workflow marker");
    let block =
        after.split("```yaml\n").nth(1).and_then(|rest| rest.split("\n```").next()).expect("a yaml block");
    serde_yaml::from_str(block).expect("the README workflow is YAML")
}

#[test]
fn the_readme_workflow_uses_only_inputs_the_action_declares() {
    let workflow = readme_workflow();
    assert_eq!(
        workflow["on"]["issues"]["types"],
        serde_yaml::from_str::<serde_yaml::Value>("[opened, edited]").unwrap()
    );
    assert_eq!(workflow["permissions"]["issues"].as_str(), Some("write"));
    let steps = workflow["jobs"]["triage"]["steps"].as_sequence().unwrap();
    let step = steps
        .iter()
        .find(|step| step["uses"].as_str().is_some_and(|uses| uses.starts_with("OWNER/request-triage@")))
        .expect("a step using the action");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let action: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let with = step["with"].as_mapping().unwrap();
    assert!(!with.is_empty());
    for (name, _) in with {
        let name = name.as_str().unwrap();
        assert!(
            action["inputs"].get(name).is_some(),
            "the README passes `{name}`, which action.yml does not declare"
        );
    }
}
