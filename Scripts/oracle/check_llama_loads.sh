#!/usr/bin/env bash
# Converts the fixture with kiln and has llama.cpp load the result and generate, as proof that a
# GGUF Kiln writes loads in llama.cpp unchanged. Writes Fixtures/goldens/convert/llama-loads-kiln.txt.
# Needs: Scripts/oracle/build_llama_cpp.sh (llama-completion) and a kiln build. One thread: the
# baseline build's worker threads busy-wait, which crawls on a small shared machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=${KILN:-.build/release/kiln}
[ -x "$kiln" ] || Scripts/build-release.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=Fixtures/goldens/convert/llama-loads-kiln.txt
{
  for model in Fixtures/tiny-pixtral Fixtures/tiny-pixtral-native; do
    "$kiln" convert "$model" -o "$out/model.gguf" >/dev/null
    echo "\$ kiln convert $model -o model.gguf && llama-completion -m model.gguf -p \"The\" -n 32 -t 1 --temp 0"
    .oracle/build/bin/llama-completion -m "$out/model.gguf" -p "The" -n 32 -t 1 -tb 1 --temp 0 -no-cnv -c 256 2>"$out/stderr" </dev/null | tr -d '\0'
    echo
    grep -E "^(llama_model_loader: - type|print_info: (arch|n_layer|n_head|n_embd|vocab type|n_vocab|model params|file type))" "$out/stderr" || true
    echo
  done
} > "$log"
cat "$log"
