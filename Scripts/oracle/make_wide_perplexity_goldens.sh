#!/usr/bin/env bash
# llama-perplexity on each i-quant/ternary file of Fixtures/wide-llama that llama-quantize wrote with
# llama-imatrix's matrix (Scripts/oracle/make_wide_quantize_goldens.py leaves them in .oracle/quantize-wide;
# Kiln writes the same bytes), for `kiln perplexity` to equal within 0.1 %.
# Usage: Scripts/oracle/make_wide_perplexity_goldens.sh [BIN]   (BIN holds llama-perplexity; any CPU build)
# Writes Fixtures/goldens/perplexity-wide/summary.json: {TYPE: {"command", "ppl", "ppl_err"}}.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.oracle/build/bin}
work=.oracle/quantize-wide
out=Fixtures/goldens/perplexity-wide
mkdir -p "$out"
args=(-f Fixtures/text/eval.txt -c 128 --chunks 24 -t 1 -tb 1)
{
  echo "{"
  first=1
  for file in "$work"/*.imatrix.gguf; do
    type=$(basename "$file" .imatrix.gguf)
    # llama-perplexity now and then exits non-zero after printing its estimate on this shared machine:
    # the estimate line is what counts, retried until it is there.
    line=""
    for attempt in 1 2 3; do
      line=$({ "$bin/llama-perplexity" -m "$file" "${args[@]}" 2>&1 || true; } | grep "Final estimate" || true)
      [ -n "$line" ] && break
    done
    [ -n "$line" ] || { echo "llama-perplexity gave no estimate for $file" >&2; exit 1; }
    ppl=$(sed -E 's/.*PPL = ([0-9.]+) \+\/- ([0-9.]+).*/\1/' <<<"$line")
    err=$(sed -E 's/.*PPL = ([0-9.]+) \+\/- ([0-9.]+).*/\2/' <<<"$line")
    [ $first = 1 ] || echo ","
    first=0
    printf '  "%s": {"command": "llama-perplexity -m %s.imatrix.gguf %s", "ppl": %s, "ppl_err": %s}' \
      "$type" "$type" "${args[*]}" "$ppl" "$err"
  done
  echo
  echo "}"
} > "$out/summary.json.tmp"
mv "$out/summary.json.tmp" "$out/summary.json"
cat "$out/summary.json"
