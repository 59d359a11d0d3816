import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization

/// One output tensor: what to write and where its rows come from.
public struct PlannedTensor: Sendable {
    public let descriptor: GGUFTensorDescriptor
    public let source: ModelTensor
    /// Row reordering for Hugging Face Q/K projections; nil keeps rows in place.
    public let rotaryPermutation: RotaryPermutation?
    /// Per-column weights for the quantizer, from an importance matrix.
    public var importance: [Float]?
    /// Added to every value in the source's precision (Gemma's norms, stored as w for 1 + w).
    public let valueShift: Float?
    /// How the quantizer picks block parameters.
    public var rounding: BlockRounding

    public init(descriptor: GGUFTensorDescriptor, source: ModelTensor, rotaryPermutation: RotaryPermutation? = nil, importance: [Float]? = nil,
                valueShift: Float? = nil, rounding: BlockRounding = .reference) {
        self.descriptor = descriptor
        self.source = source
        self.rotaryPermutation = rotaryPermutation
        self.importance = importance
        self.valueShift = valueShift
        self.rounding = rounding
    }
}

/// A complete description of a GGUF file to write: metadata and tensors, in file order.
public struct ConversionPlan: Sendable {
    public var metadata: GGUFMetadata
    public var tensors: [PlannedTensor]
    /// For a quantization plan, the tensors whose rows did not fit their type and got another.
    public var fallbacks: [QuantizationMix.Fallback] = []
}

/// The mapping step between a ``ModelSpec`` and a GGUF file (llama.cpp's `convert_hf_to_gguf.py`):
/// llama.cpp tensor names and order, Q/K rotary permutation, hyper-parameter and tokenizer keys.
public enum GGUFConversion {
    /// Plans the text model of `spec` as a GGUF of its family's architecture. A GGUF source keeps its
    /// tensors, types and metadata (the starting point for ``GGUFQuantization``), its hyper-parameter
    /// keys rewritten from the spec.
    public static func plan(_ spec: ModelSpec, outputType: OutputType) throws -> ConversionPlan {
        if let source = spec.ggufMetadata {
            return ConversionPlan(metadata: try metadata(spec, rewriting: source), tensors: spec.tensors.map {
                PlannedTensor(descriptor: GGUFTensorDescriptor(name: $0.name, dimensions: $0.shape.reversed(), type: $0.encoding.ggmlEquivalent!), source: $0)
            })
        }
        let p = spec.text
        let textTensors = convertersOrder(spec.textTensors)
        let firstMatrix = textTensors.first { $0.shape.count >= 2 }?.encoding
        var tensors: [PlannedTensor] = []
        // The converter writes llama3's frequency factors before the checkpoint's own tensors.
        if let scaling = p.ropeScaling, scaling.isLlama3 {
            let factors = scaling.llama3FrequencyFactors(dimension: p.headDimension, base: p.ropeTheta)
            let source = ModelTensor(name: "rope_freqs", role: TensorRole(.ropeFrequencies), shape: [factors.count], encoding: .safetensors(.f32),
                                     source: .values(factors.withUnsafeBytes { Array($0) }))
            tensors.append(PlannedTensor(descriptor: GGUFTensorDescriptor(name: CheckpointLayout.gguf.name(of: source.role), dimensions: [factors.count], type: .f32),
                                         source: source))
        }
        // Phi-3's long-rope factors, also generated before the checkpoint's tensors.
        if let scaling = p.ropeScaling, let long = scaling.longFactors, let short = scaling.shortFactors {
            for (kind, values) in [(TensorRole.Kind.ropeLongFactors, long), (.ropeShortFactors, short)] {
                let factors = values.map { Float($0) }
                let source = ModelTensor(name: CheckpointLayout.gguf.name(of: TensorRole(kind)), role: TensorRole(kind), shape: [factors.count],
                                         encoding: .safetensors(.f32), source: .values(factors.withUnsafeBytes { Array($0) }))
                tensors.append(PlannedTensor(descriptor: GGUFTensorDescriptor(name: source.name, dimensions: [factors.count], type: .f32), source: source))
            }
        }
        for tensor in textTensors {
            guard FloatRows.canDecode(tensor.encoding) else {
                throw ConversionError(path: spec.path, "tensor \"\(tensor.name)\" is \(tensor.encoding); convert reads floating-point weights (use `kiln quantize` for GGUF inputs)")
            }
            var permutation: RotaryPermutation?
            if spec.family.permutesRotaryRows, spec.layout.rotaryPairing == .halves, tensor.role.kind == .attentionQuery || tensor.role.kind == .attentionKey {
                permutation = RotaryPermutation(headDimension: p.headDimension)
            }
            let type = outputType.ggmlType(for: tensor, firstMatrixEncoding: firstMatrix)
            let name = CheckpointLayout.gguf.name(of: tensor.role)
            // Gemma's RMSNorm multiplies by 1 + w; the converter stores w + 1, added in the checkpoint's dtype.
            let shift: Float? = spec.family.isGemma && tensor.role.isNorm && tensor.role.parameter == "weight" ? 1 : nil
            tensors.append(PlannedTensor(descriptor: GGUFTensorDescriptor(name: name, dimensions: tensor.shape.reversed(), type: type),
                                         source: tensor, rotaryPermutation: permutation, valueShift: shift))
        }
        let matrixType = tensors.first { $0.source.shape.count >= 2 }?.descriptor.type ?? .f32
        let parameterCount = tensors.reduce(0) { $0 + $1.source.elementCount }
        let metadata = try self.metadata(spec, fileType: OutputType.fileType(matrixType), parameterCount: parameterCount)
        return ConversionPlan(metadata: metadata, tensors: tensors)
    }

    /// llama.cpp's converter reads shards in file-name order and each shard's tensors sorted by name
    /// (what safetensors' `keys()` returns), whatever order the headers list them in.
    static func convertersOrder(_ tensors: [ModelTensor]) -> [ModelTensor] {
        // A zeroed tensor (from an identity upscale) belongs to the file of the tensor before it.
        var fileRank: [String: Int] = [:]
        var ranks: [Int] = []
        for tensor in tensors {
            if case let .mapped(file, _) = tensor.source, fileRank[file.path] == nil { fileRank[file.path] = fileRank.count }
            if case let .mapped(file, _) = tensor.source { ranks.append(fileRank[file.path]!) } else { ranks.append(ranks.last ?? 0) }
        }
        return tensors.indices.sorted { a, b in
            if ranks[a] != ranks[b] { return ranks[a] < ranks[b] }
            if tensors[a].name != tensors[b].name {
                return tensors[a].name.unicodeScalars.lexicographicallyPrecedes(tensors[b].name.unicodeScalars)
            }
            return a < b
        }.map { tensors[$0] }
    }

    /// Hyper-parameter and tokenizer keys in the order llama.cpp's converter writes them: its
    /// Hugging Face path (`DecoderModel`, `TextModel` for the other families) and its
    /// `--mistral-format` path (`MistralModel`) differ.
    static func metadata(_ spec: ModelSpec, fileType: UInt32, parameterCount: Int) throws -> GGUFMetadata {
        let p = spec.text
        let arch = spec.family.ggufArchitecture
        let native = spec.layout.kind == .mistralNative
        var m = GGUFMetadata()
        m[GGUFKey.General.architecture] = .string(arch)
        // Phi-3's converter states the long-rope attention factor as it generates the factor tensors,
        // before any other key.
        if spec.family == .phi3, let factor = p.ropeAttentionFactor { m["\(arch).rope.scaling.attn_factor"] = .float32(Float(factor)) }
        m[GGUFKey.General.type] = .string("model")
        for (key, value) in try ModelNaming.entries(for: spec, parameterCount: parameterCount) { m[key] = value }
        // params.json's max_seq_len is not among the keys the converter reads a context length from.
        let context = native
            ? try nativeContextKeys.compactMap { try spec.configuration?.integer($0, in: ValueLimits.contextLength, path: "\(spec.path)/params.json") }.first
            : p.contextLength
        for (key, value) in hyperParameters(p, family: spec.family, contextLength: context, fileType: fileType, native: native) { m[key] = value }
        if native { for (key, value) in try nativeRopeEntries(spec) { m["\(arch).\(key)"] = value } }
        m[GGUFKey.General.quantizationVersion] = .uint32(2)

        let tokenizer: [(key: String, value: GGUFValue)]
        if let files = spec.tokenizerFiles, native, let tekken = files.tekken {
            tokenizer = try TokenizerMetadata.tekken(tekken, chatTemplateFile: files.chatTemplate, vocabularySizeKey: "\(arch).vocab_size")
        } else if let files = spec.tokenizerFiles {
            var entries = try TokenizerMetadata.huggingFace(files, configuration: spec.configuration, vocabularySize: p.vocabularySize,
                                                            family: spec.family)
            // Gemma2Model/Gemma3Model.set_vocab: a SentencePiece vocabulary never gets a space prefix.
            if spec.family.isGemma, files.sentencePieceModel != nil {
                entries.append((key: "tokenizer.ggml.add_space_prefix", value: .bool(false)))
            }
            tokenizer = entries
        } else {
            throw ConversionError(path: spec.path, "has no tokenizer")
        }
        for (key, value) in tokenizer { m[key] = value }
        return m
    }

    /// The hyper-parameter keys and `general.file_type`, in the order llama.cpp's converter writes them
    /// (`TextModel.set_gguf_parameters`, and `DecoderModel`'s vocabulary size and rope dimension after it).
    static func hyperParameters(_ p: TextModelParameters, family: ModelFamily, contextLength: Int?, fileType: UInt32,
                                native: Bool) -> [(key: String, value: GGUFValue)] {
        let arch = family.ggufArchitecture
        if family == .gemma2 { return gemma2HyperParameters(p, contextLength: contextLength, fileType: fileType) }
        if family == .phi3 { return phi3HyperParameters(p, contextLength: contextLength, fileType: fileType) }
        var m: [(key: String, value: GGUFValue)] = [
            ("\(arch).block_count", .uint32(UInt32(p.layerCount))),
        ]
        if let contextLength { m.append(("\(arch).context_length", .uint32(UInt32(contextLength)))) }
        m += [
            ("\(arch).embedding_length", .uint32(UInt32(p.hiddenSize))),
            ("\(arch).feed_forward_length", .uint32(UInt32(p.intermediateSize))),
            ("\(arch).attention.head_count", .uint32(UInt32(p.headCount))),
            ("\(arch).attention.head_count_kv", .uint32(UInt32(p.keyValueHeadCount))),
        ]
        // Mistral native's yarn keys come later, in set_mistral_config's order (nativeRopeEntries).
        if !native { m += ropeScalingEntries(p.ropeScaling).map { ("\(arch).\($0.key)", $0.value) } }
        m.append(("\(arch).rope.freq_base", .float32(Float(p.ropeTheta))))
        if let local = p.slidingRopeTheta { m.append(("\(arch).rope.freq_base_swa", .float32(Float(local)))) }
        m.append(("\(arch).attention.layer_norm_rms_epsilon", .float32(Float(p.rmsNormEpsilon))))
        // transformers always reports head_dim for Llama configs; params.json and Qwen2's config may leave it out.
        if let headDimension = native || family != .llama ? p.explicitHeadDimension : p.headDimension {
            m.append(("\(arch).attention.key_length", .uint32(UInt32(headDimension))))
            m.append(("\(arch).attention.value_length", .uint32(UInt32(headDimension))))
        }
        m.append((GGUFKey.General.fileType, .uint32(fileType)))
        // Gemma3Model.set_gguf_parameters adds these after the common keys (the others it repeats keep their places).
        if let cap = p.finalLogitSoftcap { m.append(("\(arch).final_logit_softcapping", .float32(Float(cap)))) }
        if let window = p.slidingWindow { m.append(("\(arch).attention.sliding_window", .uint32(UInt32(window)))) }
        guard family == .llama else { return m }
        if !native { m.append(("\(arch).vocab_size", .uint32(UInt32(p.vocabularySize)))) }
        m.append(("\(arch).rope.dimension_count", .uint32(UInt32(p.headDimension))))
        return m
    }

    /// `Phi3MiniModel.set_gguf_parameters`, which replaces `TextModel`'s: the original context after
    /// the trained one, the rope dimension count always, the sliding window after the file type (0
    /// when the config has none), then the long-rope attention factor (written first in a new file).
    static func phi3HyperParameters(_ p: TextModelParameters, contextLength: Int?, fileType: UInt32) -> [(key: String, value: GGUFValue)] {
        let arch = ModelFamily.phi3.ggufArchitecture
        var m: [(key: String, value: GGUFValue)] = []
        if let contextLength { m.append(("\(arch).context_length", .uint32(UInt32(contextLength)))) }
        if let original = p.originalContextLength { m.append(("\(arch).rope.scaling.original_context_length", .uint32(UInt32(original)))) }
        m += [
            ("\(arch).embedding_length", .uint32(UInt32(p.hiddenSize))),
            ("\(arch).feed_forward_length", .uint32(UInt32(p.intermediateSize))),
            ("\(arch).block_count", .uint32(UInt32(p.layerCount))),
            ("\(arch).attention.head_count", .uint32(UInt32(p.headCount))),
            ("\(arch).attention.head_count_kv", .uint32(UInt32(p.keyValueHeadCount))),
            ("\(arch).attention.layer_norm_rms_epsilon", .float32(Float(p.rmsNormEpsilon))),
            ("\(arch).rope.dimension_count", .uint32(UInt32(p.ropeDimensionCount ?? p.headDimension))),
            ("\(arch).rope.freq_base", .float32(Float(p.ropeTheta))),
            (GGUFKey.General.fileType, .uint32(fileType)),
        ]
        if let window = p.recordedSlidingWindow { m.append(("\(arch).attention.sliding_window", .uint32(UInt32(window)))) }
        if let factor = p.ropeAttentionFactor { m.append(("\(arch).rope.scaling.attn_factor", .float32(Float(factor)))) }
        return m
    }

    /// `Gemma2Model.set_gguf_parameters`, which writes its own list (no RoPE base: llama.cpp's 10000).
    private static func gemma2HyperParameters(_ p: TextModelParameters, contextLength: Int?, fileType: UInt32) -> [(key: String, value: GGUFValue)] {
        let arch = ModelFamily.gemma2.ggufArchitecture
        var m: [(key: String, value: GGUFValue)] = []
        if let contextLength { m.append(("\(arch).context_length", .uint32(UInt32(contextLength)))) }
        m += [
            ("\(arch).embedding_length", .uint32(UInt32(p.hiddenSize))),
            ("\(arch).block_count", .uint32(UInt32(p.layerCount))),
            ("\(arch).feed_forward_length", .uint32(UInt32(p.intermediateSize))),
            ("\(arch).attention.head_count", .uint32(UInt32(p.headCount))),
            ("\(arch).attention.head_count_kv", .uint32(UInt32(p.keyValueHeadCount))),
            ("\(arch).attention.layer_norm_rms_epsilon", .float32(Float(p.rmsNormEpsilon))),
            ("\(arch).attention.key_length", .uint32(UInt32(p.headDimension))),
            ("\(arch).attention.value_length", .uint32(UInt32(p.headDimension))),
            (GGUFKey.General.fileType, .uint32(fileType)),
        ]
        if let cap = p.attentionLogitSoftcap { m.append(("\(arch).attn_logit_softcapping", .float32(Float(cap)))) }
        if let cap = p.finalLogitSoftcap { m.append(("\(arch).final_logit_softcapping", .float32(Float(cap)))) }
        if let window = p.slidingWindow { m.append(("\(arch).attention.sliding_window", .uint32(UInt32(window)))) }
        return m
    }

    /// A GGUF source's metadata with every hyper-parameter key the spec models written from the spec,
    /// so a transform (an upscale) cannot leave a stale value behind; what the spec does not model
    /// (tokenizer, naming, other keys) is copied. Keys keep their places and a key stating the spec's
    /// value keeps its encoding, so an unchanged model is copied byte for byte as llama-quantize does.
    static func metadata(_ spec: ModelSpec, rewriting source: GGUFMetadata) throws -> GGUFMetadata {
        let arch = spec.family.ggufArchitecture
        var m = source
        var absent: [(key: String, value: GGUFValue)] = []
        for (key, value) in hyperParameters(spec.text, family: spec.family, contextLength: spec.text.contextLength, fileType: 0, native: false)
        where key.hasPrefix("\(arch).") {
            guard let stated = source[key] else { absent.append((key, value)); continue }
            if !stated.states(value) { m[key] = value }
        }
        // Keys the source leaves to llama.cpp's defaults stay out while those defaults still give the spec.
        if try TextModelParameters(gguf: m, architecture: arch, tensors: spec.tensors, path: spec.path) != spec.text {
            for (key, value) in absent { m[key] = value }
        }
        return m
    }

    /// `TextModel.set_gguf_parameters`' rope scaling keys: linear and YaRN scaling are stated in the
    /// file; llama3 scaling travels as the `rope_freqs` tensor instead.
    static func ropeScalingEntries(_ scaling: RopeScaling?) -> [(key: String, value: GGUFValue)] {
        guard let scaling else { return [] }
        var out: [(key: String, value: GGUFValue)] = []
        switch scaling.type {
        case "linear":
            out = [("rope.scaling.type", .string("linear")), ("rope.scaling.factor", .float32(Float(scaling.factor)))]
        case "yarn":
            out = [("rope.scaling.type", .string("yarn")), ("rope.scaling.factor", .float32(Float(scaling.factor)))]
            if let v = scaling.originalContextLength { out.append(("rope.scaling.original_context_length", .uint32(UInt32(clamping: v)))) }
            if let v = scaling.extrapolationFactor { out.append(("rope.scaling.yarn_ext_factor", .float32(Float(v)))) }
            if let v = scaling.attentionFactor { out.append(("rope.scaling.yarn_attn_factor", .float32(Float(v)))) }
            if let v = scaling.betaFast { out.append(("rope.scaling.yarn_beta_fast", .float32(Float(v)))) }
            if let v = scaling.betaSlow { out.append(("rope.scaling.yarn_beta_slow", .float32(Float(v)))) }
        default:
            break
        }
        return out
    }

    /// `TextModel.set_gguf_parameters`' context-length keys, in the order it tries them.
    static let nativeContextKeys = ["max_position_embeddings", "n_ctx", "n_positions", "max_length", "max_sequence_length", "model_max_length"]

    /// `MistralModel.set_mistral_config`: params.json's `yarn` block (read and checked with the model,
    /// ``RopeScaling/init(mistralNative:path:)``), after the rope dimension count.
    static func nativeRopeEntries(_ spec: ModelSpec) throws -> [(key: String, value: GGUFValue)] {
        guard let scaling = spec.text.ropeScaling, let yarn = spec.configuration?["yarn"], !yarn.isNull else { return [] }
        guard let applyScale = yarn["apply_scale"]?.boolValue else {
            throw ConversionError(path: "\(spec.path)/params.json", "yarn \"apply_scale\" is missing or not a boolean")
        }
        return [
            ("rope.scaling.type", .string("yarn")),
            ("rope.scaling.factor", .float32(Float(scaling.factor))),
            ("rope.scaling.yarn_beta_fast", .float32(Float(scaling.betaFast ?? 32))),
            ("rope.scaling.yarn_beta_slow", .float32(Float(scaling.betaSlow ?? 1))),
            ("rope.scaling.yarn_log_multiplier", .float32(applyScale ? 0 : 1)),
            ("rope.scaling.original_context_length", .uint32(UInt32(scaling.originalContextLength ?? 0))),
        ]
    }

    /// Progress of a long write: bytes written, bytes in all, the tensor just finished. Bytes, not
    /// tensors, so the largest tensor weighs what it costs.
    public typealias Progress = (_ doneBytes: Int, _ totalBytes: Int, _ name: String) -> Void

    /// Writes the plan to `path` atomically, one tensor at a time, rows converted in parallel.
    public static func write(_ plan: ConversionPlan, to path: String, threads: Int = availableCores, progress: Progress? = nil) throws {
        try write([(plan, path)], threads: threads, progress: progress)
    }

    /// Writes several files as one output (a text model and its projector): each is streamed under a
    /// temporary name and all are renamed into place only when every one is complete, so a failure
    /// leaves none of them.
    public static func write(_ outputs: [(plan: ConversionPlan, path: String)], threads: Int = availableCores, progress: Progress? = nil) throws {
        let total = outputs.reduce(0) { $0 + $1.plan.tensors.reduce(0) { $0 + $1.descriptor.byteCount } }
        var done = 0
        var writers: [GGUFWriter] = []
        for (plan, path) in outputs {
            let writer = try GGUFWriter(path: path, metadata: plan.metadata, tensors: plan.tensors.map(\.descriptor))
            writers.append(writer)
            for tensor in plan.tensors {
                try TensorTranscoder(tensor: tensor, threads: threads).write(to: writer)
                done += tensor.descriptor.byteCount
                progress?(done, total, tensor.descriptor.name)
            }
        }
        var committed: [String] = []
        do {
            for writer in writers {
                try writer.finish()
                committed.append(writer.path)
            }
        } catch {
            for path in committed { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
    }
}
