#!/usr/bin/env bash
# Kiln's own mixes against llama.cpp's at equal or smaller size (issue 15): for each budget type,
#   (a) llama-quantize without an importance matrix,
#   (b) llama-quantize --imatrix with Kiln's importance matrix (kiln imatrix, built-in calibration text),
#   (c) kiln quantize --budget TYPE with the same matrix: Kiln's mix within (b)'s bytes,
# each scored by llama-perplexity --kl-divergence against the F16 model on Fixtures/text/eval.txt (the
# tokens come from the base file; with -f again llama-perplexity prints no summary), which
# is disjoint from the calibration text. Prints file size, mean KLD ± error, same-top %, PPL ratio.
# Usage: Scripts/bench/mix_benchmark.sh [MODEL_DIR] [TYPES...]   (default Fixtures/wide-llama Q4_K_M Q3_K_M Q2_K)
# Env: BIN (llama.cpp binaries, default the native build), SENSITIVITY (measured|calibrated, default
# measured), CTX (evaluation chunk, default 256), KILN. One thread for llama.cpp: its workers busy-wait.
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=${KILN:-.build/release/kiln}
bin=${BIN:-.oracle/build-native/bin}
model=${1:-Fixtures/wide-llama}
shift || true
types=("${@:-Q4_K_M Q3_K_M Q2_K}")
types=(${types[@]})
ctx=${CTX:-256}
sensitivity=${SENSITIVITY:-measured}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kiln" convert "$model" --outtype f16 -o "$work/f16.gguf" >/dev/null
"$kiln" imatrix "$work/f16.gguf" -o "$work/imatrix.gguf" --ctx 256 --chunks 64 >/dev/null
"$bin/llama-perplexity" -m "$work/f16.gguf" -f Fixtures/text/eval.txt -c "$ctx" -t 1 --kl-divergence-base "$work/base.kld" >"$work/base.log" 2>&1

score() {  # file label
  "$bin/llama-perplexity" -m "$1" -c "$ctx" -t 1 --kl-divergence-base "$work/base.kld" --kl-divergence >"$work/kld.log" 2>&1 \
    || { echo "$2: llama-perplexity failed to load or run $1"; tail -3 "$work/kld.log"; return; }
  local kld top ratio
  kld=$(grep -E '^Mean +KLD:' "$work/kld.log" | sed -E 's/^Mean +KLD: +//')
  top=$(grep -E '^Same top p:' "$work/kld.log" | sed -E 's/^Same top p: +//')
  ratio=$(grep -E '^Mean PPL\(Q\)/PPL\(base\)' "$work/kld.log" | sed -E 's/^[^:]*: +//')
  printf '| %-22s | %9d | %-22s | %-18s | %-22s |\n' "$2" "$(stat -c %s "$1")" "$kld" "$top" "$ratio"
}

echo "model $model, evaluation Fixtures/text/eval.txt, ctx $ctx; imatrix and mix from Kiln's built-in calibration text; sensitivity $sensitivity"
printf '| %-22s | %9s | %-22s | %-18s | %-22s |\n' file bytes "mean KLD" "same top %" "PPL(Q)/PPL(base)"
echo "|---|---|---|---|---|"
for type in "${types[@]}"; do
  "$bin/llama-quantize" "$work/f16.gguf" "$work/a.gguf" "$type" 1 >/dev/null 2>&1
  "$bin/llama-quantize" --imatrix "$work/imatrix.gguf" "$work/f16.gguf" "$work/b.gguf" "$type" 1 >/dev/null 2>&1
  "$kiln" quantize "$work/f16.gguf" -o "$work/c.gguf" --budget "$type" --imatrix "$work/imatrix.gguf" --sensitivity "$sensitivity" \
    --recipe-out "$work/c-$type.json" >"$work/c.log" 2>&1 || { cat "$work/c.log"; exit 1; }
  score "$work/a.gguf" "$type llama-quantize"
  score "$work/b.gguf" "$type + Kiln imatrix"
  score "$work/c.gguf" "$type budget, Kiln mix"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f'    Kiln mix: predicted KLD {r[\"predicted_kld\"]}, measured on calibration {r[\"measured_kld\"]}, {r[\"evaluations\"]} runs, {r[\"file_bytes\"]} of {r[\"budget_bytes\"]} bytes')" "$work/c-$type.json"
done
