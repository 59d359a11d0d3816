#!/usr/bin/env python3
"""Goldens for llama.cpp's *repacked* Q4_K product on Gemma 3 270M's real rows and activations
(Fixtures/goldens/products-gemma3/Q4_K-repacked.*; a script, not CI: it needs the 270M files).

Why: on an AVX2/AVX-512 machine llama.cpp's native CPU build (llama-perplexity's default, --repack on)
does not multiply a Q4_K weight whose row count is a multiple of 8 with vec_dot: it repacks it into
block_q4_Kx8 (repack.cpp, make_block_q4_Kx8) and multiplies the first T - T%4 tokens of a mul_mat with
ggml_gemm_q4_K_8x8_q8_K (activations from ggml_quantize_mat_q8_K_4x8) and the other T%4 with
ggml_gemv_q4_K_8x8_q8_K (activations from quantize_row_q8_K). Those kernels add in another order
than vec_dot, so their floats differ from make_gemma3_product_goldens.py's Q4_K.out.f32.

What: ROWS = 32 rows of blk.0.attn_output.weight as llama-quantize wrote them (Q4_K-repacked.bin) and
the TOKENS = 7 tokens of its real input (self_attn.o_proj's, layer 0, picked as
make_gemma3_product_goldens.py picks them: largest max |x|) (Q4_K-repacked.x.f32, token-major).
ggml_repack_mul_mat.c runs a real ggml_mul_mat graph on the native CPU backend with the weight in its
CPU_REPACK extra buffer type, so the library repacks and chunks by itself:
  Q4_K-repacked.out7.f32: one mul_mat of all 7 tokens (tokens 0-3 by gemm, 4-6 by gemv), token-major;
  Q4_K-repacked.out1.f32: seven mul_mats of one token each (all gemv), token-major.
It also checks, and records in manifest.json's "repacked" entry: the graph equals the exported
gemm/gemv/quantize symbols called on the library's own repacked bytes, bit for bit; those bytes equal
a numpy make_block_q4_Kx8; order_model below (the kernels' float order, in Python) gives every
product bit for bit; one and two threads agree; the same graph on the plain CPU buffer equals
vec_dot; how many repacked products differ bitwise from vec_dot's; and how ggml_quantize_mat_q8_K_4x8's
blocks compare with quantize_row_q8_K's.

Usage: python3 Scripts/oracle/make_gemma3_repack_goldens.py [--work ~/.cache/kiln-gemma3/e2e]
(after make_gemma3_product_goldens.py, whose manifest.json it extends; needs cc and
.oracle/build-native/bin.)
"""
import argparse
import ctypes as C
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_gemma3_product_goldens import OUT, REPO, TENSORS, gguf, layer0_inputs  # noqa: E402

ROWS, TOKENS, THREADS = 32, 7, (1, 2)
TENSOR, MODULE = TENSORS["Q4_K"]
QK_K, Q4_K_BYTES, Q8_K_BYTES, Q8_KX4_BYTES = 256, 144, 292, 1168


def make_blocks_q4_Kx8(rows, columns):
    """numpy make_block_q4_Kx8 (interleave 8) of ROWS Q4_K rows: the layout the repack buffer writes."""
    nb = columns // QK_K
    blocks = rows.reshape(-1, 8, nb, Q4_K_BYTES).transpose(0, 2, 1, 3)  # [row group, block, row in group]
    out = np.zeros(blocks.shape[:2] + (1152,), np.uint8)
    out[..., :16] = blocks[..., 0:2].reshape(blocks.shape[:2] + (16,))  # d[8]
    out[..., 16:32] = blocks[..., 2:4].reshape(blocks.shape[:2] + (16,))  # dmin[8]
    out[..., 128:] = blocks[..., 16:].reshape(blocks.shape[:2] + (8, 16, 8)).transpose(0, 1, 3, 2, 4).reshape(blocks.shape[:2] + (1024,))
    scales = blocks[..., 4:16].astype(np.int32)  # [.., row, 12]
    for sub in range(8):  # sub-block sub's 8 scales and mins, 6 bits each
        if sub < 4:
            s, m = scales[..., sub] & 63, scales[..., sub + 4] & 63
        else:
            i = sub - 4
            s = ((scales[..., i] & 192) >> 2) | (scales[..., i + 8] & 15)
            m = ((scales[..., i + 4] & 192) >> 2) | ((scales[..., i + 8] & 240) >> 4)
        packed = [(s[..., j] & 63) + ((s[..., j + 4] & 48) << 2) for j in range(4)] + \
                 [(m[..., j] & 63) + ((m[..., j + 4] & 48) << 2) for j in range(4)] + \
                 [(s[..., j + 4] & 15) + ((m[..., j + 4] & 15) << 4) for j in range(4)]
        out[..., 32 + 12 * sub:44 + 12 * sub] = np.stack(packed, -1).astype(np.uint8)
    return out.reshape(-1)


def q8_K_fields(blob, tokens, nb):
    """(d [t, b], qs [t, b, 256], bsums [t, b, 16]) of quantize_row_q8_K's blocks."""
    a = np.frombuffer(blob, np.uint8).reshape(tokens, nb, Q8_K_BYTES)
    return (a[..., :4].copy().view(np.float32)[..., 0], a[..., 4:260].view(np.int8), a[..., 260:].copy().view(np.int16))


def q8_Kx4_fields(blob, nb):
    """The same fields of ggml_quantize_mat_q8_K_4x8's blocks for 4 tokens, de-interleaved as its generic
    version documents: qs in runs of 8 bytes per token; bsums in runs of 4 per token."""
    a = np.frombuffer(blob, np.uint8).reshape(nb, Q8_KX4_BYTES)
    d = a[:, :16].copy().view(np.float32).T  # [token, block]
    qs = a[:, 16:1040].view(np.int8).reshape(nb, 32, 4, 8).transpose(2, 0, 1, 3).reshape(4, nb, 256)
    bsums = a[:, 1040:].copy().view(np.int16).reshape(nb, 4, 4, 4).transpose(2, 0, 1, 3).reshape(4, nb, 16)
    return d, qs, bsums


def fma32(a, b, c):
    """float32 fma(a, b, c), rounded once (to nearest, ties to even) from the exact value."""
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    near = np.float32(float(exact))
    candidates = (np.nextafter(near, np.float32(-np.inf)), near, np.nextafter(near, np.float32(np.inf)))
    return min(candidates, key=lambda v: (abs(Fraction(float(v)) - exact), int(np.array(v).view(np.uint32)) & 1))


def order_model(block, d8, qs8, bsums, gemm):
    """One repacked product in the kernels' float order (x86 gemm/gemv_q4_K_8x8_q8_K): per 256-block dd = fp16(d)*d8 and
    dm = fp16(dmin)*d8 (float32 products); gemm: per pair c of 32-value sub-blocks, acc = fma(float(
    sc[2c]*S[2c] + sc[2c+1]*S[2c+1]), dd, acc) and accm = fma(float(m[2c]*B[2c] + m[2c+1]*B[2c+1]), dm, accm)
    (S: Σ q4*q8 of a sub-block, B: its 32-value bsum); gemv: one fma each per 256-block with all 8 sub-blocks'
    integer sums; the product is acc - accm."""
    acc = accm = np.float32(0)
    for b in range(len(block)):
        raw = block[b]
        d, dmin = raw[0:4].view(np.float16).astype(np.float32)
        sm = raw[4:16].astype(np.int64)
        scales = [sm[j] & 63 if j < 4 else (sm[j + 4] & 15) | ((sm[j - 4] >> 6) << 4) for j in range(8)]
        mins = [sm[j + 4] & 63 if j < 4 else (sm[j + 4] >> 4) | ((sm[j] >> 6) << 4) for j in range(8)]
        nibbles = raw[16:].astype(np.int64).reshape(4, 32)
        q4 = np.stack([nibbles & 15, nibbles >> 4], 1).reshape(8, 32)
        dots = [int(scales[j] * (q4[j] * qs8[b, 32 * j:32 * j + 32].astype(np.int64)).sum()) for j in range(8)]
        offsets = [int(mins[j] * (int(bsums[b, 2 * j]) + int(bsums[b, 2 * j + 1]))) for j in range(8)]
        dd, dm = np.float32(d * d8[b]), np.float32(dmin * d8[b])
        groups = [(2 * c, 2 * c + 2) for c in range(4)] if gemm else [(0, 8)]
        for lo, hi in groups:
            acc = fma32(np.float32(sum(dots[lo:hi])), dd, acc)
            accm = fma32(np.float32(sum(offsets[lo:hi])), dm, accm)
    return np.float32(acc - accm)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=os.path.expanduser("~/.cache/kiln-gemma3/e2e"))
    ap.add_argument("--lib", default=os.path.join(REPO, ".oracle", "build-native", "bin"))
    args = ap.parse_args()
    lib = os.path.abspath(args.lib)
    C.CDLL(os.path.join(lib, "libggml-base.so"), mode=C.RTLD_GLOBAL)
    cpu = C.CDLL(os.path.join(lib, "libggml-cpu.so"))

    class Traits(C.Structure):
        _fields_ = [("from_float", C.c_void_p), ("vec_dot", C.c_void_p), ("vec_dot_type", C.c_int), ("nrows", C.c_int64)]

    cpu.ggml_get_type_traits_cpu.restype = C.POINTER(Traits)
    cpu.ggml_cpu_init()
    q4_K, q8_K = int(gguf.GGMLQuantizationType.Q4_K), int(gguf.GGMLQuantizationType.Q8_K)
    traits = cpu.ggml_get_type_traits_cpu(q4_K).contents
    assert traits.vec_dot_type == q8_K
    quantize_row = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p, C.c_int64)(cpu.ggml_get_type_traits_cpu(q8_K).contents.from_float)
    vec_dot = C.CFUNCTYPE(None, C.c_int, C.c_void_p, C.c_size_t, C.c_void_p, C.c_size_t, C.c_void_p, C.c_size_t, C.c_int)(traits.vec_dot)
    kernel = [C.c_int, C.c_void_p, C.c_size_t, C.c_void_p, C.c_void_p, C.c_int, C.c_int]
    cpu.ggml_gemm_q4_K_8x8_q8_K.argtypes = cpu.ggml_gemv_q4_K_8x8_q8_K.argtypes = kernel
    cpu.ggml_quantize_mat_q8_K_4x8.argtypes = [C.c_void_p, C.c_void_p, C.c_int64]

    t = next(t for t in gguf.GGUFReader(os.path.join(args.work, "oracle-Q4_K_M.gguf")).tensors if t.name == TENSOR)
    assert t.tensor_type == gguf.GGMLQuantizationType.Q4_K and int(t.shape[1]) % 8 == 0, (t.tensor_type, t.shape)
    columns, data = int(t.shape[0]), np.ascontiguousarray(t.data).view(np.uint8).reshape(-1)
    row_bytes, nb = data.size // int(t.shape[1]), columns // QK_K
    rows = np.ascontiguousarray(data[:ROWS * row_bytes])
    x = layer0_inputs(os.path.join(args.work, "hf"))[MODULE]
    positions = np.sort(np.argsort(-np.abs(x).max(axis=1))[:TOKENS])
    x = np.ascontiguousarray(x[positions], dtype=np.float32)

    with tempfile.TemporaryDirectory() as work:
        program = os.path.join(work, "ggml_repack_mul_mat")
        subprocess.run(["cc", "-O2", "-I", os.path.join(REPO, ".oracle", "llama.cpp", "ggml", "include"),
                        os.path.join(REPO, "Scripts", "oracle", "ggml_repack_mul_mat.c"), "-o", program, "-L" + lib,
                        "-lggml-base", "-lggml-cpu", "-lggml", "-Wl,-rpath," + lib], check=True)
        rows.tofile(os.path.join(work, "w.bin"))

        def mul_mat(xs, buffer, threads=1, dump=None):
            xs.tofile(os.path.join(work, "x.f32"))
            out = os.path.join(work, "out.f32")
            subprocess.run([program, str(q4_K), str(ROWS), str(columns), str(len(xs)), str(threads), buffer,
                            os.path.join(work, "w.bin"), os.path.join(work, "x.f32"), out] + ([dump] if dump else []),
                           check=True, stderr=subprocess.DEVNULL)
            return np.fromfile(out, np.float32).reshape(len(xs), ROWS)

        repacked_path = os.path.join(work, "repacked.bin")
        out7 = mul_mat(x, "repack", THREADS[0], dump=repacked_path)
        repacked = np.fromfile(repacked_path, np.uint8)
        assert all(np.array_equal(mul_mat(x, "repack", n).view(np.uint32), out7.view(np.uint32)) for n in THREADS[1:]), "threads"
        out1 = np.concatenate([mul_mat(x[i:i + 1], "repack") for i in range(TOKENS)])
        plain = mul_mat(x, "plain")

    # The library's repacked bytes are make_block_q4_Kx8's.
    assert np.array_equal(repacked, make_blocks_q4_Kx8(rows, columns)), "repacked bytes differ from make_block_q4_Kx8"
    # Activations as both quantizers write them; quantize_mat takes tokens 0-3 (as the graph does) and 3-6.
    q8 = np.zeros(TOKENS * nb * Q8_K_BYTES, np.uint8)
    for i in range(TOKENS):
        quantize_row(x[i].ctypes.data, q8.ctypes.data + i * nb * Q8_K_BYTES, columns)
    mats = {}
    for first in (0, TOKENS - 4):
        mats[first] = np.zeros(nb * Q8_KX4_BYTES, np.uint8)
        cpu.ggml_quantize_mat_q8_K_4x8(x[first:first + 4].ctypes.data, mats[first].ctypes.data, columns)
    # vec_dot, and the gemm/gemv symbols on the library's repacked bytes, as forward_mul_mat calls them.
    dots, s = np.zeros((TOKENS, ROWS), np.float32), np.zeros(1, np.float32)
    for i in range(TOKENS):
        for r in range(ROWS):
            vec_dot(columns, s.ctypes.data, 0, rows.ctypes.data + r * row_bytes, 0, q8.ctypes.data + i * nb * Q8_K_BYTES, 0, 1)
            dots[i, r] = s[0]
    symbols7, symbols1 = np.zeros((TOKENS, ROWS), np.float32), np.zeros((TOKENS, ROWS), np.float32)
    cpu.ggml_gemm_q4_K_8x8_q8_K(columns, symbols7.ctypes.data, ROWS, repacked.ctypes.data, mats[0].ctypes.data, 4, ROWS)
    for i in range(TOKENS):
        cpu.ggml_gemv_q4_K_8x8_q8_K(columns, symbols1[i].ctypes.data, ROWS, repacked.ctypes.data, q8.ctypes.data + i * nb * Q8_K_BYTES, 1, ROWS)
    symbols7[4:] = symbols1[4:]

    def bits_differ(a, b):
        return int((a.view(np.uint32) != b.view(np.uint32)).sum())

    assert bits_differ(plain, dots) == 0, "the plain CPU buffer's mul_mat is not vec_dot"
    assert bits_differ(out7, symbols7) == 0 and bits_differ(out1, symbols1) == 0, "graph differs from gemm/gemv symbols"

    # quantize_mat_q8_K_4x8 against quantize_row_q8_K, block by block.
    d_row, qs_row, bsums_row = q8_K_fields(q8.tobytes(), TOKENS, nb)
    blocks = {"compared": 0, "identical": 0, "sign_flipped": 0, "other": 0, "with_both_signs_of_max": 0}
    for first, blob in mats.items():
        d_mat, qs_mat, bsums_mat = q8_Kx4_fields(blob.tobytes(), nb)
        for j in range(4):
            i = first + j
            for b in range(nb):
                xb = x[i, b * QK_K:(b + 1) * QK_K]
                amax = np.abs(xb).max()
                both = bool((xb == amax).any() and (xb == -amax).any())
                same = d_mat[j, b] == d_row[i, b] and np.array_equal(qs_mat[j, b], qs_row[i, b]) and np.array_equal(bsums_mat[j, b], bsums_row[i, b])
                flipped = d_mat[j, b] == -d_row[i, b] and np.array_equal(qs_mat[j, b], -qs_row[i, b]) and np.array_equal(bsums_mat[j, b], -bsums_row[i, b])
                blocks["compared"] += 1
                blocks["with_both_signs_of_max"] += both
                blocks["identical" if same else "sign_flipped" if flipped else "other"] += 1
                if not same:
                    print(f"token {i} block {b}: quantize_mat {'sign-flipped' if flipped else 'DIFFERENT'}; max |x| with both signs: {both}")

    # The float order, modelled in Python from the blocks above (quantize_mat's equal quantize_row's here).
    assert blocks["identical"] == blocks["compared"]
    weight = rows.reshape(ROWS, nb, Q4_K_BYTES)
    modelled7 = np.array([[order_model(weight[r], d_row[i], qs_row[i], bsums_row[i], i < 4) for r in range(ROWS)] for i in range(TOKENS)], np.float32)
    modelled1 = np.array([[order_model(weight[r], d_row[i], qs_row[i], bsums_row[i], False) for r in range(ROWS)] for i in range(TOKENS)], np.float32)
    assert bits_differ(modelled7, out7) == 0 and bits_differ(modelled1, out1) == 0, "order_model is not the kernels' order"

    def relative(a, b):
        return float(np.abs(a.astype(np.float64) - b).max() / np.abs(b.astype(np.float64)).max())

    files = {"bin": rows.tobytes(), "x.f32": x.tobytes(), "out7.f32": out7.tobytes(), "out1.f32": out1.tobytes()}
    for suffix, blob in files.items():
        with open(os.path.join(OUT, f"Q4_K-repacked.{suffix}"), "wb") as f:
            f.write(blob)
    manifest_path = os.path.join(OUT, "manifest.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    manifest["repacked"] = {
        "generator": "Scripts/oracle/make_gemma3_repack_goldens.py (ggml_mul_mat graph, weight in CPU_REPACK: "
                     "block_q4_Kx8, ggml_gemm_q4_K_8x8_q8_K for tokens 0-3 of out7, ggml_gemv_q4_K_8x8_q8_K for the rest and all of out1)",
        "type": "Q4_K", "tensor": TENSOR, "rows": ROWS, "tokens": TOKENS, "columns": columns, "row_bytes": row_bytes,
        "positions": positions.tolist(), "largest_abs_x": float(np.abs(x).max()), "median_abs_x": float(np.median(np.abs(x))),
        **{f"{suffix.replace('.', '_')}_sha256": hashlib.sha256(blob).hexdigest() for suffix, blob in files.items()},
        "checks": {
            "graph_equals_gemm_gemv_symbols": True, "graph_equals_order_model": True, "repacked_bytes_equal_make_block_q4_Kx8": True,
            "threads_agree": list(THREADS), "plain_buffer_graph_equals_vec_dot": True,
            "out7_bits_differing_from_vec_dot": bits_differ(out7, dots), "out1_bits_differing_from_vec_dot": bits_differ(out1, dots),
            "out7_bits_differing_from_out1": bits_differ(out7, out1),
            "out7_max_relative_to_vec_dot": relative(out7, dots), "out1_max_relative_to_vec_dot": relative(out1, dots),
            "quantize_mat_q8_K_4x8_blocks_vs_quantize_row_q8_K": blocks,
        },
    }
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(json.dumps(manifest["repacked"]["checks"], indent=1))


if __name__ == "__main__":
    main()
