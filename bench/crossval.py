#!/usr/bin/env python3
"""Cross-validated accuracy of hand-tuned rules: what the tuning is worth on requests it never saw.

Rules written while looking at labelled data score well on that data whether or not they
generalise. This script estimates the held-out figure: the data is split into folds (by source,
so one archive's phrasing cannot vouch for itself, or k-fold by row), and each fold is classified
with the tuned rules minus every *new* rule (one in TUNED that is not in BASE) that has no support
outside the fold. A new rule has support on a row when it fires there and agrees with the row's
label: a positive rule of function F on a row labelled F, a negative one on a row not labelled F,
a `none:` rule on a row labelled unassigned. A rule whose weight changed falls back to its BASE
weight instead of being dropped. Settings outside the rule lists (threshold, field weights) are
taken from TUNED as they are.

    python3 bench/crossval.py --base BASE.yaml --tuned rules/default.yaml DATA.csv \
        [--where language=en] [--folds source|N] [--triage target/release/triage]

Needs PyYAML and a release build of triage. DATA must have title, body and owner columns (names
are options).
"""
import argparse
import copy
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import zlib

import yaml

RULE_LISTS = ("keywords", "patterns")


def rule_identity(entry):
    """What names a rule regardless of weight: its term, or a pattern's name (else its regex), so
    a pattern whose regex was widened is a changed rule that falls back to its base version when
    held out, not a new one that disappears."""
    if isinstance(entry, str):
        return ("term", entry.strip().lower())
    if "term" in entry:
        return ("term", str(entry["term"]).strip().lower())
    if entry.get("name"):
        return ("pattern", str(entry["name"]))
    return ("regex", str(entry.get("regex")))


def canonical(entry):
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def weight_of(entry):
    return 1.0 if isinstance(entry, str) else float(entry.get("weight", 1.0))


def rule_lists(rules):
    """(owner, list name, the list) for every rule list: functions' and any top-level block's."""
    for function in rules.get("functions") or []:
        for name in RULE_LISTS:
            if function.get(name):
                yield function["id"], name, function[name]
    for key, block in rules.items():
        if isinstance(block, dict) and key not in ("fields",):
            for name in RULE_LISTS:
                if block.get(name):
                    yield "unassigned" if key == "none" else key, name, block[name]


def new_rules(base, tuned):
    """[(owner, list name, entry, base entry or None)] for entries of TUNED not in BASE as is."""
    known = {}
    for owner, name, entries in rule_lists(base):
        for entry in entries:
            known[(owner, name, rule_identity(entry))] = entry
    found = []
    for owner, name, entries in rule_lists(tuned):
        for entry in entries:
            old = known.get((owner, name, rule_identity(entry)))
            if old is None or canonical(old) != canonical(entry):
                found.append((owner, name, entry, old))
    return found


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode not in (0, 1):
        sys.exit(f"crossval: {' '.join(cmd[:3])}... failed: {result.stderr.strip()[:2000]}")
    return result.stdout


def write_rows(path, rows, columns):
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns])


def probe(triage, tuned, rules, rows, args, work):
    """For each new rule, the set of row indexes where it fires (one batch run, one function per
    rule, each rule at weight +1 so that it shows in the scores)."""
    probe_rules = {k: v for k, v in tuned.items() if k not in ("functions", "tests", "none")}
    probe_rules["functions"] = []
    for index, (_, name, entry, _) in enumerate(rules):
        entry = {"term": entry} if isinstance(entry, str) else dict(entry)
        entry["weight"] = 1
        probe_rules["functions"].append({"id": f"p{index}", "name": f"p{index}", name: [entry]})
    path = os.path.join(work, "probe.yaml")
    with open(path, "w") as out:
        yaml.safe_dump(probe_rules, out, allow_unicode=True, sort_keys=False)
    data = os.path.join(work, "all.csv")
    write_rows(data, rows, [args.title_column, args.text_column])
    output = run([triage, "-r", path, "batch", data, "--format", "jsonl", "-q",
                  "--title-column", args.title_column, "--text-column", args.text_column])
    fires = [set() for _ in rules]
    for row_index, line in enumerate(output.splitlines()):
        scores = json.loads(line)["evidence"]["scores"]
        for index in range(len(rules)):
            if scores.get(f"p{index}", 0) > 0:
                fires[index].add(row_index)
    return fires


def supports(rule, label):
    owner, _, entry, _ = rule
    positive = weight_of(entry) > 0
    return (label == owner) == positive


def without(tuned, dropped):
    """TUNED with the dropped new rules removed, or put back at their BASE version."""
    result = copy.deepcopy(tuned)
    drop = {(owner, name, canonical(entry)): old for owner, name, entry, old in dropped}
    for owner, name, entries in rule_lists(result):
        kept = []
        for entry in entries:
            key = (owner, name, canonical(entry))
            if key not in drop:
                kept.append(entry)
            elif drop[key] is not None:
                kept.append(drop[key])
        entries[:] = kept
    # Rule-file tests and examples are not what is measured here.
    result.pop("tests", None)
    for function in result.get("functions") or []:
        function.pop("examples", None)
    return result


def evaluate(triage, rules_path, rows, args, work, name):
    data = os.path.join(work, f"{name}.csv")
    write_rows(data, rows, [args.title_column, args.text_column, args.label_column])
    report = json.loads(run([triage, "-r", rules_path, "eval", data, "--format", "json",
                             "--title-column", args.title_column, "--text-column",
                             args.text_column, "--label-column", args.label_column]))
    return report["correct"]


def source_group(source):
    """An archive: host plus owner/repo for GitHub, host plus first path part elsewhere."""
    match = re.match(r"https?://([^/]+)/([^/#]+)(?:/([^/#]+))?", source)
    if not match:
        return source.split("#")[0].split("/")[0]
    host, first, second = match.groups()
    return f"{host}/{first}/{second}" if host == "github.com" and second else f"{host}/{first}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data")
    parser.add_argument("--base", required=True)
    parser.add_argument("--tuned", required=True)
    parser.add_argument("--triage", default="target/release/triage")
    parser.add_argument("--where", action="append", default=[], help="COLUMN=VALUE (or COLUMN!=VALUE)")
    parser.add_argument("--folds", default="source", help="'source' or a number of folds")
    parser.add_argument("--title-column", default="title")
    parser.add_argument("--text-column", default="body")
    parser.add_argument("--label-column", default="owner")
    parser.add_argument("--group-column", help="also report per value of this column")
    args = parser.parse_args()

    with open(args.data, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for condition in args.where:
        negate = "!=" in condition
        column, value = condition.split("!=" if negate else "=", 1)
        rows = [r for r in rows if (r[column] == value) != negate]
    with open(args.base) as handle:
        base = yaml.safe_load(handle)
    with open(args.tuned) as handle:
        tuned = yaml.safe_load(handle)
    rules = new_rules(base, tuned)

    if args.folds == "source":
        fold_of = [source_group(r.get("source", "")) for r in rows]
    else:
        count = int(args.folds)
        fold_of = [zlib.crc32((r.get("id") or str(i)).encode()) % count for i, r in enumerate(rows)]
    folds = sorted(set(fold_of), key=str)

    with tempfile.TemporaryDirectory() as work:
        fires = probe(args.triage, tuned, rules, rows, args, work) if rules else []
        support = [
            {i for i in fired if supports(rule, rows[i][args.label_column])}
            for rule, fired in zip(rules, fires)
        ]
        correct_cv = 0
        held_out_correct = [False] * len(rows)
        dropped_total = 0
        for fold in folds:
            members = [i for i, f in enumerate(fold_of) if f == fold]
            inside = set(members)
            dropped = [rule for rule, s in zip(rules, support) if not (s - inside)]
            dropped_total += len(dropped)
            path = os.path.join(work, "fold.yaml")
            with open(path, "w") as out:
                yaml.safe_dump(without(tuned, dropped), out, allow_unicode=True, sort_keys=False)
            # Per-row correctness, so groups can be reported too.
            for i in members:
                ok = evaluate(args.triage, path, [rows[i]], args, work, "row")
                held_out_correct[i] = ok == 1
                correct_cv += ok
        base_path = os.path.join(work, "base.yaml")
        with open(base_path, "w") as out:
            yaml.safe_dump(without(base, []), out, allow_unicode=True, sort_keys=False)
        plain = evaluate(args.triage, args.tuned, rows, args, work, "plain")
        before = evaluate(args.triage, base_path, rows, args, work, "before")

    n = len(rows)
    print(f"{n} rows, {len(rules)} new or changed rules, {len(folds)} folds ({args.folds})")
    print(f"  base rules        {before / n:.3f} ({before}/{n})")
    print(f"  tuned, plain      {plain / n:.3f} ({plain}/{n})")
    print(f"  tuned, held out   {correct_cv / n:.3f} ({correct_cv}/{n}); "
          f"on average {dropped_total / max(len(folds), 1):.1f} new rules dropped per fold")
    unsupported = [rule for rule, s in zip(rules, support) if not s]
    if unsupported:
        print(f"  {len(unsupported)} new rules fire on no row that agrees with them")
    if args.group_column:
        groups = {}
        for i, row in enumerate(rows):
            groups.setdefault(row[args.group_column], []).append(held_out_correct[i])
        for group, oks in sorted(groups.items()):
            print(f"    {args.group_column}={group}: held out {sum(oks) / len(oks):.3f} ({sum(oks)}/{len(oks)})")


if __name__ == "__main__":
    main()
