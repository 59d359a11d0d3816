import Foundation
import KilnCheckpoints
import KilnCore

/// The decoder of every text architecture Kiln runs: RMSNorm, grouped-query attention with RoPE and a
/// KV cache, a gated MLP, built as the model's architecture describes its block (`Architectures/`:
/// Llama and Mistral, Qwen2, Qwen3, Gemma 2, Gemma 3, Phi-3; ``DecoderBlock``).
///
/// Works on the weights where they lie (GGUF of any type Kiln writes, or an F32/F16/BF16 safetensors
/// folder). `evaluate` takes many positions at once (prompt processing, perplexity) or one (decode).
public final class DecoderModel: @unchecked Sendable {
    public let parameters: TextModelParameters
    public let contextLength: Int
    public var threads: Int
    /// The llama.cpp attention path a GGUF model reproduces (safetensors models round nothing).
    public var attentionMode = AttentionMode.flash
    /// Positions evaluated together (llama.cpp's `n_ubatch`): `evaluate` runs longer inputs in
    /// micro-batches of this many, which decides llama.cpp's flash-attention kernel (see ``AttentionMode``).
    public var microBatch = 512
    /// Where the positions evaluated sit among the sequences llama.cpp would decode with them.
    public var batchPlacement = BatchPlacement()
    /// When set, sees the input of every decoder matrix product (`kiln imatrix`).
    public var importanceCollector: ImportanceCollector?
    let block: DecoderBlock
    let weights: DecoderWeights
    let rotary: RotaryEmbedding
    /// RoPE of sliding-window layers that have their own base.
    let slidingRotary: RotaryEmbedding?
    let cache: KVCache

    /// - Parameters:
    ///   - contextLength: the most positions the KV cache holds.
    ///   - halfPrecisionCache: round cached keys and values to F16 as llama.cpp does (default: for GGUF models).
    public init(_ spec: ModelSpec, contextLength: Int, threads: Int = availableCores, halfPrecisionCache: Bool? = nil) throws {
        let p = spec.text
        guard p.headCount > 0, p.keyValueHeadCount > 0, p.headCount % p.keyValueHeadCount == 0, p.headDimension % 2 == 0 else {
            throw RuntimeError(path: spec.path, "\(p.headCount) heads over \(p.keyValueHeadCount) KV heads of dimension \(p.headDimension) is not a grouped-query layout")
        }
        guard contextLength > 0 else { throw RuntimeError(path: spec.path, "the context length must be positive") }
        if let trained = p.contextLength, contextLength > trained {
            throw RuntimeError(path: spec.path, "\(contextLength) positions were asked for but the model was trained for \(trained)")
        }
        // Keys and values of every layer, as F32: refuse what the machine cannot hold before allocating it.
        let cacheBytes = [p.layerCount, contextLength, p.keyValueHeadCount * p.headDimension, 2 * MemoryLayout<Float>.size]
            .reduce(Optional(1)) { product, factor in product.flatMap { let (v, o) = $0.multipliedReportingOverflow(by: factor); return o ? nil : v } }
        let memory = ProcessInfo.processInfo.physicalMemory
        guard let cacheBytes, UInt64(cacheBytes) <= memory else {
            throw RuntimeError(path: spec.path, "a cache of \(contextLength) positions needs \(cacheBytes.map { "\($0 >> 20) MiB" } ?? "more bytes than 64 bits count"), more than this machine's \(memory >> 20) MiB of memory")
        }
        parameters = p
        self.contextLength = contextLength
        self.threads = max(1, threads)
        let architecture = spec.family.architecture
        block = try architecture.block(spec)
        weights = try DecoderWeights(spec, block: block)
        let factors = try architecture.ropeFactors(spec, contextLength: contextLength, weights: weights)
        // YaRN's original context defaults to the trained one (llama.cpp's n_ctx_train), else this run's.
        rotary = RotaryEmbedding(dimension: p.ropeDimensionCount ?? p.headDimension, headWidth: p.headDimension, base: p.ropeTheta,
                                 pairing: spec.rotaryPairing,
                                 scaling: p.ropeScaling, contextLength: p.contextLength ?? contextLength,
                                 frequencyFactors: factors, attentionFactor: p.ropeAttentionFactor ?? 1)
        slidingRotary = block.slidingRopeBase.map { RotaryEmbedding(dimension: p.headDimension, base: $0, pairing: spec.rotaryPairing, scaling: nil) }
        cache = KVCache(layers: p.layerCount, capacity: contextLength, width: p.keyValueHeadCount * p.headDimension,
                        roundsToHalf: halfPrecisionCache ?? (spec.layout.kind == .gguf))
    }

    public var vocabularySize: Int { weights.head.rows }
    /// Positions already in the KV cache; the next token goes here.
    public var position: Int { cache.count }

    /// Forgets every position (a new sequence or perplexity chunk).
    public func reset() { cache.clear() }

    /// Runs `tokens` at positions `position…` and returns the logits of tokens `logitsFrom..<tokens.count`
    /// (row-major, `vocabularySize` per token).
    public func evaluate(_ tokens: [Int], logitsFrom: Int? = nil) throws -> [Float] {
        try checkVocabulary(tokens)
        return try evaluate(count: tokens.count, logitsFrom: logitsFrom) { t, row in weights.embedding.decodeRow(tokens[t], into: row) }
    }

    /// Runs `inputs` (tokens, or embedding rows such as image patches) at positions `position…`, as
    /// `evaluate(_:logitsFrom:)` runs tokens.
    public func evaluate(_ inputs: [DecoderInput], logitsFrom: Int? = nil) throws -> [Float] {
        var tokens: [Int] = []
        for input in inputs {
            switch input {
            case let .token(id): tokens.append(id)
            case let .embedding(row):
                guard row.count == parameters.hiddenSize else {
                    throw RuntimeError(path: "", "an embedding row holds \(row.count) values but the model's hidden size is \(parameters.hiddenSize)")
                }
            }
        }
        try checkVocabulary(tokens)
        let hidden = parameters.hiddenSize
        return try evaluate(count: inputs.count, logitsFrom: logitsFrom) { t, out in
            switch inputs[t] {
            case let .token(id): weights.embedding.decodeRow(id, into: out)
            case let .embedding(row): row.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: hidden) }
            }
        }
    }

    private func checkVocabulary(_ tokens: [Int]) throws {
        if let bad = tokens.first(where: { $0 < 0 || $0 >= weights.embedding.rows }) {
            throw RuntimeError(path: "", "token id \(bad) is outside the vocabulary of \(weights.embedding.rows)")
        }
    }

    /// The forward pass over `n` positions whose input rows `embed(t, row)` writes, `microBatch` at a time.
    private func evaluate(count n: Int, logitsFrom: Int?, embed: (Int, UnsafeMutablePointer<Float>) -> Void) throws -> [Float] {
        let first = logitsFrom ?? max(n - 1, 0)
        guard n > 0, first >= 0, first <= n else { return [] }
        guard cache.count + n <= contextLength else {
            throw RuntimeError(path: "", "the context holds \(contextLength) positions; \(cache.count + n) were asked for")
        }
        let step = max(1, microBatch), vocabulary = vocabularySize
        return [Float](unsafeUninitializedCapacity: (n - first) * vocabulary) { buffer, count in
            var written = 0
            for start in stride(from: 0, to: n, by: step) {
                let part = min(step, n - start), scoredFrom = min(max(first - start, 0), part)
                forward(count: part, logitsFrom: scoredFrom, into: buffer.baseAddress.map { $0 + written }) { t, row in embed(start + t, row) }
                written += (part - scoredFrom) * vocabulary
            }
            count = written
        }
    }

    /// One micro-batch: `n` positions (that fit the cache); the logits of `first..<n` go to `logits`.
    private func forward(count n: Int, logitsFrom first: Int, into logits: UnsafeMutablePointer<Float>?,
                         embed: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let p = parameters
        let hidden = p.hiddenSize, hd = p.headDimension
        let qWidth = p.headCount * hd, kvWidth = p.keyValueHeadCount * hd
        let start = cache.count

        let x = Buffer(n * hidden), norm = Buffer(n * hidden)
        let q = Buffer(n * qWidth), k = Buffer(n * kvWidth), v = Buffer(n * kvWidth)
        let attention = Buffer(n * qWidth), projected = Buffer(n * hidden)
        let gate = Buffer(n * p.intermediateSize), up = Buffer(n * p.intermediateSize)
        let rope = Buffer(n * hd), slidingRope = Buffer(slidingRotary == nil ? 0 : n * hd)
        for t in 0..<n {
            embed(t, x.pointer + t * hidden)
            rotary.table(position: start + t, into: rope.pointer + t * hd)
            slidingRotary?.table(position: start + t, into: slidingRope.pointer + t * hd)
        }
        if let scale = block.embeddingScale { Kernels.scale(x.pointer, count: n * hidden, by: scale) }
        let eps = Float(p.rmsNormEpsilon)
        // llama-imatrix asks for every position's logits, so its last layer runs every row (and the
        // collector sees them all); otherwise only the scored rows go on past the last attention.
        let outputRowsOnly = importanceCollector == nil && first > 0
        // Rows that go on past attention (fewer in the last layer), and each product's gemm share of them.
        var kept = n
        let grouped = batchPlacement.groupedRows(n)
        var keptGrouped = grouped
        for (index, layer) in weights.layers.enumerated() {
            layer.attentionNorm.withUnsafeBufferPointer { w in
                for t in 0..<n { Kernels.rmsNorm(x.pointer + t * hidden, weight: w.baseAddress!, count: hidden, eps: eps, into: norm.pointer + t * hidden) }
            }
            importanceCollector?.observe(layer: index, layer.attentionInputs, norm.pointer, tokens: n, columns: hidden, threads: threads)
            Kernels.matmul(layer.query, norm.pointer, tokens: n, groupedTokens: grouped, into: q.pointer, threads: threads)
            Kernels.matmul(layer.key, norm.pointer, tokens: n, groupedTokens: grouped, into: k.pointer, threads: threads)
            Kernels.matmul(layer.value, norm.pointer, tokens: n, groupedTokens: grouped, into: v.pointer, threads: threads)
            for (bias, rows, width) in [(layer.queryBias, q, qWidth), (layer.keyBias, k, kvWidth), (layer.valueBias, v, kvWidth)] {
                bias?.withUnsafeBufferPointer { b in
                    for t in 0..<n { for i in 0..<width { rows.pointer[t * width + i] += b[i] } }
                }
            }
            for (weight, rows, heads) in [(layer.queryNorm, q, p.headCount), (layer.keyNorm, k, p.keyValueHeadCount)] {
                weight?.withUnsafeBufferPointer { w in
                    for head in 0..<n * heads {
                        Kernels.rmsNorm(rows.pointer + head * hd, weight: w.baseAddress!, count: hd, eps: eps, into: rows.pointer + head * hd)
                    }
                }
            }
            let window = block.slidingWindow.flatMap { p.isSlidingWindowLayer(index) ? $0 : nil }
            let sliding = window != nil
            let layerRotary = sliding ? slidingRotary ?? rotary : rotary
            let layerRope = sliding && slidingRotary != nil ? slidingRope : rope
            for t in 0..<n {
                layerRotary.apply(q.pointer + t * qWidth, heads: p.headCount, cosSin: layerRope.pointer + t * hd)
                layerRotary.apply(k.pointer + t * kvWidth, heads: p.keyValueHeadCount, cosSin: layerRope.pointer + t * hd)
            }
            // Blocks that scale queries (Gemma, Phi-3) scale them before attention as llama.cpp does, before any F16 rounding.
            var queryScale = 1 / Float(hd).squareRoot()
            if let scale = block.queryScale {
                Kernels.scale(q.pointer, count: n * qWidth, by: scale)
                queryScale = 1
            }
            cache.store(layer: index, start: start, tokens: n, keys: k.pointer, values: v.pointer)
            attend(layer: index, start: start, tokens: n, queries: q.pointer, scale: queryScale,
                   window: window, into: attention.pointer)
            importanceCollector?.observe(layer: index, [.attentionOutput], attention.pointer, tokens: n, columns: qWidth, threads: threads)
            Kernels.matmul(layer.output, attention.pointer, tokens: n, groupedTokens: grouped, into: projected.pointer, threads: threads)
            if index == weights.layers.count - 1, outputRowsOnly {
                // llama.cpp keeps only the rows whose logits are wanted once the last layer's attention
                // is projected (`inp_out_ids`): its last feed-forward products see that many tokens,
                // which decides their kernels' float order (Q4_K repacked, Q6_K tiled).
                kept = n - first
                for buffer in [x, projected] {
                    UnsafeMutableRawPointer(buffer.pointer).copyMemory(from: buffer.pointer + first * hidden,
                                                                       byteCount: kept * hidden * MemoryLayout<Float>.stride)
                }
                keptGrouped = batchPlacement.groupedRows(kept)
                if kept == 0 { break }
            }
            normalizeRows(projected, by: layer.postAttentionNorm, count: kept, width: hidden, eps: eps)
            for i in 0..<kept * hidden { x.pointer[i] += projected.pointer[i] }

            layer.feedForwardNorm.withUnsafeBufferPointer { w in
                for t in 0..<kept { Kernels.rmsNorm(x.pointer + t * hidden, weight: w.baseAddress!, count: hidden, eps: eps, into: norm.pointer + t * hidden) }
            }
            importanceCollector?.observe(layer: index, layer.feedForwardInputs, norm.pointer, tokens: kept, columns: hidden, threads: threads)
            Kernels.matmul(layer.gate, norm.pointer, tokens: kept, groupedTokens: keptGrouped, into: gate.pointer, threads: threads)
            Kernels.matmul(layer.up, norm.pointer, tokens: kept, groupedTokens: keptGrouped, into: up.pointer, threads: threads)
            switch block.activation {
            case .silu: Kernels.gatedSiLU(gate.pointer, up.pointer, count: kept * p.intermediateSize)
            case .geluTanh: Kernels.gatedGELU(gate.pointer, up.pointer, count: kept * p.intermediateSize, asLlamaCpp: cache.roundsToHalf)
            }
            importanceCollector?.observe(layer: index, [.feedForwardDown], gate.pointer, tokens: kept, columns: p.intermediateSize, threads: threads)
            Kernels.matmul(layer.down, gate.pointer, tokens: kept, groupedTokens: keptGrouped, into: projected.pointer, threads: threads)
            normalizeRows(projected, by: layer.postFeedForwardNorm, count: kept, width: hidden, eps: eps)
            for i in 0..<kept * hidden { x.pointer[i] += projected.pointer[i] }
        }
        cache.count = start + n

        let scored = n - first
        guard scored > 0, let logits else { return }
        let outputRow = outputRowsOnly ? 0 : first
        weights.outputNorm.withUnsafeBufferPointer { w in
            for t in 0..<scored {
                Kernels.rmsNorm(x.pointer + (outputRow + t) * hidden, weight: w.baseAddress!, count: hidden, eps: eps, into: norm.pointer + t * hidden)
            }
        }
        // llama.cpp's head product holds the rows kept past the last attention: only the scored ones,
        // or (imatrix) all n, of which the scored are the last.
        let headGrouped = outputRowsOnly ? keptGrouped : min(max(grouped - first, 0), scored)
        Kernels.matmul(weights.head, norm.pointer, tokens: scored, groupedTokens: headGrouped, into: logits, threads: threads)
        if let cap = block.finalLogitSoftcap { Kernels.softcap(logits, count: scored * weights.head.rows, cap: cap) }
    }

    /// RMSNorm of each of `count` rows in place, when the layer has that norm.
    private func normalizeRows(_ rows: Buffer, by weight: [Float]?, count: Int, width: Int, eps: Float) {
        weight?.withUnsafeBufferPointer { w in
            for t in 0..<count { Kernels.rmsNorm(rows.pointer + t * width, weight: w.baseAddress!, count: width, eps: eps, into: rows.pointer + t * width) }
        }
    }

    /// Causal grouped-query attention of `tokens` new queries against the cache, in parallel over
    /// (token, head) pairs, rounded as llama.cpp's `attentionMode` path rounds over an F16 cache.
    /// - Parameters:
    ///   - scale: multiplies Q·K.
    ///   - window: a sliding-window layer sees only the last `window` positions.
    /// Soft-capped scores (Gemma 2) are capped before the softmax, cap · tanh(s · scale/cap): as flash
    /// attention computes it, and as -fa off does for the pre-scaled queries Gemma has (scale 1).
    @_optimize(speed)
    private func attend(layer: Int, start: Int, tokens n: Int, queries: UnsafeMutablePointer<Float>, scale: Float, window: Int?,
                        into out: UnsafeMutablePointer<Float>) {
        let p = parameters
        let hd = p.headDimension, heads = p.headCount, group = p.headCount / p.keyValueHeadCount
        let qWidth = heads * hd, kvWidth = cache.width
        let keys = cache.keys[layer], values = cache.values[layer]
        let total = start + n
        nonisolated(unsafe) let queries = queries, out = out
        // -fa off multiplies in F16: queries are rounded before Q·Kᵀ and the attention weights before P·V.
        // -fa on with fewer than 64 rows rounds the query and accumulates values in F16, step by step;
        // with more it stays in F32.
        let halfPrecision = cache.roundsToHalf && attentionMode == .standard
        let halfAccumulator = cache.roundsToHalf && attentionMode == .flash && n < AttentionMode.tiledRows
        let softcap = block.attentionSoftcap
        let scoreScale = softcap.map { scale / $0 } ?? scale
        // One query row over a view of 512 cells or more takes llama.cpp's split-KV path; its view is the
        // used cells padded to 256 (llama_kv_cache::get_n_kv), whatever the context.
        let cells = max(256, (total + 255) / 256 * 256)
        let splitKeyValues = halfAccumulator && n == 1 && cells >= AttentionMode.splitKeyValueCells && window == nil
        let keyValueChunks = threads
        // Two consecutive tokens of one head that see the same keys from the same first one go together
        // through the standard path: each key and value load then serves both queries.
        parallelChunks((n + 1) / 2 * heads, threads: threads, minimumChunk: 2) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: 2 * total)
            let query = UnsafeMutablePointer<Float>.allocate(capacity: 2 * hd)
            let partial = UnsafeMutablePointer<Float>.allocate(capacity: hd)
            defer { scores.deallocate(); query.deallocate(); partial.deallocate() }
            /// The query of token `t`, head `h` in `query + slot · hd`, and its first visible key.
            func load(_ t: Int, _ h: Int, slot: Int) -> (query: UnsafeMutablePointer<Float>, first: Int, visible: Int) {
                let q = query + slot * hd
                q.update(from: queries + t * qWidth + h * hd, count: hd)
                if halfPrecision || halfAccumulator { ActivationRounding.f16.apply(q, count: hd) }
                let end = start + t + 1
                let first = window.map { max(0, end - $0) } ?? 0
                return (q, first, end - first)
            }
            func weigh(_ scores: UnsafeMutablePointer<Float>, _ visible: Int) {
                if let softcap { Kernels.softcap(scores, count: visible, cap: softcap, prescaled: true) }
                Kernels.softmax(scores, visible)
                if halfPrecision { ActivationRounding.f16.apply(scores, count: visible) }
            }
            func attendOne(_ t: Int, _ h: Int) {
                let kvHead = h / group
                let (query, first, visible) = load(t, h, slot: 0)
                let rowKeys = keys + first * kvWidth + kvHead * hd, rowValues = values + first * kvWidth + kvHead * hd
                let target = out + t * qWidth + h * hd
                if splitKeyValues {
                    Kernels.splitKeyValueAttention(query, keys: rowKeys, values: rowValues, stride: kvWidth, count: visible, cells: cells,
                                                   chunks: keyValueChunks, dimension: hd, scale: scoreScale, softcap: softcap,
                                                   scores: scores, partial: partial, into: target)
                } else if halfAccumulator {
                    Kernels.onlineSoftmaxAttention(query, keys: rowKeys, values: rowValues, stride: kvWidth, count: visible, dimension: hd,
                                                   scale: scoreScale, softcap: softcap, scores: scores, into: target)
                } else {
                    Kernels.attentionScores(query, keys: rowKeys, stride: kvWidth, count: visible, dimension: hd, scale: scoreScale, into: scores)
                    weigh(scores, visible)
                    Kernels.weightedSum(scores, values: rowValues, stride: kvWidth, count: visible, dimension: hd, into: target)
                }
            }
            for item in range {
                let t = item / heads * 2, h = item % heads
                guard t + 1 < n, !splitKeyValues, !halfAccumulator else {
                    attendOne(t, h)
                    if t + 1 < n { attendOne(t + 1, h) }
                    continue
                }
                let kvHead = h / group
                let a = load(t, h, slot: 0), b = load(t + 1, h, slot: 1)
                guard a.first == b.first else {
                    attendOne(t, h)
                    attendOne(t + 1, h)
                    continue
                }
                let rowKeys = keys + a.first * kvWidth + kvHead * hd, rowValues = values + a.first * kvWidth + kvHead * hd
                let scoresA = scores, scoresB = scores + total
                Kernels.attentionScores(a.query, b.query, keys: rowKeys, stride: kvWidth, counts: (a.visible, b.visible), dimension: hd,
                                        scale: scoreScale, into: (scoresA, scoresB))
                weigh(scoresA, a.visible)
                weigh(scoresB, b.visible)
                Kernels.weightedSum(scoresA, scoresB, values: rowValues, stride: kvWidth, counts: (a.visible, b.visible), dimension: hd,
                                    into: (out + t * qWidth + h * hd, out + (t + 1) * qWidth + h * hd))
            }
        }
    }
}

/// A scratch array of floats for one `evaluate` call.
final class Buffer {
    let pointer: UnsafeMutablePointer<Float>
    init(_ count: Int) {
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { pointer.deallocate() }
}
