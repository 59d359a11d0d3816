#!/usr/bin/env bash
# Renders the two verify reports the README shows (docs/verify-report-pass.png and -fail.png): the
# wide Llama fixture's (Fixtures/wide-llama, rows wide enough for K-quants) Q4_K_M and Q2_K against its
# F16, under the same thresholds. Run from anywhere after
# Scripts/build-release.sh; the figures depend only on the fixture, so the PNGs change only with it.
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=.build/release/kiln
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kiln" convert Fixtures/wide-llama -o "$work/f16.gguf" --outtype f16 >/dev/null 2>&1
"$kiln" quantize "$work/f16.gguf" "$work/Q4_K_M.gguf" Q4_K_M >/dev/null
"$kiln" quantize "$work/f16.gguf" "$work/Q2_K.gguf" Q2_K >/dev/null
for type in Q4_K_M Q2_K; do
  name=$([ "$type" = Q4_K_M ] && echo pass || echo fail)
  "$kiln" verify --reference "$work/f16.gguf" --candidate "$work/$type.gguf" -f Fixtures/text/eval.txt -c 128 --chunks 16 \
    --reference-cache "$work/reference.kref" --max-kld 0.01 --min-top1 0.95 --max-ppl-increase 1 \
    --report "docs/verify-report-$name.png" >/dev/null || [ $? -eq 1 ]
done
ls -l docs/verify-report-*.png
