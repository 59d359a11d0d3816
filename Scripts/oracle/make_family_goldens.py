#!/usr/bin/env python3
"""Goldens for the other model families (Fixtures/tiny-FAMILY) → Fixtures/goldens/families/FAMILY/.

Usage: python3 Scripts/oracle/make_family_goldens.py FAMILY [--steps convert,quantize,transformers,llama]

FAMILY may also be gemma2-softcap, tiny-gemma2's variant whose small caps bend the scores
(Scripts/fixtures/make_family_fixtures.py).

1. convert: llama.cpp's convert_hf_to_gguf.py --outtype f16 and auto on the folder, described as
   make_convert_goldens.py describes a GGUF (convert-f16.json, convert-auto.json). The fixture's
   tokenizer is newly trained, so the converter's chkhsh table does not know it; as in
   make_convert_goldens.py the lookup is patched, here to return the family's pre-tokenizer
   (qwen2 for the Qwen families), which is what convert_hf_to_gguf_update.py would register; for Phi-4's
   cl100k vocabulary `dbrx`, the name the table gives microsoft/phi-4 (its GGUFs say tokenizer.ggml.pre dbrx);
   for Phi-4-mini's o200k vocabulary `gpt-4o`, the name the table gives o200k (Xenova/gpt-4o).
2. quantize: llama-quantize of convert-f16's file to every type make_quantize_goldens.py covers;
   quantize.json holds per type the file's SHA-256, size and the type of every tensor.
3. transformers: the folder's model in float32 (AutoModelForCausalLM): for each prompt the token
   ids and the last position's logits (logits-N.bin, float32 LE) → transformers.json. (For Phi-4's
   GPT2Tokenizer the ids are also checked against tokenizer.json's own pipeline, which transformers 5
   replaces with GPT-2's regex.)
4. llama: llama-perplexity -c 128 on Fixtures/text/eval.txt for F16, Q8_0, Q4_K_M (running PPL
   after each chunk) and llama-completion's greedy 24 tokens for each prompt → llama.json.
5. chat (families with a chat case in CHAT): the prompt ids llama-completion gives the F16 file for
   a user turn as the chat template renders it (special tokens parsed) → llama.json "chat".

llama.cpp binaries: .oracle/build/bin when it has them, else .oracle/build-native/bin (ORACLE_BIN
overrides). GGUFs stay in .oracle/families/FAMILY/, never in the repository.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_convert_goldens import describe_gguf, REPO, ORACLE, LLAMA  # noqa: E402
from make_quantize_goldens import TYPES  # noqa: E402

PROMPTS = ["In the beginning God created", "And the LORD said unto Moses,", "Blessed are the"]
# The byte-level BPE families' pre-tokenizer; Gemma's and Phi-3's SentencePiece vocabularies need none.
PRE_TOKENIZER = {"qwen2": "qwen2", "qwen3": "qwen2", "gemma3": "none", "gemma2": "none", "gemma2-softcap": "none", "phi3": "none", "phi4": "dbrx",
                 "phi4-mini": "gpt-4o"}
PPL_TYPES = ["F16", "Q8_0", "Q4_K_M"]
# A user message and its turn as transformers' apply_chat_template renders the fixture's template.
CHAT = {"phi3": ("Who begat Enos?", "<|user|>\nWho begat Enos?<|end|>\n<|assistant|>\n"),
        "phi4": ("Who begat Enos?", "<|im_start|>user<|im_sep|>Who begat Enos?<|im_end|><|im_start|>assistant<|im_sep|>"),
        "phi4-mini": ("Who begat Enos?", "<|user|>Who begat Enos?<|end|><|assistant|>")}


def oracle_bin():
    if os.environ.get("ORACLE_BIN"):
        return os.environ["ORACLE_BIN"]
    for build in ("build", "build-native"):
        path = os.path.join(ORACLE, build, "bin")
        if os.path.exists(os.path.join(path, "llama-quantize")):
            return path
    sys.exit("no llama.cpp build with llama-quantize under .oracle/")


def run_converter_inprocess(pre, argv):
    """Child process: patch the chkhsh lookup to `pre` for this unknown vocabulary, run the converter."""
    sys.path.insert(0, LLAMA)
    sys.path.insert(1, os.path.join(LLAMA, "gguf-py"))
    import conversion.base as base
    original = base.TextModel.get_vocab_base_pre

    def patched(self, tokenizer):
        try:
            return original(self, tokenizer)
        except NotImplementedError:
            print(f"kiln-oracle: unknown chkhsh registered as pre={pre!r}", file=sys.stderr)
            return pre
    base.TextModel.get_vocab_base_pre = patched
    sys.argv = [os.path.join(LLAMA, "convert_hf_to_gguf.py")] + argv
    import runpy
    runpy.run_path(sys.argv[0], run_name="__main__")


def convert(family, fixture, gold, work):
    env = dict(os.environ, PYTHONPATH=os.path.join(LLAMA, "gguf-py"))
    for outtype in ("f16", "auto"):
        out = os.path.join(work, f"convert-{outtype}.gguf")
        cmd = [sys.executable, os.path.abspath(__file__), family, "--_child", PRE_TOKENIZER[family],
               fixture, "--outfile", out, "--outtype", outtype]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"convert {outtype} failed:\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
        d = describe_gguf(out)
        d["conversion"] = {"source": os.path.relpath(fixture, REPO), "args": ["--outtype", outtype],
                           "pre_tokenizer_patch": f"unknown chkhsh registered as {PRE_TOKENIZER[family]!r}"}
        with open(os.path.join(gold, f"convert-{outtype}.json"), "w") as f:
            json.dump(d, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"convert {outtype}: {len(d['tensors'])} tensors, {d['header']['file_size']} bytes")


def quantize(gold, work, bin_dir):
    env = dict(os.environ, LD_LIBRARY_PATH=bin_dir)
    source = os.path.join(work, "convert-f16.gguf")
    result = {"input": "convert-f16.gguf", "oracle": os.path.relpath(bin_dir, REPO), "types": {}}
    for t in TYPES:
        out = os.path.join(work, f"{t}.gguf")
        p = subprocess.run([os.path.join(bin_dir, "llama-quantize"), source, out, t, "2"], env=env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"llama-quantize {t} failed:\n{p.stderr[-2000:]}")
        d = describe_gguf(out)
        result["types"][t] = {"file_sha256": d["header"]["file_sha256"], "file_size": d["header"]["file_size"],
                              "tensors": [[x["name"], x["type"]] for x in d["tensors"]]}
        print(f"quantize {t}: {d['header']['file_size']} bytes")
    with open(os.path.join(gold, "quantize.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


def transformers_goldens(fixture, gold):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    # Gemma 2's attention soft-cap runs only in the eager implementation.
    eager = {"attn_implementation": "eager"} if "gemma2" in fixture else {}
    model = AutoModelForCausalLM.from_pretrained(fixture, dtype=torch.float32, **eager).eval()
    if os.path.exists(os.path.join(fixture, "tokenizer.json")):
        tokenizer = AutoTokenizer.from_pretrained(fixture)
        encode = lambda text: tokenizer(text)["input_ids"]  # noqa: E731
        if type(tokenizer).__name__ == "GPT2Tokenizer":
            # transformers 5 rebuilds a GPT2Tokenizer with GPT-2's own regex, not tokenizer.json's Split
            # (Phi-4's cl100k regex): the goldens hold only prompts on which both agree.
            from tokenizers import Tokenizer
            written = Tokenizer.from_file(os.path.join(fixture, "tokenizer.json"))
            for prompt in PROMPTS:
                if encode(prompt) != written.encode(prompt).ids:
                    sys.exit(f"transformers and tokenizer.json tokenize {prompt!r} differently")
    else:  # tokenizer.model alone (tiny-gemma3, tiny-gemma2): sentencepiece, BOS first as tokenizer_config says
        import sentencepiece
        sp = sentencepiece.SentencePieceProcessor(model_file=os.path.join(fixture, "tokenizer.model"))
        bos = [sp.bos_id()] if json.load(open(os.path.join(fixture, "tokenizer_config.json"))).get("add_bos_token") else []
        encode = lambda text: bos + sp.encode(text)  # noqa: E731
    cases = []
    for n, prompt in enumerate(PROMPTS):
        ids = encode(prompt)
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0].float()
        logits[-1].numpy().astype("<f4").tofile(os.path.join(gold, f"logits-{n}.bin"))
        cases.append({"prompt": prompt, "ids": ids, "argmax": logits.argmax(-1).tolist(), "logits": f"logits-{n}.bin"})
    with open(os.path.join(gold, "transformers.json"), "w") as f:
        json.dump({"source": f"transformers {type(model).__name__} float32 on {os.path.relpath(fixture, REPO)}", "cases": cases}, f, indent=1)
        f.write("\n")


def llama_perplexity(bin_dir, model):
    """llama-perplexity -c 128 on Fixtures/text/eval.txt: the running PPL after each chunk and the estimate."""
    env = dict(os.environ, LD_LIBRARY_PATH=bin_dir)
    eval_txt = os.path.join(REPO, "Fixtures/text/eval.txt")
    # The captured output sometimes loses its tail on this machine; a complete run ends with the estimate.
    for _ in range(5):
        log = subprocess.run([os.path.join(bin_dir, "llama-perplexity"), "-m", model, "-f", eval_txt, "-c", "128", "-t", "1", "-tb", "1"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        final = re.search(r"PPL = ([0-9.]+) \+/- ([0-9.]+)", log)
        if final:
            break
    else:
        sys.exit(f"llama-perplexity on {model} gave no estimate:\n{log[-2000:]}")
    running = [float(v) for v in re.findall(r"\[\d+\]([0-9.]+)", log)]
    return {"running": running, "ppl": float(final.group(1)), "error": float(final.group(2))}


def llama_goldens(gold, work, bin_dir):
    env = dict(os.environ, LD_LIBRARY_PATH=bin_dir)
    result = {"source": "llama.cpp " + os.path.relpath(bin_dir, REPO), "perplexity": {}, "greedy": {}}
    for t in PPL_TYPES:
        model = os.path.join(work, "convert-f16.gguf" if t == "F16" else f"{t}.gguf")
        result["perplexity"][f"{t}-c128"] = llama_perplexity(bin_dir, model)
        greedy = []
        for prompt in PROMPTS:
            # llama-completion's output is cut short now and then on this machine; a complete run ends with "\n\n".
            for _ in range(20):
                p = subprocess.run([os.path.join(bin_dir, "llama-completion"), "-m", model, "-p", prompt, "-n", "24", "-c", "128", "-t", "1",
                                    "--temp", "0", "--top-k", "1", "-no-cnv", "--no-display-prompt", "--simple-io", "--verbose-prompt"],
                                   env=env, capture_output=True, text=True)
                if p.stdout.endswith("\n\n"):
                    break
            else:
                sys.exit(f"llama-completion output for {prompt!r} on {t} looks truncated: {p.stdout!r}")
            # --verbose-prompt logs each prompt token as "<time> I     40 -> 'I'".
            ids = [int(i) for i in re.findall(r"^[\d.]+ I +(\d+) -> '", p.stderr, re.M)]
            greedy.append({"prompt": prompt, "prompt_ids": ids, "text": p.stdout})
        result["greedy"][t] = greedy
        print(f"llama {t}: ppl {result['perplexity'][f'{t}-c128']['ppl']}")
    with open(os.path.join(gold, "llama.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


def prompt_ids(bin_dir, model, prompt):
    """llama-completion's tokenization of `prompt` (from its --verbose-prompt log: "<time> I     40 -> 'I'")."""
    env = dict(os.environ, LD_LIBRARY_PATH=bin_dir)
    p = subprocess.run([os.path.join(bin_dir, "llama-completion"), "-m", model, "-p", prompt, "-n", "1", "-c", "128", "-t", "1",
                        "--temp", "0", "-no-cnv", "--no-display-prompt", "--simple-io", "--verbose-prompt"],
                       env=env, capture_output=True, text=True)
    return [int(i) for i in re.findall(r"^[\d.]+ I +(\d+) -> '", p.stderr, re.M)]


def chat_goldens(family, fixture, gold, work, bin_dir):
    from transformers import AutoTokenizer
    message, rendered = CHAT[family]
    template = AutoTokenizer.from_pretrained(fixture).apply_chat_template([{"role": "user", "content": message}], tokenize=False,
                                                                         add_generation_prompt=True)
    if template != rendered:
        sys.exit(f"the chat template renders {template!r}, not {rendered!r}")
    path = os.path.join(gold, "llama.json")
    with open(path) as f:
        result = json.load(f)
    result["chat"] = {"message": message, "rendered": rendered,
                      "prompt_ids": prompt_ids(bin_dir, os.path.join(work, "convert-f16.gguf"), rendered)}
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"chat: {result['chat']['prompt_ids']}")


def main():
    if len(sys.argv) > 2 and sys.argv[2] == "--_child":
        return run_converter_inprocess(sys.argv[3], sys.argv[4:])
    ap = argparse.ArgumentParser()
    ap.add_argument("family", choices=sorted(PRE_TOKENIZER))
    ap.add_argument("--steps", default="convert,quantize,transformers,llama,chat")
    args = ap.parse_args()
    steps = args.steps.split(",")
    fixture = os.path.join(REPO, "Fixtures", f"tiny-{args.family}")
    gold = os.path.join(REPO, "Fixtures", "goldens", "families", args.family)
    work = os.path.join(ORACLE, "families", args.family)
    os.makedirs(gold, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    if "convert" in steps:
        convert(args.family, fixture, gold, work)
    if "quantize" in steps:
        quantize(gold, work, oracle_bin())
    if "transformers" in steps:
        transformers_goldens(fixture, gold)
    if "llama" in steps:
        llama_goldens(gold, work, oracle_bin())
    if "chat" in steps and args.family in CHAT:
        chat_goldens(args.family, fixture, gold, work, oracle_bin())


if __name__ == "__main__":
    sys.exit(main())
