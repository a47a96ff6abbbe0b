//! Rule files: load YAML into raw structs, validate them into the types the rest of the code uses.
//! Raw structs never leave this module; everything else sees a [`RuleSet`] that is known good.

mod error;
mod raw;
mod snapshot;

use std::borrow::Cow;
use std::cell::Cell;
pub mod schema;

pub use error::{RulesError, RulesErrorKind};
pub(crate) use snapshot::borrowed;
#[cfg(test)]
pub(crate) use snapshot::check_fresh;

use raw::{RawFunction, RawKeyword, RawNone, RawPattern, RawRuleFile, RawUnless};

/// The shipped rule set, compiled into the binary so `triage` works with no file at all.
pub const DEFAULT_RULES_YAML: &str = include_str!("../../rules/default.yaml");
/// The name used for the embedded rule set in messages.
pub const DEFAULT_RULES_ORIGIN: &str = "<default rules>";

/// How the `none:` block is named in output: the evidence that a request belongs to no function.
pub const NONE_ID: &str = "none";

/// Limits that keep hostile rule files from exhausting time or memory.
pub mod limits {
    /// Largest rule file accepted, in bytes.
    pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
    /// Most keywords and patterns over all functions.
    pub const MAX_RULES: usize = 250_000;
    /// Longest regex source accepted, in bytes.
    pub const MAX_REGEX_BYTES: usize = 64 * 1024;
    /// Compiled size limit of one regex (the regex crate's `size_limit`).
    pub const REGEX_SIZE_LIMIT: usize = 8 * 1024 * 1024;
    /// Compiled size limit of all patterns together: the sum of each pattern's compiled size,
    /// checked when the rule file is loaded, so `rules check`, `batch` and a single request all
    /// refuse the same files. Patterns are compiled one by one; this bounds the memory of all of
    /// them together.
    pub const PATTERNS_SIZE_LIMIT: usize = 32 * 1024 * 1024;
    /// Largest count of a counted repetition (`x{n}`), multiplied through nested ones; as RE2
    /// and Go's regexp.
    pub const MAX_REPETITION: u64 = 1000;
    /// Most text (strings, plus a small cost per string) a rule file may expand to once YAML
    /// aliases are followed: a backstop behind [`MAX_ALIAS_BYTES`], which the streaming parser
    /// checks before serde_yaml reads the file.
    pub const MAX_EXPANDED_BYTES: usize = 2 * MAX_FILE_BYTES;
    /// Largest weight (in absolute value) of a keyword, a pattern or a field. With at most
    /// [`MAX_RULES`] rules, every score stays a finite number far from overflow.
    pub const MAX_WEIGHT: f64 = 1_000_000.0;
    /// Deepest nesting of YAML collections, block or flow; the format needs five levels.
    pub const MAX_NESTING: usize = 64;
    /// Most text YAML aliases may repeat in a rule file (see [`crate::yaml_limits`]).
    pub const MAX_ALIAS_BYTES: usize = MAX_FILE_BYTES;
    /// The limits a rule file's YAML is read with.
    pub const YAML: crate::yaml_limits::Limits =
        crate::yaml_limits::Limits { max_depth: MAX_NESTING, max_alias_bytes: MAX_ALIAS_BYTES };
}

/// Where a match was found; titles usually weigh more than bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Body,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Body => "body",
        }
    }
}

/// How a rule matches text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// A word or phrase, case-insensitive and whole-word; a trailing `*` makes it a prefix.
    Keyword,
    /// A regular expression (regex crate syntax), case-insensitive.
    Pattern,
}

/// One keyword or pattern of a function.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Rule {
    pub kind: RuleKind,
    /// The term or regex as written in the rule file. Borrowed from the embedded snapshot for
    /// the default rules: copying 2,800 strings was a third of reading them back.
    #[serde(deserialize_with = "snapshot::borrowed")]
    pub source: Cow<'static, str>,
    /// The display name: the term, or the pattern's `name` when it has one (borrowed likewise).
    #[serde(deserialize_with = "snapshot::borrowed")]
    pub name: Cow<'static, str>,
    pub weight: f64,
    /// 1-based line in the rule file, when it could be found.
    pub line: Option<usize>,
    /// A pattern as the classifier compiles it (see `classify::pattern`); `None` for keywords.
    /// Boxed, so that the thousands of keywords do not each carry an empty one: every request
    /// reads the rules back, and the smaller list saves it a few dozen page faults.
    pub(crate) prepared: Option<Box<crate::classify::pattern::Prepared>>,
    /// Text in which a match of this rule means something else and does not vote: a match that
    /// overlaps an occurrence of one of these does not count ("event" in "event loop").
    #[serde(default)]
    pub unless: Vec<Unless>,
}

impl Rule {
    /// A pattern as the classifier compiles it; empty for keywords.
    pub(crate) fn prepared(&self) -> &crate::classify::pattern::Prepared {
        static NONE: crate::classify::pattern::Prepared = crate::classify::pattern::Prepared::EMPTY;
        self.prepared.as_deref().unwrap_or(&NONE)
    }
}

/// An entry of a rule's `unless:` list: a phrase matched like a keyword (case-insensitive, whole
/// words, `*` a prefix) or a regex (`{ regex: ... }`) matched like a pattern.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Unless {
    pub kind: RuleKind,
    /// The phrase or regex as written in the rule file.
    pub source: String,
    /// A regex as the classifier compiles it; empty for phrases.
    pub(crate) prepared: crate::classify::pattern::Prepared,
}

/// A function that can own requests (Marketing, Community, DevRel, or any a user adds).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Function {
    pub id: String,
    pub name: String,
    pub focus: String,
    pub question: Option<String>,
    /// Issue labels that mean "this function owns it", trimmed, as written (so a script can apply
    /// them as they are); compared case-insensitively.
    pub labels: Vec<String>,
    pub rules: Vec<Rule>,
    /// Requests this function must own, checked by `triage rules test`.
    pub examples: Vec<Example>,
}

/// An example request of a function, with its line in the rule file when it could be found.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Example {
    pub text: String,
    pub line: Option<usize>,
}

/// What a rule-file test expects.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expectation {
    Owner(usize),
    Unassigned,
    Mixed,
}

/// A test case of the rule file, run by `triage rules test`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleTest {
    pub title: Option<String>,
    pub text: String,
    pub expect: Expectation,
    pub line: Option<usize>,
}

impl Expectation {
    /// Whether a verdict meets this expectation: an owner must be assigned clearly (not mixed).
    pub fn met_by(&self, verdict: &crate::classify::Verdict) -> bool {
        use crate::classify::Status;
        match self {
            Expectation::Owner(index) => verdict.owner == Some(*index) && verdict.status == Status::Assigned,
            Expectation::Unassigned => verdict.status == Status::Unassigned,
            Expectation::Mixed => verdict.status == Status::Mixed,
        }
    }
}

/// A request the rule file itself says how to route: a function's example or a test.
#[derive(Debug, Clone, PartialEq)]
pub struct Case<'r> {
    pub title: Option<&'r str>,
    pub text: &'r str,
    pub expect: Expectation,
    /// Its line in the rule file, when known.
    pub line: Option<usize>,
}

impl Case<'_> {
    /// The request to classify.
    pub fn request(&self) -> crate::classify::Request<'_> {
        match self.title {
            Some(title) => crate::classify::Request::with_title(title, self.text),
            None => crate::classify::Request::body(self.text),
        }
    }
}

/// A validated rule set. Construct with [`RuleSet::from_yaml`] or [`RuleSet::default_rules`].
/// `Deserialize` exists for the embedded snapshot alone: it borrows strings from `'static` bytes
/// in postcard's form and is not a format for rule files.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct RuleSet {
    #[serde(skip)]
    pub origin: String,
    /// The YAML text the rules were read from, kept for `rules show`: borrowed for the embedded
    /// default rules (copying 160 KB cost every single request a few dozen page faults).
    #[serde(skip)]
    pub source: Cow<'static, str>,
    pub threshold: f64,
    pub mixed_ratio: f64,
    /// The score a function needs when a single rule is all its evidence: one weak word (weight
    /// 1 or 2 in a body) is too little to name an owner. Default: `threshold`, which adds no
    /// requirement, so files written before the setting keep their verdicts; the built-in rules
    /// set 3.
    pub single_rule_threshold: f64,
    pub title_weight: f64,
    pub body_weight: f64,
    /// ISO 639-1 codes of the languages the rules are written for (`languages:`; English when
    /// the file does not say). An unassigned request in another language gets a note.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    pub functions: Vec<Function>,
    /// The `none:` block: evidence that a request belongs to no function. Internally it votes
    /// as one more function, at index `functions.len()` (see [`RuleSet::voters`]).
    #[serde(default)]
    pub none: Vec<Rule>,
    /// Requests the `none:` block must leave unassigned, checked by `triage rules test`.
    #[serde(default)]
    pub none_examples: Vec<Example>,
    pub tests: Vec<RuleTest>,
}

impl RuleSet {
    /// The embedded default rules.
    pub fn default_rules() -> RuleSet {
        let snapshot = snapshot::DEFAULT_RULES_SNAPSHOT;
        if let Some(rules) =
            snapshot::load(snapshot, DEFAULT_RULES_YAML, snapshot::DEFAULT_RULES_DIGEST, DEFAULT_RULES_ORIGIN)
        {
            return rules;
        }
        // The embedded file is checked by the test suite; failing here is a build defect.
        match RuleSet::from_yaml(DEFAULT_RULES_YAML, DEFAULT_RULES_ORIGIN) {
            Ok(rules) => rules,
            Err(err) => panic!("embedded default rules are invalid: {err}"),
        }
    }

    /// Read a rule file from disk.
    pub fn from_path(path: &std::path::Path) -> Result<RuleSet, RulesError> {
        use std::io::Read as _;
        let origin = path.display().to_string();
        let unreadable = |err: std::io::Error| RulesError {
            origin: origin.clone(),
            line: None,
            column: None,
            kind: RulesErrorKind::Unreadable(err.to_string()),
        };
        // Read one byte past the limit and no more, whatever the file is: a device such as
        // `/dev/zero` or a pipe has no size to check first.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(limits::MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
            .map_err(unreadable)?;
        if bytes.len() > limits::MAX_FILE_BYTES {
            return Err(RulesError {
                origin,
                line: None,
                column: None,
                kind: RulesErrorKind::TooLarge { limit: limits::MAX_FILE_BYTES },
            });
        }
        let text = String::from_utf8(bytes).map_err(|err| {
            let offset = err.utf8_error().valid_up_to();
            let (line, column) = line_col(&String::from_utf8_lossy(err.as_bytes()), offset);
            RulesError {
                origin: origin.clone(),
                line: Some(line),
                column: Some(column),
                kind: RulesErrorKind::NotUtf8,
            }
        })?;
        RuleSet::from_yaml(&text, &origin)
    }

    /// Parse and validate rule-file text. `origin` names the file in error messages.
    pub fn from_yaml(source: &str, origin: &str) -> Result<RuleSet, RulesError> {
        let fail = |line: Option<usize>, column: Option<usize>, kind| RulesError {
            origin: origin.to_owned(),
            line,
            column,
            kind,
        };
        if source.len() > limits::MAX_FILE_BYTES {
            return Err(fail(None, None, RulesErrorKind::TooLarge { limit: limits::MAX_FILE_BYTES }));
        }
        // A byte order mark is an encoding signature, not text (editors on Windows add it).
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        crate::yaml_limits::check(source, limits::YAML)
            .map_err(|err| fail(Some(err.line), Some(err.column), RulesErrorKind::YamlLimit(err.exceeded)))?;
        let parsed = raw::with_budget(limits::MAX_EXPANDED_BYTES, || serde_yaml::from_str(source));
        let raw: RawRuleFile = parsed.map_err(|err: serde_yaml::Error| {
            let location = err.location();
            fail(
                location.as_ref().map(|l| l.line()),
                location.as_ref().map(|l| l.column()),
                RulesErrorKind::Yaml(strip_location(&err.to_string())),
            )
        })?;
        Validator {
            source,
            fail: &fail,
            last: Cell::new((0, 1, 1)),
            misses: Cell::new(0),
            compiled: Cell::new(0),
        }
        .validate(raw, origin)
    }

    /// Everything that votes, in order: each function's rules, then the `none:` block's. A
    /// match's `function` index points into this sequence.
    pub fn voters(&self) -> impl Iterator<Item = &[Rule]> {
        self.functions.iter().map(|f| f.rules.as_slice()).chain(std::iter::once(self.none.as_slice()))
    }

    /// The index that stands for the `none:` block in matches and contributions.
    pub fn none_index(&self) -> usize {
        self.functions.len()
    }

    /// Rule `rule` of voter `function` (a function, or the `none:` block at [`RuleSet::none_index`]).
    pub fn rule(&self, function: usize, rule: usize) -> &Rule {
        match self.functions.get(function) {
            Some(f) => &f.rules[rule],
            None => &self.none[rule],
        }
    }

    /// The weight of a match by the field it is in.
    pub fn field_weight(&self, field: Field) -> f64 {
        match field {
            Field::Title => self.title_weight,
            Field::Body => self.body_weight,
        }
    }

    /// The id a voter is shown with: the function's id, or `none` for the `none:` block.
    pub fn voter_id(&self, function: usize) -> &str {
        self.functions.get(function).map_or(NONE_ID, |f| f.id.as_str())
    }

    /// The function with this id or name, case-insensitively (labels in data files use either).
    pub fn find_function(&self, id_or_name: &str) -> Option<usize> {
        let wanted = id_or_name.trim();
        self.functions
            .iter()
            .position(|f| f.id.eq_ignore_ascii_case(wanted) || f.name.eq_ignore_ascii_case(wanted))
    }

    /// Every example (each must route to its function, the `none:` block's to no function), then
    /// every test, in file order: what `triage rules test` runs.
    pub fn cases(&self) -> Vec<Case<'_>> {
        let examples = self.functions.iter().enumerate().flat_map(|(index, function)| {
            function.examples.iter().map(move |example| Case {
                title: None,
                text: &example.text,
                expect: Expectation::Owner(index),
                line: example.line,
            })
        });
        // The `none:` block's examples belong to no function.
        let none = self.none_examples.iter().map(|example| Case {
            title: None,
            text: &example.text,
            expect: Expectation::Unassigned,
            line: example.line,
        });
        let tests = self.tests.iter().map(|test| Case {
            title: test.title.as_deref(),
            text: &test.text,
            expect: test.expect.clone(),
            line: test.line,
        });
        examples.chain(none).chain(tests).collect()
    }

    /// Warnings that do not stop the rules from loading: terms shared by two functions (or a
    /// function and the `none:` block), and `unless` phrases that cannot contain their keyword.
    pub fn warnings(&self) -> Vec<RulesError> {
        let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
        let mut warnings = Vec::new();
        let warn = |line, kind| RulesError { origin: self.origin.clone(), line, column: None, kind };
        for (index, rules) in self.voters().enumerate() {
            for rule in rules.iter().filter(|r| r.kind == RuleKind::Keyword) {
                let key = normalize_term(&rule.source);
                let literal = key.trim_end_matches('*').trim_end().to_owned();
                match seen.get(&key) {
                    Some(&other) if other != index => warnings.push(warn(
                        rule.line,
                        RulesErrorKind::SharedTerm {
                            term: rule.source.to_string(),
                            functions: format!("`{}` and `{}`", self.voter_id(other), self.voter_id(index)),
                        },
                    )),
                    Some(_) => {}
                    None => {
                        seen.insert(key, index);
                    }
                }
                // A phrase that does not contain the keyword can never hold one of its matches.
                for unless in rule.unless.iter().filter(|u| u.kind == RuleKind::Keyword) {
                    if !normalize_term(&unless.source).contains(&literal) {
                        warnings.push(warn(
                            rule.line,
                            RulesErrorKind::UselessUnless {
                                rule: format!("keyword {:?} in `{}`", rule.source, self.voter_id(index)),
                                phrase: unless.source.clone(),
                            },
                        ));
                    }
                }
            }
        }
        warnings
    }
}

/// A rule weight is finite, non-zero and within [`limits::MAX_WEIGHT`] either way.
fn weight_ok(weight: f64) -> bool {
    weight != 0.0 && weight.abs() <= limits::MAX_WEIGHT
}

/// The languages of a rule file that does not declare them: English, the language rule files
/// were written in before `languages:` existed.
pub(crate) fn default_languages() -> Vec<String> {
    vec!["en".to_owned()]
}

/// A term folded as request text is (lowercase, Latin letters without diacritics, whitespace runs
/// as one space, see `classify::fold`), the form keywords are matched in: `Événement` and
/// `evenement` are the same term. Characters are folded one by one (`str::to_lowercase` would
/// turn a final `Σ` into `ς`).
pub(crate) fn normalize_term(term: &str) -> String {
    crate::classify::fold::fold_str(term.trim())
}

/// serde_yaml appends " at line L column C"; we print the location ourselves.
pub(crate) fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// Searches for a value that is not in the text verbatim (escaped strings) before locating
/// gives up: each miss scans the rest of the file.
const MAX_LOCATE_MISSES: usize = 64;

/// Turns raw structs into a [`RuleSet`], locating each problem in the source text.
struct Validator<'a, F> {
    source: &'a str,
    fail: &'a F,
    /// The last located `(offset, line, column)`. Rules are located in file order, so each
    /// location walks on from the last one: linear in the file, where counting lines from the
    /// start each time made 100,000 keywords take minutes.
    last: Cell<(usize, usize, usize)>,
    /// Values not found verbatim so far (see [`MAX_LOCATE_MISSES`]).
    misses: Cell<usize>,
    /// Compiled size of the patterns validated so far (see [`limits::PATTERNS_SIZE_LIMIT`]).
    compiled: Cell<usize>,
}

impl<F> Validator<'_, F>
where
    F: Fn(Option<usize>, Option<usize>, RulesErrorKind) -> RulesError,
{
    /// Best-effort location of `needle` at or after byte `from`: serde_yaml reports no spans for
    /// values that parsed fine but are semantically wrong, so we find them in the text.
    fn locate(&self, needle: &str, from: usize) -> (Option<usize>, Option<usize>, usize) {
        let from = from.min(self.source.len());
        if self.misses.get() >= MAX_LOCATE_MISSES {
            return (None, None, from);
        }
        match self.source.get(from..).and_then(|rest| rest.find(needle)) {
            Some(pos) => {
                let (line, column) = self.line_col(from + pos);
                (Some(line), Some(column), from + pos)
            }
            None => {
                self.misses.set(self.misses.get() + 1);
                (None, None, from)
            }
        }
    }

    /// [`line_col`], walking on from the last answer when `offset` is after it.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let (last_offset, mut line, mut column) = self.last.get();
        if offset < last_offset || !self.source.is_char_boundary(offset) {
            return line_col(self.source, offset);
        }
        for c in self.source[last_offset..offset].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        self.last.set((offset, line, column));
        (line, column)
    }

    fn error_at(&self, needle: &str, from: usize, kind: RulesErrorKind) -> RulesError {
        let (line, column, _) = self.locate(needle, from);
        (self.fail)(line, column, kind)
    }

    fn validate(&self, raw: RawRuleFile, origin: &str) -> Result<RuleSet, RulesError> {
        match raw.version {
            None => return Err((self.fail)(None, None, RulesErrorKind::MissingVersion)),
            Some(1) => {}
            Some(other) => {
                return Err(self.error_at("version", 0, RulesErrorKind::UnsupportedVersion(other)))
            }
        }
        let threshold =
            self.number("threshold", raw.threshold.unwrap_or(2.0), "greater than 0", |v| v > 0.0)?;
        let mixed_ratio = self
            .number("mixed_ratio", raw.mixed_ratio.unwrap_or(0.75), "in (0, 1]", |v| v > 0.0 && v <= 1.0)?;
        let single_rule_threshold = self.number(
            "single_rule_threshold",
            raw.single_rule_threshold.unwrap_or(threshold),
            "greater than 0",
            |v| v > 0.0,
        )?;
        let fields = raw.fields.as_ref();
        let field = |v: f64| v > 0.0 && v <= limits::MAX_WEIGHT;
        let title_weight =
            self.number("title", fields.and_then(|f| f.title).unwrap_or(2.0), "in (0, 1000000]", field)?;
        let body_weight =
            self.number("body", fields.and_then(|f| f.body).unwrap_or(1.0), "in (0, 1000000]", field)?;

        let languages = match raw.languages {
            None => default_languages(),
            Some(codes) => self.languages(codes)?,
        };

        let raw_functions = raw.functions.unwrap_or_default();
        if raw_functions.is_empty() {
            return Err(self.error_at("functions", 0, RulesErrorKind::NoFunctions));
        }
        let rule_count: usize = raw_functions
            .iter()
            .map(|f| count_rules(&f.keywords, &f.patterns))
            .chain(raw.none.iter().map(|n| count_rules(&n.keywords, &n.patterns)))
            .sum();
        if rule_count > limits::MAX_RULES {
            return Err((self.fail)(
                None,
                None,
                RulesErrorKind::TooManyRules { count: rule_count, limit: limits::MAX_RULES },
            ));
        }
        let mut functions: Vec<Function> = Vec::with_capacity(raw_functions.len());
        let mut ids = std::collections::HashSet::with_capacity(raw_functions.len());
        let mut cursor = 0;
        for raw_function in raw_functions {
            // Prefer the `id: x` spelling so a keyword equal to an id is not mistaken for it.
            let start = match self.locate(&format!("id: {}", raw_function.id), cursor) {
                (Some(_), _, at) => at + 4,
                _ => self.locate(&raw_function.id, cursor).2,
            };
            cursor = start + raw_function.id.len();
            // Ids are stored trimmed, so `a` and `"a "` are the same function.
            if !ids.insert(raw_function.id.trim().to_owned()) {
                return Err(self.error_at(
                    &raw_function.id,
                    start,
                    RulesErrorKind::DuplicateFunction(raw_function.id.trim().to_owned()),
                ));
            }
            functions.push(self.function(raw_function, start)?);
        }
        let (none, none_examples) = match raw.none {
            Some(raw_none) => self.none(raw_none)?,
            None => (Vec::new(), Vec::new()),
        };

        let function_index: std::collections::HashMap<&str, usize> =
            functions.iter().enumerate().map(|(index, f)| (f.id.as_str(), index)).collect();
        let mut tests = Vec::with_capacity(raw.tests.len());
        let tests_start = self.source.rfind("\ntests:").unwrap_or(0);
        let mut test_cursor = tests_start;
        for raw_test in raw.tests {
            let (line, _, at) = self.locate(raw_test.text.lines().next().unwrap_or(""), test_cursor);
            test_cursor = at;
            let expect = match raw_test.expect.trim().to_lowercase().as_str() {
                "unassigned" => Expectation::Unassigned,
                "mixed" => Expectation::Mixed,
                wanted => match function_index.get(wanted) {
                    Some(&index) => Expectation::Owner(index),
                    None => {
                        return Err(self.error_at(
                            &raw_test.expect,
                            test_cursor,
                            RulesErrorKind::BadExpectation { expect: raw_test.expect.clone() },
                        ))
                    }
                },
            };
            tests.push(RuleTest { title: raw_test.title, text: raw_test.text, expect, line });
        }

        Ok(RuleSet {
            origin: origin.to_owned(),
            source: Cow::Owned(self.source.to_owned()),
            threshold,
            mixed_ratio,
            single_rule_threshold,
            title_weight,
            body_weight,
            languages,
            functions,
            none,
            none_examples,
            tests,
        })
    }

    fn number(
        &self,
        key: &str,
        value: f64,
        expected: &'static str,
        ok: impl Fn(f64) -> bool,
    ) -> Result<f64, RulesError> {
        if value.is_finite() && ok(value) {
            return Ok(value);
        }
        Err(self.error_at(
            &format!("{key}:"),
            0,
            RulesErrorKind::BadNumber { what: format!("`{key}`"), expected, value },
        ))
    }

    /// `languages:` as ISO 639-1 codes, each known to the language detector and listed once.
    fn languages(&self, codes: Vec<String>) -> Result<Vec<String>, RulesError> {
        let mut cursor = self.source.find("\nlanguages:").unwrap_or(0);
        if codes.is_empty() {
            return Err(self.error_at("languages:", cursor, RulesErrorKind::NoLanguages));
        }
        let mut languages: Vec<String> = Vec::with_capacity(codes.len());
        for code in codes {
            let (line, column, at) = self.locate(&code, cursor);
            cursor = at;
            let fail = |kind| (self.fail)(line, column, kind);
            let Some(language) = crate::language::from_code(&code) else {
                return Err(fail(RulesErrorKind::UnknownLanguage(code)));
            };
            if languages.iter().any(|known| known == language.code) {
                return Err(fail(RulesErrorKind::DuplicateLanguage(code)));
            }
            languages.push(language.code.to_owned());
        }
        Ok(languages)
    }

    fn function(&self, raw: RawFunction, start: usize) -> Result<Function, RulesError> {
        let id = raw.id.trim().to_owned();
        let id_ok = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !id_ok {
            return Err(self.error_at(&raw.id, start, RulesErrorKind::BadFunctionId(raw.id.clone())));
        }
        if matches!(id.as_str(), "unassigned" | "mixed" | "error" | "none") {
            return Err(self.error_at(&raw.id, start, RulesErrorKind::ReservedFunctionId(id)));
        }
        if raw.keywords.is_empty() && raw.patterns.is_empty() {
            return Err(self.error_at(&raw.id, start, RulesErrorKind::EmptyFunction(id)));
        }
        let rules = self.rules(&id, raw.keywords, raw.patterns, start)?;
        let examples = self.examples(raw.examples, start);
        Ok(Function {
            name: raw.name.unwrap_or_else(|| id.clone()),
            focus: raw.focus.unwrap_or_default(),
            question: raw.question,
            labels: raw.labels.iter().map(|l| l.trim().to_owned()).collect(),
            rules,
            examples,
            id,
        })
    }

    /// The `none:` block: its rules and examples.
    fn none(&self, raw: RawNone) -> Result<(Vec<Rule>, Vec<Example>), RulesError> {
        let start = self.locate("\nnone:", 0).2;
        if raw.keywords.is_empty() && raw.patterns.is_empty() {
            return Err(self.error_at("none:", start, RulesErrorKind::EmptyFunction(NONE_ID.to_owned())));
        }
        let rules = self.rules(NONE_ID, raw.keywords, raw.patterns, start)?;
        Ok((rules, self.examples(raw.examples, start)))
    }

    /// The keywords and patterns of `owner` (a function id, or `none`), validated.
    fn rules(
        &self,
        owner: &str,
        keywords: Vec<RawKeyword>,
        patterns: Vec<RawPattern>,
        start: usize,
    ) -> Result<Vec<Rule>, RulesError> {
        let id = owner.to_owned();
        let mut rules = Vec::with_capacity(keywords.len() + patterns.len());
        let mut seen_terms = std::collections::HashSet::new();
        let mut cursor = start;
        for keyword in keywords {
            let (line, column, at) = self.locate(&keyword.term, cursor);
            cursor = at;
            let at_term = |kind| (self.fail)(line, column, kind);
            let normalized = normalize_term(&keyword.term);
            if normalized.trim_end_matches('*').trim().is_empty() {
                return Err(at_term(RulesErrorKind::EmptyTerm { function: id.clone(), term: keyword.term }));
            }
            if !seen_terms.insert(normalized) {
                return Err(at_term(RulesErrorKind::DuplicateTerm {
                    function: id.clone(),
                    term: keyword.term,
                }));
            }
            let weight = keyword.weight.unwrap_or(1.0);
            if !weight_ok(weight) {
                return Err(at_term(RulesErrorKind::BadWeight {
                    function: id.clone(),
                    rule: format!("keyword {:?}", keyword.term),
                    value: weight,
                }));
            }
            let term = keyword.term.trim().to_owned();
            let unless = self.unless(&id, &format!("keyword {term:?}"), keyword.unless, &mut cursor)?;
            rules.push(Rule {
                kind: RuleKind::Keyword,
                name: term.clone().into(),
                source: term.into(),
                weight,
                line,
                prepared: Default::default(),
                unless,
            });
        }
        for pattern in patterns {
            let (line, column, at) = self.locate(pattern.regex.lines().next().unwrap_or(""), cursor);
            cursor = at;
            let at_pattern = |kind| (self.fail)(line, column, kind);
            let weight = pattern.weight.unwrap_or(1.0);
            let name = pattern.name.unwrap_or_else(|| pattern.regex.clone());
            if !weight_ok(weight) {
                return Err(at_pattern(RulesErrorKind::BadWeight {
                    function: id.clone(),
                    rule: format!("pattern {name:?}"),
                    value: weight,
                }));
            }
            let prepared = self.regex(&id, &pattern.regex, (line, column))?;
            let unless = self.unless(&id, &format!("pattern {name:?}"), pattern.unless, &mut cursor)?;
            rules.push(Rule {
                kind: RuleKind::Pattern,
                source: pattern.regex.into(),
                name: name.into(),
                weight,
                line,
                prepared: Some(Box::new(prepared)),
                unless,
            });
        }
        Ok(rules)
    }

    /// A regex of a pattern or an `unless` entry: size-checked, prepared (which finds syntax
    /// errors, with the regex crate's message) and its compiled size added to the total for all
    /// patterns (see [`limits::PATTERNS_SIZE_LIMIT`]). The classifier compiles it when needed.
    fn regex(
        &self,
        function: &str,
        regex: &str,
        (line, column): (Option<usize>, Option<usize>),
    ) -> Result<crate::classify::pattern::Prepared, RulesError> {
        let fail = |message| {
            (self.fail)(line, column, RulesErrorKind::BadRegex { function: function.to_owned(), message })
        };
        if regex.len() > limits::MAX_REGEX_BYTES {
            return Err(fail(format!(
                "the regex is {} bytes; the limit is {} bytes",
                regex.len(),
                limits::MAX_REGEX_BYTES
            )));
        }
        let prepared = crate::classify::pattern::prepare(regex).map_err(fail)?;
        let size = crate::classify::pattern::compiled_size(&prepared.source).map_err(fail)?;
        self.compiled.set(self.compiled.get().saturating_add(size));
        if self.compiled.get() > limits::PATTERNS_SIZE_LIMIT {
            return Err((self.fail)(
                line,
                column,
                RulesErrorKind::PatternsTooBig { limit: limits::PATTERNS_SIZE_LIMIT },
            ));
        }
        Ok(prepared)
    }

    /// A rule's `unless:` list: phrases must not be empty, regexes must parse.
    fn unless(
        &self,
        function: &str,
        rule: &str,
        raw: Vec<RawUnless>,
        cursor: &mut usize,
    ) -> Result<Vec<Unless>, RulesError> {
        let mut unless = Vec::with_capacity(raw.len());
        for entry in raw {
            let (kind, source) = match entry {
                RawUnless::Phrase(phrase) => (RuleKind::Keyword, phrase),
                RawUnless::Regex(regex) => (RuleKind::Pattern, regex),
            };
            let (line, column, at) = self.locate(source.lines().next().unwrap_or(""), *cursor);
            *cursor = at;
            let prepared = match kind {
                RuleKind::Keyword => {
                    if normalize_term(&source).trim_end_matches('*').trim().is_empty() {
                        return Err((self.fail)(
                            line,
                            column,
                            RulesErrorKind::EmptyUnless {
                                function: function.to_owned(),
                                rule: rule.to_owned(),
                            },
                        ));
                    }
                    Default::default()
                }
                RuleKind::Pattern => self.regex(function, &source, (line, column))?,
            };
            unless.push(Unless { kind, source: source.trim().to_owned(), prepared });
        }
        Ok(unless)
    }

    /// Examples, each with its line, searched from the block's `examples:` key so that an
    /// example equal to a keyword gets its own line.
    fn examples(&self, raw: Vec<String>, start: usize) -> Vec<Example> {
        let mut cursor = if raw.is_empty() { start } else { self.locate("examples:", start).2 };
        raw.into_iter()
            .map(|text| {
                let (line, _, at) = self.locate(text.lines().next().unwrap_or(""), cursor);
                cursor = at;
                Example { text, line }
            })
            .collect()
    }
}

/// Keywords, patterns and their `unless` entries: what [`limits::MAX_RULES`] counts.
fn count_rules(keywords: &[RawKeyword], patterns: &[RawPattern]) -> usize {
    keywords.iter().map(|k| 1 + k.unless.len()).sum::<usize>()
        + patterns.iter().map(|p| 1 + p.unless.len()).sum::<usize>()
}

#[cfg(test)]
mod tests;
