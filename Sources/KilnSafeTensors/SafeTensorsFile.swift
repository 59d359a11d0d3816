import KilnCore

/// One tensor described by a safetensors header.
public struct SafeTensorsTensorInfo: Sendable {
    public let name: String
    public let dtype: SafeTensorsDType
    /// Row-major shape, outermost dimension first (as PyTorch writes it).
    public let shape: [Int]
    /// Byte range of the tensor in the whole file (not relative to the data buffer).
    public let byteRange: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped, fully validated safetensors file.
///
/// Opening validates everything huggingface/safetensors validates and reads no tensor data; bytes
/// are paged in only when ``bytes(of:)`` is used.
public final class SafeTensorsFile: Sendable {
    /// The largest header accepted, as in the reference implementation.
    public static let maximumHeaderLength = 100_000_000

    public let path: String
    /// Tensors in header order.
    public let tensors: [SafeTensorsTensorInfo]
    /// `__metadata__`, in header order.
    public let metadata: [(key: String, value: String)]
    public let mapping: MappedFile
    private let indexByName: [String: Int]

    public init(path: String) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        let parsed = try SafeTensorsFile.parseHeader(mapping.bytes, path: path)
        tensors = parsed.tensors
        metadata = parsed.metadata
        indexByName = Dictionary(uniqueKeysWithValues: parsed.tensors.enumerated().map { ($1.name, $0) })
    }

    public func tensor(named name: String) -> SafeTensorsTensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The tensor's bytes, straight from the memory map.
    public func bytes(of tensor: SafeTensorsTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: mapping.bytes[tensor.byteRange])
    }

    private struct Header {
        var tensors: [SafeTensorsTensorInfo] = []
        var metadata: [(key: String, value: String)] = []
    }

    private static func parseHeader(_ file: UnsafeRawBufferPointer, path: String) throws -> Header {
        func fail(_ code: SafeTensorsError.Code, _ message: String) -> SafeTensorsError {
            SafeTensorsError(code, path: path, message)
        }
        var reader = ByteReader(file)
        guard let declared = reader.read(UInt64.self) else {
            throw fail(.truncated, "file is \(file.count) bytes, too short for the 8-byte header length (truncated?)")
        }
        // Every safetensors header is a JSON object. Checked first, so that a file of another kind (a
        // shard symlinked to a text file) is named as such rather than by a "length" made of its bytes.
        guard let first = reader.read(UInt8.self), first == UInt8(ascii: "{") else {
            throw fail(.invalidHeader, "is not a safetensors file: no JSON header object after the 8-byte header length")
        }
        reader = ByteReader(file, offset: 8)
        guard declared <= UInt64(maximumHeaderLength) else {
            throw fail(.headerTooLarge, "header length \(declared) bytes exceeds the limit of \(maximumHeaderLength)")
        }
        let headerLength = Int(declared)
        guard let headerBytes = reader.readBytes(headerLength) else {
            throw fail(.headerPastEnd, "header length \(headerLength) runs past the end of the file (\(file.count) bytes; truncated?)")
        }
        let json: JSON
        do {
            json = try JSON.parse(headerBytes, rejectDuplicateKeys: true, maximumDepth: 8)
        } catch let error as JSONError {
            if error.message.hasPrefix("duplicate key") {
                throw fail(.duplicateTensor, "header names a tensor twice: \(error.message)")
            }
            throw fail(.invalidHeader, "header is not valid JSON: \(error)")
        }
        guard let members = json.objectMembers else { throw fail(.invalidHeader, "header is not a JSON object") }

        var header = Header()
        for (name, entry) in members {
            if name == "__metadata__" {
                guard let pairs = entry.objectMembers else {
                    throw fail(.invalidMetadata, "__metadata__ must map strings to strings")
                }
                for (key, value) in pairs {
                    guard let text = value.stringValue else {
                        throw fail(.invalidMetadata, "__metadata__ value for \"\(key)\" is not a string")
                    }
                    header.metadata.append((key, text))
                }
                continue
            }
            header.tensors.append(try tensorInfo(name: name, entry: entry, dataStart: 8 + headerLength, fail: fail))
        }

        // Offsets must tile the data buffer exactly: sorted by start, each begins where the last ended.
        let dataLength = file.count - 8 - headerLength
        var end = 8 + headerLength
        for tensor in header.tensors.sorted(by: { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }) {
            let start = tensor.byteRange.lowerBound
            if start > end {
                throw fail(.offsetGap, "tensor \"\(tensor.name)\" starts at data offset \(start - 8 - headerLength) but the previous tensor ends at \(end - 8 - headerLength): a gap of \(start - end) bytes")
            }
            if start < end {
                throw fail(.offsetOverlap, "tensor \"\(tensor.name)\" starts at data offset \(start - 8 - headerLength), overlapping the previous tensor which ends at \(end - 8 - headerLength)")
            }
            end = tensor.byteRange.upperBound
        }
        let covered = end - 8 - headerLength
        if covered > dataLength {
            throw fail(.trailingBytes, "tensors cover \(covered) bytes but the data buffer holds only \(dataLength) (truncated?)")
        }
        if covered < dataLength {
            throw fail(.trailingBytes, "data buffer holds \(dataLength) bytes but the tensors cover only \(covered): \(dataLength - covered) trailing bytes")
        }
        return header
    }

    private static func tensorInfo(
        name: String, entry: JSON, dataStart: Int, fail: (SafeTensorsError.Code, String) -> SafeTensorsError
    ) throws -> SafeTensorsTensorInfo {
        guard let fields = entry.objectMembers else {
            throw fail(.invalidTensorEntry, "entry for tensor \"\(name)\" is not an object")
        }
        if let extra = fields.first(where: { !["dtype", "shape", "data_offsets"].contains($0.key) }) {
            throw fail(.invalidTensorEntry, "tensor \"\(name)\" has unexpected field \"\(extra.key)\"")
        }
        guard let dtypeName = entry["dtype"]?.stringValue else {
            throw fail(.invalidTensorEntry, "tensor \"\(name)\" has no dtype string")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail(.unknownDType, "tensor \"\(name)\" has unknown dtype \"\(dtypeName)\"")
        }
        guard let dims = entry["shape"]?.arrayValue else {
            throw fail(.invalidTensorEntry, "tensor \"\(name)\" has no shape array")
        }
        var shape: [Int] = []
        var elements = 1
        for dim in dims {
            guard let size = dim.intValue, size >= 0 else {
                throw fail(.invalidTensorEntry, "tensor \"\(name)\" has an invalid dimension \(dim.serialized)")
            }
            shape.append(size)
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail(.sizeMismatch, "tensor \"\(name)\" shape \(shape) overflows") }
            elements = product
        }
        guard let offsets = entry["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= begin
        else {
            throw fail(.invalidTensorEntry, "tensor \"\(name)\" has invalid data_offsets (need [begin, end] with 0 ≤ begin ≤ end)")
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes == end - begin else {
            throw fail(.sizeMismatch, "tensor \"\(name)\": shape \(shape) of \(dtype.rawValue) needs \(overflow ? "more than 2^63" : String(bytes)) bytes but data_offsets span \(end - begin)")
        }
        guard end <= Int.max - dataStart else {
            throw fail(.invalidTensorEntry, "tensor \"\(name)\" has data_offsets out of range")
        }
        return SafeTensorsTensorInfo(name: name, dtype: dtype, shape: shape, byteRange: (dataStart + begin)..<(dataStart + end))
    }
}
