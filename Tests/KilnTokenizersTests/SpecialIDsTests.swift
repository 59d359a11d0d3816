import Foundation
import KilnTestSupport
import KilnTokenizers
import Testing

/// BOS and EOS come from tokenizer_config.json, tekken's `<s>`/`</s>`, or the GGUF keys.
@Suite struct SpecialIDsTests {
    static let tokenizers: [(name: String, tokenizer: any TextTokenizer)] = [
        ("tokenizer.json", TestTokenizers.tokenizerJSON), ("tekken", TestTokenizers.tekken),
        ("gguf from tokenizer.json", TestTokenizers.ggufFromTokenizerJSON), ("gguf from tekken", TestTokenizers.ggufFromTekken),
        ("sentencepiece", TestTokenizers.sentencePiece), ("gguf sentencepiece", TestTokenizers.ggufSentencePiece),
    ]

    @Test(arguments: tokenizers.map(\.name)) func bosIsPrependedWhenAsked(_ name: String) {
        let tokenizer = Self.tokenizers.first { $0.name == name }!.tokenizer
        #expect(tokenizer.bosID == 1)
        #expect(tokenizer.eosID == 2)
        #expect(tokenizer.addsBOS)
        let ids = tokenizer.encode("Hello there", addBOS: false, parseSpecial: true)
        #expect(tokenizer.encode("Hello there", addBOS: true, parseSpecial: true) == [1] + ids)
    }

    /// The whole evaluation text round-trips, and quickly (the merge loop is not quadratic).
    @Test(arguments: tokenizers.map(\.name)) func longTextRoundTrips(_ name: String) throws {
        let tokenizer = Self.tokenizers.first { $0.name == name }!.tokenizer
        let text = try String(contentsOfFile: Fixtures.path("text/eval.txt"), encoding: .utf8)
        let clock = ContinuousClock()
        var ids: [Int] = []
        let elapsed = clock.measure { ids = tokenizer.encode(text, addBOS: false, parseSpecial: false) }
        #expect(tokenizer.decode(ids) == text)
        #expect(elapsed < .seconds(5), "\(name) took \(elapsed) for \(text.utf8.count) bytes")
        print("\(name): \(text.utf8.count) bytes → \(ids.count) ids in \(elapsed)")
    }
}
