#!/usr/bin/env bash
# A second llama.cpp build, optimized for this CPU (GGML_NATIVE=ON), as the speed baseline of the
# benchmarks. The oracle build in .oracle/build turns every x86 extension off so its reference
# quantizers are unfused; that build is correct but slow and must not be used to compare speed.
# Usage: Scripts/bench/build_native_llama_cpp.sh  (after Scripts/oracle/build_llama_cpp.sh fetched the source)
# This machine's CPU advertises AMX but the VM traps on it: with GGML_NATIVE=ON the quantized matmuls die
# with SIGILL, so the AMX extensions are switched off in the C/C++ flags (everything else stays native).
# Uses CMake's Makefile generator: with ninja this vendored tree regenerated its build files in a loop
# ("manifest 'build.ninja' still dirty after 100 tries") on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$(python3 -c 'import sysconfig;print(sysconfig.get_path("scripts"))'):$PATH"
src=.oracle/llama.cpp
build=.oracle/build-native
no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
cmake -S "$src" -B "$build" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=ON \
  -DGGML_OPENMP=OFF -DGGML_CCACHE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF \
  -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_TOOLS=ON \
  -DLLAMA_BUILD_SERVER=OFF -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF \
  -DCMAKE_C_FLAGS="$no_amx" -DCMAKE_CXX_FLAGS="$no_amx" >/dev/null
make -C "$build" -j"${JOBS:-2}" llama-bench llama-completion llama-perplexity llama-mtmd-cli >/dev/null
ls "$build/bin"/llama-*
