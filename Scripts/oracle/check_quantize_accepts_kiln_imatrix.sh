#!/usr/bin/env bash
# Proof that llama-quantize accepts the importance matrices `kiln imatrix` writes: Kiln computes one
# for the fixture's F16 GGUF (GGUF and legacy .dat), llama-quantize --imatrix reads each and
# quantizes, and the log records what it loaded, its output's hash and Kiln's own quantization with
# the same file. Writes Fixtures/goldens/imatrix/llama-quantize-accepts-kiln.txt.
# Needs a kiln build and llama-quantize (BIN, default the native build's bin folder; the baseline
# oracle build's bin works too). One thread: llama.cpp's workers busy-wait on a small shared machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=${KILN:-.build/release/kiln}
bin=${BIN:-.oracle/build-native/bin}
[ -x "$kiln" ] || Scripts/build-release.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=Fixtures/goldens/imatrix/llama-quantize-accepts-kiln.txt
"$kiln" convert Fixtures/tiny-pixtral --outtype f16 -o "$out/f16.gguf" >/dev/null
{
  for format in gguf dat; do
    imatrix="$out/kiln.imatrix.$format"
    echo "\$ kiln imatrix f16.gguf -o kiln.imatrix.$format --file Fixtures/text/eval.txt --ctx 128 --chunks 16 --output-format $format"
    "$kiln" imatrix "$out/f16.gguf" -o "$imatrix" --file Fixtures/text/eval.txt --ctx 128 --chunks 16 --output-format "$format" --threads 1 | sed "s|$out/||"
    for type in Q4_K_M IQ4_XS Q2_K; do
      echo "\$ llama-quantize --imatrix kiln.imatrix.$format f16.gguf $type.gguf $type 1"
      if "$bin/llama-quantize" --imatrix "$imatrix" "$out/f16.gguf" "$out/llama.gguf" "$type" 1 >"$out/qlog" 2>&1; then
        grep -E "imatrix|importance" "$out/qlog" | sed "s|$out/||g" | head -4
        "$kiln" quantize "$out/f16.gguf" -o "$out/kiln.gguf" --type "$type" --imatrix "$imatrix" --threads 1 >/dev/null
        echo "exit 0, $(stat -c %s "$out/llama.gguf") bytes, sha256 $(sha256sum "$out/llama.gguf" | cut -c1-16)…;" \
             "kiln quantize --imatrix with the same file: sha256 $(sha256sum "$out/kiln.gguf" | cut -c1-16)…"
      else
        echo "FAILED:"; tail -5 "$out/qlog"
      fi
    done
    echo
  done
} > "$log"
cat "$log"
