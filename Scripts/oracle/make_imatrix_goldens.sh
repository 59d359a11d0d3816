#!/usr/bin/env bash
# Goldens for the importance-matrix path: llama-imatrix computes an imatrix for the fixture (GGUF and
# legacy .dat formats) and llama-quantize --imatrix records what it writes with each.
#
# Usage: Scripts/oracle/make_imatrix_goldens.sh   (after build_llama_cpp.sh and make_convert_goldens.py)
# Writes Fixtures/goldens/imatrix/: tiny-pixtral.imatrix.gguf, tiny-pixtral.imatrix.dat, quantize.json.
# Paths are passed relative to the repository root because llama-quantize records the imatrix path
# as given (quantize.imatrix.file).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.oracle/build/bin
input=.oracle/convert/hf-f16.gguf
out=Fixtures/goldens/imatrix
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
"$bin/llama-imatrix" -m "$input" -f Fixtures/text/eval.txt -c 128 --chunks 16 -o "$out/tiny-pixtral.imatrix.gguf" >"$work/log" 2>&1
"$bin/llama-imatrix" -m "$input" -f Fixtures/text/eval.txt -c 128 --chunks 16 --output-format dat -o "$out/tiny-pixtral.imatrix.dat" >>"$work/log" 2>&1
{
  echo "{"
  echo "  \"input\": \"$input\", \"input_sha256\": \"$(sha256sum "$input" | cut -d' ' -f1)\","
  echo "  \"imatrix_command\": \"llama-imatrix -m hf-f16.gguf -f Fixtures/text/eval.txt -c 128 --chunks 16 [--output-format dat]\","
  echo "  \"outputs\": ["
  first=1
  for imatrix in "$out/tiny-pixtral.imatrix.gguf" "$out/tiny-pixtral.imatrix.dat"; do
    for type in Q4_K_M IQ4_XS Q2_K Q4_0 Q5_1 Q6_K; do
      "$bin/llama-quantize" --imatrix "$imatrix" "$input" "$work/out.gguf" "$type" 2 >"$work/qlog" 2>&1
      [ $first = 1 ] || echo ","
      first=0
      printf '    {"imatrix": "%s", "type": "%s", "file_size": %d, "file_sha256": "%s"}' \
        "$imatrix" "$type" "$(stat -c %s "$work/out.gguf")" "$(sha256sum "$work/out.gguf" | cut -d' ' -f1)"
    done
  done
  echo
  echo "  ]"
  echo "}"
} > "$out/quantize.json"
ls -la "$out"
