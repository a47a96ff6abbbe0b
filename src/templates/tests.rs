//! Unit tests of template parsing and findings.

use super::*;
use crate::classify::Classifier;
use crate::rules::RuleSet;

const RULES: &str = r#"
version: 1
functions:
  - id: marketing
    name: Marketing
    focus: attention
    labels: [blog, Announcement]
    keywords: [{ term: blog, weight: 2 }, { term: launch, weight: 2 }]
  - id: community
    name: Community
    focus: connection
    labels: [event]
    keywords: [{ term: meetup, weight: 3 }, { term: forum, weight: 2 }]
  - id: devrel
    name: DevRel
    focus: enablement
    labels: [bug, docs]
    keywords: [{ term: sdk, weight: 2 }, { term: docs, weight: 2 }]
"#;

fn classifier() -> Classifier {
    Classifier::new(RuleSet::from_yaml(RULES, "test").unwrap()).unwrap()
}

fn codes(file: &str, text: &str) -> Vec<(Code, usize, usize)> {
    let template = parse(file, text);
    check(&template, text, &classifier())
        .iter()
        .flat_map(|c| c.findings.iter().map(|f| (f.code, f.line, f.column)))
        .collect()
}

fn at(line: usize, column: usize) -> Location {
    Location { line, column }
}

#[test]
fn kind_follows_the_file_name() {
    assert_eq!(Kind::of(Path::new("a/bug.md")), Kind::Markdown);
    assert_eq!(Kind::of(Path::new("a/bug.YML")), Kind::Form);
    assert_eq!(Kind::of(Path::new("a/config.yml")), Kind::Config);
    assert_eq!(Kind::of(Path::new("a/config.yaml")), Kind::Config);
    assert_eq!(Kind::of(Path::new("a/notes.txt")), Kind::Text);
}

#[test]
fn front_matter_fields_become_title_parts_and_the_body_stays_verbatim() {
    let text = "---\nname: SDK help\nabout: Ask about the docs\ntitle: '[sdk] '\nlabels: bug, docs\n---\n\nBody text\n";
    let template = parse("x.md", text);
    let request = &template.requests[0];
    let parts: Vec<_> = request.parts.iter().map(|p| (p.what.as_str(), p.field, p.at.line)).collect();
    assert_eq!(
        parts,
        [
            ("name", Field::Title, 2),
            ("about", Field::Title, 3),
            ("title", Field::Title, 4),
            ("body", Field::Body, 8)
        ]
    );
    let body = request.parts.last().unwrap();
    assert_eq!(&text[body.verbatim.unwrap()..], body.text);
    let labels: Vec<_> = template.labels.iter().map(|l| (l.name.as_str(), l.at)).collect();
    assert_eq!(labels, [("bug", at(5, 9)), ("docs", at(5, 14))]);
    assert_eq!(request.name.as_deref(), Some("SDK help"));
}

#[test]
fn front_matter_yaml_errors_point_at_the_line_of_the_md_file() {
    let template = parse("x.md", "---\nname: a\nabout: b\nlabels: [x\n---\nbody\n");
    assert_eq!(template.problems.len(), 1);
    assert!(template.problems[0].message.starts_with("invalid YAML"));
    assert_eq!(template.problems[0].at.line, 5, "{:?}", template.problems[0]);
}

#[test]
fn front_matter_that_is_never_closed_is_broken() {
    let template = parse("x.md", "---\nname: a\nabout: b\n\nbody\n");
    assert!(template.problems[0].message.contains("never closed"));
    assert!(template.requests.is_empty());
}

#[test]
fn markdown_without_front_matter_is_all_body_and_crlf_fences_close() {
    let template = parse("x.md", "Just text about the sdk\n");
    assert!(template.problems.is_empty());
    assert_eq!(template.requests[0].parts.len(), 1);
    let template = parse("x.md", "---\r\nname: a\r\nabout: b\r\n---\r\nbody\r\n");
    assert!(template.problems.is_empty(), "{:?}", template.problems);
}

#[test]
fn front_matter_without_about_is_broken() {
    let template = parse("x.md", "---\nname: a\n---\nbody\n");
    assert_eq!(template.problems.len(), 1);
    assert!(template.problems[0].message.contains("`about`"));
}

const FORM: &str = "\
name: SDK bug
description: Report a bug in the SDK
labels: [bug]
body:
  - type: markdown
    attributes:
      value: Thanks!
  - type: input
    id: version
    attributes:
      label: Version
      placeholder: '1.2'
  - type: dropdown
    id: os
    attributes:
      label: OS
      options: [Linux, macOS]
  - type: checkboxes
    id: terms
    attributes:
      label: Terms
      options:
        - label: I read the docs
  - type: textarea
    id: logs
    attributes:
      label: Logs
      value: meetup meetup
      render: shell
";

#[test]
fn a_valid_form_has_no_problems_and_every_text_is_located() {
    let template = parse("bug.yml", FORM);
    assert!(template.problems.is_empty(), "{:?}", template.problems);
    let parts: Vec<_> =
        template.requests[0].parts.iter().map(|p| (p.what.as_str(), p.at.line, p.text.as_str())).collect();
    assert_eq!(
        parts,
        [
            ("name", 1, "SDK bug"),
            ("description", 2, "Report a bug in the SDK"),
            ("body[1].value", 7, "Thanks!"),
            ("body[2].label", 11, "Version"),
            ("body[2].placeholder", 12, "1.2"),
            ("body[3].label", 16, "OS"),
            ("body[3].options", 17, "Linux"),
            ("body[3].options", 17, "macOS"),
            ("body[4].label", 21, "Terms"),
            ("body[4].options", 23, "I read the docs"),
            ("body[5].label", 27, "Logs"),
        ]
    );
    assert_eq!(template.labels[0].at, at(3, 10));
}

fn form_problems(text: &str) -> Vec<String> {
    parse("f.yml", text).problems.into_iter().map(|p| format!("{}: {}", p.at.line, p.message)).collect()
}

#[test]
fn forms_github_rejects_are_broken() {
    let problems = form_problems(
        "name: x\nextra: 1\nbody:\n  - type: input\n    id: a\n    attributes:\n      description: d\n  \
         - type: textarea\n    id: a\n    attributes:\n      label: l\n  - type: dropdown\n    attributes:\n      \
         label: l\n      options: []\n  - type: radio\n    attributes:\n      label: r\n",
    );
    let expected = [
        "1: the form has no `description`",
        "2: unknown top-level key `extra`",
        "4: input body element 1 has no `label`",
        "9: id `a` is used twice (first on line 5)",
        "15: `options` of body element 3 (dropdown) must be a non-empty list",
        "16: body element 4 has an unknown type `radio`",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (problem, start) in problems.iter().zip(expected) {
        assert!(problem.starts_with(start), "{problem} should start with {start}");
    }
}

#[test]
fn a_form_of_markdown_only_or_with_no_body_is_broken() {
    let problems = form_problems(
        "name: x\ndescription: y\nbody:\n  - type: markdown\n    attributes:\n      value: hi\n",
    );
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("only markdown"));
    let problems = form_problems("name: x\ndescription: y\n");
    assert!(problems[0].contains("no `body`"));
    let problems = form_problems("");
    assert!(problems[0].contains("empty"));
    let problems = form_problems("name: x\ndescription: y\nbody:\n  - type: checkboxes\n    attributes:\n      label: c\n      options:\n        - required: true\n");
    assert!(problems[0].contains("has no `label`"), "{problems:?}");
}

#[test]
fn form_yaml_errors_keep_their_location() {
    let template = parse("f.yml", "name: x\ndescription: y\nbody: [\n");
    assert_eq!(template.problems.len(), 1);
    assert!(template.problems[0].at.line >= 3, "{:?}", template.problems);
}

#[test]
fn each_contact_link_is_a_request_with_its_own_directive() {
    let text = "contact_links:\n  # triage: community\n  - name: Forum\n    url: https://x\n    about: The forum\n  \
                - name: Docs # triage: devrel\n    url: https://y\n    about: The docs\n";
    let template = parse("config.yml", text);
    assert!(template.problems.is_empty(), "{:?}", template.problems);
    let links: Vec<_> = template
        .requests
        .iter()
        .map(|r| (r.name.clone().unwrap(), r.at.line, r.directive.as_ref().map(|d| d.id.clone())))
        .collect();
    assert_eq!(
        links,
        [("Forum".into(), 3, Some("community".into())), ("Docs".into(), 6, Some("devrel".into()))]
    );
    assert!(template.requests[0].parts.iter().all(|p| p.field == Field::Title));
}

#[test]
fn config_structure_errors_are_broken() {
    let template =
        parse("config.yml", "blank_issues_enabled: maybe\ncontact_links:\n  - name: x\n  - 3\nother: 1\n");
    let messages: Vec<_> = template.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(parse("config.yml", "").problems.is_empty());
}

#[test]
fn two_directives_are_a_problem() {
    let template = parse("x.md", "<!-- triage: devrel -->\n<!-- triage: marketing -->\n");
    assert_eq!(template.directive.as_ref().unwrap().id, "devrel");
    assert_eq!(template.problems.len(), 1);
    let template = parse("x.md", "---\nname: a # triage: devrel\nabout: b\n---\nbody\n");
    assert_eq!(template.directive.as_ref().unwrap().at, at(2, 9));
}

#[test]
fn labels_of_two_functions_conflict_unless_a_directive_settles_it() {
    let text = "---\nname: Meetup blog\nabout: a meetup\nlabels: [Event, BLOG]\n---\n";
    assert_eq!(codes("x.md", text), [(Code::LabelConflict, 4, 17)]);
    let settled = text.replace("---\n\n", "---\n").to_owned() + "<!-- triage: community -->\n";
    assert_eq!(codes("x.md", &settled), []);
}

#[test]
fn labels_that_disagree_with_the_text_are_a_mismatch_at_the_label() {
    assert_eq!(codes("x.md", "---\nname: SDK docs\nabout: x\nlabels: blog\n---\n"), [(Code::Mismatch, 4, 9)]);
    assert_eq!(codes("x.md", "---\nname: SDK docs\nabout: x\nlabels: DOCS\n---\n"), []);
    // Labels no function claims set no expectation.
    assert_eq!(codes("x.md", "---\nname: SDK docs\nabout: x\nlabels: triage\n---\n"), []);
}

#[test]
fn the_directive_wins_over_labels() {
    let text = "name: SDK docs # triage: marketing\ndescription: the sdk\nlabels: [docs]\nbody:\n  - type: input\n    attributes:\n      label: x\n";
    let template = parse("f.yml", text);
    let checked = check(&template, text, &classifier());
    let expected = checked[0].expected.as_ref().unwrap();
    assert_eq!((expected.function, expected.source), (Some(0), ExpectedSource::Directive));
    assert_eq!(checked[0].findings[0].code, Code::Mismatch);
    assert_eq!((checked[0].findings[0].line, checked[0].findings[0].column), (1, 16));
}

#[test]
fn mixed_points_at_the_text_that_decided_and_unassigned_is_a_warning() {
    let text = "---\nname: Hello\nabout: x\n---\n\nA blog post\nabout the meetup launch\n";
    let template = parse("x.md", text);
    let checked = check(&template, text, &classifier());
    let finding = &checked[0].findings[0];
    assert_eq!((finding.code, finding.level), (Code::Mixed, Level::Error));
    // Marketing (blog 2 + launch 2) leads Community (meetup 3); its first rule matched on line 6.
    assert_eq!((finding.line, finding.column), (6, 3));
    let quiet = codes("x.md", "---\nname: Hello\nabout: x\n---\nnothing here\n");
    assert_eq!(quiet, [(Code::Unassigned, 2, 7)]);
    assert_eq!(Code::Unassigned.level(), Level::Warning);
}

#[test]
fn an_unknown_directive_is_broken() {
    let found = codes("x.md", "<!-- triage: sales -->\nSDK docs\n");
    assert_eq!(found, [(Code::Broken, 1, 1)]);
}

#[test]
fn an_unassigned_directive_marks_a_template_no_function_owns() {
    // A blank issue: its text routes nowhere, and that is what the directive asks for.
    let blank =
        "---\nname: Blank issue\nabout: anything else\nlabels: docs\n---\n<!-- triage: unassigned -->\n";
    assert_eq!(codes("x.md", blank), []);
    let checked = check(&parse("x.md", blank), blank, &classifier());
    let expected = checked[0].expected.as_ref().unwrap();
    assert_eq!((expected.function, expected.source), (None, ExpectedSource::Directive));
    // Text that routes to a function contradicts the directive: a mismatch at the directive.
    let routed = "# triage: Unassigned\nname: SDK docs\ndescription: x\nbody:\n  - type: input\n    attributes:\n      label: x\n";
    let checked = check(&parse("f.yml", routed), routed, &classifier());
    assert_eq!(checked[0].findings.len(), 1, "{:?}", checked[0].findings);
    let finding = &checked[0].findings[0];
    assert_eq!((finding.code, finding.line, finding.column), (Code::Mismatch, 1, 1));
    assert!(
        finding.message.contains("expects no owner but the text routes to DevRel"),
        "{}",
        finding.message
    );
}

#[test]
fn an_unassigned_directive_applies_to_one_contact_link() {
    let config = "contact_links:\n  # triage: unassigned\n  - name: Report a vulnerability\n    url: https://example.org/security\n    about: Write to us privately\n  - name: Forum\n    url: https://example.org/forum\n    about: Ask on the forum\n";
    // Without the directive the security link would be an `unassigned` warning.
    assert_eq!(codes("config.yml", config), []);
    let without = config.replace("  # triage: unassigned\n", "");
    assert_eq!(codes("config.yml", &without), [(Code::Unassigned, 2, 5)]);
}

#[test]
fn unreadable_yaml_still_yields_one_checked_entry() {
    let text = "name: [\n";
    let checked = check(&parse("f.yml", text), text, &classifier());
    assert_eq!(checked.len(), 1);
    assert!(checked[0].verdict.is_none());
    assert_eq!(checked[0].findings[0].code, Code::Broken);
}

#[test]
fn hostile_yaml_is_a_problem_not_a_crash() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        bomb.push_str(&format!(
            "{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n",
            (b'a' + level) as char,
            (b'a' + level) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char,
            (b'a' + level - 1) as char
        ));
    }
    let template = parse("f.yml", &bomb);
    assert!(!template.problems.is_empty());
    let deep = "[".repeat(100_000);
    assert!(!parse("f.yml", &deep).problems.is_empty());
    assert!(!parse("x.md", &format!("---\n{deep}\n---\n")).problems.is_empty());
}

#[test]
fn an_oversized_template_is_broken_without_parsing() {
    let text = "a".repeat(MAX_TEMPLATE_BYTES + 1);
    let template = parse("x.md", &text);
    assert!(template.requests.is_empty());
    assert!(template.problems[0].message.contains("larger than"));
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    /// Text built from the pieces templates are made of, so the parsers get past the first line.
    fn template_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "---\n",
            "name: ",
            "about: ",
            "labels: ",
            "body:\n",
            "  - type: input\n",
            "    id: a\n",
            "    attributes:\n",
            "      label: ",
            "options: [",
            "]",
            "contact_links:\n",
            "  - name: x\n",
            "# triage: devrel\n",
            "<!-- triage: x -->",
            "\"",
            "'",
            "|\n",
            "  ",
            "\n",
            "é",
            "🐞",
            "sdk docs ",
            "meetup ",
            "blog ",
            "&a ",
            "*a ",
            "{",
            "}",
            ",",
            ":",
            "\r\n",
            "\u{feff}",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn parse_and_check_any_text(text in template_text()) {
            let classifier = classifier();
            for name in ["t.md", "t.yml", "config.yml", "t.txt"] {
                let template = parse(name, &text);
                for checked in check(&template, &text, &classifier) {
                    for finding in &checked.findings {
                        prop_assert!(finding.line >= 1 && finding.column >= 1);
                        prop_assert!(finding.line <= text.lines().count().max(1) + 1, "{finding:?}");
                    }
                }
            }
        }
    }
}
