//! Fuzz target: any text as a rule file must load, or fail with an error, and a loaded rule set
//! must compile and classify without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use request_triage::{Classifier, RuleSet};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(rules) = RuleSet::from_yaml(&text, "fuzz.yaml") else { return };
    let _ = rules.warnings();
    if let Ok(classifier) = Classifier::new(rules) {
        let _ = classifier.classify_text("How do I install the SDK? Meetup next week, blog post");
    }
});
