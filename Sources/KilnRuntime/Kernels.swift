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

    /// y[i] += s·x[i].
    @inline(__always) @_optimize(speed)
    static func axpy(_ s: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let sv = SIMD8<Float>(repeating: s)
        var i = 0
        while i &+ 8 <= count {
            var v = ry.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
            v += sv * rx.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: 4 &* i, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < count { y[i] += s * x[i]; i &+= 1 }
    }

    /// out[t][r] = W[r] · x[t] for `tokens` activation rows, in parallel over output rows.
    ///
    /// A few tokens (generation) multiply each stored row in place (`WeightMatrix.dot`); a batch
    /// decodes panels of rows once and multiplies them with every token in 4-row × 3-token tiles.
    @_optimize(speed)
    static func matmul(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns
        var rounded: UnsafeMutablePointer<Float>?
        if w.activationRounding != .none {
            let copy = UnsafeMutablePointer<Float>.allocate(capacity: tokens * columns)
            copy.update(from: x, count: tokens * columns)
            for t in 0..<tokens { w.activationRounding.apply(copy + t * columns, count: columns) }
            rounded = copy
        }
        defer { rounded?.deallocate() }
        let x = UnsafePointer(rounded) ?? x
        if tokens < batchThreshold {
            rowDots(w, x, tokens: tokens, into: out, threads: threads)
        } else {
            tiledProduct(w, x, tokens: tokens, into: out, threads: threads)
        }
    }

    /// Token counts from which decoding rows once and tiling beats multiplying rows in place.
    static let batchThreshold = 4

    @_optimize(speed)
    private static func rowDots(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns, rows = w.rows
        var sums: UnsafeMutablePointer<Float>?
        if w.needsGroupSums {
            let groups = columns / 32
            sums = .allocate(capacity: tokens * groups)
            for t in 0..<tokens { RowDot.groupSums(x + t * columns, count: columns, into: sums! + t * groups) }
        }
        defer { sums?.deallocate() }
        nonisolated(unsafe) let x = x, out = out, groupSums = UnsafePointer(sums)
        parallelChunks(rows, threads: threads, minimumChunk: 16) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: columns) { scratch in
                for r in range {
                    for t in 0..<tokens {
                        out[t &* rows &+ r] = w.dot(row: r, x + t &* columns, groupSums: groupSums.map { $0 + t &* (columns / 32) },
                                                    scratch: scratch.baseAddress!)
                    }
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

    /// Softmax in place over `count` scores.
    @_optimize(speed)
    static func softmax(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, x[i]) }
        var sum: Float = 0
        for i in 0..<count { let e = exp(x[i] - maximum); x[i] = e; sum += e }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }
}
