#!/usr/bin/env bash
# Release build of kiln (see release-flags.sh for the flags and why).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/release-flags.sh
swift build "${release_flags[@]}" --product kiln
