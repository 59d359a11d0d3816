/// Keys and values of every layer for positions `0..<count`.
///
/// llama.cpp keeps its cache in F16 by default; with `roundsToHalf` values are rounded the same way,
/// which keeps a GGUF's logits (and so perplexity) on top of llama-perplexity's instead of a hair
/// off. transformers keeps full precision, so safetensors models do too.
final class KVCache: @unchecked Sendable {
    let capacity: Int
    let width: Int
    let keys: [UnsafeMutablePointer<Float>]
    let values: [UnsafeMutablePointer<Float>]
    /// Positions filled so far.
    var count = 0

    let roundsToHalf: Bool

    init(layers: Int, capacity: Int, width: Int, roundsToHalf: Bool) {
        self.roundsToHalf = roundsToHalf
        self.capacity = capacity
        self.width = width
        keys = (0..<layers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: capacity * width) }
        values = (0..<layers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: capacity * width) }
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    func clear() { count = 0 }

    /// Stores `tokens` rows of keys and values of `layer` at positions `start…`.
    func store(layer: Int, start: Int, tokens: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>) {
        let kd = keys[layer] + start * width, vd = values[layer] + start * width
        guard roundsToHalf else {
            kd.update(from: k, count: tokens * width)
            vd.update(from: v, count: tokens * width)
            return
        }
        for i in 0..<tokens * width {
            kd[i] = Float(Float16(k[i]))
            vd[i] = Float(Float16(v[i]))
        }
    }
}
