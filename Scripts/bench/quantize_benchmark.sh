#!/usr/bin/env bash
# Quantizes the same F16 GGUF with Kiln and with llama-quantize, side by side, at the same thread
# count, and prints time, peak RSS, the throughput ratio and whether the outputs are byte-identical.
#
# Usage: Scripts/bench/quantize_benchmark.sh [WORK_DIR] [TYPES…]   (e.g. … .build/bench IQ2_XS IQ3_S TQ1_0)
# Types that llama-quantize writes only with an importance matrix (IQ1_*, IQ2_*, IQ3_XXS, IQ3_XS) get one
# from `kiln imatrix` (4 chunks of 128 tokens of eval.txt), the same file for both tools.
# Needs: Scripts/build-release.sh, Scripts/oracle/build_llama_cpp.sh (llama-quantize). The synthetic
# checkpoint comes from Scripts/bench/make_synthetic_checkpoint.py (made once in WORK_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
shift || true
types=${*:-Q8_0 Q4_0 Q6_K Q4_K_M Q2_K}
threads=$(nproc)
kiln=.build/release/kiln
Scripts/build-release.sh >/dev/null
mkdir -p "$work"
[ -d "$work/synthetic-430m" ] || python3 Scripts/bench/make_synthetic_checkpoint.py "$work/synthetic-430m"

needs_imatrix() { case "$1" in IQ1_*|IQ2_*|IQ3_XXS|IQ3_XS) return 0;; *) return 1;; esac; }

measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/last.log" || { cat "$work/last.log" >&2; exit 1; }; cat "$work/time.txt"; }

printf "%-14s %-8s %10s %10s %12s %10s %s\n" model type kiln_s llama_s ratio kiln_MiB llama_MiB
for model in Fixtures/tiny-pixtral Fixtures/wide-llama "$work/synthetic-430m"; do
  name=$(basename "$model")
  "$kiln" convert "$model" --outtype f16 -o "$work/$name-f16.gguf" >/dev/null
  for type in $types; do
    imatrix=()
    if needs_imatrix "$type"; then
      [ -f "$work/$name.imatrix.gguf" ] || "$kiln" imatrix "$work/$name-f16.gguf" -o "$work/$name.imatrix.gguf" \
        --file Fixtures/text/eval.txt --ctx 128 --chunks 4 >/dev/null 2>&1
      imatrix=(--imatrix "$work/$name.imatrix.gguf")
    fi
    read -r ks kr < <(measure "$kiln" quantize "$work/$name-f16.gguf" -o "$work/kiln.gguf" --type "$type" --threads "$threads" --json "${imatrix[@]}")
    read -r ls lr < <(measure .oracle/build/bin/llama-quantize "${imatrix[@]}" "$work/$name-f16.gguf" "$work/llama.gguf" "$type" "$threads")
    cmp -s "$work/kiln.gguf" "$work/llama.gguf" && same=identical || same=DIFFERENT
    python3 -c "print(f'%-14s %-8s %10.2f %10.2f %11.2fx %10d %10d %s' % ('$name', '$type', $ks, $ls, $ls/max($ks,1e-3), $kr//1024, $lr//1024, '$same'))"
  done
  rm -f "$work/$name-f16.gguf" "$work/$name.imatrix.gguf" "$work/kiln.gguf" "$work/llama.gguf"
done
