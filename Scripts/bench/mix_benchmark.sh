#!/usr/bin/env bash
# Kiln's own mixes against llama.cpp's at equal or smaller size (issue 15): for each budget type,
#   (a) llama-quantize without an importance matrix,
#   (b) llama-quantize --imatrix with Kiln's importance matrix (kiln imatrix, built-in calibration text),
#   (c) kiln quantize --budget TYPE with the same matrix: Kiln's mix within (b)'s bytes,
#   (d) (b)'s types with Kiln's --rounding exhaustive (its bytes plus the kiln.quantize.rounding key),
#   (e) with EXHAUSTIVE_MIX=1, (c) with --rounding exhaustive (its search encodes every tensor at
#       every candidate type with the slower rounding),
# each scored by llama-perplexity --kl-divergence against the F16 model on Fixtures/text/eval.txt (the
# tokens come from the base file; with -f again llama-perplexity prints no summary), which
# is disjoint from the calibration text. Prints file size, mean KLD ± error, same-top %, PPL ratio;
# exits 1 if llama-perplexity could not load or score a file.
# Usage: Scripts/bench/mix_benchmark.sh [MODEL_DIR] [TYPES...]   (default Fixtures/wide-llama Q4_K_M Q3_K_M Q2_K)
# Env: BIN (llama.cpp binaries, default the native build), SENSITIVITY (measured|calibrated, default
# measured), CTX (evaluation chunk, default 256), EXHAUSTIVE_MIX, KILN. One thread for llama.cpp: its
# workers busy-wait.
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
roundings=(reference)
[[ ${EXHAUSTIVE_MIX:-0} == 1 ]] && roundings+=(exhaustive)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kiln" convert "$model" --outtype f16 -o "$work/f16.gguf" >/dev/null
"$kiln" imatrix "$work/f16.gguf" -o "$work/imatrix.gguf" --ctx 256 --chunks 64 >/dev/null
"$bin/llama-perplexity" -m "$work/f16.gguf" -f Fixtures/text/eval.txt -c "$ctx" -t 1 --kl-divergence-base "$work/base.kld" >"$work/base.log" 2>&1

failures=0
score() {  # file label: one table row from llama-perplexity --kl-divergence (which also proves the file loads)
  local log="$work/kld.log" kld top ratio attempt chunks last
  # llama.cpp's logger is asynchronous and never flushed at exit ("logs may be lost"): under heavy load
  # the summary can be missing although the run succeeded. Such a run is tried again; if the summary
  # is still missing, the last chunk line (the same running statistics, one digit less) is used.
  for attempt in 1 2 3; do
    "$bin/llama-perplexity" -m "$1" -c "$ctx" -t 1 --kl-divergence-base "$work/base.kld" --kl-divergence >"$log" 2>&1 \
      || { echo "| $2 | llama-perplexity failed to load or run $1: $(tail -n 2 "$log" | tr '\n' ' ')"; failures=$((failures + 1)); return; }
    grep -qE '^Mean +KLD:' "$log" && break
  done
  if grep -qE '^Mean +KLD:' "$log"; then
    kld=$(grep -E '^Mean +KLD:' "$log" | sed -E 's/^Mean +KLD: +//')
    top=$(grep -E '^Same top p:' "$log" | sed -E 's/^Same top p: +//')
    ratio=$(grep -E '^Mean PPL\(Q\)/PPL\(base\)' "$log" | sed -E 's/^[^:]*: +//')
  else
    chunks=$(grep -oE 'computing over [0-9]+ chunks' "$log" | grep -oE '[0-9]+' || true)
    last=$(grep -E "^ *${chunks:-x} +[0-9.]+ ± " "$log" | tail -n 1 || true)
    if [[ -z $last ]]; then
      echo "| $2 | llama-perplexity printed neither its summary nor its last chunk for $1"
      failures=$((failures + 1))
      return
    fi
    read -r -a f <<<"$last"
    kld="${f[7]} ± ${f[9]} (last chunk line)"
    top="${f[14]} ± ${f[16]} %"
    ratio=$(python3 -c "import math,sys; r=math.exp(float(sys.argv[1])); print(f'{r:.6f} ± {r*float(sys.argv[2]):.6f}')" "${f[4]}" "${f[6]}")
  fi
  printf '| %-30s | %9d | %-22s | %-18s | %-22s |\n' "$2" "$(stat -c %s "$1")" "$kld" "$top" "$ratio"
}

echo "model $model, evaluation Fixtures/text/eval.txt, ctx $ctx; imatrix and mix from Kiln's built-in calibration text; sensitivity $sensitivity"
printf '| %-30s | %9s | %-22s | %-18s | %-22s |\n' file bytes "mean KLD" "same top %" "PPL(Q)/PPL(base)"
echo "|---|---|---|---|---|"
for type in "${types[@]}"; do
  "$bin/llama-quantize" "$work/f16.gguf" "$work/a.gguf" "$type" 1 >/dev/null 2>&1
  "$bin/llama-quantize" --imatrix "$work/imatrix.gguf" "$work/f16.gguf" "$work/b.gguf" "$type" 1 >/dev/null 2>&1
  "$kiln" quantize "$work/f16.gguf" -o "$work/d.gguf" --type "$type" --imatrix "$work/imatrix.gguf" --rounding exhaustive >/dev/null
  for rounding in "${roundings[@]}"; do
    "$kiln" quantize "$work/f16.gguf" -o "$work/c-$rounding.gguf" --budget "$type" --imatrix "$work/imatrix.gguf" --sensitivity "$sensitivity" \
      --rounding "$rounding" --recipe-out "$work/c-$type-$rounding.json" >"$work/c.log" 2>&1 || { cat "$work/c.log"; exit 1; }
  done
  score "$work/a.gguf" "$type llama-quantize"
  score "$work/b.gguf" "$type + Kiln imatrix"
  score "$work/c-reference.gguf" "$type budget, Kiln mix"
  score "$work/d.gguf" "$type + imatrix, exhaustive"
  [[ -f $work/c-exhaustive.gguf ]] && score "$work/c-exhaustive.gguf" "$type budget, mix, exhaustive"
  for rounding in "${roundings[@]}"; do
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f'    Kiln mix ({sys.argv[2]} rounding): predicted KLD {r[\"predicted_kld\"]}, measured on calibration {r[\"measured_kld\"]}, {r[\"evaluations\"]} runs, {r[\"file_bytes\"]} of {r[\"budget_bytes\"]} bytes')" \
      "$work/c-$type-$rounding.json" "$rounding"
  done
done
exit $((failures > 0))
