#!/usr/bin/env bash
# Quantizes the same F16 GGUF with Kiln and with llama-quantize, side by side, at the same thread
# count, and prints time, peak RSS, the throughput ratio and whether the outputs are byte-identical.
#
# Usage: Scripts/bench/quantize_benchmark.sh [WORK_DIR] [TYPES…]
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

measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/last.log" || { cat "$work/last.log" >&2; exit 1; }; cat "$work/time.txt"; }

printf "%-14s %-8s %10s %10s %12s %10s %s\n" model type kiln_s llama_s ratio kiln_MiB llama_MiB
for model in Fixtures/tiny-pixtral "$work/synthetic-430m"; do
  name=$(basename "$model")
  "$kiln" convert "$model" --outtype f16 -o "$work/$name-f16.gguf" >/dev/null
  for type in $types; do
    read -r ks kr < <(measure "$kiln" quantize "$work/$name-f16.gguf" -o "$work/kiln.gguf" --type "$type" --threads "$threads" --json)
    read -r ls lr < <(measure .oracle/build/bin/llama-quantize "$work/$name-f16.gguf" "$work/llama.gguf" "$type" "$threads")
    cmp -s "$work/kiln.gguf" "$work/llama.gguf" && same=identical || same=DIFFERENT
    python3 -c "print(f'%-14s %-8s %10.2f %10.2f %11.2fx %10d %10d %s' % ('$name', '$type', $ks, $ls, $ls/max($ks,1e-3), $kr//1024, $lr//1024, '$same'))"
  done
  rm -f "$work/$name-f16.gguf" "$work/kiln.gguf" "$work/llama.gguf"
done
