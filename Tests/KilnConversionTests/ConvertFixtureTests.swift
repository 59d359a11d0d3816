import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

@Suite struct ConvertFixtureTests {
    func convert(_ model: String, _ type: OutputType = .auto, threads: Int = 2, in folder: TemporaryDirectory, name: String = "out.gguf") throws -> GGUFFile {
        let plan = try GGUFConversion.plan(try CheckpointReader.open(model), outputType: type)
        try GGUFConversion.write(plan, to: folder.file(name), threads: threads)
        return try GGUFFile(path: folder.file(name))
    }

    @Test func huggingFaceAndNativeLayoutsGiveTheSameTensors() throws {
        let folder = TemporaryDirectory()
        let hf = try convert(Fixtures.tinyPixtral, in: folder, name: "hf.gguf")
        let native = try convert(Fixtures.tinyPixtralNative, in: folder, name: "native.gguf")
        #expect(Set(hf.tensors.map(\.name)) == Set(native.tensors.map(\.name)))
        for a in hf.tensors {
            let b = try #require(native.tensor(named: a.name))
            #expect(a.type == b.type && a.dimensions == b.dimensions, "\(a.name)")
            #expect(hf.bytes(of: a).elementsEqual(native.bytes(of: b)), "\(a.name) differs: the Q/K permutation or a layout mapping is wrong")
        }
    }

    @Test func keepsBFloat16LosslesslyAndNormsAsFloat32() throws {
        let folder = TemporaryDirectory()
        let file = try convert(Fixtures.tinyPixtral, in: folder)
        let spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        #expect(file.metadata["general.file_type"] == .uint32(32))
        #expect(file.tensor(named: "blk.0.attn_norm.weight")?.type == .f32)
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.type == .bf16 && embedding.dimensions == [64, 1024])
        spec.tensor(TensorRole(.tokenEmbedding))!.withBytes { #expect(file.bytes(of: embedding).elementsEqual($0)) }
        // A norm's F32 values are exactly its bf16 values widened.
        let norm = file.bytes(of: try #require(file.tensor(named: "output_norm.weight")))
        spec.tensor(TensorRole(.outputNorm))!.withBytes { source in
            for i in 0..<64 {
                let widened = FloatingPointFormats.float(fromBFloat: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                #expect(norm.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) == widened)
            }
        }
    }

    @Test(arguments: [(OutputType.f16, GGMLType.f16, UInt32(1)), (.f32, .f32, 0), (.bf16, .bf16, 32)])
    func honoursTheOutputType(_ type: OutputType, _ expected: GGMLType, _ fileType: UInt32) throws {
        let folder = TemporaryDirectory()
        let file = try convert(Fixtures.tinyPixtral, type, in: folder)
        #expect(file.metadata["general.file_type"] == .uint32(fileType))
        let q = try #require(file.tensor(named: "blk.3.attn_q.weight"))
        #expect(q.type == expected)
        // Row 1 of the GGUF tensor is source row 16 (rotate-half pair 0 of head 0, second element).
        let spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        let bytes = file.bytes(of: q)
        spec.tensor(TensorRole(.attentionQuery, layer: 3))!.withBytes { source in
            for column in [0, 7, 63] {
                let original = FloatingPointFormats.float(fromBFloat: source.loadUnaligned(fromByteOffset: 2 * (16 * 64 + column), as: UInt16.self))
                let stored: Float = switch expected {
                case .f32: bytes.loadUnaligned(fromByteOffset: 4 * (64 + column), as: Float.self)
                case .f16: FloatingPointFormats.float(fromHalf: bytes.loadUnaligned(fromByteOffset: 2 * (64 + column), as: UInt16.self))
                default: FloatingPointFormats.float(fromBFloat: bytes.loadUnaligned(fromByteOffset: 2 * (64 + column), as: UInt16.self))
                }
                #expect(stored == original)
            }
        }
    }

    @Test func outputDoesNotDependOnTheThreadCount() throws {
        let folder = TemporaryDirectory()
        _ = try convert(Fixtures.tinyPixtral, .f16, threads: 1, in: folder, name: "one.gguf")
        _ = try convert(Fixtures.tinyPixtral, .f16, threads: 4, in: folder, name: "four.gguf")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("one.gguf"))) == Data(contentsOf: URL(fileURLWithPath: folder.file("four.gguf"))))
    }

    @Test func embedsTheTokenizer() throws {
        let folder = TemporaryDirectory()
        let file = try convert(Fixtures.tinyPixtral, in: folder)
        #expect(file.metadata["tokenizer.ggml.model"] == .string("gpt2"))
        #expect(file.metadata["tokenizer.ggml.pre"] == .string("tekken"))
        #expect(file.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count == 1024)
        #expect(file.metadata["tokenizer.ggml.bos_token_id"] == .uint32(1))
        #expect(file.metadata["tokenizer.ggml.eos_token_id"] == .uint32(2))
        #expect(file.metadata["tokenizer.ggml.add_bos_token"] == .bool(true))
        #expect(file.metadata["tokenizer.chat_template"]?.stringValue?.contains("[INST]") == true)
        guard case let .int32(types)? = file.metadata["tokenizer.ggml.token_type"]?.arrayValue else { Issue.record("token_type is not INT32"); return }
        #expect(types.prefix(20).allSatisfy { $0 == 3 }, "the 20 special tokens are control tokens")
        #expect(types[20...].allSatisfy { $0 == 1 })
    }

    @Test func thePythonGGUFPackageReadsTheOutput() throws {
        let folder = TemporaryDirectory()
        let file = try convert(Fixtures.tinyPixtral, in: folder)
        let script = """
        import sys, json, gguf
        r = gguf.GGUFReader(sys.argv[1])
        print(json.dumps({"tensors": [[t.name, int(t.tensor_type), [int(x) for x in t.shape]] for t in r.tensors],
                          "keys": [k for k in r.fields if not k.startswith("GGUF.")]}))
        """
        let output = try PythonScript.run(script, arguments: [folder.file("out.gguf")])
        let json = try JSON.parse(output)
        let tensors = try #require(json["tensors"]?.arrayValue)
        #expect(tensors.count == file.tensors.count)
        for (entry, tensor) in zip(tensors, file.tensors) {
            #expect(entry[0]?.stringValue == tensor.name)
            #expect(entry[1]?.intValue == Int(tensor.type.rawValue))
            #expect(entry[2]?.arrayValue?.compactMap(\.intValue) == tensor.dimensions)
        }
        #expect(json["keys"]?.arrayValue?.compactMap(\.stringValue) == file.metadata.keys)
    }
}
