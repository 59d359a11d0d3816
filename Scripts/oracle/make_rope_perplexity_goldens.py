#!/usr/bin/env python3
"""Goldens for the runtime's rope scaling → Fixtures/goldens/rope-scaling/summary.json.

The trained wide fixture with linear, YaRN and llama3 rope scaling in its config
(Fixtures/converter-rules/wide-rope-linear, wide-rope-yarn, wide-llama3-rope), and the Mistral native
fixture with a params.json yarn block (native-yarn-context: `kiln perplexity` on the folder itself must
give the converted file's numbers), converted by
convert_hf_to_gguf.py (make_rule_goldens.py, which pins those files byte for byte and leaves them in
.oracle/convert-rules/), evaluated by llama-perplexity of the native build with -fa on and -fa off on
Fixtures/text/eval.txt (-c 512, --chunks 4, -t 2), as make_agreement_goldens.py runs it.

Usage: python3 Scripts/oracle/make_rule_goldens.py --only wide-rope-linear wide-rope-yarn wide-llama3-rope native-yarn-context
       python3 Scripts/oracle/make_rope_perplexity_goldens.py [CASE ...]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_agreement_goldens as mag  # noqa: E402

CASES = ["wide-rope-linear", "wide-rope-yarn", "wide-llama3-rope", "native-yarn-context"]
OUT = os.path.join(mag.ROOT, "Fixtures/goldens/rope-scaling")


def main():
    os.makedirs(OUT, exist_ok=True)
    summary = {"text": "Fixtures/text/eval.txt", "ctx": mag.CTX, "chunks": mag.CHUNKS, "threads": mag.THREADS,
               "native": "GGML_NATIVE=ON, -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 (.oracle/build-native)", "cases": {}}
    path = os.path.join(OUT, "summary.json")
    if os.path.exists(path):
        with open(path) as f:
            summary["cases"] = json.load(f)["cases"]
    for case in sys.argv[1:] or CASES:
        model = os.path.join(mag.ROOT, ".oracle/convert-rules", f"{case}.gguf")
        folder = os.path.join(mag.ROOT, "Fixtures/converter-rules", case)
        if os.path.exists(os.path.join(folder, "params.json")):
            with open(os.path.join(folder, "params.json")) as f:
                params = json.load(f)
            rope = {"rope_theta": params["rope_theta"], "yarn": params["yarn"]}
        else:
            with open(os.path.join(folder, "config.json")) as f:
                rope = json.load(f)["rope_parameters"]
        summary["cases"][case] = {"rope_parameters": rope, "native_fa_on": mag.ppl(mag.NATIVE, model, "on"),
                                  "native_fa_off": mag.ppl(mag.NATIVE, model, "off")}
        print(case, summary["cases"][case]["native_fa_on"]["ppl"], summary["cases"][case]["native_fa_off"]["ppl"], flush=True)
    with open(path, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
