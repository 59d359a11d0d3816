#!/usr/bin/env bash
# Release build of kiln. On x86-64 it targets x86-64-v3 (AVX2, FMA, F16C): without it Swift lowers
# SIMD fused multiply-adds to one libm call per lane and half-precision conversion to a library call.
# The flag stays on the command line (not in Package.swift) so the package remains usable as a dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=()
if [ "$(uname -m)" = "x86_64" ] && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  flags=(-Xcc -march=x86-64-v3)
fi
swift build -c release --product kiln "${flags[@]}"
