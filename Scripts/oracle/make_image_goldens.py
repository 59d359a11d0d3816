#!/usr/bin/env python3
"""Goldens for KilnImagesTests → Fixtures/goldens/images/.

For every image in Fixtures/images (made by Scripts/fixtures/make_images.py):
1. Decoding: the RGB bytes transformers' `convert_to_rgb` gives for `PIL.Image.open(path)` (alpha
   composited onto white, Pillow's CMYK/palette/I;16 conversions): size, sha256 and a few pixels.
2. Preprocessing: `pixel_values` of transformers' PixtralImageProcessor (torchvision backend, what
   AutoProcessor gives) and PixtralImageProcessorPil, for two configurations: the fixture's
   preprocessor_config.json (longest edge 64, patch 16) on every image, and the same with longest
   edge 128 on three of them.

The float outputs are stored losslessly and compactly: every output value of a backend is one of
256 floats per channel (the normalized byte values), so each output is stored as the byte indices
(uint8, C×H×W) into that backend's table. The table itself comes from the same processor run
without resizing on an image holding every byte value, and the script asserts that each output
float is exactly its table entry. Index tensors of one configuration and backend are concatenated
in manifest order into one zstd file (`zstd` command).

Usage: python3 Scripts/oracle/make_image_goldens.py
"""
import glob, hashlib, json, os, subprocess

import numpy as np
from PIL import Image
from transformers.image_transforms import convert_to_rgb
from transformers.models.pixtral.image_processing_pil_pixtral import PixtralImageProcessorPil
from transformers.models.pixtral.image_processing_pixtral import PixtralImageProcessor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGES = os.path.join(ROOT, "Fixtures/images")
OUT = os.path.join(ROOT, "Fixtures/goldens/images")
BACKENDS = {"torchvision": PixtralImageProcessor, "pillow": PixtralImageProcessorPil}


# The larger configuration runs on three images only, to keep the goldens small: one downscaled
# (200×140), two rounded up to whole patches (97×61 → 112×64, 20×13 → 32×16).
EDGE128_IMAGES = ["large.jpg", "rgb.png", "small.jpg"]


def configurations():
    """Name → (processor config, the images it runs on)."""
    fixture = json.load(open(os.path.join(ROOT, "Fixtures/tiny-pixtral/preprocessor_config.json")))
    larger = dict(fixture, size={"longest_edge": 128})
    return {"fixture": (fixture, None), "edge128": (larger, EDGE128_IMAGES)}


def pixel_values(backend, config, image):
    out = BACKENDS[backend](**config)(image, return_tensors="np")["pixel_values"]
    assert out.shape[0] == 1 and out.dtype == np.float32
    return out[0]


def value_table(backend, config):
    """The float each byte becomes per channel: the processor on a 256×1 image of all bytes, no resize."""
    ramp = np.repeat(np.arange(256, dtype=np.uint8)[None, :, None], 3, axis=2)
    table = pixel_values(backend, dict(config, do_resize=False), Image.fromarray(ramp, "RGB"))[:, 0, :]
    for channel in range(3):
        assert len(set(table[channel].tolist())) == 256, "table entries must be distinct to index them"
    return table


def main():
    os.makedirs(OUT, exist_ok=True)
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(IMAGES, "*")) if os.path.isfile(p))
    manifest = {"images": [], "configurations": []}
    for name in names:
        rgb = convert_to_rgb(Image.open(os.path.join(IMAGES, name)), return_numpy=True)
        height, width, _ = rgb.shape
        points = [(0, 0), (width - 1, height - 1), (width // 2, height // 3), (width // 3, height // 2)]
        manifest["images"].append({
            "file": name, "mode": Image.open(os.path.join(IMAGES, name)).mode, "width": width, "height": height,
            "sha256": hashlib.sha256(rgb.tobytes()).hexdigest(),
            "samples": [[x, y, *map(int, rgb[y, x])] for x, y in points],
        })

    tables = []
    for config_name, (config, subset) in configurations().items():
        config_images = subset or names
        entry = {"name": config_name, "longest_edge": config["size"]["longest_edge"],
                 "patch_size": config["patch_size"]["height"], "images": config_images, "backends": {}}
        for backend in BACKENDS:
            table = value_table(backend, config)
            tables.append(table)
            indices, shapes = [], []
            for name in config_images:
                values = pixel_values(backend, config, Image.open(os.path.join(IMAGES, name)))
                index = np.zeros(values.shape, dtype=np.uint8)
                for channel in range(3):
                    lookup = {float(v): i for i, v in enumerate(table[channel])}
                    flat = [lookup[float(v)] for v in values[channel].ravel()]  # KeyError: not a table value
                    index[channel] = np.array(flat, dtype=np.uint8).reshape(values.shape[1:])
                    assert np.array_equal(table[channel][index[channel]], values[channel])
                indices.append(index.tobytes())
                shapes.append(list(values.shape))
            blob = os.path.join(OUT, f"{config_name}-{backend}.u8")
            with open(blob, "wb") as f:
                f.write(b"".join(indices))
            subprocess.run(["zstd", "-19", "-q", "-f", "--rm", blob, "-o", blob + ".zst"], check=True)
            entry["backends"][backend] = {"indices": os.path.basename(blob) + ".zst", "table": len(tables) - 1,
                                          "shapes": shapes, "bytes": sum(len(i) for i in indices),
                                          "sha256": hashlib.sha256(b"".join(indices)).hexdigest()}
        manifest["configurations"].append(entry)
    np.stack(tables).astype("<f4").tofile(os.path.join(OUT, "tables.f32"))
    manifest["tables"] = {"file": "tables.f32", "count": len(tables), "shape": [3, 256]}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(names)} images, {len(tables)} tables → {OUT}")


if __name__ == "__main__":
    main()
