//! GitHub issue templates (markdown with front matter, issue forms, the chooser `config.yml`, or
//! plain text) turned into requests the classifier can score, with where each piece of text, each
//! label and each `triage:` directive sits in the file, and what GitHub would reject.
//!
//! ```
//! use request_triage::templates::{parse, Kind};
//!
//! let template = parse("bug.md", "---\nname: Bug\nabout: Something fails\nlabels: bug\n---\nSteps\n");
//! assert_eq!(template.kind, Kind::Markdown);
//! assert_eq!(template.labels[0].name, "bug");
//! assert_eq!(template.labels[0].at.line, 4);
//! assert!(template.problems.is_empty());
//! ```

mod config;
mod directive;
pub mod findings;
mod form;
pub mod locate;
mod markdown;

use std::path::Path;

use serde_yaml::Value;

use crate::classify::Request;
use crate::rules::Field;
pub use findings::{check, Checked, Code, Expected, ExpectedSource, Finding, Level, UNASSIGNED};
pub use locate::Location;
use locate::{scalar_text, LineIndex, Spots};

/// Templates larger than this are not parsed: real ones are a few kilobytes, and the line
/// search after parsing should stay cheap on hostile input.
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;

/// Nesting and alias limits for the YAML of templates (front matter, forms, `config.yml`): the
/// same depth as rule files, and aliases may repeat at most as much text as a template may hold.
pub const YAML_LIMITS: crate::yaml_limits::Limits = crate::yaml_limits::Limits {
    max_depth: crate::rules::limits::MAX_NESTING,
    max_alias_bytes: MAX_TEMPLATE_BYTES,
};

/// What kind of file a template is, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    /// Markdown with YAML front matter.
    #[serde(rename = "md")]
    Markdown,
    /// An issue form (`*.yml`, `*.yaml`).
    #[serde(rename = "form")]
    Form,
    /// The template chooser, `config.yml`.
    #[serde(rename = "config")]
    Config,
    /// Anything else: the whole file is the request body.
    #[serde(rename = "text")]
    Text,
}

impl Kind {
    /// The kind a file name implies: `config.yml` is the chooser, other YAML is a form.
    pub fn of(path: &Path) -> Kind {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        match extension.as_str() {
            "md" | "markdown" => Kind::Markdown,
            "yml" | "yaml" if name == "config.yml" || name == "config.yaml" => Kind::Config,
            "yml" | "yaml" => Kind::Form,
            _ => Kind::Text,
        }
    }

    /// Whether GitHub reads this kind as a template (so a folder search picks it up).
    pub fn is_template_file(path: &Path) -> bool {
        Kind::of(path) != Kind::Text
    }
}

/// A piece of a template's text, the field it counts as, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcePart {
    pub field: Field,
    pub text: String,
    /// Where the text is in the file.
    pub at: Location,
    /// What it is, for messages: `name`, `about`, `body`, `body[2].label` ...
    pub what: String,
    /// Byte offset of `text` in the file when it is a verbatim slice of it (markdown and plain
    /// bodies), so a match inside it can be pointed at exactly.
    pub verbatim: Option<usize>,
}

/// One request a template makes: a whole template, or one contact link of a chooser.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRequest {
    /// The template's or link's name, when it has one.
    pub name: Option<String>,
    /// Where the request starts (its name, else the top of the file).
    pub at: Location,
    pub parts: Vec<SourcePart>,
    /// A directive that applies to this request only (a comment inside a contact link).
    pub directive: Option<Directive>,
}

impl TemplateRequest {
    /// The request the classifier scores; part indexes match `parts`.
    pub fn request(&self) -> Request<'_> {
        let mut request = Request::default();
        for part in &self.parts {
            request.push(part.field, part.text.as_str());
        }
        request
    }
}

/// A label a template applies, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub name: String,
    pub at: Location,
}

/// An explicit owner: `# triage: devrel` (YAML) or `<!-- triage: devrel -->` (markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The function id or name as written.
    pub id: String,
    pub at: Location,
}

/// Something GitHub would reject or that cannot be read: becomes a `broken` finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Location,
    pub message: String,
}

/// A parsed template: its requests, labels, directive and problems.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub kind: Kind,
    pub requests: Vec<TemplateRequest>,
    pub labels: Vec<Label>,
    /// The file-wide directive (the first one; more are problems).
    pub directive: Option<Directive>,
    pub problems: Vec<Problem>,
}

impl Template {
    fn new(kind: Kind) -> Template {
        Template { kind, requests: Vec::new(), labels: Vec::new(), directive: None, problems: Vec::new() }
    }

    fn problem(&mut self, at: Location, message: impl Into<String>) {
        self.problems.push(Problem { at, message: message.into() });
    }
}

/// Read a template. `file_name` decides the kind (see [`Kind::of`]); `text` is the whole file.
/// Never fails: what cannot be read becomes a [`Problem`].
pub fn parse(file_name: &str, text: &str) -> Template {
    parse_as(Kind::of(Path::new(file_name)), text)
}

/// Read a template as a given kind.
pub fn parse_as(kind: Kind, text: &str) -> Template {
    if text.len() > MAX_TEMPLATE_BYTES {
        let mut template = Template::new(kind);
        template.problem(
            Location::START,
            format!("the file is larger than {MAX_TEMPLATE_BYTES} bytes; templates that large are not read"),
        );
        return template;
    }
    let index = LineIndex::new(text);
    let mut template = match kind {
        // A chooser gives its directives to the links they stand by.
        Kind::Config => config::parse(&index),
        Kind::Markdown => {
            // Front matter is YAML: a `# triage:` comment there counts too.
            let front_matter_end = markdown::front_matter_end(text);
            let mut directives = directive::find_in(&index, directive::Style::Yaml, 0, front_matter_end);
            directives.extend(directive::find(&index, directive::Style::Markdown));
            directives.sort_by_key(|d| d.at);
            with_file_directive(markdown::parse(&index), directives)
        }
        Kind::Form => {
            with_file_directive(form::parse(&index), directive::find(&index, directive::Style::Yaml))
        }
        Kind::Text => with_file_directive(plain(&index), directive::find(&index, directive::Style::Yaml)),
    };
    template.problems.sort_by_key(|p| p.at);
    template
}

/// The first directive applies to the whole file; any other is a problem.
fn with_file_directive(mut template: Template, directives: Vec<Directive>) -> Template {
    let mut directives = directives.into_iter();
    template.directive = directives.next();
    for extra in directives {
        let first = template.directive.as_ref().map_or(0, |d| d.at.line);
        template.problem(extra.at, format!("a second `triage:` directive; the first is on line {first}"));
    }
    template
}

/// Any other file: all of it is the body.
fn plain(index: &LineIndex) -> Template {
    let mut template = Template::new(Kind::Text);
    template.requests.push(TemplateRequest {
        name: None,
        at: Location::START,
        parts: vec![SourcePart {
            field: Field::Body,
            text: index.text().to_owned(),
            at: Location::START,
            what: "text".into(),
            verbatim: Some(0),
        }],
        directive: None,
    });
    template
}

/// Parse a template's YAML (`text` starts `line_offset` lines into the file), within
/// [`YAML_LIMITS`]; a limit passed or a YAML error becomes the problem to report.
fn parse_yaml(text: &str, line_offset: usize) -> Result<Value, Problem> {
    if let Err(err) = crate::yaml_limits::check(text, YAML_LIMITS) {
        let at = Location { line: err.line + line_offset, column: err.column };
        return Err(Problem { at, message: err.exceeded.to_string() });
    }
    serde_yaml::from_str(text).map_err(|err| yaml_problem(&err, line_offset))
}

/// A YAML error as a problem, its location shifted by `line_offset` lines (front matter).
fn yaml_problem(err: &serde_yaml::Error, line_offset: usize) -> Problem {
    let message = crate::rules::strip_location(&err.to_string());
    let at = err.location().map_or(Location { line: line_offset + 1, column: 1 }, |l| Location {
        line: l.line() + line_offset,
        column: l.column(),
    });
    Problem { at, message: format!("invalid YAML: {message}") }
}

/// Labels given as a list or as a comma-separated string, each located in the file.
fn read_labels(value: Option<&Value>, path: &str, spots: &Spots, index: &LineIndex, template: &mut Template) {
    let Some(value) = value else { return };
    let fallback = spots.key_at(path, index);
    match value {
        Value::Null => {}
        Value::Sequence(items) => {
            for (position, item) in items.iter().enumerate() {
                match scalar_text(item) {
                    Some(name) if !name.trim().is_empty() => {
                        let at = spots
                            .value(&format!("{path}.{position}"))
                            .map_or(fallback, |at| index.location(at));
                        template.labels.push(Label { name: name.trim().to_owned(), at });
                    }
                    Some(_) => {}
                    None => template.problem(fallback, format!("`{path}` must be a list of strings")),
                }
            }
        }
        other => match scalar_text(other) {
            Some(list) => {
                let start = spots.value(path);
                for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let at = start
                        .and_then(|start| {
                            let line_end =
                                index.text()[start..].find('\n').map_or(index.text().len(), |e| start + e);
                            index.text()[start..line_end].find(name).map(|at| start + at)
                        })
                        .map_or(fallback, |at| index.location(at));
                    template.labels.push(Label { name: name.to_owned(), at });
                }
            }
            None => {
                template.problem(fallback, format!("`{path}` must be a list or a comma-separated string"))
            }
        },
    }
}

/// A scalar at `path` as a part of the request, if it has text.
fn push_part(
    parts: &mut Vec<SourcePart>,
    value: Option<&Value>,
    field: Field,
    path: &str,
    what: &str,
    spots: &Spots,
    index: &LineIndex,
) {
    let Some(text) = value.and_then(scalar_text) else { return };
    if text.trim().is_empty() {
        return;
    }
    let at = spots.value_at(path, index);
    parts.push(SourcePart { field, text, at, what: what.to_owned(), verbatim: None });
}

#[cfg(test)]
mod tests;
