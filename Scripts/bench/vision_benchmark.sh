#!/usr/bin/env bash
# Image path speed and memory of Kiln against llama-mtmd-cli on the same GGUF files and threads: a
# synthetic Llava-Pixtral checkpoint with a Pixtral-12B-sized vision tower (make_synthetic_pixtral.py),
# converted by Kiln to a text GGUF and a projector (both F16); for each image, `kiln generate --json`
# and `llama-mtmd-cli` with 8 generated tokens. Prints, per image, the patch grid each side used, the
# image encoding time (Kiln: decode + preprocess + vision tower, `image_seconds`; llama.cpp: its
# "image slice encoded" time), prompt processing tokens/s (text and image rows through the decoder)
# and each process's peak RSS, means of REPS runs. llama.cpp gets a 4096-token context: its default,
# the model's 1M-token training context, would make its KV cache most of its memory (Kiln sizes the
# cache to the prompt and -n).
# Run it on a quiet machine: under a load above the core count both sides slow down 2-10x, unevenly.
#
# Usage: Scripts/bench/vision_benchmark.sh [WORK_DIR] [THREADS]
# Needs: an optimized llama.cpp (Scripts/bench/build_native_llama_cpp.sh; LLAMA_BIN overrides its bin
# folder), numpy and Pillow, GNU time. Env: KILN_BENCH_IMAGES="a.jpg b.png" for other images, REPS
# (default 3).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
threads=${2:-2}
reps=${REPS:-3}
kiln=${KILN:-.build/release/kiln}
bin=${LLAMA_BIN:-.oracle/build-native/bin}
[ -x "$bin/llama-mtmd-cli" ] || { echo "no llama-mtmd-cli in $bin: run Scripts/bench/build_native_llama_cpp.sh" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time) for peak memory" >&2; exit 2; }
[ -n "${KILN:-}" ] || Scripts/build-release.sh >/dev/null
mkdir -p "$work"

model=$work/synthetic-pixtral
[ -d "$model" ] || python3 Scripts/bench/make_synthetic_pixtral.py "$model" >/dev/null
text=$work/synthetic-pixtral-f16.gguf
mmproj=$work/synthetic-pixtral-mmproj-f16.gguf
[ -f "$text" ] && [ -f "$mmproj" ] || "$kiln" convert "$model" --outtype f16 -o "$text" --mmproj "$mmproj" >/dev/null
square=$work/random-512.png
[ -f "$square" ] || python3 -c "
import numpy as np, sys; from PIL import Image
Image.fromarray(np.random.default_rng(1).integers(0, 256, (512, 512, 3), dtype=np.uint8)).save(sys.argv[1])" "$square"
images=${KILN_BENCH_IMAGES:-"Fixtures/images/large.jpg $square"}
prompt="Describe the image."

# One line per run: side, image, then the run's figures as key=value, parsed at the end.
runs=$work/vision-runs.txt
: >"$runs"
for image in $images; do
  for _ in $(seq "$reps"); do
    /usr/bin/time -v -o "$work/time.txt" "$kiln" generate "$text" --mmproj "$mmproj" --image "$image" \
      --prompt "$prompt" -n 8 --temp 0 --threads "$threads" --json >"$work/kiln.json" 2>/dev/null
    echo "kiln $image $(python3 -c "
import json, sys; r = json.load(open(sys.argv[1]))
print('encode_ms=%f prompt_tokens=%d pp=%f' % (r['image_seconds'] * 1000, r['prompt_tokens'], r['prompt_tokens_per_second']))" "$work/kiln.json") \
      rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")" >>"$runs"
    /usr/bin/time -v -o "$work/time.txt" "$bin/llama-mtmd-cli" -m "$text" --mmproj "$mmproj" --image "$image" \
      -p "$prompt" -n 8 --temp 0 -t "$threads" -c 4096 -v >/dev/null 2>"$work/llama.log"
    fields=$(python3 -c "
import re, sys; log = open(sys.argv[1]).read()
encode = sum(int(m) for m in re.findall(r'(?:image slice encoded|mtmd batch encoding done) in (\d+) ms', log))
width, height = re.search(r'clip_encode: copying image 1/1 to input buffer \(nx=(\d+), ny=(\d+)\)', log).groups()
ms, tokens = re.search(r'prompt eval time = +([0-9.]+) ms / +(\d+) tokens', log).groups()
# Its prompt eval time runs from the first decode to the last, so it holds the image encoding too.
print('encode_ms=%d grid=%dx%d prompt_tokens=%s pp=%f' % (encode, int(height) // 16, int(width) // 16, tokens,
      int(tokens) / (float(ms) - encode) * 1000))" "$work/llama.log") || {
      failed=$(mktemp "$work/llama-unparsed-XXXX.log"); cp "$work/llama.log" "$failed"
      echo "a llama-mtmd-cli log without its timings, left out: $failed" >&2; continue; }
    echo "llama $image $fields rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")" >>"$runs"
  done
done

echo "threads: $threads, runs: $reps, llama.cpp: $bin ($(grep -m1 -o 'llama.cpp commit: [0-9a-f]*' .oracle/VERSION.txt 2>/dev/null || echo 'version unknown'))"
python3 - "$runs" <<'EOF'
import sys
from PIL import Image
runs = {}
for line in open(sys.argv[1]):
    side, image, *fields = line.split()
    runs.setdefault((image, "kiln"), [])
    runs.setdefault((image, "llama"), [])
    runs[(image, side)].append(dict(f.split("=") for f in fields))
def mean(rows, key): return sum(float(r[key]) for r in rows) / len(rows)
def kiln_grid(image, edge=1024, patch=16):
    # transformers' PixtralImageProcessor, as KilnImages computes it: fit the longer edge, round up to patches.
    width, height = Image.open(image).size
    ratio = max(height / edge, width / edge)
    if ratio > 1: height, width = int(height / ratio), int(width / ratio)
    return f"{(height - 1) // patch + 1}x{(width - 1) // patch + 1}"
print("%-26s %-9s %-9s %10s %10s %7s %9s %9s %7s %9s %9s" % ("image (WxH)", "kiln_grid", "llama_grid", "kiln_enc", "llama_enc",
      "ratio", "kiln_pp", "llama_pp", "ratio", "kiln_rss", "llama_rss"))
for image in dict.fromkeys(i for i, _ in runs):
    k, l = runs[(image, "kiln")], runs[(image, "llama")]
    if not l: continue
    w, h = Image.open(image).size
    print("%-26s %-9s %-9s %8.0fms %8.0fms %6.2fx %9.1f %9.1f %6.2fx %7.0fMB %7.0fMB" % (
        f"{image.split('/')[-1]} ({w}x{h})", kiln_grid(image), l[0]["grid"], mean(k, "encode_ms"), mean(l, "encode_ms"),
        mean(k, "encode_ms") / mean(l, "encode_ms"), mean(k, "pp"), mean(l, "pp"), mean(k, "pp") / mean(l, "pp"),
        mean(k, "rss_kb") / 1024, mean(l, "rss_kb") / 1024))
    print("%-26s prompt tokens: kiln %s, llama.cpp %s (runs: %d, %d)" % ("", k[0]["prompt_tokens"], l[0]["prompt_tokens"], len(k), len(l)))
print("grids are rows x columns of 16-px patches; kiln_enc includes decoding and preprocessing the image,")
print("llama_enc is the vision tower only; pp = prompt tokens/s through the decoder (text + image rows).")
EOF
