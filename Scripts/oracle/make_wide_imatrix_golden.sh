#!/usr/bin/env bash
# llama-imatrix's importance matrix for the wide fixture (Fixtures/wide-llama, K-quant-wide rows), the
# oracle `kiln imatrix` is held to in Tests/KilnRuntimeTests/ImportanceCollectorTests.swift.
# The F16 GGUF is `kiln convert --outtype f16` (byte-identical to convert_hf_to_gguf.py, see
# Fixtures/goldens/convert/wide-f16.json). Writes Fixtures/goldens/imatrix/wide-llama.imatrix.gguf and
# wide-llama.json. Needs a kiln build and llama-imatrix (BIN, default the native build's bin folder).
# One thread: llama.cpp's workers busy-wait on a small shared machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=${KILN:-.build/release/kiln}
bin=${BIN:-.oracle/build-native/bin}
[ -x "$kiln" ] || Scripts/build-release.sh
out=Fixtures/goldens/imatrix
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kiln" convert Fixtures/wide-llama --outtype f16 -o "$work/wide-f16.gguf" >/dev/null
"$bin/llama-imatrix" -m "$work/wide-f16.gguf" -f Fixtures/text/eval.txt -c 256 --chunks 12 -t 1 -o "$out/wide-llama.imatrix.gguf" >"$work/log" 2>&1
{
  echo "{"
  echo "  \"input\": \"kiln convert Fixtures/wide-llama --outtype f16\", \"input_sha256\": \"$(sha256sum "$work/wide-f16.gguf" | cut -d' ' -f1)\","
  echo "  \"imatrix_command\": \"llama-imatrix -m wide-f16.gguf -f Fixtures/text/eval.txt -c 256 --chunks 12\","
  echo "  \"llama_imatrix_ppl\": \"$(grep -o 'Final estimate: PPL = [0-9.]* +/- [0-9.]*' "$work/log" | cut -d' ' -f5-)\""
  echo "}"
} > "$out/wide-llama.json"
cat "$out/wide-llama.json"
