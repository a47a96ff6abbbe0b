//! The rule file exactly as written: serde structs that reject unknown keys, so a typo in a rule
//! file is an error instead of a silently ignored rule. Nothing outside `rules/` sees these.

use std::cell::Cell;

use serde::{Deserialize, Deserializer};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleFile {
    pub version: Option<u32>,
    pub threshold: Option<f64>,
    pub mixed_ratio: Option<f64>,
    pub single_rule_threshold: Option<f64>,
    pub fields: Option<RawFields>,
    /// The languages the rules are written for (ISO 639 codes); absent: English only.
    #[serde(default, deserialize_with = "optional_texts")]
    pub languages: Option<Vec<String>>,
    pub none: Option<RawNone>,
    pub functions: Option<Vec<RawFunction>>,
    #[serde(default)]
    pub tests: Vec<RawTest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFields {
    pub title: Option<f64>,
    pub body: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFunction {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub focus: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub question: Option<String>,
    #[serde(default, deserialize_with = "texts")]
    pub labels: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<RawKeyword>,
    #[serde(default)]
    pub patterns: Vec<RawPattern>,
    #[serde(default, deserialize_with = "texts")]
    pub examples: Vec<String>,
}

/// The `none:` block: keywords and patterns that say a request belongs to no function.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNone {
    #[serde(default)]
    pub keywords: Vec<RawKeyword>,
    #[serde(default)]
    pub patterns: Vec<RawPattern>,
    #[serde(default, deserialize_with = "texts")]
    pub examples: Vec<String>,
}

/// A keyword is either a bare string (weight 1) or a `{ term, weight, unless }` map. Deserialized
/// by hand rather than `untagged` so that a typo inside the map keeps serde's precise error message.
#[derive(Debug)]
pub(super) struct RawKeyword {
    pub term: String,
    pub weight: Option<f64>,
    pub unless: Vec<RawUnless>,
}

impl<'de> Deserialize<'de> for RawKeyword {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeywordVisitor;
        impl<'de> serde::de::Visitor<'de> for KeywordVisitor {
            type Value = RawKeyword;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a keyword string or a map with `term` and `weight`")
            }
            fn visit_str<E: serde::de::Error>(self, term: &str) -> Result<RawKeyword, E> {
                charge(term.len())?;
                Ok(RawKeyword { term: term.to_owned(), weight: None, unless: Vec::new() })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawKeyword, A::Error> {
                let weighted =
                    RawWeightedKeyword::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawKeyword { term: weighted.term, weight: weighted.weight, unless: weighted.unless })
            }
        }
        deserializer.deserialize_any(KeywordVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeightedKeyword {
    #[serde(deserialize_with = "text")]
    term: String,
    weight: Option<f64>,
    #[serde(default)]
    unless: Vec<RawUnless>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPattern {
    #[serde(deserialize_with = "text")]
    pub regex: String,
    pub weight: Option<f64>,
    #[serde(default, deserialize_with = "optional_text")]
    pub name: Option<String>,
    #[serde(default)]
    pub unless: Vec<RawUnless>,
}

/// An entry of a rule's `unless:` list: a phrase (matched like a keyword) or `{ regex }`.
#[derive(Debug)]
pub(super) enum RawUnless {
    Phrase(String),
    Regex(String),
}

impl<'de> Deserialize<'de> for RawUnless {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnlessVisitor;
        impl<'de> serde::de::Visitor<'de> for UnlessVisitor {
            type Value = RawUnless;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an `unless` phrase or a map with `regex`")
            }
            fn visit_str<E: serde::de::Error>(self, phrase: &str) -> Result<RawUnless, E> {
                charge(phrase.len())?;
                Ok(RawUnless::Phrase(phrase.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawUnless, A::Error> {
                let regex = RawUnlessRegex::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawUnless::Regex(regex.regex))
            }
        }
        deserializer.deserialize_any(UnlessVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnlessRegex {
    #[serde(deserialize_with = "text")]
    regex: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    #[serde(deserialize_with = "text")]
    pub text: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub title: Option<String>,
    #[serde(deserialize_with = "text")]
    pub expect: String,
}

// YAML aliases let a small file stand for a huge one: `[&s "<1 MB>", *s, *s, ...]` or one long
// keyword list reused by a thousand functions. `yaml_limits` stops these on the parser's events
// before serde_yaml runs; as a backstop, every string serde_yaml reads from a rule file is also
// charged against a budget and reading stops, with an error, once the file expands past it.

/// What each string costs beyond its bytes, so that millions of tiny strings also run out.
const STRING_OVERHEAD: usize = 64;

thread_local! {
    /// Bytes the rule file being read may still expand to; `None` outside [`with_budget`].
    static BUDGET: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Run `read` (a serde_yaml deserialization) with `limit` bytes of text to spend.
pub(super) fn with_budget<T>(limit: usize, read: impl FnOnce() -> T) -> T {
    let previous = BUDGET.with(|budget| budget.replace(Some(limit)));
    let result = read();
    BUDGET.with(|budget| budget.set(previous));
    result
}

fn charge<E: serde::de::Error>(bytes: usize) -> Result<(), E> {
    BUDGET.with(|budget| match budget.get() {
        None => Ok(()),
        Some(left) => match left.checked_sub(bytes + STRING_OVERHEAD) {
            Some(rest) => {
                budget.set(Some(rest));
                Ok(())
            }
            None => {
                budget.set(Some(0));
                Err(E::custom(format_args!(
                    "the rule file expands to more than {} bytes of text (YAML aliases repeat text; \
                     is this an alias bomb?)",
                    super::limits::MAX_EXPANDED_BYTES
                )))
            }
        },
    })
}

/// A string that pays for itself out of the budget.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        charge(text.len())?;
        Ok(Text(text))
    }
}

fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Text::deserialize(deserializer).map(|text| text.0)
}

fn optional_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Option::<Text>::deserialize(deserializer).map(|text| text.map(|t| t.0))
}

fn optional_texts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    Option::<Vec<Text>>::deserialize(deserializer)
        .map(|texts| texts.map(|t| t.into_iter().map(|t| t.0).collect()))
}

fn texts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Vec::<Text>::deserialize(deserializer).map(|texts| texts.into_iter().map(|t| t.0).collect())
}
