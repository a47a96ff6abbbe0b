//! Command-line arguments: clap derive only. Commands turn these into resolved settings.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Route requests to the function that owns them (Marketing, Community, DevRel) and say why.
///
/// With no command, classifies one request: the words of TEXT, or all of standard input.
#[derive(Debug, Parser)]
#[command(name = "triage", version, max_term_width = 100, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The rule file and `--include-code` for classifying one request; before a command they
    /// still apply to it (`triage --rules FILE batch ...`).
    #[command(flatten)]
    pub rule_args: RuleArgs,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub classify: ClassifyArgs,
}

const EXAMPLES: &str = "\
Examples:
  echo \"How do I install the SDK?\" | triage
  triage --explain \"Can we announce the 2.0 launch on the blog?\"
  triage --format json \"Is there a meetup in Lyon?\"
  triage -- check the blog post        (text that starts with a command name)
  triage batch tickets.csv -o routed.csv
  triage check .github/ISSUE_TEMPLATE
  triage eval labelled.csv --min-accuracy 0.95
  triage rules show > triage.yaml

Exit codes: 0 success; 1 findings (check, rules test, an eval gate, unreadable batch rows);
2 usage, configuration or input errors.";

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The rule file given with `--rules` (or `TRIAGE_RULES`) before or after the command; set
    /// from [`RuleArgs`] once the arguments are parsed.
    #[arg(skip)]
    pub rules: Option<PathBuf>,

    /// When to colour output (auto: only on a terminal; honours NO_COLOR and CLICOLOR_FORCE)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print less: no warnings or summaries on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// Options of the commands that load rules and classify, given to each of them (and before any
/// command) rather than made global, so `man --help` and `completions --help` do not list them.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Rule file to use [default: triage.yaml or .triage.yaml in this folder or a parent up to the
    /// repository root, else the built-in rules]
    #[arg(short, long, env = "TRIAGE_RULES", value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Let text inside code blocks and HTML comments vote (ignored by default)
    #[arg(long)]
    pub include_code: bool,
}

impl RuleArgs {
    /// These options given after a command, with those given before it: after wins.
    pub fn merged(&self, before: &RuleArgs) -> RuleArgs {
        RuleArgs {
            rules: self.rules.clone().or_else(|| before.rules.clone()),
            include_code: self.include_code || before.include_code,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// The request to classify; reads standard input when absent
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,

    /// The request's title: its matches get the rule file's title weight, as in `batch` (the
    /// body is TEXT or standard input)
    #[arg(long, value_name = "TITLE", conflicts_with = "lines")]
    pub title: Option<String>,

    /// Classify each line of standard input as its own request
    #[arg(long)]
    pub lines: bool,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = SingleFormat::Text)]
    pub format: SingleFormat,

    /// Also print the request with each match highlighted in its function's colour
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SingleFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify a CSV, TSV, JSONL or JSON-array file of requests
    Batch(BatchArgs),
    /// Check GitHub issue templates (pre-commit)
    Check(CheckArgs),
    /// Measure rules on labelled data
    Eval(EvalArgs),
    /// Show, validate, test or describe rule files
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print a man page (roff), or write one per command with --dir
    Man(ManArgs),
}

/// The shells `triage completions` writes for: clap_complete's and Nushell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Elvish,
    Fish,
    Nushell,
    Powershell,
    Zsh,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (`batch`, `rules check`); the main page when absent
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Vec<String>,

    /// Write every page (triage.1, triage-batch.1, ...) into DIR instead of printing one
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the effective rule file (a starting point: `triage rules show > triage.yaml`)
    Show {
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Validate a rule file; errors exit 2, warnings are listed
    Check {
        /// Rule file [default: the effective rules]
        file: Option<PathBuf>,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Run the rule file's examples and tests; exit 1 on any failure
    Test {
        /// Rule file [default: the effective rules]
        file: Option<PathBuf>,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Print the JSON Schema of the rule format (for yaml-language-server)
    Schema,
    /// Learn keywords from labelled requests (the rule file from --rules is the base)
    Suggest(SuggestArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  triage rules suggest history.csv --title-column title --text-column body
  triage rules suggest history.csv --rules triage.yaml -o triage.yaml
  triage rules suggest tickets.jsonl --text-column message --label-column team --max-new 20

Without --rules (or a triage.yaml), the functions come from the labels. The summary on stderr
gives cross-validated accuracy and macro-F1 before and after, and the strongest new rules.")]
pub struct SuggestArgs {
    #[command(flatten)]
    pub table: TableArgs,

    #[command(flatten)]
    pub rule_args: RuleArgs,

    /// Column or key holding the owner a person chose (function id or name, or `unassigned`)
    #[arg(long, value_name = "COLUMN", default_value = "owner")]
    pub label_column: String,

    /// Write the complete rule file (the base plus the new rules) to FILE instead of printing
    /// only the additions
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Fewest labelled requests a term must occur in [default: one per thousand requests, at
    /// least 3]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub min_support: Option<u32>,

    /// Most rules to add
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_new: usize,

    /// Folds of the cross-validation that decides which rules to keep
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..))]
    pub folds: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Comma-separated values (or another delimiter)
    Csv,
    /// One JSON object per line
    Jsonl,
    /// A JSON array of objects (`gh issue list --json ...`); input that does not start with `[`
    /// is read as JSONL
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    Csv,
    Jsonl,
    Json,
}

/// Where requests come from in a table: shared by `batch` and `eval`.
#[derive(Debug, Args, Clone)]
pub struct TableArgs {
    /// Input file (CSV, TSV, JSONL or a JSON array); `-` or nothing reads standard input
    pub file: Option<PathBuf>,

    /// Input format [default: from the extension (.json: an array, else JSONL), else csv]
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,

    /// Column (name or 1-based index) or JSON key holding request text; repeatable
    #[arg(long, value_name = "COLUMN")]
    pub text_column: Vec<String>,

    /// Column or key holding the title (weighted as the title field)
    #[arg(long, value_name = "COLUMN")]
    pub title_column: Option<String>,

    /// Column or key holding an id to carry into messages
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,

    /// CSV field delimiter: one character, or `\t` / `tab` [default: tab for .tsv, else comma]
    #[arg(short, long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<char>,

    /// The CSV has no header row; columns are 1-based indexes
    #[arg(long)]
    pub no_headers: bool,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    #[command(flatten)]
    pub table: TableArgs,

    #[command(flatten)]
    pub rule_args: RuleArgs,

    /// Output format [default: the input's format]
    #[arg(short, long, value_enum)]
    pub format: Option<BatchFormat>,

    /// Write to FILE atomically instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Stop at the first unreadable row (exit 2) instead of reporting it and going on
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Template files or folders (folders are searched for issue templates, skipping rule files
    /// and hidden files; a rule file such as triage.yaml stands for the `.github/ISSUE_TEMPLATE`
    /// folder beside it)
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub rule_args: RuleArgs,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Treat warnings as failures (`--deny warnings`)
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,

    /// Also report templates that pass
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:col: level[code]: message`, then the why
    Text,
    /// One JSON array, an element per checked request
    Json,
    /// GitHub Actions workflow commands (`::error file=...,line=...::message`): annotations on
    /// the pull request's diff
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    Warnings,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub table: TableArgs,

    #[command(flatten)]
    pub rule_args: RuleArgs,

    /// Column or key holding the expected owner (function id or name, or `unassigned`)
    #[arg(long, value_name = "COLUMN", default_value = "owner")]
    pub label_column: String,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,

    /// Show the N worst misclassified requests with their evidence
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub show_errors: usize,

    /// Also report accuracy, macro-F1 and coverage for each value of COLUMN (e.g. `channel`)
    #[arg(long, value_name = "COLUMN")]
    pub group_column: Option<String>,

    /// List the N rules that fired most (text output; JSON always lists every rule)
    #[arg(long, value_name = "N", default_value_t = 20, conflicts_with = "all_rules")]
    pub top: usize,

    /// List every rule that fired and name every dead rule
    #[arg(short = 'v', long, visible_alias = "verbose")]
    pub all_rules: bool,

    /// Exit 1 when accuracy is below X (0..1)
    #[arg(long, value_name = "X")]
    pub min_accuracy: Option<f64>,

    /// Exit 1 when any function's F1 is below X (0..1)
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

/// A hint for a request that starts with a command word (`triage check the blog post`): when the
/// first argument names a command and every argument after it is a plain word that is not a file
/// or folder, the user most likely meant text. `None` when the arguments look like a command.
pub fn prose_hint(args: &[OsString]) -> Option<String> {
    let (command, rest) = args.get(1..)?.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let command = command.to_str()?;
    let cli = Cli::command();
    let subcommand = cli.find_subcommand(command)?;
    let words: Vec<&str> = rest.iter().map(|word| word.to_str()).collect::<Option<_>>()?;
    // `rules show` that failed is a command that failed, not prose.
    if subcommand.get_subcommands().any(|nested| nested.get_name() == words[0]) {
        return None;
    }
    let plain_word = |word: &&str| {
        let core = word.trim_end_matches(['.', ',', '?', '!', ':', ';']);
        !core.is_empty()
            && !core.starts_with('-')
            && !core.contains(['/', '\\', '.', '='])
            && !Path::new(word).exists()
    };
    if !words.iter().all(plain_word) {
        return None;
    }
    Some(format!(
        "if `{command} {}` is a request to classify, put it after `--`: triage -- {command} {}",
        words.join(" "),
        words.join(" ")
    ))
}

/// A delimiter as typed in a shell: one character, or `\t` / `tab` for a tab (typing a literal
/// tab on a command line is awkward).
fn parse_delimiter(value: &str) -> Result<char, String> {
    let mut chars = value.chars();
    match (value, chars.next(), chars.next()) {
        ("\\t" | "tab" | "TAB", _, _) => Ok('\t'),
        (_, Some(c), None) => Ok(c),
        _ => Err(format!("expected one character, `\\t` or `tab`, got {value:?}")),
    }
}
