//! `triage check [PATH]...`: the pre-commit check for GitHub issue templates. Finds the template
//! files, reads them all (an unreadable one stops the run with exit 2), checks each with the
//! library and prints findings linter style or as JSON.

use std::collections::BTreeSet;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use request_triage::input::read_all_lossy;
use request_triage::output::{check as print, plural};
use request_triage::templates::{self, Kind, Level};
use request_triage::{Classifier, ClassifyOptions};

use super::{Context, Outcome};
use crate::cli::{CheckArgs, CheckFormat, DenyLevel};

pub fn run(context: &Context, args: &CheckArgs, include_code: bool) -> Result<Outcome> {
    let rules = context.load_rules()?;
    // A pre-commit run checks a few templates: compile only the patterns their text can match.
    let classifier = Classifier::for_few_requests(rules, ClassifyOptions { include_code })?;
    let rules = classifier.rules();
    let mut skipped = Vec::new();
    let files = collect(&args.paths, &mut skipped)?;
    if files.is_empty() {
        // Only rule files were given (the hook passes one when it changes), with no templates
        // beside them: say so rather than pass in silence.
        context.warn(
            "nothing to check: no `.github/ISSUE_TEMPLATE` folder with issue templates beside the rule file",
        );
    }
    for link in &skipped {
        context.warn(format!(
            "`{}` is a symbolic link to nothing (dangling or looping); skipped",
            link.display()
        ));
    }
    let mut sources = Vec::with_capacity(files.len());
    for file in &files {
        // One byte past the size limit is enough to see that a file is too large.
        let limit = templates::MAX_TEMPLATE_BYTES as u64 + 1;
        let (mut text, lossy) = std::fs::File::open(file)
            .and_then(|opened| read_all_lossy(opened.take(limit)))
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        if lossy {
            context.warn(format!(
                "`{}` is not valid UTF-8; invalid bytes were replaced with U+FFFD",
                file.display()
            ));
        }
        // Editors on Windows may start a file with a byte order mark; GitHub reads past it, and
        // YAML would take it for the start of a second document.
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        sources.push(text);
    }

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let deny_warnings = args.deny == Some(DenyLevel::Warnings);
    let (mut errors, mut warnings, mut checked_count) = (0, 0, 0);
    let mut elements = Vec::new();
    for (file, source) in files.iter().zip(&sources) {
        let kind = Kind::of(file);
        let template = templates::parse_as(kind, source);
        let path = file.display().to_string();
        let results = templates::check(&template, source, &classifier);
        if let Some(err) = classifier.pattern_failure() {
            return Err(err.into());
        }
        for checked in results {
            checked_count += 1;
            errors += checked.findings.iter().filter(|f| f.level == Level::Error).count();
            warnings += checked.findings.iter().filter(|f| f.level == Level::Warning).count();
            match args.format {
                CheckFormat::Json => elements.push(print::json(&path, kind, &checked, rules)),
                CheckFormat::Text if checked.findings.is_empty() => {
                    if args.verbose {
                        print::passed(&mut out, &path, &checked, rules)?;
                    }
                }
                CheckFormat::Text => print::text(&mut out, &path, &checked, rules)?,
                CheckFormat::Github if checked.findings.is_empty() => {
                    if args.verbose {
                        print::github_passed(&mut out, &path, &checked, rules)?;
                    }
                }
                CheckFormat::Github => print::github(&mut out, &path, &checked, rules)?,
            }
        }
    }
    if args.format == CheckFormat::Json {
        serde_json::to_writer_pretty(&mut out, &elements)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    if (failed || args.verbose) && !context.global.quiet && args.format != CheckFormat::Json {
        eprintln!(
            "triage: checked {checked_count} request{} in {} file{}: {errors} error{}, {warnings} warning{}{}",
            plural(checked_count),
            files.len(),
            plural(files.len()),
            plural(errors),
            plural(warnings),
            if deny_warnings && warnings > 0 { " (warnings denied)" } else { "" },
        );
    }
    Ok(if failed { Outcome::Findings } else { Outcome::Success })
}

/// The files to check: files as given, folders searched; each file once, in the order given.
/// Symbolic links to nothing found in a folder are added to `skipped`.
fn collect(paths: &[PathBuf], skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        let found = if metadata.is_dir() {
            search(path, skipped)?
        } else if is_rule_file(path) {
            templates_of_rule_file(path, skipped)?
        } else {
            vec![path.clone()]
        };
        for file in found {
            // The same file through two paths (or a symlink) is checked once.
            let key =
                std::fs::canonicalize(&file).with_context(|| format!("cannot read `{}`", file.display()))?;
            if seen.insert(key) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

/// `triage.yaml` or `.triage.yaml`: a rule file, given when it changed (the pre-commit hook passes
/// it), so every template it judges must be checked again.
fn is_rule_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| super::RULE_FILE_NAMES.iter().any(|rule_file| name == *rule_file))
}

/// Where GitHub keeps a repository's issue templates, below `base`.
fn issue_template_folder(base: &Path) -> PathBuf {
    base.join(".github").join("ISSUE_TEMPLATE")
}

/// For an error that found no templates: the symbolic links to nothing that were skipped, which
/// may be the templates the user meant.
fn dangling(links: &[PathBuf]) -> String {
    if links.is_empty() {
        return String::new();
    }
    let names: Vec<String> = links.iter().map(|link| format!("`{}`", link.display())).collect();
    format!("; skipped symbolic links to nothing: {}", names.join(", "))
}

/// The templates a rule file applies to: those in `.github/ISSUE_TEMPLATE/` beside it (none when
/// that folder does not exist: the rule file alone has nothing to check).
fn templates_of_rule_file(rule_file: &Path, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let folder = rule_file.parent().unwrap_or(Path::new(""));
    let nested = issue_template_folder(folder);
    if nested.is_dir() {
        templates_in(&nested, skipped)
    } else {
        Ok(Vec::new())
    }
}

/// The templates of a folder: those in `.github/ISSUE_TEMPLATE/` below it, else its own. Like
/// GitHub, only the folder's own files count (no recursion, so symlink loops cannot trap us).
fn search(folder: &Path, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    // `triage check .` reports `.github/...`, not `./.github/...`.
    let base = if folder == Path::new(".") { Path::new("") } else { folder };
    let nested = issue_template_folder(base);
    let skipped_before = skipped.len();
    if nested.is_dir() {
        let files = templates_in(&nested, skipped)?;
        if files.is_empty() {
            bail!(
                "`{}` holds no issue templates (*.md, *.yml, *.yaml){}",
                nested.display(),
                dangling(&skipped[skipped_before..])
            );
        }
        return Ok(files);
    }
    let files = templates_in(base, skipped)?;
    if files.is_empty() {
        bail!(
            "no issue templates found in `{}` (looked in `{}` and in the folder itself){}",
            folder.display(),
            nested.display(),
            dangling(&skipped[skipped_before..])
        );
    }
    Ok(files)
}

/// Template files (by extension) directly in `folder`, sorted by name, leaving out rule files and
/// hidden files. A symbolic link to nothing is added to `skipped` rather than stopping the run,
/// so the other templates are checked.
fn templates_in(folder: &Path, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let readable = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let entries = std::fs::read_dir(readable)
        .with_context(|| format!("cannot read the folder `{}`", readable.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the folder `{}`", readable.display()))?;
        let path = folder.join(entry.file_name());
        // A rule file or a hidden file (`.pre-commit-config.yaml`) in a searched folder is never
        // an issue template.
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !Kind::is_template_file(&path) || hidden || is_rule_file(&path) {
            continue;
        }
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(_) if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) => {
                skipped.push(path);
                continue;
            }
            Err(err) => return Err(err).with_context(|| format!("cannot read `{}`", path.display())),
        };
        if metadata.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
