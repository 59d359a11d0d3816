import KilnCheckpoints
import KilnConversion
import KilnCore

/// How far one candidate tensor is from the reference's: relative RMSE, √(Σ(c−r)² / Σr²).
public struct TensorDeviation: Sendable, Equatable {
    public let name: String
    public let type: String
    public let relativeRMSE: Double

    /// Every text tensor the two models share a role for, worst first. Reference Q/K rows in Hugging
    /// Face's rotate-half order are compared through the same permutation the converter applies.
    public static func compare(reference: ModelSpec, candidate: ModelSpec) throws -> [TensorDeviation] {
        let references = Dictionary(reference.textTensors.map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
        var errors: [TensorDeviation] = []
        for tensor in candidate.textTensors {
            guard let base = references[tensor.role], base.shape == tensor.shape,
                  FloatRows.canDecode(base.encoding), FloatRows.canDecode(tensor.encoding)
            else { continue }
            var permutation: RotaryPermutation?
            if reference.rotaryPairing != candidate.rotaryPairing,
               tensor.role.kind == .attentionQuery || tensor.role.kind == .attentionKey {
                permutation = RotaryPermutation(headDimension: reference.text.headDimension)
            }
            errors.append(TensorDeviation(name: tensor.name, type: tensor.encoding.description,
                                      relativeRMSE: relativeRMSE(base, tensor, permutation: permutation)))
        }
        return errors.sorted { $0.relativeRMSE > $1.relativeRMSE }
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
