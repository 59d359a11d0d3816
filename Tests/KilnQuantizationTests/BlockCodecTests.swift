import Foundation
import KilnGGUF
import KilnQuantization
import Testing

/// Properties every codec must have beyond the goldens: bounded round-trip error and determinism.
@Suite struct BlockCodecTests {
    /// Largest acceptable RMSE relative to the RMS of the input, per type: about 1.25× what llama.cpp's
    /// algorithms reach on this data, so a broken search or layout fails while honest codecs pass.
    static let errorBounds: [(GGMLType, Double)] = [
        (.f32, 0), (.f16, 0.0003), (.bf16, 0.0021), (.q8_0, 0.0067),
        (.q6_K, 0.023), (.q5_K, 0.045), (.q5_1, 0.047), (.q5_0, 0.054),
        (.q4_K, 0.089), (.q4_1, 0.098), (.q4_0, 0.107), (.iq4_nl, 0.095), (.iq4_xs, 0.095),
        (.q3_K, 0.19), (.q2_K, 0.37),
        (.iq3_s, 0.20), (.iq3_xxs, 0.26), (.iq2_s, 0.34), (.iq2_xs, 0.40), (.iq2_xxs, 0.45), (.iq1_m, 0.71), (.iq1_s, 0.63),
        // Ternary types scale by the block maximum: made for ternary weights, not Gaussian ones.
        (.tq2_0, 1.0), (.tq1_0, 1.0),
    ]

    /// Deterministic N(0, 0.02²) values, the scale of real weights (Box–Muller over a 64-bit LCG).
    static func gaussianRows(count: Int, seed: UInt64) -> [Float] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        return (0..<count).map { _ in
            let z = (-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * .pi * uniform())
            return Float(z * 0.02)
        }
    }

    @Test(arguments: errorBounds)
    func roundTripErrorIsBounded(_ type: GGMLType, _ bound: Double) throws {
        let codec = try #require(BlockCodecs.codec(for: type))
        let n = 4096
        let input = Self.gaussianRows(count: n, seed: 7)
        let importance = (0..<n).map { Float(1 + ($0 * 37) % 11) }
        // Types llama.cpp writes only with an importance matrix are measured only with one.
        for weights in codec.requiresImportance ? [importance] : [nil, importance] {
            let decoded = roundTrip(codec, input, importance: weights)
            var error = 0.0, signal = 0.0
            for (a, b) in zip(input, decoded) {
                error += Double(a - b) * Double(a - b)
                signal += Double(a) * Double(a)
            }
            let relative = (error / signal).squareRoot()
            #expect(relative <= bound, "\(type) \(weights == nil ? "" : "imatrix ")relative RMSE \(relative)")
        }
    }

    @Test(arguments: BlockCodecs.all.map(\.type))
    func quantizingIsDeterministic(_ type: GGMLType) throws {
        let codec = try #require(BlockCodecs.codec(for: type))
        let input = Self.gaussianRows(count: 1024, seed: 11)
        #expect(encode(codec, input, importance: nil) == encode(codec, input, importance: nil))
    }

    @Test func lookupCoversExactlyTheWritableTypes() {
        #expect(BlockCodecs.all.count == 24)
        #expect(BlockCodecs.codec(for: .q4_K)?.type == .q4_K)
        #expect(BlockCodecs.codec(for: .iq2_xxs)?.type == .iq2_xxs)
        #expect(BlockCodecs.codec(for: .q8_K) == nil)
    }

    private func encode(_ codec: any BlockCodec, _ input: [Float], importance: [Float]?) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: codec.type.rowSize(input.count)!)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBytes { out in
                if let importance {
                    importance.withUnsafeBufferPointer { codec.quantize(x.baseAddress!, count: x.count, into: out.baseAddress!, importance: $0.baseAddress!) }
                } else {
                    codec.quantize(x.baseAddress!, count: x.count, into: out.baseAddress!, importance: nil)
                }
            }
        }
        return output
    }

    private func roundTrip(_ codec: any BlockCodec, _ input: [Float], importance: [Float]?) -> [Float] {
        let blocks = encode(codec, input, importance: importance)
        var decoded = [Float](repeating: 0, count: input.count)
        blocks.withUnsafeBytes { raw in
            decoded.withUnsafeMutableBufferPointer { codec.dequantize(raw.baseAddress!, count: input.count, into: $0.baseAddress!) }
        }
        return decoded
    }
}
