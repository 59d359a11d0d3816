#!/usr/bin/env bash
# A second llama.cpp build, optimized for this CPU (GGML_NATIVE=ON), for fair speed comparisons.
# The oracle build in .oracle/build turns every x86 extension off so its reference quantizers are
# unfused; that build is correct but slow and must not be used as a speed baseline.
# Usage: Scripts/bench/build_native_llama_cpp.sh  (after Scripts/oracle/build_llama_cpp.sh fetched the source)
# Known problem (2026-11-23, this machine): ninja stops with "manifest 'build.ninja' still dirty after
# 100 tries" although no input is newer than build.ninja (`ninja -d explain` blames CMake's own modules);
# the oracle build of the same tree did not hit it. Unresolved; see the issue 4 note.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=.oracle/llama.cpp
build=.oracle/build-native
# The oracle build's options, except the instruction-set ones; ninja is driven directly, as there.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=ON \
  -DGGML_OPENMP=OFF -DGGML_CCACHE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF \
  -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_TOOLS=ON \
  -DLLAMA_BUILD_SERVER=OFF -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF >/dev/null
ninja -C "$build" -j2 llama-bench llama-completion
ls -la "$build/bin"
