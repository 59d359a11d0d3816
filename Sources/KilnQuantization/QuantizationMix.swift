import KilnGGUF

/// llama-quantize's choice of type for every tensor of a LLaMA-style model (`llama-quant.cpp`:
/// `tensor_allows_quantization`, `llama_tensor_get_type`, `llama_tensor_get_type_impl`,
/// `tensor_type_fallback`), for dense (non-MoE, non-Falcon) models.
///
/// Some rules depend on how many `attn_v`/`ffn_down` tensors llama-quantize has already visited, so
/// the mix is decided for the whole tensor list at once, in llama-quantize's processing order.
public struct QuantizationMix {
    public struct Model: Sendable {
        public let layerCount: Int
        public let headCount: Int
        public let headCountKV: Int
        /// `general.architecture`: some rules apply to one architecture only.
        public let architecture: String

        public init(layerCount: Int, headCount: Int, headCountKV: Int, architecture: String = "llama") {
            self.layerCount = layerCount
            self.headCount = headCount
            self.headCountKV = headCountKV
            self.architecture = architecture
        }

        /// `n_gqa()`: query heads per key/value head (0 without key/value heads).
        var groupedQueryFactor: Int { headCountKV == 0 ? 0 : headCount / headCountKV }
        /// llama.cpp's `LLM_TYPE_70B` for the llama architecture: 80 layers with grouped-query attention.
        var is70B: Bool { architecture == "llama" && layerCount == 80 && headCount != headCountKV }
    }

    /// The llama-quantize options that change types.
    public struct Overrides: Sendable {
        /// `--pure`: no mix rules; every quantizable tensor (output included) gets the default type.
        public var pure = false
        /// `--output-tensor-type`.
        public var outputTensorType: GGMLType?
        /// `--token-embedding-type`.
        public var tokenEmbeddingType: GGMLType?
        /// `--tensor-type REGEX=TYPE`, first match wins (patterns are lowercased, as llama-quantize does).
        public var tensorTypes: [(pattern: String, type: GGMLType)] = []
        /// `--leave-output-tensor`: `output.weight` is copied unchanged.
        public var leaveOutputTensor = false

        public init() {}
    }

    /// A tensor as the mix sees it: name, ggml dimensions (row length first) and its type in the input.
    public typealias Tensor = GGUFTensorDescriptor

    public let fileType: QuantizationFileType
    public let model: Model
    public let hasImportanceMatrix: Bool
    public let overrides: Overrides
    private let patterns: [(regex: Regex<AnyRegexOutput>, type: GGMLType)]

    public init(fileType: QuantizationFileType, model: Model, hasImportanceMatrix: Bool, overrides: Overrides = Overrides()) throws {
        self.fileType = fileType
        self.model = model
        self.hasImportanceMatrix = hasImportanceMatrix
        self.overrides = overrides
        patterns = try overrides.tensorTypes.map { entry in
            do { return (try Regex(entry.pattern.lowercased()), entry.type) } catch { throw QuantizationMixError(pattern: entry.pattern) }
        }
    }

    /// A tensor whose chosen type does not divide its row length, and the type it got instead
    /// (llama-quantize warns about each and counts them).
    public struct Fallback: Sendable, Equatable {
        public let name: String
        public let rowLength: Int
        public let wanted: GGMLType
        public let used: GGMLType
    }

    /// The type of every tensor, keyed by name.
    public func types(for tensors: [Tensor]) -> [String: GGMLType] {
        decide(tensors).types
    }

    /// The tensors whose type `tensor_type_fallback` replaced, in llama-quantize's processing order.
    public func fallbacks(for tensors: [Tensor]) -> [Fallback] {
        decide(tensors).fallbacks
    }

    private func decide(_ tensors: [Tensor]) -> (types: [String: GGMLType], fallbacks: [Fallback]) {
        var state = Counters(attentionV: tensors.filter { Category($0.name).isAttentionV }.count,
                             hasTiedEmbeddings: !tensors.contains { $0.name == "output.weight" })
        var result: [String: GGMLType] = [:]
        var fallbacks: [Fallback] = []
        for tensor in Self.processingOrder(tensors) {
            let (wanted, isFinal) = type(of: tensor, state: &state)
            let rowLength = tensor.dimensions.first ?? 0
            let used = isFinal ? wanted : Self.fallback(wanted, rowLength: rowLength)
            if used != wanted { fallbacks.append(Fallback(name: tensor.name, rowLength: rowLength, wanted: wanted, used: used)) }
            result[tensor.name] = used
        }
        return (result, fallbacks)
    }

    /// llama-quantize's order (`weight_name_comparer`): block number from `blk.N.` (others first), then name.
    public static func processingOrder(_ tensors: [Tensor]) -> [Tensor] {
        func layer(_ name: String) -> Int {
            guard name.hasPrefix("blk.") else { return -1 }
            let digits = name.dropFirst(4).prefix { $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }
            return Int(digits) ?? -1
        }
        return tensors.sorted { a, b in
            let (la, lb) = (layer(a.name), layer(b.name))
            return la != lb ? la < lb : Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
    }

    /// `tensor_allows_quantization` for the tensors a LLaMA/Pixtral text model has.
    public static func allowsQuantization(_ tensor: Tensor, leaveOutputTensor: Bool) -> Bool {
        let name = tensor.name
        // ggml_n_dims ≥ 2: some dimension after the row length is larger than 1.
        guard tensor.dimensions.dropFirst().contains(where: { $0 > 1 }), name.hasSuffix("weight") else { return false }
        let excluded = ["_norm.weight", "ffn_gate_inp.weight", "ssm_conv1d", "attn_rel_b.weight", ".position_embd", ".patch_embd",
                        ".patch_merger", "time_mix_"]
        return !(leaveOutputTensor && name == "output.weight") && !excluded.contains { name.contains($0) }
            && name != "position_embd.weight" && name != "token_types.weight"
    }

    private struct Counters {
        let attentionV: Int
        let hasTiedEmbeddings: Bool
        var attentionVSeen = 0
        var ffnDownSeen = 0
        var ffnGateSeen = 0
        var ffnUpSeen = 0
    }

    private enum Category {
        case output, tokenEmbedding, attentionQKV, attentionKVB, attentionV, attentionK, attentionQ, attentionOutput
        case ffnUp, ffnGate, ffnDown, other

        init(_ name: String) {
            let rules: [(String, Category)] = [
                ("attn_qkv.weight", .attentionQKV), ("attn_kv_b.weight", .attentionKVB), ("attn_v.weight", .attentionV),
                ("attn_k.weight", .attentionK), ("attn_q.weight", .attentionQ), ("attn_output.weight", .attentionOutput),
                ("ffn_up", .ffnUp), ("ffn_gate", .ffnGate), ("ffn_down", .ffnDown),
            ]
            if name == "output.weight" { self = .output }
            else if name == "token_embd.weight" || name == "per_layer_token_embd.weight" { self = .tokenEmbedding }
            else { self = rules.first { name.contains($0.0) }?.1 ?? .other }
        }

        /// `category_is_attn_v`: fused QKV and MLA's kv_b follow the `attn_v` rules.
        var isAttentionV: Bool { self == .attentionV || self == .attentionQKV || self == .attentionKVB }
    }

    /// `llama_tensor_get_type`: the type chosen, and whether it is final as it is (`false`: it still goes
    /// through `tensor_type_fallback`).
    private func type(of tensor: Tensor, state: inout Counters) -> (GGMLType, final: Bool) {
        guard Self.allowsQuantization(tensor, leaveOutputTensor: overrides.leaveOutputTensor) else { return (tensor.type, true) }
        let category = Category(tensor.name)
        if let forced = overrides.tokenEmbeddingType, category == .tokenEmbedding { return (forced, true) }
        if let forced = overrides.outputTensorType, category == .output { return (forced, true) }
        let defaultType = fileType.defaultType
        guard defaultType.isQuantized else { return (defaultType, true) }
        var chosen = defaultType
        if let manual = patterns.first(where: { tensor.name.contains($0.regex) }) {
            chosen = manual.type
        } else if !overrides.pure {
            chosen = mixType(defaultType, tensor, category, &state)
        }
        return (chosen, false)
    }

    /// `llama_tensor_get_type_impl`, restricted to the file types Kiln offers.
    private func mixType(_ type: GGMLType, _ tensor: Tensor, _ category: Category, _ state: inout Counters) -> GGMLType {
        let f = fileType
        let gqa = model.groupedQueryFactor
        /// `use_more_bits`: the first and last eighth of the layers and every third one between.
        func moreBits(_ i: Int, _ n: Int) -> Bool { i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2 }
        if category == .output || (state.hasTiedEmbeddings && category == .tokenEmbedding) {
            if let forced = overrides.outputTensorType { return forced }
            if (tensor.dimensions.first ?? 0) % type.blockSize != 0 { return .q8_0 }
            if [.iq2_xxs, .iq2_xs, .iq3_xxs, .iq1_s, .iq2_s, .iq2_m, .iq1_m].contains(f) { return .q5_K }
            return type == .q8_0 ? type : .q6_K
        }
        if category == .tokenEmbedding {
            switch f {
            case .iq2_xxs, .iq2_xs, .iq1_s, .iq1_m: return .q2_K
            case .iq2_s, .iq2_m, .iq3_xxs: return .iq3_s
            case .tq1_0, .tq2_0: return .q4_K
            default: return type
            }
        }
        if [.iq2_xxs, .iq2_xs, .iq1_s, .iq2_s, .iq2_m, .iq1_m].contains(f) {
            // The 1–2 bit mixes have their own branch; their bumps are IQ3_S for IQ2_S/IQ2_M, else Q2_K.
            let bump: GGMLType = f == .iq2_s || f == .iq2_m ? .iq3_s : .q2_K
            if category.isAttentionV {
                state.attentionVSeen += 1
                return gqa >= 4 ? .q4_K : bump
            }
            if category == .ffnDown {
                let i = state.ffnDownSeen
                state.ffnDownSeen += 1
                return i < model.layerCount / 8 ? bump : type
            }
            if category == .attentionOutput {
                if f == .iq1_s || f == .iq1_m { return .iq2_xxs }
                if f == .iq2_s || f == .iq2_m { return .iq3_s }
            }
            return type
        }
        if category.isAttentionV {
            let i = state.attentionVSeen
            state.attentionVSeen += 1
            var chosen = type
            switch f {
            case .q2_K: chosen = gqa >= 4 ? .q4_K : .q3_K
            case .iq3_xxs: chosen = gqa >= 4 ? .q4_K : hasImportanceMatrix ? .iq3_xxs : .iq3_s
            case .iq3_xs where gqa >= 4, .iq3_s where gqa >= 4, .iq3_m: chosen = .q4_K
            case .q3_K_M: chosen = i < 2 ? .q5_K : .q4_K
            case .q3_K_L: chosen = .q5_K
            case .iq4_nl where gqa >= 4, .iq4_xs where gqa >= 4: chosen = .q5_K
            case .q4_K_M where moreBits(i, state.attentionV), .q5_K_M where moreBits(i, state.attentionV): chosen = .q6_K
            case .q4_K_S where i < 4: chosen = .q5_K
            default: break
            }
            if model.is70B && (chosen == .q3_K || chosen == .q4_K) { chosen = .q5_K }
            return chosen
        }
        if category == .attentionK || category == .attentionQ {
            switch f {
            case .iq3_xs: return .iq3_xxs
            case .iq3_xxs: return .iq2_s
            default: return type
            }
        }
        if category == .ffnDown {
            let (i, n) = (state.ffnDownSeen, model.layerCount)
            state.ffnDownSeen += 1
            switch f {
            case .q2_K: return .q3_K
            case .iq3_xxs where !hasImportanceMatrix: return i < n / 8 ? .q4_K : .q3_K
            case .q3_K_M: return i < n / 16 ? .q5_K : .q4_K
            case .iq3_m where i < n / 8: return .q4_K
            case .q3_K_L: return .q5_K
            case .q4_K_M: return moreBits(i, n) ? .q6_K : type
            case .iq4_nl where i < n / 8 && !hasImportanceMatrix, .iq4_xs where i < n / 8 && !hasImportanceMatrix: return .q5_K
            case .q5_K_M where moreBits(i, n): return .q6_K
            case .q4_K_S where i < n / 8: return .q5_K
            case .q4_0 where hasImportanceMatrix && i < n / 8: return .q4_1
            case .q5_0 where hasImportanceMatrix && i < n / 8: return .q5_1
            default: return type
            }
        }
        if category == .attentionOutput {
            switch f {
            case .q2_K: return .q3_K
            case .iq3_xxs: return .iq3_s
            case .q3_K_M, .iq3_m: return .q4_K
            case .q3_K_L: return .q5_K
            default: return type
            }
        }
        if category == .ffnGate || category == .ffnUp {
            // IQ3_XS takes the middle three quarters of the gate and up projections down to IQ3_XXS.
            let n = model.layerCount
            let i: Int
            if category == .ffnGate {
                i = state.ffnGateSeen
                state.ffnGateSeen += 1
            } else {
                i = state.ffnUpSeen
                state.ffnUpSeen += 1
            }
            if f == .iq3_xs && i >= n / 8 && i < 7 * n / 8 { return .iq3_xxs }
        }
        return type
    }

    /// `tensor_requires_imatrix`: llama-quantize refuses to write these types (anywhere but the token
    /// embedding and the output) without the tensor's importance-matrix entry.
    public static func requiresImportance(_ name: String, type: GGMLType) -> Bool {
        guard name != "token_embd.weight", name != "per_layer_token_embd.weight", name != "output.weight" else { return false }
        return [.iq3_xxs, .iq2_xxs, .iq2_xs, .iq2_s, .iq1_m, .iq1_s].contains(type)
    }

    /// `tensor_type_fallback`: a type whose block does not divide the row length is replaced by the
    /// nearest 32-block type, and by F16 when even that does not fit.
    public static func fallback(_ type: GGMLType, rowLength: Int) -> GGMLType {
        guard rowLength % type.blockSize != 0 else { return type }
        let replacement: GGMLType = switch type {
        case .iq4_xs, .iq1_s, .iq1_m, .iq2_xxs, .iq2_xs, .iq2_s, .iq3_xxs, .iq3_s: .iq4_nl
        case .q2_K, .q3_K, .tq1_0, .tq2_0: .q4_0
        case .q4_K: .q5_0
        case .q5_K: .q5_1
        case .q6_K: .q8_0
        default: type
        }
        return rowLength % replacement.blockSize == 0 ? replacement : .f16
    }
}
