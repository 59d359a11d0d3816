#!/usr/bin/env python3
"""A synthetic Llava-Pixtral checkpoint for the image benchmark: random bf16 weights, no training.

Usage: python3 Scripts/bench/make_synthetic_pixtral.py OUT_DIR

A Pixtral-12B-sized vision tower (hidden 1024, 24 layers, 16 heads, FFN 4096, patch 16, images up to
1024 px, ~400M parameters) under a small Mistral decoder (hidden 512, 4 layers), laid out and
configured like Fixtures/tiny-pixtral, whose tokenizer files (with [IMG], [IMG_BREAK], [IMG_END]) it
copies. Needs numpy only; the tensors are written by make_synthetic_checkpoint.py's writer.
"""
import argparse
import json
import os
import shutil

import numpy as np

from make_synthetic_checkpoint import REPO, write_shard

FIXTURE = os.path.join(REPO, "Fixtures", "tiny-pixtral")
VISION = {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24, "num_attention_heads": 16,
          "head_dim": 64, "image_size": 1024, "patch_size": 16, "hidden_act": "silu", "rope_theta": 10000.0}
TEXT = {"hidden_size": 512, "intermediate_size": 1536, "num_hidden_layers": 4, "num_attention_heads": 8,
        "num_key_value_heads": 2, "head_dim": 64}


def tensors(vocab):
    v, t = VISION, TEXT
    vh, th, hd = v["hidden_size"], t["hidden_size"], t["head_dim"]
    p = "language_model.model."
    yield p + "embed_tokens.weight", (vocab, th)
    for i in range(t["num_hidden_layers"]):
        q = f"{p}layers.{i}."
        yield q + "input_layernorm.weight", (th,)
        yield q + "self_attn.q_proj.weight", (t["num_attention_heads"] * hd, th)
        yield q + "self_attn.k_proj.weight", (t["num_key_value_heads"] * hd, th)
        yield q + "self_attn.v_proj.weight", (t["num_key_value_heads"] * hd, th)
        yield q + "self_attn.o_proj.weight", (th, t["num_attention_heads"] * hd)
        yield q + "post_attention_layernorm.weight", (th,)
        yield q + "mlp.gate_proj.weight", (t["intermediate_size"], th)
        yield q + "mlp.up_proj.weight", (t["intermediate_size"], th)
        yield q + "mlp.down_proj.weight", (th, t["intermediate_size"])
    yield p + "norm.weight", (th,)
    yield "language_model.lm_head.weight", (vocab, th)
    yield "multi_modal_projector.linear_1.weight", (th, vh)
    yield "multi_modal_projector.linear_1.bias", (th,)
    yield "multi_modal_projector.linear_2.weight", (th, th)
    yield "multi_modal_projector.linear_2.bias", (th,)
    yield "vision_tower.patch_conv.weight", (vh, 3, v["patch_size"], v["patch_size"])
    yield "vision_tower.ln_pre.weight", (vh,)
    for i in range(v["num_hidden_layers"]):
        q = f"vision_tower.transformer.layers.{i}."
        yield q + "attention_norm.weight", (vh,)
        for name in ["q_proj", "k_proj", "v_proj", "o_proj"]:
            yield q + f"attention.{name}.weight", (vh, vh)
        yield q + "ffn_norm.weight", (vh,)
        yield q + "feed_forward.gate_proj.weight", (v["intermediate_size"], vh)
        yield q + "feed_forward.up_proj.weight", (v["intermediate_size"], vh)
        yield q + "feed_forward.down_proj.weight", (vh, v["intermediate_size"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(FIXTURE, "config.json")) as f:
        config = json.load(f)
    vocab = config["text_config"]["vocab_size"]
    shard = list(tensors(vocab))
    write_shard(os.path.join(a.out, "model.safetensors"), shard, np.random.default_rng(0))
    config["text_config"].update(TEXT)
    config["vision_config"].update(VISION)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(FIXTURE, "preprocessor_config.json")) as f:
        preprocessor = json.load(f)
    preprocessor["size"] = {"longest_edge": VISION["image_size"]}
    with open(os.path.join(a.out, "preprocessor_config.json"), "w") as f:
        json.dump(preprocessor, f, indent=2)
    for name in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "processor_config.json",
                 "generation_config.json"]:
        shutil.copy(os.path.join(FIXTURE, name), a.out)
    params = sum(int(np.prod(s)) for _, s in shard)
    print(f"{a.out}: {params / 1e6:.1f}M parameters")


if __name__ == "__main__":
    main()
