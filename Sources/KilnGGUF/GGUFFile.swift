import KilnCore

/// A memory-mapped GGUF file, validated as llama.cpp's loader validates it.
///
/// Opening parses the header, metadata and tensor infos; tensor bytes stay in the map until read.
public final class GGUFFile: Sendable {
    public let path: String
    public let version: UInt32
    public let metadata: GGUFMetadata
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// Absolute file offset where the data section starts.
    public let dataOffset: Int
    public let mapping: MappedFile
    private let indexByName: [String: Int]

    public init(path: String) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        var parser = GGUFParser(reader: ByteReader(mapping.bytes), path: path)
        let header = try parser.parseHeader()
        version = header.version
        metadata = header.metadata
        alignment = header.alignment
        tensors = header.tensors
        dataOffset = header.dataOffset
        indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    }

    public func tensor(named name: String) -> GGUFTensorInfo? { indexByName[name].map { tensors[$0] } }

    /// The tensor's bytes, straight from the memory map.
    public func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + tensor.offset
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<start + tensor.byteCount])
    }

    public var architecture: String? { metadata[GGUFKey.General.architecture]?.stringValue }
}

private struct GGUFParser {
    var reader: ByteReader
    let path: String

    struct Header {
        var version: UInt32
        var metadata: GGUFMetadata
        var alignment: Int
        var tensors: [GGUFTensorInfo]
        var dataOffset: Int
    }

    func fail(_ code: GGUFError.Code, _ message: String) -> GGUFError { GGUFError(code, path: path, message) }

    func truncated(_ what: String) -> GGUFError {
        fail(.truncated, "file ends inside \(what) at byte \(reader.offset) (truncated?)")
    }

    mutating func parseHeader() throws -> Header {
        guard let magic = reader.readBytes(4) else { throw truncated("the magic number") }
        guard Array(magic) == GGUF.magic else { throw fail(.notGGUF, "not a GGUF file (bad magic)") }
        guard let version = reader.read(UInt32.self) else { throw truncated("the version") }
        guard version == 2 || version == 3 else {
            throw fail(.unsupportedVersion, "GGUF version \(version) is not supported (need 2 or 3; a big-endian file reads as a huge version)")
        }
        guard let tensorCount = reader.read(Int64.self), let kvCount = reader.read(Int64.self) else {
            throw truncated("the header")
        }
        // Every entry takes at least 8 bytes, which bounds honest counts by the file size.
        guard tensorCount >= 0, kvCount >= 0, tensorCount <= reader.remaining / 8, kvCount <= reader.remaining / 8 else {
            throw fail(.invalidMetadata, "header claims \(tensorCount) tensors and \(kvCount) metadata entries, more than the file can hold")
        }

        var metadata = GGUFMetadata()
        for _ in 0..<kvCount {
            let key = try readString("a metadata key")
            guard !metadata.contains(key) else { throw fail(.duplicateKey, "metadata key \"\(key)\" appears twice") }
            guard let rawType = reader.read(UInt32.self) else { throw truncated("metadata \"\(key)\"") }
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw fail(.invalidMetadata, "metadata \"\(key)\" has unknown value type \(rawType)")
            }
            metadata[key] = try readValue(type, key: key)
        }

        var alignment = GGUF.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard case let .uint32(a) = value, a > 0, a & (a - 1) == 0 else {
                throw fail(.invalidAlignment, "general.alignment must be a u32 power of two, found \(value)")
            }
            alignment = Int(a)
        }

        var tensors: [GGUFTensorInfo] = []
        var names = Set<String>()
        var expectedOffset = 0
        for _ in 0..<tensorCount {
            let name = try readString("a tensor name")
            guard name.utf8.count < GGUF.maximumNameLength else {
                throw fail(.invalidTensorInfo, "tensor name \"\(name)\" is \(name.utf8.count) bytes; llama.cpp allows at most \(GGUF.maximumNameLength - 1)")
            }
            guard names.insert(name).inserted else { throw fail(.duplicateTensor, "tensor \"\(name)\" appears twice") }
            guard let dimensionCount = reader.read(UInt32.self) else { throw truncated("tensor \"\(name)\"") }
            guard (1...UInt32(GGUF.maximumDimensions)).contains(dimensionCount) else {
                throw fail(.invalidTensorInfo, "tensor \"\(name)\" has \(dimensionCount) dimensions (1 to \(GGUF.maximumDimensions) allowed)")
            }
            var dimensions: [Int] = []
            // The product of the dimensions, zeros counted as ones, so that no partial product (row
            // count, row size) computed later can overflow either.
            var extent = 1
            for _ in 0..<dimensionCount {
                guard let size = reader.read(Int64.self) else { throw truncated("tensor \"\(name)\"") }
                guard size >= 0 else { throw fail(.invalidTensorInfo, "tensor \"\(name)\" has negative dimension \(size)") }
                let (product, overflow) = extent.multipliedReportingOverflow(by: max(Int(size), 1))
                guard !overflow else { throw fail(.invalidTensorInfo, "tensor \"\(name)\" element count overflows") }
                extent = product
                dimensions.append(Int(size))
            }
            guard let rawType = reader.read(UInt32.self), let offset = reader.read(UInt64.self) else {
                throw truncated("tensor \"\(name)\"")
            }
            let type = GGMLType(rawValue: rawType)
            guard type.isKnown else { throw fail(.unknownType, "tensor \"\(name)\" has unknown ggml type \(rawType)") }
            guard dimensions[0] % type.blockSize == 0 else {
                throw fail(.invalidTensorInfo, "tensor \"\(name)\" row length \(dimensions[0]) is not a multiple of \(type.name)'s block size \(type.blockSize)")
            }
            // A dimension of 2^62 must be an error here, not an overflow in ``GGUFTensorInfo/byteCount``.
            let (largest, overflow) = extent.multipliedReportingOverflow(by: type.typeSize)
            guard !overflow, largest / type.blockSize <= reader.bytes.count else {
                throw fail(.invalidTensorInfo, "tensor \"\(name)\" of shape \(dimensions) needs more bytes than the file has")
            }
            let info = GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: Int(clamping: offset))
            guard info.offset == expectedOffset else {
                throw fail(.misplacedTensor, "tensor \"\(name)\" has offset \(offset), expected \(expectedOffset) (tensors must be packed in order)")
            }
            guard expectedOffset + info.byteCount <= reader.bytes.count else {
                throw fail(.truncated, "tensor \"\(name)\" ends past the end of the file (truncated?)")
            }
            expectedOffset = GGUF.padded(expectedOffset + info.byteCount, to: alignment)
            tensors.append(info)
        }

        let dataOffset = GGUF.padded(reader.offset, to: alignment)
        if let last = tensors.last {
            let end = dataOffset + last.offset + last.byteCount
            guard end <= reader.bytes.count else {
                throw fail(.truncated, "tensor data needs \(end) bytes but the file has \(reader.bytes.count) (truncated?)")
            }
        }
        return Header(version: version, metadata: metadata, alignment: alignment, tensors: tensors, dataOffset: dataOffset)
    }

    mutating func readString(_ what: String) throws -> String {
        guard let length = reader.read(UInt64.self) else { throw truncated(what) }
        guard length <= UInt64(reader.remaining), let bytes = reader.readBytes(Int(length)) else {
            throw fail(.truncated, "\(what) claims \(length) bytes but only \(reader.remaining) remain (truncated?)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func readValue(_ type: GGUFValueType, key: String) throws -> GGUFValue {
        func need<T>(_ value: T?) throws -> T {
            guard let value else { throw truncated("metadata \"\(key)\"") }
            return value
        }
        switch type {
        case .uint8: return .uint8(try need(reader.read(UInt8.self)))
        case .int8: return .int8(try need(reader.read(Int8.self)))
        case .uint16: return .uint16(try need(reader.read(UInt16.self)))
        case .int16: return .int16(try need(reader.read(Int16.self)))
        case .uint32: return .uint32(try need(reader.read(UInt32.self)))
        case .int32: return .int32(try need(reader.read(Int32.self)))
        case .float32: return .float32(try need(reader.readFloat()))
        case .uint64: return .uint64(try need(reader.read(UInt64.self)))
        case .int64: return .int64(try need(reader.read(Int64.self)))
        case .float64: return .float64(try need(reader.readDouble()))
        case .bool:
            let byte = try need(reader.read(UInt8.self))
            guard byte <= 1 else { throw fail(.invalidMetadata, "metadata \"\(key)\" has bool value \(byte)") }
            return .bool(byte == 1)
        case .string: return .string(try readString("metadata \"\(key)\""))
        case .array:
            guard let rawElement = reader.read(UInt32.self), let count = reader.read(UInt64.self) else {
                throw truncated("metadata \"\(key)\"")
            }
            guard let element = GGUFValueType(rawValue: rawElement), element != .array else {
                throw fail(.invalidMetadata, "metadata \"\(key)\" is an array of unsupported type \(rawElement)")
            }
            guard count <= UInt64(reader.remaining) else {
                throw fail(.truncated, "metadata \"\(key)\" claims \(count) elements but only \(reader.remaining) bytes remain (truncated?)")
            }
            return .array(try readArray(element, count: Int(count), key: key))
        }
    }

    mutating func readArray(_ element: GGUFValueType, count: Int, key: String) throws -> GGUFArray {
        func many<T>(_ read: (inout ByteReader) -> T?) throws -> [T] {
            var out: [T] = []
            out.reserveCapacity(count)
            for _ in 0..<count {
                guard let v = read(&reader) else { throw truncated("metadata \"\(key)\"") }
                out.append(v)
            }
            return out
        }
        switch element {
        case .uint8: return .uint8(try many { $0.read() })
        case .int8: return .int8(try many { $0.read() })
        case .uint16: return .uint16(try many { $0.read() })
        case .int16: return .int16(try many { $0.read() })
        case .uint32: return .uint32(try many { $0.read() })
        case .int32: return .int32(try many { $0.read() })
        case .float32: return .float32(try many { $0.readFloat() })
        case .uint64: return .uint64(try many { $0.read() })
        case .int64: return .int64(try many { $0.read() })
        case .float64: return .float64(try many { $0.readDouble() })
        case .bool: return .bool(try many { $0.read(UInt8.self).map { $0 != 0 } })
        case .string:
            var out: [String] = []
            out.reserveCapacity(count)
            for _ in 0..<count { out.append(try readString("metadata \"\(key)\"")) }
            return .string(out)
        case .array: throw fail(.invalidMetadata, "metadata \"\(key)\" nests arrays")
        }
    }
}
