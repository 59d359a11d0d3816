#!/usr/bin/env python3
"""Goldens for Kiln's port of gguf-py's model-id parsing (general.name/basename/size_label…).

Usage: python3 Scripts/oracle/make_naming_goldens.py   (needs .oracle/llama.cpp from build_llama_cpp.sh)
Writes Fixtures/goldens/naming.json: for each (model id, parameter count), what
gguf.Metadata.get_model_id_components, id_to_title and size_label return.
"""
import json
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, ".oracle", "llama.cpp", "gguf-py"))
from gguf.metadata import Metadata  # noqa: E402
from gguf.utility import size_label  # noqa: E402

IDS = [
    ("tiny-pixtral", 3085376), ("tiny-pixtral-native", 3085376), ("synthetic-430m", 432096256),
    ("mistralai/Mistral-7B-Instruct-v0.3", 7248023552), ("meta-llama/Meta-Llama-3-8B", 8030261248),
    ("Apriel-1.5-15b-Thinker", 14864000000), ("mistral-community/pixtral-12b", 12683000000),
    ("Mistral-Nemo-Base-2407", 12247782400), ("bloom-7b1", 7069016064), ("Qwen2.5-0.5B-Instruct-GGUF", 494032768),
    ("my model name", 1000), ("SmolLM2-135M-Instruct", 134515008), ("phi-2", 2779683840), ("llama-2-7b-chat-hf-q4_0", 6738415616),
    ("TinyLlama-1.1B-Chat-v1.0", 1100048384), ("gemma-2-9b-it", 9241705984), ("Llama-3.1-8B-128k", 8030261248),
]

out = []
for model_id, params in IDS:
    full, org, basename, finetune, version, size = Metadata.get_model_id_components(model_id, params)
    out.append({"id": model_id, "parameters": params, "name": Metadata.id_to_title(full) if full else None,
                "organization": Metadata.id_to_title(org) if org else None, "basename": basename,
                "finetune": finetune, "version": version, "size_label": size,
                "computed_size_label": size_label(params, 0, 0, 0)})
with open(os.path.join(REPO, "Fixtures", "goldens", "naming.json"), "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {len(out)} cases")
