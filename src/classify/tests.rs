use super::*;
use crate::rules::normalize_term;

const RULES: &str = r#"
version: 1
threshold: 2
mixed_ratio: 0.75
fields: { title: 2, body: 1 }
functions:
  - id: marketing
    name: Marketing
    focus: attention
    keywords:
      - { term: blog, weight: 2 }
      - { term: "événement", weight: 2 }
      - { term: launch, weight: 2 }
  - id: community
    name: Community
    focus: connection
    keywords:
      - { term: meetup, weight: 3 }
      - { term: forum, weight: 2 }
      - { term: api, weight: -1 }
  - id: devrel
    name: DevRel
    focus: enablement
    keywords:
      - { term: "how do i", weight: 3 }
      - { term: refund, weight: 2 }
      - { term: "invoic*", weight: 2 }
      - { term: api, weight: 1 }
      - { term: ".net", weight: 2 }
    patterns:
      - { regex: '\b(401|403)\b', weight: 2, name: auth error }
      - { regex: 'x*', weight: 5, name: matches empty }
"#;

fn classifier() -> Classifier {
    Classifier::new(RuleSet::from_yaml(RULES, "test.yaml").unwrap()).unwrap()
}

fn owner(verdict: &Verdict) -> Option<&'static str> {
    verdict.owner.map(|i| ["marketing", "community", "devrel"][i])
}

fn rule_names(classifier: &Classifier, verdict: &Verdict) -> Vec<String> {
    verdict
        .matches
        .iter()
        .map(|m| classifier.rules().functions[m.function].rules[m.rule].name.to_string())
        .collect()
}

#[test]
fn unicode_text_matches_case_insensitively() {
    let c = classifier();
    let verdict = c.classify_text("ÉVÉNEMENT de lancement");
    assert_eq!(owner(&verdict), Some("marketing"));
    assert_eq!(verdict.matches[0].text, "ÉVÉNEMENT");
}

#[test]
fn terms_written_with_a_final_sigma_or_dotted_capital_i_match_themselves() {
    let rules = "version: 1\nfunctions:\n  - id: greek\n    keywords: [{ term: ΟΔΟΣ, weight: 2 }]\n  \
                 - id: turkish\n    patterns: [{ regex: 'İstanbul', weight: 2 }]\n";
    for few in [false, true] {
        let (rules, options) = (RuleSet::from_yaml(rules, "test.yaml").unwrap(), ClassifyOptions::default());
        let c = if few {
            Classifier::for_few_requests(rules, options).unwrap()
        } else {
            Classifier::with_options(rules, options).unwrap()
        };
        assert_eq!(c.classify_text("ΟΔΟΣ").scores, [2.0, 0.0], "few requests: {few}");
        let verdict = c.classify_text("İstanbul meetup");
        assert_eq!(verdict.scores, [0.0, 2.0], "few requests: {few}");
        assert_eq!(verdict.matches[0].text, "İstanbul");
    }
}

#[test]
fn keywords_match_whole_words_only() {
    let c = classifier();
    assert_eq!(c.classify_text("it was refunded").score, 0.0);
    assert_eq!(c.classify_text("a refund, please").scores[2], 2.0);
}

#[test]
fn phrases_match_across_any_run_of_whitespace() {
    let c = classifier();
    let text = "How\n  do\tI start?";
    let verdict = c.classify_text(text);
    assert_eq!(owner(&verdict), Some("devrel"));
    let found = &verdict.matches[0];
    assert_eq!(&text[found.start..found.end], "How\n  do\tI");
    assert_eq!(found.text, "How\n  do\tI");
}

#[test]
fn trailing_star_is_a_prefix_match_reporting_the_whole_word() {
    let c = classifier();
    let verdict = c.classify_text("where are my invoices");
    assert_eq!(verdict.matches[0].text, "invoices");
    assert_eq!(verdict.scores[2], 2.0);
    // A prefix still needs a word boundary on its left.
    assert_eq!(c.classify_text("reinvoices").scores[2], 0.0);
}

#[test]
fn terms_starting_with_punctuation_need_no_left_boundary() {
    let c = classifier();
    assert_eq!(c.classify_text("porting to asp.net today").scores[2], 2.0);
}

#[test]
fn a_rule_counts_once_however_often_it_occurs() {
    let c = classifier();
    let verdict = c.classify_text("meetup meetup meetup meetup");
    assert_eq!(verdict.scores[1], 3.0);
    assert_eq!(verdict.matches.len(), 1);
}

#[test]
fn negative_weights_never_push_a_score_below_zero() {
    let c = classifier();
    let verdict = c.classify_text("the api");
    assert_eq!(verdict.scores[1], 0.0);
    assert_eq!(verdict.scores[2], 1.0);
    let verdict = c.classify_text("forum api meetup");
    assert_eq!(verdict.scores[1], 4.0);
}

#[test]
fn a_match_counts_with_the_largest_field_weight_where_it_occurs() {
    let c = classifier();
    let verdict = c.classify(&Request::with_title("New blog", "the blog is here"));
    assert_eq!(verdict.scores[0], 4.0);
    assert_eq!(verdict.matches.len(), 2, "one piece of evidence per field");
    assert_eq!(verdict.matches[0].field, Field::Title);
}

#[test]
fn status_follows_threshold_and_mixed_ratio() {
    let c = classifier();
    assert_eq!(c.classify_text("forum").status, Status::Assigned); // 2 >= threshold
    let weak = c.classify_text("the api");
    assert_eq!((weak.status, weak.owner), (Status::Unassigned, None));
    assert_eq!(weak.score, 1.0);
    // meetup 3 vs how do i 3: a tie goes to the function listed first, and is mixed.
    let tie = c.classify_text("how do I find a meetup");
    assert_eq!((owner(&tie), tie.status), (Some("community"), Status::Mixed));
    assert_eq!(tie.runner_up, Some(2));
    // blog 2 vs meetup 3: 2 < 0.75 * 3 is not mixed... 2 < 2.25 so assigned.
    let clear = c.classify_text("a blog about the meetup");
    assert_eq!((owner(&clear), clear.status), (Some("community"), Status::Assigned));
}

#[test]
fn empty_request_is_unassigned() {
    let verdict = classifier().classify_text("");
    assert_eq!((verdict.owner, verdict.status, verdict.score), (None, Status::Unassigned, 0.0));
    assert!(verdict.matches.is_empty());
}

#[test]
fn patterns_report_spans_and_empty_matches_do_not_fire() {
    let c = classifier();
    let text = "I get a 401 from the server";
    let verdict = c.classify_text(text);
    assert_eq!(rule_names(&c, &verdict), ["auth error"]);
    let found = &verdict.matches[0];
    assert_eq!((found.kind, &text[found.start..found.end]), (RuleKind::Pattern, "401"));
    assert_eq!(verdict.scores[2], 2.0);
}

#[test]
fn code_blocks_and_comments_do_not_vote_unless_asked() {
    let text = "<!-- describe your meetup here -->\nhelp\n```\nhow do i refund\n```\n";
    assert_eq!(classifier().classify_text(text).score, 0.0);
    let rules = RuleSet::from_yaml(RULES, "test.yaml").unwrap();
    let with_code = Classifier::with_options(rules, ClassifyOptions { include_code: true }).unwrap();
    let verdict = with_code.classify_text(text);
    assert_eq!(verdict.scores, [0.0, 3.0, 5.0]);
}

#[test]
fn contributions_explain_the_score_strongest_first() {
    let c = classifier();
    let verdict = c.classify_text("how do i get a refund after a 401");
    let points: Vec<f64> = verdict.contributions.iter().map(|c| c.points).collect();
    assert_eq!(points, [3.0, 2.0, 2.0]);
    assert_eq!(points.iter().sum::<f64>(), verdict.scores[2]);
}

#[test]
fn default_rules_route_the_design_examples() {
    let c = Classifier::new(RuleSet::default_rules()).unwrap();
    let id = |text: &str| c.classify_text(text).owner.map(|i| c.rules().functions[i].id.clone());
    assert_eq!(
        id("How do I authenticate with the Python SDK? I keep getting a 401").as_deref(),
        Some("devrel")
    );
    assert_eq!(
        id("Can we announce the 2.0 launch on the blog and in the newsletter?").as_deref(),
        Some("marketing")
    );
    assert_eq!(
        id("We would like to organise a meetup for our local user group").as_deref(),
        Some("community")
    );
    assert_eq!(id("I want to report a code of conduct violation").as_deref(), Some("community"));
}

#[test]
fn a_pattern_too_big_to_compile_is_refused_at_load_with_its_line() {
    // Found when the file loads, so a single request (which compiles only the patterns its text
    // could match), `batch` and `rules check` refuse the same file.
    let yaml = "version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n    patterns:\n      - { regex: 'big(?u:\\w{1000})', name: huge }\n";
    let err = RuleSet::from_yaml(yaml, "big.yaml").unwrap_err();
    assert_eq!(err.line, Some(6));
    assert!(matches!(&err.kind, RulesErrorKind::BadRegex { function, .. } if function == "a"), "{err}");
    assert!(err.to_string().contains("more than 8388608 bytes, the limit for one pattern"), "{err}");
}

#[test]
fn patterns_too_big_together_are_refused_at_load_at_the_one_that_passes_the_limit() {
    // Each compiles to about 7 MB, under the 8 MiB of one pattern; the fifth passes 32 MiB.
    let mut yaml = String::from("version: 1\nfunctions:\n  - id: a\n    keywords: [x]\n    patterns:\n");
    for i in 0..6 {
        yaml.push_str(&format!("      - {{ regex: 'p{i}(?u:\\w{{400}})' }}\n"));
    }
    let err = RuleSet::from_yaml(&yaml, "together.yaml").unwrap_err();
    assert_eq!(err.line, Some(10), "{err}");
    assert_eq!(err.kind, RulesErrorKind::PatternsTooBig { limit: 33554432 });
}

#[test]
fn lazy_and_eager_classifiers_agree() {
    let rules = RuleSet::default_rules();
    let eager = Classifier::new(rules.clone()).unwrap();
    let lazy = Classifier::for_few_requests(rules, ClassifyOptions::default()).unwrap();
    for text in [
        "How do I authenticate with the Python SDK? I keep getting a 401",
        "We are excited to announce v2.0! Please add our logo to the adopters page",
        "Is there a meetup in Berlin? I'd like to join the community call",
        "TypeError: cannot read property of undefined when calling the API",
        "",
    ] {
        assert_eq!(eager.classify_text(text), lazy.classify_text(text), "{text}");
    }
}

#[test]
fn an_unknown_unicode_class_is_refused_at_load_with_its_line() {
    let yaml =
        "version: 1\nfunctions:\n  - id: a\n    patterns:\n      - { regex: 'é\\p{NotAClass}', name: odd }\n";
    let err = RuleSet::from_yaml(yaml, "odd.yaml").unwrap_err();
    assert_eq!(err.line, Some(5));
    assert!(err.to_string().contains("odd.yaml:5"), "{err}");
    assert!(err.to_string().contains("Unicode property not found"), "{err}");
}

// ---- how matches become scores (see `score.rs`) ----

const OVERLAP_RULES: &str = r#"
version: 1
functions:
  - id: community
    keywords:
      - { term: meetup, weight: 3 }
      - { term: key, weight: 1 }
      - { term: "code of conduct", weight: 5 }
    patterns:
      - { regex: '\bagree to the code of conduct\b', weight: -5, name: boilerplate }
      - { regex: '\b(api|sdk)\b', weight: -1, name: technical usage }
  - id: devrel
    keywords:
      - { term: "api key*", weight: 4 }
      - { term: api, weight: 3 }
      - { term: "key rotation", weight: 2 }
      - { term: "rotation", weight: 2 }
    patterns:
      - { regex: '\bapi\s+\w+', weight: 3, name: api usage }
"#;

fn overlap_classifier() -> Classifier {
    Classifier::new(RuleSet::from_yaml(OVERLAP_RULES, "overlap.yaml").unwrap()).unwrap()
}

/// `(rule name, points)` of a verdict's contributions to `function`, in listed order.
fn counted(c: &Classifier, verdict: &Verdict, function: usize) -> Vec<(String, f64)> {
    verdict
        .contributions
        .iter()
        .filter(|x| x.function == function)
        .map(|x| (c.rules().rule(x.function, x.rule).name.to_string(), x.points))
        .collect()
}

#[test]
fn one_stretch_of_text_votes_once_per_function_with_its_strongest_match() {
    let c = overlap_classifier();
    // "API key" is matched by `api key*` (4), `api` (3) and `api usage` (3): only 4 counts.
    let verdict = c.classify_text("where is my API key");
    assert_eq!(counted(&c, &verdict, 1), [("api key*".to_owned(), 4.0)]);
    assert_eq!(verdict.scores[1], 4.0);
    let overlapped: Vec<&str> = verdict
        .matches
        .iter()
        .filter(|m| m.uncounted == Some(Uncounted::Overlapped))
        .map(|m| c.rules().rule(m.function, m.rule).name.as_ref())
        .collect();
    assert_eq!(overlapped, ["api", "api usage"]);
}

#[test]
fn a_weaker_rule_still_counts_where_it_stands_alone() {
    let c = overlap_classifier();
    let verdict = c.classify_text("my API key, and later the api.");
    assert_eq!(counted(&c, &verdict, 1), [("api key*".to_owned(), 4.0), ("api".to_owned(), 3.0)]);
    assert_eq!(verdict.scores[1], 7.0);
}

#[test]
fn a_repeated_phrase_keeps_its_text_from_weaker_rules() {
    // The second "api key" is the same rule again (it counts once); its "api" does not count either.
    let c = overlap_classifier();
    let verdict = c.classify_text("api key; api key");
    assert_eq!(counted(&c, &verdict, 1), [("api key*".to_owned(), 4.0)]);
}

#[test]
fn overlap_ties_go_to_the_longer_match_then_to_the_rule_listed_first() {
    let c = overlap_classifier();
    // "key rotation" (2) and "rotation" (2) overlap: the longer counts.
    let verdict = c.classify_text("key rotation");
    assert_eq!(counted(&c, &verdict, 1), [("key rotation".to_owned(), 2.0)]);
    // Same weight, same length: the rule listed first.
    let rules = "version: 1\nfunctions:\n  - id: f\n    keywords: [{ term: sdk, weight: 2 }]\n    \
                 patterns: [{ regex: '\\bsdk\\b', weight: 2, name: sdk pattern }]\n";
    let c = Classifier::new(RuleSet::from_yaml(rules, "tie.yaml").unwrap()).unwrap();
    assert_eq!(counted(&c, &c.classify_text("the sdk"), 0), [("sdk".to_owned(), 2.0)]);
}

#[test]
fn overlap_is_weighed_per_function_and_apart_for_counter_evidence() {
    let c = overlap_classifier();
    // Community's `key` (1) overlaps DevRel's `api key` but votes for another function: both count.
    let verdict = c.classify_text("api key at the meetup");
    // Community: meetup 3 + key 1 - technical usage 1.
    assert_eq!(verdict.scores, [3.0, 4.0]);
    // Boilerplate counter-evidence is written over the evidence it cancels: both count.
    let verdict = c.classify_text("I agree to the code of conduct");
    assert_eq!(
        counted(&c, &verdict, 0),
        [("code of conduct".to_owned(), 5.0), ("boilerplate".to_owned(), -5.0)]
    );
    assert_eq!(verdict.scores[0], 0.0);
}

#[test]
fn a_title_match_is_the_stronger_one() {
    let c = overlap_classifier();
    let verdict = c.classify(&Request::with_title("API key", "the api"));
    let first = &verdict.contributions[0];
    assert_eq!((first.field, first.field_weight, first.points), (Field::Title, 2.0, 8.0));
    // The body's "api" stands alone, so it counts too, at the body's weight.
    assert_eq!(verdict.scores[1], 8.0 + 3.0);
}

#[test]
fn counter_evidence_counts_only_against_a_function_with_evidence() {
    let c = overlap_classifier();
    let verdict = c.classify_text("the SDK fails");
    assert!(counted(&c, &verdict, 0).is_empty());
    let ignored = verdict.matches.iter().find(|m| m.function == 0).expect("the match is shown");
    assert_eq!(ignored.uncounted, Some(Uncounted::NoEvidence));
    let verdict = c.classify_text("the SDK meetup");
    assert_eq!(counted(&c, &verdict, 0), [("meetup".to_owned(), 3.0), ("technical usage".to_owned(), -1.0)]);
    assert_eq!(verdict.scores[0], 2.0);
}

#[test]
fn the_floor_at_zero_is_listed_so_points_add_up() {
    let c = overlap_classifier();
    // key (+1) and technical usage (-1): 0 with nothing to add back.
    let verdict = c.classify_text("key sdk");
    assert_eq!((verdict.scores[0], verdict.floor(0)), (0.0, 0.0));
    // code of conduct (+5) and boilerplate (-5) and sdk (-1): 5 - 5 - 1 = -1, floored to 0.
    let verdict = c.classify_text("I agree to the code of conduct of the sdk");
    assert_eq!((verdict.scores[0], verdict.floor(0)), (0.0, 1.0));
    let reasons = crate::output::reasons(&verdict, c.rules());
    assert!(reasons.ends_with("\"floor at 0\"(+1)"), "{reasons}");
}

#[test]
fn reasons_name_their_function_in_one_format() {
    let c = overlap_classifier();
    let verdict = c.classify(&Request::with_title("API key", "at the meetup"));
    assert_eq!(
        crate::output::reasons(&verdict, c.rules()),
        "devrel: \"api key*\"(+8 title x2); community: meetup(+3) key(+2 title x2) \"technical usage\"(-2 title x2)"
    );
    assert_eq!(crate::output::reasons(&c.classify_text("nothing here"), c.rules()), "");
}

// ---- `unless`, `none:` and `single_rule_threshold` ----

const SENSE_RULES: &str = r#"
version: 1
single_rule_threshold: 3
none:
  keywords:
    - { term: invoice*, weight: 4 }
    - { term: "thank you", weight: 2 }
functions:
  - id: community
    keywords:
      - { term: event, weight: 2, unless: ["event loop*", "event emitter"] }
      - { term: meetup, weight: 4 }
      - { term: forum, weight: 2 }
  - id: marketing
    keywords:
      - { term: blog, weight: 3 }
    patterns:
      - regex: '\b(post|share)\w*\b[^.]{0,30}\brelease\b'
        weight: 2
        name: promote a release
        unless: [{ regex: '\bpost\s+(/|request)' }]
"#;

fn sense_classifier() -> Classifier {
    Classifier::new(RuleSet::from_yaml(SENSE_RULES, "senses.yaml").unwrap()).unwrap()
}

/// The owner's id, with `SENSE_RULES`' function order (community, marketing).
fn sense_owner(verdict: &Verdict) -> Option<&'static str> {
    verdict.owner.map(|i| ["community", "marketing"][i])
}

#[test]
fn a_match_in_an_unless_phrase_does_not_vote_but_the_word_alone_still_does() {
    let c = sense_classifier();
    let verdict = c.classify_text("the event loop stalls");
    assert_eq!(verdict.scores[0], 0.0);
    let cancelled = verdict.matches.iter().find(|m| m.function == 0).expect("the cancelled match is shown");
    assert_eq!((cancelled.text.as_str(), cancelled.uncounted), ("event", Some(Uncounted::Unless)));
    // Elsewhere in the same text, "event" is a gathering again.
    let verdict = c.classify_text("the event loop talk at our event and meetup");
    assert_eq!(verdict.scores[0], 2.0 + 4.0);
}

#[test]
fn an_unless_regex_cancels_a_pattern_match_it_overlaps() {
    let c = sense_classifier();
    let verdict = c.classify_text("a POST request to the release endpoint fails");
    assert_eq!(verdict.scores[1], 0.0);
    assert_eq!(c.classify_text("please share the release on the blog").scores[1], 2.0 + 3.0);
}

#[test]
fn the_none_block_wins_ties_and_names_its_evidence() {
    let c = sense_classifier();
    // none 4 against community 4: a tie goes to "belongs to no function".
    let verdict = c.classify_text("an invoice for the meetup tickets");
    assert_eq!(
        (verdict.owner, verdict.status, verdict.no_owner),
        (None, Status::Unassigned, Some(NoOwner::NotOurs))
    );
    assert_eq!(verdict.none_score, 4.0);
    assert_eq!(crate::output::reasons(&verdict, c.rules()), "community: meetup(+4); none: invoice*(+4)");
    // A function with more evidence keeps the request.
    let verdict = c.classify_text("an invoice for the meetup tickets, posted on the forum");
    assert_eq!((sense_owner(&verdict), verdict.no_owner), (Some("community"), None));
    // With no function scoring, the block still names why: "thank you" (2) reaches the threshold.
    let verdict = c.classify_text("thank you");
    assert_eq!(verdict.no_owner, Some(NoOwner::NotOurs));
}

#[test]
fn one_weak_rule_alone_is_too_little_to_name_an_owner() {
    let c = sense_classifier();
    // forum (2) in a body, nothing else: below single_rule_threshold 3.
    let verdict = c.classify_text("see the forum");
    assert_eq!((verdict.owner, verdict.no_owner), (None, Some(NoOwner::SingleWeakRule)));
    assert_eq!(verdict.score, 2.0);
    // Two rules, or one strong enough, do name an owner.
    assert_eq!(sense_owner(&c.classify_text("see the forum at the event")), Some("community"));
    assert_eq!(sense_owner(&c.classify(&Request::with_title("forum", ""))), Some("community"));
    // A file without the setting keeps deciding by the threshold alone.
    let plain =
        RuleSet::from_yaml(&SENSE_RULES.replace("single_rule_threshold: 3\n", ""), "plain.yaml").unwrap();
    assert_eq!(
        sense_owner(&Classifier::new(plain).unwrap().classify_text("see the forum")),
        Some("community")
    );
}

/// The requests of `tests/fixtures/batch/patterns.csv`, written so that every default pattern
/// matches at least one of them.
fn pattern_fixture() -> Vec<(String, String)> {
    let csv = include_str!("../../tests/fixtures/batch/patterns.csv");
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|record| {
            let record = record.unwrap();
            (record[1].to_owned(), record[2].to_owned())
        })
        .collect()
}

#[test]
fn fast_and_reference_pattern_paths_agree() {
    let rules = RuleSet::default_rules();
    let reference = Classifier::new(rules.clone()).unwrap().without_pattern_filter();
    let eager = Classifier::new(rules.clone()).unwrap();
    let lazy = Classifier::for_few_requests(rules.clone(), ClassifyOptions::default()).unwrap();
    let mut fired = std::collections::HashSet::new();
    for (title, body) in pattern_fixture() {
        let request = Request::with_title(title.as_str(), body.as_str());
        let expected = reference.classify(&request);
        assert_eq!(eager.classify(&request), expected, "{title}: {body}");
        assert_eq!(lazy.classify(&request), expected, "{title}: {body}");
        fired.extend(
            expected.matches.iter().filter(|m| m.kind == RuleKind::Pattern).map(|m| (m.function, m.rule)),
        );
    }
    let unfired: Vec<&str> = rules
        .voters()
        .enumerate()
        .flat_map(|(function, voter)| {
            let fired = &fired;
            voter
                .iter()
                .enumerate()
                .filter(move |(rule, r)| r.kind == RuleKind::Pattern && !fired.contains(&(function, *rule)))
                .map(|(_, r)| r.source.as_ref())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(unfired.is_empty(), "no fixture request matches these default patterns: {unfired:#?}");
}

mod pattern_filter_properties {
    use proptest::prelude::*;

    use super::*;

    /// Words from the fixture (so that patterns' required strings occur and patterns match)
    /// mixed with arbitrary text, joined by spaces, punctuation and line breaks.
    fn request_text() -> impl Strategy<Value = String> {
        let words: Vec<String> = pattern_fixture()
            .iter()
            .flat_map(|(title, body)| {
                format!("{title} {body}").split_whitespace().map(str::to_owned).collect::<Vec<_>>()
            })
            .collect();
        let word = prop_oneof![4 => proptest::sample::select(words), 1 => "\\PC{0,8}"];
        let separator = proptest::sample::select(vec![" ", "  ", ", ", ". ", "\n", "-", ""]);
        proptest::collection::vec((word, separator), 0..40)
            .prop_map(|parts| parts.into_iter().map(|(word, separator)| word + separator).collect())
    }

    /// The default rules with and without the filter, compiled once for all cases.
    static CLASSIFIERS: std::sync::LazyLock<(Classifier, Classifier)> = std::sync::LazyLock::new(|| {
        let rules = RuleSet::default_rules();
        (Classifier::new(rules.clone()).unwrap(), Classifier::new(rules).unwrap().without_pattern_filter())
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn the_filter_never_changes_a_verdict(title in request_text(), body in request_text()) {
            let (filtered, reference) = &*CLASSIFIERS;
            let request = Request::with_title(title.as_str(), body.as_str());
            prop_assert_eq!(filtered.classify(&request), reference.classify(&request));
        }
    }
}

#[test]
fn unless_regexes_compiled_on_first_use_cancel_as_when_compiled_up_front() {
    let rules = RuleSet::from_yaml(SENSE_RULES, "senses.yaml").unwrap();
    let lazy = Classifier::for_few_requests(rules.clone(), ClassifyOptions::default()).unwrap();
    let eager = Classifier::new(rules).unwrap();
    for text in ["a POST request to the release endpoint fails", "please share the release on the blog"] {
        assert_eq!(lazy.classify_text(text), eager.classify_text(text), "{text}");
    }
    assert_eq!(lazy.classify_text("a POST request to the release endpoint fails").scores[1], 0.0);
    assert!(lazy.pattern_failure().is_none());
}

/// The literal of a term as `normalize_term` defines it, the slow way: the reference for
/// [`Term::parse_in`]'s shortcuts.
fn reference_literal(source: &str) -> String {
    normalize_term(source).trim_end_matches('*').trim_end().to_owned()
}

#[test]
fn a_term_parsed_in_a_scratch_buffer_gives_the_normalized_literal() {
    let mut scratch = Folded::default();
    for source in [
        "docs",
        "blog*",
        "  press release* ",
        "設定*",
        "설치 방법",
        "インストール",
        "設定  方法",
        "Привет",
        "ｲﾝｽﾄｰﾙ",
        "how do i",
        "Événement",
        "ＡＰＩ",
        "a  b",
        "x\ty",
        "ß*",
        "c++",
        "* ",
    ] {
        let (literal, term) = Term::parse_in(source, &mut scratch);
        assert_eq!(literal, reference_literal(source), "{source:?}");
        assert_eq!(term.prefix, normalize_term(source).ends_with('*'), "{source:?}");
    }
}

proptest::proptest! {
    #[test]
    fn any_term_parses_to_its_normalized_literal(source in "[ a-zA-Z*é\t.\u{3000}ぁ-んァ-ヶ一-龯가-힣ｱ-ﾝ-]{0,12}") {
        let mut scratch = Folded::default();
        let (literal, _) = Term::parse_in(&source, &mut scratch);
        proptest::prop_assert_eq!(literal, reference_literal(&source));
    }
}
