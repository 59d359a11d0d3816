#!/usr/bin/env bash
# Builds the libFuzzer driver in Fuzz/ (Swift's -sanitize=fuzzer,address over KilnFuzzTargets and every
# Kiln module) and runs each fuzz target in turn, one process at a time.
#
#   Scripts/fuzz/run.sh [TARGET ...]             every target when none is named
#   KILN_FUZZ_RUNS=10000000 Scripts/fuzz/run.sh  executions per target (default 10 million)
#   KILN_FUZZ_TIME=600 Scripts/fuzz/run.sh       and at most this many seconds per target (default: no limit)
#   KILN_FUZZ_TIMEOUT=120 Scripts/fuzz/run.sh    seconds one input may take before it counts as a hang (default 10;
#                                                raise it on a loaded machine, where a starved process passes 10 s)
#
# Seeds come from Fixtures/fuzz/seeds and Fixtures/fuzz/regressions (Scripts/fuzz/make_seeds.py); the
# corpus grows in Fuzz/corpus/<target>; a crash, leak, out-of-memory or timeout stops the target
# and lands in Fuzz/findings/<target>. Each finding becomes a file in Fixtures/fuzz/regressions/<target>,
# which the normal test suite replays. One line per target is printed at the end (executions, rate,
# seconds, findings); the exit status is 1 when any target had a finding. Run it with `nice`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
targets=(safetensors index config params tokenizer-json tekken sentencepiece gguf imatrix reference-cache image)
[ $# -gt 0 ] && targets=("$@")
runs=${KILN_FUZZ_RUNS:-10000000}
time_limit=${KILN_FUZZ_TIME:-0}
input_timeout=${KILN_FUZZ_TIMEOUT:-10}

build=(swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -g)
# SwiftPM does not always notice source files added to the path dependency (..) without this.
touch Fuzz/Package.swift
"${build[@]}" >&2
binary=$("${build[@]}" --show-bin-path)/kiln-fuzz
export KILN_FUZZ_FIXTURES="$root/Fixtures/fuzz"

if [ ! -e Fuzz/corpus/reference-cache/seed.kref ]; then
  mkdir -p Fuzz/corpus/reference-cache
  KILN_FUZZ_TARGET=reference-cache KILN_FUZZ_WRITE_CACHE_SEED=Fuzz/corpus/reference-cache/seed.kref "$binary" -runs=0
fi

summary=()
failed=0
for target in "${targets[@]}"; do
  mkdir -p "Fuzz/findings/$target" "Fuzz/corpus/$target"
  log="Fuzz/findings/$target/last-run.log"
  seeds=()
  for folder in "Fixtures/fuzz/seeds/$target" "Fixtures/fuzz/regressions/$target"; do
    [ -d "$folder" ] && seeds+=("$folder")
  done
  set +e
  start=$(date +%s)
  # The first folder receives new inputs; the committed ones are only read.
  # Allocation stacks of 10 frames: cheaper than the default 30, deep enough for the suppressions.
  KILN_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=1:malloc_context_size=10 LSAN_OPTIONS="suppressions=$root/Fuzz/lsan.supp" \
    SWIFT_BACKTRACE=enable=no \
    "$binary" "Fuzz/corpus/$target" "${seeds[@]}" -runs="$runs" -max_total_time="$time_limit" -timeout="$input_timeout" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="Fuzz/findings/$target/" >"$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  set -e
  executions=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  findings=$(find "Fuzz/findings/$target" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  summary+=("$target: ${executions:-?} executions, ${rate:-?}/s, ${seconds} s, $findings findings (exit $status)")
  [ "$status" -eq 0 ] && [ "$findings" -eq 0 ] || failed=1
done
printf '%s\n' "${summary[@]}"
exit $failed
