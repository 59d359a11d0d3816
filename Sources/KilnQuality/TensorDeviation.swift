import KilnCheckpoints
import KilnConversion
import KilnCore

/// How far one candidate tensor is from the reference's: relative RMSE, √(Σ(c−r)² / Σr²), with the
/// candidate's type and size, so the error of each tensor reads next to the bytes it was given.
public struct TensorDeviation: Sendable, Equatable {
    public let name: String
    public let type: String
    /// The candidate tensor's data bytes and weights.
    public let bytes: Int
    public let elements: Int
    /// nil when the reference has no tensor of the same role and shape, or one that cannot be decoded.
    public let relativeRMSE: Double?

    public var bitsPerWeight: Double { elements > 0 ? Double(bytes * 8) / Double(elements) : 0 }

    /// Every text tensor of the candidate, those with a measured error worst first, then the others in
    /// file order. Reference Q/K rows in Hugging Face's rotate-half order are compared through the same
    /// permutation the converter applies. `progress` gets the candidate bytes compared so far, their
    /// total and the tensor just compared.
    public static func compare(reference: ModelSpec, candidate: ModelSpec,
                               progress: ((Int, Int, String) -> Void)? = nil) throws -> [TensorDeviation] {
        let references = Dictionary(reference.textTensors.map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
        func counterpart(_ tensor: ModelTensor) -> ModelTensor? {
            guard let base = references[tensor.role], base.shape == tensor.shape,
                  FloatRows.canDecode(base.encoding), FloatRows.canDecode(tensor.encoding) else { return nil }
            return base
        }
        let total = candidate.textTensors.reduce(0) { $0 + (counterpart($1) == nil ? 0 : $1.byteCount) }
        var done = 0
        var deviations: [TensorDeviation] = []
        for tensor in candidate.textTensors {
            var error: Double?
            if let base = counterpart(tensor) {
                var permutation: RotaryPermutation?
                if reference.rotaryPairing != candidate.rotaryPairing,
                   tensor.role.kind == .attentionQuery || tensor.role.kind == .attentionKey {
                    permutation = RotaryPermutation(headDimension: reference.text.headDimension)
                }
                error = relativeRMSE(base, tensor, permutation: permutation)
                done += tensor.byteCount
                progress?(done, total, tensor.name)
            }
            deviations.append(TensorDeviation(name: tensor.name, type: tensor.encoding.description, bytes: tensor.byteCount,
                                              elements: tensor.elementCount, relativeRMSE: error))
        }
        let measured = deviations.filter { $0.relativeRMSE != nil }.sorted { $0.relativeRMSE! > $1.relativeRMSE! }
        return measured + deviations.filter { $0.relativeRMSE == nil }
    }

    static func relativeRMSE(_ reference: ModelTensor, _ candidate: ModelTensor, permutation: RotaryPermutation?) -> Double {
        let columns = candidate.rowLength, rows = candidate.rowCount
        let referenceRowBytes = reference.byteCount / max(rows, 1), candidateRowBytes = candidate.byteCount / max(rows, 1)
        let a = UnsafeMutablePointer<Float>.allocate(capacity: columns), b = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        defer { a.deallocate(); b.deallocate() }
        var difference = 0.0, magnitude = 0.0
        reference.withBytes { r in
            candidate.withBytes { c in
                for row in 0..<rows {
                    let sourceRow = permutation?.sourceRow(row) ?? row
                    FloatRows.decode(reference.encoding, from: r.baseAddress! + sourceRow * referenceRowBytes, count: columns, into: a)
                    FloatRows.decode(candidate.encoding, from: c.baseAddress! + row * candidateRowBytes, count: columns, into: b)
                    for i in 0..<columns {
                        let d = Double(b[i] - a[i])
                        difference += d * d
                        magnitude += Double(a[i]) * Double(a[i])
                    }
                }
            }
        }
        return magnitude > 0 ? (difference / magnitude).squareRoot() : (difference > 0 ? .infinity : 0)
    }
}
