#!/usr/bin/env bash
# Batch throughput benchmark: `triage batch` (full CSV output written to a file) against ripgrep
# counting the default rules' keywords in the same file (`rg --count-matches -i -w -F -f
# KEYWORDS`), whole process, alternating the two, with peak memory; on two corpora:
#
#   real       the title and body of every request in $BENCH_REAL_DATA/requests-dev.csv and
#              requests-channels.csv, shuffled and repeated to size (`gen_requests real`): the
#              headline. Built at bench time into bench-data/ and never committed. When the files
#              are absent (a fresh clone) the bench says so and this row uses the generator,
#              labelled "generated (no real data)", or is left out when `generated` runs too.
#   generated  `gen_requests csv`: requests filled in from a few dozen templates. Regex caches
#              warm up on it once and stay warm, so it flatters pattern matching.
#
#   bench/run.sh                         # both corpora at 20 MB, 100 MB and 1 GB
#   BENCH_SIZES=100 bench/run.sh         # only 100 MB
#   BENCH_CORPORA=real bench/run.sh      # only the real-text corpus
#   BENCH_RUNS=5 bench/run.sh            # runs per tool below 1000 MB (median reported)
#   BENCH_REAL_DATA=DIR bench/run.sh     # where the real requests are (default ../shared/data)
#   BENCH_KEEP_LARGE=1 bench/run.sh      # keep the 1 GB corpora in bench-data/ (removed by default)
#
# Needs: cargo, ripgrep and GNU time (installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

data=${BENCH_DATA:-bench-data}
sizes=${BENCH_SIZES:-"20 100 1000"}
corpora=${BENCH_CORPORA:-"real generated"}
runs=${BENCH_RUNS:-3}
large_runs=${BENCH_RUNS_LARGE:-1}
real_data=${BENCH_REAL_DATA:-../shared/data}
target=${CARGO_TARGET_DIR:-target}

# shellcheck source=bench/need.sh
. bench/need.sh
need rg ripgrep
need /usr/bin/time time

cargo build --release --quiet --bin triage --example gen_requests
triage=$target/release/triage
gen=$target/release/examples/gen_requests
mkdir -p "$data"
keywords=$data/keywords.txt
"$gen" keywords > "$keywords"

real_files=("$real_data/requests-dev.csv" "$real_data/requests-channels.csv")
have_real=yes
for file in "${real_files[@]}"; do
  [ -s "$file" ] || have_real=no
done
if [ "$have_real" = no ]; then
  echo "bench: no real requests at $real_data (requests-dev.csv, requests-channels.csv; set BENCH_REAL_DATA);" \
    "the real-text row falls back to the generator, labelled 'generated (no real data)'," \
    "and is left out when the generated corpus is measured anyway" >&2
fi

# corpus_file CORPUS SIZE: the file for that corpus and size, made when missing.
corpus_file() {
  local corpus=$1 size=$2 file
  if [ "$corpus" = real ] && [ "$have_real" = yes ]; then
    file=$data/real-${size}mb.csv
    [ -s "$file" ] || { echo "building $file ..." >&2; "$gen" real "$size" "${real_files[@]}" > "$file.tmp" && mv "$file.tmp" "$file"; }
  else
    file=$data/requests-${size}mb.csv
    [ -s "$file" ] || { echo "generating $file ..." >&2; "$gen" csv "$size" > "$file.tmp" && mv "$file.tmp" "$file"; }
  fi
  echo "$file"
}

label() {
  if [ "$1" = real ] && [ "$have_real" = no ]; then echo "generated (no real data)"; else echo "$1"; fi
}

# measure OUTFILE COMMAND...: append "seconds user_seconds peak_kb" of one run to OUTFILE. The
# command's standard output goes to $work/stdout (a file, so triage writes its full output).
measure() {
  local out=$1
  shift
  /usr/bin/time -f "%e %U %M" -o "$out.one" "$@" > "$work/stdout" 2>/dev/null || [ $? -le 1 ]
  cat "$out.one" >> "$out"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "triage $("$triage" --version | cut -d' ' -f2), $(rg --version | sed -n 1p), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %-7s %-7s %4s %9s %9s %9s %12s\n' corpus size tool runs median_s user_s MB/s peak_RSS_MB
# Without real data the real row falls back to the generator: do not measure that corpus twice.
if [ "$have_real" = no ] && [[ " $corpora " == *" generated "* ]]; then
  corpora=$(tr ' ' '\n' <<< "$corpora" | grep -vx real | tr '\n' ' ')
fi
for corpus in $corpora; do
  for size in $sizes; do
    file=$(corpus_file "$corpus" "$size")
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
      user=$(cut -d' ' -f2 "$work/$tool" | median)
      peak=$(cut -d' ' -f3 "$work/$tool" | sort -n | tail -1)
      speed[$tool]=$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.1f", b / 1e6 / s }')
      printf '%-26s %-7s %-7s %4s %9s %9s %9s %12.1f\n' "$(label "$corpus")" "$((bytes / 1000000))MB" "$tool" "$n" \
        "$seconds" "$user" "${speed[$tool]}" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
    done
    awk -v t="${speed[triage]}" -v r="${speed[rg]}" -v c="$(label "$corpus")" -v s="$((bytes / 1000000))MB" \
      'BEGIN { printf "%-26s %-7s ratio triage/rg throughput: %.2f\n", c, s, t / r }'
    rm -rf "$work"
    # A 1 GB corpus is quick to rebuild and slow to forget on a shared disk.
    if [ "$size" -ge 1000 ] && [ -z "${BENCH_KEEP_LARGE:-}" ]; then rm -f "$file"; fi
  done
done
