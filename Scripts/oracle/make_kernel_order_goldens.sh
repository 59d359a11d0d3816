#!/usr/bin/env bash
# The exact bits of llama.cpp's CPU matrix product for F16, Q8_0, Q5_0, Q4_K and Q6_K weights at 1–19
# tokens (kernel_order_goldens.c against the native build's libggml: GGML_NATIVE, AVX-512, its
# tinyBLAS, tiled and vec_dot kernels), for KernelOrderTests.
#
# Usage: Scripts/oracle/make_kernel_order_goldens.sh   (after Scripts/bench/build_native_llama_cpp.sh)
# Writes Fixtures/goldens/kernel-order/ggml-mul-mat.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
native=.oracle/build-native/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -I.oracle/llama.cpp/ggml/include Scripts/oracle/kernel_order_goldens.c -o "$work/goldens" \
  -L"$native" -lggml-base -lggml-cpu -lggml -Wl,-rpath,"$PWD/$native"
mkdir -p Fixtures/goldens/kernel-order
"$work/goldens" > Fixtures/goldens/kernel-order/ggml-mul-mat.json
python3 -c "import json; json.load(open('Fixtures/goldens/kernel-order/ggml-mul-mat.json'))"
