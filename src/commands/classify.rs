//! `triage [TEXT]...`: classify one request, or each line of stdin with `--lines`.

use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{Context as _, Result};
use request_triage::input::{for_each_line, read_all_lossy};
use request_triage::output::{json, text};
use request_triage::{Classifier, ClassifyOptions, Request};

use super::{Context, Outcome};
use crate::cli::{ClassifyArgs, SingleFormat};

pub fn run(context: &Context, args: &ClassifyArgs, include_code: bool) -> Result<Outcome> {
    let rules = context.load_rules()?;
    let options = ClassifyOptions { include_code };
    // One request (or a few lines) should not pay for compiling patterns its text cannot match.
    let classifier = if args.lines {
        Classifier::with_options(rules, options)?
    } else {
        Classifier::for_few_requests(rules, options)?
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());

    if args.lines {
        if !args.text.is_empty() {
            anyhow::bail!("--lines reads standard input; do not also give TEXT");
        }
        let as_array = args.format == SingleFormat::Json;
        if as_array {
            out.write_all(b"[")?;
        }
        let lossy = for_each_line(io::stdin().lock(), |number, line| -> Result<()> {
            let request = Request::body(line);
            if as_array && number > 1 {
                out.write_all(b",")?;
            }
            print(&mut out, context, args, &classifier, &request, Some(number))
        })?;
        if as_array {
            out.write_all(b"]\n")?;
        }
        out.flush()?;
        if lossy {
            context.warn("standard input is not valid UTF-8; invalid bytes were replaced with U+FFFD");
        }
        return Ok(Outcome::Success);
    }

    let text = if args.text.is_empty() {
        if io::stdin().is_terminal() && !context.global.quiet {
            eprintln!("triage: reading the request from standard input (end with Ctrl-D)");
        }
        let (text, lossy) = read_all_lossy(io::stdin().lock()).context("cannot read standard input")?;
        if lossy {
            context.warn("standard input is not valid UTF-8; invalid bytes were replaced with U+FFFD");
        }
        text
    } else {
        args.text.join(" ")
    };
    let request = match &args.title {
        Some(title) => Request::with_title(title.as_str(), text.as_str()),
        None => Request::body(text.as_str()),
    };
    print(&mut out, context, args, &classifier, &request, None)?;
    out.flush()?;
    // The process ends next: freeing some 1,400 rules and their automata one by one would be
    // an eighth of a single request's work, and the operating system takes the memory back.
    std::mem::forget(classifier);
    Ok(Outcome::Success)
}

fn print(
    out: &mut impl Write,
    context: &Context,
    args: &ClassifyArgs,
    classifier: &Classifier,
    request: &Request,
    line: Option<usize>,
) -> Result<()> {
    let rules = classifier.rules();
    let verdict = classifier.classify(request);
    if let Some(err) = classifier.pattern_failure() {
        return Err(err.into());
    }
    match args.format {
        SingleFormat::Text => {
            if let Some(line) = line {
                write!(out, "line {line}: ")?;
            }
            text::verdict(out, &verdict, rules)?;
            if args.explain {
                text::explain(out, request, &verdict, rules, context.colour)?;
            }
        }
        SingleFormat::Json | SingleFormat::Jsonl => {
            let mut value = json::verdict(&verdict, rules);
            if let (Some(line), Some(object)) = (line, value.as_object_mut()) {
                object.insert("line".into(), line.into());
            }
            if args.format == SingleFormat::Json && line.is_none() {
                serde_json::to_writer_pretty(&mut *out, &value)?;
            } else {
                serde_json::to_writer(&mut *out, &value)?;
            }
            if args.format == SingleFormat::Jsonl || line.is_none() {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}
