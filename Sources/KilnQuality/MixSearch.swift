import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnRuntime

/// Chooses each tensor's type to minimise the model's KL divergence from its unquantized self within
/// a byte budget (`kiln quantize --budget`).
///
/// Sensitivity is measured with the runtime on calibration tokens: the mean KL divergence of the
/// model with one tensor quantized and every other tensor left as it is, minus that of the model as
/// it is. Assuming these add up, a multiple-choice knapsack (``MixSolver``) picks the types, and the
/// sum is the predicted divergence of the whole mix, which the caller can check by measuring it.
public enum MixSearch {
    public enum Sensitivity: String, Sendable, CaseIterable {
        /// Every tensor at every candidate type: tensors × types evaluations.
        case measured
        /// Each tensor measured at its smallest type only; the other types' ΔKLD is scaled from their
        /// imatrix-weighted squared weight error (a proxy calibrated per tensor): tensors evaluations.
        case calibrated
    }

    public struct Request {
        /// The unquantized model (F32/F16/BF16 folder or GGUF): the reference and the weights.
        public var spec: ModelSpec
        public var candidates: [GGMLType]
        public var importance: ImportanceMatrix?
        /// Calibration tokens, read in `chunks` chunks of `context` as llama-perplexity reads them.
        public var tokens: [Int]
        public var context: Int
        public var chunks: Int
        public var bos: Int?
        public var sensitivity: Sensitivity
        /// The rounding the file will be written with, so each tensor is measured as it will be stored.
        public var rounding: BlockRounding
        public var threads: Int

        public init(spec: ModelSpec, candidates: [GGMLType], importance: ImportanceMatrix?, tokens: [Int], context: Int, chunks: Int,
                    bos: Int?, sensitivity: Sensitivity, rounding: BlockRounding = .reference, threads: Int) {
            self.spec = spec
            self.candidates = candidates
            self.importance = importance
            self.tokens = tokens
            self.context = context
            self.chunks = chunks
            self.bos = bos
            self.sensitivity = sensitivity
            self.rounding = rounding
            self.threads = threads
        }
    }

    /// One tensor the search chooses a type for.
    public struct Item: Sendable {
        /// GGUF name.
        public let name: String
        /// Candidate types after llama.cpp's row-length fallbacks, without repeats.
        public let types: [GGMLType]
        /// Bytes of the tensor at each type, padded to the GGUF alignment.
        public let bytes: [Int]
        /// ΔKLD at each type.
        public var costs: [Double]
    }

    /// The sensitivity table: what the solver works from.
    public struct Sensitivities: Sendable {
        public var items: [Item]
        /// Mean KLD of the unquantized model against itself (the reference's storage rounding).
        public var baseline: Double
        /// Forward passes made, each over `chunks × context` tokens.
        public var evaluations: Int
    }

    public struct Choice: Sendable {
        public let recipe: [(name: String, type: GGMLType)]
        public let bytes: Int
        /// baseline + Σ ΔKLD of the chosen types.
        public let predictedKLD: Double
    }

    /// The tensors llama-quantize would quantize, in the order of `plan`.
    public static func quantizable(_ plan: ConversionPlan) -> [GGUFTensorDescriptor] {
        plan.tensors.map(\.descriptor).filter { QuantizationMix.allowsQuantization($0, leaveOutputTensor: false) && !$0.type.isQuantized }
    }

    /// The tensors the search chooses types for, with their candidate types and sizes (no costs yet).
    public static func items(_ request: Request) throws -> [Item] {
        try quantizable(GGUFConversion.plan(request.spec, outputType: .auto)).map { descriptor in
            var types: [GGMLType] = []
            for candidate in request.candidates {
                let type = QuantizationMix.fallback(candidate, rowLength: descriptor.dimensions[0])
                if type.isQuantized, !types.contains(type) { types.append(type) }
            }
            let bytes = types.map { GGUF.padded(GGUFTensorDescriptor(name: descriptor.name, dimensions: descriptor.dimensions, type: $0).byteCount, to: GGUF.defaultAlignment) }
            return Item(name: descriptor.name, types: types, bytes: bytes, costs: [])
        }
    }

    /// Measures every item's ΔKLD at its candidate types.
    public static func measure(_ items: [Item], _ request: Request, probe: DivergenceProbe,
                               progress: ((Int, Int, String) -> Void)? = nil) throws -> Sensitivities {
        let byName = Dictionary(request.spec.tensors.map { (CheckpointLayout.gguf.name(of: $0.role), $0) }, uniquingKeysWith: { a, _ in a })
        let baseline = try probe.meanKLD(request.spec)
        var evaluations = 1
        var measured: [Item] = []
        for (index, item) in items.enumerated() {
            guard let tensor = byName[item.name] else { throw QuantizationError(path: request.spec.path, "has no tensor for \(item.name)") }
            let (types, bytes) = (item.types, item.bytes)
            let importance = request.importance?.entries[item.name].flatMap { $0.count == tensor.rowLength ? $0 : nil }
            let encoded = try types.map { try PlannedTensor.encode(tensor, as: $0, importance: importance, rounding: request.rounding, threads: request.threads) }
            var costs: [Double]
            switch request.sensitivity {
            case .measured:
                costs = try zip(types, encoded).map { type, data in
                    try probe.meanKLD(replacing(request.spec, tensor, type: type, bytes: data)) - baseline
                }
                evaluations += types.count
            case .calibrated:
                let errors = zip(types, encoded).map { weightedError(tensor, type: $0, bytes: $1, importance: importance, threads: request.threads) }
                let smallest = bytes.indices.min { bytes[$0] < bytes[$1] }!
                let measured = try probe.meanKLD(replacing(request.spec, tensor, type: types[smallest], bytes: encoded[smallest])) - baseline
                let scale = errors[smallest] > 0 ? max(measured, 0) / errors[smallest] : 0
                costs = errors.map { $0 * scale }
                evaluations += 1
            }
            measured.append(Item(name: item.name, types: types, bytes: bytes, costs: costs))
            progress?(index + 1, items.count, item.name)
        }
        return Sensitivities(items: measured, baseline: baseline, evaluations: evaluations)
    }

    /// Whether some choice of the items fits in `available` bytes.
    public static func fits(_ items: [Item], available: Int) -> Bool {
        items.reduce(0) { $0 + ($1.bytes.min() ?? 0) } <= available
    }

    /// The least-divergence choice whose items take at most `available` bytes.
    public static func choose(_ sensitivities: Sensitivities, available: Int) throws -> Choice {
        let solution = try MixSolver.solve(sensitivities.items.map { item in zip(item.bytes, item.costs).map { MixSolver.Option(bytes: $0, cost: $1) } },
                                           budget: available)
        let recipe = zip(sensitivities.items, solution.choices).map { ($0.name, $0.types[$1]) }
        return Choice(recipe: recipe, bytes: solution.bytes, predictedKLD: sensitivities.baseline + solution.cost)
    }

    /// The spec with one tensor replaced by `bytes` of `type` (rows in the tensor's own order).
    static func replacing(_ spec: ModelSpec, _ tensor: ModelTensor, type: GGMLType, bytes: [UInt8]) -> ModelSpec {
        var copy = spec
        if let i = copy.tensors.firstIndex(where: { $0.role == tensor.role }) {
            copy.tensors[i].encoding = .ggml(type)
            copy.tensors[i].source = .values(bytes)
        }
        return copy
    }

    /// Σ over rows and columns of importance × (w − ŵ)²: the error llama.cpp's `_impl` quantizers
    /// minimise, and a proxy for what a tensor's quantization costs the model.
    static func weightedError(_ tensor: ModelTensor, type: GGMLType, bytes: [UInt8], importance: [Float]?, threads: Int) -> Double {
        let columns = tensor.rowLength, rows = tensor.rowCount
        let inRow = tensor.byteCount / max(rows, 1), outRow = type.rowSize(columns)!
        let codec = BlockCodecs.codec(for: type)!
        var partial = [Double](repeating: 0, count: rows)
        tensor.withBytes { source in
            bytes.withUnsafeBytes { quantized in
                partial.withUnsafeMutableBufferPointer { sums in
                    nonisolated(unsafe) let sums = sums
                    parallelChunks(rows, threads: threads, minimumChunk: 16) { range in
                        let x = UnsafeMutablePointer<Float>.allocate(capacity: columns), y = UnsafeMutablePointer<Float>.allocate(capacity: columns)
                        defer { x.deallocate(); y.deallocate() }
                        for row in range {
                            FloatRows.decode(tensor.encoding, from: source.baseAddress! + row * inRow, count: columns, into: x)
                            codec.dequantize(quantized.baseAddress! + row * outRow, count: columns, into: y)
                            var sum = 0.0
                            for j in 0..<columns {
                                let d = Double(x[j] - y[j])
                                sum += Double(importance?[j] ?? 1) * d * d
                            }
                            sums[row] = sum
                        }
                    }
                }
            }
        }
        return partial.reduce(0, +)
    }
}

/// The reference's encoded log-probabilities over the calibration chunks, and the KL divergence of any
/// variant of the model from them.
public struct DivergenceProbe {
    let request: MixSearch.Request
    let reference: [UInt16]

    public init(_ request: MixSearch.Request) throws {
        self.request = request
        let model = try DecoderModel(request.spec, contextLength: request.context, threads: request.threads)
        var encoded: [UInt16] = []
        try Verification.referencePass(model, tokens: request.tokens, chunks: request.chunks, context: request.context,
                                       bos: request.bos, into: { encoded.append(contentsOf: $0) }, progress: nil)
        reference = encoded
    }

    public func meanKLD(_ spec: ModelSpec) throws -> Double { try summary(spec).meanKLD }

    public func summary(_ spec: ModelSpec) throws -> DivergenceSummary {
        let model = try DecoderModel(spec, contextLength: request.context, threads: request.threads)
        let words = ReferenceLogProbabilities.wordCount(vocabularySize: model.vocabularySize)
        var position = 0
        return try reference.withUnsafeBufferPointer { base in
            try Verification.divergence(model, reference: {
                defer { position += words }
                return UnsafeBufferPointer(rebasing: base[position..<position + words])
            }, tokens: request.tokens, context: request.context, chunks: request.chunks, bos: request.bos).summary
        }
    }
}
