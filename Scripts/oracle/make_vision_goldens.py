#!/usr/bin/env python3
"""Goldens for the vision runtime tests → Fixtures/goldens/vision/.

transformers (torch CPU, float32 math on the fixture's bf16 weights): LlavaForConditionalGeneration
from Fixtures/tiny-pixtral.

1. Two deterministic pixel tensors (already preprocessed: channels × height × width float32, from a
   seeded generator), 64×64 and 32×48, saved as pixels-N.bin so the Swift tests feed the same pixels.
2. Their image features (Pixtral encoder + Llava projector), computed in ONE batched call with
   image_sizes, so the second image is cropped from a padded batch and attention is block-diagonal
   (features-N.bin, patches × text hidden, row-major patch order).
3. Image+text prompts built as PixtralProcessor builds them: per image, ([IMG] × columns + [IMG_BREAK])
   per patch row with the last [IMG_BREAK] replaced by [IMG_END]; the image features are scattered at
   the [IMG] positions by LlavaForConditionalGeneration. Saved: token ids, the argmax at every
   position, and the last position's full logits (logits-N.bin).

With --llama: llama.cpp's clip (llama-mtmd-cli of .oracle/build-native, MTMD_DEBUG_EMBEDDINGS) on a
seeded 64×64 PNG (llama-input.png) with Kiln's F16 text GGUF and its F32 and F16 projector files
(written by `kiln convert --mmproj`): the embeddings clip hands the text model, [IMG_BREAK] rows
included (llama-f32.bin, llama-f16.bin; patches + rows − 1 rows of the text hidden size), and the
pixel tensor that image is at this size (no resize: (x/255 − mean)/std, as both preprocessors compute
it; llama-pixels.bin).

Usage: python3 Scripts/oracle/make_vision_goldens.py [--llama [KILN]]
"""
import json, os, subprocess, sys, tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDER = os.path.join(ROOT, "Fixtures/tiny-pixtral")
OUT = os.path.join(ROOT, "Fixtures/goldens/vision")
SIZES = [(64, 64), (32, 48)]  # (height, width), multiples of the 16-pixel patch
# Each prompt: a list of parts, an int being an image index, a str being text.
PROMPTS = [[0, "Describe the picture"], [0, " and", 1, " compare them"]]


def main():
    import torch
    from tokenizers import Tokenizer
    from transformers import LlavaForConditionalGeneration

    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    model = LlavaForConditionalGeneration.from_pretrained(FOLDER, dtype=torch.float32, attn_implementation="eager").eval()
    patch = model.config.vision_config.patch_size
    tokenizer = Tokenizer.from_file(os.path.join(FOLDER, "tokenizer.json"))
    image_id, break_id, end_id = (tokenizer.token_to_id(t) for t in ("[IMG]", "[IMG_BREAK]", "[IMG_END]"))
    assert image_id == model.config.image_token_id

    rng = np.random.default_rng(20261130)
    pixels = [rng.standard_normal((3, h, w)).astype(np.float32) for h, w in SIZES]
    images = []
    for n, p in enumerate(pixels):
        p.astype("<f4").tofile(os.path.join(OUT, f"pixels-{n}.bin"))
        images.append({"pixels": f"pixels-{n}.bin", "height": p.shape[1], "width": p.shape[2]})

    def batch(indices):
        """Pixels of several images padded to one tensor, as PixtralImageProcessor batches them."""
        height = max(SIZES[i][0] for i in indices)
        width = max(SIZES[i][1] for i in indices)
        values = torch.zeros(len(indices), 3, height, width)
        for row, i in enumerate(indices):
            values[row, :, : SIZES[i][0], : SIZES[i][1]] = torch.from_numpy(pixels[i])
        return values, torch.tensor([SIZES[i] for i in indices])

    with torch.no_grad():
        values, sizes = batch([0, 1])
        features = model.model.get_image_features(pixel_values=values, image_sizes=sizes).pooler_output
    for n, f in enumerate(features):
        rows, columns = SIZES[n][0] // patch, SIZES[n][1] // patch
        assert f.shape == (rows * columns, model.config.text_config.hidden_size)
        f.float().numpy().astype("<f4").tofile(os.path.join(OUT, f"features-{n}.bin"))
        images[n].update({"features": f"features-{n}.bin", "rows": rows, "columns": columns})

    cases = []
    for n, parts in enumerate(PROMPTS):
        ids = [1]  # BOS, as the tokenizer config adds it
        used = []
        for part in parts:
            if isinstance(part, int):
                rows, columns = SIZES[part][0] // patch, SIZES[part][1] // patch
                tokens = ([image_id] * columns + [break_id]) * rows
                tokens[-1] = end_id
                ids += tokens
                used.append(part)
            else:
                ids += tokenizer.encode(part, add_special_tokens=False).ids
        values, sizes = batch(used)
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids]), pixel_values=values, image_sizes=sizes).logits[0].float()
        logits[-1].numpy().astype("<f4").tofile(os.path.join(OUT, f"logits-{n}.bin"))
        cases.append({"parts": parts, "ids": ids, "argmax": logits.argmax(-1).tolist(), "logits": f"logits-{n}.bin"})

    json.dump({"source": "transformers LlavaForConditionalGeneration float32 on Fixtures/tiny-pixtral",
               "tokens": {"image": image_id, "break": break_id, "end": end_id},
               "images": images, "cases": cases},
              open(os.path.join(OUT, "transformers.json"), "w"), indent=1)


def llama_goldens(kiln):
    from PIL import Image
    mean = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)
    rgb = np.random.default_rng(7).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    image = os.path.join(OUT, "llama-input.png")
    Image.fromarray(rgb).save(image)
    ((rgb.astype(np.float32) / 255 - mean) / std).transpose(2, 0, 1).astype("<f4").tofile(os.path.join(OUT, "llama-pixels.bin"))
    bin_dir = os.path.join(ROOT, ".oracle/build-native/bin")
    with tempfile.TemporaryDirectory() as work:
        for kind in ("f32", "f16"):
            text, mmproj, dump = (os.path.join(work, n) for n in ("text.gguf", f"mmproj-{kind}.gguf", f"{kind}.bin"))
            subprocess.run([kiln, "convert", FOLDER, "-o", text, "--outtype", "f16", "--mmproj", mmproj, "--mmproj-type", kind], check=True)
            subprocess.run([os.path.join(bin_dir, "llama-mtmd-cli"), "-m", text, "--mmproj", mmproj, "--image", image, "-p", "Describe",
                            "-n", "1", "--temp", "0", "-t", "2", "-c", "512"], check=True, stdin=subprocess.DEVNULL, capture_output=True,
                           env={**os.environ, "MTMD_DEBUG_EMBEDDINGS": dump, "LD_LIBRARY_PATH": bin_dir})
            raw = np.fromfile(dump, dtype="<f4")
            rows, width = raw[:2].view(np.int32)
            assert (rows, width) == (4 * 4 + 3, 64), (rows, width)
            raw[2:].astype("<f4").tofile(os.path.join(OUT, f"llama-{kind}.bin"))


if __name__ == "__main__":
    if "--llama" in sys.argv:
        rest = sys.argv[sys.argv.index("--llama") + 1:]
        llama_goldens(os.path.abspath(rest[0] if rest else os.path.join(ROOT, ".build/release/kiln")))
    else:
        main()
