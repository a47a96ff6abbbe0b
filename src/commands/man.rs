//! `triage man [COMMAND]...`, `triage man --dir DIR` and `triage completions SHELL`: documents
//! generated from the argument definitions, so they cannot drift from what the binary accepts.

use anyhow::{bail, Context as _, Result};
use clap::CommandFactory;

use super::{print_generated, Outcome};
use crate::cli::{Cli, CompletionShell, ManArgs};

/// The command tree as the man pages show it: built (so each subcommand's name is
/// `triage-batch`), without clap's `help` subcommand, which has no page of its own.
fn command_tree() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

pub fn run(args: &ManArgs) -> Result<Outcome> {
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
        clap_mangen::generate_to(Cli::command(), dir)
            .with_context(|| format!("cannot write the man pages into `{}`", dir.display()))?;
        return Ok(Outcome::Success);
    }
    let tree = command_tree();
    let mut page = &tree;
    for (depth, name) in args.command.iter().enumerate() {
        page = match page.find_subcommand(name) {
            Some(sub) => sub,
            None => {
                let known: Vec<&str> = page.get_subcommands().map(clap::Command::get_name).collect();
                let parent = ["triage"].into_iter().chain(args.command[..depth].iter().map(String::as_str));
                bail!(
                    "`{}` has no command `{name}`; its commands are: {}",
                    parent.collect::<Vec<_>>().join(" "),
                    if known.is_empty() { "(none)".to_owned() } else { known.join(", ") }
                );
            }
        };
    }
    let mut roff = Vec::new();
    clap_mangen::Man::new(page.clone()).render(&mut roff)?;
    print_generated(&roff)
}

/// Completions for `shell` on stdout.
pub fn completions(shell: CompletionShell) -> Result<Outcome> {
    use clap_complete::Shell;
    let mut command = Cli::command();
    let name = "triage";
    let mut script = Vec::new();
    let out = &mut script;
    match shell {
        CompletionShell::Bash => clap_complete::generate(Shell::Bash, &mut command, name, out),
        CompletionShell::Elvish => clap_complete::generate(Shell::Elvish, &mut command, name, out),
        CompletionShell::Fish => clap_complete::generate(Shell::Fish, &mut command, name, out),
        CompletionShell::Powershell => clap_complete::generate(Shell::PowerShell, &mut command, name, out),
        CompletionShell::Zsh => clap_complete::generate(Shell::Zsh, &mut command, name, out),
        CompletionShell::Nushell => {
            clap_complete::generate(clap_complete_nushell::Nushell, &mut command, name, out)
        }
    }
    print_generated(&script)
}
