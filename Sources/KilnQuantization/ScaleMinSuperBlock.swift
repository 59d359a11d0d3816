/// The part Q4_K and Q5_K share: a 256-value super-block of eight 32-value groups, each with its own
/// scale and offset, both stored as 6-bit codes of two fp16 super-block factors.
///
/// Header layout (bytes 0…15 of both block types): `d`, `dmin` (fp16), then 12 bytes of packed codes.
public enum ScaleMinSuperBlock {
    struct Configuration {
        /// Largest level (15 for Q4_K, 31 for Q5_K).
        let nmax: Int32
        /// `make_qkx2_quants` settings of the reference path.
        let reference: AsymmetricSearch.Parameters
        /// Q5_K's `_impl` clamps the scale codes to 63 after `make_qp_quants`; Q4_K's does not.
        let clampsImportanceCodes: Bool
    }

    static let headerSize = 16

    /// Fills `header` and leaves the final levels (0…nmax, element order) in `levels`.
    static func quantize(_ x: UnsafePointer<Float>, importance: UnsafePointer<Float>?, _ c: Configuration,
                         header: UnsafeMutablePointer<UInt8>, levels: UnsafeMutablePointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 256 + 24) { floats in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes in
                let weights = floats.baseAddress!, scales = weights + 256, mins = scales + 8, groupWeights = scales + 16
                let scaleCodes = bytes.baseAddress!, minCodes = scaleCodes + 8
                if let importance {
                    let sigma2 = 2 * QuantMath.sumOfSquares(x, count: 256) / 256
                    QuantMath.importanceWeights(importance, x, count: 256, sigma2: sigma2, into: weights)
                    for j in 0..<8 {
                        var sum: Float = 0
                        for l in 0..<32 { sum += weights[32 * j + l] }
                        groupWeights[j] = sum
                    }
                    AsymmetricSearch.scaleAndOffset(x, weights: weights, count: 32, groups: 8, nmax: c.nmax, .importance,
                                                    levels: levels, scales: scales, offsets: mins)
                    let d = ScaleSearch.positiveScale(count: 8, nmax: 63, scales, levels: scaleCodes, weights: groupWeights)
                    let dmin = ScaleSearch.positiveScale(count: 8, nmax: 63, mins, levels: minCodes, weights: groupWeights)
                    if c.clampsImportanceCodes {
                        for j in 0..<8 {
                            scaleCodes[j] = min(63, scaleCodes[j])
                            minCodes[j] = min(63, minCodes[j])
                        }
                    }
                    header.store16(QuantMath.half(d), at: 0)
                    header.store16(QuantMath.half(dmin), at: 2)
                } else {
                    for j in 0..<8 {
                        let xs = x + 32 * j
                        let average = (QuantMath.sumOfSquares(xs, count: 32) / 32).squareRoot()
                        for l in 0..<32 { weights[32 * j + l] = average + abs(xs[l]) }
                    }
                    AsymmetricSearch.scaleAndOffset(x, weights: weights, count: 32, groups: 8, nmax: c.nmax, c.reference,
                                                    levels: levels, scales: scales, offsets: mins)
                    var maxScale: Float = 0, maxMin: Float = 0
                    for j in 0..<8 {
                        if scales[j] > maxScale { maxScale = scales[j] }
                        if mins[j] > maxMin { maxMin = mins[j] }
                    }
                    let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
                    let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
                    for j in 0..<8 {
                        scaleCodes[j] = min(63, UInt8(truncatingIfNeeded: QuantMath.nearestInt(inverseScale * scales[j])))
                        minCodes[j] = min(63, UInt8(truncatingIfNeeded: QuantMath.nearestInt(inverseMin * mins[j])))
                    }
                    header.store16(QuantMath.half(maxScale / 63), at: 0)
                    header.store16(QuantMath.half(maxMin / 63), at: 2)
                }
                pack(scales: scaleCodes, mins: minCodes, into: header + 4)
            }
        }
        requantize(x, header: UnsafePointer(header), nmax: c.nmax, levels: levels)
    }

    /// The header's parameters for ``ExhaustiveRounding``.
    /// Quantizes a row of whole super-blocks of `blockBytes` each: header by `quantize`, levels by `pack`.
    static func quantizeRow(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                            importance: UnsafePointer<Float>?, _ c: Configuration, blockBytes: Int,
                            pack: (UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Void) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
            let levels = buffer.baseAddress!
            for b in 0..<count / 256 {
                let block = blocks + blockBytes * b
                quantize(row + 256 * b, importance: importance.map { $0 + 256 * b }, c, header: block, levels: levels)
                pack(levels, block)
            }
        }
    }

    /// Stores `p` and the levels nearest to `x` under it in one block, levels by `pack`.
    static func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, nmax: Int32, into block: UnsafeMutablePointer<UInt8>,
                      pack: (UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { levels in
            write(p, nearest: x, nmax: nmax, header: block, levels: levels.baseAddress!)
            pack(levels.baseAddress!, block)
        }
    }

    static func parameters(of header: UnsafePointer<UInt8>) -> SuperBlockParameters {
        var p = SuperBlockParameters(d: header.loadHalf(at: 0), dmin: header.loadHalf(at: 2))
        for j in 0..<8 {
            let (scale, min) = unpack(j, header + 4)
            (p.scales[j], p.mins[j]) = (Int32(scale), Int32(min))
        }
        return p
    }

    /// Stores `p` in the header and leaves the levels nearest to `x` under it in `levels`.
    static func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, nmax: Int32, header: UnsafeMutablePointer<UInt8>,
                      levels: UnsafeMutablePointer<UInt8>) {
        header.store16(QuantMath.half(p.d), at: 0)
        header.store16(QuantMath.half(p.dmin), at: 2)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { codes in
            for j in 0..<8 {
                codes[j] = UInt8(truncatingIfNeeded: p.scales[j])
                codes[8 + j] = UInt8(truncatingIfNeeded: p.mins[j])
            }
            pack(scales: codes.baseAddress!, mins: codes.baseAddress! + 8, into: header + 4)
        }
        levels.update(repeating: 0, count: 256)
        requantize(x, header: UnsafePointer(header), nmax: nmax, levels: levels)
    }

    /// Recomputes the levels against the scales as stored (fp16 factors times 6-bit codes), as ggml does;
    /// a group whose stored scale is zero keeps the levels from its search.
    private static func requantize(_ x: UnsafePointer<Float>, header: UnsafePointer<UInt8>, nmax: Int32,
                                   levels: UnsafeMutablePointer<UInt8>) {
        let d = header.loadHalf(at: 0), dmin = header.loadHalf(at: 2)
        for j in 0..<8 {
            let (sc, m) = unpack(j, header + 4)
            let scale = d * Float(sc)
            if scale == 0 { continue }
            let offset = dmin * Float(m)
            for i in 0..<32 {
                let l = QuantMath.nearestInt((x[32 * j + i] + offset) / scale)
                levels[32 * j + i] = UInt8(truncatingIfNeeded: QuantMath.clamp(l, 0, nmax))
            }
        }
    }

    /// The 12-byte packing: groups 0–3 in the low 6 bits of bytes 0–7, groups 4–7 split into nibbles
    /// in bytes 8–11 and the top bits of bytes 0–7.
    static func pack(scales: UnsafePointer<UInt8>, mins: UnsafePointer<UInt8>, into q: UnsafeMutablePointer<UInt8>) {
        for j in 0..<4 {
            q[j] = scales[j]
            q[j + 4] = mins[j]
        }
        for j in 4..<8 {
            q[j + 4] = (scales[j] & 0xf) | ((mins[j] & 0xf) << 4)
            q[j - 4] |= (scales[j] >> 4) << 6
            q[j] |= (mins[j] >> 4) << 6
        }
    }

    /// ggml's `get_scale_min_k4`.
    @inline(__always)
    static func unpack(_ j: Int, _ q: UnsafePointer<UInt8>) -> (scale: UInt8, min: UInt8) {
        if j < 4 { return (q[j] & 63, q[j + 4] & 63) }
        return ((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4))
    }

    /// All eight 6-bit scales and mins of a header's 12 code bytes at once, as bytes of two words
    /// (lane j = group j), with 32-bit operations as ggml's K-quant dot products unpack them.
    @inlinable @inline(__always)
    public static func unpackAll(_ q: UnsafeRawPointer) -> (scales: UInt64, mins: UInt64) {
        let w0 = q.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        let w1 = q.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let w2 = q.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let six: UInt32 = 0x3f3f_3f3f, four: UInt32 = 0x0f0f_0f0f, two: UInt32 = 0x0303_0303
        let scalesHigh = (w2 & four) | (((w0 >> 6) & two) << 4)
        let minsHigh = ((w2 >> 4) & four) | (((w1 >> 6) & two) << 4)
        return (UInt64(w0 & six) | UInt64(scalesHigh) << 32, UInt64(w1 & six) | UInt64(minsHigh) << 32)
    }
}
