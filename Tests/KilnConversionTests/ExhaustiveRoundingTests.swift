import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnTestSupport
import Testing

/// `kiln quantize --rounding exhaustive` on real rows of the trained wide fixture, with
/// llama-imatrix's matrix: no block's importance-weighted error is above the reference quantizer's,
/// the total is lower, and the blocks are standard ones: Kiln decodes the blocks it writes to exactly
/// the floats llama.cpp's `to_float` gives for them (Fixtures/goldens/rounding, from
/// Scripts/oracle/make_rounding_goldens.py).
@Suite struct ExhaustiveRoundingTests {
    static let types: [GGMLType] = [.q2_K, .q3_K, .q4_K, .q5_K, .q6_K]
    /// Attention and feed-forward rows, 256 and 768 long.
    static let tensors = ["blk.1.attn_v.weight", "blk.2.attn_q.weight", "blk.1.ffn_down.weight"]
    static let spec = try! CheckpointReader.open(Fixtures.wideLlama)
    static let importance = try! ImportanceMatrix(path: "\(Fixtures.goldens)/quantize-wide/wide-llama.imatrix.gguf")

    func tensor(_ name: String) throws -> ModelTensor {
        try #require(Self.spec.tensors.first { CheckpointLayout.gguf.name(of: $0.role) == name }, "\(name)")
    }

    func floats(_ bytes: [UInt8]) -> [Float] {
        bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    func decode(_ bytes: [UInt8], _ type: GGMLType, count: Int) -> [Float] {
        var y = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { b in y.withUnsafeMutableBufferPointer { BlockCodecs.codec(for: type)!.dequantize(b.baseAddress!, count: count, into: $0.baseAddress!) } }
        return y
    }

    /// Σ w·(x − x̂)² of each 256-value block, w the column's importance (1 without a matrix).
    func blockErrors(_ x: [Float], _ y: [Float], rowLength: Int, weights: [Float]?) -> [Double] {
        stride(from: 0, to: x.count, by: 256).map { start in
            (start..<start + 256).reduce(0.0) { sum, i in
                let d = Double(x[i]) - Double(y[i])
                return sum + Double(weights?[i % rowLength] ?? 1) * d * d
            }
        }
    }

    /// The ratio of the exhaustive to the reference total for each tensor; each block checked on the way.
    func compare(_ type: GGMLType, withImportance: Bool) throws -> [String: Double] {
        var ratios: [String: Double] = [:]
        for name in Self.tensors {
            let tensor = try tensor(name)
            let weights = withImportance ? Self.importance.entries[name] : nil
            let x = floats(try PlannedTensor.encode(tensor, as: .f32, importance: nil, threads: 2))
            let reference = try PlannedTensor.encode(tensor, as: type, importance: weights, threads: 2)
            let exhaustive = try PlannedTensor.encode(tensor, as: type, importance: weights, rounding: .exhaustive, threads: 2)
            #expect(exhaustive.count == reference.count)
            let before = blockErrors(x, decode(reference, type, count: x.count), rowLength: tensor.rowLength, weights: weights)
            let after = blockErrors(x, decode(exhaustive, type, count: x.count), rowLength: tensor.rowLength, weights: weights)
            let worse = zip(before, after).enumerated().filter { $0.element.1 > $0.element.0 }
            #expect(worse.isEmpty, "\(type) \(name): \(worse.count) blocks worse, first \(worse.first.map { "\($0.offset): \($0.element)" } ?? "")")
            ratios[name] = after.reduce(0, +) / before.reduce(0, +)
        }
        return ratios
    }

    /// Bounds on the exhaustive/reference total per type; seen: Q2_K 0.91–0.92, Q3_K 0.97–0.98,
    /// Q4_K 0.94–0.95, Q5_K 0.86–0.90, Q6_K 0.84–0.88 (Q3_K's reference search is already a
    /// weighted one over its 16-value groups).
    static let bounds: [GGMLType: Double] = [.q2_K: 0.94, .q3_K: 0.99, .q4_K: 0.97, .q5_K: 0.92, .q6_K: 0.91]

    @Test(arguments: types)
    func noBlockIsWorseAndTheTotalIsLower(_ type: GGMLType) throws {
        for (name, ratio) in try compare(type, withImportance: true) {
            #expect(ratio < Self.bounds[type]!, "\(type) \(name): exhaustive/reference weighted error \(ratio)")
        }
    }

    /// Without a matrix the search minimises the plain squared error, which llama.cpp's reference
    /// quantizers (weighted by |x|) do not; seen: Q2_K 0.75–0.76, Q4_K 0.94–0.95, Q6_K 0.86.
    @Test(arguments: [GGMLType.q2_K, .q4_K, .q6_K])
    func withoutAnImportanceMatrixToo(_ type: GGMLType) throws {
        for (name, ratio) in try compare(type, withImportance: false) {
            #expect(ratio < 0.97, "\(type) \(name): exhaustive/reference squared error \(ratio)")
        }
    }

    @Test(arguments: types)
    func writesStandardBlocksThatLlamaCppDecodesAsKilnDoes(_ type: GGMLType) throws {
        let folder = "\(Fixtures.goldens)/rounding"
        let manifest = try JSON.read(contentsOf: "\(folder)/manifest.json")
        let entry = try #require(manifest["types"]?[type.name])
        let name = try #require(manifest["tensor"]?.stringValue)
        let golden = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(type.name).bin")))
        let llama = floats([UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(type.name).f32"))))
        // Kiln still writes the blocks the oracle decoded.
        let written = try PlannedTensor.encode(try tensor(name), as: type, importance: Self.importance.entries[name], rounding: .exhaustive, threads: 2)
        #expect(SHA256.hex(written) == entry["tensor_sha256"]?.stringValue)
        #expect(Array(written.prefix(golden.count)) == golden)
        // They differ from llama-quantize's blocks, so the comparison is about new bytes.
        let reference = try PlannedTensor.encode(try tensor(name), as: type, importance: Self.importance.entries[name], threads: 2)
        #expect(Array(reference.prefix(golden.count)) != golden)
        #expect(decode(golden, type, count: llama.count).map(\.bitPattern) == llama.map(\.bitPattern))
    }
}
