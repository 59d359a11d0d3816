import Foundation
import KilnTestSupport
import Testing

/// A text and the ids a reference tokenizer gives it, from Fixtures/goldens/tokenizers (made by
/// Scripts/oracle/make_tokenizer_goldens.py).
struct GoldenCase: Sendable, Decodable, CustomTestStringConvertible {
    let text: String
    let ids: [Int]

    var testDescription: String { String(text.prefix(40)).debugDescription }

    static func load(_ name: String) -> [GoldenCase] {
        struct File: Decodable { let cases: [GoldenCase] }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("goldens/tokenizers/\(name).json")))
            return try JSONDecoder().decode(File.self, from: data).cases
        } catch {
            Issue.record("golden \(name): \(error)")
            return []
        }
    }
}
