#!/usr/bin/env bash
# Build llama.cpp (vendored in the llama-cpp-python sdist) as Kiln's oracle.
# Idempotent: rerunning skips finished steps.  Usage:
#   Scripts/oracle/build_llama_cpp.sh            # into $ORACLE_DIR (default <repo>/.oracle)
# Env: ORACLE_DIR, LLAMA_CPP_PYTHON_VERSION (pin), JOBS (default 2)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ORACLE_DIR="${ORACLE_DIR:-$REPO/.oracle}"
VER="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
JOBS="${JOBS:-2}"
mkdir -p "$ORACLE_DIR"
cd "$ORACLE_DIR"

python3 -m pip install -q scikit-build-core cmake ninja
export PATH="$(python3 -c 'import sysconfig;print(sysconfig.get_path("scripts"))'):$PATH"

SDIST="llama_cpp_python-$VER.tar.gz"
if [ ! -f "sdist/$SDIST" ]; then
  mkdir -p sdist
  python3 -m pip download --no-deps --no-build-isolation --no-binary :all: \
      -d sdist "llama-cpp-python==$VER"
fi
SRC="$ORACLE_DIR/src/llama_cpp_python-$VER"
if [ ! -d "$SRC/vendor/llama.cpp" ]; then
  mkdir -p src
  tar -xzf "sdist/$SDIST" -C src
fi
LLAMA="$SRC/vendor/llama.cpp"
ln -sfn "$LLAMA" "$ORACLE_DIR/llama.cpp"

# Byte-identical golden quantization: compile everything for the x86-64
# baseline (GGML_NATIVE=OFF, no AVX/FMA/F16C flags) and forbid FP contraction
# (-ffp-contract=off) so ggml-quants.c's reference quantizers never fuse a*b+c.
# See Scripts/oracle/README.md.
CFLAGS_ORACLE="-ffp-contract=off"
BUILD="$ORACLE_DIR/build"
cmake -S "$LLAMA" -B "$BUILD" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_C_FLAGS="$CFLAGS_ORACLE" -DCMAKE_CXX_FLAGS="$CFLAGS_ORACLE" \
  -DBUILD_SHARED_LIBS=ON \
  -DGGML_NATIVE=OFF -DGGML_SSE42=OFF -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_AVX512=OFF \
  -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_BMI2=OFF -DGGML_AVX_VNNI=OFF \
  -DGGML_OPENMP=OFF -DGGML_CCACHE=OFF -DGGML_LLAMAFILE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF \
  -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=ON \
  -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=OFF -DGGML_BUILD_TESTS=OFF \
  -DGGML_BUILD_EXAMPLES=OFF

# Only build the targets that exist in this llama.cpp version.
ALL_TARGETS="$(ninja -C "$BUILD" -t targets all | sed 's/:.*//')"
WANT="ggml ggml-base ggml-cpu llama llama-quantize llama-perplexity llama-simple llama-cli llama-completion llama-imatrix llama-tokenize llama-gguf"
T=()
for t in $WANT; do
  if grep -qx "$t" <<<"$ALL_TARGETS"; then T+=("$t"); else echo "note: target $t not present"; fi
done
echo "building: ${T[*]}"
ninja -C "$BUILD" -j"$JOBS" "${T[@]}"

# Guard: the reference quantizers must not contain fused multiply-adds.
NFMA="$(objdump -d "$BUILD/bin/libggml-base.so" 2>/dev/null | grep -cE 'vfn?m(add|sub)' || true)"
echo "FMA instructions in libggml-base.so: ${NFMA:-unknown}"
if [ "${NFMA:-0}" != "0" ]; then echo "ERROR: libggml-base.so contains FMA instructions" >&2; exit 1; fi

# Record version info.
{
  echo "llama-cpp-python sdist: $VER"
  echo "sha256(sdist): $(sha256sum "sdist/$SDIST" | cut -d' ' -f1)"
  grep -h -o -E 'LLAMA_BUILD_NUMBER = [0-9]+' "$BUILD"/common/build-info.cpp 2>/dev/null || true
  echo "llama.cpp commit: $(git -C "$LLAMA" log -1 --format='%H %cd %s' 2>/dev/null || echo unknown)"
  echo "compiler: $(cc --version | head -1)"
  echo "cmake flags: GGML_NATIVE=OFF, all x86 ISA extensions OFF, CMAKE_C(XX)_FLAGS=$CFLAGS_ORACLE, BUILD_SHARED_LIBS=ON"
} > "$ORACLE_DIR/VERSION.txt"
cat "$ORACLE_DIR/VERSION.txt"
echo "binaries in $BUILD/bin"
