#!/usr/bin/env bash
# Goldens for `kiln verify`: llama-perplexity's --kl-divergence statistics for quantized fixtures
# against their F16 reference, on the same text, context and chunks that the test uses, from
# llama.cpp as users build it (the native build, default -fa): the runtime reproduces that build's
# activation rounding, which the scalar oracle's portable quantizers round a few values differently.
#
# Usage: Scripts/oracle/make_verify_goldens.sh   (needs Scripts/bench/build_native_llama_cpp.sh and a kiln build)
# Writes Fixtures/goldens/verify/<TYPE>.txt (llama-perplexity's statistics section).
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=${KILN:-.build/release/kiln}
bin=.oracle/build-native/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=Fixtures/goldens/verify
mkdir -p "$out"
"$kiln" convert Fixtures/tiny-pixtral --outtype f16 -o "$work/f16.gguf" >/dev/null
"$bin/llama-perplexity" -m "$work/f16.gguf" -f Fixtures/text/eval.txt -c 128 --chunks 16 -t 2 \
  --kl-divergence-base "$work/base.bin" >"$work/base.log" 2>&1
for type in Q8_0 Q4_K_M Q3_K_S; do
  "$kiln" quantize "$work/f16.gguf" -o "$work/$type.gguf" --type "$type" --json >/dev/null
  "$bin/llama-perplexity" -m "$work/$type.gguf" -c 128 --chunks 16 -t 2 --kl-divergence-base "$work/base.bin" \
    --kl-divergence >"$work/$type.log" 2>&1
  sed -n '/====== Perplexity statistics ======/,$p' "$work/$type.log" | grep -vE "^(llama_|common_|ggml_)" > "$out/$type.txt"
  echo "$type: $(grep -E 'Mean +KLD' "$out/$type.txt")"
done
