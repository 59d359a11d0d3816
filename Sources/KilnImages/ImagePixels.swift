/// A preprocessed image as the vision encoder takes it: channel-major floats (C × H × W) whose
/// height and width are whole numbers of patches.
public struct ImagePixels: Equatable, Sendable {
    public let channels: Int
    /// Height in pixels, `patchRows × patch height`.
    public let height: Int
    /// Width in pixels, `patchColumns × patch width`.
    public let width: Int
    /// `channels × height × width` values: all of channel 0 row by row, then channel 1, …
    public let values: [Float]
    public let patchRows: Int
    public let patchColumns: Int
}
