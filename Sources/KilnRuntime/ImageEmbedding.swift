/// The projected features of one image: one row of the text model's hidden size per patch, patch
/// rows top to bottom, each left to right (the order `PixtralVisionModel` flattens its patch grid).
public struct ImageEmbedding: Sendable, Equatable {
    /// Patch rows (image height / patch size) and patch columns (image width / patch size).
    public let rows: Int
    public let columns: Int
    /// Floats per patch: the text model's hidden size.
    public let width: Int
    /// `rows × columns × width` values.
    public let values: [Float]

    public init(rows: Int, columns: Int, width: Int, values: [Float]) {
        precondition(values.count == rows * columns * width, "an image embedding holds rows × columns × width values")
        self.rows = rows
        self.columns = columns
        self.width = width
        self.values = values
    }

    public var patchCount: Int { rows * columns }

    /// The embedding of patch `index` (row-major).
    public func patch(_ index: Int) -> ArraySlice<Float> { values[index * width..<(index + 1) * width] }
}
