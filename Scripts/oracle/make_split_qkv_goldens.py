#!/usr/bin/env python3
"""A Phi-3 GGUF with separate attn_q, attn_k and attn_v, as some published Phi-3 GGUFs store them, and
llama-perplexity on it → Fixtures/goldens/families/phi3/split-qkv-Q8_0.gguf and split-qkv.json.

Usage: python3 Scripts/oracle/make_split_qkv_goldens.py   (after make_family_goldens.py phi3)

gguf-py rewrites llama-quantize's Q8_0 file of tiny-phi3 (.oracle/families/phi3/Q8_0.gguf): every key
and every other tensor copied as it is, each blk.N.attn_qkv.weight cut by rows into attn_q (heads ×
head_dim rows), attn_k and attn_v (kv_heads × head_dim rows each) in its place. llama.cpp loads either
layout for Phi-3 (llama_model_base::create_tensor_qkv); split-qkv.json holds llama-perplexity -c 128
on the rewritten file, which must equal the fused file's.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_convert_goldens import REPO, ORACLE, LLAMA  # noqa: E402
from make_family_goldens import llama_perplexity, oracle_bin  # noqa: E402

sys.path.insert(0, os.path.join(LLAMA, "gguf-py"))
import gguf  # noqa: E402


def split(source, out):
    reader = gguf.GGUFReader(source)
    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    writer = gguf.GGUFWriter(out, arch)
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue  # written by GGUFWriter itself
        value_type = field.types[0]
        sub_type = field.types[-1] if value_type == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), value_type, sub_type=sub_type)
    head_dim = reader.fields[f"{arch}.embedding_length"].contents() // reader.fields[f"{arch}.attention.head_count"].contents()
    q_rows = reader.fields[f"{arch}.attention.head_count"].contents() * head_dim
    kv_rows = reader.fields[f"{arch}.attention.head_count_kv"].contents() * head_dim
    tensors = []  # (name, data rows as stored, type)
    for tensor in reader.tensors:
        if tensor.name.endswith(".attn_qkv.weight"):
            assert tensor.data.shape[0] == q_rows + 2 * kv_rows, tensor.data.shape
            block = tensor.name[: -len(".attn_qkv.weight")]
            for part, rows in (("attn_q", slice(0, q_rows)), ("attn_k", slice(q_rows, q_rows + kv_rows)),
                               ("attn_v", slice(q_rows + kv_rows, q_rows + 2 * kv_rows))):
                tensors.append((f"{block}.{part}.weight", tensor.data[rows], tensor.tensor_type))
        else:
            tensors.append((tensor.name, tensor.data, tensor.tensor_type))
    for name, data, tensor_type in tensors:
        writer.add_tensor_info(name, data.shape, data.dtype, data.nbytes, tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for _, data, _ in tensors:
        writer.write_tensor_data(data, tensor_endianess=reader.endianess)
    writer.close()
    return [name for name, _, _ in tensors]


def main():
    source = os.path.join(ORACLE, "families", "phi3", "Q8_0.gguf")
    gold = os.path.join(REPO, "Fixtures", "goldens", "families", "phi3")
    out = os.path.join(gold, "split-qkv-Q8_0.gguf")
    names = split(source, out)
    result = {"source": "gguf-py rewrite of llama-quantize's Q8_0 file of tiny-phi3 with attn_qkv cut into attn_q/k/v",
              "file": os.path.basename(out), "tensors": names, "oracle": os.path.relpath(oracle_bin(), REPO),
              "perplexity": {"Q8_0-c128": llama_perplexity(oracle_bin(), out)},
              "fused_perplexity": {"Q8_0-c128": llama_perplexity(oracle_bin(), source)}}
    with open(os.path.join(gold, "split-qkv.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"{out}: {os.path.getsize(out)} bytes; ppl {result['perplexity']['Q8_0-c128']['ppl']}, fused {result['fused_perplexity']['Q8_0-c128']['ppl']}")


if __name__ == "__main__":
    sys.exit(main())
