import Foundation

/// Builds safetensors bytes by hand, valid or deliberately broken, for tests of the validator.
public struct RawSafeTensors {
    /// The header JSON text exactly as it will be stored.
    public var header: String
    /// The data buffer after the header.
    public var data: [UInt8]
    /// Overrides the 8-byte header length (to lie about it).
    public var declaredHeaderLength: UInt64?

    public init(header: String, data: [UInt8], declaredHeaderLength: UInt64? = nil) {
        self.header = header
        self.data = data
        self.declaredHeaderLength = declaredHeaderLength
    }

    /// A well-formed file of F32 tensors named `a`, `b`, … with the given element counts.
    public static func valid(elementCounts: [Int] = [4, 2]) -> RawSafeTensors {
        var entries: [String] = []
        var offset = 0
        var data: [UInt8] = []
        for (i, count) in elementCounts.enumerated() {
            let name = String(UnicodeScalar(UInt8(97 + i)))
            entries.append(#""\#(name)":{"dtype":"F32","shape":[\#(count)],"data_offsets":[\#(offset),\#(offset + 4 * count)]}"#)
            for j in 0..<count { withUnsafeBytes(of: Float(i * 100 + j).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            offset += 4 * count
        }
        return RawSafeTensors(header: "{" + (["\"__metadata__\":{\"format\":\"pt\"}"] + entries).joined(separator: ",") + "}", data: data)
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        let headerBytes = Array(header.utf8)
        withUnsafeBytes(of: (declaredHeaderLength ?? UInt64(headerBytes.count)).littleEndian) { out.append(contentsOf: $0) }
        out += headerBytes
        out += data
        return out
    }

    public func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
