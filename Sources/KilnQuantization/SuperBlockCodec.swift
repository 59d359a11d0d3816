/// A K-quant block type (Q2_K…Q6_K) seen as what it stores: 256 values in `groups` equal groups, each
/// value `d·scale·L − dmin·min` with the group's integer scale and min codes and an integer level L.
///
/// ``ExhaustiveRounding`` searches these parameters; the codec turns them into its own bytes.
protocol SuperBlockCodec: BlockCodec {
    var shape: SuperBlockShape { get }

    /// The parameters `block` stores.
    func parameters(of block: UnsafePointer<UInt8>) -> SuperBlockParameters

    /// Stores `parameters` and, for each of the 256 values of `x`, the level nearest to it under them
    /// (the last step of the reference quantizer).
    func write(_ parameters: SuperBlockParameters, nearest x: UnsafePointer<Float>, into block: UnsafeMutablePointer<UInt8>)
}

/// The ranges a K-quant block type allows.
struct SuperBlockShape {
    let blockBytes: Int
    let groups: Int
    let levels: ClosedRange<Int32>
    let scaleCodes: ClosedRange<Int32>
    /// nil for the symmetric types (Q3_K, Q6_K), which have no offset.
    let minCodes: ClosedRange<Int32>?

    var groupSize: Int { 256 / groups }
}

/// `d` and `dmin` as stored (values an fp16 holds); per group, the scale and min codes.
struct SuperBlockParameters: Equatable {
    var d: Float
    var dmin: Float = 0
    var scales = SIMD16<Int32>()
    var mins = SIMD16<Int32>()
}
