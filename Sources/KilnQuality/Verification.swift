import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime
import KilnTokenizers

/// Why a verification cannot run: a missing file, different vocabularies, too little text.
public struct VerificationError: InputError, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What `kiln verify` compares.
public struct VerificationRequest: Sendable {
    public var reference: String
    public var candidate: String
    public var text: String
    public var context = 512
    public var chunks: Int?
    /// Where the reference pass is cached; nil chooses one under the user's cache folder.
    public var cachePath: String?
    public var threads = availableCores
    /// The llama.cpp attention path both models reproduce (GGUF models; see ``AttentionMode``).
    public var attention = AttentionMode.flash
    /// Also compare every tensor's weights (``TensorDeviation``).
    public var perTensor = false

    public init(reference: String, candidate: String, text: String) {
        self.reference = reference
        self.candidate = candidate
        self.text = text
    }
}

public struct VerificationResult: Sendable {
    public let summary: DivergenceSummary
    /// Each scored position's KL divergence, for the report.
    public let divergences: [Float]
    public let chunks: Int
    public let referenceFromCache: Bool
    public let cachePath: String
    public let seconds: Double
    /// Worst first; empty unless asked for.
    public let tensorDeviations: [TensorDeviation]
}

/// Runs reference and candidate over the same tokens, llama-perplexity's way (chunks of `context`,
/// BOS over each chunk's first token, the second half scored), and compares them position by position.
/// The reference's encoded log-probabilities are cached, so verifying many candidates costs one
/// reference pass.
public enum Verification {
    /// - Parameters:
    ///   - progress: told after each chunk of each pass and each tensor of the weight comparison.
    ///   - notice: told, in one line, why a reference cache that exists is not used.
    public static func run(_ request: VerificationRequest, progress: ((VerificationProgress) -> Void)? = nil,
                           notice: ((String) -> Void)? = nil) throws -> VerificationResult {
        let started = ContinuousClock.now
        let referenceSpec = try CheckpointReader.open(request.reference)
        let candidateSpec = try CheckpointReader.open(request.candidate)
        let tokenizer = try TokenizerLoader.load(referenceSpec)
        let candidateTokenizer = try TokenizerLoader.load(candidateSpec)
        let tokens = tokenizer.encode(request.text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        // The same ids must mean the same text: compare every token, then the text's tokenization.
        let sameTokens = candidateTokenizer.vocabularySize == tokenizer.vocabularySize
            && (0..<tokenizer.vocabularySize).allSatisfy { tokenizer.decode([$0]) == candidateTokenizer.decode([$0]) }
        guard sameTokens, candidateTokenizer.encode(request.text, addBOS: tokenizer.addsBOS, parseSpecial: false) == tokens else {
            throw VerificationError("\(request.candidate) has another vocabulary than \(request.reference) (\(candidateTokenizer.vocabularySize) vs \(tokenizer.vocabularySize) tokens, or tokens that spell other text)")
        }
        let context = request.context
        let available = tokens.count / context
        guard available >= 2 else {
            throw VerificationError("the text has \(tokens.count) tokens; at least two contexts of \(context) (\(2 * context)) are needed")
        }
        let chunks = min(request.chunks ?? available, available)
        let bos = tokenizer.addsBOS ? tokenizer.bosID : nil

        let referenceModel = try DecoderModel(referenceSpec, contextLength: context, threads: request.threads)
        referenceModel.attentionMode = request.attention
        let vocabulary = referenceModel.vocabularySize
        // The -fa off reference is cached apart: a GGUF reference's logits depend on the attention path.
        let identity = modelIdentity(referenceSpec) + (request.attention == .flash ? "" : "|fa off")
        let key = ReferenceCacheKey(model: identity, textDigest: SHA256.hex(Array(request.text.utf8)),
                                    contextLength: context, chunkCount: chunks, vocabularySize: vocabulary)
        let cachePath = request.cachePath ?? defaultCachePath(for: key)
        let windowTokens = window(tokens, chunks: chunks, context: context, bos: bos).map(Int32.init)
        var fromCache = false
        let reference: ReferenceCache
        switch ReferenceCache.load(cachePath, key: key) {
        case let .hit(cached) where cached.tokens == windowTokens:
            reference = cached
            fromCache = true
        case let lookup:
            switch lookup {
            case let .stale(reason), let .corrupt(reason): notice?("rebuilding the reference cache: \(reason)")
            case .hit: notice?("rebuilding the reference cache: \(cachePath) holds other tokens than the text's")
            case .missing: break
            }
            // A cache that cannot be written fails now, not after the long reference pass.
            try OutputPath.createFolder(OutputPath.split(cachePath).folder)
            try OutputPath.check(cachePath, kind: .file, inputs: [request.reference, request.candidate])
            let writer = try ReferenceCacheWriter(path: cachePath, key: key, tokens: windowTokens)
            try referencePass(referenceModel, tokens: tokens, chunks: chunks, context: context, bos: bos, into: writer.append, progress: progress)
            try writer.commit()
            guard case let .hit(written) = ReferenceCache.load(cachePath, key: key) else {
                throw VerificationError("\(cachePath): the reference cache just written does not read back")
            }
            reference = written
        }

        let candidateModel = try DecoderModel(candidateSpec, contextLength: context, threads: request.threads)
        candidateModel.attentionMode = request.attention
        guard candidateModel.vocabularySize == vocabulary else {
            throw VerificationError("\(request.candidate) has \(candidateModel.vocabularySize) output logits but \(request.reference) has \(vocabulary)")
        }
        let positions = try reference.positions()
        let statistics = try divergence(candidateModel, reference: { try positions.next() }, tokens: tokens, context: context,
                                        chunks: chunks, bos: bos, progress: progress)
        let elapsed = started.duration(to: .now)
        return VerificationResult(summary: statistics.summary, divergences: statistics.divergences, chunks: chunks, referenceFromCache: fromCache, cachePath: cachePath,
                                  seconds: elapsed.seconds,
                                  tensorDeviations: request.perTensor ? try TensorDeviation.compare(reference: referenceSpec, candidate: candidateSpec, progress: {
                                      progress?(VerificationProgress(.weights, $0, of: $1, $2))
                                  }) : [])
    }

    /// The candidate's logits at every scored position against the reference's encoded
    /// log-probabilities, which `reference` hands over one position at a time, in order.
    static func divergence(_ model: DecoderModel, reference: () throws -> UnsafeBufferPointer<UInt16>, tokens: [Int], context: Int, chunks: Int,
                           bos: Int?, progress: ((VerificationProgress) -> Void)? = nil) throws -> DivergenceStatistics {
        let vocabulary = model.vocabularySize
        var statistics = DivergenceStatistics()
        try Perplexity.forEachChunk(model, tokens: tokens, context: context, chunks: chunks, bos: bos) { chunk, logits, targets in
            for (i, target) in targets.enumerated() {
                statistics.add(candidate: UnsafeBufferPointer(rebasing: logits[(i * vocabulary)..<((i + 1) * vocabulary)]),
                               reference: try reference(), token: target)
            }
            progress?(VerificationProgress(.candidate, chunk + 1, of: chunks, String(format: "mean KLD %.6f", statistics.meanKLD)))
        }
        return statistics
    }

    /// The reference's scored positions, encoded and handed to `append` one at a time.
    static func referencePass(_ model: DecoderModel, tokens: [Int], chunks: Int, context: Int, bos: Int?,
                              into append: (UnsafeBufferPointer<UInt16>) throws -> Void, progress: ((VerificationProgress) -> Void)?) throws {
        let vocabulary = model.vocabularySize
        let words = ReferenceLogProbabilities.wordCount(vocabularySize: vocabulary)
        var nll = 0.0, scored = 0
        try withUnsafeTemporaryAllocation(of: UInt16.self, capacity: words) { row in
            try Perplexity.forEachChunk(model, tokens: tokens, context: context, chunks: chunks, bos: bos) { chunk, logits, targets in
                for (i, target) in targets.enumerated() {
                    nll += ReferenceLogProbabilities.encode(UnsafeBufferPointer(rebasing: logits[(i * vocabulary)..<((i + 1) * vocabulary)]),
                                                            token: target, into: row)
                    try append(UnsafeBufferPointer(row))
                }
                scored += targets.count
                progress?(VerificationProgress(.reference, chunk + 1, of: chunks, String(format: "PPL %.4f", exp(nll / Double(max(scored, 1))))))
            }
        }
    }

    /// The tokens the models actually see: each chunk with BOS over its first token.
    static func window(_ tokens: [Int], chunks: Int, context: Int, bos: Int?) -> [Int] {
        var out = Array(tokens[0..<chunks * context])
        if let bos { for chunk in 0..<chunks { out[chunk * context] = bos } }
        return out
    }

    /// The model's path and each of its files' size and modification time.
    static func modelIdentity(_ spec: ModelSpec) -> String {
        var files = Set<String>()
        for tensor in spec.tensors { if case let .mapped(file, _) = tensor.source { files.insert(file.path) } }
        let configuration = spec.configuration.map { SHA256.hex(Array($0.serialized.utf8)) } ?? "none"
        return URL(fileURLWithPath: spec.path).standardizedFileURL.path + "|config " + configuration + "|" + ReferenceCacheKey.identity(ofFiles: Array(files))
    }

    static func defaultCachePath(for key: ReferenceCacheKey) -> String {
        let name = String(SHA256.hex(Array(key.json.serialized.utf8)).prefix(24))
        return "\(ReferenceCache.defaultFolder)/\(ReferenceCache.fileNamePrefix)\(name).\(ReferenceCache.fileExtension)"
    }
}
