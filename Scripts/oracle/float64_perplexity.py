#!/usr/bin/env python3
"""Perplexity of a Llama GGUF evaluated in float64 from its dequantized weights: the arbiter when
Kiln and llama.cpp disagree, since neither's float32 summation order enters it.

With --llama-roundings it also applies the roundings that are part of llama.cpp's CPU semantics,
not of its arithmetic: activations quantized to each weight's vec_dot_type before the product
(Q8_0 for the 32-blocks, Q8_1 for Q4_1/Q5_1 with its F16 block sums, Q8_K for the K-quants and
the 256-block i-quants and ternary types, F16, BF16), keys and values stored in an F16 cache, and with --fa off the F16 rounding of
queries and of attention probabilities that the non-flash path's F16 matrix products make.
What remains between this and llama.cpp is float32 summation order alone.

Usage: float64_perplexity.py MODEL.gguf --tokens BASE.kld [--ctx 512] [--chunks 4]
       [--llama-roundings] [--fa on|off] [--json]
BASE.kld is a llama-perplexity --kl-divergence-base file of the same text and context (its tokens
are the ones llama-perplexity evaluated).
"""
import argparse
import json
import math
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, ".oracle/llama.cpp/gguf-py"))
import gguf  # noqa: E402

T = gguf.GGMLQuantizationType
Q8_0_WEIGHTS = {T.Q4_0, T.Q5_0, T.Q8_0, T.IQ4_NL}
Q8_1_WEIGHTS = {T.Q4_1, T.Q5_1}
Q8_K_WEIGHTS = {T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K, T.IQ4_XS, T.IQ3_XXS, T.IQ3_S, T.IQ2_XXS, T.IQ2_XS, T.IQ2_S,
                T.IQ1_S, T.IQ1_M, T.TQ1_0, T.TQ2_0}


def f16(x):
    return x.astype(np.float16).astype(np.float64)


def bf16(x):
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return bits.astype(np.uint32).view(np.float32).astype(np.float64)


def nearest_int(v):
    """ggml's nearest_int: round half to even (the 1.5·2^23 trick)."""
    return np.rint(v)


def q8_0(x):
    """quantize_row_q8_0_ref then dequantize: d = amax/127 (stored F16), q = roundf(x/d)."""
    x32 = x.astype(np.float32).reshape(-1, 32)
    amax = np.abs(x32).max(axis=1, keepdims=True)
    d = amax / np.float32(127)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    v = x32 * inv
    q = np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))  # roundf: half away from zero
    return (q.astype(np.float64) * f16(d)).reshape(x.shape), q, d


def q8_k(x):
    """quantize_row_q8_K_ref then dequantize: iscale = -127/max (signed), d = 1/iscale in float32."""
    x32 = x.astype(np.float32).reshape(-1, 256)
    idx = np.abs(x32).argmax(axis=1)
    mx = x32[np.arange(x32.shape[0]), idx][:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        iscale = np.where(mx != 0, np.float32(-127) / mx, np.float32(0)).astype(np.float32)
        q = np.minimum(127, nearest_int(iscale * x32))
        d = np.where(iscale != 0, np.float32(1) / iscale, np.float32(0)).astype(np.float32)
    return (q.astype(np.float64) * d.astype(np.float64)).reshape(x.shape)


class Weight:
    def __init__(self, tensor):
        self.type = T(tensor.tensor_type)
        rows = int(tensor.shape[1]) if len(tensor.shape) > 1 else 1
        self.w = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float64).reshape(rows, -1)
        self.min_terms = None
        if self.type in Q8_1_WEIGHTS:
            # Q4_1/Q5_1 rows are d·q + m per 32 values; llama.cpp multiplies m by the activation block's
            # stored sum s = F16(d_x·Σq_x) instead of Σ(dequantized x), so the min term is kept apart.
            raw = tensor.data.reshape(rows, -1)
            block = 20 if self.type == T.Q4_1 else 24
            self.min_terms = raw.view(np.uint8).reshape(rows, -1, block)[:, :, 2:4].copy().view(np.float16)[:, :, 0].astype(np.float64)

    def __call__(self, x, roundings):
        if not roundings:
            return x @ self.w.T
        if self.type in Q8_0_WEIGHTS:
            return q8_0(x)[0] @ self.w.T
        if self.type in Q8_1_WEIGHTS:
            xq, q, d = q8_0(x)
            n = x.shape[0]
            s = f16(d.astype(np.float64) * q.sum(axis=1, keepdims=True)).reshape(n, -1)  # per token, per block
            blocks = self.min_terms.shape[1]
            mins = np.repeat(self.min_terms, 32, axis=1)
            scaled = self.w - mins  # d·q part of each weight
            return xq @ scaled.T + s @ self.min_terms.T
        if self.type in Q8_K_WEIGHTS:
            return q8_k(x) @ self.w.T
        if self.type == T.F16:
            return f16(x) @ self.w.T
        if self.type == T.BF16:
            return bf16(x) @ self.w.T
        return x @ self.w.T


def load(path):
    reader = gguf.GGUFReader(path)
    meta = {}
    for field in reader.fields.values():
        if field.types and field.types[0] in (gguf.GGUFValueType.UINT32, gguf.GGUFValueType.FLOAT32, gguf.GGUFValueType.INT32):
            meta[field.name] = float(field.parts[field.data[0]][0])
    tensors = {t.name: t for t in reader.tensors}
    return meta, tensors


def read_tokens(path, ctx, chunks):
    with open(path, "rb") as f:
        assert f.read(8) == b"_logits_"
        n_ctx, n_vocab, n_chunk = np.frombuffer(f.read(12), dtype=np.int32)
        assert n_ctx == ctx, f"{path} was made at context {n_ctx}"
        tokens = np.frombuffer(f.read(4 * n_ctx * n_chunk), dtype=np.int32)
    return tokens[: ctx * chunks]


def rope(x, positions, base, dim):
    """llama.cpp's NORM rope: adjacent pairs (2i, 2i+1), θ_i = pos·base^(−2i/d)."""
    half = dim // 2
    freqs = base ** (-2.0 * np.arange(half) / dim)
    ang = positions[:, None] * freqs[None, :]
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = x0 * c - x1 * s
    out[..., 1::2] = x0 * s + x1 * c
    return out


def evaluate(path, tokens, ctx, roundings, fa):
    meta, tensors = load(path)
    arch = "llama"
    n_layer = int(meta[f"{arch}.block_count"])
    n_head = int(meta[f"{arch}.attention.head_count"])
    n_kv = int(meta[f"{arch}.attention.head_count_kv"])
    eps = meta[f"{arch}.attention.layer_norm_rms_epsilon"]
    base = meta.get(f"{arch}.rope.freq_base", 10000.0)
    emb = Weight(tensors["token_embd.weight"]).w
    out_w = Weight(tensors["output.weight"] if "output.weight" in tensors else tensors["token_embd.weight"])
    norm_out = Weight(tensors["output_norm.weight"]).w[0]
    layers = []
    for i in range(n_layer):
        p = f"blk.{i}."
        layers.append({k: Weight(tensors[p + k + ".weight"]) for k in
                       ("attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down")})
    hidden = emb.shape[1]
    head_dim = layers[0]["attn_q"].w.shape[0] // n_head
    bos = int(meta.get("tokenizer.ggml.bos_token_id", 1))

    def rms(x, w):
        # float32 inputs, float64 arithmetic
        return x / np.sqrt((x * x).mean(axis=1, keepdims=True) + eps) * w

    nll = []
    for c in range(len(tokens) // ctx):
        ids = tokens[c * ctx:(c + 1) * ctx].copy()
        ids[0] = bos
        x = emb[ids]
        pos = np.arange(ctx, dtype=np.float64)
        mask = np.triu(np.full((ctx, ctx), -np.inf), 1)
        for L in layers:
            h = rms(x, L["attn_norm"].w[0])
            q = L["attn_q"](h, roundings).reshape(ctx, n_head, head_dim)
            k = L["attn_k"](h, roundings).reshape(ctx, n_kv, head_dim)
            v = L["attn_v"](h, roundings).reshape(ctx, n_kv, head_dim)
            q, k = rope(q, pos, base, head_dim), rope(k, pos, base, head_dim)
            if roundings:
                k, v = f16(k), f16(v)
                if fa == "off":
                    q = f16(q)
            att = np.empty((ctx, n_head, head_dim))
            for hh in range(n_head):
                kv = hh // (n_head // n_kv)
                s = q[:, hh, :] @ k[:, kv, :].T / math.sqrt(head_dim) + mask
                s = np.exp(s - s.max(axis=1, keepdims=True))
                s /= s.sum(axis=1, keepdims=True)
                if roundings and fa == "off":
                    s = f16(s)
                att[:, hh, :] = s @ v[:, kv, :]
            x = x + L["attn_output"](att.reshape(ctx, -1), roundings)
            h = rms(x, L["ffn_norm"].w[0])
            g, u = L["ffn_gate"](h, roundings), L["ffn_up"](h, roundings)
            x = x + L["ffn_down"](g / (1 + np.exp(-g)) * u, roundings)
        first = ctx // 2
        h = rms(x[first:ctx - 1], norm_out)
        logits = out_w(h, roundings)
        logits -= logits.max(axis=1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        nll.extend(-logp[np.arange(len(logp)), tokens[c * ctx + first + 1:(c + 1) * ctx]])
    nll = np.array(nll)
    return float(np.exp(nll.mean())), nll


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--ctx", type=int, default=512)
    ap.add_argument("--chunks", type=int, default=4)
    ap.add_argument("--llama-roundings", action="store_true")
    ap.add_argument("--fa", choices=["on", "off"], default="on")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tokens = read_tokens(args.tokens, args.ctx, args.chunks)
    ppl, nll = evaluate(args.model, tokens, args.ctx, args.llama_roundings, args.fa)
    per_chunk = [float(np.exp(nll[: (i + 1) * (len(nll) // args.chunks)].mean())) for i in range(args.chunks)]
    if args.json:
        print(json.dumps({"ppl": ppl, "running": per_chunk}))
    else:
        print(f"PPL = {ppl:.6f} running {' '.join(f'{v:.4f}' for v in per_chunk)}")


if __name__ == "__main__":
    main()
