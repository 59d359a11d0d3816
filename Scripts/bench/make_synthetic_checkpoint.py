#!/usr/bin/env python3
"""A synthetic checkpoint for benchmarks: random bf16 weights, no training.

Usage: python3 Scripts/bench/make_synthetic_checkpoint.py OUT_DIR [--layers 24] [--hidden 1024]
       [--intermediate 4096] [--heads 16] [--kv-heads 4] [--vocab 32768] [--shard-bytes 500000000]
       [--family llama|qwen2|qwen3|phi3]

The defaults give ~430M parameters (~0.86 GB in bf16), sharded like a Hugging Face upload.
--family picks the layout: Llama (tokenizer from Fixtures/tiny-pixtral), or that of the family's
fixture (Fixtures/tiny-qwen2: Q/K/V biases; tiny-qwen3: per-head Q/K norms; tiny-phi3: fused qkv and
gate_up), whose config (sizes replaced) and tokenizer are copied; ids past the tokenizer's 1024
tokens become padding tokens. Needs numpy only; writes the safetensors format itself, one tensor at a time.
"""
import argparse
import json
import os
import shutil

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def bf16(shape, rng, scale):
    """Random bf16 values stored as uint16 bit patterns (numpy has no bfloat16)."""
    values = (rng.standard_normal(shape, dtype=np.float32) * scale).view(np.uint32)
    return ((values + 0x7FFF + ((values >> 16) & 1)) >> 16).astype(np.uint16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--layers", type=int, default=24)
    ap.add_argument("--hidden", type=int, default=1024)
    ap.add_argument("--intermediate", type=int, default=4096)
    ap.add_argument("--heads", type=int, default=16)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--vocab", type=int, default=32768)
    ap.add_argument("--shard-bytes", type=int, default=500_000_000)
    ap.add_argument("--family", choices=["llama", "qwen2", "qwen3", "phi3"], default="llama")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    os.makedirs(a.out, exist_ok=True)
    head_dim = a.hidden // a.heads

    def tensors():
        yield "model.embed_tokens.weight", (a.vocab, a.hidden)
        for i in range(a.layers):
            p = f"model.layers.{i}."
            yield p + "input_layernorm.weight", (a.hidden,)
            if a.family == "phi3":
                yield p + "self_attn.qkv_proj.weight", ((a.heads + 2 * a.kv_heads) * head_dim, a.hidden)
            else:
                yield p + "self_attn.q_proj.weight", (a.heads * head_dim, a.hidden)
                yield p + "self_attn.k_proj.weight", (a.kv_heads * head_dim, a.hidden)
                yield p + "self_attn.v_proj.weight", (a.kv_heads * head_dim, a.hidden)
            if a.family == "qwen2":
                yield p + "self_attn.q_proj.bias", (a.heads * head_dim,)
                yield p + "self_attn.k_proj.bias", (a.kv_heads * head_dim,)
                yield p + "self_attn.v_proj.bias", (a.kv_heads * head_dim,)
            if a.family == "qwen3":
                yield p + "self_attn.q_norm.weight", (head_dim,)
                yield p + "self_attn.k_norm.weight", (head_dim,)
            yield p + "self_attn.o_proj.weight", (a.hidden, a.heads * head_dim)
            yield p + "post_attention_layernorm.weight", (a.hidden,)
            if a.family == "phi3":
                yield p + "mlp.gate_up_proj.weight", (2 * a.intermediate, a.hidden)
            else:
                yield p + "mlp.gate_proj.weight", (a.intermediate, a.hidden)
                yield p + "mlp.up_proj.weight", (a.intermediate, a.hidden)
            yield p + "mlp.down_proj.weight", (a.hidden, a.intermediate)
        yield "model.norm.weight", (a.hidden,)
        yield "lm_head.weight", (a.vocab, a.hidden)

    # Group tensors into shards of about shard-bytes, then write each shard on its own.
    shards, current, size = [], [], 0
    for name, shape in tensors():
        nbytes = int(np.prod(shape)) * 2
        if current and size + nbytes > a.shard_bytes:
            shards.append(current)
            current, size = [], 0
        current.append((name, shape))
        size += nbytes
    shards.append(current)
    weight_map, total = {}, 0
    for i, shard in enumerate(shards):
        fname = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write_shard(os.path.join(a.out, fname), shard, rng)
        for name, shape in shard:
            weight_map[name] = fname
            total += int(np.prod(shape)) * 2
    with open(os.path.join(a.out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    sizes = {
        "hidden_size": a.hidden, "intermediate_size": a.intermediate, "num_hidden_layers": a.layers,
        "num_attention_heads": a.heads, "num_key_value_heads": a.kv_heads, "vocab_size": a.vocab,
        "max_position_embeddings": 4096, "tie_word_embeddings": False,
    }
    if a.family == "llama":
        fixture = os.path.join(REPO, "Fixtures", "tiny-pixtral")
        config = {
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "rms_norm_eps": 1e-5,
            "rope_theta": 500000.0, "torch_dtype": "bfloat16", "bos_token_id": 1, "eos_token_id": 2,
        }
        names = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
    else:
        fixture = os.path.join(REPO, "Fixtures", "tiny-" + a.family)
        with open(os.path.join(fixture, "config.json")) as f:
            config = json.load(f)
        names = [n for n in os.listdir(fixture) if n.startswith(("tokenizer", "added_tokens", "special_tokens"))]
        if a.family == "qwen3":
            sizes["head_dim"] = head_dim
        if a.family == "phi3":  # plain RoPE: the fixture's long-rope factors fit its head size only
            config["rope_parameters"] = {"rope_theta": 10000.0, "rope_type": "default"}
            sizes["original_max_position_embeddings"] = 4096
            config.pop("sliding_window", None)
        config.pop("layer_types", None)
    config.update(sizes)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    for name in names:
        shutil.copy(os.path.join(fixture, name), a.out)
    params = sum(int(np.prod(s)) for _, s in tensors())
    print(f"{a.out}: {params / 1e6:.1f}M parameters, {total / 1e9:.2f} GB in {len(shards)} shards")


def write_shard(path, shard, rng):
    """Writes one safetensors file of bf16 tensors: norms are ones, matrices random."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in shard:
        nbytes = int(np.prod(shape)) * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little") + text)
        for name, shape in shard:
            values = np.full(shape, 0x3F80, np.uint16) if len(shape) == 1 else bf16(shape, rng, 0.02)
            f.write(values.tobytes())


if __name__ == "__main__":
    main()
