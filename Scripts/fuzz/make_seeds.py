#!/usr/bin/env python3
"""Seeds for the fuzz harnesses (Fuzz/), from the fixtures plus a few small files made here.

Usage: make_seeds.py CORPUS_DIR. Writes CORPUS_DIR/<harness>/*; the reference-cache seed is written by
the harness binary itself (Kiln's own writer), see Scripts/fuzz/run.sh.
"""
import json
import os
import shutil
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIX = os.path.join(ROOT, "Fixtures")
sys.path.insert(0, os.path.join(ROOT, ".oracle", "llama.cpp", "gguf-py"))


def safetensors_bytes(tensors, metadata=None):
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def main(corpus):
    def put(harness, name, content):
        os.makedirs(os.path.join(corpus, harness), exist_ok=True)
        with open(os.path.join(corpus, harness, name), "wb") as f:
            f.write(content)

    def copy(harness, path):
        with open(path, "rb") as f:
            put(harness, os.path.basename(path), f.read())

    put("safetensors", "two-f32", safetensors_bytes([("a", "F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
                                                     ("b", "BF16", [3], b"\x80\x3f" * 3)], {"format": "pt"}))
    put("safetensors", "fp8-empty", safetensors_bytes([("x", "F8_E4M3", [4], b"\x01\x02\x03\x04"), ("e", "F16", [0], b"")]))
    with open(os.path.join(FIX, "tiny-pixtral", "model-00002-of-00002.safetensors"), "rb") as f:
        shard = f.read()
    length = struct.unpack("<Q", shard[:8])[0]
    put("safetensors", "fixture-header", shard[: 8 + length])  # the real header, data cut off
    copy("index", os.path.join(FIX, "tiny-pixtral", "model.safetensors.index.json"))
    copy("config", os.path.join(FIX, "tiny-pixtral", "config.json"))
    put("config", "llama.json", json.dumps({"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 256,
                                             "num_hidden_layers": 40, "num_attention_heads": 4, "num_key_value_heads": 2,
                                             "vocab_size": 1024, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
                                             "max_position_embeddings": 4096}).encode())
    copy("params", os.path.join(FIX, "tiny-pixtral-native", "params.json"))
    copy("tokenizer-json", os.path.join(FIX, "tiny-pixtral", "tokenizer.json"))
    copy("tekken", os.path.join(FIX, "tiny-pixtral-native", "tekken.json"))
    copy("sentencepiece", os.path.join(FIX, "tokenizers", "sentencepiece-bpe.model"))
    copy("imatrix", os.path.join(FIX, "goldens", "imatrix", "tiny-pixtral.imatrix.dat"))
    copy("imatrix", os.path.join(FIX, "goldens", "imatrix", "tiny-pixtral.imatrix.gguf"))

    for name in sorted(os.listdir(os.path.join(FIX, "images"))):
        if name.endswith((".png", ".jpg")) and os.path.getsize(os.path.join(FIX, "images", name)) < 64 << 10:
            copy("image", os.path.join(FIX, "images", name))

    import gguf
    import numpy as np
    path = os.path.join(corpus, "tiny.gguf")
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_block_count(1)
    writer.add_context_length(64)
    writer.add_embedding_length(8)
    writer.add_feed_forward_length(16)
    writer.add_head_count(2)
    writer.add_head_count_kv(1)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    tokens = [bytes([b]).decode("latin-1") for b in range(32, 48)]
    writer.add_token_list(tokens)
    writer.add_token_types([1] * len(tokens))
    writer.add_token_merges(["! \"", "# $"])
    writer.add_bos_token_id(0)
    rng = np.random.default_rng(0)
    writer.add_tensor("token_embd.weight", rng.standard_normal((16, 8)).astype(np.float32))
    writer.add_tensor("output_norm.weight", np.ones(8, dtype=np.float32))
    writer.add_tensor("blk.0.attn_norm.weight", np.ones(8, dtype=np.float32))
    writer.add_tensor("blk.0.attn_q.weight", rng.standard_normal((8, 8)).astype(np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with open(path, "rb") as f:
        put("gguf", "tiny-llama.gguf", f.read())
    os.remove(path)


if __name__ == "__main__":
    main(sys.argv[1])
