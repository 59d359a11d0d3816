#!/usr/bin/env bash
# Regenerate every golden under Fixtures/goldens/ from llama.cpp (rerun after a fixture change).
#   Scripts/oracle/make_all_goldens.sh            # build (if needed) + jobs 2, 3, 4
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ORACLE_DIR="${ORACLE_DIR:-$REPO/.oracle}"
[ -x "$ORACLE_DIR/build/bin/llama-quantize" ] || "$HERE/build_llama_cpp.sh"
python3 -c "import torch, transformers, mistral_common, numpy" # converter prerequisites
python3 "$HERE/make_quant_goldens.py"
python3 "$HERE/make_image_goldens.py"
python3 "$HERE/make_vision_goldens.py"
python3 "$HERE/make_prompt_goldens.py"
python3 "$HERE/make_convert_goldens.py" --no-run
python3 "$HERE/make_rule_goldens.py"
python3 "$HERE/make_quantize_goldens.py"
python3 "$HERE/make_convert_goldens.py" --run-only   # llama-completion + llama-simple (slow, see README)
