//! Fuzz target: classify arbitrary bytes (decoded lossily) with the default rules, with and
//! without code blocks counted, and check the invariants every verdict promises.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use request_triage::output::{json, text};
use request_triage::{Classifier, ClassifyOptions, Request, RuleSet, Status};

fn classifiers() -> &'static [Classifier; 2] {
    static CLASSIFIERS: OnceLock<[Classifier; 2]> = OnceLock::new();
    CLASSIFIERS.get_or_init(|| {
        let build = |include_code| {
            Classifier::with_options(RuleSet::default_rules(), ClassifyOptions { include_code })
                .expect("default rules compile")
        };
        [build(false), build(true)]
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first line (when there are two) doubles as a title, as batch rows and templates do.
    let request = match text.split_once('\n') {
        Some((title, body)) => Request::with_title(title, body),
        None => Request::body(text.as_ref()),
    };
    for classifier in classifiers() {
        let verdict = classifier.classify(&request);
        assert_eq!(verdict, classifier.classify(&request), "classification is not deterministic");
        for found in &verdict.matches {
            let part = &request.parts()[found.part];
            assert!(found.start <= found.end && found.end <= part.text.len(), "span out of bounds");
            assert!(part.text.is_char_boundary(found.start) && part.text.is_char_boundary(found.end));
            assert_eq!(found.text, &part.text[found.start..found.end]);
            assert!(!found.text.is_empty(), "empty match");
            assert_eq!(found.field, part.field);
        }
        assert!(verdict.scores.iter().all(|s| s.is_finite() && *s >= 0.0), "bad score");
        assert!(verdict.score >= 0.0);
        match verdict.status {
            Status::Unassigned => assert!(verdict.owner.is_none()),
            _ => assert!(verdict.owner.is_some() && verdict.score >= classifier.rules().threshold),
        }
        let value = json::verdict(&verdict, classifier.rules());
        let printed = serde_json::to_string(&value).expect("verdict serializes");
        let _: serde_json::Value = serde_json::from_str(&printed).expect("verdict JSON parses");
        let mut sink = Vec::new();
        text::verdict(&mut sink, &verdict, classifier.rules()).expect("writing to memory");
        text::explain(&mut sink, &request, &verdict, classifier.rules(), true).expect("writing to memory");
    }
});
