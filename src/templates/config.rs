//! The template chooser, `config.yml`: `blank_issues_enabled` and `contact_links`. Each contact
//! link (name and about) sends people somewhere, so each is checked as a request of its own.

use serde_yaml::Value;

use super::locate::{scalar_text, unknown_keys, LineIndex, Location, Spots};
use super::{directive, parse_yaml, push_part, Directive, Kind, Template, TemplateRequest};
use crate::rules::Field;

const TOP_KEYS: [&str; 2] = ["blank_issues_enabled", "contact_links"];
const LINK_KEYS: [&str; 3] = ["name", "url", "about"];

/// Read a chooser and give each `triage:` directive to the links it applies to.
pub fn parse(index: &LineIndex) -> Template {
    let (mut template, links_key) = read(index);
    assign_directives(&mut template, links_key, directive::find(index, directive::Style::Yaml));
    template
}

/// The chooser's links as requests, and where its `contact_links` key is (when it has one).
fn read(index: &LineIndex) -> (Template, Option<Location>) {
    let text = index.text();
    let mut template = Template::new(Kind::Config);
    let value = match parse_yaml(text, 0) {
        Ok(value) => value,
        Err(problem) => {
            template.problems.push(problem);
            return (template, None);
        }
    };
    let top = match &value {
        Value::Null => return (template, None),
        Value::Mapping(top) => top,
        _ => {
            template.problem(
                Location::START,
                "config.yml must be a mapping (blank_issues_enabled, contact_links)",
            );
            return (template, None);
        }
    };
    let spots = Spots::find(&value, text, 0, text.len());
    let key_at = |path: &str| spots.key_at(path, index);
    let links_key = spots.key("contact_links").map(|at| index.location(at));
    for name in unknown_keys(top, &TOP_KEYS) {
        template.problem(
            key_at(&name),
            format!("unknown key `{name}` in config.yml; allowed: {}", TOP_KEYS.join(", ")),
        );
    }
    if let Some(flag) = value.get("blank_issues_enabled") {
        if !flag.is_bool() {
            template.problem(key_at("blank_issues_enabled"), "`blank_issues_enabled` must be true or false");
        }
    }
    let links = match value.get("contact_links") {
        None | Some(Value::Null) => return (template, links_key),
        Some(Value::Sequence(links)) => links,
        Some(_) => {
            template.problem(
                key_at("contact_links"),
                "`contact_links` must be a list of links (name, url, about)",
            );
            return (template, links_key);
        }
    };
    for (position, link) in links.iter().enumerate() {
        let path = format!("contact_links.{position}");
        let at = key_at(&path);
        let number = position + 1;
        let Value::Mapping(mapping) = link else {
            template.problem(at, format!("contact link {number} must be a mapping with name, url and about"));
            continue;
        };
        for name in unknown_keys(mapping, &LINK_KEYS) {
            template.problem(
                key_at(&format!("{path}.{name}")),
                format!(
                    "contact link {number} has an unknown key `{name}`; allowed: {}",
                    LINK_KEYS.join(", ")
                ),
            );
        }
        for key in LINK_KEYS {
            if link.get(key).and_then(scalar_text).is_none_or(|v| v.trim().is_empty()) {
                template.problem(
                    at,
                    format!("contact link {number} has no `{key}`; GitHub requires name, url and about"),
                );
            }
        }
        let mut parts = Vec::new();
        for key in ["name", "about"] {
            push_part(&mut parts, link.get(key), Field::Title, &format!("{path}.{key}"), key, &spots, index);
        }
        template.requests.push(TemplateRequest {
            name: link.get("name").and_then(scalar_text),
            at,
            parts,
            directive: None,
        });
    }
    (template, links_key)
}

/// A directive above `contact_links` applies to every link; a later one applies to the link that
/// starts on its line or next (a comment just above a link, or trailing on its first line), or to
/// the last link when none follows. More than one for the same link is a problem.
fn assign_directives(template: &mut Template, links_key: Option<Location>, directives: Vec<Directive>) {
    let links_line = links_key.map_or(usize::MAX, |at| at.line);
    let starts: Vec<usize> = template.requests.iter().map(|r| r.at.line).collect();
    for directive in directives {
        let line = directive.at.line;
        let slot = if line < links_line || starts.is_empty() {
            &mut template.directive
        } else {
            let link = starts.iter().position(|&start| start >= line).unwrap_or(starts.len() - 1);
            &mut template.requests[link].directive
        };
        match slot {
            Some(first) => {
                let first = first.at.line;
                template.problems.push(super::Problem {
                    at: directive.at,
                    message: format!(
                        "a second `triage:` directive for the same requests; the first is on line {first}"
                    ),
                });
            }
            None => *slot = Some(directive),
        }
    }
}
