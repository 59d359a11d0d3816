#!/usr/bin/env bash
# Runs every test. Requires Scripts/setup.sh to have run once on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
