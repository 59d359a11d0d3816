/// The pre-tokenizers llama.cpp knows by name (`tokenizer.ggml.pre`).
///
/// llama.cpp's converter identifies them by hashing the token ids of a probe text, which fails for
/// every newly trained vocabulary; Kiln identifies them by the pre-tokenizer's definition instead.
/// The hash also depends on the vocabulary, so one definition can carry two names: Llama 3's Split
/// regex is `llama-bpe` for Llama 3 and `dbrx` for tiktoken's cl100k vocabularies (DBRX, Phi-4).
/// A name's ``splitPatterns`` are what llama.cpp runs for it, which for `tekken` and `gpt-4o` is
/// llama.cpp's rewrite of the file's regex, not the regex itself (see ``gpt4oPattern``).
public enum PreTokenizerKind: String, Sendable, CaseIterable {
    case tekken
    case llamaBPE = "llama-bpe"
    /// Llama 3's Split regex without Llama 3's whole-word lookup or default BOS (llama.cpp's DBRX type).
    case dbrx
    case qwen2
    /// tiktoken's o200k regex (GPT-4o, Phi-4-mini).
    case gpt4o = "gpt-4o"
    case smollm
    case gpt2 = "gpt-2"

    /// The Split regex of Mistral's tekken tokenizers (Mistral-Nemo, Pixtral).
    public static let tekkenPattern =
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// What llama.cpp runs for `tekken` (llama-vocab.cpp): ``tekkenPattern`` rewritten as ``gpt4oPattern``
    /// is, so a GGUF splits `e\u{301}` and `ÉCOLE` as llama.cpp does, and keeps `fooÉcole` one word.
    public static let llamaCppTekkenPattern =
        #"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The Split regex of Llama 3.
    public static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The Split regex of Qwen2, Qwen2.5 and Qwen3 (Llama 3's with single digits).
    public static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The Split regex of tiktoken's o200k vocabularies (GPT-4o, Phi-4-mini): tekken's words with an
    /// optional contraction after each, and digits in threes.
    public static let o200kPattern =
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// What llama.cpp runs for `gpt-4o` (llama-vocab.cpp): ``o200kPattern`` rewritten for std::regex,
    /// which knows no letter cases beyond ASCII: an "upper" letter is any letter but a-z, a "lower"
    /// one any letter but A-Z, and marks join no word. So `e\u{301}` is two words and `ÉCOLE` splits
    /// after `É` where the file's regex keeps either whole; a GGUF splits as llama.cpp does.
    public static let gpt4oPattern =
        #"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The regex of GPT-2's ByteLevel pre-tokenizer (`use_regex`).
    public static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// A file's Split regex as Kiln runs it to split as HF `tokenizers` does: Oniguruma's `(?i)` folds
    /// `ſ` (U+017F) to `s` and Swift's does not, so the contractions of Llama 3's, Qwen2's and o200k's
    /// regexes spell it out (`'ſx` is `'ſ`, `x` in HF; llama.cpp, which compares ASCII, keeps `'ſx`).
    static func foldingLongS(_ pattern: String) -> String {
        pattern.replacing("(?i:'s|", with: "(?i:'[sſ]|")
    }

    /// The Split regexes, in order, that llama.cpp applies for this name.
    var splitPatterns: [String] {
        switch self {
        case .tekken: [Self.llamaCppTekkenPattern]
        case .llamaBPE, .dbrx: [Self.llama3Pattern]
        case .qwen2: [Self.qwen2Pattern]
        case .gpt4o: [Self.gpt4oPattern]
        case .smollm: [#"\p{N}"#, Self.gpt2Pattern]
        case .gpt2: [Self.gpt2Pattern]
        }
    }

    /// llama.cpp's `default` BPE pre-tokenizer (what a GGUF without `tokenizer.ggml.pre` gets).
    static let defaultPatterns = [
        #"[\p{P}\$\+<=>\^~\|]+"#, #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"#,
        #"\p{N}+"#, "[0-9][0-9][0-9]",
    ]

    /// - Parameter llama3: the name Llama 3's Split regex gets (`llama-bpe`, or `dbrx` for Phi-4).
    static func identify(_ tokenizer: TokenizerJSON, llama3: PreTokenizerKind = .llamaBPE) throws -> PreTokenizerKind {
        switch (tokenizer.splitPatterns, tokenizer.byteLevelUsesRegex, tokenizer.splitsDigits) {
        case ([tekkenPattern], false, false): return .tekken
        case ([llama3Pattern], false, false): return llama3
        case ([qwen2Pattern], false, false): return .qwen2
        case ([o200kPattern], false, false): return .gpt4o
        case ([], true, true): return .smollm
        case ([], true, false): return .gpt2
        default:
            throw TokenizerError(path: tokenizer.path, "pre-tokenizer not recognized (Split patterns \(tokenizer.splitPatterns), byte-level regex \(tokenizer.byteLevelUsesRegex), digits \(tokenizer.splitsDigits)); Kiln knows \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Added tokens that models forget to mark special but that act as control tokens, by the same
    /// rule as llama.cpp's converter (`does_token_look_special`).
    static func looksSpecial(_ token: String) -> Bool {
        ["<pad>", "<mask>", "<2mass>", "[@BOS@]"].contains(token)
            || (token.hasPrefix("<|") && token.hasSuffix("|>"))
            || (token.hasPrefix("<｜") && token.hasSuffix("｜>"))
            || (token.hasPrefix("<unused") && token.hasSuffix(">"))
    }
}
