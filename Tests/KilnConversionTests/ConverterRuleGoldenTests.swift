import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// The converter's model-specific rules, each triggered by a tiny checkpoint of
/// `Fixtures/converter-rules` and pinned by the whole file llama.cpp's converter wrote for it
/// (`Scripts/oracle/make_rule_goldens.py`, goldens in `Fixtures/goldens/convert-rules/`).
@Suite struct ConverterRuleGoldenTests {
    static let cases = [
        "smollm-49152",     // vocab_size 49152 → add_bos_token false; add_prefix_space false; padding to 49152
        "codellama-32016",  // SentencePiece padding, added_tokens.json, added_tokens_decoder; 32016 → eot id
        "llama3-rope",      // llama3 rope scaling → rope_freqs tensor (500000, 128 dimensions, as Llama 3)
        "rope-linear",      // linear rope scaling keys; add_prefix_space true
        "rope-yarn",        // YaRN rope scaling keys
        "wide-rope-linear", // the trained wide fixture with linear rope scaling (its runtime: RopeScalingTests)
        "wide-rope-yarn",   // … with YaRN scaling from rope_parameters (transformers 5)
        "wide-llama3-rope", // … with llama3 scaling: rope_freqs for base 10000 and 64 dimensions
        "template-eot",     // TemplateProcessing ending in </s> while tokenizer_config's EOS is [/INST] → eot; ▁ in a user-defined added token
        "native-yarn-template",  // Mistral native: params.json yarn keys, chat_template.jinja, max_seq_len not a context length
        "native-yarn-context",   // Mistral native: params.json yarn keys with max_position_embeddings (a file llama.cpp loads)
        "model-card",       // README.md front matter: licence, languages ("- no"), tags + pipeline_tag, base models (ids, URLs, a mapping), a dataset, folded description
        "model-card-urls",  // card naming over _name_or_path, flow lists, a licence list, tab indentation, source keys, dataset URLs, literal description
    ]

    @Test(arguments: cases)
    func matchesLlamaCppsConverter(_ name: String) throws {
        let golden = try JSON.read(contentsOf: "\(Fixtures.goldens)/convert-rules/\(name).json")
        let folder = TemporaryDirectory()
        let model = folder.file(name)  // the folder name becomes general.name, as for the converter
        try SyntheticLlama.build(case: name, into: model)
        for (file, sha) in golden["conversion"]?["inputs_sha256"]?.objectMembers ?? [] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(model)/\(file)"))
            #expect(SHA256.hex(Array(bytes)) == sha.stringValue, "input \(file) is the checkpoint the converter read")
        }

        let path = folder.file("out.gguf")
        try GGUFConversion.write(try GGUFConversion.plan(try CheckpointReader.open(model), outputType: .auto), to: path)
        let file = try GGUFFile(path: path)
        #expect(file.metadata.keys == (golden["kv"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }, "metadata keys and their order")
        for entry in golden["kv"]?.arrayValue ?? [] {
            guard let value = file.metadata[entry["key"]!.stringValue!] else { continue }
            #expect(GoldenValue.describe(value) == GoldenValue.expected(entry), "\(entry["key"]!.stringValue!)")
        }
        let tensors = golden["tensors"]?.arrayValue ?? []
        #expect(file.tensors.map(\.name) == tensors.compactMap { $0["name"]?.stringValue })
        for (tensor, expected) in zip(file.tensors, tensors) {
            #expect(SHA256.hex(file.bytes(of: tensor)) == expected["sha256"]?.stringValue, "\(tensor.name) bytes")
        }
        #expect(SHA256.hex(file.mapping.bytes) == golden["header"]?["file_sha256"]?.stringValue, "the whole file is byte-identical")
    }

    /// params.json values the converter would fail on or turn into another architecture: refused,
    /// naming params.json, by the reader (which the runtime shares) or the converter.
    @Test(arguments: [
        (#""llama_4_scaling": {"beta": 0.1}"#, "mistral3"),
        (#""yarn": {"factor": 2.0, "beta": 32.0, "alpha": 1.0, "original_max_position_embeddings": 4096}"#, "apply_scale"),
        (#""yarn": {"factor": "x", "beta": 32.0, "alpha": 1.0, "apply_scale": true, "original_max_position_embeddings": 4096}"#, "factor"),
        (#""yarn": {"factor": 2.0, "beta": 32.0, "alpha": 1.0, "apply_scale": true, "original_max_position_embeddings": -1}"#, "original_max_position_embeddings"),
    ])
    func refusesNativeRopeSettingsItCannotWrite(_ member: String, _ named: String) throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try SyntheticLlama.build(case: "native-yarn-template", into: model)
        let params = try String(contentsOfFile: "\(model)/params.json", encoding: .utf8)
        let yarnStart = try #require(params.range(of: "\"yarn\""))
        try (String(params[..<yarnStart.lowerBound]) + member + "\n}\n").write(toFile: "\(model)/params.json", atomically: true, encoding: .utf8)
        #expect {
            _ = try GGUFConversion.plan(try CheckpointReader.open(model), outputType: .auto)
        } throws: { error in
            let error = error as? any FileInputError
            return error?.path.hasSuffix("params.json") == true && error?.message.contains(named) == true
        }
    }
}
