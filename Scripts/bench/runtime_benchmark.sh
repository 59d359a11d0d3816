#!/usr/bin/env bash
# Prompt processing (~512 tokens) and generation (128 tokens) speed of `kiln generate` against
# llama.cpp's llama-completion on the same GGUF files and thread count, plus whole-file perplexity
# (`kiln perplexity` vs llama-perplexity, -c 512). Prints tokens/s and ratios.
#
# Usage: Scripts/bench/runtime_benchmark.sh [WORK_DIR] [THREADS]
# Needs: Scripts/build-release.sh, Scripts/oracle/build_llama_cpp.sh. Uses the fixture model; pass a
# bigger GGUF as KILN_BENCH_MODELS="a.gguf b.gguf" to measure something less tiny, and
# KILN_BENCH_PPL=0 to skip the (long) whole-file perplexity runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
threads=${2:-$(nproc)}
kiln=${KILN:-.build/release/kiln}
bin=.oracle/build/bin
[ -n "${KILN:-}" ] || Scripts/build-release.sh >/dev/null
mkdir -p "$work"
models=${KILN_BENCH_MODELS:-}
if [ -z "$models" ]; then
  "$kiln" convert Fixtures/tiny-pixtral --outtype f16 -o "$work/rt-f16.gguf" >/dev/null
  "$kiln" quantize "$work/rt-f16.gguf" -o "$work/rt-q8_0.gguf" --type Q8_0 >/dev/null
  "$kiln" quantize "$work/rt-f16.gguf" -o "$work/rt-q4_k_m.gguf" --type Q4_K_M >/dev/null
  models="$work/rt-f16.gguf $work/rt-q8_0.gguf $work/rt-q4_k_m.gguf"
fi
# About 512 tokens of held-out text as the prompt.
prompt=$(head -c 1500 Fixtures/text/eval.txt)

printf "%-16s %12s %12s %8s %12s %12s %8s %10s %10s\n" model kiln_pp llama_pp ratio kiln_tg llama_tg ratio kiln_ppl llama_ppl
for model in $models; do
  read -r kpp ktg < <("$kiln" generate "$model" --prompt "$prompt" -n 128 --threads "$threads" 2>&1 >/dev/null |
    sed -n 's/.*prompt: [0-9]* tokens, \([0-9.]*\) tokens\/s; generated: [0-9]* tokens, \([0-9.]*\) tokens\/s.*/\1 \2/p')
  log=$("$bin/llama-completion" -m "$model" -p "$prompt" -n 128 -c 2048 -t "$threads" --temp 0 -no-cnv --ignore-eos 2>&1 >/dev/null)
  lpp=$(sed -n 's/.*prompt eval time.*, *\([0-9.]*\) tokens per second.*/\1/p' <<<"$log" | tail -1)
  ltg=$(sed -n 's/.* eval time.*runs.*, *\([0-9.]*\) tokens per second.*/\1/p' <<<"$log" | tail -1)
  kppl=-; lppl=-
  [ "${KILN_BENCH_PPL:-1}" = 0 ] || kppl=$("$kiln" perplexity "$model" --file Fixtures/text/eval.txt --ctx 512 --threads "$threads" 2>/dev/null | sed -n 's/PPL = \([0-9.]*\).*/\1/p')
  [ "${KILN_BENCH_PPL:-1}" = 0 ] || lppl=$("$bin/llama-perplexity" -m "$model" -f Fixtures/text/eval.txt -c 512 -t "$threads" 2>&1 | sed -n 's/.*PPL = \([0-9.]*\).*/\1/p')
  python3 -c "print('%-16s %12.1f %12.1f %7.2fx %12.1f %12.1f %7.2fx %10s %10s' % ('$(basename "$model")', $kpp, ${lpp:-0}, $kpp/max(${lpp:-0},1e-9), $ktg, ${ltg:-0}, $ktg/max(${ltg:-0},1e-9), '$kppl', '$lppl'))"
done
