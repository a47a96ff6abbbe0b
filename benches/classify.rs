//! Criterion benchmarks of the engine's fixed costs: loading and compiling the default rules (paid
//! once per process) and classifying one request (paid per row). `cargo bench --bench classify`.
//! Batch throughput on a large file is measured by `bench/run.sh`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use request_triage::rules::DEFAULT_RULES_YAML;
use request_triage::{Classifier, Request, RuleSet};

const TITLE: &str = "Install fails on Ubuntu 24.04 with exit code 1";
const BODY: &str = "How do I configure the Python SDK so that retries are handled automatically? \
I followed the docs but the install step fails with a permission error, and the API returns 403 \
even though my token has the right scopes.\n\n```\nTraceback (most recent call last):\n  File \
\"app.py\", line 12, in <module>\nConnectionError: HTTP 500\n```\n\nWe also run a small meetup \
in Kraków and would be happy to write a blog post about it. Grüße 🎉";

fn compile(c: &mut Criterion) {
    c.bench_function("load default rules from YAML", |b| {
        b.iter(|| {
            RuleSet::from_yaml(black_box(DEFAULT_RULES_YAML), "bench").map(|rules| rules.functions.len())
        })
    });
    c.bench_function("load default rules from the embedded snapshot", |b| {
        b.iter(|| black_box(RuleSet::default_rules()).functions.len())
    });
    c.bench_function("compile default rules", |b| {
        b.iter(|| {
            Classifier::new(black_box(RuleSet::default_rules()))
                .map(|classifier| classifier.rules().functions.len())
        })
    });
}

fn classify(c: &mut Criterion) {
    let Ok(classifier) = Classifier::new(RuleSet::default_rules()) else { return };
    let mut group = c.benchmark_group("classify one request");
    group.throughput(Throughput::Bytes((TITLE.len() + BODY.len()) as u64));
    group.bench_function("title and body", |b| {
        b.iter(|| classifier.classify(&Request::with_title(black_box(TITLE), black_box(BODY))))
    });
    group.bench_function("short text", |b| {
        b.iter(|| classifier.classify_text(black_box("How do I authenticate with the SDK?")))
    });
    group.finish();
}

/// What the language note costs: detection alone on requests of typical length, and a whole
/// classification of an unassigned request (the only kind that runs the detector).
fn language(c: &mut Criterion) {
    let requests = [
        ("English, 300 bytes", "Hello, I hope you are all doing well. The weather here has been lovely this week and I have spent a lot of time outside with my family. We went to the lake on Saturday and had a picnic, which was a great way to relax after a long week."),
        ("Korean, 200 bytes", "다음 주 토요일에 시간 되시는 분 계신가요? 같이 점심 먹으면서 이야기 나눠요. 장소는 아직 정하지 않았어요."),
        ("Portuguese, 200 bytes (Latin script, not English)", "Olá pessoal, alguém sabe como configurar o servidor? Não consigo fazer funcionar no meu computador desde a última atualização."),
        ("Russian, 250 bytes", "Подскажите, пожалуйста, почему сборка проекта падает после обновления? Раньше всё работало."),
    ];
    let mut group = c.benchmark_group("language");
    for (name, text) in requests {
        group.bench_function(format!("detect: {name}"), |b| {
            b.iter(|| request_triage::language::detect_coverage(black_box(text), &["en".to_owned()]))
        });
    }
    let Ok(classifier) = Classifier::new(RuleSet::default_rules()) else { return };
    group.bench_function("classify unassigned (detects): English, 300 bytes", |b| {
        b.iter(|| classifier.classify_text(black_box(requests[0].1)))
    });
    group.finish();
}

criterion_group!(benches, compile, classify, language);
criterion_main!(benches);
