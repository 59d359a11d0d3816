import Foundation

extension Kernels {
    /// One query row of llama.cpp's one-row flash-attention kernel
    /// (`ggml_compute_forward_flash_attn_ext_f16_one_chunk`, taken for micro-batches of fewer than 64
    /// query rows): keys visited in order with a running maximum `m` and sum `s`; the F16 value
    /// accumulator is rescaled by e^(m_old − m) when the maximum rises and gains v·e^(score − m) by a
    /// fused multiply-add, each result rounded to F16 as `ggml_vec_scale_f16` and `ggml_vec_mad_f16`
    /// store it. `query` must already be rounded to F16; `scores` holds `count` floats of scratch.
    @_optimize(speed)
    static func onlineSoftmaxAttention(_ query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                                       stride: Int, count: Int, dimension: Int, scale: Float, softcap: Float? = nil,
                                       scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let sum = onlineSoftmaxChunk(query, keys: keys, values: values, stride: stride, range: 0..<count, dimension: dimension,
                                     scale: scale, softcap: softcap, scores: scores, into: out).sum
        let inverse = sum == 0 ? 0 : 1 / sum
        for d in 0..<dimension { out[d] *= inverse }
    }

    /// llama.cpp's split-KV decode (`use_split_kv_path`): a single query row over a cache view of at
    /// least 512 cells is cut into one chunk of ⌈cells / threads⌉ keys per thread; each chunk runs the
    /// one-row kernel from a fresh F16 accumulator, and the chunks' partial results are merged in F32,
    /// in order (`ggml_flash_attn_ext_reduce_partials`). `count` keys are visible (the rest of the view
    /// is masked); `partial` holds `dimension` floats and `scores` `count` floats of scratch.
    @_optimize(speed)
    static func splitKeyValueAttention(_ query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                                       stride: Int, count: Int, cells: Int, chunks: Int, dimension: Int, scale: Float, softcap: Float? = nil,
                                       scores: UnsafeMutablePointer<Float>, partial: UnsafeMutablePointer<Float>,
                                       into out: UnsafeMutablePointer<Float>) {
        let chunkSize = (cells + chunks - 1) / chunks
        out.initialize(repeating: 0, count: dimension)
        var maximum = -Float.infinity, sum: Float = 0
        for lower in Swift.stride(from: 0, to: min(count, cells), by: chunkSize) {
            let chunk = onlineSoftmaxChunk(query, keys: keys, values: values, stride: stride, range: lower..<min(lower + chunkSize, count),
                                           dimension: dimension, scale: scale, softcap: softcap, scores: scores, into: partial)
            if chunk.sum == 0 { continue }
            let merged = max(maximum, chunk.maximum)
            let oldScale = expf(maximum - merged), newScale = expf(chunk.maximum - merged)
            for d in 0..<dimension { out[d] = out[d] * oldScale + partial[d] * newScale }
            sum = sum * oldScale + chunk.sum * newScale
            maximum = merged
        }
        if sum != 0 {
            let inverse = 1 / sum
            for d in 0..<dimension { out[d] *= inverse }
        }
    }

    /// The one-row kernel over keys `range`: `out` gets the unnormalized F16 accumulator; returns the
    /// running maximum and sum.
    @_optimize(speed)
    private static func onlineSoftmaxChunk(_ query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                                           stride: Int, range: Range<Int>, dimension: Int, scale: Float, softcap: Float?,
                                           scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) -> (maximum: Float, sum: Float) {
        attentionScores(query, keys: keys + range.lowerBound &* stride, stride: stride, count: range.count, dimension: dimension,
                        scale: scale, into: scores)
        // ggml folds 1/cap into `scale`, then caps each score by cap · tanh.
        if let softcap { Kernels.softcap(scores, count: range.count, cap: softcap, prescaled: true) }
        out.initialize(repeating: 0, count: dimension)
        var maximum = -Float.infinity, sum: Float = 0
        for j in 0..<range.count {
            let score = scores[j]
            var rescale: Float = 1, weight: Float = 1
            if score > maximum {
                rescale = expf(maximum - score)
                maximum = score
                for d in 0..<dimension { out[d] = Float(Float16(out[d] * rescale)) }
            } else {
                weight = expf(score - maximum)
            }
            let row = values + (range.lowerBound + j) &* stride
            for d in 0..<dimension { out[d] = Float(Float16(out[d].addingProduct(row[d], weight))) }
            sum = weight.addingProduct(sum, rescale)
        }
        return (maximum, sum)
    }
}
