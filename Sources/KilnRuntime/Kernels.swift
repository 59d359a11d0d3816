import CMatrixProducts
import Foundation
import KilnCore

/// The runtime's hot loops: unsafe pointers and explicit SIMD accumulators, because Swift never
/// reassociates a scalar `s += a[i] * b[i]` into vector code. Accumulators use `acc += x * y`, not
/// `addProduct`: without `-march` (debug and test builds) `addProduct` is one `fmaf` call per lane,
/// while multiply-then-add vectorizes on plain SSE2 and costs little against FMA with AVX2.
/// `@_optimize(speed)` keeps these few functions optimized in debug builds too, where unspecialized
/// SIMD generics would otherwise make a test's forward pass a hundred times slower.
enum Kernels {
    /// Σ a[i]·b[i] over `count` floats.
    @inline(__always) @_optimize(speed)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        var i = 0
        while i &+ 32 <= count {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: 4 &* (i &+ 8), as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 &* (i &+ 8), as: SIMD8<Float>.self)
            acc2 += ra.loadUnaligned(fromByteOffset: 4 &* (i &+ 16), as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 &* (i &+ 16), as: SIMD8<Float>.self)
            acc3 += ra.loadUnaligned(fromByteOffset: 4 &* (i &+ 24), as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 &* (i &+ 24), as: SIMD8<Float>.self)
            i &+= 32
        }
        while i &+ 8 <= count {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
            i &+= 8
        }
        var sum = horizontalSum((acc0 + acc1) + (acc2 + acc3))
        while i < count { sum += a[i] * b[i]; i &+= 1 }
        return sum
    }

    /// The sum of 8 lanes, written out: `SIMD.sum()` is a generic call that debug builds do not specialize.
    @inline(__always) @_optimize(speed)
    static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        withUnsafeBytes(of: v) { raw in
            let f = raw.bindMemory(to: Float.self)
            return ((f[0] + f[4]) + (f[1] + f[5])) + ((f[2] + f[6]) + (f[3] + f[7]))
        }
    }

    /// `horizontalSum` of four vectors: lane k is ((a0+a4)+(a1+a5))+((a2+a6)+(a3+a7)) of the k-th,
    /// by pairwise sums across the vectors instead of 28 scalar additions.
    @inline(__always) @_optimize(speed)
    static func horizontalSums(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>, _ d: SIMD8<Float>) -> SIMD4<Float> {
        // Lanes (0+4, 1+5, 2+6, 3+7) of each, then the sums of adjacent pairs, twice.
        let ab = SIMD8(lowHalf: a.lowHalf + a.highHalf, highHalf: b.lowHalf + b.highHalf)
        let cd = SIMD8(lowHalf: c.lowHalf + c.highHalf, highHalf: d.lowHalf + d.highHalf)
        let pairs = SIMD8(lowHalf: ab.evenHalf + ab.oddHalf, highHalf: cd.evenHalf + cd.oddHalf)
        return pairs.evenHalf + pairs.oddHalf
    }

    /// scores[j] = scale · (query · keys[j]) for `count` keys `stride` floats apart, four keys at a time
    /// so each query load serves four products.
    @_optimize(speed)
    static func attentionScores(_ query: UnsafePointer<Float>, keys: UnsafePointer<Float>, stride: Int, count: Int,
                                dimension: Int, scale: Float, into scores: UnsafeMutablePointer<Float>) {
        let rq = UnsafeRawPointer(query), rk = UnsafeRawPointer(keys)
        let rowBytes = 4 &* stride
        var j = 0
        while j &+ 4 <= count {
            let k0 = rk + j &* rowBytes
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var i = 0
            while i &+ 8 <= dimension {
                let q = rq.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
                a0.addProduct(q, k0.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self))
                a1.addProduct(q, k0.loadUnaligned(fromByteOffset: rowBytes &+ 4 &* i, as: SIMD8<Float>.self))
                a2.addProduct(q, k0.loadUnaligned(fromByteOffset: 2 &* rowBytes &+ 4 &* i, as: SIMD8<Float>.self))
                a3.addProduct(q, k0.loadUnaligned(fromByteOffset: 3 &* rowBytes &+ 4 &* i, as: SIMD8<Float>.self))
                i &+= 8
            }
            if i == dimension {
                // The four horizontal sums at once, in `horizontalSum`'s order.
                let sums = horizontalSums(a0, a1, a2, a3) * scale
                (UnsafeMutableRawPointer(scores) + 4 &* j).storeBytes(of: sums, as: SIMD4<Float>.self)
            } else {
                var s0 = horizontalSum(a0), s1 = horizontalSum(a1), s2 = horizontalSum(a2), s3 = horizontalSum(a3)
                while i < dimension {
                    let q = query[i], k = keys + (j &* stride &+ i)
                    s0 += q * k[0]; s1 += q * k[stride]; s2 += q * k[2 &* stride]; s3 += q * k[3 &* stride]
                    i &+= 1
                }
                scores[j] = s0 * scale; scores[j &+ 1] = s1 * scale; scores[j &+ 2] = s2 * scale; scores[j &+ 3] = s3 * scale
            }
            j &+= 4
        }
        while j < count {
            scores[j] = dot(query, keys + j &* stride, dimension) * scale
            j &+= 1
        }
    }

    /// `attentionScores` for two queries over the same keys, `count0` ≤ `count1` of them: both share
    /// each key load over their common whole groups of four, and each query finishes its own keys with
    /// `attentionScores` from a multiple of four, so every score has the bits the one-query call gives.
    @_optimize(speed)
    static func attentionScores(_ query0: UnsafePointer<Float>, _ query1: UnsafePointer<Float>, keys: UnsafePointer<Float>,
                                stride: Int, counts: (Int, Int), dimension: Int, scale: Float,
                                into scores: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
        let shared = dimension % 8 == 0 ? min(counts.0, counts.1) / 4 * 4 : 0
        let r0 = UnsafeRawPointer(query0), r1 = UnsafeRawPointer(query1), rk = UnsafeRawPointer(keys)
        let rowBytes = 4 &* stride
        var j = 0
        while j < shared {
            let k0 = rk + j &* rowBytes
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>(), b3 = SIMD8<Float>()
            var i = 0
            while i < dimension {
                let q0 = r0.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
                let q1 = r1.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
                let k = k0.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
                let kb = k0.loadUnaligned(fromByteOffset: rowBytes &+ 4 &* i, as: SIMD8<Float>.self)
                let kc = k0.loadUnaligned(fromByteOffset: 2 &* rowBytes &+ 4 &* i, as: SIMD8<Float>.self)
                let kd = k0.loadUnaligned(fromByteOffset: 3 &* rowBytes &+ 4 &* i, as: SIMD8<Float>.self)
                a0.addProduct(q0, k); a1.addProduct(q0, kb); a2.addProduct(q0, kc); a3.addProduct(q0, kd)
                b0.addProduct(q1, k); b1.addProduct(q1, kb); b2.addProduct(q1, kc); b3.addProduct(q1, kd)
                i &+= 8
            }
            (UnsafeMutableRawPointer(scores.0) + 4 &* j).storeBytes(of: horizontalSums(a0, a1, a2, a3) * scale, as: SIMD4<Float>.self)
            (UnsafeMutableRawPointer(scores.1) + 4 &* j).storeBytes(of: horizontalSums(b0, b1, b2, b3) * scale, as: SIMD4<Float>.self)
            j &+= 4
        }
        attentionScores(query0, keys: keys + shared &* stride, stride: stride, count: counts.0 &- shared, dimension: dimension,
                        scale: scale, into: scores.0 + shared)
        attentionScores(query1, keys: keys + shared &* stride, stride: stride, count: counts.1 &- shared, dimension: dimension,
                        scale: scale, into: scores.1 + shared)
    }

    /// out = Σ_j weights[j] · values[j] over `count` value rows `stride` floats apart, 32 dimensions at
    /// a time held in registers across all rows.
    @_optimize(speed)
    static func weightedSum(_ weights: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int, count: Int,
                            dimension: Int, into out: UnsafeMutablePointer<Float>) {
        let rv = UnsafeRawPointer(values), ro = UnsafeMutableRawPointer(out)
        let rowBytes = 4 &* stride
        var i = 0
        while i &+ 32 <= dimension {
            var o0 = SIMD8<Float>(), o1 = SIMD8<Float>(), o2 = SIMD8<Float>(), o3 = SIMD8<Float>()
            for j in 0..<count {
                let w = SIMD8<Float>(repeating: weights[j]), row = rv + (j &* rowBytes &+ 4 &* i)
                o0.addProduct(w, row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self))
                o1.addProduct(w, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                o2.addProduct(w, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                o3.addProduct(w, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            }
            ro.storeBytes(of: o0, toByteOffset: 4 &* i, as: SIMD8<Float>.self)
            ro.storeBytes(of: o1, toByteOffset: 4 &* i &+ 32, as: SIMD8<Float>.self)
            ro.storeBytes(of: o2, toByteOffset: 4 &* i &+ 64, as: SIMD8<Float>.self)
            ro.storeBytes(of: o3, toByteOffset: 4 &* i &+ 96, as: SIMD8<Float>.self)
            i &+= 32
        }
        while i < dimension {
            var sum: Float = 0
            for j in 0..<count { sum += weights[j] * values[j &* stride &+ i] }
            out[i] = sum
            i &+= 1
        }
    }

    /// `weightedSum` for two weight rows over the same values, `counts.0` ≤ `counts.1` of them: each
    /// value load serves both, and each output still adds its rows in order, so its bits are the
    /// one-row call's.
    @_optimize(speed)
    static func weightedSum(_ weights0: UnsafePointer<Float>, _ weights1: UnsafePointer<Float>, values: UnsafePointer<Float>,
                            stride: Int, counts: (Int, Int), dimension: Int,
                            into out: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
        precondition(counts.0 <= counts.1)
        let rv = UnsafeRawPointer(values), ra = UnsafeMutableRawPointer(out.0), rb = UnsafeMutableRawPointer(out.1)
        let rowBytes = 4 &* stride
        var i = 0
        while i &+ 32 <= dimension {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>(), b3 = SIMD8<Float>()
            for j in 0..<counts.0 {
                let w0 = SIMD8<Float>(repeating: weights0[j]), w1 = SIMD8<Float>(repeating: weights1[j])
                let row = rv + (j &* rowBytes &+ 4 &* i)
                let v0 = row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self), v1 = row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                let v2 = row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), v3 = row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                a0.addProduct(w0, v0); a1.addProduct(w0, v1); a2.addProduct(w0, v2); a3.addProduct(w0, v3)
                b0.addProduct(w1, v0); b1.addProduct(w1, v1); b2.addProduct(w1, v2); b3.addProduct(w1, v3)
            }
            for j in counts.0..<counts.1 {
                let w1 = SIMD8<Float>(repeating: weights1[j]), row = rv + (j &* rowBytes &+ 4 &* i)
                b0.addProduct(w1, row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self))
                b1.addProduct(w1, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                b2.addProduct(w1, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                b3.addProduct(w1, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            }
            ra.storeBytes(of: a0, toByteOffset: 4 &* i, as: SIMD8<Float>.self); rb.storeBytes(of: b0, toByteOffset: 4 &* i, as: SIMD8<Float>.self)
            ra.storeBytes(of: a1, toByteOffset: 4 &* i &+ 32, as: SIMD8<Float>.self); rb.storeBytes(of: b1, toByteOffset: 4 &* i &+ 32, as: SIMD8<Float>.self)
            ra.storeBytes(of: a2, toByteOffset: 4 &* i &+ 64, as: SIMD8<Float>.self); rb.storeBytes(of: b2, toByteOffset: 4 &* i &+ 64, as: SIMD8<Float>.self)
            ra.storeBytes(of: a3, toByteOffset: 4 &* i &+ 96, as: SIMD8<Float>.self); rb.storeBytes(of: b3, toByteOffset: 4 &* i &+ 96, as: SIMD8<Float>.self)
            i &+= 32
        }
        guard i < dimension else { return }
        let rest = dimension &- i
        weightedSum(weights0, values: values + i, stride: stride, count: counts.0, dimension: rest, into: out.0 + i)
        weightedSum(weights1, values: values + i, stride: stride, count: counts.1, dimension: rest, into: out.1 + i)
    }

    /// out[t][r] = W[r] · x[t] for `tokens` activation rows, in parallel over output rows.
    ///
    /// F16, Q8_0, Q5_0 and K-quant rows go to `CMatrixProducts` (the blocks with integer blocks of the
    /// activations). For other types, a few tokens (generation) multiply each stored row in place
    /// (`WeightMatrix.dot`); a batch decodes panels of rows once and multiplies them with every token
    /// in 4-row × 3-token tiles.
    ///
    /// - Parameter groupedTokens: how many of the tokens, from the first, llama.cpp's repacked Q4_K gemm
    ///   multiplies (default: those of a product of these tokens alone; see `BatchPlacement`).
    @_optimize(speed)
    static func matmul(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, groupedTokens: Int? = nil,
                       into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns
        let grouped = groupedTokens ?? Int(kiln_grouped_tokens(Int32(tokens)))
        if case let .kernel(type) = w.format, type != KILN_ROWS_F16 {
            quantizedProduct(w, type, x, tokens: tokens, grouped: grouped, into: out, threads: threads)
            return
        }
        var rounded: UnsafeMutablePointer<Float>?
        var sumCorrections: UnsafeMutablePointer<Float>?
        if w.activationRounding != .none {
            let copy = UnsafeMutablePointer<Float>.allocate(capacity: tokens * columns)
            copy.update(from: x, count: tokens * columns)
            if w.activationRounding == .q8_1 { sumCorrections = .allocate(capacity: tokens * columns / 32) }
            nonisolated(unsafe) let rows = copy, corrections = sumCorrections
            parallelChunks(tokens, threads: threads) { range in
                for t in range {
                    if let corrections {
                        ActivationRounding.q8_1BlockSumCorrections(rows + t * columns, count: columns, into: corrections + t * columns / 32)
                    }
                    w.activationRounding.apply(rows + t * columns, count: columns)
                }
            }
            rounded = copy
        }
        defer { rounded?.deallocate(); sumCorrections?.deallocate() }
        let x = UnsafePointer(rounded) ?? x
        if case let .kernel(type) = w.format {
            kernelProduct(w, type, UnsafeRawPointer(x), rowBytes: 4 * columns, blocks: columns, tokens: tokens, grouped: grouped,
                          into: out, threads: threads)
        } else if tokens < batchThreshold {
            rowDots(w, x, tokens: tokens, into: out, threads: threads)
        } else {
            tiledProduct(w, x, tokens: tokens, into: out, threads: threads)
        }
        if let sumCorrections { addMinimumTimesBlockSums(w, sumCorrections, tokens: tokens, into: out, threads: threads) }
    }

    /// Token counts from which decoding rows once and tiling beats multiplying rows in place.
    static let batchThreshold = 4

    /// The instruction set of `CMatrixProducts`' kernels: the best this CPU has.
    static let isa = kiln_best_isa()

    /// Block rows of `w` times the activations as `w.activationRounding`'s integer blocks, as llama.cpp's
    /// `vec_dot` kernels multiply them.
    private static func quantizedProduct(_ w: WeightMatrix, _ type: kiln_row_type, _ x: UnsafePointer<Float>, tokens: Int, grouped: Int,
                                         into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns, rounding = w.activationRounding
        let rowBytes = rounding.blockBytes(columns)
        let blocks = UnsafeMutableRawPointer.allocate(byteCount: max(tokens * rowBytes, 1), alignment: 64)
        defer { blocks.deallocate() }
        nonisolated(unsafe) let x = x, activations = blocks
        parallelChunks(tokens, threads: threads) { range in
            for t in range { rounding.quantize(x + t * columns, count: columns, into: activations + t * rowBytes) }
        }
        kernelProduct(w, type, UnsafeRawPointer(blocks), rowBytes: rowBytes, blocks: rounding == .q8_0 ? columns / 32 : columns / 256,
                      tokens: tokens, grouped: grouped, into: out, threads: threads)
    }

    /// `kiln_quantized_product` in parallel over groups of 4 rows (the kernels' tile height; 8 for repacked
    /// Q4_K, whose prompt panels take 8 rows).
    private static func kernelProduct(_ w: WeightMatrix, _ type: kiln_row_type, _ activations: UnsafeRawPointer, rowBytes: Int, blocks: Int,
                                      tokens: Int, grouped: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let rows = w.rows, height = type == KILN_ROWS_Q4_K_REPACKED ? 8 : 4
        nonisolated(unsafe) let out = out
        parallelChunks((rows + height - 1) / height, threads: threads, minimumChunk: 16 / height) { groups in
            let first = groups.lowerBound * height, count = min(rows, groups.upperBound * height) - first
            kiln_quantized_product(isa, type, w.base + first * w.rowBytes, w.rowBytes, Int32(count),
                                   activations, rowBytes, Int32(tokens), Int32(grouped), Int32(blocks), out + first, rows)
        }
    }

    @_optimize(speed)
    private static func rowDots(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns, rows = w.rows
        nonisolated(unsafe) let x = x, out = out
        parallelChunks(rows, threads: threads, minimumChunk: 16) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: columns) { scratch in
                for r in range {
                    for t in 0..<tokens { out[t &* rows &+ r] = w.dot(row: r, x + t &* columns, scratch: scratch.baseAddress!) }
                }
            }
        }
    }

    @_optimize(speed)
    private static func tiledProduct(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns, rows = w.rows
        // About 256 KiB of decoded rows per panel: stays in L2 while every token passes over it.
        let panelRows = max(4, (65536 / max(columns, 1)) & ~3)
        nonisolated(unsafe) let x = x, out = out
        parallelChunks((rows + 3) / 4, threads: threads, minimumChunk: 4) { quads in
            let rowRange = (quads.lowerBound * 4)..<min(rows, quads.upperBound * 4)
            let panel = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * columns)
            defer { panel.deallocate() }
            for first in stride(from: rowRange.lowerBound, to: rowRange.upperBound, by: panelRows) {
                let count = min(panelRows, rowRange.upperBound - first)
                for r in 0..<count { w.decodeRow(first &+ r, into: panel + r &* columns) }
                var t = 0
                while t &+ 3 <= tokens {
                    var r = 0
                    while r &+ 4 <= count {
                        tile4x3(panel + r &* columns, x + t &* columns, columns, into: out + (t &* rows &+ first &+ r), stride: rows)
                        r &+= 4
                    }
                    for rest in r..<count {
                        for k in 0..<3 { out[(t &+ k) &* rows &+ first &+ rest] = dot(panel + rest &* columns, x + (t &+ k) &* columns, columns) }
                    }
                    t &+= 3
                }
                for rest in t..<tokens {
                    for r in 0..<count { out[rest &* rows &+ first &+ r] = dot(panel + r &* columns, x + rest &* columns, columns) }
                }
            }
        }
    }

    /// Four weight rows times three activation rows: twelve accumulators, seven loads per twelve FMAs.
    @inline(__always) @_optimize(speed)
    static func tile4x3(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ columns: Int, into out: UnsafeMutablePointer<Float>, stride: Int) {
        let rw = UnsafeRawPointer(w), rx = UnsafeRawPointer(x)
        let rowBytes = 4 &* columns
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c02 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>(), c12 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c22 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>(), c32 = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= columns {
            let offset = 4 &* i
            let x0 = rx.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let x1 = rx.loadUnaligned(fromByteOffset: offset &+ rowBytes, as: SIMD8<Float>.self)
            let x2 = rx.loadUnaligned(fromByteOffset: offset &+ 2 &* rowBytes, as: SIMD8<Float>.self)
            let w0 = rw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            c00.addProduct(w0, x0); c01.addProduct(w0, x1); c02.addProduct(w0, x2)
            let w1 = rw.loadUnaligned(fromByteOffset: offset &+ rowBytes, as: SIMD8<Float>.self)
            c10.addProduct(w1, x0); c11.addProduct(w1, x1); c12.addProduct(w1, x2)
            let w2 = rw.loadUnaligned(fromByteOffset: offset &+ 2 &* rowBytes, as: SIMD8<Float>.self)
            c20.addProduct(w2, x0); c21.addProduct(w2, x1); c22.addProduct(w2, x2)
            let w3 = rw.loadUnaligned(fromByteOffset: offset &+ 3 &* rowBytes, as: SIMD8<Float>.self)
            c30.addProduct(w3, x0); c31.addProduct(w3, x1); c32.addProduct(w3, x2)
            i &+= 8
        }
        @inline(__always) func store(_ r: Int, _ t: Int, _ c: SIMD8<Float>) {
            var s = horizontalSum(c)
            for j in i..<columns { s += w[r &* columns &+ j] * x[t &* columns &+ j] }
            out[t &* stride &+ r] = s
        }
        store(0, 0, c00); store(0, 1, c01); store(0, 2, c02)
        store(1, 0, c10); store(1, 1, c11); store(1, 2, c12)
        store(2, 0, c20); store(2, 1, c21); store(2, 2, c22)
        store(3, 0, c30); store(3, 1, c31); store(3, 2, c32)
    }

    /// out = x / sqrt(mean(x²) + eps) · weight, as ggml's rms_norm then mul (sum of squares in double).
    @_optimize(speed)
    static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, count: Int, eps: Float, into out: UnsafeMutablePointer<Float>) {
        var sum = 0.0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(count))
        let scale = 1 / (mean + eps).squareRoot()
        for i in 0..<count { out[i] = (x[i] * scale) * weight[i] }
    }

    /// Softmax in place over `count` scores, eight lanes at a time. (The maximum is the same whatever
    /// the order it is found in; a NaN score is passed over by both.)
    @_optimize(speed)
    static func softmax(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        let raw = UnsafeMutableRawPointer(x)
        var maxima = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i &+ 8 <= count {
            maxima = pointwiseMax(maxima, raw.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self))
            i &+= 8
        }
        var maximum = maxima.max()
        while i < count { maximum = max(maximum, x[i]); i &+= 1 }
        // Shifted scores below −87 would underflow e^x; e^−87 ≈ 1.6e-38 is as good as 0 beside the 1 of the maximum.
        let floor = SIMD8<Float>(repeating: -87), top = SIMD8<Float>(repeating: maximum)
        var sums = SIMD8<Float>()
        i = 0
        while i &+ 8 <= count {
            let shifted = raw.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self) - top
            let e = exp(shifted.replacing(with: floor, where: shifted .< floor))
            raw.storeBytes(of: e, toByteOffset: 4 &* i, as: SIMD8<Float>.self)
            sums += e
            i &+= 8
        }
        var sum = horizontalSum(sums)
        while i < count { let e = Foundation.exp(max(x[i] - maximum, -87)); x[i] = e; sum += e; i &+= 1 }
        let inverse = 1 / sum, scale = SIMD8<Float>(repeating: inverse)
        i = 0
        while i &+ 8 <= count {
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self) * scale, toByteOffset: 4 &* i, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < count { x[i] *= inverse; i &+= 1 }
    }

    /// e^x for −87 ≤ x ≤ 0, eight lanes: 2^n · e^r with n = round(x / ln 2) (by the 1.5·2^23 rounding
    /// trick), |r| ≤ ln2 / 2 and e^r from its degree-6 Taylor polynomial; relative error below 3e-7.
    @inline(__always) @_optimize(speed)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let t = x * 1.442_695_04 + 12_582_912
        let n = t - 12_582_912
        // ln 2 in two parts so r keeps full precision.
        let r = (x - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // t's low mantissa bits hold n: move n + 127 into the exponent field for 2^n.
        let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000 - 127)) &<< SIMD8<Int32>(repeating: 23)
        return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
    }
}
