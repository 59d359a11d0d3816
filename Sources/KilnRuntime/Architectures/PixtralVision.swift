import Foundation
import KilnCheckpoints
import KilnCore

/// Pixtral's vision encoder and the Llava projector that maps its patches into the text model's
/// embedding space: transformers' `PixtralVisionModel` + `LlavaMultiModalProjector`, llama.cpp's
/// `clip_graph_pixtral`.
///
/// A patch convolution (a matrix product over unfolded patches), RMSNorm `ln_pre`, pre-norm layers of
/// 2-D rotary attention over the patches of each image (block-diagonal when several images share a
/// batch) and a gated MLP, then linear → GELU → linear. Weights are used where they lie (model folder
/// or mmproj GGUF of any type Kiln writes), as ``DecoderModel`` uses them.
///
/// The projector's GELU is the exact erf form, as transformers' `gelu`. llama.cpp's clip applies
/// `ggml_gelu` for Pixtral (`FFN_GELU`): the tanh approximation (at most 4.7e-4 from erf's), which
/// the CPU backend looks up in an F16 table, so input and output are also rounded to F16.
public final class PixtralVision: @unchecked Sendable {
    public let parameters: VisionModelParameters
    public var threads: Int
    let weights: PixtralVisionWeights
    /// Only its pairing and dimension are used: the angles are Pixtral's axial ones.
    let rotary: RotaryEmbedding
    let gate: GateActivation

    /// The encoder MLP's gate activation (`hidden_act`).
    enum GateActivation { case silu, gelu }

    public init(_ spec: VisionSpec, threads: Int = availableCores) throws {
        // Sizes, head split and patch count first: everything below is computed from them.
        try spec.validate()
        let p = spec.parameters
        switch p.activation {
        case "silu": gate = .silu
        case "gelu": gate = .gelu
        default: throw RuntimeError(path: spec.path, "the vision MLP activation \"\(p.activation)\" is not supported (silu or gelu)")
        }
        guard p.projectorActivation == "gelu" else {
            throw RuntimeError(path: spec.path, "the projector activation \"\(p.projectorActivation)\" is not supported (gelu)")
        }
        parameters = p
        self.threads = max(1, threads)
        weights = try PixtralVisionWeights(spec)
        rotary = RotaryEmbedding(dimension: p.hiddenSize / p.headCount, base: p.ropeTheta, pairing: spec.rotaryPairing, scaling: nil)
    }

    /// Floats per output row: the text model's hidden size.
    public var embeddingWidth: Int { parameters.projectionSize }

    /// The embedding of one preprocessed image: `pixels` holds channels × height × width floats
    /// (channel-major, as `PixtralImageProcessor` returns them), height and width whole patches.
    public func encode(_ pixels: [Float], height: Int, width: Int) throws -> ImageEmbedding {
        try encode([(pixels, height, width)])[0]
    }

    /// The embeddings of several images in one batch; each image attends only to its own patches,
    /// so the result equals encoding them one by one.
    public func encode(_ images: [(pixels: [Float], height: Int, width: Int)]) throws -> [ImageEmbedding] {
        let p = parameters
        let patch = p.patchSize, channels = p.channelCount
        var blocks: [(start: Int, rows: Int, columns: Int)] = []
        var n = 0
        for (index, image) in images.enumerated() {
            guard image.height > 0, image.width > 0, image.height % patch == 0, image.width % patch == 0,
                  image.height <= p.imageSize, image.width <= p.imageSize else {
                throw RuntimeError(path: "", "image \(index + 1) is \(image.width)×\(image.height) pixels; the vision tower takes whole \(patch)-pixel patches up to \(p.imageSize)×\(p.imageSize)")
            }
            guard image.pixels.count == channels * image.height * image.width else {
                throw RuntimeError(path: "", "image \(index + 1) holds \(image.pixels.count) values, not \(channels)×\(image.height)×\(image.width)")
            }
            blocks.append((n, image.height / patch, image.width / patch))
            n += (image.height / patch) * (image.width / patch)
        }
        guard n > 0 else { return [] }
        let hidden = p.hiddenSize, inner = p.intermediateSize
        let hd = rotary.dimension, heads = p.headCount
        let eps = Float(p.layerNormEpsilon)
        let threads = threads

        let x = Buffer(n * hidden), norm = Buffer(n * hidden)
        let rope = Buffer(n * hd)
        do {
            let inputs = channels * patch * patch
            let unfolded = Buffer(n * inputs)
            for (image, block) in zip(images, blocks) {
                image.pixels.withUnsafeBufferPointer { pixels in
                    Self.unfold(pixels.baseAddress!, height: image.height, width: image.width, channels: channels, patch: patch,
                                into: unfolded.pointer + block.start * inputs)
                }
                for r in 0..<block.rows {
                    for c in 0..<block.columns {
                        rotary.axialTable(row: r, column: c, into: rope.pointer + (block.start + r * block.columns + c) * hd)
                    }
                }
            }
            Kernels.matmul(weights.patchEmbedding, unfolded.pointer, tokens: n, into: x.pointer, threads: threads)
        }
        normalize(x.pointer, weight: weights.preNorm, rows: n, width: hidden, eps: eps, into: x.pointer)

        let q = Buffer(n * hidden), k = Buffer(n * hidden), v = Buffer(n * hidden)
        let attention = Buffer(n * hidden), projected = Buffer(n * hidden)
        let headKeys = Buffer(n * hidden), headValues = Buffer(n * hidden)
        let gated = Buffer(n * inner), up = Buffer(n * inner)
        for layer in weights.layers {
            normalize(x.pointer, weight: layer.attentionNorm, rows: n, width: hidden, eps: eps, into: norm.pointer)
            Kernels.matmul(layer.query, norm.pointer, tokens: n, into: q.pointer, threads: threads)
            Kernels.matmul(layer.key, norm.pointer, tokens: n, into: k.pointer, threads: threads)
            Kernels.matmul(layer.value, norm.pointer, tokens: n, into: v.pointer, threads: threads)
            nonisolated(unsafe) let (qp, kp, ropep) = (q.pointer, k.pointer, rope.pointer)
            parallelChunks(n, threads: threads, minimumChunk: 16) { rows in
                for t in rows {
                    self.rotary.apply(qp + t * hidden, heads: heads, cosSin: ropep + t * hd)
                    self.rotary.apply(kp + t * hidden, heads: heads, cosSin: ropep + t * hd)
                }
            }
            for block in blocks {
                attend(queries: q.pointer, keys: k.pointer, values: v.pointer, start: block.start, count: block.rows * block.columns,
                       scratch: (headKeys.pointer, headValues.pointer), into: attention.pointer)
            }
            Kernels.matmul(layer.output, attention.pointer, tokens: n, into: projected.pointer, threads: threads)
            add(projected.pointer, into: x.pointer, count: n * hidden)

            normalize(x.pointer, weight: layer.feedForwardNorm, rows: n, width: hidden, eps: eps, into: norm.pointer)
            Kernels.matmul(layer.gate, norm.pointer, tokens: n, into: gated.pointer, threads: threads)
            Kernels.matmul(layer.up, norm.pointer, tokens: n, into: up.pointer, threads: threads)
            let activation = gate
            nonisolated(unsafe) let (gp, upp) = (gated.pointer, up.pointer)
            parallelChunks(n, threads: threads, minimumChunk: 16) { rows in
                for i in rows.lowerBound * inner..<rows.upperBound * inner {
                    let g = gp[i]
                    gp[i] = (activation == .silu ? g / (1 + exp(-g)) : Self.gelu(g)) * upp[i]
                }
            }
            Kernels.matmul(layer.down, gated.pointer, tokens: n, into: projected.pointer, threads: threads)
            add(projected.pointer, into: x.pointer, count: n * hidden)
        }
        let values = project(x.pointer, tokens: n), width = embeddingWidth
        return blocks.map { block in
            let range = block.start * width..<(block.start + block.rows * block.columns) * width
            return ImageEmbedding(rows: block.rows, columns: block.columns, width: width, values: Array(values[range]))
        }
    }

    /// The Llava projector over `tokens` encoder rows: linear → GELU → linear, with their biases.
    private func project(_ x: UnsafePointer<Float>, tokens n: Int) -> [Float] {
        let width = embeddingWidth
        let middle = Buffer(n * width)
        Kernels.matmul(weights.projectorIn, x, tokens: n, into: middle.pointer, threads: threads)
        addBias(weights.projectorInBias, to: middle.pointer, rows: n, width: width)
        nonisolated(unsafe) let mp = middle.pointer
        parallelChunks(n, threads: threads, minimumChunk: 16) { rows in
            for i in rows.lowerBound * width..<rows.upperBound * width { mp[i] = Self.gelu(mp[i]) }
        }
        return [Float](unsafeUninitializedCapacity: n * width) { buffer, count in
            Kernels.matmul(weights.projectorOut, middle.pointer, tokens: n, into: buffer.baseAddress!, threads: threads)
            addBias(weights.projectorOutBias, to: buffer.baseAddress!, rows: n, width: width)
            count = n * width
        }
    }

    /// Non-causal attention of the `count` patches of one image from `start`, in parallel over
    /// (head, block of queries); memory stays linear in the patch count (one row of scores per query
    /// of a block in flight).
    ///
    /// Each head's keys and values are first gathered into contiguous rows (`scratch`, laid out head
    /// by head over the block's span). A block of queries then passes over them a slice of keys at a
    /// time, so each slice is read from cache once per block instead of from memory once per query.
    @_optimize(speed)
    private func attend(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, start: Int, count: Int,
                        scratch: (keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>), into out: UnsafeMutablePointer<Float>) {
        let hidden = parameters.hiddenSize, heads = parameters.headCount, hd = rotary.dimension
        let scale = 1 / Float(hd).squareRoot()
        nonisolated(unsafe) let queries = queries, keys = keys, values = values, out = out
        nonisolated(unsafe) let headKeys = scratch.keys + start * hidden, headValues = scratch.values + start * hidden
        parallelChunks(count, threads: threads, minimumChunk: 64) { rows in
            for j in rows {
                for h in 0..<heads {
                    (headKeys + (h * count + j) * hd).update(from: keys + (start + j) * hidden + h * hd, count: hd)
                    (headValues + (h * count + j) * hd).update(from: values + (start + j) * hidden + h * hd, count: hd)
                }
            }
        }
        // 16 queries × 256 keys: a 64 KiB slice of keys (head dimension 64) serves 16 score rows.
        let block = 16, slice = 256
        let blocks = (count + block - 1) / block
        parallelChunks(heads * blocks, threads: threads) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: block * count)
            let partial = UnsafeMutablePointer<Float>.allocate(capacity: hd)
            defer { scores.deallocate(); partial.deallocate() }
            for item in range {
                let h = item / blocks, first = (item % blocks) * block
                let rows = min(block, count - first)
                let k = headKeys + h * count * hd, v = headValues + h * count * hd
                for from in stride(from: 0, to: count, by: slice) {
                    let span = min(slice, count - from)
                    for r in 0..<rows {
                        Kernels.attentionScores(queries + (start + first + r) * hidden + h * hd, keys: k + from * hd, stride: hd, count: span,
                                                dimension: hd, scale: scale, into: scores + r * count + from)
                    }
                }
                for r in 0..<rows {
                    Kernels.softmax(scores + r * count, count)
                    (out + (start + first + r) * hidden + h * hd).update(repeating: 0, count: hd)
                }
                for from in stride(from: 0, to: count, by: slice) {
                    let span = min(slice, count - from)
                    for r in 0..<rows {
                        Kernels.weightedSum(scores + r * count + from, values: v + from * hd, stride: hd, count: span, dimension: hd, into: partial)
                        let row = out + (start + first + r) * hidden + h * hd
                        for i in 0..<hd { row[i] += partial[i] }
                    }
                }
            }
        }
    }

    /// RMSNorm of `rows` rows in parallel (`out` may be `x`).
    private func normalize(_ x: UnsafeMutablePointer<Float>, weight: [Float], rows: Int, width: Int, eps: Float, into out: UnsafeMutablePointer<Float>) {
        nonisolated(unsafe) let x = x, out = out
        weight.withUnsafeBufferPointer { w in
            nonisolated(unsafe) let w = w.baseAddress!
            parallelChunks(rows, threads: threads, minimumChunk: 16) { range in
                for t in range { Kernels.rmsNorm(x + t * width, weight: w, count: width, eps: eps, into: out + t * width) }
            }
        }
    }

    private func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    private func addBias(_ bias: [Float]?, to x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        guard let bias else { return }
        for t in 0..<rows { for i in 0..<width { x[t * width + i] += bias[i] } }
    }

    /// transformers' `gelu`: x·Φ(x) with the exact error function.
    @inline(__always)
    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.707_106_77)) }

    /// Lays each `patch × patch` tile of a channel-major image out as one row of `channels × patch × patch`
    /// values (channel, then kernel row, then kernel column: the convolution kernel's order), tiles in
    /// row-major order.
    static func unfold(_ pixels: UnsafePointer<Float>, height: Int, width: Int, channels: Int, patch: Int, into out: UnsafeMutablePointer<Float>) {
        let columns = width / patch
        var row = out
        for r in 0..<height / patch {
            for c in 0..<columns {
                for channel in 0..<channels {
                    for y in 0..<patch {
                        let source = pixels + (channel * height + r * patch + y) * width + c * patch
                        (row + (channel * patch + y) * patch).update(from: source, count: patch)
                    }
                }
                row += channels * patch * patch
            }
        }
    }
}
