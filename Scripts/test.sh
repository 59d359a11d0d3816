#!/usr/bin/env bash
# Runs every test, optimized: the runtime's forward passes and the quantizers run hundreds of times
# slower unoptimized, and the CLI tests exercise the same release binary a user runs.
# Requires Scripts/setup.sh to have run once on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/release-flags.sh
swift build "${release_flags[@]}" --build-tests
swift test "${release_flags[@]}" --skip-build
