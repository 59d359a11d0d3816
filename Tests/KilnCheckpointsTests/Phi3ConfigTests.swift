import Foundation
import KilnCheckpoints
import KilnTestSupport
import Testing

/// Phi-3 configurations llama.cpp's converter refuses are refused with one clear error, and the
/// fused tensors are checked against the configuration.
@Suite struct Phi3ConfigTests {
    /// Fixtures/tiny-phi3 with `edit` applied to its config.json.
    static func folder(editing edit: (inout [String: Any]) -> Void) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        let source = Fixtures.path("tiny-phi3")
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: "\(source)/\(name)", toPath: folder.file(name))
        }
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("config.json")))) as? [String: Any])
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder.file("config.json")))
        return folder
    }

    @Test func readsTheLongRopeConfiguration() throws {
        let spec = try CheckpointReader.open(Fixtures.path("tiny-phi3"))
        #expect(spec.family == .phi3)
        #expect(spec.text.originalContextLength == 64)
        #expect(spec.text.recordedSlidingWindow == 2047)
        #expect(spec.text.ropeScaling?.longFactors?.count == 8)
        // √(1 + ln(256/64) / ln 64), as the converter computes it.
        #expect(abs((spec.text.ropeAttentionFactor ?? 0) - (1 + log(4.0) / log(64.0)).squareRoot()) < 1e-12)
        #expect(spec.tensors.contains { $0.role == TensorRole(.attentionQKV, layer: 1) && $0.shape == [128, 64] })
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        let edit: @Sendable (inout [String: Any]) -> Void
        let message: String
        var testDescription: String { name }
    }

    static let broken = [
        Broken(name: "no original context", edit: { config in
            config["original_max_position_embeddings"] = nil
            var rope = config["rope_parameters"] as? [String: Any] ?? [:]
            rope["original_max_position_embeddings"] = nil
            config["rope_parameters"] = rope
        }, message: "original_max_position_embeddings"),
        Broken(name: "long factors of the wrong length", edit: { config in
            var rope = config["rope_parameters"] as? [String: Any] ?? [:]
            rope["long_factor"] = [1.0, 2.0, 3.0]
            config["rope_parameters"] = rope
        }, message: "long_factor"),
        Broken(name: "an unknown scaling type with factors", edit: { config in
            var rope = config["rope_parameters"] as? [String: Any] ?? [:]
            rope["rope_type"] = "dynamic"
            config["rope_parameters"] = rope
        }, message: "dynamic"),
        Broken(name: "more KV heads than qkv holds", edit: { $0["num_key_value_heads"] = 4 }, message: "qkv_proj"),
    ]

    @Test(arguments: broken)
    func refusesWithOneClearError(_ c: Broken) throws {
        let folder = try Self.folder(editing: c.edit)
        let error = #expect(throws: CheckpointError.self) { try CheckpointReader.open(folder.path) }
        #expect(error?.message.contains(c.message) == true, "\(error?.message ?? "")")
    }
}
