//! Integration tests: the shipped rule set (`rules/default.yaml`) is a product, so its size,
//! its self-tests and its answers to everyday requests are checked like any other behaviour.

use crate::support::{eval_report, triage};
use predicates::prelude::*;
use request_triage::classify::{Classifier, NoOwner, Request, Status};
use request_triage::rules::{RuleKind, RuleSet};

/// The owner id `triage --format json` gives for a request passed as arguments.
fn owner_of(text: &str) -> serde_json::Value {
    let output = triage().args(["--format", "json", text]).output().expect("triage runs");
    assert!(output.status.success(), "triage failed on {text:?}: {output:?}");
    let verdict: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON verdict");
    verdict["owner"].clone()
}

#[test]
fn every_function_has_a_real_vocabulary_labels_and_examples() {
    let rules = RuleSet::default_rules();
    let ids: Vec<&str> = rules.functions.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["marketing", "community", "devrel"]);
    for function in &rules.functions {
        let keywords = function.rules.iter().filter(|r| r.kind == RuleKind::Keyword).count();
        let patterns = function.rules.iter().filter(|r| r.kind == RuleKind::Pattern).count();
        assert!(keywords >= 60, "{} has only {keywords} keywords", function.id);
        assert!(patterns >= 10, "{} has only {patterns} patterns", function.id);
        assert!(function.rules.iter().any(|r| r.weight < 0.0), "{} has no counter-evidence", function.id);
        assert!(function.labels.len() >= 5, "{} owns too few labels", function.id);
        assert!(function.examples.len() >= 5, "{} has too few examples", function.id);
    }
    assert!(rules.tests.len() >= 20, "the default rules need their own test cases");
}

#[test]
fn labels_name_one_function_each() {
    let rules = RuleSet::default_rules();
    let mut seen = std::collections::BTreeMap::new();
    for function in &rules.functions {
        for label in &function.labels {
            assert_eq!(label, &label.to_lowercase(), "labels are lowercase: {label}");
            if let Some(other) = seen.insert(label.clone(), function.id.clone()) {
                panic!("label {label:?} is owned by both {other} and {}", function.id);
            }
        }
    }
    assert_eq!(seen.get("bug").map(String::as_str), Some("devrel"));
    assert_eq!(seen.get("code of conduct").map(String::as_str), Some("community"));
    assert_eq!(seen.get("blog").map(String::as_str), Some("marketing"));
}

#[test]
fn rules_test_passes_on_the_embedded_rules() {
    triage().args(["rules", "test"]).assert().success().stdout(predicate::str::contains(" passed, 0 failed"));
}

#[test]
fn rules_check_finds_no_term_shared_between_functions() {
    triage()
        .args(["rules", "check"])
        .assert()
        .success()
        .stdout(predicate::str::contains(" rules, 0 warnings"));
}

#[test]
fn the_documented_examples_route_as_promised() {
    let devrel = triage()
        .write_stdin("How do I authenticate with the Python SDK? I keep getting a 401\n")
        .args(["--format", "json"])
        .output()
        .expect("triage runs");
    let verdict: serde_json::Value = serde_json::from_slice(&devrel.stdout).expect("JSON verdict");
    assert_eq!(verdict["owner"], "devrel");
    assert_eq!(verdict["status"], "assigned");

    assert_eq!(owner_of("Can we announce the 2.0 launch on the blog and in the newsletter?"), "marketing");
    assert_eq!(owner_of("Is there a meetup in Lisbon this spring?"), "community");
    assert_eq!(owner_of("We want to start a user group for people in our city"), "community");
    assert_eq!(owner_of("Is there an official forum where I can talk to other users?"), "community");
    assert_eq!(owner_of("I need to report a code of conduct violation from the chat"), "community");
}

#[test]
fn counter_evidence_keeps_misleading_words_from_deciding() {
    let classifier = Classifier::new(RuleSet::default_rules()).expect("default rules compile");
    let owner = |title: &str, body: &str| {
        let verdict = classifier.classify(&Request::with_title(title, body));
        verdict.owner.map(|index| classifier.rules().functions[index].id.clone())
    };
    // A bug template's "I agree to follow the Code of Conduct" and "ask on Discord" lines are
    // boilerplate; the request is still a bug report.
    assert_eq!(
        owner(
            "Upload hangs forever",
            "Steps to reproduce: call upload with a 2 GB file.\n\
             - [x] I agree to follow this project's Code of Conduct\n\
             For questions, please join our Discord server instead.",
        )
        .as_deref(),
        Some("devrel")
    );
    // Sponsoring or promoting a meetup is Marketing's part of the event.
    assert_eq!(
        owner("Sponsor the meetup", "We can pay for the venue if our banner and swag are there").as_deref(),
        Some("marketing")
    );
    // An event API is technical, not an event.
    assert_eq!(
        owner("Events endpoint returns 500", "The API fails for past events").as_deref(),
        Some("devrel")
    );
}

#[test]
fn chit_chat_has_no_owner() {
    let classifier = Classifier::new(RuleSet::default_rules()).expect("default rules compile");
    for text in ["thanks!", "Any news?", "ok", "Looks good to me"] {
        assert_eq!(classifier.classify(&Request::body(text)).status, Status::Unassigned, "{text:?}");
    }
}

/// A request that belongs to no function comes out unassigned with the `none:` rule that says
/// why named in its evidence: one request per rule, written for this test.
#[test]
fn not_ours_names_its_reason() {
    let classifier = Classifier::new(RuleSet::default_rules()).expect("default rules compile");
    let rules = classifier.rules();
    let none = rules.none_index();
    let cases = [
        ("", "is it normal that buying a team subscription takes two days?", "buying a subscription"),
        ("", "can I still get into the escrow for the token sale?", "escrow"),
        ("", "what's the going rate for the coin this week?", "going rate"),
        ("", "did they ever lower the withdrawal fee on that exchange?", "withdrawal fee*"),
        ("", "I applied last week, here is my updated resume in case it helps", "CV"),
        ("", "recruiters keep writing to me about this project", "recruiter*"),
        ("", "we'd like to bring on a contractor for a month", "looking to hire"),
        ("", "what is your hourly rate for a custom integration?", "paid work"),
        ("Order no. 5521", "still waiting for it", "shop order"),
        ("", "no tracking number yet and I ordered on Monday", "tracking number"),
        ("Out of office", "Back on 3 June.", "out of office"),
        ("", "do you take PayPal?", "paypal"),
        ("", "do I need a VAT number to buy stickers?", "vat number"),
        ("", "any coupon for the hosted plan?", "coupon*"),
        ("", "what are the terms of use of the public demo server?", "terms of use"),
        ("GPL license compatibility", "", "licence terms"),
        ("", "a quick question about licensing before we ship", "licensing"),
        ("[JOB] Site reliability engineer", "", "job tag"),
        ("", "where do you all look for remote Haskell jobs?", "job hunting"),
    ];
    for (title, body, rule) in cases {
        let verdict = classifier.classify(&Request::with_title(title, body));
        let reasons: Vec<&str> = verdict
            .contributions
            .iter()
            .filter(|c| c.function == none)
            .map(|c| rules.rule(none, c.rule).name.as_ref())
            .collect();
        assert_eq!(verdict.no_owner, Some(NoOwner::NotOurs), "{title:?} {body:?}: {reasons:?}");
        assert!(reasons.contains(&rule), "{title:?} {body:?}: {rule:?} not in {reasons:?}");
    }
}

/// The same words in a technical sense (a licence key, a copyright year, build jobs, resuming a
/// sync) or about volunteers are the functions' business: no `none:` rule counts on them.
#[test]
fn money_law_and_job_words_in_another_sense_are_no_evidence_of_no_owner() {
    let classifier = Classifier::new(RuleSet::default_rules()).expect("default rules compile");
    for text in [
        "where does the license key go in the config file?",
        "the licence file is missing from the wheel",
        "bump the copyright year in the docs footer",
        "how do I find stuck jobs in the queue?",
        "we want to recruit more volunteers to mentor newcomers",
        "can I resume the sync after a crash?",
    ] {
        let verdict = classifier.classify(&Request::body(text));
        assert_eq!(verdict.none_score, 0.0, "{text:?}: {:?}", verdict.contributions);
    }
}

/// `tests/fixtures/eval/unseen.csv`: 60 requests (20 per function) written for this test after
/// the rules, in other words than the rule file's, and never tuned for. 58 route right today;
/// the bar leaves room for a trade-off but catches a rule change that breaks generalisation.
#[test]
fn requests_written_apart_from_the_rules_route_right() {
    let report = eval_report("eval/unseen.csv", &[], "0.93", 60);
    assert!(report["coverage"].as_f64().unwrap() >= 0.95, "too many unassigned: {}", report["unassigned"]);
    for function in ["marketing", "community", "devrel"] {
        let f1 = report["per_function"][function]["f1"].as_f64().unwrap();
        assert!(f1 >= 0.9, "F1 of {function} is {f1}");
    }
}

/// `tests/fixtures/eval/channels.csv`: 103 requests written the way people ask in chat, forums,
/// mailing lists, Q&A sites and email (short, often untitled, no ticket vocabulary), a quarter of
/// them for no function (jobs, contracts, licences, donations, invoices, unsubscribes). Written
/// for issue 9 while the channel phrasing and the `none:` block were added to the rules (rows
/// n01-n10 with the second round), so this guards that phrasing; it does not measure
/// generalisation (README.md gives the held-out figures on real requests).
#[test]
fn requests_written_as_in_chat_forums_and_lists_route_right() {
    let report = eval_report("eval/channels.csv", &["--label-column", "owner"], "0.9", 103);
    for function in ["marketing", "community", "devrel"] {
        let recall = report["per_function"][function]["recall"].as_f64().unwrap();
        assert!(recall >= 0.95, "recall of {function} is {recall}");
    }
}

/// `tests/fixtures/eval/channels-unseen.csv`: 200 requests in chat, forum, list, Q&A and email
/// style (51 Marketing, 50 Community, 50 DevRel, 49 for no function), written in five batches
/// of 40 and classified before any rule was changed for them: 35, 31, 26, 26 and 34 right at
/// first sight
/// (one trademark question, first labelled "no function", is Marketing's brand use as logo-use
/// questions are in the labelled data). The misses were then covered with general phrasing; the
/// bar catches a change that loses that phrasing. Four stay missed: volunteer shifts at a booth
/// (the rules give booths to Marketing), two domain questions with no general cue and a request
/// to print a screenshot in a textbook.
#[test]
fn channel_requests_written_before_the_rules_saw_them_route_right() {
    let report = eval_report(
        "eval/channels-unseen.csv",
        &["--label-column", "owner", "--group-column", "channel"],
        "0.95",
        200,
    );
    for function in ["marketing", "community", "devrel"] {
        let recall = report["per_function"][function]["recall"].as_f64().unwrap();
        assert!(recall >= 0.9, "recall of {function} is {recall}");
    }
}

/// The header's weight scale names example terms at a weight; each must be a keyword of that
/// weight in the real file, so the header cannot drift from the weights people change.
#[test]
fn the_header_names_each_example_term_at_its_real_weight() {
    let rules = request_triage::RuleSet::default_rules();
    let scale_start =
        rules.source.find("# The weight scale used below").expect("the header states the scale");
    let mut weight: Option<f64> = None;
    let mut checked = 0;
    let scale = rules.source[scale_start..].lines().skip(1).skip_while(|line| !line.starts_with("#   "));
    for line in scale {
        let Some(text) = line.strip_prefix("#   ") else { break };
        let head = text.split_whitespace().next().unwrap_or("");
        if let Ok(value) = head.parse::<f64>() {
            weight = Some(value);
        } else if !text.starts_with("     ") {
            weight = None; // `<0` and anything else: not a keyword weight line
        }
        let Some(weight) = weight else { continue };
        for term in text.split('"').skip(1).step_by(2) {
            let found: Vec<f64> = rules
                .functions
                .iter()
                .flat_map(|f| &f.rules)
                .filter(|rule| rule.source == term)
                .map(|rule| rule.weight)
                .collect();
            assert_eq!(found, [weight], "the header puts {term:?} at {weight}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} terms found in the header's scale");
}
