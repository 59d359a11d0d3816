#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ (Swift's -sanitize=fuzzer,address) and runs each one.
#
#   Scripts/fuzz/run.sh [HARNESS ...]            every harness when none is named
#   KILN_FUZZ_TIME=600 Scripts/fuzz/run.sh       seconds per harness (default 60)
#   KILN_FUZZ_RUNS=10000000 Scripts/fuzz/run.sh  stop after this many executions (or the first finding)
#   KILN_FUZZ_JOBS=2                             fuzzing processes per harness (fork mode)
#
# Corpora grow in Fuzz/corpus/<harness> (seeded from the fixtures by make_seeds.py); crashes, leaks
# and timeouts land in Fuzz/findings/<harness>. Each finding becomes a regression test in the normal
# suite. A summary line per harness (executions, findings) is printed at the end. Run it with
# `nice`: it uses every core it is given.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
harnesses=(safetensors index config params tokenizer-json tekken sentencepiece gguf imatrix reference-cache image)
[ $# -gt 0 ] && harnesses=("$@")
time_limit=${KILN_FUZZ_TIME:-60}
runs=${KILN_FUZZ_RUNS:--1}
jobs=${KILN_FUZZ_JOBS:-1}

swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -g >&2
binary=$(swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -g --show-bin-path)/kiln-fuzz

if [ ! -d Fuzz/corpus/image ]; then
  python3 Scripts/fuzz/make_seeds.py Fuzz/corpus
fi
if [ ! -e Fuzz/corpus/reference-cache/seed.kref ]; then
  mkdir -p Fuzz/corpus/reference-cache
  KILN_FUZZ_HARNESS=reference-cache KILN_FUZZ_FIXTURES="$root/Fixtures" KILN_FUZZ_WRITE_CACHE_SEED=Fuzz/corpus/reference-cache/seed.kref "$binary" -runs=0
fi

summary=()
for harness in "${harnesses[@]}"; do
  mkdir -p "Fuzz/findings/$harness" "Fuzz/corpus/$harness"
  log="Fuzz/findings/$harness/last-run.log"
  # Fork mode keeps fuzzing past a finding (each is saved); -runs needs the in-process mode, which
  # stops at the first one.
  if [ "$runs" -ge 0 ]; then mode=(-runs="$runs"); else mode=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); fi
  set +e
  KILN_FUZZ_HARNESS=$harness KILN_FUZZ_FIXTURES="$root/Fixtures" ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no \
    "$binary" "Fuzz/corpus/$harness" "${mode[@]}" -max_total_time="$time_limit" -timeout=30 -rss_limit_mb=4096 \
    -max_len=200000 -print_final_stats=1 -artifact_prefix="Fuzz/findings/$harness/" >"$log" 2>&1
  status=$?
  set -e
  executions=$( (grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#'; grep -h "stat::number_of_executed_units" "$log" | awk '{print $2}') | sort -n | tail -1 || true)
  findings=$(find "Fuzz/findings/$harness" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  summary+=("$harness: ${executions:-0} executions, $findings findings (exit $status)")
done
printf '%s\n' "${summary[@]}"
