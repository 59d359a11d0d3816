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
        attentionScores(query, keys: keys, stride: stride, count: count, dimension: dimension, scale: scale, into: scores)
        // ggml folds 1/cap into `scale`, then caps each score by cap · tanh.
        if let softcap { Gemma.softcap(scores, count: count, cap: softcap, prescaled: true) }
        out.initialize(repeating: 0, count: dimension)
        var maximum = -Float.infinity, sum: Float = 0
        for j in 0..<count {
            let score = scores[j]
            var rescale: Float = 1, weight: Float = 1
            if score > maximum {
                rescale = expf(maximum - score)
                maximum = score
                for d in 0..<dimension { out[d] = Float(Float16(out[d] * rescale)) }
            } else {
                weight = expf(score - maximum)
            }
            let row = values + j &* stride
            for d in 0..<dimension { out[d] = Float(Float16(out[d].addingProduct(row[d], weight))) }
            sum = weight.addingProduct(sum, rescale)
        }
        let inverse = sum == 0 ? 0 : 1 / sum
        for d in 0..<dimension { out[d] *= inverse }
    }
}
