//! The rule file exactly as written: serde structs that reject unknown keys, so a typo in a rule
//! file is an error instead of a silently ignored rule. Nothing outside `rules/` sees these.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleFile {
    pub version: Option<u32>,
    pub threshold: Option<f64>,
    pub mixed_ratio: Option<f64>,
    pub fields: Option<RawFields>,
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
    pub id: String,
    pub name: Option<String>,
    pub focus: Option<String>,
    pub question: Option<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<RawKeyword>,
    #[serde(default)]
    pub patterns: Vec<RawPattern>,
    #[serde(default)]
    pub examples: Vec<String>,
}

/// A keyword is either a bare string (weight 1) or a `{ term, weight }` map. Deserialized by hand
/// rather than `untagged` so that a typo inside the map keeps serde's precise error message.
#[derive(Debug)]
pub(super) struct RawKeyword {
    pub term: String,
    pub weight: Option<f64>,
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
                Ok(RawKeyword { term: term.to_owned(), weight: None })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawKeyword, A::Error> {
                let weighted =
                    RawWeightedKeyword::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawKeyword { term: weighted.term, weight: weighted.weight })
            }
        }
        deserializer.deserialize_any(KeywordVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeightedKeyword {
    term: String,
    weight: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPattern {
    pub regex: String,
    pub weight: Option<f64>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    pub text: String,
    pub title: Option<String>,
    pub expect: String,
}
