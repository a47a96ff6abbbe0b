//! Properties every verdict and every rule file must keep, checked on generated inputs
//! (proptest): determinism, honest match spans, monotone weights, parseable JSON, and a
//! `rules show` that loads back to the same rule set.

use std::sync::OnceLock;

use proptest::prelude::*;
use request_triage::output::json;
use request_triage::{Classifier, ClassifyOptions, Field, Request, RuleSet, Verdict};

use crate::support::triage;

/// The default rules without and with `--include-code`, built once for all cases.
fn default_classifiers() -> &'static [Classifier; 2] {
    static CLASSIFIERS: OnceLock<[Classifier; 2]> = OnceLock::new();
    CLASSIFIERS.get_or_init(build_default_classifiers)
}

/// A second pair built apart from [`default_classifiers`] (its own rule load and compile), so a
/// verdict that depended on state left over from earlier requests would show as a difference.
/// Building a pair per case cost 512 compiles of the default rules per run.
fn fresh_classifiers() -> &'static [Classifier; 2] {
    static CLASSIFIERS: OnceLock<[Classifier; 2]> = OnceLock::new();
    CLASSIFIERS.get_or_init(build_default_classifiers)
}

fn build_default_classifiers() -> [Classifier; 2] {
    let build = |include_code| {
        Classifier::with_options(RuleSet::default_rules(), ClassifyOptions { include_code })
            .expect("default rules compile")
    };
    [build(false), build(true)]
}

/// Pieces of request text: words the default rules know, case and whitespace variants, markdown
/// noise markers, characters whose lowercase changes length, and arbitrary text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "how do i", "How  Do\nI", "SDK", "docs", "tutorials", "Tutorial", "error", "errors:",
            "meetup", "MEETUP", "code of conduct", "blog post", "Blog Posts", "announcement",
            "newsletter", "api", "case study", "swag", "forum",
        ])
        .prop_map(str::to_owned),
        2 => prop::sample::select(vec![
            "```", "~~~", "<!--", "-->", "\n    ", "\n\t", "\n", " ", "\u{130}", "\u{df}", "\u{1e9e}",
            "\u{301}", "K", "\u{fb03}", "\u{0}", "\u{fffd}", "_", "*", "-",
        ])
        .prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "\\PC{0,12}",
    ]
}

fn request_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|pieces| pieces.join(" "))
}

/// Every match is inside its part, on character boundaries, and quotes exactly that text.
fn assert_honest_spans(request: &Request, verdict: &Verdict) -> Result<(), TestCaseError> {
    for found in &verdict.matches {
        let part = &request.parts()[found.part];
        let text: &str = &part.text;
        prop_assert!(found.start < found.end && found.end <= text.len(), "{found:?} in {text:?}");
        prop_assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end));
        prop_assert_eq!(&found.text, &text[found.start..found.end]);
        prop_assert_eq!(found.field, part.field);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn classification_is_deterministic(title in request_text(), body in request_text()) {
        let request = Request::with_title(title.as_str(), body.as_str());
        for (classifier, fresh) in default_classifiers().iter().zip(fresh_classifiers()) {
            let first = classifier.classify(&request);
            prop_assert_eq!(&first, &classifier.classify(&request));
            // A classifier that has seen other requests agrees with one built apart.
            prop_assert_eq!(&first, &fresh.classify(&request));
        }
    }

    #[test]
    fn match_spans_are_inside_the_input_on_char_boundaries(title in request_text(), body in request_text()) {
        let request = Request::with_title(title.as_str(), body.as_str());
        for classifier in default_classifiers() {
            let verdict = classifier.classify(&request);
            assert_honest_spans(&request, &verdict)?;
            prop_assert!(verdict.scores.iter().all(|s| s.is_finite() && *s >= 0.0));
        }
    }

    #[test]
    fn json_output_always_parses(text in request_text()) {
        for classifier in default_classifiers() {
            let verdict = classifier.classify_text(&text);
            let printed = serde_json::to_string(&json::verdict(&verdict, classifier.rules()))
                .expect("a verdict serializes");
            let parsed: serde_json::Value = serde_json::from_str(&printed).expect("verdict JSON parses");
            prop_assert_eq!(parsed["matches"].as_array().map(Vec::len), Some(verdict.matches.len()));
        }
    }
}

// ---- generated rule files ----

/// A generated function: unique terms with non-zero weights.
#[derive(Debug, Clone)]
struct GenFunction {
    terms: Vec<(String, f64)>,
}

const VOCABULARY: &[&str] = &[
    "sdk",
    "docs",
    "meetup",
    "blog",
    "launch",
    "forum",
    "error",
    "api",
    "swag",
    "talk",
    "how do",
    "case study",
];

fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![(-4_i32..=6).prop_filter("non-zero", |w| *w != 0).prop_map(f64::from), Just(0.5), Just(-0.25)]
}

fn function() -> impl Strategy<Value = GenFunction> {
    prop::sample::subsequence(VOCABULARY.to_vec(), 1..6)
        .prop_flat_map(|terms| {
            let count = terms.len();
            (Just(terms), prop::collection::vec(weight(), count))
        })
        .prop_map(|(terms, weights)| GenFunction {
            terms: terms.into_iter().map(str::to_owned).zip(weights).collect(),
        })
}

fn rule_file(functions: &[GenFunction], threshold: f64) -> String {
    let mut yaml = format!("version: 1\nthreshold: {threshold}\nfunctions:\n");
    for (index, function) in functions.iter().enumerate() {
        yaml.push_str(&format!("  - id: f{index}\n    keywords:\n"));
        for (term, weight) in &function.terms {
            yaml.push_str(&format!("      - {{ term: \"{term}\", weight: {weight} }}\n"));
        }
    }
    yaml
}

fn vocabulary_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => prop::sample::select(VOCABULARY.to_vec()), 1 => Just("and"), 1 => Just("DOCS")],
        0..12,
    )
    .prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn raising_a_rule_weight_never_lowers_its_function_score(
        functions in prop::collection::vec(function(), 1..4),
        pick in any::<prop::sample::Index>(),
        raise in prop_oneof![Just(0.5), Just(1.0), Just(3.0), Just(10.0)],
        title in vocabulary_text(),
        body in vocabulary_text(),
    ) {
        let slots: Vec<(usize, usize)> = functions
            .iter()
            .enumerate()
            .flat_map(|(f, function)| (0..function.terms.len()).map(move |t| (f, t)))
            .collect();
        let (f, t) = slots[pick.index(slots.len())];
        let mut raised = functions.clone();
        raised[f].terms[t].1 += raise;
        prop_assume!(raised[f].terms[t].1 != 0.0);

        let request = Request::with_title(title.as_str(), body.as_str());
        let score = |functions: &[GenFunction]| {
            let rules = RuleSet::from_yaml(&rule_file(functions, 2.0), "generated.yaml").expect("valid rules");
            Classifier::new(rules).expect("rules compile").classify(&request).scores[f]
        };
        let (before, after) = (score(&functions), score(&raised));
        prop_assert!(after >= before, "score of f{} fell from {} to {}", f, before, after);
    }

    #[test]
    fn fields_weigh_a_match_by_the_heaviest_field(term in prop::sample::select(VOCABULARY.to_vec())) {
        // The same term in title and body counts once, at the title's weight.
        let rules = RuleSet::from_yaml(&rule_file(&[GenFunction { terms: vec![(term.to_owned(), 1.0)] }], 1.0), "g.yaml")
            .expect("valid rules");
        let verdict = Classifier::new(rules).expect("compiles").classify(&Request::with_title(term, term));
        prop_assert_eq!(verdict.scores[0], 2.0);
        prop_assert!(verdict.matches.iter().any(|m| m.field == Field::Title));
    }
}

proptest! {
    // Each case runs the binary: keep the count small.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn rules_show_loads_back_to_the_same_rule_set(
        functions in prop::collection::vec(function(), 1..4),
        threshold in prop_oneof![Just(1.0), Just(2.0), Just(2.5)],
    ) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("rules.yaml");
        std::fs::write(&path, rule_file(&functions, threshold)).expect("write rules");
        let original = RuleSet::from_path(&path).expect("valid rules");
        let output = triage().arg("-r").arg(&path).args(["rules", "show"]).output().expect("run triage");
        prop_assert!(output.status.success());
        let shown = String::from_utf8(output.stdout).expect("UTF-8 output");
        let reloaded = RuleSet::from_yaml(&shown, &original.origin).expect("shown rules load");
        prop_assert_eq!(&reloaded.functions, &original.functions);
        prop_assert_eq!(
            (reloaded.threshold, reloaded.mixed_ratio, reloaded.title_weight, reloaded.body_weight),
            (original.threshold, original.mixed_ratio, original.title_weight, original.body_weight)
        );
        prop_assert_eq!(&reloaded.tests, &original.tests);
    }
}

#[test]
fn default_rules_show_loads_back_to_the_default_rule_set() {
    let output = triage().args(["rules", "show"]).output().expect("run triage");
    assert!(output.status.success());
    let shown = String::from_utf8(output.stdout).expect("UTF-8 output");
    let default = RuleSet::default_rules();
    let reloaded = RuleSet::from_yaml(&shown, &default.origin).expect("shown rules load");
    assert_eq!(reloaded.functions, default.functions);
    assert_eq!(reloaded.tests, default.tests);
    assert_eq!((reloaded.threshold, reloaded.mixed_ratio), (default.threshold, default.mixed_ratio));
}

// ---- what is listed adds up ----

/// Terms that overlap one another ("api key" holds "api" and "key"), so that one stretch of
/// text is matched by several rules of one function.
const OVERLAPPING: &[&str] = &[
    "api",
    "api key",
    "key",
    "key rotation",
    "rotation",
    "how do",
    "how do i",
    "do i",
    "sdk",
    "sdk docs",
    "docs",
    "meetup",
    "case study",
    "study",
];

/// Patterns that overlap the terms above, each with a name.
const OVERLAPPING_PATTERNS: &[&str] =
    &[r"\bapi\s+\w+", r"\b(sdk|api)\b", r"how\s+\w+", r"\bdocs?\b", r"\w+ study"];

/// A generated voter: unique terms and patterns with non-zero weights (negative ones too).
#[derive(Debug, Clone)]
struct GenVoter {
    terms: Vec<(String, f64)>,
    patterns: Vec<(String, f64)>,
}

fn voter() -> impl Strategy<Value = GenVoter> {
    let terms = prop::sample::subsequence(OVERLAPPING.to_vec(), 0..7);
    let patterns = prop::sample::subsequence(OVERLAPPING_PATTERNS.to_vec(), 0..3);
    (terms, patterns)
        .prop_filter("a voter needs a rule", |(t, p)| !t.is_empty() || !p.is_empty())
        .prop_flat_map(|(terms, patterns)| {
            let (t, p) = (terms.len(), patterns.len());
            (
                Just(terms),
                Just(patterns),
                prop::collection::vec(weight(), t),
                prop::collection::vec(weight(), p),
            )
        })
        .prop_map(|(terms, patterns, tw, pw)| GenVoter {
            terms: terms.into_iter().map(str::to_owned).zip(tw).collect(),
            patterns: patterns.into_iter().map(str::to_owned).zip(pw).collect(),
        })
}

fn voter_yaml(voter: &GenVoter, indent: &str) -> String {
    let mut yaml = String::new();
    if !voter.terms.is_empty() {
        yaml.push_str(&format!("{indent}keywords:\n"));
        for (term, weight) in &voter.terms {
            yaml.push_str(&format!("{indent}  - {{ term: \"{term}\", weight: {weight} }}\n"));
        }
    }
    if !voter.patterns.is_empty() {
        yaml.push_str(&format!("{indent}patterns:\n"));
        for (index, (regex, weight)) in voter.patterns.iter().enumerate() {
            yaml.push_str(&format!("{indent}  - {{ regex: '{regex}', weight: {weight}, name: p{index} }}\n"));
        }
    }
    yaml
}

fn overlapping_rule_file(functions: &[GenVoter], none: Option<&GenVoter>, title_weight: f64) -> String {
    let mut yaml = format!(
        "version: 1\nthreshold: 2\nsingle_rule_threshold: 3\nfields: {{ title: {title_weight}, body: 1 }}\n"
    );
    if let Some(none) = none {
        yaml.push_str("none:\n");
        yaml.push_str(&voter_yaml(none, "  "));
    }
    yaml.push_str("functions:\n");
    for (index, function) in functions.iter().enumerate() {
        yaml.push_str(&format!("  - id: f{index}\n"));
        yaml.push_str(&voter_yaml(function, "    "));
    }
    yaml
}

fn overlapping_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(OVERLAPPING.to_vec()), 1 => Just("and"), 1 => Just("API KEY")],
        0..14,
    )
    .prop_map(|words| words.join(" "))
}

/// `id -> sum of points` read back from a reasons string: `f1: "api key"(+4 title x2) p0(-1)`.
fn reasons_sums(reasons: &str) -> std::collections::BTreeMap<String, f64> {
    let item =
        regex::Regex::new(r#"(?:"[^"]*"|\S+?)\(([+-][0-9.]+)(?: \w+ x[0-9.]+)?\)"#).expect("valid regex");
    let mut sums = std::collections::BTreeMap::new();
    for group in reasons.split("; ").filter(|g| !g.is_empty()) {
        let (id, items) = group.split_once(": ").expect("a group starts with its function");
        let total: f64 = item.captures_iter(items).map(|c| c[1].parse::<f64>().expect("points")).sum();
        sums.insert(id.to_owned(), total);
    }
    sums
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// For any rule file and any request, what is listed is what counted and it adds up: the
    /// listed contributions of each function (library, reasons, JSON), floored at 0, give its score.
    #[test]
    fn listed_contributions_floored_at_zero_add_up_to_each_score(
        functions in prop::collection::vec(voter(), 1..4),
        none in prop::option::of(voter()),
        title_weight in prop_oneof![Just(1.0), Just(2.0), Just(0.5)],
        title in overlapping_text(),
        body in overlapping_text(),
    ) {
        let yaml = overlapping_rule_file(&functions, none.as_ref(), title_weight);
        let rules = RuleSet::from_yaml(&yaml, "generated.yaml")
            .expect("valid rules");
        let classifier = Classifier::new(rules).expect("rules compile");
        let request = Request::with_title(title.as_str(), body.as_str());
        let verdict = classifier.classify(&request);
        let rules = classifier.rules();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
        let reasons = reasons_sums(&request_triage::output::reasons(&verdict, rules));
        let printed = json::verdict(&verdict, rules);
        // Every function, then the `none:` block.
        let voters: Vec<(usize, f64)> = verdict.scores.iter().copied().enumerate()
            .chain(std::iter::once((rules.none_index(), verdict.none_score)))
            .collect();
        for (function, score) in voters {
            let listed: f64 = verdict.contributions.iter().filter(|c| c.function == function).map(|c| c.points).sum();
            prop_assert!(close(listed.max(0.0), score), "f{}: listed {} vs score {}", function, listed, score);
            prop_assert!(close(listed + verdict.floor(function), score), "floor makes it add up");
            let id = rules.voter_id(function);
            let from_reasons = reasons.get(id).copied().unwrap_or(0.0);
            prop_assert!(close(from_reasons, score) || close(from_reasons, 0.0) && close(score, 0.0),
                "reasons of {} add up to {} but the score is {}", id, from_reasons, score);
            let from_json: f64 = printed["matches"].as_array().expect("matches").iter()
                .filter(|m| m["function"] == id)
                .map(|m| m["points"].as_f64().expect("points"))
                .sum::<f64>() + printed["floor"][id].as_f64().unwrap_or(0.0);
            prop_assert!(close(from_json, score), "JSON of {} adds up to {} but the score is {}", id, from_json, score);
        }
        // Each contribution shows the match that counted; a match that did not count added nothing.
        for contribution in &verdict.contributions {
            let found = verdict.evidence(contribution).expect("a contribution has its match");
            prop_assert!(found.counted());
            prop_assert_eq!((found.function, found.rule, found.field), (contribution.function, contribution.rule, contribution.field));
        }
        let counted = verdict.matches.iter().filter(|m| m.counted()).count();
        prop_assert_eq!(counted, verdict.contributions.len());
        // Counter-evidence is listed only against a function that has evidence.
        for contribution in verdict.contributions.iter().filter(|c| c.points < 0.0) {
            prop_assert!(verdict.contributions.iter().any(|c| c.function == contribution.function && c.points > 0.0));
        }
    }
}

// ---- batch ----

/// A generated table row: cell text with delimiters, quotes, newlines and Unicode, or a ragged
/// row with too few fields (an error row, which must still come out in its place).
#[derive(Debug, Clone)]
enum GenRow {
    Full { title: String, body: String },
    Ragged,
}

fn cell() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(vec!["how do i", "sdk", "meetup", "blog post", "docs", ",", "\"", "\n", "\r\n", "\t", " ", "é", "\u{130}"])
                .prop_map(str::to_owned),
            1 => "\\PC{0,8}",
        ],
        0..10,
    )
    .prop_map(|pieces| pieces.concat())
}

fn gen_rows() -> impl Strategy<Value = Vec<GenRow>> {
    prop::collection::vec(
        prop_oneof![
            8 => (cell(), cell()).prop_map(|(title, body)| GenRow::Full { title, body }),
            1 => Just(GenRow::Ragged),
        ],
        0..40,
    )
}

fn batch_output(input: &[u8], name: &str) -> (Option<i32>, Vec<u8>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, input).expect("write input");
    let output = triage().arg("-q").arg("batch").arg(&path).output().expect("run triage");
    (output.status.code(), output.stdout)
}

proptest! {
    // Each case runs the binary: keep the count small.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn batch_csv_output_has_one_row_per_record_in_order(rows in gen_rows()) {
        let mut input = b"id,title,body\n".to_vec();
        for (index, row) in rows.iter().enumerate() {
            match row {
                GenRow::Full { title, body } => {
                    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
                    writer.write_record([index.to_string().as_str(), title, body]).expect("write CSV");
                    input.extend(writer.into_inner().expect("flush CSV"));
                }
                GenRow::Ragged => input.extend(format!("{index},ragged\n").into_bytes()),
            }
        }
        let (code, stdout) = batch_output(&input, "rows.csv");
        let has_errors = rows.iter().any(|row| matches!(row, GenRow::Ragged));
        prop_assert_eq!(code, Some(if has_errors { 1 } else { 0 }));
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(stdout.as_slice());
        let ids: Vec<String> = reader.records().map(|r| r.expect("output is CSV")[0].to_owned()).collect();
        let expected: Vec<String> = (0..rows.len()).map(|i| i.to_string()).collect();
        prop_assert_eq!(ids, expected);
    }

    #[test]
    fn batch_jsonl_output_has_one_row_per_record_in_order(rows in gen_rows()) {
        let mut input = Vec::new();
        for (index, row) in rows.iter().enumerate() {
            let line = match row {
                GenRow::Full { title, body } => serde_json::json!({ "id": index, "title": title, "body": body }).to_string(),
                GenRow::Ragged => format!("{{\"id\": {index}, \"body\": "),
            };
            input.extend(line.into_bytes());
            input.push(b'\n');
        }
        let (_, stdout) = batch_output(&input, "rows.jsonl");
        let text = String::from_utf8(stdout).expect("UTF-8 output");
        let lines: Vec<serde_json::Value> =
            text.lines().map(|line| serde_json::from_str(line).expect("each line is JSON")).collect();
        prop_assert_eq!(lines.len(), rows.len());
        for (index, (line, row)) in lines.iter().zip(&rows).enumerate() {
            match row {
                GenRow::Full { .. } => prop_assert_eq!(&line["id"], &serde_json::json!(index)),
                GenRow::Ragged => prop_assert_eq!(&line["status"], "error"),
            }
        }
    }
}
