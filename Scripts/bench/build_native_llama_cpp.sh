#!/usr/bin/env bash
# A second llama.cpp build, optimized for this CPU (GGML_NATIVE=ON), for fair speed comparisons.
# The oracle build in .oracle/build turns every x86 extension off so its reference quantizers are
# unfused; that build is correct but slow and must not be used as a speed baseline.
# Usage: Scripts/bench/build_native_llama_cpp.sh  (after Scripts/oracle/build_llama_cpp.sh fetched the source)
set -euo pipefail
cd "$(dirname "$0")/../.."
src=.oracle/llama.cpp
build=.oracle/build-native
# Same options as the oracle build (build_llama_cpp.sh) except the instruction-set ones.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=ON \
  -DGGML_CCACHE=OFF -DGGML_BACKEND_DL=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=OFF -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j2 --target llama-bench llama-completion
ls -la "$build/bin"
