//! Command implementations: resolve settings once (rules, colour), then call the library and a
//! printer. Each command returns an [`Outcome`]; errors become exit code 2 in `main`.

mod batch;
mod check;
mod classify;
mod eval;
mod man;
mod rules;
mod suggest;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use request_triage::RuleSet;

use crate::cli::{Cli, ColorChoice, Command, GlobalArgs, RuleArgs, RulesCommand, SingleFormat};

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report: exit 0.
    Success,
    /// Findings, failed tests or a missed gate: exit 1.
    Findings,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Findings => ExitCode::from(1),
        }
    }
}

/// Settings every command shares, resolved once.
pub struct Context {
    pub global: GlobalArgs,
    /// Whether stdout gets colour.
    pub colour: bool,
}

impl Context {
    /// The effective rules: `--rules`/`TRIAGE_RULES`, a discovered `triage.yaml`, or the default.
    pub fn load_rules(&self) -> Result<RuleSet> {
        match self.rules_path()? {
            Some(path) => Ok(RuleSet::from_path(&path)?),
            None => Ok(RuleSet::default_rules()),
        }
    }

    fn rules_path(&self) -> Result<Option<PathBuf>> {
        if let Some(path) = &self.global.rules {
            return Ok(Some(path.clone()));
        }
        let current = std::env::current_dir().context("cannot read the current folder")?;
        Ok(discover_rules(&current))
    }

    /// Print a warning on stderr unless `--quiet`.
    pub fn warn(&self, message: impl std::fmt::Display) {
        if !self.global.quiet {
            eprintln!("triage: warning: {message}");
        }
    }
}

/// `triage.yaml` or `.triage.yaml` in `start` or the nearest parent, up to the repository root
/// (the first folder holding `.git`). Outside a repository the search stops at the home folder
/// (`$HOME`), and covers `start` alone when it is not under home: a stray `triage.yaml` in a
/// shared parent such as `/tmp` or `/srv` is never picked up silently.
pub fn discover_rules(start: &Path) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|home| !home.is_empty()).map(PathBuf::from);
    discover_rules_within(start, home.as_deref())
}

/// The names a rule file is found under, in the order they are looked for.
pub(crate) const RULE_FILE_NAMES: [&str; 2] = ["triage.yaml", ".triage.yaml"];

fn discover_rules_within(start: &Path, home: Option<&Path>) -> Option<PathBuf> {
    let in_repository = start.ancestors().any(|folder| folder.join(".git").exists());
    for folder in start.ancestors() {
        for name in RULE_FILE_NAMES {
            let candidate = folder.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        let last = if in_repository {
            folder.join(".git").exists()
        } else {
            home.is_none_or(|home| folder == home || !folder.starts_with(home))
        };
        if last {
            return None;
        }
    }
    None
}

/// Decide colour once: `--color` wins, then `CLICOLOR_FORCE`, then `NO_COLOR`, then "is stdout a
/// terminal".
fn decide_colour(choice: ColorChoice) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto => io::stdout().is_terminal(),
    }
}

/// The rule options that apply: those after the command merged with those before it.
fn rule_args(cli: &Cli) -> RuleArgs {
    let after = match &cli.command {
        Some(Command::Batch(args)) => &args.rule_args,
        Some(Command::Check(args)) => &args.rule_args,
        Some(Command::Eval(args)) => &args.rule_args,
        Some(Command::Rules(
            RulesCommand::Show { rule_args }
            | RulesCommand::Check { rule_args, .. }
            | RulesCommand::Test { rule_args, .. },
        )) => rule_args,
        Some(Command::Rules(RulesCommand::Suggest(args))) => &args.rule_args,
        // Listed one by one, so a new command has to say whether it takes rule options.
        None
        | Some(Command::Rules(RulesCommand::Schema))
        | Some(Command::Completions { .. })
        | Some(Command::Man(_)) => return cli.rule_args.clone(),
    };
    after.merged(&cli.rule_args)
}

pub fn run(mut cli: Cli) -> Result<Outcome> {
    let colour = decide_colour(cli.global.color);
    colored::control::set_override(colour);
    let RuleArgs { rules, include_code } = rule_args(&cli);
    cli.global.rules = rules;
    let context = Context { global: cli.global, colour };
    let single = &cli.classify;
    let single_only =
        single.lines || single.explain || single.format != SingleFormat::Text || single.title.is_some();
    if cli.command.is_some() && single_only {
        anyhow::bail!(
            "`--format`, `--lines`, `--explain` and `--title` before a command only apply to classifying \
             one request; give a command's own options after its name (`triage batch --format json FILE`)"
        );
    }
    match cli.command {
        None => classify::run(&context, &cli.classify, include_code),
        Some(Command::Rules(command)) => rules::run(&context, command, include_code),
        Some(Command::Batch(args)) => batch::run(&context, &args, include_code),
        Some(Command::Check(args)) => check::run(&context, &args, include_code),
        Some(Command::Eval(args)) => eval::run(&context, &args, include_code),
        Some(Command::Completions { shell }) => man::completions(shell),
        Some(Command::Man(args)) => man::run(&args),
    }
}

/// Write a generated script or page to stdout. Generated in memory first: the generators panic
/// on a failed write (`| true`, `> /dev/full`), where this returns the error (a closed pipe then
/// ends quietly, a full disk is exit 2).
fn print_generated(bytes: &[u8]) -> anyhow::Result<Outcome> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes).and_then(|()| stdout.flush()).context("cannot write to stdout")?;
    Ok(Outcome::Success)
}

/// A write to a closed pipe (`triage ... | head -1`) is a normal way for output to end.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io_kind = cause
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind));
        io_kind == Some(io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::discover_rules_within;

    #[test]
    fn outside_a_repository_discovery_stops_at_home_and_never_climbs_from_outside_it() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let project = home.join("work/project");
        std::fs::create_dir_all(&project).unwrap();
        // A stray file above home (a shared folder) is not used.
        std::fs::write(root.path().join("triage.yaml"), "x").unwrap();
        assert_eq!(discover_rules_within(&project, Some(&home)), None);
        std::fs::write(home.join("triage.yaml"), "x").unwrap();
        assert_eq!(discover_rules_within(&project, Some(&home)), Some(home.join("triage.yaml")));
        // Outside home only the folder itself counts.
        let elsewhere = root.path().join("srv/data");
        std::fs::create_dir_all(&elsewhere).unwrap();
        assert_eq!(discover_rules_within(&elsewhere, Some(&home)), None);
    }

    #[test]
    fn inside_a_repository_discovery_stops_at_its_root() {
        let root = tempfile::tempdir().unwrap();
        let repository = root.path().join("repo");
        let nested = repository.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::create_dir(repository.join(".git")).unwrap();
        std::fs::write(root.path().join("triage.yaml"), "x").unwrap();
        assert_eq!(discover_rules_within(&nested, None), None);
        std::fs::write(repository.join(".triage.yaml"), "x").unwrap();
        assert_eq!(discover_rules_within(&nested, None), Some(repository.join(".triage.yaml")));
    }
}
