import KilnCore
import KilnGGUF

extension CheckpointReader {
    /// Opens an mmproj GGUF (llama.cpp's `clip` architecture, projector type `pixtral`) as the vision
    /// tower and projector it holds.
    ///
    /// Every value is range-checked before use and every tensor must have the shape the `clip.*` keys
    /// imply. Q/K rows are already in interleaved rotary order (the converter permutes Hugging Face
    /// weights); token ids are not in the file (the text GGUF's vocabulary has them).
    public static func openProjector(_ path: String) throws -> VisionSpec {
        let file = try GGUFFile(path: path)
        let metadata = file.metadata
        func fail(_ message: String, _ code: CheckpointError.Code = .invalidConfig) -> CheckpointError {
            CheckpointError(code, path: path, message)
        }
        guard let architecture = file.architecture else { throw fail("GGUF has no \(GGUFKey.General.architecture)") }
        guard architecture == GGUFKey.Clip.architecture else {
            throw fail("is a GGUF of architecture \"\(architecture)\", not a projector (mmproj) file of architecture \"clip\"", .unsupportedArchitecture)
        }
        guard metadata[GGUFKey.Clip.hasVisionEncoder]?.boolValue == true else { throw fail("projector has no vision encoder (\(GGUFKey.Clip.hasVisionEncoder))") }
        let projector = metadata[GGUFKey.Clip.projectorType]?.stringValue ?? "(none)"
        guard projector == "pixtral" else {
            throw fail("projector type \"\(projector)\" is not supported (Kiln reads pixtral)", .unsupportedArchitecture)
        }
        if let merge = metadata[GGUFKey.Clip.Vision.spatialMergeSize], merge.intValue != 1 {
            throw fail("spatial merge size \(merge) (Mistral Small 3.1's patch merger) is not supported", .unsupportedArchitecture)
        }
        /// Integers in `range`; the shapes below catch values that disagree with the tensors.
        func int(_ key: String, _ range: ClosedRange<Int> = ValueLimits.width) throws -> Int {
            guard let v = try metadata.integer(key, in: range, path: path) else { throw fail("lacks \(key)") }
            return v
        }
        func positive(_ key: String, default fallback: Double?, below limit: Double) throws -> Double {
            guard let v = try metadata.positiveNumber(key, below: limit, path: path) ?? fallback else { throw fail("lacks \(key)") }
            return v
        }
        func channels(_ key: String) throws -> [Double] {
            guard let value = metadata[key] else { throw fail("lacks \(key)") }
            guard case let .array(.float32(values))? = Optional(value), values.count == 3, values.allSatisfy(\.isFinite) else {
                throw fail("\(key) must be three f32 values (one per RGB channel)")
            }
            return values.map(Double.init)
        }
        let hidden = try int(GGUFKey.Clip.Vision.embeddingLength)
        let heads = try int(GGUFKey.Clip.Vision.headCount, 1...hidden)
        let imageSize = try int(GGUFKey.Clip.Vision.imageSize, 1...(1 << 15))
        let patchSize = try int(GGUFKey.Clip.Vision.patchSize, 1...imageSize)
        let useSilu = metadata[GGUFKey.Clip.useSilu]?.boolValue == true
        let useGelu = metadata[GGUFKey.Clip.useGelu]?.boolValue == true
        guard useSilu != useGelu else { throw fail("must set exactly one of \(GGUFKey.Clip.useSilu) and \(GGUFKey.Clip.useGelu)") }
        let std = try channels(GGUFKey.Clip.Vision.imageStd)
        guard std.allSatisfy({ $0 > 0 }) else { throw fail("\(GGUFKey.Clip.Vision.imageStd) \(std) must be positive") }
        let parameters = VisionModelParameters(
            hiddenSize: hidden, intermediateSize: try int(GGUFKey.Clip.Vision.feedForwardLength),
            layerCount: try int(GGUFKey.Clip.Vision.blockCount, 1...1024), headCount: heads,
            imageSize: imageSize, patchSize: patchSize, channelCount: 3,
            // clip.cpp uses 10000 when the file (a Hugging Face conversion) does not say.
            ropeTheta: try positive(GGUFKey.Clip.ropeFrequencyBase, default: 10000, below: 1e12),
            activation: useSilu ? "silu" : "gelu", projectorActivation: "gelu",
            projectionSize: try int(GGUFKey.Clip.Vision.projectionDimension),
            layerNormEpsilon: try positive(GGUFKey.Clip.Vision.layerNormEpsilon, default: nil, below: 1),
            imageMean: try channels(GGUFKey.Clip.Vision.imageMean), imageStd: std
        )
        var tensors: [ModelTensor] = []
        for info in file.tensors {
            guard let role = VisionTensorNaming.mmproj.role(of: info.name) else {
                throw fail("tensor \"\(info.name)\" is not part of a Pixtral projector", .unknownTensor)
            }
            let start = file.dataOffset + info.offset
            tensors.append(ModelTensor(name: info.name, role: .multimodal(info.name, vision: role), shape: info.dimensions.reversed(),
                                       encoding: .ggml(info.type), source: .mapped(file.mapping, start..<start + info.byteCount)))
        }
        let spec = VisionSpec(path: path, parameters: parameters, rotaryPairing: .interleaved, tensors: tensors)
        try spec.validate()
        return spec
    }
}
