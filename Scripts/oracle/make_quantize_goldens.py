#!/usr/bin/env python3
"""Goldens for `kiln quantize` (llama-quantize) and llama-perplexity on the tiny fixture.

Usage:  python3 Scripts/oracle/make_quantize_goldens.py [--input GGUF] [--types T ...] [--no-ppl | --ppl-only]

Input: .oracle/convert/hf-f16.gguf, i.e. Fixtures/tiny-pixtral converted with
`convert_hf_to_gguf.py --outtype f16` (run make_convert_goldens.py first).

For every TYPE writes Fixtures/goldens/quantize/<TYPE>.json:
  {"input": ..., "command": ..., "file_size", "file_sha256",
   "tensors": [[name, type], ...] (file order), "tensor_sha256": {name: sha256},
   "kv": [[key, gguf value type], ...] (file order), "type_counts": {...}}
Quantized GGUFs stay in .oracle/quantize/.

Perplexity: llama-perplexity -f Fixtures/text/eval.txt -c {128,512} -t 1 -tb 1 on F16, Q8_0, Q4_K_M
-> Fixtures/goldens/perplexity/<TYPE>-c<N>.txt (stdout+stderr; final estimate on the last line).
"""
import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_convert_goldens import describe_gguf, REPO, ORACLE, BIN  # noqa: E402

TYPES = ["Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q4_K_M", "Q4_K_S", "Q3_K_L", "Q3_K_M", "Q3_K_S",
         "Q2_K", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "IQ4_XS", "F16", "BF16"]
PPL_TYPES = ["F16", "Q8_0", "Q4_K_M"]
PPL_CTX = [128, 512]
GOLD_Q = os.path.join(REPO, "Fixtures", "goldens", "quantize")
GOLD_P = os.path.join(REPO, "Fixtures", "goldens", "perplexity")
EVAL = os.path.join(REPO, "Fixtures", "text", "eval.txt")
THREADS = "2"      # llama-quantize worker threads (output is thread-count independent)
PPL_THREADS = "1"  # ggml barriers spin; >1 thread on a shared 2-core box is pathologically slow


def rel(p):
    return os.path.relpath(p, REPO)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", default=os.path.join(ORACLE, "convert", "hf-f16.gguf"))
    ap.add_argument("--types", nargs="*", default=TYPES)
    ap.add_argument("--no-ppl", action="store_true")
    ap.add_argument("--ppl-only", action="store_true", help="reuse .oracle/quantize/*.gguf, only run perplexity")
    args = ap.parse_args()
    env = dict(os.environ, LD_LIBRARY_PATH=BIN)
    work = os.path.join(ORACLE, "quantize")
    os.makedirs(work, exist_ok=True)
    os.makedirs(GOLD_Q, exist_ok=True)
    with open(args.input, "rb") as f:
        in_sha = hashlib.sha256(f.read()).hexdigest()
    outputs = {"F16_INPUT": args.input}
    for t in ([] if args.ppl_only else args.types):
        out = os.path.join(work, f"{t}.gguf")
        input_tensors = [[x["name"], x["ne"], x["type"]] for x in describe_gguf(args.input)["tensors"]]
        cmd = [os.path.join(BIN, "llama-quantize"), args.input, out, t, THREADS]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, errors="replace")
        if p.returncode != 0:
            print(f"[{t}] FAILED rc={p.returncode}\n{p.stderr[-2000:]}")
            continue
        d = describe_gguf(out)
        tensors = [[x["name"], x["type"]] for x in d["tensors"]]
        g = {
            "type": t,
            "input": rel(args.input),
            "input_sha256": in_sha,
            "input_made_by": "convert_hf_to_gguf.py Fixtures/tiny-pixtral --outtype f16 (Scripts/oracle/make_convert_goldens.py, hf-f16)",
            "command": f"llama-quantize {rel(args.input)} {t}.gguf {t} {THREADS}",
            "file_size": d["header"]["file_size"],
            "file_sha256": d["header"]["file_sha256"],
            "data_offset": d["header"]["data_offset"],
            "type_counts": dict(collections.Counter(x[1] for x in tensors)),
            "tensors": tensors,
            # the input's tensors (name, ne, type) in file order: what the type choice starts from
            "input_tensors": input_tensors,
            "tensor_sha256": {x["name"]: x["sha256"] for x in d["tensors"]},
            "kv": [[e["key"], e["type"] if e["type"] != "ARRAY" else f"ARRAY[{e['element_type']}]"]
                   for e in d["kv"]],
            "kv_values_scalar": {e["key"]: e["value"] for e in d["kv"]
                                 if e["type"] != "ARRAY" and e["key"] != "tokenizer.chat_template"},
            # llama-quantize's fallback warnings and size summary (per-tensor lines omitted)
            "log": [ln.rstrip() for ln in (p.stdout + p.stderr).splitlines()
                    if re.search(r"fallback|llama_model_quantize_impl: (model|quant) size", ln)],
        }
        with open(os.path.join(GOLD_Q, f"{t}.json"), "w") as f:
            json.dump(g, f, indent=1)
            f.write("\n")
        outputs[t] = out
        print(f"[{t}] {g['file_size']} bytes {g['type_counts']}")

    if args.ppl_only:
        outputs.update({t: os.path.join(work, f"{t}.gguf") for t in PPL_TYPES
                        if os.path.exists(os.path.join(work, f"{t}.gguf"))})
    if args.no_ppl or not os.path.exists(EVAL):
        return 0
    os.makedirs(GOLD_P, exist_ok=True)
    for t in PPL_TYPES:
        model = args.input if t == "F16" else outputs.get(t)
        if not model:
            continue
        for c in PPL_CTX:
            cmd = [os.path.join(BIN, "llama-perplexity"), "-m", model, "-f", EVAL, "-c", str(c), "-t", PPL_THREADS, "-tb", PPL_THREADS]
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, errors="replace")
            txt = p.stdout + p.stderr
            final = [ln for ln in txt.splitlines() if "Final estimate" in ln]
            with open(os.path.join(GOLD_P, f"{t}-c{c}.txt"), "w") as f:
                f.write(f"$ llama-perplexity -m {rel(model)} -f {rel(EVAL)} -c {c} -t {PPL_THREADS} -tb {PPL_THREADS}\n# rc={p.returncode}\n")
                f.write(txt.replace(REPO + "/", ""))
            print(f"[ppl {t} c={c}] rc={p.returncode} {final[-1] if final else txt[-300:]}")
    write_ppl_summary()
    return 0


def write_ppl_summary():
    """perplexity/summary.json: final PPL, its error and the per-chunk running values."""
    summ = {}
    for fn in sorted(os.listdir(GOLD_P)):
        if not fn.endswith(".txt"):
            continue
        txt = open(os.path.join(GOLD_P, fn)).read()
        m = re.search(r"Final estimate: PPL = ([0-9.]+) \+/- ([0-9.]+)", txt)
        chunks = re.findall(r"\[(\d+)\]([0-9.]+|nan|inf)", txt)
        nc = re.search(r"calculating perplexity over (\d+) chunks, n_ctx=(\d+), batch_size=(\d+), n_seq=(\d+)", txt)
        summ[fn[:-4]] = {
            "command": txt.splitlines()[0][2:],
            "ppl": float(m.group(1)) if m else None,
            "ppl_err": float(m.group(2)) if m else None,
            "n_chunks": int(nc.group(1)) if nc else None,
            "n_ctx": int(nc.group(2)) if nc else None,
            "running_ppl": [float(v) for _, v in chunks],
        }
    with open(os.path.join(GOLD_P, "summary.json"), "w") as f:
        json.dump(summ, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
