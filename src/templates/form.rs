//! Issue forms (`*.yml` in `.github/ISSUE_TEMPLATE/`): the top-level keys and body elements
//! GitHub accepts, checked the way GitHub checks them, and their text as request parts.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::locate::{scalar_text, unknown_keys, LineIndex, Location, Spots};
use super::{parse_yaml, push_part, read_labels, Kind, Template, TemplateRequest};
use crate::rules::Field;

/// Top-level keys GitHub accepts in an issue form.
const TOP_KEYS: [&str; 8] =
    ["name", "description", "title", "labels", "assignees", "projects", "type", "body"];
/// Keys of a body element.
const ELEMENT_KEYS: [&str; 4] = ["type", "id", "attributes", "validations"];
/// Element types and the attributes each accepts.
const ELEMENT_TYPES: [(&str, &[&str]); 5] = [
    ("markdown", &["value"]),
    ("textarea", &["label", "description", "placeholder", "value", "render"]),
    ("input", &["label", "description", "placeholder", "value"]),
    ("dropdown", &["label", "description", "multiple", "options", "default"]),
    ("checkboxes", &["label", "description", "options"]),
];

pub fn parse(index: &LineIndex) -> Template {
    let text = index.text();
    let mut template = Template::new(Kind::Form);
    let value = match parse_yaml(text, 0) {
        Ok(value) => value,
        Err(problem) => {
            template.problems.push(problem);
            return template;
        }
    };
    let Value::Mapping(top) = &value else {
        let what = if value.is_null() { "the form is empty" } else { "the form must be a mapping of keys" };
        template.problem(
            Location::START,
            format!("{what}; an issue form needs `name`, `description` and `body`"),
        );
        return template;
    };
    let spots = Spots::find(&value, text, 0, text.len());
    let key_at = |path: &str| spots.key_at(path, index);
    if looks_like_a_chooser(&value) {
        template.problem(
            Location::START,
            "this is a template chooser, which GitHub reads only from `config.yml`; under this name GitHub \
             takes it for an issue form and rejects it: rename it to `config.yml`",
        );
        return template;
    }
    for name in unknown_keys(top, &TOP_KEYS) {
        template.problem(
            key_at(&name),
            format!("unknown top-level key `{name}`; GitHub accepts only {}", TOP_KEYS.join(", ")),
        );
    }
    for key in ["name", "description"] {
        match value.get(key) {
            Some(Value::String(text)) if !text.trim().is_empty() => {}
            Some(_) => template.problem(key_at(key), format!("`{key}` must be a non-empty string")),
            None => template.problem(Location::START, format!("the form has no `{key}`; GitHub requires it")),
        }
    }
    if let Some(title) = value.get("title") {
        if !title.is_string() {
            template.problem(key_at("title"), "`title` must be a string");
        }
    }

    let mut parts = Vec::new();
    for key in ["name", "description", "title"] {
        push_part(&mut parts, value.get(key), Field::Title, key, key, &spots, index);
    }
    read_labels(value.get("labels"), "labels", &spots, index, &mut template);
    let problems = body(value.get("body"), &spots, index, &mut parts);
    template.problems.extend(problems);
    let at = spots.value_at("name", index);
    template.requests.push(TemplateRequest {
        name: value.get("name").and_then(scalar_text),
        at,
        parts,
        directive: None,
    });
    template
}

/// A chooser's keys and none of a form's: one clear finding instead of one per missing key.
fn looks_like_a_chooser(value: &Value) -> bool {
    let has = |key: &str| value.get(key).is_some();
    (has("contact_links") || has("blank_issues_enabled")) && !has("name") && !has("body")
}

/// Check the body elements and collect their text.
fn body(
    value: Option<&Value>,
    spots: &Spots,
    index: &LineIndex,
    parts: &mut Vec<super::SourcePart>,
) -> Vec<super::Problem> {
    let mut problems = Vec::new();
    let key_at = |path: &str| spots.key_at(path, index);
    let mut problem = |at: Location, message: String| problems.push(super::Problem { at, message });
    let elements = match value {
        None => {
            problem(Location::START, "the form has no `body`; GitHub requires at least one input".into());
            return problems;
        }
        Some(Value::Sequence(elements)) if !elements.is_empty() => elements,
        Some(_) => {
            problem(key_at("body"), "`body` must be a non-empty list of elements".into());
            return problems;
        }
    };
    let mut ids: BTreeMap<String, Location> = BTreeMap::new();
    let mut inputs = 0;
    for (position, element) in elements.iter().enumerate() {
        let path = format!("body.{position}");
        let at = key_at(&path);
        let number = position + 1;
        let Value::Mapping(mapping) = element else {
            problem(at, format!("body element {number} must be a mapping with `type` and `attributes`"));
            continue;
        };
        for name in unknown_keys(mapping, &ELEMENT_KEYS) {
            problem(
                key_at(&format!("{path}.{name}")),
                format!(
                    "body element {number} has an unknown key `{name}`; allowed: {}",
                    ELEMENT_KEYS.join(", ")
                ),
            );
        }
        let kind = element.get("type").and_then(Value::as_str);
        let Some(&(kind, allowed)) = ELEMENT_TYPES.iter().find(|(name, _)| Some(*name) == kind) else {
            let known: Vec<_> = ELEMENT_TYPES.iter().map(|(name, _)| *name).collect();
            let message = match element.get("type") {
                None => format!("body element {number} has no `type`; use one of {}", known.join(", ")),
                Some(other) => format!(
                    "body element {number} has an unknown type `{}`; use one of {}",
                    scalar_text(other).unwrap_or_else(|| "?".into()),
                    known.join(", ")
                ),
            };
            problem(key_at(&format!("{path}.type")).max(at), message);
            continue;
        };
        if kind != "markdown" {
            inputs += 1;
        }
        if let Some(id) = element.get("id").and_then(scalar_text) {
            let id_at = key_at(&format!("{path}.id"));
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                problem(id_at, format!("id `{id}` may use only letters, digits, `-` and `_`"));
            } else if let Some(first) = ids.get(&id) {
                problem(
                    id_at,
                    format!("id `{id}` is used twice (first on line {}); ids must be unique", first.line),
                );
            } else {
                ids.insert(id, id_at);
            }
        }
        let attributes_path = format!("{path}.attributes");
        let attributes = match element.get("attributes") {
            Some(Value::Mapping(attributes)) => attributes,
            Some(_) => {
                problem(
                    key_at(&attributes_path),
                    format!("`attributes` of body element {number} must be a mapping"),
                );
                continue;
            }
            None => {
                problem(at, format!("body element {number} ({kind}) has no `attributes`"));
                continue;
            }
        };
        for name in unknown_keys(attributes, allowed) {
            problem(
                key_at(&format!("{attributes_path}.{name}")),
                format!("a {kind} does not take the attribute `{name}`; allowed: {}", allowed.join(", ")),
            );
        }
        let attribute = |name: &str| attributes.get(name);
        let label_missing = attribute("label").and_then(scalar_text).is_none_or(|l| l.trim().is_empty());
        if kind == "markdown" {
            if attribute("value").and_then(scalar_text).is_none_or(|v| v.trim().is_empty()) {
                problem(at, format!("markdown body element {number} has no `value`"));
            }
        } else if label_missing {
            problem(at, format!("{kind} body element {number} has no `label`; GitHub requires one"));
        }
        let text_at = |name: &str| format!("{attributes_path}.{name}");
        let what = |name: &str| format!("body[{number}].{name}");
        // A textarea with `render` shows its value as code: like code blocks, it does not vote.
        let value_is_code = kind == "textarea" && attribute("render").is_some();
        for name in ["label", "description", "placeholder", "value"] {
            if !(name == "value" && value_is_code) {
                push_part(parts, attribute(name), Field::Body, &text_at(name), &what(name), spots, index);
            }
        }
        if kind == "dropdown" || kind == "checkboxes" {
            let options_path = text_at("options");
            match attribute("options") {
                Some(Value::Sequence(options)) if !options.is_empty() => {
                    let mut seen: Vec<String> = Vec::new();
                    for (option_index, option) in options.iter().enumerate() {
                        let option_path = format!("{options_path}.{option_index}");
                        let (value, value_path) = if kind == "checkboxes" {
                            (option.get("label"), format!("{option_path}.label"))
                        } else {
                            (Some(option), option_path.clone())
                        };
                        let option_at = key_at(&option_path);
                        match value.and_then(scalar_text) {
                            Some(text) if !text.trim().is_empty() => {
                                if kind == "dropdown" && seen.contains(&text) {
                                    problem(option_at, format!("dropdown option `{text}` is listed twice"));
                                }
                                seen.push(text);
                            }
                            _ if kind == "checkboxes" => problem(
                                option_at,
                                format!(
                                    "checkbox option {} of body element {number} has no `label`",
                                    option_index + 1
                                ),
                            ),
                            _ => problem(
                                option_at,
                                format!("option {} of body element {number} is empty", option_index + 1),
                            ),
                        }
                        push_part(parts, value, Field::Body, &value_path, &what("options"), spots, index);
                    }
                }
                Some(_) => problem(
                    key_at(&options_path),
                    format!("`options` of body element {number} ({kind}) must be a non-empty list"),
                ),
                None => problem(
                    at,
                    format!("{kind} body element {number} has no `options`; GitHub requires them"),
                ),
            }
        }
    }
    if inputs == 0 {
        problem(
            key_at("body"),
            "the body has only markdown elements; GitHub requires at least one input, textarea, dropdown or checkboxes"
                .into(),
        );
    }
    problems
}
