#!/usr/bin/env bash
# Batch throughput benchmark: `triage batch` (full CSV output) against ripgrep counting the
# default rules' keywords in the same file, plus peak memory, at 100 MB and 1 GB.
#
#   bench/run.sh                      # both sizes; data is generated once into bench-data/
#   BENCH_SIZES=100 bench/run.sh      # only 100 MB
#   BENCH_RUNS=5 bench/run.sh         # runs per tool at sizes below 1000 MB (median reported)
#
# Needs: cargo, ripgrep and GNU time (installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

data=${BENCH_DATA:-bench-data}
sizes=${BENCH_SIZES:-"100 1000"}
runs=${BENCH_RUNS:-3}
large_runs=${BENCH_RUNS_LARGE:-1}
target=${CARGO_TARGET_DIR:-target}

install() { # install a Debian package when missing (only possible as root)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y "$1" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$1" >/dev/null; }
  else
    echo "bench: please install $1" >&2
    exit 2
  fi
}
command -v rg >/dev/null || install ripgrep
[ -x /usr/bin/time ] || install time

cargo build --release --quiet --bin triage --example gen_requests
triage=$target/release/triage
gen=$target/release/examples/gen_requests
mkdir -p "$data"
keywords=$data/keywords.txt
"$gen" keywords > "$keywords"

# measure NAME OUTFILE COMMAND...: append "seconds peak_kb" of one run to OUTFILE.
measure() {
  local out=$1
  shift
  /usr/bin/time -f "%e %M" -o "$out.one" "$@" > /dev/null 2>/dev/null || [ $? -le 1 ]
  cat "$out.one" >> "$out"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "triage $("$triage" --version | cut -d' ' -f2), $(rg --version | sed -n 1p), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-7s %5s %10s %10s %12s\n' size tool runs median_s MB/s peak_RSS_MB
for size in $sizes; do
  file=$data/requests-${size}mb.csv
  if [ ! -s "$file" ]; then
    echo "generating $file ..." >&2
    "$gen" csv "$size" > "$file.tmp" && mv "$file.tmp" "$file"
  fi
  bytes=$(stat -c %s "$file")
  cat "$file" > /dev/null # warm the page cache
  n=$runs
  [ "$size" -ge 1000 ] && n=$large_runs
  work=$(mktemp -d)
  for _ in $(seq "$n"); do # alternate the tools so load changes hit both alike
    measure "$work/triage" "$triage" batch "$file" -q
    measure "$work/rg" rg --count-matches -i -w -F -f "$keywords" "$file"
  done
  declare -A speed
  for tool in triage rg; do
    seconds=$(cut -d' ' -f1 "$work/$tool" | median)
    peak=$(cut -d' ' -f2 "$work/$tool" | sort -n | tail -1)
    speed[$tool]=$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.1f", b / 1e6 / s }')
    printf '%-8s %-7s %5s %10s %10s %12.1f\n' "$((bytes / 1000000))MB" "$tool" "$n" "$seconds" "${speed[$tool]}" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
  done
  awk -v t="${speed[triage]}" -v r="${speed[rg]}" -v s="$size" 'BEGIN { printf "%-8s ratio triage/rg throughput: %.2f\n", s "MB", t / r }'
  rm -rf "$work"
done
