#!/usr/bin/env python3
"""Goldens for the KilnRuntime tests → Fixtures/goldens/runtime/.

1. transformers (torch CPU, float32): MistralForCausalLM built from Fixtures/tiny-pixtral's text
   weights; for each prompt the token ids (HF tokenizers, BOS as tokenizer_config says) and the
   last position's full-vocabulary logits (float32 little-endian, logits-N.bin), plus the argmax at
   every position.
2. llama.cpp (--llama, needs .oracle/build and GGUFs made by kiln): llama-perplexity at -c 128 and
   -c 512 on Fixtures/text/eval.txt with the running PPL after each chunk, and llama-simple's greedy
   continuation of each prompt from llama-completion (text; prompt ids from llama-tokenize).

Usage: python3 Scripts/oracle/make_runtime_goldens.py [--llama DIR]
DIR holds f16.gguf, q8_0.gguf, q4_k_m.gguf made by `kiln convert --outtype f16` and `kiln quantize`,
and optionally ppl-NAME-cCTX.txt, the saved output (stdout+stderr) of the same llama-perplexity run.
"""
import argparse, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures/goldens/runtime")
PROMPTS = ["In the beginning God created", "And the LORD said unto Moses,", "Blessed are the"]


def transformers_goldens():
    import torch
    from safetensors.torch import load_file
    from tokenizers import Tokenizer
    from transformers import MistralConfig, MistralForCausalLM

    folder = os.path.join(ROOT, "Fixtures/tiny-pixtral")
    config = json.load(open(os.path.join(folder, "config.json")))["text_config"]
    config.pop("architectures", None)
    config.pop("torch_dtype", None)
    model = MistralForCausalLM(MistralConfig(**config)).float().eval()
    index = json.load(open(os.path.join(folder, "model.safetensors.index.json")))
    state = {}
    for shard in sorted(set(index["weight_map"].values())):
        for name, tensor in load_file(os.path.join(folder, shard)).items():
            for prefix, new in (("language_model.model.", "model."), ("model.language_model.", "model."),
                                ("language_model.lm_head.", "lm_head."), ("lm_head.", "lm_head.")):
                if name.startswith(prefix):
                    state[new + name[len(prefix):]] = tensor.float()
                    break
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not [m for m in missing if "rotary" not in m], missing
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    bos = json.load(open(os.path.join(folder, "tokenizer_config.json"))).get("add_bos_token", False)
    cases = []
    for n, prompt in enumerate(PROMPTS):
        ids = tokenizer.encode(prompt, add_special_tokens=False).ids
        if bos:
            ids = [1] + ids
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0].float()
        logits[-1].numpy().astype("<f4").tofile(os.path.join(OUT, f"logits-{n}.bin"))
        cases.append({"prompt": prompt, "ids": ids, "argmax": logits.argmax(-1).tolist(), "logits": f"logits-{n}.bin"})
    json.dump({"source": "transformers MistralForCausalLM float32 on Fixtures/tiny-pixtral", "cases": cases},
              open(os.path.join(OUT, "transformers.json"), "w"), indent=1)


def llama_goldens(folder):
    bin_dir = os.path.join(ROOT, ".oracle/build/bin")
    result = {"source": "llama.cpp " + bin_dir, "perplexity": {}, "greedy": {}}
    eval_txt = os.path.join(ROOT, "Fixtures/text/eval.txt")
    for name in ("f16", "q8_0", "q4_k_m"):
        model = os.path.join(folder, f"{name}.gguf")
        for ctx in (128, 512):
            cached = os.path.join(folder, f"ppl-{name}-c{ctx}.txt")  # a saved run of the same command, if any
            if os.path.exists(cached):
                log = open(cached).read()
            else:
                log = subprocess.run([f"{bin_dir}/llama-perplexity", "-m", model, "-f", eval_txt, "-c", str(ctx), "-t", "1", "-tb", "1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
            running = [float(v) for v in re.findall(r"\[\d+\]([0-9.]+)", log)]
            final = re.search(r"PPL = ([0-9.]+) \+/- ([0-9.]+)", log)
            result["perplexity"][f"{name}-c{ctx}"] = {"running": running, "ppl": float(final.group(1)), "error": float(final.group(2))}
        greedy = []
        for prompt in PROMPTS:
            # llama-completion rather than llama-simple: llama-simple cannot be limited to one thread and
            # spins for minutes on a busy machine. --temp 0 is greedy; stdout is the generated text only.
            # Its stdout sometimes loses the last piece; a complete run ends with its own "\n\n".
            for _ in range(5):
                text = subprocess.run([f"{bin_dir}/llama-completion", "-m", model, "-p", prompt, "-n", "24", "-c", "128", "-t", "1",
                                       "--temp", "0", "--top-k", "1", "-no-cnv", "--no-display-prompt", "--simple-io"],
                                      capture_output=True, text=True).stdout
                if text.endswith("\n\n"):
                    break
            else:
                sys.exit(f"llama-completion output for {prompt!r} on {model} looks truncated: {text!r}")
            ids = subprocess.run([f"{bin_dir}/llama-tokenize", "-m", model, "-p", prompt, "--ids", "--log-disable"],
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            greedy.append({"prompt": prompt, "prompt_ids": json.loads(ids), "text": text})
        result["greedy"][name] = greedy
    json.dump(result, open(os.path.join(OUT, "llama.json"), "w"), indent=1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--llama", help="folder holding f16.gguf, q8_0.gguf, q4_k_m.gguf made by kiln")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if args.llama:
        llama_goldens(args.llama)
    else:
        transformers_goldens()
