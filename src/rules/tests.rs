use super::*;

fn load(yaml: &str) -> Result<RuleSet, RulesError> {
    RuleSet::from_yaml(yaml, "test.yaml")
}

fn error(yaml: &str) -> RulesError {
    match load(yaml) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(err) => err,
    }
}

const MINIMAL: &str = "version: 1
functions:
  - id: devrel
    keywords: [docs]
";

#[test]
fn minimal_file_gets_the_documented_defaults() {
    let rules = load(MINIMAL).unwrap();
    assert_eq!((rules.threshold, rules.mixed_ratio), (2.0, 0.75));
    assert_eq!((rules.title_weight, rules.body_weight), (2.0, 1.0));
    let function = &rules.functions[0];
    assert_eq!((function.id.as_str(), function.name.as_str()), ("devrel", "devrel"));
    assert_eq!(function.rules[0].weight, 1.0);
    assert_eq!(function.rules[0].line, Some(4));
}

#[test]
fn default_rules_load_and_are_not_a_demo() {
    let rules = RuleSet::default_rules();
    let ids: Vec<&str> = rules.functions.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["marketing", "community", "devrel"]);
    assert!(rules.functions.iter().all(|f| !f.labels.is_empty() && !f.examples.is_empty()));
}

#[test]
fn unknown_key_is_an_error_with_its_location() {
    let err = error("version: 1\nfunctions:\n  - id: devrel\n    keywrods: [docs]\n");
    assert_eq!(err.line, Some(4));
    assert!(err.to_string().starts_with("test.yaml:4:"), "{err}");
    assert!(err.to_string().contains("unknown field `keywrods`"), "{err}");
}

#[test]
fn unknown_key_inside_a_weighted_keyword_keeps_serde_message() {
    let err =
        error("version: 1\nfunctions:\n  - id: devrel\n    keywords:\n      - { term: docs, wieght: 2 }\n");
    assert!(err.to_string().contains("unknown field `wieght`"), "{err}");
    assert_eq!(err.line, Some(5));
}

#[test]
fn function_ids_that_differ_only_in_spaces_are_duplicates() {
    let err =
        error("version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n  - id: \"a \"\n    keywords: [y]\n");
    assert_eq!(err.kind, RulesErrorKind::DuplicateFunction("a".into()));
}

#[test]
fn bad_yaml_names_line_and_column() {
    let err = error("version: 1\nfunctions: [\n");
    assert!(matches!(err.kind, RulesErrorKind::Yaml(_)));
    assert!(err.line.is_some() && err.column.is_some(), "{err}");
}

#[test]
fn invalid_regex_reports_the_regex_crate_message_and_line() {
    let err =
        error("version: 1\nfunctions:\n  - id: devrel\n    patterns:\n      - { regex: 'a(b', weight: 2 }\n");
    assert_eq!(err.line, Some(5));
    assert!(err.to_string().contains("unclosed group"), "{err}");
}

#[test]
fn zero_and_non_finite_weights_are_rejected() {
    for weight in ["0", ".nan", ".inf", "-.inf", "1e303", "-1e303", "1000000.5"] {
        let err = error(&format!(
            "version: 1\nfunctions:\n  - id: devrel\n    keywords:\n      - {{ term: docs, weight: {weight} }}\n"
        ));
        assert!(matches!(err.kind, RulesErrorKind::BadWeight { .. }), "{weight}: {err}");
        assert_eq!(err.line, Some(5));
    }
}

#[test]
fn weights_up_to_the_limit_load() {
    let rules = load(
        "version: 1\nfunctions:\n  - id: c\n    keywords:\n      - { term: a, weight: 1000000 }\n      - { term: b, weight: -1000000 }\n",
    )
    .unwrap();
    assert_eq!(rules.functions[0].rules[1].weight, -1_000_000.0);
}

#[test]
fn huge_field_weights_are_rejected() {
    let err = error("version: 1\nfields:\n  title: 1e303\nfunctions:\n  - id: c\n    keywords: [a]\n");
    assert!(matches!(err.kind, RulesErrorKind::BadNumber { .. }), "{err}");
    assert_eq!(err.line, Some(3));
}

#[test]
fn byte_order_mark_before_the_version_is_ignored() {
    let rules = load("\u{feff}version: 1\nfunctions:\n  - id: c\n    keywords: [api]\n").unwrap();
    assert_eq!(rules.functions[0].id, "c");
}

#[test]
fn negative_weight_is_counter_evidence_not_an_error() {
    let rules = load("version: 1\nfunctions:\n  - id: c\n    keywords:\n      - { term: api, weight: -1 }\n")
        .unwrap();
    assert_eq!(rules.functions[0].rules[0].weight, -1.0);
}

#[test]
fn duplicate_function_ids_are_rejected_at_the_second() {
    let err = error("version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n  - id: a\n    keywords: [y]\n");
    assert_eq!(err.kind, RulesErrorKind::DuplicateFunction("a".into()));
    assert_eq!(err.line, Some(5));
}

#[test]
fn duplicate_terms_in_a_function_are_rejected_case_and_space_insensitively() {
    let err = error("version: 1\nfunctions:\n  - id: a\n    keywords: [\"how do i\", \"How  do I\"]\n");
    assert!(matches!(err.kind, RulesErrorKind::DuplicateTerm { .. }), "{err}");
}

#[test]
fn the_same_term_in_two_functions_is_a_warning() {
    let rules =
        load("version: 1\nfunctions:\n  - id: a\n    keywords: [event]\n  - id: b\n    keywords: [Event]\n")
            .unwrap();
    let warnings = rules.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].to_string().contains("`a` and `b`"), "{}", warnings[0]);
}

#[test]
fn unsupported_or_missing_version() {
    assert_eq!(error("version: 2\nfunctions: []\n").kind, RulesErrorKind::UnsupportedVersion(2));
    assert_eq!(error("functions: []\n").kind, RulesErrorKind::MissingVersion);
}

#[test]
fn empty_function_and_no_functions() {
    assert_eq!(error("version: 1\nfunctions:\n  - id: a\n").kind, RulesErrorKind::EmptyFunction("a".into()));
    assert_eq!(error("version: 1\nfunctions: []\n").kind, RulesErrorKind::NoFunctions);
}

#[test]
fn bad_thresholds_are_rejected() {
    let err = error("version: 1\nthreshold: 0\nfunctions:\n  - id: a\n    keywords: [x]\n");
    assert_eq!(err.line, Some(2));
    assert!(error("version: 1\nmixed_ratio: 1.5\nfunctions:\n  - id: a\n    keywords: [x]\n")
        .to_string()
        .contains("mixed_ratio"));
}

#[test]
fn function_ids_must_be_simple_and_not_reserved() {
    assert!(matches!(
        error("version: 1\nfunctions:\n  - id: Dev Rel\n    keywords: [x]\n").kind,
        RulesErrorKind::BadFunctionId(_)
    ));
    assert!(matches!(
        error("version: 1\nfunctions:\n  - id: unassigned\n    keywords: [x]\n").kind,
        RulesErrorKind::ReservedFunctionId(_)
    ));
}

#[test]
fn tests_must_expect_a_known_outcome() {
    let err =
        error("version: 1\nfunctions:\n  - id: a\n    keywords: [x]\ntests:\n  - { text: x, expect: b }\n");
    assert!(matches!(err.kind, RulesErrorKind::BadExpectation { .. }));
    let rules = load("version: 1\nfunctions:\n  - id: a\n    keywords: [x]\ntests:\n  - { text: x, expect: A }\n  - { text: y, expect: mixed }\n").unwrap();
    assert_eq!(rules.tests[0].expect, Expectation::Owner(0));
    assert_eq!(rules.tests[1].expect, Expectation::Mixed);
}

#[test]
fn huge_regex_is_rejected_before_compiling() {
    let big = "a".repeat(limits::MAX_REGEX_BYTES + 1);
    let err =
        error(&format!("version: 1\nfunctions:\n  - id: a\n    patterns:\n      - {{ regex: '{big}' }}\n"));
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn functions_are_found_by_id_or_name_case_insensitively() {
    let rules =
        load("version: 1\nfunctions:\n  - id: devrel\n    name: DevRel\n    keywords: [x]\n").unwrap();
    assert_eq!(rules.find_function("DEVREL"), Some(0));
    assert_eq!(rules.find_function("devrel"), Some(0));
    assert_eq!(rules.find_function("marketing"), None);
}

/// The embedded snapshot must be exactly what validating the YAML gives.
#[test]
fn default_rules_snapshot_is_fresh() {
    let rules = RuleSet::from_yaml(DEFAULT_RULES_YAML, DEFAULT_RULES_ORIGIN).unwrap();
    let expected = snapshot::render(&rules, DEFAULT_RULES_YAML);
    if !snapshot::check_fresh(snapshot::SNAPSHOT_PATH, snapshot::DEFAULT_RULES_SNAPSHOT, &expected) {
        return;
    }
    let loaded = RuleSet::default_rules();
    assert_eq!(loaded, rules, "the snapshot loads back to the same rule set");
    assert!(
        matches!(loaded.source, std::borrow::Cow::Borrowed(_)),
        "the embedded YAML is borrowed, not copied, when the snapshot loads"
    );
}

#[test]
fn a_snapshot_of_other_yaml_is_ignored() {
    let rules = load(MINIMAL).unwrap();
    // `load` borrows from the snapshot for good, as it does from the embedded one.
    let text: &'static [u8] = snapshot::render(&rules, MINIMAL).leak();
    let loaded = snapshot::load(text, MINIMAL, snapshot::digest(MINIMAL), "test.yaml");
    assert_eq!(loaded.as_ref(), Some(&rules));
    let edited = MINIMAL.replace("docs", "guides");
    assert_eq!(snapshot::load(text, edited.clone(), snapshot::digest(&edited), "test.yaml"), None);
}

#[test]
fn languages_default_to_english_and_are_read_as_two_letter_codes() {
    let base = "version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n";
    assert_eq!(RuleSet::from_yaml(base, "t.yaml").unwrap().languages, ["en"]);
    let declared = format!("languages: [EN, spa, pt, zh]\n{base}");
    assert_eq!(RuleSet::from_yaml(&declared, "t.yaml").unwrap().languages, ["en", "es", "pt", "zh"]);
}

#[test]
fn bad_languages_are_errors_at_their_line() {
    let base = "version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n";
    let unknown =
        RuleSet::from_yaml(&format!("{base}languages:\n  - en\n  - klingon\n"), "t.yaml").unwrap_err();
    assert_eq!((unknown.line, &unknown.kind), (Some(7), &RulesErrorKind::UnknownLanguage("klingon".into())));
    assert!(unknown.to_string().contains("ISO 639-1"), "{unknown}");
    let twice = RuleSet::from_yaml(&format!("{base}languages: [en, es, eng]\n"), "t.yaml").unwrap_err();
    assert_eq!((twice.line, &twice.kind), (Some(5), &RulesErrorKind::DuplicateLanguage("eng".into())));
    let empty = RuleSet::from_yaml(&format!("{base}languages: []\n"), "t.yaml").unwrap_err();
    assert_eq!((empty.line, &empty.kind), (Some(5), &RulesErrorKind::NoLanguages));
}

// ---- `unless`, `none:` and `single_rule_threshold` ----

#[test]
fn a_version_1_file_without_the_new_keys_keeps_its_meaning() {
    let rules = load(MINIMAL).unwrap();
    assert!(rules.none.is_empty() && rules.none_examples.is_empty());
    // No extra requirement for a single rule: the threshold alone decides, as before.
    assert_eq!(rules.single_rule_threshold, rules.threshold);
    assert!(rules.functions[0].rules[0].unless.is_empty());
}

#[test]
fn unless_takes_phrases_and_regexes_on_keywords_and_patterns() {
    let rules = load(
        "version: 1\nsingle_rule_threshold: 3\nfunctions:\n  - id: community\n    keywords:\n      \
         - { term: event, weight: 2, unless: [\"event loop\", { regex: 'event\\s+emit\\w*' }] }\n    \
         patterns:\n      - { regex: 'channel', unless: [go channel] }\n",
    )
    .unwrap();
    assert_eq!(rules.single_rule_threshold, 3.0);
    let unless = &rules.functions[0].rules[0].unless;
    assert_eq!(
        unless.iter().map(|u| (u.kind, u.source.as_str())).collect::<Vec<_>>(),
        [(RuleKind::Keyword, "event loop"), (RuleKind::Pattern, "event\\s+emit\\w*")]
    );
    assert_eq!(rules.functions[0].rules[1].unless[0].source, "go channel");
}

#[test]
fn bad_unless_entries_are_errors_at_their_line() {
    let err = error(
        "version: 1\nfunctions:\n  - id: f\n    keywords:\n      - { term: event, unless: [\" * \"] }\n",
    );
    assert_eq!(err.line, Some(5));
    assert!(err.to_string().contains("an `unless` phrase of keyword \"event\" in `f` is empty"), "{err}");
    let err = error("version: 1\nfunctions:\n  - id: f\n    keywords:\n      - term: event\n        unless:\n          - regex: '(open'\n");
    assert_eq!(err.line, Some(7));
    assert!(err.to_string().contains("invalid regex in function `f`"), "{err}");
    let err = error(
        "version: 1\nfunctions:\n  - id: f\n    keywords:\n      - { term: event, unless: [{ regx: a }] }\n",
    );
    assert!(err.to_string().contains("unknown field `regx`"), "{err}");
}

#[test]
fn an_unless_phrase_that_cannot_hold_its_keyword_is_a_warning() {
    let rules =
        load("version: 1\nfunctions:\n  - id: f\n    keywords:\n      - { term: event*, unless: [event loop, meetup] }\n")
            .unwrap();
    let warnings: Vec<String> = rules.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings, [
        "test.yaml:5: `unless` phrase \"meetup\" of keyword \"event*\" in `f` does not contain the keyword, so it never cancels it"
    ]);
}

#[test]
fn the_none_block_loads_its_rules_and_examples() {
    let rules = load(
        "version: 1\nnone:\n  keywords: [{ term: invoice*, weight: 4 }]\n  patterns: [{ regex: 'job (post|offer)', name: job }]\n  \
         examples: [\"Please resend the invoice\"]\nfunctions:\n  - id: devrel\n    keywords: [docs, invoice]\n",
    )
    .unwrap();
    assert_eq!(rules.none.iter().map(|r| r.name.as_ref()).collect::<Vec<_>>(), ["invoice*", "job"]);
    assert_eq!(rules.none[0].line, Some(3));
    assert_eq!(rules.none_examples[0].text, "Please resend the invoice");
    assert_eq!(rules.voter_id(rules.none_index()), "none");
    assert!(matches!(rules.cases()[0].expect, Expectation::Unassigned), "none examples must be unassigned");
    // A term in a function and in `none:` is reported like a term shared by two functions.
    let warnings: Vec<String> = rules.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 0, "invoice* and invoice are different terms: {warnings:?}");
    let shared =
        load("version: 1\nnone:\n  keywords: [docs]\nfunctions:\n  - id: devrel\n    keywords: [docs]\n")
            .unwrap();
    assert!(shared.warnings()[0].to_string().contains("is in both `devrel` and `none`"));
}

#[test]
fn an_empty_or_misspelt_none_block_is_an_error() {
    let err = error("version: 1\nnone: {}\nfunctions:\n  - id: f\n    keywords: [a]\n");
    assert!(err.to_string().contains("function `none` has no keywords and no patterns"), "{err}");
    let err = error("version: 1\nnone:\n  keyword: [a]\nfunctions:\n  - id: f\n    keywords: [a]\n");
    assert!(err.to_string().contains("unknown field `keyword`"), "{err}");
    assert_eq!(err.line, Some(3));
    let err = error("version: 1\nsingle_rule_threshold: 0\nfunctions:\n  - id: f\n    keywords: [a]\n");
    assert!(
        err.to_string().contains("`single_rule_threshold` must be a finite number greater than 0"),
        "{err}"
    );
}
