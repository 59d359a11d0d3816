import Foundation
@testable import KilnCheckpoints
import KilnCore
import KilnTestSupport
import Testing

@Suite struct CheckpointReaderTests {
    @Test func readsTheLlavaFixture() throws {
        let spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        #expect(spec.layout.kind == .llava)
        #expect(spec.architecture == "LlavaForConditionalGeneration")
        let p = spec.text
        #expect((p.layerCount, p.hiddenSize, p.headCount, p.keyValueHeadCount, p.headDimension) == (40, 64, 4, 2, 32))
        #expect((p.intermediateSize, p.vocabularySize, p.ropeTheta, p.tiedEmbeddings) == (256, 1024, 1e9, false))
        #expect(spec.textTensors.count == 40 * 9 + 3)
        #expect(spec.vision?.layerCount == 2)
        #expect(spec.tensors.contains { $0.role.kind == .multimodal && $0.name.hasPrefix("vision_tower.") })
        #expect(spec.tensor(TensorRole(.attentionQuery, layer: 39))?.shape == [128, 64], "q_proj is not square, as in Pixtral")
        #expect(spec.tokenizerFiles?.tokenizerJSON != nil)
        #expect(spec.tensors.allSatisfy { $0.encoding == .safetensors(.bf16) })
    }

    @Test func readsTheNativeFixtureWithTheSameHyperParameters() throws {
        let hf = try CheckpointReader.open(Fixtures.tinyPixtral)
        let native = try CheckpointReader.open(Fixtures.tinyPixtralNative)
        #expect(native.layout.kind == .mistralNative)
        #expect(native.layout.rotaryPairing == .interleaved)
        var expected = hf.text
        expected.contextLength = nil  // the fixture's params.json, like Pixtral's, does not state it
        #expect(native.text == expected)
        #expect(Set(native.textTensors.map(\.role)) == Set(hf.textTensors.map(\.role)))
        #expect(native.vision?.hiddenSize == hf.vision?.hiddenSize)
        #expect(native.tokenizerFiles?.tekken != nil)
    }

    @Test func fillsTheDefaultsPixtralsConfigOmits() throws {
        // The text and vision parts of mistral-community/pixtral-12b's config.json, as published.
        let config = try JSON.parse("""
        {"architectures":["LlavaForConditionalGeneration"],"image_token_index":10,"model_type":"llava","projector_hidden_act":"gelu",
         "text_config":{"hidden_size":5120,"head_dim":128,"intermediate_size":14336,"is_composition":true,"max_position_embeddings":1024000,
           "model_type":"mistral","num_hidden_layers":40,"num_key_value_heads":8,"rms_norm_eps":1e-05,"rope_theta":1000000000.0,
           "sliding_window":null,"vocab_size":131072},
         "vision_config":{"head_dim":64,"hidden_act":"silu","image_size":1024,"is_composition":true,"model_type":"pixtral",
           "patch_size":16,"rope_theta":10000.0,"tie_word_embeddings":false}}
        """)
        let text = try HuggingFaceConfig.textParameters(config["text_config"]!, modelType: "mistral", path: "config.json")
        #expect(text.headCount == 32, "MistralConfig's default head count")
        #expect(text.headCount * text.headDimension == 4096)
        #expect((text.layerCount, text.keyValueHeadCount, text.contextLength, text.rmsNormEpsilon) == (40, 8, 1_024_000, 1e-5))
        let vision = try HuggingFaceConfig.visionParameters(config["vision_config"]!, root: config, path: "config.json",
                                                            projectionSize: text.hiddenSize, folder: TemporaryDirectory().path)
        #expect((vision.hiddenSize, vision.layerCount, vision.headCount, vision.intermediateSize) == (1024, 24, 16, 4096))
        #expect((vision.activation, vision.projectorActivation, vision.imageTokenId) == ("silu", "gelu", 10))
        #expect((vision.layerNormEpsilon, vision.imageMean, vision.imageStd) == (1e-5, VisionModelParameters.clipImageMean, VisionModelParameters.clipImageStd),
                "modeling_pixtral's hard-coded epsilon and PixtralImageProcessor's defaults without a preprocessor_config.json")
    }

    @Test func acceptsTheNewerModelLanguageModelPrefix() throws {
        let folder = TemporaryDirectory()
        try CheckpointRewriter.rewrite(from: Fixtures.tinyPixtral, to: folder.path, copyFiles: CheckpointRewriter.huggingFaceSideFiles) { name in
            if name.hasPrefix("language_model.model.") { return "model.language_model." + name.dropFirst("language_model.model.".count) }
            if name == "language_model.lm_head.weight" { return "lm_head.weight" }
            return name
        }
        let renamed = try CheckpointReader.open(folder.path)
        let original = try CheckpointReader.open(Fixtures.tinyPixtral)
        #expect(renamed.layout.kind == .llava)
        #expect(renamed.textTensors.map(\.role) == original.textTensors.map(\.role))
    }

    @Test func reportsAMissingDecoderTensor() throws {
        let folder = TemporaryDirectory()
        try CheckpointRewriter.rewrite(from: Fixtures.tinyPixtral, to: folder.path, copyFiles: CheckpointRewriter.huggingFaceSideFiles) {
            $0 == "language_model.model.layers.17.mlp.down_proj.weight" ? nil : $0
        }
        let error = #expect(throws: CheckpointError.self) { try CheckpointReader.open(folder.path) }
        #expect(error?.code == .missingTensor)
        #expect(error?.message.contains("layers.17.mlp.down_proj") == true)
    }

    @Test func reportsAConfigThatDisagreesWithTheWeights() throws {
        let folder = TemporaryDirectory()
        try CheckpointRewriter.rewrite(from: Fixtures.tinyPixtral, to: folder.path, copyFiles: CheckpointRewriter.huggingFaceSideFiles) { $0 }
        let configPath = folder.file("config.json")
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "\"intermediate_size\": 256", with: "\"intermediate_size\": 512").write(toFile: configPath, atomically: true, encoding: .utf8)
        let error = #expect(throws: CheckpointError.self) { try CheckpointReader.open(folder.path) }
        #expect(error?.code == .shapeMismatch)
    }

    @Test func reportsAnUnknownTensorName() throws {
        let folder = TemporaryDirectory()
        try CheckpointRewriter.rewrite(from: Fixtures.tinyPixtral, to: folder.path, copyFiles: CheckpointRewriter.huggingFaceSideFiles) {
            $0 == "language_model.model.norm.weight" ? "language_model.model.final_norm.weight" : $0
        }
        let error = #expect(throws: CheckpointError.self) { try CheckpointReader.open(folder.path) }
        #expect(error?.code == .unknownTensor)
        #expect(error?.message.contains("final_norm") == true)
    }

    @Test func reportsAFolderThatIsNoModel() throws {
        let folder = TemporaryDirectory()
        let error = #expect(throws: CheckpointError.self) { try CheckpointReader.open(folder.path) }
        #expect(error?.code == .unknownLayout)
    }

    @Test(arguments: ["model.layers.3.self_attn.q_proj.weight", "lm_head.weight", "model.embed_tokens.weight", "model.layers.0.mlp.down_proj.bias"])
    func huggingFaceNamesRoundTripThroughRoles(_ name: String) throws {
        let role = try #require(CheckpointLayout.huggingFace.role(of: name))
        #expect(CheckpointLayout.huggingFace.name(of: role) == name)
        #expect(CheckpointLayout.mistralNative.role(of: CheckpointLayout.mistralNative.name(of: role)) == role)
        #expect(CheckpointLayout.gguf.role(of: CheckpointLayout.gguf.name(of: role)) == role)
    }
}
