import CMatrixProducts
import KilnGGUF
import KilnCore
import KilnQuantization
@testable import KilnRuntime
import KilnTestSupport
import Testing

/// The SIMD versions of `CMatrixProducts` (AVX2, AVX-512 VNNI, as far as this CPU has them) return
/// the portable C version's bits for every row type, tile shape and edge, on quantized real-looking
/// weights and on arbitrary block bytes (any levels, scales and minimums a file may hold); and the
/// portable version equals a double-precision product of the decoded weights and activations.
@Suite struct IntegerKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let type: GGMLType
        let kernel: kiln_row_type
        let rounding: ActivationRounding
        var testDescription: String { kernel == KILN_ROWS_Q4_K_REPACKED ? "Q4_K repacked" : type.name }
    }

    static let cases = [
        Case(type: .q8_0, kernel: KILN_ROWS_Q8_0, rounding: .q8_0),
        Case(type: .q5_0, kernel: KILN_ROWS_Q5_0, rounding: .q8_0),
        Case(type: .q4_K, kernel: KILN_ROWS_Q4_K, rounding: .q8_K),
        Case(type: .q4_K, kernel: KILN_ROWS_Q4_K_REPACKED, rounding: .q8_K),
        Case(type: .q6_K, kernel: KILN_ROWS_Q6_K, rounding: .q8_K),
        Case(type: .f16, kernel: KILN_ROWS_F16, rounding: .f16),
    ]

    /// The instruction sets above portable that this CPU runs.
    static var simdSets: [kiln_isa] {
        [KILN_ISA_AVX2, KILN_ISA_AVX512].filter { $0.rawValue <= kiln_best_isa().rawValue }
    }

    @Test(arguments: cases, [false, true])
    func simdEqualsPortable(_ c: Case, arbitraryBytes: Bool) throws {
        // F16 rows end with 4 values past the last 16-value step. 37 rows and 340 tokens span several
        // prompt panels (16 rows), an odd last row, and token tiles (8) with a ragged end.
        let rows = 37, maxTokens = 340, columns = c.type == .f16 ? 772 : 768
        var generator = SplitMix64(seed: UInt64(c.type.rawValue) &* 977 &+ (arbitraryBytes ? 1 : 0))
        let rowBytes = try #require(c.type.rowSize(columns))
        var weights = [UInt8](repeating: 0, count: rows * rowBytes)
        if arbitraryBytes {
            for i in weights.indices { weights[i] = UInt8(truncatingIfNeeded: generator.next()) }
            // Finite scales only (a NaN's payload may legitimately differ between versions), subnormals included.
            let (blockBytes, halves): (Int, [Int]) = switch c.type {
            case .q8_0: (34, [0])
            case .q5_0: (22, [0])
            case .q4_K: (144, [0, 2])
            case .q6_K: (210, [208])
            default: (2, [0])
            }
            for block in stride(from: 0, to: weights.count, by: blockBytes) {
                for offset in halves {
                    let bits = UInt16(truncatingIfNeeded: generator.next()) & 0xbfff  // exponent below 0x1f
                    weights[block + offset] = UInt8(bits & 0xff)
                    weights[block + offset + 1] = UInt8(bits >> 8)
                }
            }
        } else {
            let codec = try #require(BlockCodecs.codec(for: c.type))
            let values = (0..<rows * columns).map { _ in generator.normal() * 0.05 }
            weights.withUnsafeMutableBytes { out in
                values.withUnsafeBufferPointer { v in
                    for r in 0..<rows { codec.quantize(v.baseAddress! + r * columns, count: columns, into: out.baseAddress! + r * rowBytes, importance: nil) }
                }
            }
        }
        // Activations: normal values, one large outlier per row, and an all-zero row.
        var x = (0..<maxTokens * columns).map { _ in generator.normal() }
        for t in 0..<maxTokens { x[t * columns + Int(generator.next() % UInt64(columns))] = 300 }
        for i in 0..<columns { x[2 * columns + i] = 0 }
        let floats = c.rounding == .f16
        let (activations, activationBytes) = c.rounding.kernelRows(x, tokens: maxTokens, columns: columns)
        let blockCount = switch c.type { case .q8_0, .q5_0: columns / 32; case .f16: columns; default: columns / 256 }
        let blocks = Int32(blockCount)

        func product(_ isa: kiln_isa, rows: Int, tokens: Int, grouped: Int? = nil) -> [Float] {
            var out = [Float](repeating: .nan, count: rows * tokens)
            let status = kiln_quantized_product(isa, c.kernel, weights, rowBytes, Int32(rows), activations, activationBytes,
                                                Int32(tokens), Int32(grouped ?? Int(kiln_grouped_tokens(Int32(tokens)))), blocks, &out, rows)
            #expect(status == 0)
            return out
        }
        // The portable kernel against Σ w·x in double over the decoded blocks.
        let codec = try #require(BlockCodecs.codec(for: c.type))
        let portable = product(KILN_ISA_PORTABLE, rows: rows, tokens: maxTokens)
        var decodedRow = [Float](repeating: 0, count: columns), decodedX = [Float](repeating: 0, count: columns)
        for t in 0..<maxTokens {
            activations.withUnsafeBytes { a in
                let block = a.baseAddress! + t * activationBytes
                if floats {
                    for j in 0..<columns { decodedX[j] = block.loadUnaligned(fromByteOffset: 4 * j, as: Float.self) }
                } else if c.rounding == .q8_0 {
                    decodedX.withUnsafeMutableBufferPointer { BlockCodecs.codec(for: .q8_0)!.dequantize(block, count: columns, into: $0.baseAddress!) }
                } else {
                    for j in 0..<columns {
                        let b = block + (j / 256) * ActivationRounding.q8KBytes
                        decodedX[j] = b.loadUnaligned(as: Float.self) * Float(b.load(fromByteOffset: 4 + j % 256, as: Int8.self))
                    }
                }
            }
            for r in 0..<rows {
                weights.withUnsafeBytes { w in
                    decodedRow.withUnsafeMutableBufferPointer { codec.dequantize(w.baseAddress! + r * rowBytes, count: columns, into: $0.baseAddress!) }
                }
                var sum = 0.0, magnitude = 0.0
                for j in 0..<columns {
                    sum += Double(decodedRow[j]) * Double(decodedX[j])
                    magnitude += abs(Double(decodedRow[j]) * Double(decodedX[j]))
                }
                let got = Double(portable[t * rows + r])
                #expect(abs(got - sum) <= 1e-5 * magnitude + 1e-30, "\(c.type.name) row \(r) token \(t): \(got) vs \(sum)")
            }
        }
        for isa in Self.simdSets {
            for (rowCount, tokens) in [(rows, 1), (rows, 2), (rows, 3), (rows, 4), (rows, 5), (13, 9), (rows, maxTokens), (1, 7), (5, 8)] {
                let expected = product(KILN_ISA_PORTABLE, rows: rowCount, tokens: tokens)
                let got = product(isa, rows: rowCount, tokens: tokens)
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(c.type.name) isa \(isa.rawValue) \(rowCount)×\(tokens)")
                #expect(expected.allSatisfy { $0.isFinite })
            }
            // Repacked Q4_K rows whose tokens share llama.cpp's gemm with other sequences' (any split).
            guard c.kernel == KILN_ROWS_Q4_K_REPACKED else { continue }
            for (rowCount, tokens, grouped) in [(rows, 7, 0), (rows, 9, 5), (rows, 3, 2), (13, 2, 1), (rows, maxTokens, 170)] {
                let expected = product(KILN_ISA_PORTABLE, rows: rowCount, tokens: tokens, grouped: grouped)
                let got = product(isa, rows: rowCount, tokens: tokens, grouped: grouped)
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "isa \(isa.rawValue) \(rowCount)×\(tokens), \(grouped) grouped")
            }
        }
    }

    /// The SIMD activation quantizers write the portable version's bytes, on values of every scale,
    /// ties of magnitude (the first largest value sets Q8_K's sign), halves (rounding ties) and zero blocks.
    @Test(arguments: [KILN_ACTIVATIONS_Q8_0, KILN_ACTIVATIONS_Q8_K])
    func activationQuantizersEqualPortable(_ type: kiln_activation_type) {
        let count = 256 * 40
        var generator = SplitMix64(seed: UInt64(type.rawValue) &+ 4242)
        var x = (0..<count).map { i in generator.normal() * Float([1e-3, 1, 1e3][i / 256 % 3]) }
        for i in stride(from: 7, to: count, by: 7) { x[i] = generator.next() % 2 == 0 ? x[i - 1] : -x[i - 1] }
        for i in 256 * 3..<256 * 4 { x[i] = Float(Int(generator.next() % 255) - 127) / 2 }
        for i in 256 * 5..<256 * 6 { x[i] = 0 }
        let bytes = type == KILN_ACTIVATIONS_Q8_0 ? count / 32 * 34 : count / 256 * 292
        func blocks(_ isa: kiln_isa) -> [UInt8] {
            var out = [UInt8](repeating: 0xaa, count: bytes)
            #expect(kiln_quantize_activations(isa, type, x, Int32(count), &out) == 0)
            return out
        }
        let portable = blocks(KILN_ISA_PORTABLE)
        for isa in Self.simdSets { #expect(blocks(isa) == portable, "isa \(isa.rawValue)") }
    }
}
