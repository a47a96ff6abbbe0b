#!/usr/bin/env bash
# `triage rules suggest` benchmark: learning from generated labelled requests (100,000 by
# default), against `triage eval` on the same file (one classification pass) as the baseline
# measured in the same run, plus peak memory.
#
#   bench/suggest.sh                         # 100,000 rows, 3 runs each (median reported)
#   BENCH_ROWS=20000 BENCH_RUNS=5 bench/suggest.sh
#
# Data is generated once into bench-data/ (`gen_requests labelled ROWS`: requests for the three
# functions and unowned ones, a long tail of made-up names, 5% wrong labels). Needs cargo and
# GNU time (installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

data=${BENCH_DATA:-bench-data}
rows=${BENCH_ROWS:-100000}
runs=${BENCH_RUNS:-3}
target=${CARGO_TARGET_DIR:-target}

# shellcheck source=bench/need.sh
. bench/need.sh
need /usr/bin/time time

cargo build --release --quiet --bin triage --example gen_requests
triage=$target/release/triage
mkdir -p "$data"
file=$data/labelled-$rows.csv
[ -s "$file" ] || "$target/release/examples/gen_requests" labelled "$rows" > "$file"
"$triage" rules show > "$data/default-rules.yaml"
echo "bench: $file ($(du -h "$file" | cut -f1), $rows rows), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

# measure NAME COMMAND...: runs COMMAND $runs times; prints the median wall and CPU (user +
# system) seconds and the peak RSS. On a shared machine the CPU time is the steadier figure.
measure() {
  local name=$1
  shift
  local walls=() cpus=() peaks=()
  for _ in $(seq "$runs"); do
    if ! /usr/bin/time -o "$data/.time" -f '%e %U %S %M' "$@" > /dev/null 2> "$data/.stderr"; then
      echo "bench: $name failed:" >&2
      cat "$data/.stderr" >&2
      exit 1
    fi
    read -r wall user system peak < "$data/.time"
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
    peaks+=("$peak")
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  local wall cpu peak
  wall=$(median "${walls[@]}")
  cpu=$(median "${cpus[@]}")
  peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
  printf '%-30s wall %7.2f s  cpu %7.2f s  peak RSS %6.1f MB  (wall of each run: %s)\n' \
    "$name" "$wall" "$cpu" "$(awk -v p="$peak" 'BEGIN { print p / 1024 }')" "${walls[*]}"
  echo "$cpu" > "$data/.last"
}

measure "eval (baseline)" "$triage" eval -r "$data/default-rules.yaml" "$file" --show-errors 0
baseline=$(cat "$data/.last")
measure "rules suggest (no base)" "$triage" rules suggest "$file" -o /dev/null
no_base=$(cat "$data/.last")
measure "rules suggest (default rules)" "$triage" rules suggest -r "$data/default-rules.yaml" "$file" -o /dev/null
with_base=$(cat "$data/.last")
printf 'ratio of CPU time, suggest / eval: no base %.1f, default rules %.1f\n' \
  "$(awk -v a="$no_base" -v b="$baseline" 'BEGIN { print a / b }')" \
  "$(awk -v a="$with_base" -v b="$baseline" 'BEGIN { print a / b }')"
