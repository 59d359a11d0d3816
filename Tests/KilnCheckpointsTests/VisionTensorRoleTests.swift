import Foundation
import KilnCheckpoints
import KilnCore
import KilnTestSupport
import Testing

@Suite struct VisionTensorRoleTests {
    /// Every vision tensor of both fixture layouts has a role, and the two layouts hold the same roles.
    @Test func bothFixtureLayoutsNameTheSameVisionTensors() throws {
        let hf = try CheckpointReader.open(Fixtures.tinyPixtral)
        let native = try CheckpointReader.open(Fixtures.tinyPixtralNative)
        let hfVision = hf.tensors.filter { $0.role.kind == .multimodal }
        let nativeVision = native.tensors.filter { $0.role.kind == .multimodal }
        #expect(hfVision.count == 24)
        #expect(hfVision.allSatisfy { $0.role.vision != nil }, "unrecognised: \(hfVision.filter { $0.role.vision == nil }.map(\.name))")
        #expect(Set(hfVision.compactMap(\.role.vision)) == Set(nativeVision.compactMap(\.role.vision)))
        #expect(hf.tensors.first { $0.role.vision == VisionTensorRole(.patchEmbedding) }?.shape == [32, 3, 16, 16])
    }

    /// The mmproj names are the ones llama.cpp's converter wrote for the fixture (its golden).
    @Test func mmprojNamesRoundTripThroughTheConvertersGolden() throws {
        let golden = try JSON.read(contentsOf: Fixtures.path("goldens/convert/hf-mmproj-f16.json"))
        let names = try #require(golden["tensors"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(names.count == 24)
        for name in names {
            let role = try #require(VisionTensorNaming.mmproj.role(of: name), "\(name)")
            #expect(VisionTensorNaming.mmproj.name(of: role) == name)
        }
    }

    @Test(arguments: [
        ("vision_tower.transformer.layers.1.attention.q_proj.weight", VisionTensorRole(.attentionQuery, layer: 1)),
        ("model.vision_tower.ln_pre.weight", VisionTensorRole(.preNorm)),
        ("model.multi_modal_projector.linear_2.bias", VisionTensorRole(.projectorOut, parameter: "bias")),
    ])
    func llavaNamesMapToRoles(name: String, role: VisionTensorRole) {
        let naming = [VisionTensorNaming.llava(prefix: ""), .llava(prefix: "model.")].first { $0.role(of: name) != nil }
        #expect(naming?.role(of: name) == role)
        #expect(naming?.name(of: role) == name)
        #expect(VisionTensorNaming.mistralNative.role(of: name) == nil)
    }
}

@Suite struct VisionSpecTests {
    @Test func folderSpecsExposeTheirVisionTower() throws {
        let hf = try #require(try CheckpointReader.open(Fixtures.tinyPixtral).visionSpec)
        let native = try #require(try CheckpointReader.open(Fixtures.tinyPixtralNative).visionSpec)
        #expect(hf.rotaryPairing == .halves)
        #expect(native.rotaryPairing == .interleaved)
        #expect(hf.tensors.count == native.tensors.count)
        #expect(hf.tensor(VisionTensorRole(.projectorOut))?.shape == [64, 64])
        #expect(hf.parameters.layerCount == 2)
        for spec in [hf, native] {
            let p = spec.parameters
            #expect((p.imageTokenId, p.imageBreakTokenId, p.imageEndTokenId) == (10, 12, 13), "\(spec.path)")
            #expect((p.projectionSize, p.layerNormEpsilon) == (64, 1e-5))
            #expect(spec.imageBreakEmbedding?.shape == [64])
        }
        #expect(hf.imageBreakEmbedding?.name == "language_model.model.embed_tokens.weight[12]")
    }

    /// Token ids from params.json are range-checked against the vocabulary before a row is taken.
    @Test func rejectsAnImageTokenOutsideTheVocabulary() throws {
        let folder = TemporaryDirectory()
        for name in ["consolidated.safetensors", "tekken.json"] {
            try FileManager.default.copyItem(atPath: "\(Fixtures.tinyPixtralNative)/\(name)", toPath: folder.file(name))
        }
        let params = try String(contentsOfFile: "\(Fixtures.tinyPixtralNative)/params.json", encoding: .utf8)
        try params.replacingOccurrences(of: "\"image_break_token_id\": 12", with: "\"image_break_token_id\": 5000")
            .write(toFile: folder.file("params.json"), atomically: true, encoding: .utf8)
        let error = try #require(throws: CheckpointError.self) { try CheckpointReader.open(folder.path) }
        #expect(error.code == .invalidConfig)
        #expect(error.message.contains("[IMG_BREAK] token id 5000"))
    }
}
