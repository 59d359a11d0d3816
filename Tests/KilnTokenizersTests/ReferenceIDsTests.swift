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
    static let hfO200k = GoldenCase.load("hf-o200k-bpe")
    static let llamaCppO200k = GoldenCase.load("llama-cpp-o200k-bpe")
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

    /// The o200k regex as the file states it, against HF `tokenizers`.
    @Test(arguments: hfO200k) func o200kTokenizerJSONMatchesHuggingFace(_ golden: GoldenCase) {
        check(TestTokenizers.o200k, golden, parseSpecial: true)
    }

    /// llama.cpp's `gpt-4o` rewrite of it, against llama-tokenize: on marks and non-ASCII capitals the
    /// two goldens differ (four of their texts), and each side keeps its own ids.
    @Test(arguments: llamaCppO200k) func ggufO200kMatchesLlamaCpp(_ golden: GoldenCase) {
        check(TestTokenizers.ggufO200k, golden, parseSpecial: true)
    }

    @Test func o200kGoldensDifferWhereTheRegexesDo() {
        let differing = zip(Self.hfO200k, Self.llamaCppO200k).filter { $0.ids != $1.ids }.map(\.0.text)
        let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark]
        #expect(differing.count == 4)
        #expect(differing.allSatisfy { $0.hasPrefix("ÉCOLE") || $0.unicodeScalars.contains { marks.contains($0.properties.generalCategory) } })
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
