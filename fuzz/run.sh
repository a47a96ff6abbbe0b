#!/usr/bin/env bash
# Run every fuzz target in turn for SECONDS each (default 600), in one process (libFuzzer's
# default, no -jobs), at the lowest priority.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   Logs: fuzz/logs/<target>.log (ignored by git).
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain, or RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(rules classify templates table)
fi
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
mkdir -p logs
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  dict=()
  if [ -f "dicts/$target.dict" ]; then
    dict=(-dict="dicts/$target.dict")
  fi
  echo "== $target: ${seconds}s" >&2
  nice -n 19 cargo "${toolchain[@]}" fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "${dict[@]}" 2>&1 | tee "logs/$target.log" | grep -a -E '^(#[0-9]+\s+DONE|stat::|==[0-9]+==|SUMMARY|Test unit written)' >&2
done
