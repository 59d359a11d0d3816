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

    /// out[t][r] = W[r] · x[t] for `tokens` activation rows: each weight row is decoded once into a
    /// scratch row and reused for every token, in parallel over output rows.
    @_optimize(speed)
    static func matmul(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let columns = w.columns, rows = w.rows
        var rounded: UnsafeMutablePointer<Float>?
        if w.activationRounding != .none {
            let copy = UnsafeMutablePointer<Float>.allocate(capacity: tokens * columns)
            copy.update(from: x, count: tokens * columns)
            for t in 0..<tokens { w.activationRounding.apply(copy + t * columns, count: columns) }
            rounded = copy
        }
        defer { rounded?.deallocate() }
        nonisolated(unsafe) let x = UnsafePointer(rounded) ?? x, out = out
        parallelChunks(rows, threads: threads, minimumChunk: 16) { range in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: columns)
            defer { scratch.deallocate() }
            for r in range {
                w.decodeRow(r, into: scratch)
                for t in 0..<tokens {
                    out[t &* rows &+ r] = dot(scratch, x + t &* columns, columns)
                }
            }
        }
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
