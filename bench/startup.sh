#!/usr/bin/env bash
# Single-request benchmark: one request classified by a whole `triage` process, against the same
# binary's `triage --version` (its start-up floor), median of hyperfine runs, same run.
#
#   own       three requests written for this bench: the README's one-line question, a chat
#             message, and a 1 KB issue body with a code block.
#   real      every REAL_EVERY-th request of $BENCH_REAL_DATA/requests-dev.csv and
#             requests-channels.csv (title, blank line, body), when those files are there: the
#             median ratio over them, and the slowest.
#
# Each text is given as the argument (`triage "TEXT"`), not piped: hyperfine runs the binary
# without a shell, so that the shell's own start-up is not measured.
#
#   bench/startup.sh                      # both
#   BENCH_RUNS=500 bench/startup.sh       # hyperfine runs per command (default 300)
#   BENCH_REAL_DATA=DIR bench/startup.sh  # where the real requests are (default ../shared/data)
#
# Needs: cargo, hyperfine and python3 (hyperfine installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-300}
real_data=${BENCH_REAL_DATA:-../shared/data}
real_every=${REAL_EVERY:-16}
target=${CARGO_TARGET_DIR:-target}

# shellcheck source=bench/need.sh
. bench/need.sh
need hyperfine hyperfine

cargo build --release --quiet --bin triage
triage=$target/release/triage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'How do I install the SDK?' > "$work/own-readme.txt"
printf '%s\n' "hey all, is anyone else seeing the sync stop after the last update? it just spins" \
  "forever on my laptop, works fine on my phone" > "$work/own-chat.txt"
{
  echo "Crash when the config file has a trailing comma"
  echo
  echo "When I run the CLI with the config below it panics instead of reporting the bad line."
  echo "Steps to reproduce: save this as app.json and run \`app --config app.json\`."
  echo
  echo '```json'
  echo '{ "name": "demo", "retries": 3, }'
  echo '```'
  echo
  echo "Expected behaviour: an error that names line 1. Actual behaviour: thread main panicked"
  echo "at src/config.rs:42. I'm on Linux (Ubuntu 24.04), version 2.3.1, installed with cargo."
  echo "Is there a way to make the parser accept trailing commas, or is that by design? I tried"
  echo "the --lenient flag from the docs but it doesn't seem to change anything. Happy to send"
  echo "a pull request if someone can point me to where the parser lives in the code."
} > "$work/own-issue.txt"

if [ -s "$real_data/requests-dev.csv" ] && [ -s "$real_data/requests-channels.csv" ]; then
  python3 - "$work" "$real_every" "$real_data/requests-dev.csv" "$real_data/requests-channels.csv" <<'EOF'
import csv, sys
work, every, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = [row for path in files for row in csv.DictReader(open(path, encoding="utf-8"))]
for number, row in enumerate(rows[::every]):
    with open(f"{work}/real-{number:03}.txt", "w", encoding="utf-8") as out:
        out.write((row["title"] + "\n\n" + row["body"]).strip())
EOF
else
  echo "bench: no real requests at $real_data; measuring only the requests written for this bench" >&2
fi

# medians COMMAND...: the median wall time in ms of each command, one hyperfine run for all.
medians() {
  hyperfine -N --warmup 30 --runs "$runs" --export-json "$work/run.json" "$@" >/dev/null 2>&1
  python3 -c 'import json, sys; print(" ".join("%.3f" % (r["median"] * 1000) for r in json.load(open(sys.argv[1]))["results"]))' "$work/run.json"
}

echo "triage $("$triage" --version | cut -d' ' -f2), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
printf '%-16s %8s %12s %14s %8s\n' request bytes median_ms version_ms ratio
results=$work/ratios
: > "$results"
for file in "$work"/own-*.txt "$work"/real-*.txt; do
  [ -e "$file" ] || continue
  # The text as an argument (quoted for hyperfine's word splitting), as `triage "..."` takes it;
  # `--version` in the same hyperfine run, so that both see the same machine load.
  quoted=$(python3 -c 'import shlex, sys; print(shlex.quote(open(sys.argv[1], encoding="utf-8").read()))' "$file")
  read -r version request <<< "$(medians "$triage --version" "$triage $quoted")"
  ratio=$(awk -v r="$request" -v v="$version" 'BEGIN { printf "%.2f", r / v }')
  name=$(basename "$file" .txt)
  echo "$name $ratio" >> "$results"
  case $name in own-*) printf '%-16s %8s %12s %14s %7sx\n' "$name" "$(stat -c %s "$file")" "$request" "$version" "$ratio" ;; esac
done
if grep -q '^real-' "$results"; then
  grep '^real-' "$results" | awk '{ print $2 }' | sort -n |
    awk '{ v[NR] = $1 } END { printf "real requests: %d, median ratio %.2fx, slowest %.2fx\n", NR, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[NR] }'
fi
