//! Generate a deterministic, realistic CSV of requests for the batch benchmark (`bench/run.sh`).
//!
//! ```sh
//! cargo run --release --example gen_requests -- csv 100 > requests.csv   # about 100 MB
//! cargo run --release --example gen_requests -- keywords > keywords.txt  # default rule keywords
//! cargo run --release --example gen_requests -- labelled 100000 > labelled.csv  # with owners
//! cargo run --release --example gen_requests -- real 100 a.csv b.csv > real.csv  # real text
//! cargo run --release --example gen_requests -- rules-json > rules.json  # for bench/python_loop.py
//! ```
//!
//! `csv` rows mix requests for all three functions, mixed and unowned ones, with the noise real
//! exports carry: fenced logs and stack traces, URLs, Unicode, quotes and commas, long bodies.
//! Its sentences come from a few dozen templates, so a regex engine's caches warm up on them
//! once and stay warm: real text is more varied. `real` therefore takes the `title` and `body`
//! columns of CSV files of real requests (a file without a `title` column gives empty titles)
//! and writes them, shuffled, over and over up to the size asked for.
//! The same arguments always give the same bytes (a fixed-seed generator, no clock).

use std::io::{self, BufWriter, Write};

use request_triage::{RuleKind, RuleSet};

/// A small, fast, deterministic generator (xorshift64*).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const DEVREL_TITLES: &[&str] = &[
    "How do I authenticate with the {lang} SDK?",
    "Install fails on {os} with exit code {n}",
    "Docs for the webhooks API are out of date",
    "Getting a 401 when calling /v2/{thing}",
    "Tutorial step {n} does not work with version {v}",
    "Exception when uploading large files",
    "Is there a sample for paginating {thing}?",
    "Rate limit error after upgrading to {v}",
];
const COMMUNITY_TITLES: &[&str] = &[
    "Can we start a meetup in {city}?",
    "Proposal: monthly community call for contributors",
    "Code of conduct question about the forum",
    "Looking for a mentor for my first contribution",
    "Ambassador program application for {city}",
    "User group in {city} wants speakers",
    "Where is the Discord server for {lang} users?",
    "Event ideas for the {city} community day",
];
const MARKETING_TITLES: &[&str] = &[
    "Add our logo to the adopters page",
    "Guest post idea: how we scaled {thing}",
    "Case study with {company}",
    "Announce the {v} launch on the blog",
    "Newsletter for {month}: what to include",
    "Swag for the conference booth",
    "Press inquiry from {company}",
    "Tweet thread for the new {thing} feature",
];
const OTHER_TITLES: &[&str] = &[
    "Question about billing",
    "Feedback",
    "Hello from {city}",
    "Thanks for the great project",
    "Invoice for {month}",
    "Follow-up on our call",
];

const DEVREL_SENTENCES: &[&str] = &[
    "How do I configure the client so that retries are handled automatically?",
    "I followed the docs but the install step fails with a permission error.",
    "The API returns 403 even though my token has the right scopes.",
    "Is there a tutorial that shows the full authentication flow end to end?",
    "Our CI pipeline breaks when the SDK upgrades its TLS dependency.",
    "The documentation says the field is optional, but the request fails without it.",
    "After installing version {v} the import path changed and nothing compiles.",
    "I get an exception from the parser when the payload contains emoji.",
    "Could you add an example that streams results instead of buffering them?",
];
const COMMUNITY_SENTENCES: &[&str] = &[
    "We have about forty people interested in a local meetup and a venue downtown.",
    "It would be great to have a community call where new contributors can ask questions.",
    "Someone on the forum was rude to a newcomer; how does the code of conduct apply?",
    "I'd love to mentor students who want to make their first pull request.",
    "Our user group meets every second Thursday and would like a speaker from the team.",
    "Is there a Slack channel or Discord server where users help each other?",
    "Could the ambassadors share their slides from the last event?",
    "We want to welcome people who just joined and introduce them to each other.",
];
const MARKETING_SENTENCES: &[&str] = &[
    "We run the project in production at {company} and would like to add our logo.",
    "Happy to write a guest post about our migration for the blog.",
    "The launch of {v} deserves an announcement in the newsletter and on social media.",
    "Our press team asked whether you have a media kit with logos and screenshots.",
    "Could we do a case study together? We cut our build times in half.",
    "Is there swag we could hand out at our booth next month?",
    "The website still describes the old pricing; the messaging should change.",
    "A short tweet from the official account would help our adopters page go live.",
];
const FILLER_SENTENCES: &[&str] = &[
    "Thanks in advance for any pointers.",
    "Let me know if you need more details.",
    "We have been using the project for two years now and it has been great.",
    "This is not urgent, but it would help us plan the next quarter.",
    "I searched the existing issues and found nothing similar.",
    "Our team is spread across three time zones, so replies may be slow.",
    "Happy to jump on a call if that is easier.",
    "Sorry if this is the wrong place to ask.",
    "Ça marche très bien chez nous, merci beaucoup !",
    "日本語のドキュメントもあると助かります。",
    "Grüße aus München – wir freuen uns auf das nächste Release 🎉",
    "See https://example.com/{thing}/issues/{n}?ref=export&utm_source=newsletter for context.",
    "Related: #{n}, \"quoted, with commas\", and 'single quotes'.",
];

const LANGS: &[&str] = &["Python", "Go", "Rust", "TypeScript", "Java", "Ruby", "C#"];
const OSES: &[&str] = &["Windows 11", "macOS 14", "Ubuntu 24.04", "Alpine", "Debian 12"];
const THINGS: &[&str] = &["projects", "webhooks", "users", "invoices", "events", "pipelines", "tokens"];
const CITIES: &[&str] = &["Berlin", "Lagos", "São Paulo", "Toronto", "Bengaluru", "Kraków", "Osaka"];
const COMPANIES: &[&str] = &["Acme Corp", "Globex", "Initech", "Umbrella Labs", "Hooli", "Stark Industries"];
const MONTHS: &[&str] = &["January", "March", "June", "September", "November"];
const CHANNELS: &[&str] = &["email", "github", "forum", "web form", "chat"];

const LOGS: &[&str] = &[
    "```\nTraceback (most recent call last):\n  File \"app.py\", line {n}, in <module>\n    client.connect()\nConnectionError: HTTP 500 from https://api.example.com/v2/{thing}\n```",
    "```console\n$ npm install\nnpm ERR! code E401\nnpm ERR! Unable to authenticate, need: Basic realm=\"registry\"\n```",
    "```rust\nthread 'main' panicked at src/main.rs:{n}:5:\ncalled `Result::unwrap()` on an `Err` value: Os { code: 2 }\n```",
    "    at com.example.Client.send(Client.java:{n})\n    at com.example.Main.main(Main.java:12)",
    "<!-- Please fill in the template below. Mention the SDK version and the docs page. -->",
];

fn fill(template: &str, random: &mut Random, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else { break };
        let slot = &rest[open + 1..open + close];
        match slot {
            "lang" => out.push_str(random.pick(LANGS)),
            "os" => out.push_str(random.pick(OSES)),
            "thing" => out.push_str(random.pick(THINGS)),
            "city" => out.push_str(random.pick(CITIES)),
            "company" => out.push_str(random.pick(COMPANIES)),
            "month" => out.push_str(random.pick(MONTHS)),
            "n" => out.push_str(&(random.below(9_000) + 10).to_string()),
            "v" => {
                out.push_str(&format!("{}.{}.{}", random.below(4) + 1, random.below(20), random.below(10)))
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
}

/// One request: title and body, mostly about one function, sometimes mixed or about nothing.
/// Returns the function it is about (`unassigned` for none), as a label.
fn request(random: &mut Random, title: &mut String, body: &mut String) -> &'static str {
    title.clear();
    body.clear();
    let (titles, sentences, owner): (&[&str], &[&str], &str) = match random.below(10) {
        0..=3 => (DEVREL_TITLES, DEVREL_SENTENCES, "devrel"),
        4..=5 => (COMMUNITY_TITLES, COMMUNITY_SENTENCES, "community"),
        6..=7 => (MARKETING_TITLES, MARKETING_SENTENCES, "marketing"),
        _ => (OTHER_TITLES, FILLER_SENTENCES, "unassigned"),
    };
    fill(random.pick(titles), random, title);
    // Most bodies are a few sentences; some are long threads pasted in full.
    let sentences_wanted = if random.chance(8) { 20 + random.below(60) } else { 2 + random.below(8) };
    for index in 0..sentences_wanted {
        let pool = if random.chance(60) {
            sentences
        } else if random.chance(15) {
            // A second function's sentence: mixed requests exist.
            [DEVREL_SENTENCES, COMMUNITY_SENTENCES, MARKETING_SENTENCES][random.below(3)]
        } else {
            FILLER_SENTENCES
        };
        if index > 0 {
            body.push_str(if random.chance(25) { "\n\n" } else { " " });
        }
        fill(random.pick(pool), random, body);
        if random.chance(6) {
            body.push_str("\n\n");
            fill(random.pick(LOGS), random, body);
            body.push_str("\n\n");
        }
    }
    owner
}

fn write_csv(megabytes: u64) -> io::Result<()> {
    let target = megabytes * 1_000_000;
    let stdout = io::stdout();
    let mut csv = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, stdout.lock()));
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let (mut title, mut body) = (String::new(), String::new());
    csv.write_record(["id", "created_at", "channel", "title", "body"])?;
    let mut written = 0u64;
    let mut id = 0u64;
    while written < target {
        id += 1;
        request(&mut random, &mut title, &mut body);
        let created = format!("2025-{:02}-{:02}T{:02}:{:02}:00Z", 1 + id % 12, 1 + id % 28, id % 24, id % 60);
        let ticket = format!("REQ-{id:07}");
        let channel = random.pick(CHANNELS);
        written += (ticket.len() + created.len() + channel.len() + title.len() + body.len() + 10) as u64;
        csv.write_record([ticket.as_str(), &created, channel, &title, &body])?;
    }
    csv.flush()
}

/// `rows` labelled requests for the `rules suggest` benchmark (`bench/suggest.sh`): id, title,
/// body and the owner the generator meant. Each request also names a few of 20,000 made-up
/// products or people, so the vocabulary has the long tail real data has, and 5% of the labels
/// are wrong, as a person's labels sometimes are.
fn write_labelled(rows: u64) -> io::Result<()> {
    const OWNERS: [&str; 4] = ["devrel", "community", "marketing", "unassigned"];
    let stdout = io::stdout();
    let mut csv = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, stdout.lock()));
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let (mut title, mut body) = (String::new(), String::new());
    csv.write_record(["id", "title", "body", "owner"])?;
    for id in 1..=rows {
        let mut owner = request(&mut random, &mut title, &mut body);
        for _ in 0..random.below(4) {
            // Skewed towards small numbers: a few names are common, most are rare.
            let spread = 1 + random.below(20_000);
            let name = random.below(spread);
            body.push_str(&format!(" Ref zq{name:05}x."));
        }
        if random.chance(5) {
            owner = OWNERS[random.below(OWNERS.len())];
        }
        csv.write_record([format!("L{id:07}").as_str(), &title, &body, owner])?;
    }
    csv.flush()
}

/// The `(title, body)` of each row of a CSV file with a header naming a `body` column.
fn read_requests(path: &str) -> io::Result<Vec<(String, String)>> {
    let context = |err: csv::Error| io::Error::other(format!("{path}: {err}"));
    let mut reader = csv::Reader::from_path(path).map_err(context)?;
    let headers = reader.headers().map_err(context)?.clone();
    let column = |name: &str| headers.iter().position(|header| header == name);
    let body = column("body").ok_or_else(|| io::Error::other(format!("{path}: no `body` column")))?;
    let title = column("title");
    let mut requests = Vec::new();
    for record in reader.records() {
        let record = record.map_err(context)?;
        let field = |index: Option<usize>| index.and_then(|i| record.get(i)).unwrap_or("").to_owned();
        requests.push((field(title), field(Some(body))));
    }
    Ok(requests)
}

fn write_real(megabytes: u64, paths: &[String]) -> io::Result<()> {
    let mut requests = Vec::new();
    for path in paths {
        requests.extend(read_requests(path)?);
    }
    if requests.is_empty() {
        return Err(io::Error::other("no requests in the input files"));
    }
    let target = megabytes * 1_000_000;
    let stdout = io::stdout();
    let mut csv = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, stdout.lock()));
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    csv.write_record(["id", "title", "body"])?;
    let (mut written, mut id) = (0u64, 0u64);
    while written < target {
        // Each pass over the requests in a new order (Fisher-Yates).
        for i in (1..requests.len()).rev() {
            requests.swap(i, random.below(i + 1));
        }
        for (title, body) in &requests {
            if written >= target {
                break;
            }
            id += 1;
            let ticket = format!("REQ-{id:08}");
            written += (ticket.len() + title.len() + body.len() + 8) as u64;
            csv.write_record([ticket.as_str(), title, body])?;
        }
    }
    csv.flush()
}

fn write_keywords() -> io::Result<()> {
    let rules = RuleSet::default_rules();
    let mut out = io::stdout().lock();
    let mut seen = std::collections::BTreeSet::new();
    for function in &rules.functions {
        for rule in function.rules.iter().filter(|rule| rule.kind == RuleKind::Keyword) {
            let term = rule.source.trim_end_matches('*').trim().to_lowercase();
            if seen.insert(term.clone()) {
                writeln!(out, "{term}")?;
            }
        }
    }
    Ok(())
}

/// The validated default rule set as JSON, for `bench/python_loop.py` (the embedded snapshot is
/// binary).
fn write_rules_json() -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &RuleSet::default_rules())?;
    writeln!(out)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("csv") => match args.get(1).map(|size| size.parse::<u64>()) {
            Some(Ok(megabytes)) => write_csv(megabytes),
            _ => Err(io::Error::other("usage: gen_requests csv MEGABYTES")),
        },
        Some("labelled") => match args.get(1).map(|rows| rows.parse::<u64>()) {
            Some(Ok(rows)) => write_labelled(rows),
            _ => Err(io::Error::other("usage: gen_requests labelled ROWS")),
        },
        Some("real") => match args.get(1).map(|size| size.parse::<u64>()) {
            Some(Ok(megabytes)) if args.len() > 2 => write_real(megabytes, &args[2..]),
            _ => Err(io::Error::other("usage: gen_requests real MEGABYTES FILE.csv...")),
        },
        Some("keywords") => write_keywords(),
        Some("rules-json") => write_rules_json(),
        _ => Err(io::Error::other(
            "usage: gen_requests csv MEGABYTES | gen_requests labelled ROWS | gen_requests real MEGABYTES FILE.csv... | gen_requests keywords | gen_requests rules-json",
        )),
    };
    match result {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
        Err(err) => {
            eprintln!("gen_requests: {err}");
            std::process::exit(2);
        }
    }
}
