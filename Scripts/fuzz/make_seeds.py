#!/usr/bin/env python3
"""The committed fuzzing corpus, Fixtures/fuzz/, cut from the fixtures.

Usage: make_seeds.py [FIXTURES_FUZZ_DIR]   (default Fixtures/fuzz)

Writes
  hf-model/, native-model/  small models (one text layer, 64 tokens, the fixture's vision tower) that
                            the config, index and params targets put their input beside: every input
                            runs through the real folder reader in well under a millisecond.
  seeds/<target>/           small, valid starting inputs for each target in Sources/KilnFuzzTargets.
The reference-cache seed is written by Kiln's own writer (`kiln-fuzz` with KILN_FUZZ_WRITE_CACHE_SEED,
see Scripts/fuzz/run.sh); inputs that once crashed live in regressions/<target>/, added by hand.
"""
import base64
import json
import os
import struct
import sys

import torch
from safetensors import safe_open
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIX = os.path.join(ROOT, "Fixtures")
sys.path.insert(0, os.path.join(ROOT, ".oracle", "llama.cpp", "gguf-py"))

VOCAB = 64          # tokens of the small models
FFN = 32            # their feed-forward width (the fixture's 256 cut)
TOKENIZER_SEED_VOCAB = 300  # the tokenizer seeds keep every byte token and some merges


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


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)


def cut(tensor_name, t):
    """The fixture's tensor cut to the small model's vocabulary and feed-forward width."""
    if t.dim() >= 1 and t.shape[0] == 1024 and ("embed" in tensor_name or "lm_head" in tensor_name or "output" in tensor_name):
        t = t[:VOCAB]
    if any(k in tensor_name for k in ("gate_proj", "up_proj", "w1.", "w3.")) and "vision" not in tensor_name:
        t = t[:FFN]
    if any(k in tensor_name for k in ("down_proj", "w2.")) and "vision" not in tensor_name:
        t = t[:, :FFN]
    return t.contiguous()


def keep(name):
    """Text layer 0 only; the vision tower whole."""
    parts = name.split(".")
    if "layers" in parts and "vision" not in name and "transformer" not in name:
        return parts[parts.index("layers") + 1] == "0"
    return True


def small_tokenizer_json(size, source="tiny-pixtral/tokenizer.json"):
    tok = read_json(os.path.join(FIX, source))
    vocab = {k: i for k, i in tok["model"]["vocab"].items() if i < size}
    tok["model"]["vocab"] = vocab
    tok["model"]["merges"] = [m for m in tok["model"]["merges"] if m[0] in vocab and m[1] in vocab and m[0] + m[1] in vocab]
    tok["added_tokens"] = [a for a in tok["added_tokens"] if a["id"] < size]
    return tok


def small_tekken(size):
    tk = read_json(os.path.join(FIX, "tiny-pixtral-native", "tekken.json"))
    specials = tk["config"]["default_num_special_tokens"]
    tk["vocab"] = tk["vocab"][: size - specials]
    tk["config"]["default_vocab_size"] = size
    tk["config"]["num_vocab_tokens"] = len(tk["vocab"])
    return tk


def write_hf_model(folder):
    os.makedirs(folder, exist_ok=True)
    source = os.path.join(FIX, "tiny-pixtral")
    weight_map = {}
    for shard in ("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"):
        tensors = {}
        with safe_open(os.path.join(source, shard), "pt") as f:
            for name in f.keys():
                if keep(name):
                    tensors[name] = cut(name, f.get_tensor(name))
                    weight_map[name] = shard
        save_file(tensors, os.path.join(folder, shard), metadata={"format": "pt"})
    write_json(os.path.join(folder, "model.safetensors.index.json"), {"metadata": {}, "weight_map": dict(sorted(weight_map.items()))})
    config = read_json(os.path.join(source, "config.json"))
    config["text_config"].update(vocab_size=VOCAB, num_hidden_layers=1, intermediate_size=FFN)
    write_json(os.path.join(folder, "config.json"), config)
    tok_config = read_json(os.path.join(source, "tokenizer_config.json"))
    tok_config["added_tokens_decoder"] = {k: v for k, v in tok_config["added_tokens_decoder"].items() if int(k) < VOCAB}
    write_json(os.path.join(folder, "tokenizer_config.json"), tok_config)
    write_json(os.path.join(folder, "tokenizer.json"), small_tokenizer_json(VOCAB))
    with open(os.path.join(source, "preprocessor_config.json"), "rb") as f, open(os.path.join(folder, "preprocessor_config.json"), "wb") as g:
        g.write(f.read())


def write_native_model(folder):
    os.makedirs(folder, exist_ok=True)
    source = os.path.join(FIX, "tiny-pixtral-native")
    tensors = {}
    with safe_open(os.path.join(source, "consolidated.safetensors"), "pt") as f:
        for name in f.keys():
            if keep(name):
                tensors[name] = cut(name, f.get_tensor(name))
    save_file(tensors, os.path.join(folder, "consolidated.safetensors"), metadata={"format": "pt"})
    params = read_json(os.path.join(source, "params.json"))
    params.update(n_layers=1, hidden_dim=FFN, vocab_size=VOCAB)
    write_json(os.path.join(folder, "params.json"), params)
    write_json(os.path.join(folder, "tekken.json"), small_tekken(VOCAB))


def legacy_imatrix(entries, chunks, dataset):
    """llama-imatrix's .dat format: entries (name, calls, values), then the chunk count and dataset."""
    out = struct.pack("<i", len(entries))
    for name, calls, values in entries:
        raw = name.encode()
        out += struct.pack("<i", len(raw)) + raw + struct.pack("<ii", calls, len(values)) + struct.pack(f"<{len(values)}f", *values)
    raw = dataset.encode()
    return out + struct.pack("<i", chunks) + struct.pack("<i", len(raw)) + raw


def gguf_bytes(make):
    import gguf
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "seed.gguf")
        writer = make(gguf, path)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        with open(path, "rb") as f:
            return f.read()


def tiny_llama_gguf(gguf, path, edits=None, drop=()):
    """A one-layer llama GGUF with a 16-token BPE vocabulary; `edits` replaces or adds keys as
    (writer method, value), `drop` leaves keys out."""
    import numpy as np
    writer = gguf.GGUFWriter(path, "llama")
    keys = {
        "llama.block_count": ("add_uint32", 1), "llama.context_length": ("add_uint32", 64),
        "llama.embedding_length": ("add_uint32", 8), "llama.feed_forward_length": ("add_uint32", 16),
        "llama.attention.head_count": ("add_uint32", 2), "llama.attention.head_count_kv": ("add_uint32", 1),
        "llama.attention.layer_norm_rms_epsilon": ("add_float32", 1e-5), "llama.rope.freq_base": ("add_float32", 10000.0),
    }
    keys.update(edits or {})
    for key, (method, value) in keys.items():
        if key not in drop:
            getattr(writer, method)(key, value)
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
    writer.add_tensor("output.weight", rng.standard_normal((16, 8)).astype(np.float16))
    for name, shape in (("attn_norm", (8,)), ("ffn_norm", (8,)), ("attn_q", (8, 8)), ("attn_k", (4, 8)), ("attn_v", (4, 8)),
                        ("attn_output", (8, 8)), ("ffn_gate", (16, 8)), ("ffn_up", (16, 8)), ("ffn_down", (8, 16))):
        data = np.ones(shape, dtype=np.float32) if len(shape) == 1 else rng.standard_normal(shape).astype(np.float16)
        writer.add_tensor(f"blk.0.{name}.weight", data)
    return writer


def spm_llama_gguf(gguf, path):
    import numpy as np
    writer = gguf.GGUFWriter(path, "llama")
    for add, value in ((writer.add_block_count, 0), (writer.add_context_length, 16), (writer.add_embedding_length, 4),
                       (writer.add_feed_forward_length, 4), (writer.add_head_count, 1), (writer.add_head_count_kv, 1)):
        add(value)
    writer.add_tokenizer_model("llama")
    tokens = ["<unk>", "<s>", "</s>", "▁", "a", "b", "▁a", "<0x41>"]
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0, 0.0, 0.0, -1.0, -2.0, -3.0, -0.5, 0.0])
    writer.add_token_types([2, 3, 3, 1, 1, 1, 1, 6])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_tensor("token_embd.weight", np.zeros((8, 4), dtype=np.float32))
    writer.add_tensor("output_norm.weight", np.ones(4, dtype=np.float32))
    return writer


def imatrix_gguf(gguf, path, count=4.0, chunks=("add_uint32", 4)):
    import numpy as np
    writer = gguf.GGUFWriter(path, "imatrix")
    writer.add_string("general.type", "imatrix")
    writer.add_array("imatrix.datasets", ["fuzz.txt"])
    getattr(writer, chunks[0])("imatrix.chunk_count", chunks[1])
    writer.add_uint32("imatrix.chunk_size", 512)
    writer.add_tensor("blk.0.attn_q.weight.in_sum2", np.arange(8, dtype=np.float32).reshape(1, 8))
    writer.add_tensor("blk.0.attn_q.weight.counts", np.array([[count]], dtype=np.float32))
    writer.add_tensor("blk.0.ffn_down.weight.in_sum2", np.full((1, 16), 0.5, dtype=np.float32))
    writer.add_tensor("blk.0.ffn_down.weight.counts", np.array([[2.0]], dtype=np.float32))
    return writer


def main(out):
    write_hf_model(os.path.join(out, "hf-model"))
    write_native_model(os.path.join(out, "native-model"))
    seeds = os.path.join(out, "seeds")

    def put(target, name, content):
        os.makedirs(os.path.join(seeds, target), exist_ok=True)
        if isinstance(content, (dict, list)):
            content = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
        with open(os.path.join(seeds, target, name), "wb") as f:
            f.write(content)

    put("safetensors", "two-f32", safetensors_bytes([("a", "F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
                                                     ("b", "BF16", [3], b"\x80\x3f" * 3)], {"format": "pt"}))
    put("safetensors", "fp8-empty", safetensors_bytes([("x", "F8_E4M3", [4], b"\x01\x02\x03\x04"), ("e", "F16", [0], b"")]))
    with open(os.path.join(out, "hf-model", "model-00002-of-00002.safetensors"), "rb") as f:
        shard = f.read()
    length = struct.unpack("<Q", shard[:8])[0]
    put("safetensors", "small-model-header", shard[: 8 + length])  # a real header, the data cut off

    hf = os.path.join(out, "hf-model")
    put("index", "small-model", read_json(os.path.join(hf, "model.safetensors.index.json")))
    config = read_json(os.path.join(hf, "config.json"))
    put("config", "llava", config)
    scaled = json.loads(json.dumps(config))
    scaled["text_config"]["rope_scaling"] = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                             "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}
    put("config", "llava-llama3-rope", scaled)
    put("config", "llama", {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": FFN,
                            "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32,
                            "vocab_size": VOCAB, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "max_position_embeddings": 4096})
    put("params", "native", read_json(os.path.join(out, "native-model", "params.json")))

    put("tokenizer-json", "small", small_tokenizer_json(TOKENIZER_SEED_VOCAB))
    # The o200k regex (`gpt-4o`; Phi-4-mini), the other pattern Kiln runs from a file as it stands.
    put("tokenizer-json", "o200k", small_tokenizer_json(TOKENIZER_SEED_VOCAB, "tokenizers/o200k-bpe.json"))
    put("tekken", "small", small_tekken(TOKENIZER_SEED_VOCAB))
    with open(os.path.join(FIX, "tokenizers", "sentencepiece-bpe.model"), "rb") as f:
        put("sentencepiece", "bpe", f.read())

    tiny_gguf = gguf_bytes(tiny_llama_gguf)
    put("gguf", "tiny-llama", tiny_gguf)
    put("gguf", "spm-llama", gguf_bytes(spm_llama_gguf))
    put("imatrix", "small.dat", legacy_imatrix([("blk.0.attn_q.weight", 4, [float(i) for i in range(8)]),
                                                 ("blk.0.ffn_down.weight", 2, [0.5] * 16)], 4, "fuzz.txt"))
    put("imatrix", "small.gguf", gguf_bytes(imatrix_gguf))

    for name in sorted(os.listdir(os.path.join(FIX, "images"))):
        if name.endswith((".png", ".jpg")) and os.path.getsize(os.path.join(FIX, "images", name)) < 16 << 10:
            with open(os.path.join(FIX, "images", name), "rb") as f:
                put("image", name, f.read())


    write_hostile(os.path.join(out, "hostile"), hf, os.path.join(out, "native-model"), tiny_gguf)


def edited(obj, path, value):
    """A deep copy of a JSON object with the value at `path` (keys, outermost first) replaced."""
    copy = json.loads(json.dumps(obj))
    at = copy
    for key in path[:-1]:
        at = at[key]
    at[path[-1]] = value
    return copy


def write_hostile(out, hf, native, tiny_gguf):
    """The issue's hostile examples, one value per file, each class of reader: a committed corpus that the
    CLI tests replay (exit 2, one line naming the file and the key) and the fuzzer starts from.
    manifest.json lists, per file, the words the error must contain besides the file's name."""
    manifest = {}

    def put(target, name, content, mentions):
        os.makedirs(os.path.join(out, target), exist_ok=True)
        if isinstance(content, (dict, list)):
            content = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
        with open(os.path.join(out, target, name), "wb") as f:
            f.write(content)
        manifest[f"{target}/{name}"] = mentions

    config = read_json(os.path.join(hf, "config.json"))
    for key, value in (("num_hidden_layers", -1), ("num_hidden_layers", 2**32 - 1), ("head_dim", 2**62), ("num_attention_heads", 0),
                       ("max_position_embeddings", 10**15), ("rope_theta", -10000.0), ("rope_theta", "1e999"),
                       ("rms_norm_eps", -1e-5), ("vocab_size", 1e30)):
        # A string value stands for a number JSON writers cannot produce (1e999 overflows a double).
        text = json.dumps(edited(config, ["text_config", key], value), separators=(",", ":"))
        if isinstance(value, str):
            text = text.replace(json.dumps(value), value)
        put("config", f"{key}={value}", text.encode(), [f"text_config.{key}"])
    put("config", "vision patch_size=-16", edited(config, ["vision_config", "patch_size"], -16), ["vision_config.patch_size"])

    params = read_json(os.path.join(native, "params.json"))
    for key, value in (("max_seq_len", -5), ("n_layers", 2**32 - 1), ("norm_eps", 0), ("rope_theta", -1), ("vocab_size", 10**12)):
        put("params", f"{key}={value}", edited(params, [key], value), [key])

    tok = small_tokenizer_json(VOCAB)
    token = list(tok["model"]["vocab"])[25]
    for value in (-1, 10**12):
        put("tokenizer-json", f"token id {value}", edited(tok, ["model", "vocab", token], value), ["model.vocab"])
    # Within Kiln's limits but beyond the model's 64 embedding rows (llama.cpp's converter asserts the same).
    put("tokenizer-json", "token id 2000", edited(tok, ["model", "vocab", token], 2000), ["has id 2000", "vocabulary of 64"])
    put("tokenizer-json", "added token id -1", edited(tok, ["added_tokens", 0, "id"], -1), ["added_tokens[0].id"])
    put("tokenizer-json", "catastrophic pattern", edited(tok, ["pre_tokenizer", "pretokenizers", 0, "pattern", "Regex"], "(a+)+$"),
        ["pre-tokenizer"])

    tk = small_tekken(VOCAB)
    put("tekken", "vocab rank -1", edited(tk, ["vocab", 5, "rank"], -1), ["vocab[5].rank"])
    for key, value in (("default_num_special_tokens", 10**12), ("default_num_special_tokens", 100000), ("default_vocab_size", -5)):
        put("tekken", f"{key}={value}", edited(tk, ["config", key], value), [f"config.{key}"])

    import gguf
    for name, key, edit in (("block_count=-1", "llama.block_count", ("add_int32", -1)),
                            ("block_count=2^32-1", "llama.block_count", ("add_uint32", 2**32 - 1)),
                            ("key_length=2^62", "llama.attention.key_length", ("add_uint64", 2**62)),
                            ("context_length=10^15", "llama.context_length", ("add_uint64", 10**15)),
                            ("freq_base=NaN", "llama.rope.freq_base", ("add_float32", float("nan"))),
                            ("rms_epsilon=-1e-5", "llama.attention.layer_norm_rms_epsilon", ("add_float32", -1e-5)),
                            ("head_count=string", "llama.attention.head_count", ("add_string", "four"))):
        put("gguf", name, gguf_bytes(lambda g, p: tiny_llama_gguf(g, p, {key: edit})), [key])
    # Many layers claimed, one present: refused at the first missing tensor, without work per claimed layer.
    put("gguf", "block_count=65536", gguf_bytes(lambda g, p: tiny_llama_gguf(g, p, {"llama.block_count": ("add_uint32", 65536)})),
        ["blk.1.attn_k.weight"])
    # A tensor dimension of 2^62: the u64 after the name and the u32 dimension count.
    name = b"output_norm.weight"
    info = struct.pack("<Q", len(name)) + name + struct.pack("<I", 1)
    at = tiny_gguf.index(info) + len(info)
    put("gguf", "dimension=2^62", tiny_gguf[:at] + struct.pack("<q", 2**62) + tiny_gguf[at + 8:], ["output_norm.weight"])

    put("imatrix", "count=NaN.gguf", gguf_bytes(lambda g, p: imatrix_gguf(g, p, count=float("nan"))), ["blk.0.attn_q.weight"])
    put("imatrix", "count=-3.gguf", gguf_bytes(lambda g, p: imatrix_gguf(g, p, count=-3.0)), ["blk.0.attn_q.weight"])
    put("imatrix", "chunk_count=2^40.gguf", gguf_bytes(lambda g, p: imatrix_gguf(g, p, chunks=("add_uint64", 2**40))),
        ["imatrix.chunk_count"])
    put("imatrix", "values=NaN.dat", legacy_imatrix([("blk.0.attn_q.weight", 4, [float("nan")] * 8)], 4, "fuzz.txt"),
        ["blk.0.attn_q.weight"])
    put("imatrix", "values=-2^31.dat", legacy_imatrix([("blk.0.attn_q.weight", 4, [0.0] * 8)], 4, "fuzz.txt")[:4] + struct.pack("<i", -2**31),
        [])

    put("safetensors", "header length 2^63", struct.pack("<Q", 2**63) + b"{}", ["header length"])
    put("safetensors", "shape overflow", safetensors_bytes([("a", "F32", [2**62, 2**62], b"")]), ["\"a\""])
    put("safetensors", "data past the end", safetensors_bytes([("a", "F32", [4], b"\0" * 16)])[:-8], ["truncated"])
    put("safetensors", "text file", b"# not a safetensors file, but a note\n", ["not a safetensors file"])

    index = read_json(os.path.join(hf, "model.safetensors.index.json"))
    first = sorted(name for name, shard in index["weight_map"].items() if shard == "model-00001-of-00002.safetensors")[0]
    put("index", "shard outside the folder", edited(index, ["weight_map", first], "../model-00001-of-00002.safetensors"), ["plain file name"])
    put("index", "missing shard", edited(index, ["weight_map", first], "model-00003-of-00003.safetensors"), ["does not exist"])
    put("index", "wrong shard", edited(index, ["weight_map", first], "model-00002-of-00002.safetensors"), [first])

    with open(os.path.join(FIX, "images", "small.jpg"), "rb") as f:
        jpeg = f.read()
    put("image", "truncated.jpg", jpeg[: len(jpeg) // 2], [])
    png = b"\x89PNG\r\n\x1a\n"
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    import zlib
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    bomb = png + chunk(b"IHDR", ihdr[4:]) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    put("image", "bomb.png", bomb, ["pixels"])

    with open(os.path.join(FIX, "tokenizers", "sentencepiece-bpe.model"), "rb") as f:
        spm = f.read()
    put("sentencepiece", "truncated", spm[: len(spm) // 3], [])
    write_json(os.path.join(out, "manifest.json"), dict(sorted(manifest.items())))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIX, "fuzz"))
