import KilnTokenizers
import Testing

/// Every tokenizer kind gives the reference implementation's ids and decodes them back to the text.
@Suite struct ReferenceIDsTests {
    static let hf = GoldenCase.load("hf-tiny-pixtral")
    static let tekken = GoldenCase.load("tekken-tiny-pixtral")
    static let llamaCpp = GoldenCase.load("llama-cpp-tiny-pixtral")
    static let sentencePiece = GoldenCase.load("sentencepiece-bpe")
    static let llamaCppSentencePiece = GoldenCase.load("llama-cpp-sentencepiece")
    static let hfPhi4 = GoldenCase.load("hf-tiny-phi4")
    static let llamaCppPhi4 = GoldenCase.load("llama-cpp-tiny-phi4")
    static let hfPhi4Mini = GoldenCase.load("hf-tiny-phi4-mini")
    static let llamaCppPhi4Mini = GoldenCase.load("llama-cpp-tiny-phi4-mini")

    func check(_ tokenizer: any TextTokenizer, _ golden: GoldenCase, parseSpecial: Bool) {
        #expect(tokenizer.encode(golden.text, addBOS: false, parseSpecial: parseSpecial) == golden.ids)
        #expect(tokenizer.decode(golden.ids) == golden.text)
    }

    /// HF `tokenizers` always parses added tokens; the same file without them is tekken.
    @Test(arguments: hf) func tokenizerJSONMatchesHuggingFace(_ golden: GoldenCase) {
        check(TestTokenizers.tokenizerJSON, golden, parseSpecial: true)
    }

    @Test(arguments: tekken) func tokenizerJSONWithoutSpecialsMatchesMistralCommon(_ golden: GoldenCase) {
        check(TestTokenizers.tokenizerJSON, golden, parseSpecial: false)
    }

    /// mistral-common never parses special tokens in text.
    @Test(arguments: tekken) func tekkenMatchesMistralCommon(_ golden: GoldenCase) {
        check(TestTokenizers.tekken, golden, parseSpecial: false)
    }

    @Test(arguments: hf) func tekkenWithSpecialsMatchesHuggingFace(_ golden: GoldenCase) {
        check(TestTokenizers.tekken, golden, parseSpecial: true)
    }

    @Test(arguments: llamaCpp) func ggufFromTokenizerJSONMatchesLlamaCpp(_ golden: GoldenCase) {
        check(TestTokenizers.ggufFromTokenizerJSON, golden, parseSpecial: true)
    }

    @Test(arguments: llamaCpp) func ggufFromTekkenMatchesLlamaCpp(_ golden: GoldenCase) {
        check(TestTokenizers.ggufFromTekken, golden, parseSpecial: true)
    }

    @Test(arguments: hfPhi4) func phi4TokenizerJSONMatchesHuggingFace(_ golden: GoldenCase) {
        check(TestTokenizers.phi4TokenizerJSON, golden, parseSpecial: true)
    }

    /// The `dbrx` vocabulary against llama-tokenize on llama.cpp's converter's file of the same folder.
    @Test(arguments: llamaCppPhi4) func ggufPhi4MatchesLlamaCpp(_ golden: GoldenCase) {
        check(TestTokenizers.ggufPhi4, golden, parseSpecial: true)
    }

    /// Each trained BPE's golden cases from `reference` (`hf` or `llama-cpp`), with the BPE's name.
    static func splitBPECases(_ reference: String) -> [(String, GoldenCase)] {
        TestTokenizers.splitBPEs.flatMap { name in GoldenCase.load("\(reference)-\(name)").map { (name, $0) } }
    }

    /// The o200k, Llama 3 and tekken regexes as the files state them, against HF `tokenizers`.
    @Test(arguments: splitBPECases("hf")) func splitBPETokenizerJSONMatchesHuggingFace(_ name: String, _ golden: GoldenCase) {
        check(TestTokenizers.splitBPEFolders[name]!, golden, parseSpecial: true)
    }

    /// The same as llama.cpp runs them for `gpt-4o`, `llama-bpe` and `tekken`, against llama-tokenize.
    @Test(arguments: splitBPECases("llama-cpp")) func splitBPEGGUFMatchesLlamaCpp(_ name: String, _ golden: GoldenCase) {
        check(TestTokenizers.splitBPEGGUFs[name]!, golden, parseSpecial: true)
    }

    /// llama.cpp's rewrites of o200k's and tekken's regexes keep marks out of words and count every
    /// non-ASCII letter as both cases, so the goldens differ on marks, on `ÉCOLE` (split after `É`) and,
    /// for tekken's, on `fooÉcole` (one word); Llama 3's regex differs where HF's `(?i)` folds `ſ` into a
    /// contraction; and llama.cpp's Unicode 15.1 tables know no Unicode 16 letters (llama3's and tekken's
    /// texts). Each side keeps its own ids.
    @Test(arguments: [("o200k-bpe", 4), ("llama3-bpe", 2), ("tekken-bpe", 6)])
    func splitBPEGoldensDifferWhereTheRegexesDo(_ name: String, _ count: Int) {
        let differing = zip(GoldenCase.load("hf-\(name)"), GoldenCase.load("llama-cpp-\(name)")).filter { $0.ids != $1.ids }.map(\.0.text)
        let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark]
        #expect(differing.count == count)
        #expect(differing.allSatisfy {
            $0.hasPrefix("ÉCOLE") || $0.hasPrefix("fooÉcole") || $0.contains("ſ") || $0.hasPrefix("Unicode 16")
                || $0.unicodeScalars.contains { marks.contains($0.properties.generalCategory) }
        })
    }

    @Test(arguments: hfPhi4Mini) func phi4MiniTokenizerJSONMatchesHuggingFace(_ golden: GoldenCase) {
        check(TestTokenizers.phi4MiniTokenizerJSON, golden, parseSpecial: true)
    }

    /// The `gpt-4o` vocabulary against llama-tokenize on llama.cpp's converter's file of the same folder:
    /// llama.cpp's rewrite of the o200k regex splits marks and non-ASCII capitals differently.
    @Test(arguments: llamaCppPhi4Mini) func ggufPhi4MiniMatchesLlamaCpp(_ golden: GoldenCase) {
        check(TestTokenizers.ggufPhi4Mini, golden, parseSpecial: true)
    }

    @Test(arguments: sentencePiece) func sentencePieceMatchesSentencePiece(_ golden: GoldenCase) {
        check(TestTokenizers.sentencePiece, golden, parseSpecial: false)
    }

    @Test(arguments: llamaCppSentencePiece) func ggufSentencePieceMatchesLlamaCpp(_ golden: GoldenCase) {
        check(TestTokenizers.ggufSentencePiece, golden, parseSpecial: true)
    }
}
