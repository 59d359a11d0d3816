#!/usr/bin/env python3
"""Goldens for `kiln quantize --rounding exhaustive` (Fixtures/goldens/rounding).

For each K-quant type, `kiln quantize --pure --rounding exhaustive` writes the wide fixture with
llama-imatrix's matrix; the first ROWS rows of TENSOR are kept as Kiln wrote them (<TYPE>.bin) and as
llama.cpp decodes them (<TYPE>.f32, ggml_get_type_traits(type)->to_float from libggml-base), with the
SHA-256 of the whole tensor. The test checks that Kiln still writes these bytes and decodes them to
llama.cpp's floats: the blocks are standard ones.

Usage: Scripts/oracle/make_rounding_goldens.py [--kiln .build/release/kiln] [--lib LIB]
"""
import argparse
import ctypes as C
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ORACLE = os.environ.get("ORACLE_DIR", os.path.join(REPO, ".oracle"))
sys.path.insert(0, os.path.join(ORACLE, "llama.cpp", "gguf-py"))
import gguf  # noqa: E402

TYPES = {"Q2_K": 10, "Q3_K": 11, "Q4_K": 12, "Q5_K": 13, "Q6_K": 14}
TENSOR = "blk.1.ffn_down.weight"
ROWS = 4
IMATRIX = "Fixtures/goldens/quantize-wide/wide-llama.imatrix.gguf"
OUT = os.path.join(REPO, "Fixtures", "goldens", "rounding")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", default=os.path.join(REPO, ".build", "release", "kiln"))
    ap.add_argument("--lib", default=os.path.join(ORACLE, "build", "bin", "libggml-base.so"))
    args = ap.parse_args()

    lib = C.CDLL(args.lib)
    to_float_t = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p, C.c_int64)

    class Traits(C.Structure):
        _fields_ = [("type_name", C.c_char_p), ("blck_size", C.c_int64),
                    ("blck_size_interleave", C.c_int64), ("type_size", C.c_size_t),
                    ("is_quantized", C.c_bool), ("to_float", to_float_t), ("from_float_ref", C.c_void_p)]

    lib.ggml_get_type_traits.restype = C.POINTER(Traits)
    lib.ggml_get_type_traits.argtypes = [C.c_int]

    os.makedirs(OUT, exist_ok=True)
    manifest = {"generator": "Scripts/oracle/make_rounding_goldens.py", "model": "Fixtures/wide-llama", "imatrix": IMATRIX,
                "tensor": TENSOR, "rows": ROWS, "dequantizer": "ggml_get_type_traits(type)->to_float",
                "library": os.path.relpath(args.lib, REPO), "types": {}}
    with tempfile.TemporaryDirectory() as work:
        for name, tid in TYPES.items():
            path = os.path.join(work, f"{name}.gguf")
            subprocess.run([args.kiln, "quantize", "Fixtures/wide-llama", "-o", path, "--type", name, "--pure",
                            "--imatrix", IMATRIX, "--rounding", "exhaustive"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            reader = gguf.GGUFReader(path)
            assert reader.fields["kiln.quantize.rounding"].contents() == "exhaustive"
            tensor = next(t for t in reader.tensors if t.name == TENSOR)
            assert tensor.tensor_type == tid, (name, tensor.tensor_type)
            data = bytes(np.asarray(tensor.data).tobytes())
            row_bytes = len(data) // int(tensor.shape[1])
            rows = data[:ROWS * row_bytes]
            count = ROWS * int(tensor.shape[0])
            floats = np.zeros(count, dtype=np.float32)
            source = C.create_string_buffer(rows, len(rows))
            lib.ggml_get_type_traits(tid).contents.to_float(C.cast(source, C.c_void_p), floats.ctypes.data, count)
            with open(os.path.join(OUT, f"{name}.bin"), "wb") as f:
                f.write(rows)
            with open(os.path.join(OUT, f"{name}.f32"), "wb") as f:
                f.write(floats.tobytes())
            manifest["types"][name] = {"tensor_sha256": hashlib.sha256(data).hexdigest(), "row_bytes": row_bytes,
                                       "bin_sha256": hashlib.sha256(rows).hexdigest(),
                                       "f32_sha256": hashlib.sha256(floats.tobytes()).hexdigest()}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
