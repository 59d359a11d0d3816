@testable import KilnRuntime

extension ActivationRounding {
    /// `tokens` rows of `columns` activations as the runtime hands them to `CMatrixProducts`: floats
    /// rounded in place for F16 rows, else this rounding's integer blocks. Returns the bytes and the
    /// bytes per row.
    func kernelRows(_ x: [Float], tokens: Int, columns: Int) -> (bytes: [UInt8], rowBytes: Int) {
        let floats = self == .f16
        let rowBytes = floats ? 4 * columns : blockBytes(columns)
        var bytes = [UInt8](repeating: 0, count: tokens * rowBytes)
        bytes.withUnsafeMutableBytes { out in
            x.withUnsafeBufferPointer { x in
                for t in 0..<tokens {
                    let row = out.baseAddress! + t * rowBytes
                    if floats {
                        row.copyMemory(from: x.baseAddress! + t * columns, byteCount: rowBytes)
                        apply(row.assumingMemoryBound(to: Float.self), count: columns)
                    } else {
                        quantize(x.baseAddress! + t * columns, count: columns, into: row)
                    }
                }
            }
        }
        return (bytes, rowBytes)
    }
}
