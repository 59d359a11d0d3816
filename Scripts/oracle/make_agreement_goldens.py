#!/usr/bin/env python3
"""Goldens for the runtime's agreement with llama.cpp on a real model → Fixtures/goldens/agreement/.

Fixtures/wide-llama (a trained Llama whose rows hold whole K-quant super-blocks) is converted to BF16
and quantized to every type Kiln reads (see TYPES) by kiln convert and kiln quantize,
whose files equal convert_hf_to_gguf.py's and llama-quantize's byte for byte (their own goldens). For each file, on Fixtures/text/eval.txt at -c 512 --chunks 4 -t 2:
  - llama-perplexity of the native build (.oracle/build-native, GGML_NATIVE=ON, AMX off) with -fa on
    (what its default -fa auto resolves to on CPU) and -fa off, and, when it is built, of the scalar
    oracle build (.oracle/build) with both: the running estimate after each chunk and the final PPL;
  - llama-perplexity --kl-divergence against the BF16 file's logits (native, -fa on): mean KLD,
    same-top-token fraction;
  - the float64 evaluation of the dequantized weights (float64_perplexity.py), plain and with
    llama.cpp's roundings (-fa on), to tell which side is off when two disagree;
  - llama-completion's greedy text (native, -fa on) for a few prompts.
With --split-kv, split-kv.json instead: the F32 file at -c 1024 -b 1 (one position per micro-batch, as
decoding runs) over 2 chunks, -fa on, with 1 and 2 threads. Every scored position (512 and on) sees a
cache view of at least 512 cells, so llama.cpp's flash attention takes its split-KV path, which cuts the
keys into one chunk per thread: with 1 thread that is the plain one-row kernel, with 2 the split and
merged one, and the two perplexities differ.

Usage: python3 Scripts/oracle/make_agreement_goldens.py [--types F16,Q8_0,...] [--keep DIR] [--split-kv]
Needs a kiln build and the native llama.cpp build (Scripts/bench/build_native_llama_cpp.sh); the
scalar one (Scripts/oracle/build_llama_cpp.sh) is used when present.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures/goldens/agreement")
MODEL = os.path.join(ROOT, "Fixtures/wide-llama")
TEXT = os.path.join(ROOT, "Fixtures/text/eval.txt")
NATIVE = os.path.join(ROOT, ".oracle/build-native/bin")
SCALAR = os.path.join(ROOT, ".oracle/build/bin")
KILN = os.environ.get("KILN", os.path.join(ROOT, ".build/release/kiln"))
CTX, CHUNKS, THREADS = 512, 4, 2
IMATRIX = "Fixtures/goldens/quantize-wide/wide-llama.imatrix.gguf"
# kiln quantize's arguments for each block type: --pure (every tensor that type) for the types that need
# no importance matrix, the mixes as llama-quantize makes them (with the fixture's imatrix where it is
# required) for the 1–3-bit i-quants and ternary types; Q4_K_M is the mix.
TYPES = {name: ["--type", name, "--pure"] for name in
         ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q6_K", "IQ4_NL", "IQ4_XS"]}
TYPES.update({"Q3_K": ["--type", "Q3_K_M", "--pure"], "Q4_K": ["--type", "Q4_K_M", "--pure"],
              "Q5_K": ["--type", "Q5_K_M", "--pure"], "Q4_K_M": ["--type", "Q4_K_M"]})
TYPES.update({name: ["--type", name, "--imatrix", IMATRIX] for name in
              ["IQ3_M", "IQ3_S", "IQ3_XS", "IQ3_XXS", "IQ2_M", "IQ2_S", "IQ2_XS", "IQ2_XXS", "IQ1_M", "IQ1_S", "TQ1_0", "TQ2_0"]})
PROMPTS = ["In the beginning God created", "And the LORD said unto Moses,", "Blessed are the"]


def run(cmd, **kw):
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, **kw).stdout


def perplexity(bin_dir, model, fa, extra=(), window=("-c", str(CTX), "--chunks", str(CHUNKS), "-t", str(THREADS))):
    # A run on a loaded machine now and then ends early with status 0 and a cut log: run it again.
    for _ in range(3):
        log = run(["nice", "-n", "10", f"{bin_dir}/llama-perplexity", "-m", model, "-f", TEXT, *window,
                   "-fa", fa, *extra])
        if re.search(r"Final estimate: PPL", log) or (re.search(r"Mean PPL\(Q\)", log) and re.search(r"Same top p", log)):
            return log
    sys.exit(f"llama-perplexity failed on {model}:\n{log[-3000:]}")


def ppl(bin_dir, model, fa, **window):
    log = perplexity(bin_dir, model, fa, **window)
    final = re.search(r"Final estimate: PPL = ([0-9.]+) \+/- ([0-9.]+)", log)
    return {"ppl": float(final.group(1)), "error": float(final.group(2)),
            "running": [float(v) for v in re.findall(r"\[\d+\]([0-9.]+)", log)]}


def kld(model, base):
    log = perplexity(NATIVE, model, "on", ["--kl-divergence-base", base, "--kl-divergence"])
    def value(label):
        return float(re.search(label + r" *: *(-?[0-9.]+)", log).group(1))
    return {"ppl_q": value(r"Mean PPL\(Q\)"), "ppl_base": value(r"Mean PPL\(base\)"), "mean_kld": value(r"Mean +KLD"),
            "same_top": value(r"Same top p") / 100}


def greedy(model):
    cases = []
    for prompt in PROMPTS:
        # stdout is the generated text only; a complete run ends with llama-completion's own "\n\n".
        # One thread: below 512 cache cells no kernel's result depends on the thread count, and a
        # loaded machine stalls two spinning threads.
        for _ in range(5):
            text = subprocess.run(
                [f"{NATIVE}/llama-completion", "-m", model, "-p", prompt, "-n", "32", "-c", "256", "-t", "1",
                 "-fa", "on", "--temp", "0", "--top-k", "1", "-no-cnv", "--no-display-prompt", "--simple-io"],
                capture_output=True, text=True).stdout
            if text.endswith("\n\n"):
                break
        else:
            sys.exit(f"llama-completion output for {prompt!r} on {model} looks truncated: {text!r}")
        cases.append({"prompt": prompt, "text": text})
    return cases


def split_kv(work, bf16):
    model = os.path.join(work, "F32.gguf")
    if not os.path.exists(model):
        run([KILN, "quantize", bf16, "-o", model, *TYPES["F32"]], cwd=ROOT)
    golden = {"model": "Fixtures/wide-llama", "text": "Fixtures/text/eval.txt", "quantize": " ".join(TYPES["F32"]),
              "ctx": 1024, "batch": 1, "chunks": 2, "fa": "on",
              "native": "GGML_NATIVE=ON, -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 (.oracle/build-native)"}
    for threads in (1, 2):
        window = ["-c", "1024", "-b", "1", "--chunks", "2", "-t", str(threads)]
        golden[f"threads_{threads}"] = ppl(NATIVE, model, "on", window=window)
        print(threads, golden[f"threads_{threads}"], flush=True)
    json.dump(golden, open(os.path.join(OUT, "split-kv.json"), "w"), indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--keep", help="keep the GGUF files and llama.cpp's logits here")
    ap.add_argument("--quick", action="store_true", help="llama-perplexity only: no float64 evaluation, KLD or greedy text")
    ap.add_argument("--split-kv", action="store_true", help="write split-kv.json (decoding past 512 cache cells) instead")
    ap.add_argument("--no-arbiters", action="store_true",
                    help="skip the scalar build and the float64 evaluation, which tell which side is off (no test reads them)")
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    bf16 = os.path.join(work, "source-bf16.gguf")
    if not os.path.exists(bf16):
        run([KILN, "convert", MODEL, "--outtype", "bf16", "-o", bf16])
    base = os.path.join(work, "base.kld")
    if not os.path.exists(base):
        perplexity(NATIVE, bf16, "on", ["--kl-divergence-base", base])
    if args.split_kv:
        return split_kv(work, bf16)
    summary = {"model": "Fixtures/wide-llama", "text": "Fixtures/text/eval.txt", "ctx": CTX, "chunks": CHUNKS, "threads": THREADS,
               "native": "GGML_NATIVE=ON, -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 (.oracle/build-native)",
               "scalar": "GGML_NATIVE=OFF, every x86 extension off, -ffp-contract=off (.oracle/build)",
               "types": {}}
    path = os.path.join(OUT, "summary.json")
    if os.path.exists(path):
        summary["types"] = json.load(open(path))["types"]
    for name in args.types.split(","):
        model = os.path.join(work, f"{name}.gguf")
        if not os.path.exists(model):
            run([KILN, "quantize", bf16, "-o", model, *TYPES[name]], cwd=ROOT)
        entry = {"quantize": " ".join(TYPES[name]),
                 "native_fa_on": ppl(NATIVE, model, "on"), "native_fa_off": ppl(NATIVE, model, "off")}
        if not args.quick:
            entry["native_kld"] = kld(model, base)
        if not args.no_arbiters and os.path.exists(f"{SCALAR}/llama-perplexity"):
            entry["scalar_fa_on"] = ppl(SCALAR, model, "on")
            entry["scalar_fa_off"] = ppl(SCALAR, model, "off")
        for key, extra in () if args.quick or args.no_arbiters else (("float64", []), ("float64_llama_roundings", ["--llama-roundings"])):
            out = run([sys.executable, os.path.join(ROOT, "Scripts/oracle/float64_perplexity.py"), model, "--tokens", base,
                       "--ctx", str(CTX), "--chunks", str(CHUNKS), "--json", *extra])
            entry[key] = json.loads(out.strip().splitlines()[-1])
        if not args.quick:
            entry["greedy"] = greedy(model)
        summary["types"][name] = {**summary["types"].get(name, {}), **entry}
        print(name, {k: v["ppl"] for k, v in entry.items() if isinstance(v, dict) and "ppl" in v}, flush=True)
        json.dump(summary, open(path, "w"), indent=1)


if __name__ == "__main__":
    main()
