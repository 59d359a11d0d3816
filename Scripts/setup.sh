#!/usr/bin/env bash
# Fresh Debian machine → working Kiln: installs system packages and the Python test oracle,
# builds kiln in release mode with AVX2/FMA, then runs the main job on the bundled fixture model:
# convert to GGUF, quantize to Q4_K_M, and verify the result against the original weights.
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

out=.build/fixture-output
mkdir -p "$out"
.build/release/kiln convert Fixtures/tiny-pixtral -o "$out/tiny-pixtral.gguf"
.build/release/kiln quantize Fixtures/tiny-pixtral -o "$out/tiny-pixtral-Q4_K_M.gguf" --type Q4_K_M
.build/release/kiln verify --reference Fixtures/tiny-pixtral --candidate "$out/tiny-pixtral-Q4_K_M.gguf" \
  --ctx 128 --chunks 8 --max-kld 0.01 --min-top1 0.9 --reference-cache "$out/reference.kref" --report "$out/Q4_K_M.svg" --report "$out/Q4_K_M.png"
