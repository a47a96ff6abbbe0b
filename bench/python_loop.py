#!/usr/bin/env python3
"""The straightforward way to route requests with a rule file: for every request, for every rule,
one `re.search`. The baseline `triage batch` is compared against (README Performance; run it
by hand, bench/run.sh measures ripgrep), not a second implementation: it scores title and body by the default rules'
weights and picks the top function, but has no folding, word-boundary rules per script, `unless`,
`none:` or evidence.

    mkdir -p bench-data
    cargo run --release --example gen_requests -- rules-json > bench-data/rules.json
    python3 bench/python_loop.py bench-data/rules.json FILE.csv > out.csv

Reads the validated default rules as JSON (standard library only) and a CSV with
`title` and `body` columns; writes `id,owner,score` for each row. A pattern Python's `re` cannot
compile is skipped and counted on standard error.
"""

import csv
import json
import re
import sys
import time
from pathlib import Path

def compile_rules(path):
    rules = json.loads(Path(path).read_text(encoding="utf-8"))
    compiled, skipped = [], 0
    for function in rules["functions"]:
        for rule in function["rules"]:
            source = rule["source"]
            if rule["kind"] == "keyword":
                prefix = source.endswith("*")
                term = re.escape(source.rstrip("*").strip())
                regex = r"\b" + term + ("" if prefix else r"\b")
            else:
                regex = source
            try:
                compiled.append((function["id"], rule["weight"], re.compile(regex, re.IGNORECASE)))
            except re.error:
                skipped += 1
    return rules, compiled, skipped


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: python_loop.py RULES.json FILE.csv")
    started = time.perf_counter()
    rules, compiled, skipped = compile_rules(sys.argv[1])
    title_weight, body_weight, threshold = rules["title_weight"], rules["body_weight"], rules["threshold"]
    out = csv.writer(sys.stdout)
    out.writerow(["id", "owner", "score"])
    rows = 0
    csv.field_size_limit(sys.maxsize)
    with open(sys.argv[2], newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            rows += 1
            scores = {}
            for field, field_weight in ((row.get("title") or "", title_weight), (row.get("body") or "", body_weight)):
                for function, weight, regex in compiled:
                    if regex.search(field):
                        scores[function] = scores.get(function, 0.0) + weight * field_weight
            owner, score = max(scores.items(), key=lambda item: item[1], default=("", 0.0))
            out.writerow([row.get("id", rows), owner if score >= threshold else "", score])
    print(
        f"python_loop: {rows} rows, {len(compiled)} rules ({skipped} patterns skipped) "
        f"in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
