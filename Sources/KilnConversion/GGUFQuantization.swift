import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization

/// What `kiln quantize` was asked for.
public struct QuantizationRequest: Sendable {
    public var fileType: QuantizationFileType
    public var overrides = QuantizationMix.Overrides()
    public var importanceMatrix: ImportanceMatrix?
    /// Accept inputs whose tensors are already quantized.
    public var allowRequantize = false

    public init(fileType: QuantizationFileType) { self.fileType = fileType }
}

/// llama-quantize's transformation of a GGUF plan: each tensor's type from the mix, tensors in its
/// processing order, metadata copied with the quantization keys moved to the end.
public enum GGUFQuantization {
    public static func plan(_ source: ConversionPlan, layerCount: Int, headCount: Int, headCountKV: Int,
                            request: QuantizationRequest, inputPath: String) throws -> ConversionPlan {
        if !request.allowRequantize, let quantized = source.tensors.first(where: { $0.descriptor.type.isQuantized }) {
            throw QuantizationError(path: inputPath, "is already quantized (\(quantized.descriptor.name) is \(quantized.descriptor.type)); pass --allow-requantize to quantize it again")
        }
        let mix = try QuantizationMix(
            fileType: request.fileType,
            model: .init(layerCount: layerCount, headCount: headCount, headCountKV: headCountKV,
                         architecture: source.metadata[GGUFKey.General.architecture]?.stringValue ?? "llama"),
            hasImportanceMatrix: request.importanceMatrix != nil, overrides: request.overrides
        )
        let described = source.tensors.map(\.descriptor)
        let types = mix.types(for: described)
        let byName = Dictionary(uniqueKeysWithValues: source.tensors.map { ($0.descriptor.name, $0) })
        var tensors: [PlannedTensor] = []
        for tensor in QuantizationMix.processingOrder(described) {
            var planned = byName[tensor.name]!
            let type = types[tensor.name] ?? tensor.type
            guard type == tensor.type || BlockCodecs.codec(for: type) != nil else {
                throw QuantizationError(path: "", "Kiln cannot write \(type) (asked for \(tensor.name)); it writes \(BlockCodecs.all.map(\.type.name).joined(separator: ", "))")
            }
            planned = PlannedTensor(descriptor: GGUFTensorDescriptor(name: tensor.name, dimensions: tensor.dimensions, type: type),
                                    source: planned.source, rotaryPermutation: planned.rotaryPermutation, valueShift: planned.valueShift)
            if type.isQuantized, type != tensor.type, let weights = request.importanceMatrix?.entries[tensor.name] {
                let columns = tensor.dimensions[0]
                guard weights.count == columns * (tensor.dimensions.count > 2 ? tensor.dimensions[2] : 1) else {
                    if tensor.name == "token_embd.weight" { tensors.append(planned); continue }
                    throw QuantizationError(path: request.importanceMatrix!.path, "has \(weights.count) weights for \(tensor.name), which has \(columns) columns")
                }
                planned.importance = weights
            }
            if planned.importance == nil, QuantizationMix.allowsQuantization(tensor, leaveOutputTensor: request.overrides.leaveOutputTensor),
               QuantizationMix.requiresImportance(tensor.name, type: type) {
                throw QuantizationError(path: request.importanceMatrix?.path ?? inputPath,
                                        request.importanceMatrix == nil
                                            ? "\(request.fileType.rawValue) needs an importance matrix (--imatrix): \(tensor.name) would be \(type.name)"
                                            : "has no entry for \(tensor.name), which \(request.fileType.rawValue) makes \(type.name) and cannot be written without one")
            }
            tensors.append(planned)
        }

        var metadata = source.metadata
        for key in ["split.no", "split.count", "split.tensors.count"] { metadata[key] = nil }
        metadata.moveToEnd(GGUFKey.General.quantizationVersion, .uint32(2))
        metadata.moveToEnd(GGUFKey.General.fileType, .uint32(request.fileType.llamaFileType))
        if let imatrix = request.importanceMatrix {
            // llama-quantize records the first 127 bytes of the file name and of the first dataset.
            metadata.moveToEnd("quantize.imatrix.file", .string(String(decoding: imatrix.path.utf8.prefix(127), as: UTF8.self)))
            if let dataset = imatrix.datasets.first {
                metadata.moveToEnd("quantize.imatrix.dataset", .string(String(decoding: dataset.utf8.prefix(127), as: UTF8.self)))
            }
            metadata.moveToEnd("quantize.imatrix.entries_count", .uint32(UInt32(imatrix.entries.count)))
            if imatrix.chunkCount > 0 { metadata.moveToEnd("quantize.imatrix.chunks_count", .uint32(UInt32(imatrix.chunkCount))) }
        }
        var plan = ConversionPlan(metadata: metadata, tensors: tensors)
        plan.fallbacks = mix.fallbacks(for: described)
        return plan
    }
}
