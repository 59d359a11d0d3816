import KilnGGUF
import KilnQuantization
import Testing

/// Kiln's codecs against llama.cpp's own quantizer, byte for byte.
@Suite struct QuantGoldenTests {
    @Test func manifestCoversEveryCodec() {
        let recorded = Set(QuantGoldens.results.map(\.type))
        #expect(recorded.count == 23)
        for type in recorded { #expect(BlockCodecs.codec(for: type) != nil, "\(type)") }
    }

    /// IQ2_XXS, IQ2_XS and IQ1_S need an importance matrix in llama.cpp; their codecs say so, so the
    /// planner refuses them without one.
    @Test func requiresImportanceWhereLlamaCppDoes() {
        #expect(QuantGoldens.typesRequiringImportance == [.iq2_xxs, .iq2_xs, .iq1_s])
        for codec in BlockCodecs.all {
            #expect(codec.requiresImportance == QuantGoldens.typesRequiringImportance.contains(codec.type), "\(codec.type)")
        }
    }

    @Test(arguments: QuantGoldens.results)
    func quantizesExactlyAsLlamaCpp(_ golden: QuantGoldens.Result) throws {
        let codec = try #require(BlockCodecs.codec(for: golden.type))
        let input = try QuantGoldens.floats(golden.input)
        let importance = try golden.imatrix.map(QuantGoldens.floats)
        let expected = try QuantGoldens.bytes(golden.output)
        let rowBytes = try #require(golden.type.rowSize(golden.rowLength))
        var output = [UInt8](repeating: 0xAA, count: rowBytes * golden.rows)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBytes { out in
                for r in 0..<golden.rows {
                    let quantize = { (w: UnsafePointer<Float>?) in
                        codec.quantize(x.baseAddress! + r * golden.rowLength, count: golden.rowLength,
                                       into: out.baseAddress! + r * rowBytes, importance: w)
                    }
                    if let importance { importance.withUnsafeBufferPointer { quantize($0.baseAddress!) } } else { quantize(nil) }
                }
            }
        }
        #expect(output.count == expected.count)
        let differing = zip(output, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing.isEmpty, "\(differing.count) bytes differ, first at \(differing.first ?? -1) (block \((differing.first ?? 0) / golden.type.typeSize))")
    }

    @Test(arguments: QuantGoldens.results.filter { $0.dequant != nil })
    func dequantizesExactlyAsLlamaCpp(_ golden: QuantGoldens.Result) throws {
        let codec = try #require(BlockCodecs.codec(for: golden.type))
        let blocks = try QuantGoldens.bytes(golden.output)
        let expected = try QuantGoldens.floats(try #require(golden.dequant))
        var output = [Float](repeating: .nan, count: golden.rows * golden.rowLength)
        blocks.withUnsafeBytes { raw in
            output.withUnsafeMutableBufferPointer { y in
                codec.dequantize(raw.baseAddress!, count: golden.rows * golden.rowLength, into: y.baseAddress!)
            }
        }
        let differing = zip(output, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }.map(\.offset)
        #expect(differing.isEmpty, "\(differing.count) values differ, first at \(differing.first ?? -1)")
    }
}
