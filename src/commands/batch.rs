//! `triage batch [FILE]`: classify every row of a CSV or JSONL table, keep all its columns and
//! add the verdict; rows that cannot be read are reported and still written (status `error`).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use request_triage::batch::write::{OutputFormat, RowWriter};
use request_triage::batch::{self, BatchError, BatchOptions, Progress, RowReport, Summary};
use request_triage::output::plural;
use request_triage::table::{default_delimiter, Selection, Table, TableError, TableFormat, TableOptions};
use request_triage::{Classifier, ClassifyOptions};

use super::{Context, Outcome};
use crate::cli::{BatchArgs, BatchFormat, InputFormat, TableArgs};

pub fn run(context: &Context, args: &BatchArgs, include_code: bool) -> Result<Outcome> {
    let rules = context.load_rules()?;
    let classifier = Classifier::with_options(rules, ClassifyOptions { include_code })?;
    let input = Input::from_args(&args.table);
    let (reader, size) = input.open(context)?;
    let table_options = table_options(&args.table);
    let table = Table::open(reader, &table_options).map_err(|err| table_error(&input, err))?;
    let output_format = match (args.format, table.format()) {
        (Some(BatchFormat::Csv), _) | (None, TableFormat::Csv) => OutputFormat::Csv,
        (Some(BatchFormat::Jsonl), _) | (None, TableFormat::Jsonl) => OutputFormat::Jsonl,
        (Some(BatchFormat::Json), _) | (None, TableFormat::Json) => OutputFormat::Json,
    };
    // `Table::open` has checked that the delimiter is one ASCII byte.
    let delimiter = u8::try_from(table_options.delimiter).unwrap_or(b',');
    let writer =
        RowWriter::new(output_format, table.format(), table.layout(), delimiter).with_crlf(table.crlf());
    let columns = table.layout().describe();

    let to_file = args.output.as_deref().is_some_and(|path| path != Path::new("-"));
    // Rows printed to the same terminal would break the bar apart, and show progress themselves.
    let show_progress =
        io::stderr().is_terminal() && (to_file || !io::stdout().is_terminal()) && !context.global.quiet;
    let mut reporter = Reporter {
        input: &input,
        bar: show_progress.then(|| progress_bar(size)),
        quiet: context.global.quiet,
    };
    let options = BatchOptions { strict: args.strict, ..BatchOptions::default() };
    let started = Instant::now();
    let summary = match args.output.as_deref().filter(|path| *path != Path::new("-")) {
        Some(path) => {
            write_to_file(path, |out| batch::run(table, &classifier, &writer, out, options, &mut reporter))
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
            batch::run(table, &classifier, &writer, &mut out, options, &mut reporter)
                .map_err(BatchFailure::Batch)
        }
    };
    if let Some(bar) = &reporter.bar {
        bar.finish_and_clear();
    }
    let summary = summary.map_err(|failure| failure.into_anyhow(&input))?;
    if summary.unlisted_keys > 0 {
        let rows = summary.unlisted_keys;
        context.warn(format_args!(
            "{rows} row{} keys that are not in the first object; CSV output has no column for them \
             (use --format jsonl to keep them)",
            if rows == 1 { " has" } else { "s have" }
        ));
    }
    if summary.extra_fields > 0 {
        let rows = summary.extra_fields;
        context.warn(format_args!(
            "{rows} row{} more fields than the header; each was classified with its extra fields \
             joined into the last column",
            if rows == 1 { " has" } else { "s have" }
        ));
    }
    if !context.global.quiet {
        print_summary(&summary, &classifier, started.elapsed().as_secs_f64(), &columns);
    }
    Ok(if summary.errors > 0 { Outcome::Findings } else { Outcome::Success })
}

pub(super) fn table_options(args: &TableArgs) -> TableOptions {
    let path = args.file.as_deref().filter(|p| *p != Path::new("-"));
    let format = match args.input_format {
        Some(InputFormat::Csv) => TableFormat::Csv,
        Some(InputFormat::Jsonl) => TableFormat::Jsonl,
        Some(InputFormat::Json) => TableFormat::Json,
        None => path.and_then(TableFormat::from_path).unwrap_or(TableFormat::Csv),
    };
    let delimiter = args.delimiter.unwrap_or_else(|| char::from(default_delimiter(path)));
    let selection = Selection {
        text: args.text_column.clone(),
        title: args.title_column.clone(),
        id: args.id_column.clone(),
        extras: Vec::new(),
    };
    TableOptions { format, delimiter, has_headers: !args.no_headers, selection }
}

/// The input file, or standard input.
pub(super) struct Input {
    path: Option<PathBuf>,
}

impl Input {
    pub(super) fn from_args(args: &TableArgs) -> Input {
        Input { path: args.file.clone().filter(|p| p != Path::new("-")) }
    }

    pub(super) fn name(&self) -> String {
        self.path.as_ref().map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string())
    }

    /// The reader and, for a regular file, its size (for the progress bar). Reading a terminal
    /// says so, so that a forgotten FILE does not look like a hang.
    pub(super) fn open(&self, context: &Context) -> Result<(Box<dyn Read + Send>, Option<u64>)> {
        match &self.path {
            Some(path) => {
                let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
                let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
                Ok((Box::new(file), size))
            }
            None => {
                if io::stdin().is_terminal() && !context.global.quiet {
                    eprintln!("triage: reading the table from standard input (end with Ctrl-D)");
                }
                Ok((Box::new(io::stdin()), None))
            }
        }
    }
}

/// Table errors keep a read error as the root cause, so a closed pipe stays recognisable.
pub(super) fn table_error(input: &Input, err: TableError) -> anyhow::Error {
    match err {
        TableError::Io(err) => anyhow::Error::new(err).context(format!("cannot read {}", input.name())),
        other => anyhow::Error::new(other).context(input.name()),
    }
}

enum BatchFailure {
    Batch(BatchError),
    Other(anyhow::Error),
}

impl BatchFailure {
    fn into_anyhow(self, input: &Input) -> anyhow::Error {
        match self {
            BatchFailure::Batch(BatchError::Io(err)) => {
                anyhow::Error::new(err).context("cannot write the output")
            }
            BatchFailure::Batch(BatchError::Table(err)) => table_error(input, err),
            BatchFailure::Batch(err @ BatchError::Strict(_)) => {
                anyhow::Error::new(err).context(format!("{} (--strict)", input.name()))
            }
            BatchFailure::Other(err) => err,
        }
    }
}

/// The temporary file being written, removed when a signal ends the run.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Writes the batch output to an open file.
trait WriteRows: FnOnce(&mut BufWriter<&mut File>) -> Result<Summary, BatchError> {}
impl<F: FnOnce(&mut BufWriter<&mut File>) -> Result<Summary, BatchError>> WriteRows for F {}

/// Write `-o FILE`. A regular file (or a new one) is replaced atomically. A device or pipe such as
/// `/dev/null` is written in place: renaming a file onto it would replace the device itself.
fn write_to_file(path: &Path, write: impl WriteRows) -> Result<Summary, BatchFailure> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            Err(BatchFailure::Other(anyhow::anyhow!("cannot write {}: it is a folder", path.display())))
        }
        Ok(meta) if !meta.is_file() => write_in_place(path, write),
        // Follow a symbolic link, so that the link stays and its target gets the output.
        Ok(_) => match std::fs::canonicalize(path) {
            Ok(target) => write_atomically(&target, write),
            Err(err) => Err(BatchFailure::Other(
                anyhow::Error::new(err).context(format!("cannot resolve {}", path.display())),
            )),
        },
        Err(_) => match dangling_link_target(path).map_err(BatchFailure::Other)? {
            // A link to a file that does not exist yet: the file is created, the link stays.
            Some(target) => write_atomically(&target, write),
            None => write_atomically(path, write),
        },
    }
}

/// Where a symbolic link that leads nowhere (yet) points: `Some(missing file)` to create, `None`
/// when `path` is not a link at all, an error for a loop (or a chain of more than 40 links).
fn dangling_link_target(path: &Path) -> Result<Option<PathBuf>> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let is_link = std::fs::symlink_metadata(&current).is_ok_and(|meta| meta.file_type().is_symlink());
        if !is_link {
            return Ok((current != path).then_some(current));
        }
        let link = std::fs::read_link(&current)
            .with_context(|| format!("cannot resolve the symbolic link {}", current.display()))?;
        current = current.parent().unwrap_or(Path::new("")).join(link);
    }
    anyhow::bail!("cannot write {}: its symbolic links loop (or chain more than 40 deep)", path.display())
}

/// Write `text` to `path` as `batch -o` writes its output: atomically through a temporary file,
/// a device in place, a symbolic link's target. For other commands' `-o`.
pub(super) fn write_text_to_file(path: &Path, text: &str) -> Result<()> {
    let write = |out: &mut BufWriter<&mut File>| {
        out.write_all(text.as_bytes()).map(|()| Summary::default()).map_err(BatchError::Io)
    };
    write_to_file(path, write).map(|_| ()).map_err(|failure| match failure {
        BatchFailure::Batch(err) => {
            anyhow::Error::new(err).context(format!("cannot write {}", path.display()))
        }
        BatchFailure::Other(err) => err,
    })
}

fn write_in_place(path: &Path, write: impl WriteRows) -> Result<Summary, BatchFailure> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open {} for writing", path.display()))
        .map_err(BatchFailure::Other)?;
    let mut out = BufWriter::with_capacity(1 << 20, &mut file);
    write(&mut out)
        .and_then(|summary| out.flush().map(|()| summary).map_err(BatchError::Io))
        .map_err(BatchFailure::Batch)
}

/// Write through a temporary file in `path`'s folder, renamed onto `path` only on success; on
/// failure or a signal (Ctrl-C, SIGTERM, SIGHUP ...) the temporary file is removed and an
/// existing `path` is left untouched.
fn write_atomically(path: &Path, write: impl WriteRows) -> Result<Summary, BatchFailure> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    install_interrupt_handler();
    // Created and recorded under the lock, so a signal handled meanwhile still finds the file.
    let mut temp = {
        let mut pending = PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let temp = tempfile::Builder::new()
            .prefix(".triage-batch-")
            .suffix(".tmp")
            .tempfile_in(folder)
            .with_context(|| format!("cannot create a temporary file in {}", folder.display()))
            .map_err(BatchFailure::Other)?;
        *pending = Some(temp.path().to_path_buf());
        temp
    };
    let result = {
        let mut out = BufWriter::with_capacity(1 << 20, temp.as_file_mut());
        write(&mut out).and_then(|summary| out.flush().map(|()| summary).map_err(BatchError::Io))
    };
    let outcome = result.map_err(BatchFailure::Batch).and_then(|summary| {
        let permissions = std::fs::metadata(path).map(|m| m.permissions()).ok();
        keep_permissions(temp.as_file(), permissions);
        temp.persist(path)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(BatchFailure::Other)?;
        Ok(summary)
    });
    set_pending(None);
    outcome
}

fn set_pending(path: Option<PathBuf>) {
    if let Ok(mut pending) = PENDING.lock() {
        *pending = path;
    }
}

/// Signals whose default action ends the process. On any of them, the temporary output file is
/// removed and triage exits with 128 + the signal's number, as a shell reports a killed command
/// (130 for Ctrl-C, 143 for SIGTERM and `timeout`, 129 for SIGHUP).
const ENDING_SIGNALS: [i32; 11] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGALRM,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
    signal_hook::consts::SIGVTALRM,
    signal_hook::consts::SIGPROF,
    signal_hook::consts::SIGXCPU,
    signal_hook::consts::SIGXFSZ,
];

/// Watch for [`ENDING_SIGNALS`] on a thread of its own, once per process.
fn install_interrupt_handler() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new(ENDING_SIGNALS) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                if let Ok(mut pending) = PENDING.lock() {
                    if let Some(path) = pending.take() {
                        let _ = std::fs::remove_file(path);
                    }
                }
                let name = signal_hook::low_level::signal_name(signal).unwrap_or("a signal");
                eprintln!("triage: interrupted by {name}");
                std::process::exit(128 + signal);
            }
        });
    });
}

/// A new output file gets ordinary permissions (temporary files are private); an existing one
/// keeps its own.
fn keep_permissions(file: &File, existing: Option<std::fs::Permissions>) {
    #[cfg(unix)]
    let existing = existing.or_else(|| {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    });
    if let Some(permissions) = existing {
        let _ = file.set_permissions(permissions);
    }
}

/// Row errors and progress on stderr.
struct Reporter<'a> {
    input: &'a Input,
    bar: Option<ProgressBar>,
    /// `-q`: no warnings (row errors are still reported).
    quiet: bool,
}

impl Progress for Reporter<'_> {
    fn row_error(&mut self, report: &RowReport) {
        let message = format!("triage: {}: {report}", self.input.name());
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    fn row_warning(&mut self, report: &RowReport) {
        if self.quiet {
            return;
        }
        let message = format!("triage: warning: {}: {report}", self.input.name());
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    fn advanced(&mut self, rows: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{rows} rows"));
        }
    }
}

fn progress_bar(size: Option<u64>) -> ProgressBar {
    let bar = match size {
        Some(size) => ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if size.is_some() {
        "{spinner} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} (eta {eta})"
    } else {
        "{spinner} {bytes} {binary_bytes_per_sec} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn print_summary(summary: &Summary, classifier: &Classifier, seconds: f64, columns: &str) {
    let rules = classifier.rules();
    let seconds = seconds.max(1e-9);
    let mut stderr = io::stderr().lock();
    let _ = writeln!(
        stderr,
        "triage: {} row{}{} in {seconds:.2} s: {:.0} rows/s, {:.1} MB/s",
        summary.rows,
        plural(summary.rows as usize),
        if summary.rows == 0 { String::new() } else { format!(" ({columns})") },
        summary.rows as f64 / seconds,
        summary.bytes as f64 / seconds / 1e6,
    );
    let owners: Vec<String> = rules
        .functions
        .iter()
        .enumerate()
        .map(|(index, function)| {
            format!("{} {}", function.id, summary.owners.get(index).copied().unwrap_or(0))
        })
        .collect();
    let _ = writeln!(stderr, "  owner:  {}  none {}", owners.join("  "), summary.unassigned);
    let _ = writeln!(
        stderr,
        "  status: assigned {}  mixed {}  unassigned {}  error {}",
        summary.assigned, summary.mixed, summary.unassigned, summary.errors
    );
}
