#!/usr/bin/env python3
"""Token ids of image+text prompts as transformers' PixtralProcessor lays them out for the fixture.

Writes Fixtures/goldens/vision/prompt-ids.json: per case, the prompt, its images and the processor's
input_ids (each image's [IMG] placeholders, [IMG_BREAK] after every patch row, [IMG_END] last).
Kiln's ImagePrompter must produce the same sequence (tests in KilnRuntimeTests).
"""
import json
import os

from PIL import Image
from transformers import AutoProcessor

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
CASES = [
    ("[IMG]In the beginning", ["rgb.png"]),
    ("In the beginning[IMG] God created[IMG]", ["baseline.jpg", "small.jpg"]),
]

processor = AutoProcessor.from_pretrained(os.path.join(ROOT, "Fixtures/tiny-pixtral"))
out = []
for prompt, images in CASES:
    pil = [Image.open(os.path.join(ROOT, "Fixtures/images", name)) for name in images]
    ids = processor(text=prompt, images=pil, return_tensors="np")["input_ids"][0].tolist()
    out.append({"prompt": prompt, "images": images, "input_ids": ids})
path = os.path.join(ROOT, "Fixtures/goldens/vision/prompt-ids.json")
with open(path, "w") as f:
    json.dump({"oracle": "transformers AutoProcessor (PixtralProcessor) on Fixtures/tiny-pixtral", "cases": out}, f, indent=1)
print(path)
