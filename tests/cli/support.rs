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
    hermetic(&mut command);
    command
}

/// No colour, rule discovery or user environment; run in the temporary folder.
fn hermetic(command: &mut std::process::Command) {
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TRIAGE_RULES")
        .current_dir(std::env::temp_dir());
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

/// `triage eval` of a fixture (title and body columns, `extra` arguments) as its JSON report,
/// asserting that it reached `min_accuracy` (the command's own gate) and read `rows` rows.
pub fn eval_report(fixture: &str, extra: &[&str], min_accuracy: &str, rows: u64) -> serde_json::Value {
    let file = self::fixture(fixture);
    let output = triage()
        .args([
            "eval",
            file.to_str().expect("UTF-8 path"),
            "--title-column",
            "title",
            "--text-column",
            "body",
        ])
        .args(extra)
        .args(["--format", "json", "--min-accuracy", min_accuracy])
        .output()
        .expect("triage runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert!(
        output.status.success(),
        "{fixture}: accuracy {} is below {min_accuracy}: {}",
        report["accuracy"],
        report["errors"]
    );
    assert_eq!(report["requests"], rows, "{fixture}: every row was read");
    report
}

/// Address-space cap of [`capped`] runs: far above what a legitimate hostile-input test needs
/// (the 200 MB request peaks near 420 MB), far below what a bomb takes before it fails.
pub const CAP_MEMORY_BYTES: u64 = 1536 * 1024 * 1024;
/// CPU-time cap of [`capped`] runs, in seconds (debug build).
pub const CAP_CPU_SECONDS: u64 = 60;

/// [`triage`] under a resource cap (`prlimit`: address space and CPU time), so that a regression
/// in a hostile-input test fails fast (killed, or out of memory) instead of eating the machine.
/// Without `prlimit` it runs uncapped, saying so on stderr.
pub fn capped() -> Command {
    Command::from_std(capped_process())
}

/// [`capped`] as a plain process.
pub fn capped_process() -> std::process::Command {
    capped_process_with(CAP_CPU_SECONDS)
}

/// [`capped_process`] with another CPU-time cap, for the few tests whose legitimate work is long
/// in a debug build (a 200 MB request).
pub fn capped_process_with(cpu_seconds: u64) -> std::process::Command {
    let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].into_iter().find(|p| std::path::Path::new(p).exists());
    let Some(prlimit) = prlimit else {
        eprintln!("note: prlimit not found; running without a resource cap");
        return triage_process();
    };
    let mut command = std::process::Command::new(prlimit);
    command
        .arg(format!("--as={CAP_MEMORY_BYTES}"))
        .arg(format!("--cpu={cpu_seconds}"))
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("triage"));
    hermetic(&mut command);
    command
}
