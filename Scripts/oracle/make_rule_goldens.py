#!/usr/bin/env python3
"""Goldens for the converter's model-specific rules: tiny Llama checkpoints that each trigger rules of
llama.cpp's convert_hf_to_gguf.py (vocabulary-size special cases, SentencePiece padding and added
tokens, add_prefix_space, rope scaling keys, llama3 `rope_freqs`), converted by the vendored converter.

Usage:  python3 Scripts/oracle/make_rule_goldens.py [--only CASE ...]

Each case is a folder Fixtures/converter-rules/<case>/ holding its small side files (config.json,
tokenizer_config.json, ...) and case.json: "copy" names bigger fixture files to copy in
({"tokenizer.json": "tiny-pixtral/tokenizer.json"}); "folder" names a fixture folder copied whole
first (the case's own files then replace its files); "args" adds converter arguments
(["--mistral-format"]); "accept_any_hash" registers any unknown chkhsh as tekken. Without "folder" the weights are not committed: this script and
the Swift test (KilnTestSupport.SyntheticLlama) both write the same model.safetensors from config.json:
every tensor of a Llama checkpoint, sorted by name, BF16, element i of the t-th tensor
= ((31*i + 17*t) % 255 - 127) / 256 (exact in bf16), header padded with spaces to a multiple of 8.
The golden records the sha256 of every input file, so the test first proves it rebuilt the same
checkpoint, then that `kiln convert` writes the converter's file byte for byte.

The converter runs exactly as in make_convert_goldens.py (same child process, same chkhsh patch for
the tiny-pixtral tokenizer.json), with --outtype auto. Output: Fixtures/goldens/convert-rules/<case>.json
(+ <case>.log); GGUFs go to .oracle/convert-rules/.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_convert_goldens as mcg  # noqa: E402

REPO = mcg.REPO
CASES = os.path.join(REPO, "Fixtures", "converter-rules")
GOLD = os.path.join(REPO, "Fixtures", "goldens", "convert-rules")
WORK = os.path.join(mcg.ORACLE, "convert-rules")


def llama_tensors(config):
    """(name, shape) of every tensor of a LlamaForCausalLM checkpoint, sorted by name."""
    h, ff = config["hidden_size"], config["intermediate_size"]
    heads = config["num_attention_heads"]
    kv = config.get("num_key_value_heads", heads)
    hd = config.get("head_dim") or h // heads
    v = config["vocab_size"]
    out = [("model.embed_tokens.weight", [v, h]), ("model.norm.weight", [h])]
    if not config.get("tie_word_embeddings", False):
        out.append(("lm_head.weight", [v, h]))
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out += [(p + "input_layernorm.weight", [h]), (p + "post_attention_layernorm.weight", [h]),
                (p + "self_attn.q_proj.weight", [heads * hd, h]), (p + "self_attn.k_proj.weight", [kv * hd, h]),
                (p + "self_attn.v_proj.weight", [kv * hd, h]), (p + "self_attn.o_proj.weight", [h, heads * hd]),
                (p + "mlp.gate_proj.weight", [ff, h]), (p + "mlp.up_proj.weight", [ff, h]),
                (p + "mlp.down_proj.weight", [h, ff])]
    return sorted(out)


def safetensors_bytes(config):
    import numpy as np
    entries, blobs, offset = [], [], 0
    for t, (name, shape) in enumerate(llama_tensors(config)):
        n = int(np.prod(shape))
        i = np.arange(n, dtype=np.int64)
        values = (((31 * i + 17 * t) % 255) - 127).astype(np.float32) / 256
        bf16 = (values.view(np.uint32) >> 16).astype("<u2").tobytes()
        entries.append(f'"{name}":{{"dtype":"BF16","shape":[{",".join(map(str, shape))}],'
                       f'"data_offsets":[{offset},{offset + len(bf16)}]}}')
        blobs.append(bf16)
        offset += len(bf16)
    header = "{" + ",".join(['"__metadata__":{"format":"pt"}'] + entries) + "}"
    header += " " * (-len(header) % 8)
    hb = header.encode()
    return len(hb).to_bytes(8, "little") + hb + b"".join(blobs)


def build(case, folder):
    src = os.path.join(CASES, case)
    with open(os.path.join(src, "case.json")) as f:
        spec = json.load(f)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    if "folder" in spec:
        whole = os.path.join(REPO, "Fixtures", spec["folder"])
        for name in sorted(os.listdir(whole)):
            shutil.copyfile(os.path.join(whole, name), os.path.join(folder, name))
    for name in sorted(os.listdir(src)):
        if name != "case.json":
            shutil.copyfile(os.path.join(src, name), os.path.join(folder, name))
    for name, rel in spec.get("copy", {}).items():
        shutil.copyfile(os.path.join(REPO, "Fixtures", rel), os.path.join(folder, name))
    if "folder" not in spec:
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        with open(os.path.join(folder, "model.safetensors"), "wb") as f:
            f.write(safetensors_bytes(config))
    inputs = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            inputs[name] = hashlib.sha256(f.read()).hexdigest()
    return inputs, spec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    os.makedirs(GOLD, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=os.path.join(mcg.LLAMA, "gguf-py"), KILN_FIXTURE_CHKHSH=mcg.FIXTURE_CHKHSH)
    env.pop("NO_LOCAL_GGUF", None)
    failed = 0
    for case in sorted(os.listdir(CASES)):
        if args.only and case not in args.only:
            continue
        # The folder name becomes general.name, so the checkpoint folder is named like the case.
        folder = os.path.join(WORK, "models", case)
        inputs, spec = build(case, folder)
        out = os.path.join(WORK, f"{case}.gguf")
        if os.path.exists(out):
            os.remove(out)
        extra = ["--outtype", "auto"] + spec.get("args", [])
        cmd = [sys.executable, mcg.__file__, "--_child", folder, "--outfile", out] + extra
        # A tokenizer.json whose post-processor adds special tokens encodes chktxt differently, so
        # its chkhsh is new; its pre-tokenizer is still tekken's ("accept_any_hash" in case.json).
        cenv = dict(env, KILN_ACCEPT_ANY_HASH="1") if spec.get("accept_any_hash") else env
        p = subprocess.run(cmd, env=cenv, capture_output=True, text=True)
        with open(os.path.join(GOLD, f"{case}.log"), "w") as f:
            f.write(f"$ convert_hf_to_gguf.py {case} --outfile {case}.gguf {' '.join(extra)}\n")
            f.write((p.stdout + p.stderr).replace(folder, case).replace(REPO + "/", ""))
        if p.returncode != 0 or not os.path.exists(out):
            print(f"[{case}] FAILED rc={p.returncode}; see {case}.log")
            failed += 1
            continue
        d = mcg.describe_gguf(out)
        d["conversion"] = {"case": case, "inputs_sha256": inputs, "args": extra,
                           "converter": "vendor/llama.cpp/convert_hf_to_gguf.py (llama-cpp-python sdist)",
                           "pre_tokenizer_patch": "unknown chkhsh registered as 'tekken'"}
        with open(os.path.join(GOLD, f"{case}.json"), "w") as f:
            json.dump(d, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"[{case}] ok: {len(d['tensors'])} tensors, {len(d['kv'])} keys, {d['header']['file_size']} bytes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
