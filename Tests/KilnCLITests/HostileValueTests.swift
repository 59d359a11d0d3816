import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// An input made hostile in one value, the command that reads it, and the words the one-line error
/// must contain (the file and the key). Every case is made from the fixtures inside the test.
struct HostileInput: CustomTestStringConvertible, Sendable {
    let name: String
    let mentions: [String]
    /// Writes the hostile input into the folder and returns the kiln arguments that read it.
    let make: @Sendable (TemporaryDirectory) throws -> [String]
    var testDescription: String { name }

    /// The fixture converted to GGUF once; cases copy it with one change.
    static let converted: (folder: TemporaryDirectory, path: String) = {
        let folder = TemporaryDirectory()
        let path = folder.file("m.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", path])
        return (folder, path)
    }()

    /// A copy of a fixture folder with one JSON file edited at `path` (object keys, outermost first).
    static func folder(_ fixture: String, in folder: TemporaryDirectory, editing file: String, _ edit: (JSON) -> JSON) throws -> String {
        let copy = folder.file("model")
        try FileManager.default.copyItem(atPath: fixture, toPath: copy)
        let json = try JSON.read(contentsOf: "\(copy)/\(file)", rejectDuplicateKeys: false)
        try Data(edit(json).serialized.utf8).write(to: URL(fileURLWithPath: "\(copy)/\(file)"))
        return copy
    }

    static func config(_ path: [String], _ value: String) -> HostileInput {
        HostileInput(name: "config.json \(path.joined(separator: ".")) = \(value)", mentions: ["config.json", path.joined(separator: ".")]) { folder in
            let model = try Self.folder(Fixtures.tinyPixtral, in: folder, editing: "config.json") { $0.setting(path, to: .number(value)) }
            return ["convert", model, "-o", folder.file("out.gguf")]
        }
    }

    static func params(_ key: String, _ value: String) -> HostileInput {
        HostileInput(name: "params.json \(key) = \(value)", mentions: ["params.json", key]) { folder in
            let model = try Self.folder(Fixtures.tinyPixtralNative, in: folder, editing: "params.json") { $0.setting([key], to: .number(value)) }
            return ["convert", model, "-o", folder.file("out.gguf")]
        }
    }

    static func tekken(_ key: String, _ value: String) -> HostileInput {
        HostileInput(name: "tekken.json config.\(key) = \(value)", mentions: ["tekken.json", key]) { folder in
            let model = try Self.folder(Fixtures.tinyPixtralNative, in: folder, editing: "tekken.json") { $0.setting(["config", key], to: .number(value)) }
            return ["convert", model, "-o", folder.file("out.gguf")]
        }
    }

    static func tokenID(_ value: String) -> HostileInput {
        HostileInput(name: "tokenizer.json token id \(value)", mentions: ["tokenizer.json", "model.vocab"]) { folder in
            let model = try Self.folder(Fixtures.tinyPixtral, in: folder, editing: "tokenizer.json") { json in
                let token = json["model"]!["vocab"]!.objectMembers![5].key
                return json.setting(["model", "vocab", token], to: .number(value))
            }
            return ["convert", model, "-o", folder.file("out.gguf")]
        }
    }

    /// The converted fixture with its metadata changed, written as `name`.
    static func rewrittenGGUF(_ name: String, in folder: TemporaryDirectory, _ edit: (inout GGUFMetadata) -> Void) throws -> String {
        let source = try GGUFFile(path: converted.path)
        var metadata = source.metadata
        edit(&metadata)
        let path = folder.file(name)
        let writer = try GGUFWriter(path: path, metadata: metadata,
                                    tensors: source.tensors.map { GGUFTensorDescriptor(name: $0.name, dimensions: $0.dimensions, type: $0.type) })
        for tensor in source.tensors { try writer.write(source.bytes(of: tensor)) }
        try writer.finish()
        return path
    }

    static func gguf(_ key: String, _ value: GGUFValue) -> HostileInput {
        HostileInput(name: "GGUF \(key) = \(value)", mentions: ["bad.gguf", key]) { folder in
            let path = try rewrittenGGUF("bad.gguf", in: folder) { $0[key] = value }
            return ["quantize", path, "-o", folder.file("out.gguf"), "--type", "Q8_0"]
        }
    }

    /// An importance matrix in llama-imatrix's GGUF format for one tensor of the fixture.
    static func imatrix(_ name: String, count: Float, chunks: GGUFValue = .uint32(1)) -> HostileInput {
        HostileInput(name: name, mentions: ["bad.imatrix.gguf", name.contains("chunk") ? "imatrix.chunk_count" : "blk.0.attn_q.weight.counts"]) { folder in
            let path = folder.file("bad.imatrix.gguf")
            let metadata = GGUFMetadata([("imatrix.datasets", .array(.string(["eval.txt"]))), ("imatrix.chunk_count", chunks),
                                         ("imatrix.chunk_size", .uint32(512))])
            let writer = try GGUFWriter(path: path, metadata: metadata, tensors: [
                GGUFTensorDescriptor(name: "blk.0.attn_q.weight.in_sum2", dimensions: [64, 1], type: .f32),
                GGUFTensorDescriptor(name: "blk.0.attn_q.weight.counts", dimensions: [1, 1], type: .f32),
            ])
            try [Float](repeating: 1, count: 64).withUnsafeBytes { try writer.write($0) }
            try [count].withUnsafeBytes { try writer.write($0) }
            try writer.finish()
            return ["quantize", converted.path, "-o", folder.file("out.gguf"), "--type", "Q4_K_M", "--imatrix", path]
        }
    }

    static let all: [HostileInput] = [
        config(["text_config", "num_hidden_layers"], "-1"),
        config(["text_config", "num_hidden_layers"], "4294967295"),
        config(["text_config", "head_dim"], "4611686018427387904"),
        config(["text_config", "num_attention_heads"], "0"),
        config(["text_config", "max_position_embeddings"], "1000000000000000"),
        config(["text_config", "rope_theta"], "-10000"),
        config(["text_config", "rope_theta"], "1e999"),
        config(["text_config", "rms_norm_eps"], "-1e-5"),
        config(["text_config", "vocab_size"], "1e30"),
        config(["vision_config", "patch_size"], "-16"),
        params("max_seq_len", "-5"),
        params("n_layers", "4294967295"),
        params("norm_eps", "0"),
        params("rope_theta", "-1"),
        tokenID("-1"),
        tokenID("1000000000000"),
        tekken("default_num_special_tokens", "1000000000000"),
        tekken("default_num_special_tokens", "100000"),
        tekken("default_vocab_size", "-5"),
        gguf("llama.block_count", .int32(-1)),
        gguf("llama.block_count", .uint32(UInt32.max)),
        gguf("llama.attention.key_length", .uint64(1 << 62)),
        gguf("llama.context_length", .uint64(1_000_000_000_000_000)),
        gguf("llama.rope.freq_base", .float32(.nan)),
        gguf("llama.attention.layer_norm_rms_epsilon", .float32(-1e-5)),
        gguf("llama.attention.head_count", .string("four")),
        HostileInput(name: "GGUF tensor dimension 2^62", mentions: ["bad.gguf", "output_norm.weight"]) { folder in
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: converted.path)))
            // The tensor info: u64 name length, the name, u32 dimension count (1), i64 dimension.
            let name = Array("output_norm.weight".utf8)
            let info = withUnsafeBytes(of: UInt64(name.count).littleEndian, Array.init) + name + withUnsafeBytes(of: UInt32(1).littleEndian, Array.init)
            let at = try #require((0...(bytes.count - info.count)).first { bytes[$0..<$0 + info.count].elementsEqual(info) }) + info.count
            bytes.replaceSubrange(at..<at + 8, with: withUnsafeBytes(of: Int64(1 << 62).littleEndian, Array.init))
            try Data(bytes).write(to: URL(fileURLWithPath: folder.file("bad.gguf")))
            return ["quantize", folder.file("bad.gguf"), "-o", folder.file("out.gguf"), "--type", "Q8_0"]
        },
        imatrix("imatrix count NaN", count: .nan),
        imatrix("imatrix count -3", count: -3),
        imatrix("imatrix chunk_count 2^40", count: 10, chunks: .uint64(1 << 40)),
    ]
}

/// A command-line value out of range: a usage error, one line, exit status 2, before any work.
struct HostileOption: CustomTestStringConvertible, Sendable {
    let arguments: [String]
    let mentions: String
    var testDescription: String { arguments.joined(separator: " ") }

    static let model = Fixtures.tinyPixtral
    static let text = Fixtures.path("text/eval.txt")
    static func verify(_ options: [String]) -> [String] { ["verify", "--reference", model, "--candidate", "/no/such.gguf"] + options }

    static let all: [HostileOption] = [
        HostileOption(arguments: ["generate", model, "--prompt", "hi", "-n", "100000000000"], mentions: "-n"),
        HostileOption(arguments: ["generate", model, "--prompt", "hi", "-n=-5"], mentions: "-n"),
        HostileOption(arguments: ["generate", model, "--prompt", "hi", "--temp", "nan"], mentions: "--temp"),
        HostileOption(arguments: ["generate", model, "--prompt", "hi", "--temp=-1"], mentions: "--temp"),
        HostileOption(arguments: ["generate", model, "--prompt", "hi", "--top-p", "2"], mentions: "--top-p"),
        HostileOption(arguments: ["generate", model, "--prompt", "hi", "--threads", "0"], mentions: "--threads"),
        HostileOption(arguments: ["perplexity", model, "--file", text, "--ctx", "1000000000000"], mentions: "--ctx"),
        HostileOption(arguments: ["perplexity", model, "--file", text, "--chunks", "0"], mentions: "--chunks"),
        HostileOption(arguments: ["perplexity", model, "--file", text, "--threads", "1000000000"], mentions: "--threads"),
        HostileOption(arguments: ["perplexity", model, "--file", text, "--ctx", "1024", "--batch-size", "700"], mentions: "--batch-size"),
        HostileOption(arguments: verify(["--max-kld", "nan"]), mentions: "--max-kld"),
        HostileOption(arguments: verify(["--max-kld=-1"]), mentions: "--max-kld"),
        HostileOption(arguments: verify(["--max-ppl-increase", "-inf"]), mentions: "--max-ppl-increase"),
        HostileOption(arguments: verify(["--min-top1", "nan"]), mentions: "--min-top1"),
        HostileOption(arguments: verify(["--min-top1", "1.5"]), mentions: "--min-top1"),
        HostileOption(arguments: verify(["--chunks=-2"]), mentions: "--chunks"),
        HostileOption(arguments: verify(["--ctx", "4"]), mentions: "--ctx"),
        HostileOption(arguments: ["quantize", model, "-o", "/no/such/out.gguf", "--type", "Q8_0", "--upscale=-48", "--method", "solar"], mentions: "--upscale"),
        HostileOption(arguments: ["convert", model, "-o", "/no/such/out.gguf", "--upscale", "4294967296", "--method", "solar"], mentions: "--upscale"),
        HostileOption(arguments: ["upscale", model, "-o", "/no/such/out", "--layers", "0", "--method", "solar"], mentions: "--layers"),
        HostileOption(arguments: ["convert", model, "-o", "/no/such/out.gguf", "--threads=-1"], mentions: "--threads"),
    ]
}

@Suite struct HostileValueTests {
    /// Exit status 2, one line naming the file and the key, and nothing written next to the input.
    @Test(arguments: HostileInput.all)
    func rejectsAHostileValueWithOneLine(_ input: HostileInput) throws {
        let folder = TemporaryDirectory()
        let arguments = try input.make(folder)
        let before = folder.contents
        let result = try KilnProcess.run(arguments)
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, got: \(result.stderr)")
        for word in input.mentions { #expect(result.stderr.contains(word), "\(result.stderr) should mention \(word)") }
        #expect(folder.contents == before, "no output and no temporary file left behind")
    }

    @Test(arguments: HostileOption.all)
    func rejectsAnOptionOutOfRangeAsUsage(_ option: HostileOption) throws {
        let result = try KilnProcess.run(option.arguments)
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, got: \(result.stderr)")
        #expect(result.stderr.contains(option.mentions), "\(result.stderr) should mention \(option.mentions)")
    }

    /// A context beyond what the model was trained for is refused before the cache is allocated.
    @Test func boundsTheContextByTheModel() throws {
        let folder = TemporaryDirectory()
        let model = try HostileInput.rewrittenGGUF("short.gguf", in: folder) { $0["llama.context_length"] = .uint32(64) }
        let result = try KilnProcess.run(["perplexity", model, "--file", Fixtures.path("text/eval.txt"), "--ctx", "128"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("short.gguf") && result.stderr.contains("trained for 64"), "\(result.stderr)")

        // The fixture is trained for 1,024,000 positions; the prompt and 2^20 tokens do not fit.
        let generated = try KilnProcess.run(["generate", HostileInput.converted.path, "--prompt", "hi", "-n", "1048576"])
        #expect(generated.status == 2, "\(generated.stderr)")
        #expect(generated.stderr.split(separator: "\n").count == 1 && generated.stderr.contains("trained for 1024000"), "\(generated.stderr)")
    }
}
