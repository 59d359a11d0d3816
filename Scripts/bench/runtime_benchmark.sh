#!/usr/bin/env bash
# Runtime speed of Kiln against llama.cpp on the same GGUF files and thread count:
#   prompt processing  — `kiln generate` on a ~512-token prompt   vs llama-bench pp512
#   generation         — 128 tokens after that prompt             vs llama-bench tg128 @ d512
# for F16, Q8_0 and Q4_K_M of the fixture model and of a synthetic ~430M-parameter Llama model.
# Prints tokens/s (mean of REPS runs) and Kiln/llama.cpp ratios.
#
# Usage: Scripts/bench/runtime_benchmark.sh [WORK_DIR] [THREADS]
# Needs: an optimized llama.cpp (Scripts/bench/build_native_llama_cpp.sh; LLAMA_BIN overrides its
# bin folder) and numpy for the synthetic model. Env: KILN_BENCH_MODELS="a.gguf b.gguf" to measure
# other files, KILN_BENCH_SYNTHETIC=0 for the fixture only, REPS (default 3).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
threads=${2:-$(nproc)}
reps=${REPS:-3}
kiln=${KILN:-.build/release/kiln}
bin=${LLAMA_BIN:-.oracle/build-native/bin}
[ -x "$bin/llama-bench" ] || { echo "no llama-bench in $bin: run Scripts/bench/build_native_llama_cpp.sh" >&2; exit 2; }
[ -n "${KILN:-}" ] || Scripts/build-release.sh >/dev/null
mkdir -p "$work"

# F16, Q8_0 and Q4_K_M files of a model folder, made once.
make_files() { # FOLDER PREFIX
  [ -f "$work/$2-f16.gguf" ] || "$kiln" convert "$1" --outtype f16 -o "$work/$2-f16.gguf" >/dev/null
  [ -f "$work/$2-q8_0.gguf" ] || "$kiln" quantize "$work/$2-f16.gguf" -o "$work/$2-q8_0.gguf" --type Q8_0 >/dev/null
  [ -f "$work/$2-q4_k_m.gguf" ] || "$kiln" quantize "$work/$2-f16.gguf" -o "$work/$2-q4_k_m.gguf" --type Q4_K_M >/dev/null
  echo "$work/$2-f16.gguf $work/$2-q8_0.gguf $work/$2-q4_k_m.gguf"
}
models=${KILN_BENCH_MODELS:-}
if [ -z "$models" ]; then
  models=$(make_files Fixtures/tiny-pixtral fixture)
  if [ "${KILN_BENCH_SYNTHETIC:-1}" != 0 ]; then
    [ -d "$work/synthetic-430m" ] || python3 Scripts/bench/make_synthetic_checkpoint.py "$work/synthetic-430m" >/dev/null
    models="$models $(make_files "$work/synthetic-430m" synthetic)"
  fi
fi
# About 512 tokens of held-out text (the fixture's tokenizer; the synthetic model shares it).
prompt=$(head -c 1600 Fixtures/text/eval.txt)

mean() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print('%.1f' % (sum(v)/len(v)))" "$@"; }
echo "threads: $threads, runs: $reps, llama.cpp: $bin ($(grep -m1 -o 'llama.cpp commit: [0-9a-f]*' .oracle/VERSION.txt 2>/dev/null || echo 'version unknown'))"
printf "%-24s %7s %10s %10s %7s %10s %10s %7s\n" model prompt kiln_pp llama_pp ratio kiln_tg llama_tg ratio
for model in $models; do
  pps=(); tgs=(); n=0
  for _ in $(seq "$reps"); do
    line=$("$kiln" generate "$model" --prompt "$prompt" -n 128 --threads "$threads" 2>&1 >/dev/null | tail -1)
    read -r n pp tg < <(sed -n 's/.*prompt: \([0-9]*\) tokens, \([0-9.]*\) tokens\/s; generated: [0-9]* tokens, \([0-9.]*\) tokens\/s.*/\1 \2 \3/p' <<<"$line")
    pps+=("$pp"); tgs+=("$tg")
  done
  kpp=$(mean "${pps[@]}"); ktg=$(mean "${tgs[@]}")
  lpp=$("$bin/llama-bench" -m "$model" -p "$n" -n 0 -t "$threads" -r "$reps" -o csv 2>/dev/null | tail -1 | awk -F, '{gsub(/"/,""); print $(NF-1)}')
  ltg=$("$bin/llama-bench" -m "$model" -p 0 -n 128 -d "$n" -t "$threads" -r "$reps" -o csv 2>/dev/null | tail -1 | awk -F, '{gsub(/"/,""); print $(NF-1)}')
  python3 -c "print('%-24s %7d %10.1f %10.1f %6.2fx %10.1f %10.1f %6.2fx' % ('$(basename "$model")', $n, $kpp, $lpp, $kpp/$lpp, $ktg, $ltg, $ktg/$ltg))"
done
