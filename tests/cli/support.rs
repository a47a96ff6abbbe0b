//! Shared helpers: a `triage` command with a hermetic environment.

use assert_cmd::Command;

/// `triage` with colour, rule discovery and user environment switched off, run in a temporary
/// folder unless the test changes it.
pub fn triage() -> Command {
    let mut command = Command::cargo_bin("triage").expect("the triage binary is built");
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TRIAGE_RULES")
        .current_dir(std::env::temp_dir());
    command
}

/// Path of a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}
