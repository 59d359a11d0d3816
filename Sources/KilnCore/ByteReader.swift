/// A bounds-checked little-endian cursor over untrusted bytes.
///
/// Every read returns `nil` instead of trapping when the bytes run out, so parsers can turn a short
/// file into a readable error.
public struct ByteReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { return nil }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    public mutating func readFloat() -> Float? { read(UInt32.self).map(Float.init(bitPattern:)) }
    public mutating func readDouble() -> Double? { read(UInt64.self).map(Double.init(bitPattern:)) }

    /// The next `count` bytes as a slice of the underlying buffer (no copy).
    public mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    public mutating func skip(to newOffset: Int) -> Bool {
        guard newOffset >= offset, newOffset <= bytes.count else { return false }
        offset = newOffset
        return true
    }
}
