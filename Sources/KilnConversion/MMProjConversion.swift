import KilnCheckpoints
import KilnCore
import KilnGGUF

/// `--mmproj-type`: the type of the projector file's weight matrices.
public enum MMProjOutputType: String, Sendable, CaseIterable {
    /// bf16 and f16 weights keep their type; anything else becomes F16 (the converter's `--outtype auto`).
    case auto, f32, f16, bf16, q8_0

    /// The text conversion's `--outtype` applied to the projector, as one converter run would.
    public init(_ textType: OutputType) {
        switch textType {
        case .auto: self = .auto
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        }
    }
}

/// The mapping from a model's vision tower to llama.cpp's projector file (`convert_hf_to_gguf.py
/// --mmproj`, classes `LlavaVisionModel` and `PixtralModel`): architecture `clip`, projector type
/// `pixtral`, `v.*`/`mm.*` names, Q/K rows of Hugging Face weights permuted for interleaved rotary
/// pairs, the patch convolution F16 only in an F16 file and F32 otherwise, norms, biases and the
/// `[IMG_BREAK]` embedding F32.
///
/// One deliberate difference: the converter drops `v.token_embd.img_break` for Hugging Face layouts
/// (its tensor filter removes the token embedding first), and clip.cpp refuses a Pixtral projector
/// without it. Kiln writes it for both layouts, as the converter does for Mistral's native one.
public enum MMProjConversion {
    public static func plan(_ spec: ModelSpec, outputType: MMProjOutputType) throws -> ConversionPlan {
        guard let vision = spec.visionSpec else { throw ConversionError(path: spec.path, "has no vision tower to write as a projector") }
        // A patch merger (Mistral Small 3.1) or other extra would be silently lost from the projector.
        if let unknown = spec.tensors.first(where: { $0.role.kind == .multimodal && $0.role.vision == nil }) {
            throw ConversionError(path: spec.path, "tensor \"\(unknown.name)\" is not part of a Pixtral vision tower or Llava projector, which is all Kiln writes to an mmproj file")
        }
        try vision.validate()
        guard vision.imageBreakEmbedding != nil else {
            throw ConversionError(path: spec.path, "names no [IMG_BREAK] token (tokenizer or params.json), which a Pixtral projector needs")
        }
        let p = vision.parameters
        // The converter reads shards in file order, so the text tensors place the embedding's row.
        let tensors = GGUFConversion.convertersOrder(spec.textTensors + vision.tensors).filter { $0.role.vision != nil }
        let type = resolved(outputType, firstMatrix: tensors.first { $0.shape.count >= 2 }?.encoding)
        var planned: [PlannedTensor] = []
        for tensor in tensors {
            guard FloatRows.canDecode(tensor.encoding), let role = tensor.role.vision else {
                throw ConversionError(path: spec.path, "tensor \"\(tensor.name)\" is \(tensor.encoding); convert reads floating-point weights")
            }
            var permutation: RotaryPermutation?
            if vision.rotaryPairing == .halves, role.kind == .attentionQuery || role.kind == .attentionKey {
                permutation = RotaryPermutation(headDimension: p.headDimension)
            }
            let name = VisionTensorNaming.mmproj.name(of: role)
            planned.append(PlannedTensor(descriptor: GGUFTensorDescriptor(name: name, dimensions: tensor.shape.reversed(), type: tensorType(tensor, role: role, fileType: type)),
                                         source: tensor, rotaryPermutation: permutation))
        }
        let parameterCount = planned.reduce(0) { $0 + $1.source.elementCount }
        return ConversionPlan(metadata: try metadata(spec, vision: p, fileType: type, parameterCount: parameterCount), tensors: planned)
    }

    /// `auto` as the converter guesses it from the first matrix's dtype.
    static func resolved(_ type: MMProjOutputType, firstMatrix: TensorEncoding?) -> MMProjOutputType {
        guard type == .auto else { return type }
        switch firstMatrix {
        case .safetensors(.bf16)?, .ggml(.bf16)?: return .bf16
        default: return .f16
        }
    }

    /// The converter's `tensor_force_quant` and its 1-D rule; Q8_0 falls back to F16 for rows that are not
    /// whole blocks, as gguf-py's quantizer does.
    static func tensorType(_ tensor: ModelTensor, role: VisionTensorRole, fileType: MMProjOutputType) -> GGMLType {
        if role.kind == .patchEmbedding { return fileType == .f16 ? .f16 : .f32 }
        if tensor.shape.count < 2 { return .f32 }
        switch fileType {
        case .f32: return .f32
        case .f16, .auto: return .f16
        case .bf16: return .bf16
        case .q8_0: return tensor.rowLength % GGMLType.q8_0.blockSize == 0 ? .q8_0 : .f16
        }
    }

    /// `general.file_type` (llama_ftype).
    static func fileTypeID(_ type: MMProjOutputType) -> UInt32 {
        switch type {
        case .f32: 0
        case .f16, .auto: 1
        case .q8_0: 7
        case .bf16: 32
        }
    }

    /// Keys in the converter's order (`MmprojModel`, then `LlavaVisionModel` or `PixtralModel`).
    static func metadata(_ spec: ModelSpec, vision p: VisionModelParameters, fileType: MMProjOutputType, parameterCount: Int) throws -> GGUFMetadata {
        guard p.activation == "silu" || p.activation == "gelu" else {
            throw ConversionError(path: spec.path, "vision hidden_act \"\(p.activation)\" has no clip.cpp equivalent (silu or gelu)")
        }
        var m = GGUFMetadata()
        m[GGUFKey.General.architecture] = .string(GGUFKey.Clip.architecture)
        m[GGUFKey.General.type] = .string(GGUFKey.Clip.fileType)
        for (key, value) in try ModelNaming.entries(for: spec, parameterCount: parameterCount) { m[key] = value }
        m[GGUFKey.General.fileType] = .uint32(fileTypeID(fileType))
        m[GGUFKey.Clip.hasVisionEncoder] = .bool(true)
        m[GGUFKey.Clip.Vision.projectionDimension] = .uint32(UInt32(p.projectionSize))
        m[GGUFKey.Clip.Vision.imageSize] = .uint32(UInt32(p.imageSize))
        m[GGUFKey.Clip.Vision.patchSize] = .uint32(UInt32(p.patchSize))
        m[GGUFKey.Clip.Vision.embeddingLength] = .uint32(UInt32(p.hiddenSize))
        m[GGUFKey.Clip.Vision.feedForwardLength] = .uint32(UInt32(p.intermediateSize))
        m[GGUFKey.Clip.Vision.blockCount] = .uint32(UInt32(p.layerCount))
        m[GGUFKey.Clip.Vision.headCount] = .uint32(UInt32(p.headCount))
        m[GGUFKey.Clip.Vision.imageMean] = .array(.float32(p.imageMean.map(Float.init)))
        m[GGUFKey.Clip.Vision.imageStd] = .array(.float32(p.imageStd.map(Float.init)))
        m[GGUFKey.Clip.projectorType] = .string("pixtral")
        m[GGUFKey.Clip.Vision.layerNormEpsilon] = .float32(Float(p.layerNormEpsilon))
        // Only the --mistral-format path records the rotary base (clip.cpp assumes 10000 otherwise).
        if spec.layout.kind == .mistralNative { m[GGUFKey.Clip.ropeFrequencyBase] = .float32(Float(p.ropeTheta)) }
        m[p.activation == "silu" ? GGUFKey.Clip.useSilu : GGUFKey.Clip.useGelu] = .bool(true)
        m[GGUFKey.General.quantizationVersion] = .uint32(2)
        return m
    }
}
