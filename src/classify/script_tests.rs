//! Keyword and pattern matching across scripts and accents: whole words in every script,
//! keywords in unspaced scripts inside runs, and accents optional both ways.

use super::*;

const RULES: &str = r#"
version: 1
functions:
  - id: devrel
    keywords:
      - { term: api, weight: 2 }
      - { term: sdk, weight: 2 }
      - { term: "instalación", weight: 2 }
      - { term: "instal*", weight: 1 }
      - { term: "エラー", weight: 2 }
      - { term: "报错", weight: 2 }
      - { term: "ошибка", weight: 2 }
      - { term: "설치", weight: 2 }
  - id: community
    keywords:
      - { term: "evenement", weight: 2 }
      - { term: "勉強会", weight: 3 }
      - { term: "イベント", weight: 2 }
      - { term: "meetup", weight: 2 }
    patterns:
      - { regex: 'encuentro\s+en\s+\w+', weight: 2, name: encuentro }
      - { regex: 'rencontre', weight: 1, name: rencontre }
"#;

fn classifiers() -> [Classifier; 2] {
    let rules = || RuleSet::from_yaml(RULES, "scripts.yaml").unwrap();
    [
        Classifier::new(rules()).unwrap(),
        Classifier::for_few_requests(rules(), ClassifyOptions::default()).unwrap(),
    ]
}

/// The matched texts of each rule that fired, as `rule=text`, for every classifier kind.
fn matched(text: &str) -> Vec<String> {
    let [eager, lazy] = classifiers();
    let list = |c: &Classifier| -> Vec<String> {
        c.classify_text(text)
            .matches
            .iter()
            .map(|m| {
                assert_eq!(&text[m.start..m.end], m.text, "the span is exact");
                format!("{}={}", c.rules().functions[m.function].rules[m.rule].name, m.text)
            })
            .collect()
    };
    let found = list(&eager);
    assert_eq!(found, list(&lazy), "eager and lazy classifiers agree on {text:?}");
    found
}

#[test]
fn latin_keyword_matches_next_to_katakana_and_hiragana() {
    assert_eq!(matched("APIキーの発行方法"), ["api=API"]);
    assert_eq!(matched("SDKをインストール"), ["sdk=SDK"]);
}

#[test]
fn latin_keyword_matches_inside_han_text() {
    assert_eq!(matched("调用API时报错"), ["api=API", "报错=报错"]);
}

#[test]
fn latin_keyword_matches_next_to_cyrillic_and_hangul() {
    assert_eq!(matched("APIключ не работает, ошибка"), ["api=API", "ошибка=ошибка"]);
    assert_eq!(matched("SDK를 설치했는데"), ["sdk=SDK"]);
}

#[test]
fn latin_keyword_still_needs_a_boundary_inside_latin_words_and_digits() {
    assert!(matched("rapid sdk2 apis").is_empty());
}

#[test]
fn full_width_latin_matches_like_ascii() {
    assert_eq!(matched("ＡＰＩの使い方"), ["api=ＡＰＩ"]);
}

#[test]
fn keywords_in_unspaced_scripts_match_inside_a_run() {
    assert_eq!(matched("来月の勉強会について"), ["勉強会=勉強会"]);
    assert_eq!(matched("ビルドでエラーが出ます"), ["エラー=エラー"]);
    assert_eq!(matched("オンラインイベントを開催"), ["イベント=イベント"]);
}

#[test]
fn keywords_in_spaced_scripts_need_whole_words() {
    // Cyrillic and Hangul separate words with spaces: no match inside a longer word.
    assert!(matched("ошибками").is_empty());
    assert!(matched("설치형").is_empty());
    assert_eq!(matched("설치 방법"), ["설치=설치"]);
}

#[test]
fn accents_are_optional_in_text_and_in_terms() {
    assert_eq!(matched("la instalacion falla"), ["instalación=instalacion", "instal*=instalacion"]);
    assert_eq!(matched("La INSTALACIÓN falla"), ["instalación=INSTALACIÓN", "instal*=INSTALACIÓN"]);
    assert_eq!(matched("un Événement à Lyon"), ["evenement=Événement"]);
    // Decomposed: `e` followed by U+0301 COMBINING ACUTE ACCENT; the span keeps the accent.
    assert_eq!(matched("un e\u{301}ve\u{301}nement"), ["evenement=e\u{301}ve\u{301}nement"]);
}

#[test]
fn patterns_run_on_folded_text() {
    assert_eq!(matched("Un ENCUENTRO en Bogotá"), ["encuentro=ENCUENTRO en Bogotá"]);
    assert_eq!(matched("une Réncontre"), ["rencontre=Réncontre"]);
}

#[test]
fn terms_that_differ_only_in_accents_are_duplicates() {
    let yaml = "version: 1\nfunctions:\n  - id: a\n    keywords: [café, cafe]\n";
    let err = RuleSet::from_yaml(yaml, "dup.yaml").unwrap_err();
    assert!(matches!(err.kind, RulesErrorKind::DuplicateTerm { .. }), "{err}");
}

const RUSSIAN: &str = "Подскажите, пожалуйста, почему сборка проекта падает после обновления?";

#[test]
fn an_unassigned_request_in_an_uncovered_language_carries_a_note() {
    let [eager, lazy] = classifiers();
    for c in [&eager, &lazy] {
        let verdict = c.classify_text(RUSSIAN);
        assert_eq!(verdict.status, Status::Unassigned);
        let detected = verdict.language.expect("the language is detected");
        assert_eq!((detected.script, detected.covered), ("Cyrillic", false));
        assert!(detected.note().is_some());
    }
}

#[test]
fn a_declared_language_gets_no_note() {
    let yaml = format!("languages: [en, ru]\n{RULES}");
    let c = Classifier::new(RuleSet::from_yaml(&yaml, "ru.yaml").unwrap()).unwrap();
    let detected = c.classify_text(RUSSIAN).language.expect("the language is detected");
    assert!(detected.covered);
    assert_eq!(detected.note(), None);
}

#[test]
fn assigned_verdicts_are_not_sent_to_the_detector() {
    let [eager, _] = classifiers();
    let verdict = eager.classify_text("Подскажите, почему API возвращает ошибка при сборке проекта?");
    assert_eq!(verdict.status, Status::Assigned);
    assert_eq!(verdict.language, None);
}

#[test]
fn code_blocks_do_not_decide_the_language() {
    let [eager, _] = classifiers();
    let text = format!("{RUSSIAN}\n\n```\nthe quick brown fox jumps over the lazy dog again and again and again\nthe quick brown fox jumps over the lazy dog again and again\n```\n");
    let detected = eager.classify_text(&text).language.expect("the language is detected");
    assert_eq!(detected.script, "Cyrillic");
}

#[test]
fn english_is_covered_when_a_file_does_not_declare_languages() {
    let [eager, _] = classifiers();
    let verdict = eager.classify_text("Could you tell me where the nearest train station is, please?");
    assert_eq!(verdict.status, Status::Unassigned);
    assert!(verdict.language.is_none_or(|detected| detected.covered), "{:?}", verdict.language);
}
