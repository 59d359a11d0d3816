#!/usr/bin/env python3
"""Golden vectors for ggml quantization, produced by llama.cpp's own libggml-base.

Usage:  python3 Scripts/oracle/make_quant_goldens.py [--lib PATH] [--out DIR]

Calls ggml_quantize_chunk() (the exact entry point llama-quantize uses) through
ctypes for every type in TYPES, on deterministic float32 inputs (CASES), with and
without an importance matrix, and writes into Fixtures/goldens/quant/:

  inputs/<case>.f32            float32 LE input, n_rows*n_per_row values, row-major
  inputs/<case>.imatrix.f32    float32 LE importance weights, n_per_row values
  out/<TYPE>/<case>.bin        exact bytes from ggml_quantize_chunk (no imatrix)
  out/<TYPE>/<case>.imat.bin   same, with the case's imatrix
  deq/<TYPE>/<case>[.imat].f32 ggml_get_type_traits(type)->to_float of that output
                               (only for the cases in DEQ_CASES)
  manifest.json                everything above + sha256 of every file

The special_fp case (NaN/inf/-0/subnormal/RNE ties) is only run for F16/BF16.
"""
import argparse
import ctypes as C
import hashlib
import json
import os
import sys

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ORACLE = os.environ.get("ORACLE_DIR", os.path.join(REPO, ".oracle"))
DEFAULT_LIB = os.path.join(ORACLE, "build", "bin", "libggml-base.so")
DEFAULT_OUT = os.path.join(REPO, "Fixtures", "goldens", "quant")

# name -> ggml_type id (ggml/include/ggml.h); verified against ggml_type_name() at runtime
TYPES = {
    "F16": 1, "BF16": 30, "Q8_0": 8, "Q4_0": 2, "Q4_1": 3, "Q5_0": 6, "Q5_1": 7,
    "Q2_K": 10, "Q3_K": 11, "Q4_K": 12, "Q5_K": 13, "Q6_K": 14,
    "IQ4_NL": 20, "IQ4_XS": 23,
    "TQ1_0": 34, "TQ2_0": 35, "IQ3_XXS": 18, "IQ3_S": 21,
    "IQ2_XXS": 16, "IQ2_XS": 17, "IQ2_S": 22, "IQ1_S": 19, "IQ1_M": 29,
}
# types recorded with an imatrix too: those whose quantize_* function looks at quant_weights, and the
# ternary types, to show that theirs ignores it
IMATRIX_TYPES = ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K",
                 "IQ4_NL", "IQ4_XS", "TQ1_0", "TQ2_0", "IQ3_XXS", "IQ3_S", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ1_S", "IQ1_M"]
# types ggml_quantize_chunk refuses without an imatrix (ggml_quantize_requires_imatrix): only the
# imatrix variant is recorded for them
REQUIRES_IMATRIX = {"IQ2_XXS", "IQ2_XS", "IQ1_S"}
DEQ_CASES = {"normal", "outliers", "mixed_blocks", "student_t"}
FP_ONLY_CASES = {"special_fp"}


def f32(a):
    return np.ascontiguousarray(a, dtype=np.float32)


def make_cases():
    """Deterministic inputs.  Each case: (name, array[n_rows, n_per_row], description)."""
    cases = []
    rng = np.random.default_rng(20240611)

    def add(name, arr, desc):
        arr = f32(arr)
        assert arr.ndim == 2 and arr.shape[1] % 256 == 0, name
        cases.append((name, arr, desc))

    add("normal", rng.standard_normal((4, 512)) * 0.02, "N(0,1)*0.02, typical weight scale")
    add("normal_unit", rng.standard_normal((2, 256)), "N(0,1)")
    add("student_t", rng.standard_t(3, (4, 512)) * 0.05, "student-t df=3 * 0.05 (heavy tails)")
    c = rng.standard_cauchy((2, 512)) * 0.01
    add("cauchy", np.clip(c, -60.0, 60.0), "cauchy*0.01 clipped to +-60 (very heavy tails)")
    o = rng.standard_normal((4, 512)) * 0.02
    for r in range(4):
        idx = rng.choice(512, size=3, replace=False)
        o[r, idx] = rng.choice([-1.0, 1.0], 3) * rng.uniform(1.0, 5.0, 3)
    add("outliers", o, "N(0,.02) rows with 3 large outliers (+-1..5) each")
    z = np.zeros((2, 256))
    add("zeros", z, "all-zero rows")
    m = rng.standard_normal((2, 1024)) * 0.1
    # per-32 blocks exercising different branches, row 0
    m[0, 0:32] = 0.0                                   # zero block
    m[0, 32:64] = 0.25                                 # constant positive block
    m[0, 64:96] = -0.125                               # constant negative block
    m[0, 96:128] = np.abs(m[0, 96:128]) + 0.01         # all positive (min>0 -> min=0)
    m[0, 128:160] = -np.abs(m[0, 128:160]) - 0.01      # all negative
    m[0, 160:192] = rng.standard_normal(32) * 1e-17    # below GROUP_MAX_EPS
    m[0, 192:224] = 0.0
    m[0, 200] = 0.5                                    # single nonzero (sparse)
    m[0, 224:256] = rng.standard_normal(32) * 1e-6     # tiny but > eps
    m[0, 256:512] = 0.0                                # whole zero super-block
    m[0, 512:768] = 0.0                                # super-block: one 16-sub-block alive
    m[0, 512 + 48:512 + 64] = rng.standard_normal(16) * 0.3
    m[0, 768:800] = 7.0                                # constant, then mixed
    # row 1: each 16-element sub-block has a different scale (1e-6 .. 1e+1)
    scales = np.logspace(-6, 1, 64)
    m[1] = (rng.standard_normal(1024).reshape(64, 16) * scales[:, None]).reshape(-1)
    add("mixed_blocks", m, "per-block branch coverage: zero/const/all-pos/all-neg/<eps/sparse/tiny/scale sweep")
    t = 10.0 ** rng.uniform(-20, -8, (2, 256)) * rng.choice([-1.0, 1.0], (2, 256))
    add("tiny", t, "log-uniform magnitudes 1e-20..1e-8, random sign")
    k = np.empty((2, 256))
    for b in range(16):
        k[:, 16 * b:16 * b + 16] = (b - 8) * 0.0625 + 0.01
    add("constant_blocks", k, "constant per 16-elt sub-block, different constants")
    p = rng.uniform(0.1, 1.0, (2, 256))
    p[1] = -p[1]
    add("one_sign", p, "row0 all positive U(.1,1), row1 all negative")
    # rounding ties: integers and half-integers with a max of exactly 127 per block
    ti = rng.integers(-254, 255, (2, 256)) / 2.0
    ti[:, ::32] = 127.0
    ti[1, 1::32] = -127.0
    add("ties", ti, "half-integer grid with block max 127 (Q8_0 roundf-vs-RNE ties)")
    s = rng.standard_normal((2, 256))
    s[rng.random((2, 256)) < 0.9] = 0.0
    add("sparse", s, "90% zeros, N(0,1) elsewhere")
    big = rng.standard_normal((2, 256)) * 3e4
    add("large", np.clip(big, -65000, 65000), "N(0,3e4) clipped to +-65000 (fp16 range edge)")
    ramp = np.tile(np.linspace(-1.0, 1.0, 256), (2, 1))
    ramp[1] = ramp[1] ** 3
    add("ramp", ramp, "linspace(-1,1) and its cube")

    # F16/BF16 conversion edge cases
    sp = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 65504.0, 65519.99, 65520.0, 1e5,
          6.1035156e-05, 6.0975552e-05, 5.9604645e-08, 2.9802322e-08, 2.9802326e-08, 1e-10,
          1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8,
          3.0e38, -3.4028235e38, 1.17549435e-38, 1e-45, 0.1, 1 / 3]
    spa = np.zeros((1, 256), dtype=np.float32)
    spa[0, :len(sp)] = np.array(sp, dtype=np.float32)
    spa[0, 64:] = (rng.standard_normal(192) * 10.0 ** rng.uniform(-9, 5, 192)).astype(np.float32)
    # float32 bit patterns exactly halfway between two bf16 / two fp16 values
    u = rng.integers(0x3000, 0x4700, 16, dtype=np.uint32)
    spa[0, 32:48] = ((u << 16) | 0x8000).view(np.float32)               # bf16 ties
    # fp16 ties: 1 + (2k+1)*2^-11 lies exactly halfway between two fp16 values
    spa[0, 48:64] = np.float32(1.0) + (np.arange(16, dtype=np.float32) * 2 + 1) * np.float32(2.0 ** -11)
    cases.append(("special_fp", f32(spa), "F16/BF16 only: NaN, inf, -0, subnormals, overflow, RNE ties"))
    return cases


def imatrix_for(name, n_per_row, rng):
    w = np.exp(rng.standard_normal(n_per_row) * 1.5)
    if name in ("normal", "mixed_blocks"):
        w[rng.random(n_per_row) < 0.1] = 0.0  # some never-activated columns
    return f32(w)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", default=DEFAULT_LIB)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    lib = C.CDLL(args.lib)
    lib.ggml_quantize_chunk.restype = C.c_size_t
    lib.ggml_quantize_chunk.argtypes = [C.c_int, C.c_void_p, C.c_void_p, C.c_int64, C.c_int64,
                                        C.c_int64, C.c_void_p]
    lib.ggml_row_size.restype = C.c_size_t
    lib.ggml_row_size.argtypes = [C.c_int, C.c_int64]
    lib.ggml_type_name.restype = C.c_char_p
    lib.ggml_type_name.argtypes = [C.c_int]
    lib.ggml_quantize_init.argtypes = [C.c_int]
    lib.ggml_quantize_requires_imatrix.restype = C.c_bool
    lib.ggml_quantize_requires_imatrix.argtypes = [C.c_int]

    TO_FLOAT = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p, C.c_int64)

    class Traits(C.Structure):
        _fields_ = [("type_name", C.c_char_p), ("blck_size", C.c_int64),
                    ("blck_size_interleave", C.c_int64), ("type_size", C.c_size_t),
                    ("is_quantized", C.c_bool), ("to_float", TO_FLOAT), ("from_float_ref", C.c_void_p)]

    lib.ggml_get_type_traits.restype = C.POINTER(Traits)
    lib.ggml_get_type_traits.argtypes = [C.c_int]

    for name, tid in TYPES.items():
        got = lib.ggml_type_name(tid).decode().upper()
        assert got == name, (name, tid, got)
        assert lib.ggml_quantize_requires_imatrix(tid) == (name in REQUIRES_IMATRIX), name
        lib.ggml_quantize_init(tid)

    out = args.out
    files = {}

    def write(rel, data: bytes):
        p = os.path.join(out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        files[rel] = hashlib.sha256(data).hexdigest()
        return rel

    def quantize(tid, x, imat):
        n_rows, n_per_row = x.shape
        size = lib.ggml_row_size(tid, n_per_row) * n_rows
        dst = C.create_string_buffer(size)
        imp = imat.ctypes.data if imat is not None else None
        r = lib.ggml_quantize_chunk(tid, x.ctypes.data, dst, 0, n_rows, n_per_row, imp)
        assert r == size, (tid, r, size)
        return dst.raw

    def dequant(tid, q, n):
        tr = lib.ggml_get_type_traits(tid).contents
        y = np.zeros(n, dtype=np.float32)
        src = C.create_string_buffer(q, len(q))
        tr.to_float(C.cast(src, C.c_void_p), y.ctypes.data, n)
        return y.tobytes()

    cases = make_cases()
    rng_im = np.random.default_rng(777)
    manifest = {
        "generator": "Scripts/oracle/make_quant_goldens.py",
        "oracle": open(os.path.join(ORACLE, "VERSION.txt")).read().strip().splitlines()
        if os.path.exists(os.path.join(ORACLE, "VERSION.txt")) else None,
        # the reference quantizers live in libggml-base, compiled for the x86-64 baseline (no FMA) in
        # both the oracle build and GGML_NATIVE builds; which one answered is recorded here
        "library": os.path.relpath(os.path.realpath(args.lib), os.path.realpath(REPO)),
        "entry_point": "ggml_quantize_chunk(type, src, dst, start=0, nrows, n_per_row, imatrix)",
        "dequant": "ggml_get_type_traits(type)->to_float",
        "layout": "inputs are float32 little-endian row-major [n_rows][n_per_row]; imatrix is float32[n_per_row]",
        "types": {k: {"ggml_type": v, "row_size_per_256": lib.ggml_row_size(v, 256),
                  "requires_imatrix": k in REQUIRES_IMATRIX} for k, v in TYPES.items()},
        "cases": [],
        "results": [],
    }
    for name, x, desc in cases:
        n_rows, n_per_row = x.shape
        inp = write(f"inputs/{name}.f32", x.tobytes())
        imat = None
        imf = None
        if name not in FP_ONLY_CASES and name != "zeros":
            imat = imatrix_for(name, n_per_row, rng_im)
            imf = write(f"inputs/{name}.imatrix.f32", imat.tobytes())
        manifest["cases"].append({"name": name, "description": desc, "n_rows": n_rows,
                                  "n_per_row": n_per_row, "input": inp, "imatrix": imf})
        for tname, tid in TYPES.items():
            if name in FP_ONLY_CASES and tname not in ("F16", "BF16"):
                continue
            variants = [] if tname in REQUIRES_IMATRIX else [(None, "")]
            if imat is not None and tname in IMATRIX_TYPES:
                variants.append((imat, ".imat"))
            for im, suf in variants:
                q = quantize(tid, x, im)
                rec = {"type": tname, "ggml_type": tid, "case": name, "n_rows": n_rows,
                       "n_per_row": n_per_row, "input": inp, "imatrix": imf if im is not None else None,
                       "output": write(f"out/{tname}/{name}{suf}.bin", q), "output_size": len(q)}
                rec["output_sha256"] = files[rec["output"]]
                if name in DEQ_CASES or name in FP_ONLY_CASES:
                    rec["dequant"] = write(f"deq/{tname}/{name}{suf}.f32", dequant(tid, q, x.size))
                    rec["dequant_sha256"] = files[rec["dequant"]]
                manifest["results"].append(rec)
    manifest["files_sha256"] = dict(sorted(files.items()))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(out, k)) for k in files)
    print(f"wrote {len(files)} files, {total} bytes, {len(manifest['results'])} results into {out}")


if __name__ == "__main__":
    sys.exit(main())
