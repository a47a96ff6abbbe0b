use super::*;

const BASE: &str = include_str!("../../tests/fixtures/suggest/base.yaml");

fn added(function: usize, term: &str, weight: f64) -> SuggestedRule {
    SuggestedRule { function, term: term.into(), weight, support: 4, labels: vec![1, 1, 2, 0] }
}

#[test]
fn complete_file_keeps_the_base_text_and_comments() {
    let base = RuleSet::from_yaml(BASE, "base.yaml").expect("fixture loads");
    let rules = [added(0, "timezone", -2.0), added(2, "webhook*", 2.0)];
    let (text, kept) = write::complete(&base, &rules, &[]);
    assert!(kept, "{text}");
    assert!(text.contains("# \"launch\" misleads when"), "{text}");
    assert!(
        text.contains(
            "      - { term: \"webhook*\", weight: 2 }  # suggested: precision 0.50 on 4 requests (2 devrel)"
        ),
        "{text}"
    );
}

#[test]
fn a_function_without_keywords_gets_a_keywords_block() {
    let yaml = "version: 1\nfunctions:\n  - id: a\n    patterns:\n      - { regex: 'x', weight: 2 }\n  - id: b\n    keywords: [y]\n";
    let base = RuleSet::from_yaml(yaml, "flow.yaml").expect("loads");
    let (text, kept) = write::complete(&base, &[added(0, "zebra", 3.0)], &[]);
    assert!(kept, "{text}");
    assert!(text.contains("    keywords:\n      - { term: \"zebra\", weight: 3 }"), "{text}");
    let loaded = RuleSet::from_yaml(&text, "out.yaml").expect("the result loads");
    assert_eq!(loaded.functions[0].rules[0].source, "zebra");
}

#[test]
fn a_flow_style_keyword_list_is_written_afresh_and_still_loads() {
    let yaml = "version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n  - id: b\n    keywords: [y]\n";
    let base = RuleSet::from_yaml(yaml, "flow.yaml").expect("loads");
    let (text, kept) = write::complete(&base, &[added(1, "zebra", -1.0)], &["a header".into()]);
    assert!(!kept);
    assert!(text.starts_with("# a header\nversion: 1\n"), "{text}");
    let loaded = RuleSet::from_yaml(&text, "out.yaml").expect("the result loads");
    let terms: Vec<(&str, f64)> =
        loaded.functions[1].rules.iter().map(|r| (r.source.as_ref(), r.weight)).collect();
    assert_eq!(terms, [("y", 1.0), ("zebra", -1.0)]);
}

#[test]
fn functions_from_labels_get_an_id_and_keep_the_label_as_name() {
    let rules = functions_from_labels(["Dev Rel", "unassigned", "Marketing", "dev rel", "", "2nd line"]);
    let functions: Vec<(&str, &str)> =
        rules.functions.iter().map(|f| (f.id.as_str(), f.name.as_str())).collect();
    assert_eq!(functions, [("dev-rel", "Dev Rel"), ("f-2nd-line", "2nd line"), ("marketing", "Marketing")]);
    assert_eq!(rules.find_function("DEV REL"), Some(0));
}

#[test]
fn the_scale_is_the_rule_files_own() {
    let base = RuleSet::from_yaml(BASE, "base.yaml").expect("fixture loads");
    assert_eq!(Scale::of(&base), Scale { positive: vec![1.0, 2.0, 3.0], negative: vec![-1.0, -2.0] });
    let default = Scale::of(&RuleSet::default_rules());
    assert_eq!(default.positive, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(default.negative, [-1.0, -2.0, -4.0]);
    let plain =
        RuleSet::from_yaml("version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n", "p").expect("loads");
    assert_eq!(Scale::of(&plain).positive, [1.0, 2.0, 3.0]);
}

#[test]
fn folds_spread_each_label_evenly() {
    let labels = [Some(0), Some(0), Some(0), Some(1), Some(1), None, Some(0)];
    assert_eq!(stratified_folds(&labels, 2, 3), [0, 1, 2, 0, 1, 0, 0]);
}

fn fixture_data(base: &RuleSet) -> Vec<(Request<'static>, Option<usize>)> {
    let csv = include_str!("../../tests/fixtures/suggest/labelled.csv");
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|record| {
            let record = record.expect("fixture row");
            let request = Request::with_title(record[1].to_owned(), record[2].to_owned());
            (request, eval::parse_label(base, 0, &record[3]).expect("fixture label"))
        })
        .collect()
}

#[test]
fn candidates_are_folded_words_and_phrases_without_stop_words_or_base_terms() {
    let base = RuleSet::from_yaml(BASE, "base.yaml").expect("fixture loads");
    let classifier = Classifier::new(base.clone()).expect("compiles");
    let data = fixture_data(&base);
    let requests: Vec<Request> = data.iter().map(|(request, _)| request.clone()).collect();
    let labels: Vec<Option<usize>> = data.iter().map(|(_, label)| *label).collect();
    let covered = |term: &str| {
        classifier.classify_text(term).matches.iter().any(|m| m.start == 0 && m.end == term.len())
    };
    let found = candidates::find(&classifier, &requests, &labels, 3, covered);
    let terms: Vec<&str> = found.list.iter().map(|c| c.term.as_str()).collect();
    for expected in ["timezone", "webhook", "webhooks", "webhook*", "launch script", "timezone setting"] {
        assert!(terms.contains(&expected), "{expected} missing from {terms:?}");
    }
    for absent in ["the", "launch", "blog", "setting", "settings", "the webhook", "webhook for"] {
        assert!(!terms.contains(&absent), "{absent} should not be a candidate: {terms:?}");
    }
    let webhook = found.list.iter().find(|c| c.term == "webhook*").expect("prefix");
    assert_eq!((webhook.support, webhook.labels.clone()), (8, vec![0, 0, 8, 0]));
}

#[test]
fn planted_terms_are_learned_deterministically_and_cases_still_pass() {
    let base = RuleSet::from_yaml(BASE, "base.yaml").expect("fixture loads");
    let data: Vec<LabelledRequest> = fixture_data(&base)
        .into_iter()
        .map(|(request, expected)| LabelledRequest { request, expected })
        .collect();
    let first = suggest(&base, &data, &SuggestOptions::default()).expect("learns");
    let again = suggest(&base, &data, &SuggestOptions::default()).expect("learns");
    assert_eq!(first.added, again.added);
    let rule = |term: &str| first.added.iter().find(|r| r.term == term);
    let webhook = rule("webhook*").or_else(|| rule("webhook")).expect("the planted term is learned");
    assert_eq!(base.functions[webhook.function].id, "devrel");
    assert!(webhook.weight > 0.0);
    let timezone = rule("timezone").expect("the misleading term is learned");
    assert_eq!((base.functions[timezone.function].id.as_str(), timezone.precision()), ("marketing", 1.0));
    assert!(timezone.is_counter_evidence());
    assert!(first.after.accuracy > first.before.accuracy + 0.2, "{:?} -> {:?}", first.before, first.after);
    let classifier = Classifier::new(first.rules.clone()).expect("compiles");
    for case in first.rules.cases() {
        assert!(case.expect.met_by(&classifier.classify(&case.request())), "{case:?}");
    }
}

#[test]
fn fewer_than_two_requests_is_an_error() {
    let base = RuleSet::from_yaml(BASE, "base.yaml").expect("fixture loads");
    let one = [LabelledRequest { request: Request::body("hello"), expected: None }];
    let err = suggest(&base, &one, &SuggestOptions::default()).expect_err("too few");
    assert_eq!(err.to_string(), "1 labelled request: at least 2 are needed to learn and cross-validate");
}

#[test]
fn a_rule_that_breaks_a_passing_example_is_dropped() {
    let base = RuleSet::from_yaml(BASE, "base.yaml").expect("fixture loads");
    let cases = base.cases();
    let passing = vec![true; cases.len()];
    let rules = vec![added(2, "webhook*", 2.0), added(2, "date", -6.0), added(0, "timezone", -2.0)];
    let kept =
        keep_cases_passing(&base, rules, &cases, &passing, ClassifyOptions::default()).expect("compiles");
    let terms: Vec<&str> = kept.iter().map(|rule| rule.term.as_str()).collect();
    assert_eq!(terms, ["webhook*", "timezone"]);
}
