import KilnCore
import Testing

@Suite struct FloatingPointFormatsTests {
    @Test(arguments: [
        (Float(1.0), UInt16(0x3f80)),
        (Float(bitPattern: 0x3f80_8000), UInt16(0x3f80)),  // tie, even stays
        (Float(bitPattern: 0x3f81_8000), UInt16(0x3f82)),  // tie, odd rounds up
        (Float(bitPattern: 0x3f80_8001), UInt16(0x3f81)),
        (Float(-0.0), UInt16(0x8000)),
        (Float.infinity, UInt16(0x7f80)),
        (Float(bitPattern: 0x7f80_0001), UInt16(0x7fc0)),  // signalling NaN comes out quiet, as ggml does
    ])
    func bfloatRoundsLikeGGML(_ value: Float, _ expected: UInt16) {
        #expect(FloatingPointFormats.bfloat(from: value) == expected)
    }

    @Test func halfRoundsToNearestEvenAndKeepsNegativeZero() {
        #expect(FloatingPointFormats.half(from: -0.0) == 0x8000)
        #expect(FloatingPointFormats.half(from: 65504) == 0x7bff)
        #expect(FloatingPointFormats.half(from: 65520) == 0x7c00)  // overflow to infinity
        #expect(FloatingPointFormats.half(from: 1 + 0x1p-11) == 0x3c00)  // tie to even
        #expect(FloatingPointFormats.float(fromHalf: 0x0001) == 0x1p-24)
    }

    @Test func bfloatIsLosslessToFloatAndBack() {
        for bits in stride(from: UInt16(0), to: 0xffff, by: 7) where (bits & 0x7f80) != 0x7f80 {
            #expect(FloatingPointFormats.bfloat(from: FloatingPointFormats.float(fromBFloat: bits)) == bits)
        }
    }

    @Test(arguments: [(UInt8(0x38), Float(1)), (0x7e, 448), (0xfe, -448), (0x01, 0x1p-9), (0x08, 0x1p-6), (0x80, -0.0)])
    func decodesE4M3(_ byte: UInt8, _ value: Float) {
        #expect(FloatingPointFormats.float(fromE4M3: byte) == value)
    }

    @Test func decodesE4M3NaNAndE5M2() {
        #expect(FloatingPointFormats.float(fromE4M3: 0x7f).isNaN)
        #expect(FloatingPointFormats.float(fromE5M2: 0x3c) == 1)
        #expect(FloatingPointFormats.float(fromE5M2: 0x7b) == 57344)
        #expect(FloatingPointFormats.float(fromE5M2: 0x7c) == .infinity)
    }
}
