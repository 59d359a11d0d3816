import Foundation
import KilnCore

/// Perplexity of a model over a token stream, computed exactly as `llama-perplexity` does.
public struct PerplexityResult: Sendable, Equatable {
    public var perplexity: Double
    public var error: Double
    /// Scored positions (`n_ctx − 1 − n_ctx/2` per chunk).
    public var scoredTokens: Int
    public var chunks: Int
    /// Every token the model evaluated.
    public var evaluatedTokens: Int
    public var seconds: Double

    public var tokensPerSecond: Double { seconds > 0 ? Double(evaluatedTokens) / seconds : 0 }
}

public enum Perplexity {
    /// Splits `tokens` into `min(maxChunks, tokens.count / context)` chunks of `context` tokens; per
    /// chunk the KV cache is cleared, the first token is overwritten with BOS when `bos` is given,
    /// and positions ≥ context/2 are scored against the next token.
    ///
    /// - Parameter progress: called after each chunk with (chunk index, running perplexity).
    public static func evaluate(
        _ model: DecoderModel, tokens: [Int], context: Int, maxChunks: Int? = nil, batch: Int = Perplexity.defaultBatch, bos: Int?,
        progress: ((Int, Double) -> Void)? = nil
    ) throws -> PerplexityResult {
        guard context >= 4 else { throw RuntimeError(path: "", "the context must hold at least 4 tokens") }
        guard context <= model.contextLength else {
            throw RuntimeError(path: "", "a context of \(context) exceeds the model's cache of \(model.contextLength)")
        }
        let available = tokens.count / context
        let chunks = min(maxChunks ?? available, available)
        guard chunks >= 1, tokens.count >= 2 * context else {
            throw RuntimeError(path: "", "\(tokens.count) tokens are too few for a context of \(context); at least \(2 * context) are needed")
        }
        var nll = 0.0, nll2 = 0.0
        var count = 0
        let clock = ContinuousClock.now
        let vocabulary = model.vocabularySize
        try forEachChunk(model, tokens: tokens, context: context, chunks: chunks, batch: batch, bos: bos) { chunk, logits, targets in
            for (i, target) in targets.enumerated() {
                let value = negativeLogLikelihood(logits.baseAddress! + i * vocabulary, count: vocabulary, target: target)
                nll += value
                nll2 += value * value
            }
            count += targets.count
            progress?(chunk, exp(nll / Double(count)))
        }
        let elapsed = clock.duration(to: .now)
        let mean = nll / Double(count)
        let variance = nll2 / Double(count) - mean * mean
        let ppl = exp(mean)
        let error = count > 1 && variance > 0 ? ppl * (variance / Double(count - 1)).squareRoot() : 0
        let seconds = elapsed.seconds
        return PerplexityResult(perplexity: ppl, error: error, scoredTokens: count, chunks: chunks,
                                evaluatedTokens: chunks * context, seconds: seconds)
    }

    /// llama-perplexity's chunking: chunk `c` is `tokens[c·context ..< (c+1)·context]` with its first token
    /// overwritten by `bos` (when given), evaluated from an empty cache in llama-perplexity's
    /// micro-batches (``microBatch(context:chunk:chunks:batch:)``); `body` gets the logits of the scored
    /// positions `context/2 ..< context−1` (row-major, one row per position) and the tokens that
    /// followed them.
    public static func forEachChunk(
        _ model: DecoderModel, tokens: [Int], context: Int, chunks: Int, batch: Int = Perplexity.defaultBatch, bos: Int?,
        _ body: (_ chunk: Int, _ logits: UnsafeBufferPointer<Float>, _ targets: ArraySlice<Int>) throws -> Void
    ) throws {
        let first = context / 2
        let saved = (model.microBatch, model.batchPlacement)
        defer { (model.microBatch, model.batchPlacement) = saved }
        for chunk in 0..<chunks {
            let start = chunk * context
            var window = Array(tokens[start..<start + context])
            if let bos { window[0] = bos }
            model.microBatch = microBatch(context: context, chunk: chunk, chunks: chunks, batch: batch)
            model.batchPlacement = batchPlacement(context: context, chunk: chunk, chunks: chunks, batch: batch)
            model.reset()
            let logits = try model.evaluate(window, logitsFrom: first)
            try logits.withUnsafeBufferPointer { try body(chunk, $0, tokens[(start + first + 1)..<(start + context)]) }
        }
    }

    /// llama-perplexity's default batch (`-b`, positions per `llama_decode`).
    public static let defaultBatch = 2048

    /// Whether llama-perplexity's batch `batch` cuts chunks of `context` positions into micro-batches that
    /// ``microBatch(context:chunk:chunks:batch:)`` reproduces: llama-perplexity itself needs a batch
    /// below the context or a multiple of it, and a batch below the context decodes in micro-batches of
    /// at most 512 positions, equal ones when the batch is at most 512 or a multiple of 512.
    public static func reproducesBatch(_ batch: Int, context: Int) -> Bool {
        batch >= 1 && (batch < context ? batch <= micro || batch % micro == 0 : batch % context == 0)
    }

    /// llama.cpp's default micro-batch (`-ub`).
    private static let micro = 512

    /// Positions of chunk `chunk` that llama-perplexity evaluates together. With batch `batch` (2048 by
    /// default) and micro-batch 512 it runs max(1, batch / context) chunks at once as parallel sequences
    /// and splits that batch into micro-batches taking ⌊min(batch, 512) / sequences⌋ positions from each
    /// (`split_equal`); at `batch` positions and more, one sequence in micro-batches of min(batch, 512).
    /// The count matters because llama.cpp's flash attention rounds in F16 below 64 rows, and decodes
    /// one row past 512 cache cells by its split-KV path (see ``AttentionMode``).
    public static func microBatch(context: Int, chunk: Int, chunks: Int, batch: Int = defaultBatch) -> Int {
        let micro = min(batch, micro)
        guard context < batch else { return micro }
        let sequences = batchPlacement(context: context, chunk: chunk, chunks: chunks, batch: batch).count
        return max(1, micro / max(sequences, 1))
    }

    /// Where chunk `chunk` sits among the chunks llama-perplexity decodes together as parallel sequences
    /// (``microBatch(context:chunk:chunks:batch:)``).
    public static func batchPlacement(context: Int, chunk: Int, chunks: Int, batch: Int = defaultBatch) -> BatchPlacement {
        guard context < batch else { return BatchPlacement() }
        let parallel = batch / context
        return BatchPlacement(index: chunk % parallel, count: min(parallel, chunks - chunk / parallel * parallel))
    }

    /// llama-perplexity's `log_softmax`: max in float, Σ expf(l − max) in double, then
    /// `−(l[target] − max − log Σ)`.
    static func negativeLogLikelihood(_ logits: UnsafePointer<Float>, count: Int, target: Int) -> Double {
        var maximum = logits[0]
        for i in 1..<count { maximum = max(maximum, logits[i]) }
        var sum = 0.0
        for i in 0..<count { sum += Double(exp(logits[i] - maximum)) }
        return -(Double(logits[target] - maximum) - log(sum))
    }
}
