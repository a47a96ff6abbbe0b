//! Shared helpers: a `triage` command with a hermetic environment.

use std::io::{BufRead, BufReader, Write};
use std::process::{Output, Stdio};

use assert_cmd::Command;

/// `triage` with colour, rule discovery and user environment switched off, run in a temporary
/// folder unless the test changes it.
pub fn triage() -> Command {
    Command::from_std(triage_process())
}

/// [`triage`] as a plain process, for tests that drive its pipes themselves.
pub fn triage_process() -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("triage"));
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TRIAGE_RULES")
        .current_dir(std::env::temp_dir());
    command
}

/// Run `triage ARGS` with `stdin` fed from a thread, read the first line it prints, then close
/// the pipe as `head -1` does. Returns that line and how triage ended.
pub fn first_line_then_closed(args: &[&str], stdin: Vec<u8>) -> (String, Output) {
    let mut child = triage_process()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start triage");
    let mut input = child.stdin.take().expect("piped stdin");
    // Triage may stop reading once its output is closed: a failed write here is expected.
    let feeder = std::thread::spawn(move || input.write_all(&stdin).is_ok());
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut first)
        .expect("read the first line");
    let output = child.wait_with_output().expect("triage ends");
    let _ = feeder.join();
    (first, output)
}

/// A rule file with `yaml` in a new temporary folder (kept while the folder lives), for tests
/// that need rules of their own. Other test files can go in the same folder.
pub fn rule_file(yaml: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("rules.yaml");
    std::fs::write(&path, yaml).expect("write the rule file");
    (folder, path)
}

/// Path of a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}
