# Sourced by build-release.sh and test.sh so the product and the tests share one release build.
# x86-64-v3 (AVX2, FMA, F16C) where the CPU has it: without it Swift lowers SIMD fused multiply-adds to
# one libm call per lane and half-precision conversion to a library call. -enable-testing lets the
# tests' @testable imports use the same optimized modules. The flags stay on the command line (not in
# Package.swift) so the package remains usable as a dependency.
release_flags=(-c release -Xswiftc -enable-testing)
if [ "$(uname -m)" = "x86_64" ] && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  release_flags+=(-Xcc -march=x86-64-v3)
fi
