//! Fuzz target: any bytes as each kind of issue template (markdown with front matter, issue
//! form, chooser config, plain text), parsed and checked with the default rules.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use request_triage::templates::{self, Kind};
use request_triage::{Classifier, RuleSet};

fn classifier() -> &'static Classifier {
    static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();
    CLASSIFIER.get_or_init(|| Classifier::new(RuleSet::default_rules()).expect("default rules compile"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the kind, so the fuzzer can steer each parser separately.
    let Some((&selector, rest)) = data.split_first() else { return };
    let kind = [Kind::Markdown, Kind::Form, Kind::Config, Kind::Text][usize::from(selector % 4)];
    let text = String::from_utf8_lossy(rest);
    let template = templates::parse_as(kind, &text);
    for request in &template.requests {
        for part in &request.parts {
            if let Some(offset) = part.verbatim {
                assert_eq!(text.get(offset..offset + part.text.len()), Some(part.text.as_str()));
            }
        }
    }
    for checked in templates::check(&template, &text, classifier()) {
        for finding in &checked.findings {
            assert!(finding.line >= 1 && finding.column >= 1, "{finding:?}");
        }
    }
});
