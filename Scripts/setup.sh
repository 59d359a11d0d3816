#!/usr/bin/env bash
# Fresh Debian machine → working Kiln: installs system packages and the Python test oracle,
# builds kiln in release mode with AVX2/FMA, then converts the bundled fixture model.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in libzstd-dev libjpeg-dev libpng-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

# The PyPI `gguf` package is the independent reader the tests check our files with.
python3 -c "import gguf, numpy" 2>/dev/null || python3 -m pip install --quiet "gguf==0.19.0" numpy

Scripts/build-release.sh

mkdir -p .build/fixture-output
.build/release/kiln convert Fixtures/tiny-pixtral -o .build/fixture-output/tiny-pixtral.gguf
.build/release/kiln inspect .build/fixture-output/tiny-pixtral.gguf
