#!/usr/bin/env python3
"""Whole-file goldens for the i-quant and ternary file types on Fixtures/wide-llama (rows of 256 and 768,
so the 256-value blocks are used rather than their fallbacks).

Usage:  python3 Scripts/oracle/make_wide_quantize_goldens.py [--bin DIR] [--types T ...]

Needs the F16 conversion of Fixtures/wide-llama (convert_hf_to_gguf.py --outtype f16, which
`kiln convert --outtype f16` equals: Fixtures/goldens/convert/wide-f16.json) at --input, and llama.cpp's
llama-imatrix and llama-quantize in --bin (any build: the reference quantizers in libggml-base are
compiled for the x86-64 baseline either way).

Writes Fixtures/goldens/quantize-wide/:
  wide-llama.imatrix.gguf      llama-imatrix -f Fixtures/text/eval.txt -c 128 --chunks 16
  <TYPE>.imatrix.json          llama-quantize --imatrix that file, for every type in TYPES
  <TYPE>.json                  llama-quantize without an imatrix, for the types that allow it
  refusals.json                the types llama-quantize refuses without an imatrix, and its message
in the format of make_quantize_goldens.py.
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_convert_goldens import describe_gguf, REPO, ORACLE, BIN  # noqa: E402

TYPES = ["IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "IQ3_XXS", "IQ3_XS", "IQ3_S", "IQ3_M", "IQ1_S", "IQ1_M", "TQ1_0", "TQ2_0"]
OUT = os.path.join(REPO, "Fixtures", "goldens", "quantize-wide")
IMATRIX = os.path.relpath(os.path.join(OUT, "wide-llama.imatrix.gguf"), REPO)  # recorded as given
THREADS = "2"


def record(out_path, input_path, command, log):
    d = describe_gguf(out_path)
    tensors = [[x["name"], x["type"]] for x in d["tensors"]]
    return {
        "command": command,
        "file_size": d["header"]["file_size"],
        "file_sha256": d["header"]["file_sha256"],
        "type_counts": dict(collections.Counter(x[1] for x in tensors)),
        "tensors": tensors,
        "input_tensors": [[x["name"], x["ne"], x["type"]] for x in describe_gguf(input_path)["tensors"]],
        "tensor_sha256": {x["name"]: x["sha256"] for x in d["tensors"]},
        "kv_values_scalar": {e["key"]: e["value"] for e in d["kv"]
                             if e["type"] != "ARRAY" and e["key"] != "tokenizer.chat_template"},
        "log": [ln for ln in log.splitlines() if "fallback" in ln or "model size" in ln or "quant size" in ln],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=BIN)
    ap.add_argument("--input", default=os.path.join(ORACLE, "convert", "wide-f16.gguf"))
    ap.add_argument("--types", nargs="*", default=TYPES)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    os.chdir(REPO)
    with open(args.input, "rb") as f:
        in_sha = hashlib.sha256(f.read()).hexdigest()
    if not os.path.exists(IMATRIX):
        subprocess.run([os.path.join(args.bin, "llama-imatrix"), "-m", args.input, "-f", "Fixtures/text/eval.txt",
                        "-c", "128", "--chunks", "16", "-t", THREADS, "-o", IMATRIX], check=True, capture_output=True)
    work = os.path.join(ORACLE, "quantize-wide")
    os.makedirs(work, exist_ok=True)
    refusals = {}
    for t in args.types:
        for imatrix in (IMATRIX, None):
            out = os.path.join(work, f"{t}{'.imatrix' if imatrix else ''}.gguf")
            cmd = [os.path.join(args.bin, "llama-quantize")] + (["--imatrix", imatrix] if imatrix else []) \
                + [args.input, out, t, THREADS]
            p = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
            shown = "llama-quantize " + (f"--imatrix {imatrix} " if imatrix else "") + f"wide-f16.gguf {t}.gguf {t} {THREADS}"
            if p.returncode != 0:
                assert imatrix is None, (t, p.stderr[-2000:])
                reason = [ln for ln in (p.stdout + p.stderr).splitlines() if "error" in ln.lower() or "imatrix" in ln]
                refusals[t] = {"command": shown, "returncode": p.returncode, "message": reason[-3:]}
                print(f"[{t}] refused without imatrix")
                continue
            g = record(out, args.input, shown, p.stdout + p.stderr)
            g.update({"type": t, "input_sha256": in_sha, "imatrix": imatrix})
            with open(os.path.join(OUT, f"{t}{'.imatrix' if imatrix else ''}.json"), "w") as f:
                json.dump(g, f, indent=1)
                f.write("\n")
            print(f"[{t}{' imatrix' if imatrix else ''}] {g['file_size']} bytes {g['type_counts']}")
    with open(os.path.join(OUT, "refusals.json"), "w") as f:
        json.dump(refusals, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
