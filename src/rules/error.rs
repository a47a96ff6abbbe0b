//! Rule-file errors that say where (file, line, column) and what is wrong.

use std::fmt;

/// Why a rule file was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RulesErrorKind {
    /// The YAML parser's message.
    #[error("{0}")]
    Yaml(String),
    #[error("cannot read the rule file: {0}")]
    Unreadable(String),
    #[error("the rule file is not valid UTF-8")]
    NotUtf8,
    /// A warning, not an error: the rules still load. `functions` reads "`a` and `b`".
    #[error("keyword {term:?} is in both {functions} (allowed, but it cannot decide between them)")]
    SharedTerm { term: String, functions: String },
    /// Valid rules that together exceed a size limit when compiled.
    #[error("{0}")]
    TooBigToCompile(String),
    #[error("unsupported rule file version {0} (this triage reads version 1)")]
    UnsupportedVersion(u32),
    #[error("missing `version: 1` at the top of the rule file")]
    MissingVersion,
    #[error("the rule file defines no functions")]
    NoFunctions,
    #[error("{what} must be a finite number {expected}, found {value}")]
    BadNumber { what: String, expected: &'static str, value: f64 },
    #[error(
        "weight of {rule} in function `{function}` must be a non-zero number from -1000000 to 1000000, found {value}"
    )]
    BadWeight { function: String, rule: String, value: f64 },
    #[error("function id `{0}` is used twice; ids must be unique")]
    DuplicateFunction(String),
    #[error(
        "function id `{0}` is not valid: use lowercase letters, digits, `-` and `_`, starting with a letter"
    )]
    BadFunctionId(String),
    #[error("function id `{0}` is reserved (it names a verdict status)")]
    ReservedFunctionId(String),
    #[error("function `{0}` has no keywords and no patterns")]
    EmptyFunction(String),
    #[error("keyword {term:?} appears twice in function `{function}`")]
    DuplicateTerm { function: String, term: String },
    #[error("keyword {term:?} in function `{function}` is empty or only `*`")]
    EmptyTerm { function: String, term: String },
    #[error("an `unless` phrase of {rule} in `{function}` is empty or only `*`")]
    EmptyUnless { function: String, rule: String },
    /// A warning, not an error: the phrase cannot contain a match of the keyword.
    #[error("`unless` phrase {phrase:?} of {rule} does not contain the keyword, so it never cancels it")]
    UselessUnless { rule: String, phrase: String },
    #[error("invalid regex in function `{function}`: {message}")]
    BadRegex { function: String, message: String },
    #[error("test expects {expect:?}, which is not a function id, `unassigned` or `mixed`")]
    BadExpectation { expect: String },
    #[error(
        "the patterns up to this one compile to more than {limit} bytes together, the limit for all patterns"
    )]
    PatternsTooBig { limit: usize },
    #[error("the rule file is larger than {limit} bytes, the limit")]
    TooLarge { limit: usize },
    #[error("the rule file has {count} rules; the limit is {limit}")]
    TooManyRules { count: usize, limit: usize },
    /// Nesting or alias expansion past [`super::limits::YAML`].
    #[error("{0}")]
    YamlLimit(crate::yaml_limits::Exceeded),
    #[error("`languages:` is empty; list the languages the rules are written in (e.g. [en, es]) or leave it out for English")]
    NoLanguages,
    #[error("unknown language code {0:?} in `languages:`; use an ISO 639-1 code such as en, es, pt, fr, de, ja or zh (`triage rules schema` lists them all)")]
    UnknownLanguage(String),
    #[error("language {0:?} is listed twice in `languages:`")]
    DuplicateLanguage(String),
}

/// A rule-file error with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesError {
    /// The file the rules came from, or `<default rules>` for the embedded set.
    pub origin: String,
    /// 1-based line and column where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub kind: RulesErrorKind,
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}: {}", self.origin, self.kind),
            (Some(line), None) => write!(f, "{}:{line}: {}", self.origin, self.kind),
            _ => write!(f, "{}: {}", self.origin, self.kind),
        }
    }
}

impl std::error::Error for RulesError {}
