/// One tensor type's part of a model: how many tensors have it, their bytes and weights, and the worst
/// weight error among them, so a reader sees where the bytes went and what they bought.
public struct TypeShare: Sendable, Equatable {
    public let type: String
    public let tensors: Int
    public let bytes: Int
    public let elements: Int
    /// The tensor of this type with the largest measured error; nil when none was measured.
    public let worst: TensorDeviation?

    public var bitsPerWeight: Double { elements > 0 ? Double(bytes * 8) / Double(elements) : 0 }

    /// The types of `tensors`, most bytes first.
    public static func of(_ tensors: [TensorDeviation]) -> [TypeShare] {
        Dictionary(grouping: tensors, by: \.type).map { type, group in
            TypeShare(type: type, tensors: group.count, bytes: group.reduce(0) { $0 + $1.bytes },
                      elements: group.reduce(0) { $0 + $1.elements },
                      worst: group.filter { $0.relativeRMSE != nil }.max { $0.relativeRMSE! < $1.relativeRMSE! })
        }.sorted { ($0.bytes, $1.type) > ($1.bytes, $0.type) }
    }
}
