import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// Kiln's projector files against llama.cpp's `convert_hf_to_gguf.py --mmproj` for the same fixture
/// and type, recorded by `Scripts/oracle/make_convert_goldens.py`.
@Suite struct MMProjGoldenTests {
    static let types: [MMProjOutputType] = [.f16, .f32, .bf16, .q8_0]

    static func write(_ model: String, _ type: MMProjOutputType, in folder: TemporaryDirectory) throws -> GGUFFile {
        let path = folder.file("mmproj-\(type).gguf")
        try GGUFConversion.write(try MMProjConversion.plan(try CheckpointReader.open(model), outputType: type), to: path)
        return try GGUFFile(path: path)
    }

    /// Mistral native: the converter writes `img_break` itself, and Kiln's file is byte-identical.
    @Test(arguments: types)
    func nativeLayoutIsByteIdentical(_ type: MMProjOutputType) throws {
        let file = try Self.write(Fixtures.tinyPixtralNative, type, in: TemporaryDirectory())
        try ConverterGoldenTests.expectIdentical(file, toGolden: "native-mmproj-\(type)")
    }

    /// Hugging Face: byte-identical to the converter once its tensor filter lets the token embedding
    /// through to `LlavaVisionModel` (the golden `hf-mmproj-img-break-f16`, patched as the script says).
    @Test func huggingFaceLayoutIsByteIdenticalToTheFixedConverter() throws {
        let file = try Self.write(Fixtures.tinyPixtral, .f16, in: TemporaryDirectory())
        try ConverterGoldenTests.expectIdentical(file, toGolden: "hf-mmproj-img-break-f16")
    }

    /// The deliberate difference from the vendored converter: for Hugging Face layouts it drops
    /// `v.token_embd.img_break` (which clip.cpp requires); Kiln writes it. Everything else is equal,
    /// except the size label, which counts the 64 extra values as the converter's own rule does.
    @Test(arguments: types)
    func huggingFaceLayoutAddsOnlyImageBreakToTheVendoredConverter(_ type: MMProjOutputType) throws {
        let file = try Self.write(Fixtures.tinyPixtral, type, in: TemporaryDirectory())
        let golden = try ConverterGoldenTests.golden("hf-mmproj-\(type)")
        let expectedTensors = golden["tensors"]?.arrayValue ?? []
        #expect(!expectedTensors.contains { $0["name"]?.stringValue == "v.token_embd.img_break" }, "the vendored converter drops img_break")
        let ours = file.tensors.filter { $0.name != "v.token_embd.img_break" }
        #expect(file.tensors.first?.name == "v.token_embd.img_break")
        #expect(ours.count == expectedTensors.count)
        for (tensor, expected) in zip(ours, expectedTensors) {
            #expect(tensor.name == expected["name"]?.stringValue)
            #expect(Int(tensor.type.rawValue) == expected["ggml_type"]?.intValue, "\(tensor.name)")
            #expect(tensor.dimensions == expected["ne"]?.arrayValue?.compactMap(\.intValue), "\(tensor.name)")
            #expect(SHA256.hex(file.bytes(of: tensor)) == expected["sha256"]?.stringValue, "\(tensor.name) bytes")
        }
        #expect(file.metadata.keys == golden["kv"]?.arrayValue?.compactMap { $0["key"]?.stringValue })
        for entry in golden["kv"]?.arrayValue ?? [] {
            let key = entry["key"]!.stringValue!
            guard let value = file.metadata[key] else { continue }
            if key == "general.size_label" {
                #expect((value, GoldenValue.plain(entry["value"]!)) == (.string("52K"), "51K"))
            } else {
                #expect(GoldenValue.describe(value) == GoldenValue.expected(entry), "\(key)")
            }
        }
    }

    /// `img_break` is exactly the `[IMG_BREAK]` row (id 12) of the token embedding, as F32, in both layouts.
    @Test(arguments: [Fixtures.tinyPixtral, Fixtures.tinyPixtralNative])
    func imageBreakIsTheEmbeddingRow(_ model: String) throws {
        let spec = try CheckpointReader.open(model)
        #expect(spec.vision?.imageBreakTokenId == 12)
        let file = try Self.write(model, .f16, in: TemporaryDirectory())
        let info = try #require(file.tensor(named: "v.token_embd.img_break"))
        #expect(info.type == .f32 && info.dimensions == [64])
        let written = Array(file.bytes(of: info).withMemoryRebound(to: Float.self) { $0 })
        let embedding = try #require(spec.tensor(TensorRole(.tokenEmbedding)))
        #expect(embedding.encoding == .safetensors(.bf16))
        let row = embedding.withBytes { bytes in
            (0..<64).map { FloatingPointFormats.float(fromBFloat: bytes.loadUnaligned(fromByteOffset: (12 * 64 + $0) * 2, as: UInt16.self)) }
        }
        #expect(written == row)
        #expect(row.contains { $0 != 0 })
    }

    /// `auto` keeps the fixture's bf16 as the converter's `--outtype auto` does.
    @Test func autoIsBF16ForABF16Checkpoint() throws {
        let folder = TemporaryDirectory()
        let auto = try Self.write(Fixtures.tinyPixtralNative, .auto, in: folder)
        try ConverterGoldenTests.expectIdentical(auto, toGolden: "native-mmproj-bf16")
    }
}
