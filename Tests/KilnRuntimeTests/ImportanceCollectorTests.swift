import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnRuntime
import KilnTestSupport
import Testing

/// Kiln's importance matrix against llama-imatrix's on the same model, text and chunks
/// (Fixtures/goldens/imatrix: the fixture's F16 GGUF, Fixtures/text/eval.txt, 16 chunks of 128 tokens,
/// from Scripts/oracle/make_imatrix_goldens.sh; the wide fixture's F16 GGUF, 12 chunks of 256 tokens,
/// from Scripts/oracle/make_wide_imatrix_golden.sh).
@Suite struct ImportanceCollectorTests {
    static let folder = "\(Fixtures.goldens)/imatrix"
    /// llama-imatrix records its -f argument as the dataset; Kiln is given the same.
    static let dataset = "Fixtures/text/eval.txt"

    static func collect(_ path: String, context: Int, chunks: Int) -> ImportanceStatistics {
        let spec = try! CheckpointReader.open(path)
        let tokenizer = try! TokenizerLoader.load(spec)
        let text = String(decoding: try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text/eval.txt"))), as: UTF8.self)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let model = try! DecoderModel(spec, contextLength: context, threads: 2)
        let collector = ImportanceCollector()
        model.importanceCollector = collector
        let result = try! Perplexity.evaluate(model, tokens: tokens, context: context, maxChunks: chunks, bos: tokenizer.bosID)
        return collector.statistics(datasets: [dataset], chunkCount: result.chunks, chunkSize: context)
    }

    static let statistics = collect(RuntimeGoldens.models.paths["f16"]!, context: 128, chunks: 16)

    static let wide: (folder: TemporaryDirectory, statistics: ImportanceStatistics) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("wide-f16.gguf")
        try! GGUFConversion.write(try! GGUFConversion.plan(try! CheckpointReader.open(Fixtures.path("wide-llama")), outputType: .f16), to: f16, threads: 2)
        return (folder, collect(f16, context: 256, chunks: 12))
    }()

    /// Every entry of every tensor within 1e-3 of llama-imatrix's, relative; the same tensors and counts.
    @Test(arguments: ["tiny-pixtral", "wide-llama"])
    func sumsMatchLlamaImatrix(_ model: String) throws {
        let golden = try GGUFFile(path: "\(Self.folder)/\(model).imatrix.gguf")
        var goldenSums: [String: [Float]] = [:], goldenCounts: [String: Float] = [:]
        for tensor in golden.tensors {
            let values = Array(golden.bytes(of: tensor).bindMemory(to: Float.self))
            if tensor.name.hasSuffix(GGUFKey.Imatrix.sumSuffix) { goldenSums[String(tensor.name.dropLast(GGUFKey.Imatrix.sumSuffix.count))] = values }
            if tensor.name.hasSuffix(GGUFKey.Imatrix.countSuffix) { goldenCounts[String(tensor.name.dropLast(GGUFKey.Imatrix.countSuffix.count))] = values[0] }
        }
        let ours = model == "wide-llama" ? Self.wide.statistics.entries : Self.statistics.entries
        #expect(Set(ours.keys) == Set(goldenSums.keys))
        #expect(ours.count == (model == "wide-llama" ? 4 : 40) * 7)
        var worst = 0.0
        for (name, expected) in goldenSums {
            let entry = try #require(ours[name])
            #expect(Float(entry.count) == goldenCounts[name], "\(name) counts")
            try #require(entry.sums.count == expected.count)
            for (a, b) in zip(entry.sums, expected) { worst = max(worst, Double(abs(a - b) / abs(b))) }
        }
        #expect(worst <= 1e-3, "largest relative difference \(worst)")
    }

    /// The GGUF file is llama-imatrix's byte for byte up to the sums: keys, their order, tensor names,
    /// shapes and offsets, counts.
    @Test func ggufFileHasLlamaImatrixLayout() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("kiln.imatrix.gguf")
        try Self.statistics.write(to: path, format: .gguf)
        let ours = try GGUFFile(path: path), golden = try GGUFFile(path: "\(Self.folder)/tiny-pixtral.imatrix.gguf")
        #expect(ours.metadata == golden.metadata)
        #expect(ours.tensors.map(\.name) == golden.tensors.map(\.name))
        #expect(ours.tensors.map(\.dimensions) == golden.tensors.map(\.dimensions))
        #expect(ours.tensors.map(\.offset) == golden.tensors.map(\.offset))
        let oursBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let goldenBytes = try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/tiny-pixtral.imatrix.gguf"))
        #expect(oursBytes.count == goldenBytes.count)
        for tensor in golden.tensors where tensor.name.hasSuffix(GGUFKey.Imatrix.countSuffix) {
            #expect(Array(ours.bytes(of: tensor)) == Array(golden.bytes(of: tensor)), "\(tensor.name)")
        }
        // What llama-quantize reads from it: the same means as from llama-imatrix's file.
        try expectSameWeights(ImportanceMatrix(path: path), ImportanceMatrix(path: "\(Self.folder)/tiny-pixtral.imatrix.gguf"))
    }

    /// The legacy .dat: same entries, call counts, chunk count and dataset, the same length, and the
    /// same weights once read.
    @Test func legacyFileMatchesLlamaImatrix() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("kiln.imatrix.dat")
        try Self.statistics.write(to: path, format: .dat)
        let golden = "\(Self.folder)/tiny-pixtral.imatrix.dat"
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == Data(contentsOf: URL(fileURLWithPath: golden)).count)
        let ours = try ImportanceMatrix(path: path), theirs = try ImportanceMatrix(path: golden)
        #expect(ours.chunkCount == theirs.chunkCount && ours.datasets == theirs.datasets)
        try expectSameWeights(ours, theirs)
    }

    /// In-memory weights (what `kiln quantize` uses when it computes a matrix itself) equal the file's.
    @Test func inMemoryWeightsEqualTheFile() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("kiln.imatrix.gguf")
        try Self.statistics.write(to: path, format: .gguf)
        #expect(Self.statistics.importanceMatrix(path: path).entries == (try ImportanceMatrix(path: path)).entries)
    }

    private func expectSameWeights(_ a: ImportanceMatrix, _ b: ImportanceMatrix) throws {
        #expect(Set(a.entries.keys) == Set(b.entries.keys))
        for (name, expected) in b.entries {
            let ours = try #require(a.entries[name])
            let worst = zip(ours, expected).map { Double(abs($0 - $1) / abs($1)) }.max() ?? 0
            #expect(worst <= 1e-3, "\(name): \(worst)")
        }
    }
}
