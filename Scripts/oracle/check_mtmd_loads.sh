#!/usr/bin/env bash
# Proof that llama.cpp's multimodal CLI loads what `kiln convert --mmproj` writes and encodes an image
# with it: the fixture (Hugging Face and Mistral native layouts) converted by Kiln to a text GGUF and
# a projector, then `llama-mtmd-cli` on a committed test image. The fixture's vision tower is tiny and
# random, so the text is gibberish; the log shows the projector loading and the image being encoded.
# It also runs the vendored convert_hf_to_gguf.py --mmproj on the Hugging Face layout, whose file lacks
# v.token_embd.img_break, and records clip.cpp refusing it (the reason Kiln writes that tensor).
# Writes Fixtures/goldens/convert/llama-mtmd-loads-kiln.txt.
# Needs: the native build's llama-mtmd-cli (Scripts/bench/build_native_llama_cpp.sh, or
# `nice make -C .oracle/build-native -j2 llama-mtmd-cli`), python3 with torch for the converter, a kiln build.
set -euo pipefail
cd "$(dirname "$0")/../.."
kiln=${KILN:-.build/release/kiln}
[ -x "$kiln" ] || Scripts/build-release.sh
bin=.oracle/build-native/bin
image=Fixtures/images/baseline.jpg
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=Fixtures/goldens/convert/llama-mtmd-loads-kiln.txt

# text.gguf mmproj.gguf shown-text-name shown-mmproj-name [-v]: the command, its exit status, the
# generated text and the loader's key lines. (-v shows the encoder's lines; without it an early
# failure's message is not lost in the verbose log queue when the process exits.)
mtmd() {
  echo "\$ llama-mtmd-cli -m $3 --mmproj $4 --image $image -p \"Describe the image.\" -n 16 --temp 0 -t 2 -c 512 ${5:-}"
  set +e
  LD_LIBRARY_PATH=$bin timeout 300 "$bin/llama-mtmd-cli" -m "$1" --mmproj "$2" --image "$image" -p "Describe the image." \
    -n 16 --temp 0 -t 2 -c 512 ${5:-} >"$out/stdout" 2>"$out/stderr" </dev/null
  echo "# exit status $?"
  set -e
  echo "# ---- stdout ----"
  tr -d '\0' <"$out/stdout"
  echo
  echo "# ---- stderr (loader and encoder lines) ----"
  grep -E "clip_model_loader: (model name|n_tensors|n_kv|has vision|tensor\[0\])|load_hparams|image_tokens|add_text|clip_encode|encoding|unable|failed|error" "$out/stderr" \
    | sed -E 's/^[0-9.]+ //' || true
  echo
}

{
  echo "\$ kiln convert Fixtures/tiny-pixtral -o text.gguf --outtype f16 --mmproj mmproj.gguf"
  "$kiln" convert Fixtures/tiny-pixtral -o "$out/text.gguf" --outtype f16 --mmproj "$out/mmproj.gguf"
  mtmd "$out/text.gguf" "$out/mmproj.gguf" text.gguf mmproj.gguf -v

  # The native text GGUF has no llama.context_length (params.json states none; the converter writes
  # none either) and llama.cpp refuses it, so the native projector runs with the same weights' HF text GGUF.
  echo "\$ kiln convert Fixtures/tiny-pixtral-native -o native-text.gguf --outtype f16 --mmproj native-mmproj.gguf"
  "$kiln" convert Fixtures/tiny-pixtral-native -o "$out/native-text.gguf" --outtype f16 --mmproj "$out/native-mmproj.gguf"
  mtmd "$out/text.gguf" "$out/native-mmproj.gguf" text.gguf native-mmproj.gguf -v

  echo "# The vendored converter's own Hugging Face projector (no v.token_embd.img_break):"
  echo "\$ convert_hf_to_gguf.py Fixtures/tiny-pixtral --outtype f16 --mmproj --outfile converter-mmproj.gguf"
  PYTHONPATH=.oracle/llama.cpp/gguf-py KILN_MMPROJ_MIN_BLOCKS=3 \
    python3 Scripts/oracle/make_convert_goldens.py --_child Fixtures/tiny-pixtral --outfile "$out/converter-mmproj.gguf" \
    --outtype f16 --mmproj >/dev/null 2>&1
  mtmd "$out/text.gguf" "$out/converter-mmproj.gguf" text.gguf converter-mmproj.gguf
} > "$log"
sed -e "s#$out/##g" -i "$log"
cat "$log"
