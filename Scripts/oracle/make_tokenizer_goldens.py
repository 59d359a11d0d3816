#!/usr/bin/env python3
"""Goldens for Kiln's tokenizers: token ids from the reference implementations.

Usage:  python3 Scripts/oracle/make_tokenizer_goldens.py [--gguf PATH] [--retrain] [--only NAME ...]
(--retrain trains the SentencePiece model and the o200k, llama3 and tekken BPEs anew)

Reference tokenizers (each writes Fixtures/goldens/tokenizers/<name>.json):
  hf-tiny-pixtral        HF `tokenizers` on Fixtures/tiny-pixtral/tokenizer.json
                         (added tokens such as <s>, [INST] are parsed, no BOS)
  tekken-tiny-pixtral    mistral-common's Tekkenizer on Fixtures/tiny-pixtral-native/tekken.json
                         (special tokens in text are plain text, no BOS)
  sentencepiece-bpe      the `sentencepiece` package on Fixtures/tokenizers/sentencepiece-bpe.model
                         (no BOS)
  llama-cpp-tiny-pixtral llama.cpp's llama-tokenize (--no-bos, special tokens parsed) on a GGUF of
                         the fixture, by default .oracle/convert/hf-auto.gguf (what llama.cpp's own
                         converter writes; see make_convert_goldens.py). Skipped when
                         .oracle/build/bin/llama-tokenize is missing (see build_llama_cpp.sh).
  llama-cpp-sentencepiece llama-tokenize on a vocabulary-only GGUF of the SentencePiece model,
                         written here with llama.cpp's vendored gguf-py.
  hf-tiny-phi4           HF `tokenizers` on Fixtures/tiny-phi4/tokenizer.json (Phi-4's shape: the
                         cl100k Split regex; added tokens parsed, no BOS). transformers' own
                         GPT2Tokenizer is not the reference: transformers 5 rebuilds it with GPT-2's regex.
  llama-cpp-tiny-phi4    llama-tokenize on llama.cpp's converter's F16 file of tiny-phi4
                         (.oracle/families/phi4/convert-f16.gguf, pre-tokenizer dbrx; made by
                         make_family_goldens.py phi4).
  hf-o200k-bpe           HF `tokenizers` on Fixtures/tokenizers/o200k-bpe.json, a byte-level BPE with the
                         o200k Split regex trained here on the corpus and O200K_CASES until every piece the
                         regex cuts is one token, so a piece cut elsewhere gives other ids.
  llama-cpp-o200k-bpe    llama-tokenize on a vocabulary-only `gpt-4o` GGUF of o200k-bpe.json (gguf-py):
                         llama.cpp's rewrite of the regex keeps marks out of words and counts every non-ASCII
                         letter as both cases, so these ids part from hf-o200k-bpe's on some texts.
  hf-tiny-phi4-mini      HF `tokenizers` on Fixtures/tiny-phi4-mini/tokenizer.json (Phi-4-mini's shape:
                         the o200k Split regex), over the corpus and O200K_CASES.
  llama-cpp-tiny-phi4-mini llama-tokenize on llama.cpp's converter's F16 file of tiny-phi4-mini
                         (.oracle/families/phi4-mini/convert-f16.gguf, pre-tokenizer gpt-4o, which llama.cpp
                         runs as its own rewrite of the regex), over the same texts.
  hf-llama3-bpe          HF `tokenizers` on Fixtures/tokenizers/llama3-bpe.json, a byte-level BPE with Llama 3's
                         Split regex (ignore_merges) trained on the pieces that regex and llama.cpp's `llama-bpe`
                         form of it cut from the corpus and LLAMA3_CASES.
  llama-cpp-llama3-bpe   llama-tokenize on a vocabulary-only `llama-bpe` GGUF of llama3-bpe.json: its fast path
                         compares contractions in ASCII where HF's (?i) folds ſ to s, and its Unicode 15.1 tables know no
                         Unicode 16 letters, so two texts differ.
  hf-tekken-bpe          HF `tokenizers` on Fixtures/tokenizers/tekken-bpe.json, a byte-level BPE with tekken's
                         Split regex (ignore_merges, as Mistral's tokenizer.json) trained on the pieces that
                         regex and llama.cpp's `tekken` rewrite of it cut from the corpus and TEKKEN_CASES, so
                         every piece either cuts is one token.
  llama-cpp-tekken-bpe   llama-tokenize on a vocabulary-only `tekken` GGUF of tekken-bpe.json (gguf-py): the
                         rewrite keeps marks out of words and counts every non-ASCII letter as both cases, so
                         these ids part from hf-tekken-bpe's on six texts (marks, ÉCOLE, fooÉcole, Unicode 16 letters).

The SentencePiece model is trained once (or with --retrain) on Fixtures/text/eval.txt: BPE, 500
pieces, byte fallback, identity normalization and no whitespace collapsing, as Llama's own
tokenizer.model is configured, so that the sentencepiece package, llama.cpp and Kiln agree on
what the text is before the merges.

Each golden is {"tokenizer": name, "cases": [{"text": str, "ids": [int]}]}.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures/goldens/tokenizers")
SP_MODEL = os.path.join(ROOT, "Fixtures/tokenizers/sentencepiece-bpe.model")
O200K_BPE = os.path.join(ROOT, "Fixtures/tokenizers/o200k-bpe.json")
LLAMA3_BPE = os.path.join(ROOT, "Fixtures/tokenizers/llama3-bpe.json")
TEKKEN_BPE = os.path.join(ROOT, "Fixtures/tokenizers/tekken-bpe.json")
LLAMA_TOKENIZE = os.path.join(ROOT, ".oracle/build/bin/llama-tokenize")

with open(os.path.join(ROOT, "Fixtures/text/eval.txt"), encoding="utf-8") as f:
    EVAL = f.read()

CORPUS = [
    "",
    "Hello",
    "Hello, world!",
    " leading space and trailing space ",
    "The quick brown fox jumps over the lazy dog.",
    EVAL[:1200],
    "Now it came to pass in the days when the judges ruled, that there was a famine in the land.",
    "I'm sure they'll say it's fine; we've done what we'd planned. DON'T SHOUT! You're RIGHT.",
    "CamelCaseWords and mixedCASE, ALLCAPS, lowercase, Title Case, iPhone, McDonald's",
    "Numbers: 0 1 12 123 1234 12345 3.14159 -42 1,000,000 2024-05-17 0x1F 1e-9",
    "A long number 123456789012345678901234567890 and 007.",
    "Whitespace:  two,   three,    four,\ttab,\t\ttabs, \n newline,\n\n\nthree newlines,\r\nCRLF.",
    "   \n   \t  \n",
    "trailing spaces     ",
    "\n\nstarts with newlines",
    "Unicode: café naïve résumé coöperate façade Ångström über straße",
    "Combining: e\u0301 a\u0308 n\u0303 \u0915\u093f \u1100\u1161 Z\u0351\u0360\u0350a\u0352\u035dl\u0336g\u0335o",
    "Emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ 🤖🚀✨",
    "CJK: 你好，世界！日本語のテキスト。한국어 텍스트입니다.",
    "Greek Ελληνικά, Cyrillic Русский текст, Arabic العربية, Hebrew עברית, Thai ภาษาไทย",
    "Math: ∀x ∈ ℝ, x² ≥ 0; ∑ᵢ aᵢ = π/2 ± √3 ≈ 1.57",
    "def f(x):\n    return x ** 2  # square\n\nif __name__ == \"__main__\":\n    print(f(3))\n",
    "for (int i = 0; i < n; ++i) { a[i] = b[i] * c; } // C\n\tx->y = &z;",
    "<html><body class=\"main\"><p>Hi &amp; bye</p></body></html>",
    "path/to/file.txt, https://example.com/a?b=c&d=e#f, user@example.org",
    "<s>[INST] What is the capital of France? [/INST] Paris.</s>",
    "[INST]no spaces[/INST]<s><s></s>[IMG][IMG_BREAK][IMG_END]",
    "text with <unk> and <pad> and [TOOL_CALLS] inside",
    "punctuation!!! ??? ... --- *** ((( ))) \"quoted\" 'single' `back`",
    "Mixed\u00a0non-breaking\u2003em-space\u200bzero-width\u3000ideographic",
    "\u0000control\u0001chars\u007f",
]

# Where the o200k regex and llama.cpp's gpt-4o rewrite of it can part: contractions in every case after
# words of every case, non-ASCII capitals and titlecase, marks after letters, scripts of other letters,
# digit runs of every script, slashes and newlines after punctuation, unusual whitespace.
O200K_CASES = [
    "I'M HE'S SHE'LL WE'VE THEY'D YOU'RE DON'T it'S we'Re They'Ll i'm O'NEIL o'clock rock'n'roll 'tis",
    "ÉCOLE École éCOLE ÅNGSTRÖM Ñandú ÇA VA Ǆemal ǅemal ǆemal ΣΊΣΥΦΟΣ Ωmega ДОБРЫЙ День",
    "nai\u0308ve CAFE\u0301 Cafe\u0301 e\u0301E\u0301 \u0301lead a\u0300\u0301\u0302b",
    "नमस्ते दुनिया हिन्दी मध्य مَرْحَبًا بِالْعَالَم ภาษาไทยที่ไม่มีช่องว่าง",
    "漢字かなカナ混じり文、ＡＢＣ全角ａｂｃ。中文标点“引号”《书名》",
    "1 12 123 1234 12345 1234567 ١٢٣٤٥ ５６７８ ²³ ½ Ⅻ 3.14e-10 0x7fff",
    "a/b//c/\nd /e/\r\n f:/\n\n g!!/\n h...\r\n\r\n",
    "tab\t\tafter  two   three\u00a0nbsp\u2028line\u2029para\u0085nel \u3000ideo\u200bzw",
    "def __init__(self, x: int = 0) -> None:\n\tself._x = x  # O'Brien's\n\n    return {'k': [1,2,3]}\n",
]

# Letters new in Unicode 16, which llama.cpp's Unicode 15.1 tables (unicode-data.cpp) count as undefined.
UNICODE_16 = "Unicode 16: a\u1c89b \ua7cbx \U00010d50y \u1c89\u1c89 z"
# llama-vocab.cpp's LLAMA_VOCAB_PRE_TYPE_TEKKEN regex (no fast path in unicode.cpp: std::regex on text whose
# non-ASCII code points are collapsed to their category), used only to train tekken-bpe.json.
LLAMA_CPP_TEKKEN_PATTERN = (r"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+"
                            r"|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*"
                            r"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")
# tekken's regex is o200k's without contractions and with single digits; llama.cpp's `tekken` rewrite of it
# is the same rewrite as `gpt-4o`'s, so the same texts, and words where a non-ASCII letter of either case
# meets ASCII letters of the other.
TEKKEN_CASES = O200K_CASES + [
    "fooÉcole mañANA straßE ÆsirFOO ĳsselMEER İstanbulLU ǅxY Ωmegaω ЖЖж жЖЖ xÀy XàY",
    UNICODE_16,
]

# llama-vocab.cpp's LLAMA_VOCAB_PRE_TYPE_LLAMA3 regex, which unicode.cpp runs by a hand-written fast path
# comparing contractions in ASCII; HF's Oniguruma also folds ſ (U+017F) to s. Used only to train llama3-bpe.json.
LLAMA_CPP_LLAMA3_PATTERN = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+"
                            r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_CASES = O200K_CASES + [
    "'ſx 'Kx x'Sy IT'S WE'LL 'ﬅx ab'ſt cd'ſ ſ's",
    UNICODE_16,
]


def save(name, ids_of, extra=()):
    cases = [{"text": text, "ids": list(ids_of(text))} for text in CORPUS + list(extra)]
    with open(os.path.join(OUT, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump({"tokenizer": name, "cases": cases}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"{name}: {sum(len(c['ids']) for c in cases)} ids")


def train_sentencepiece():
    import sentencepiece as spm
    spm.SentencePieceTrainer.train(
        input=os.path.join(ROOT, "Fixtures/text/eval.txt"), model_prefix=SP_MODEL[: -len(".model")],
        model_type="bpe", vocab_size=500, byte_fallback=True, character_coverage=1.0,
        normalization_rule_name="identity", remove_extra_whitespaces=False, add_dummy_prefix=True,
        split_digits=True, num_threads=1, minloglevel=2,
    )
    os.remove(SP_MODEL[: -len(".model")] + ".vocab")


def gguf_py():
    sys.path.insert(0, glob.glob(os.path.join(ROOT, ".oracle/src/*/vendor/llama.cpp/gguf-py"))[0])
    import gguf
    return gguf


def train_split_bpe(path, pattern, texts, ignore_merges=False, also_cut_by=None):
    """A byte-level BPE at `path`: the Split regex `pattern` then ByteLevel, trained with no frequency floor
    on `texts`, so every piece the regex cuts from them is a token; with `also_cut_by`, every piece that
    regex cuts as well, so that a piece the other regex joins across a cut is a token too."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

    def split(regex):
        return pre_tokenizers.Split(Regex(regex), behavior="isolated", invert=False)
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    tok = Tokenizer(models.BPE(byte_fallback=False, fuse_unk=False))
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=100000, min_frequency=1, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    if also_cut_by:  # train on the pieces themselves, each one word
        pieces = [piece for regex in (pattern, also_cut_by) for text in texts
                  for piece, _ in split(regex).pre_tokenize_str(text)]
        tok.pre_tokenizer = byte_level
        tok.train_from_iterator(pieces, trainer=trainer)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence([split(pattern), byte_level])
        tok.train_from_iterator(texts, trainer=trainer)
    tok.pre_tokenizer = pre_tokenizers.Sequence([split(pattern), byte_level])
    tok.save(path)
    if ignore_merges:  # as Mistral's tekken tokenizer.json: a piece that is a token is not merged
        with open(path, encoding="utf-8") as f:
            saved = json.load(f)
        saved["model"]["ignore_merges"] = True
        with open(path, "w", encoding="utf-8") as f:
            json.dump(saved, f, ensure_ascii=False, indent=2)


def train_o200k():
    sys.path.insert(0, os.path.join(ROOT, "Scripts/fixtures"))
    from make_family_fixtures import O200K_PATTERN
    train_split_bpe(O200K_BPE, O200K_PATTERN, CORPUS + O200K_CASES)


def train_llama3():
    sys.path.insert(0, os.path.join(ROOT, "Scripts/fixtures"))
    from make_family_fixtures import CL100K_PATTERN  # Llama 3's
    train_split_bpe(LLAMA3_BPE, CL100K_PATTERN, CORPUS + LLAMA3_CASES, ignore_merges=True,
                    also_cut_by=LLAMA_CPP_LLAMA3_PATTERN)


def train_tekken():
    sys.path.insert(0, os.path.join(ROOT, "Scripts/fixtures"))
    from make_fixtures import TEKKEN_PATTERN
    train_split_bpe(TEKKEN_BPE, TEKKEN_PATTERN, CORPUS + TEKKEN_CASES, ignore_merges=True,
                    also_cut_by=LLAMA_CPP_TEKKEN_PATTERN)


def split_bpe_gguf(path, bpe, pre):
    """A vocabulary-only GGUF with pre-tokenizer `pre` of the tokenizer.json `bpe`, as
    convert_hf_to_gguf.py's GPT-2 path writes one."""
    gguf = gguf_py()
    with open(bpe, encoding="utf-8") as f:
        model = json.load(f)["model"]
    tokens = sorted(model["vocab"], key=model["vocab"].get)
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types([gguf.TokenType.NORMAL] * len(tokens))
    writer.add_token_merges([" ".join(m) if isinstance(m, list) else m for m in model["merges"]])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def sentencepiece_gguf(path):
    """A vocabulary-only GGUF of the SentencePiece model, as convert_hf_to_gguf.py writes one."""
    gguf = gguf_py()
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_file=SP_MODEL)
    tokens, scores, types = [], [], []
    for i in range(sp.get_piece_size()):
        tokens.append(sp.id_to_piece(i).encode("utf-8"))
        scores.append(sp.get_score(i))
        types.append(gguf.TokenType.UNKNOWN if sp.is_unknown(i) else gguf.TokenType.CONTROL if sp.is_control(i)
                     else gguf.TokenType.BYTE if sp.is_byte(i) else gguf.TokenType.UNUSED if sp.is_unused(i)
                     else gguf.TokenType.NORMAL)
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(sp.bos_id())
    writer.add_eos_token_id(sp.eos_id())
    writer.add_unk_token_id(sp.unk_id())
    writer.add_add_bos_token(True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def llama_tokenize(gguf_path):
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(LLAMA_TOKENIZE))

    def ids(text):
        if text == "":
            return []
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
            f.write(text)
        try:
            out = subprocess.run([LLAMA_TOKENIZE, "-m", gguf_path, "-f", f.name, "--ids", "--no-bos", "--log-disable"],
                                 env=env, capture_output=True, text=True, check=True).stdout
        finally:
            os.remove(f.name)
        return json.loads(out.strip().splitlines()[-1])
    return ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", default=os.path.join(ROOT, ".oracle/convert/hf-auto.gguf"))
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="write only these goldens")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)

    def wanted(name):
        return not args.only or name in args.only

    from tokenizers import Tokenizer
    for name, folder in (("hf-tiny-pixtral", "tiny-pixtral"), ("hf-tiny-phi4", "tiny-phi4")):
        if wanted(name):
            hf = Tokenizer.from_file(os.path.join(ROOT, "Fixtures", folder, "tokenizer.json"))
            save(name, lambda t: hf.encode(t, add_special_tokens=False).ids)
    for name, path, train, cases in (("o200k-bpe", O200K_BPE, train_o200k, O200K_CASES), ("tekken-bpe", TEKKEN_BPE, train_tekken, TEKKEN_CASES),
                                     ("llama3-bpe", LLAMA3_BPE, train_llama3, LLAMA3_CASES)):
        if wanted(f"hf-{name}"):
            if args.retrain or not os.path.exists(path):
                train()
            hf = Tokenizer.from_file(path)
            save(f"hf-{name}", lambda t: hf.encode(t, add_special_tokens=False).ids, cases)
    if wanted("hf-tiny-phi4-mini"):
        hf = Tokenizer.from_file(os.path.join(ROOT, "Fixtures/tiny-phi4-mini/tokenizer.json"))
        save("hf-tiny-phi4-mini", lambda t: hf.encode(t, add_special_tokens=False).ids, O200K_CASES)

    if wanted("tekken-tiny-pixtral"):
        from mistral_common.tokens.tokenizers.tekken import Tekkenizer
        tekken = Tekkenizer.from_file(os.path.join(ROOT, "Fixtures/tiny-pixtral-native/tekken.json"))
        save("tekken-tiny-pixtral", lambda t: tekken.encode(t, bos=False, eos=False))

    if wanted("sentencepiece-bpe"):
        if args.retrain or not os.path.exists(SP_MODEL):
            train_sentencepiece()
        import sentencepiece as spm
        sp = spm.SentencePieceProcessor(model_file=SP_MODEL)
        save("sentencepiece-bpe", lambda t: sp.encode(t))

    if not os.path.exists(LLAMA_TOKENIZE):
        print("llama-tokenize not built; skipping the llama.cpp goldens")
        return
    if wanted("llama-cpp-tiny-pixtral"):
        save("llama-cpp-tiny-pixtral", llama_tokenize(args.gguf))
    if wanted("llama-cpp-tiny-phi4"):
        save("llama-cpp-tiny-phi4", llama_tokenize(os.path.join(ROOT, ".oracle/families/phi4/convert-f16.gguf")))
    if wanted("llama-cpp-tiny-phi4-mini"):
        save("llama-cpp-tiny-phi4-mini", llama_tokenize(os.path.join(ROOT, ".oracle/families/phi4-mini/convert-f16.gguf")), O200K_CASES)
    for name, bpe, pre, cases in (("o200k-bpe", O200K_BPE, "gpt-4o", O200K_CASES), ("llama3-bpe", LLAMA3_BPE, "llama-bpe", LLAMA3_CASES),
                                  ("tekken-bpe", TEKKEN_BPE, "tekken", TEKKEN_CASES)):
        if wanted(f"llama-cpp-{name}"):
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, f"{name}.gguf")
                split_bpe_gguf(path, bpe, pre)
                save(f"llama-cpp-{name}", llama_tokenize(path), cases)
    if wanted("llama-cpp-sentencepiece"):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "sentencepiece-bpe.gguf")
            sentencepiece_gguf(path)
            save("llama-cpp-sentencepiece", llama_tokenize(path))


if __name__ == "__main__":
    main()
