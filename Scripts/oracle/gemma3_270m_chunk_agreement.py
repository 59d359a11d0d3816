#!/usr/bin/env python3
"""Kiln's perplexity against llama.cpp's chunk by chunk on a long text, next to llama.cpp's own spread
(issue 13's Gemma 3 270M figures; a script, not CI).

Usage: python3 Scripts/oracle/gemma3_270m_chunk_agreement.py [--work ~/.cache/kiln-gemma3/e2e]
       [--type Q4_K_M] [--text FILE] [--chunks 160] [--kiln .build/release/kiln]

Runs on WORK/oracle-TYPE.gguf (Scripts/oracle/gemma3_270m_end_to_end.py), -c 512 -t 2: llama-perplexity
of the native build (.oracle/build-native) as users run it and with --no-repack (its Q4_K tensors
multiplied by vec_dot instead of the repacked kernels), and `kiln perplexity`. Each prints the
perplexity after every chunk ([k] lines); the script turns them into each chunk's mean negative
log-likelihood and prints, for Kiln and for llama.cpp --no-repack against llama.cpp, the relative
perplexity difference and the mean, standard deviation and standard error of the per-chunk
differences, as one JSON object. The default text is bytes 2,000,000–2,450,000 of the King James
Bible as Scripts/fixtures/make_fixtures.py extracts it (~/.cache/kiln-fixtures/kjv_raw.txt), cut at
line ends: more than 160 chunks of 512 Gemma tokens.
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def running_perplexities(command):
    print("$", " ".join(command), file=sys.stderr, flush=True)
    p = subprocess.run(["nice", *command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit(f"{command[0]} failed ({p.returncode}):\n{p.stdout[-3000:]}")
    values = [float(v) for v in re.findall(r"\[\d+\]([\d.]+)", p.stdout)]
    if not values:
        sys.exit(f"no [k] perplexity lines from {command[0]}")
    return values


def chunk_nll(running):
    """Each chunk's mean negative log-likelihood from the running perplexities (equal chunks)."""
    out, previous = [], 0.0
    for k, ppl in enumerate(running, 1):
        total = k * math.log(ppl)
        out.append(total - previous)
        previous = total
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=os.path.expanduser("~/.cache/kiln-gemma3/e2e"))
    ap.add_argument("--type", default="Q4_K_M")
    ap.add_argument("--text")
    ap.add_argument("--chunks", type=int, default=160)
    ap.add_argument("--kiln", default=str(REPO / ".build/release/kiln"))
    args = ap.parse_args()
    model = os.path.join(args.work, f"oracle-{args.type}.gguf")
    text = args.text
    if text is None:
        raw = Path.home() / ".cache/kiln-fixtures/kjv_raw.txt"
        t = raw.read_text(encoding="utf-8")
        start, end = t.index("\n", 2_000_000) + 1, t.index("\n", 2_450_000) + 1
        text = os.path.join(tempfile.mkdtemp(), "kjv-slice.txt")
        Path(text).write_text(t[start:end], encoding="utf-8")
    llama = str(REPO / ".oracle/build-native/bin/llama-perplexity")
    window = ["-f", text, "-c", "512", "-t", "2", "--chunks", str(args.chunks)]
    runs = {
        "llama": running_perplexities([llama, "-m", model, *window]),
        "llama_no_repack": running_perplexities([llama, "-m", model, *window, "--no-repack"]),
        "kiln": running_perplexities([args.kiln, "perplexity", model, *window]),
    }
    base = chunk_nll(runs["llama"])
    summary = {"model": model, "text": text, "chunks": len(base), "ppl": {k: v[-1] for k, v in runs.items()}}
    for name in ("kiln", "llama_no_repack"):
        d = [a - b for a, b in zip(chunk_nll(runs[name]), base)]
        sd = statistics.stdev(d)
        summary[f"{name}_vs_llama"] = {
            "ppl_percent": 100 * (runs[name][-1] / runs["llama"][-1] - 1),
            "chunk_nll_mean": statistics.mean(d), "chunk_nll_sd": sd, "chunk_nll_se": sd / math.sqrt(len(d)),
        }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
