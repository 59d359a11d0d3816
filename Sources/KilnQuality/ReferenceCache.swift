import CZstd
import Foundation
import KilnCore

/// What a reference pass is valid for: the same model, text, context and chunk count.
public struct ReferenceCacheKey: Equatable, Sendable {
    /// The reference model's path with each weight file's size and modification time.
    public var model: String
    /// SHA-256 of the evaluation text.
    public var textDigest: String
    public var contextLength: Int
    public var chunkCount: Int
    public var vocabularySize: Int

    public init(model: String, textDigest: String, contextLength: Int, chunkCount: Int, vocabularySize: Int) {
        self.model = model
        self.textDigest = textDigest
        self.contextLength = contextLength
        self.chunkCount = chunkCount
        self.vocabularySize = vocabularySize
    }

    var json: JSON {
        .object([("model", .string(model)), ("text_sha256", .string(textDigest)), ("context", .number(String(contextLength))),
                 ("chunks", .number(String(chunkCount))), ("vocabulary", .number(String(vocabularySize)))])
    }

    /// Positions scored per chunk, as llama-perplexity scores them: the second half, less the last.
    var scoredPerChunk: Int { contextLength - 1 - contextLength / 2 }

    /// Bytes of the payload this key implies: the tokens as i32, then every scored position's words;
    /// nil when the count overflows.
    var payloadLength: Int? {
        let words = ReferenceLogProbabilities.wordCount(vocabularySize: vocabularySize)
        let (tokens, o1) = chunkCount.multipliedReportingOverflow(by: contextLength)
        let (positions, o2) = chunkCount.multipliedReportingOverflow(by: scoredPerChunk)
        let (values, o3) = positions.multipliedReportingOverflow(by: words)
        let (length, o4) = (4 * tokens).addingReportingOverflow(2 * values)
        return o1 || o2 || o3 || o4 || tokens > Int.max / 8 || values > Int.max / 4 ? nil : length
    }

    /// Identifies the model files without reading them: path, size and modification time of each.
    public static func identity(ofFiles paths: [String]) -> String {
        paths.sorted().map { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = attributes?[.size] as? Int ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path):\(size):\(modified)"
        }.joined(separator: ";")
    }
}

/// The reference model's tokens and encoded log-probabilities, zstd-compressed on disk so that
/// verifying many candidates costs one reference pass.
///
/// Layout: `KILNREF2`, u32 key length, the key as JSON, u64 payload length, the payload's SHA-256
/// (64 hex digits), then one zstd frame (with its content checksum) of the payload: the tokens as
/// i32, then the u16 log-probability words. A cache is used only when its length is the one the key
/// implies, its digest matches and every position decodes to a probability distribution; a damaged
/// or forged-by-accident file can then only cost a rebuild, never pass a candidate that should fail.
public struct ReferenceCache: Sendable {
    public let tokens: [Int32]
    public let logProbabilities: [UInt16]

    public enum Lookup: Sendable {
        case hit(ReferenceCache)
        case missing
        /// The file was made for another model, text, context or chunk count, or by another Kiln.
        case stale(String)
        /// The file is damaged; it must be rebuilt, never used.
        case corrupt(String)
    }

    static let magic = Array("KILNREF2".utf8)

    public init(tokens: [Int32], logProbabilities: [UInt16]) {
        self.tokens = tokens
        self.logProbabilities = logProbabilities
    }

    public static func load(_ path: String, key: ReferenceCacheKey) -> Lookup {
        guard let file = try? MappedFile(path: path) else { return .missing }
        var reader = ByteReader(file.bytes)
        guard let magic = reader.readBytes(8), magic.prefix(7).elementsEqual(Self.magic.prefix(7)) else {
            return .corrupt("\(path) is not a Kiln reference cache")
        }
        guard Array(magic) == Self.magic else { return .stale("\(path) was written in another format (\(String(decoding: magic, as: UTF8.self)))") }
        guard let keyLength = reader.read(UInt32.self), let keyBytes = reader.readBytes(Int(keyLength)),
              let payloadLength = reader.read(UInt64.self), let digest = reader.readBytes(64)
        else { return .corrupt("\(path) has a damaged header") }
        guard let stored = try? JSON.parse(keyBytes) else { return .corrupt("\(path) has a damaged key") }
        guard stored == key.json else { return .stale("\(path) was made for \(stored.serialized), not \(key.json.serialized)") }
        guard let expected = key.payloadLength, payloadLength == UInt64(expected) else {
            return .corrupt("\(path) holds \(payloadLength) payload bytes; its key implies \(key.payloadLength.map(String.init) ?? "an impossible size")")
        }
        let frame = UnsafeRawBufferPointer(rebasing: file.bytes[reader.offset...])
        var payload = [UInt8](repeating: 0, count: expected)
        let written = payload.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, $0.count, frame.baseAddress, frame.count) }
        guard ZSTD_isError(written) == 0, written == expected else {
            return .corrupt("\(path) does not decompress (\(ZSTD_isError(written) != 0 ? String(cString: ZSTD_getErrorName(written)) : "short"))")
        }
        guard SHA256.hex(payload) == String(decoding: digest, as: UTF8.self) else {
            return .corrupt("\(path) does not match its SHA-256")
        }
        let tokenBytes = 4 * key.chunkCount * key.contextLength
        let tokens = payload.withUnsafeBytes { raw in (0..<tokenBytes / 4).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self) } }
        let words = payload.withUnsafeBytes { raw in
            (0..<(payload.count - tokenBytes) / 2).map { raw.loadUnaligned(fromByteOffset: tokenBytes + 2 * $0, as: UInt16.self) }
        }
        let rowWords = ReferenceLogProbabilities.wordCount(vocabularySize: key.vocabularySize)
        let invalid = words.withUnsafeBufferPointer { all in
            (0..<all.count / rowWords).first { row in
                !ReferenceLogProbabilities.isDistribution(UnsafeBufferPointer(rebasing: all[row * rowWords..<(row + 1) * rowWords]),
                                                          vocabularySize: key.vocabularySize)
            }
        }
        if let invalid { return .corrupt("\(path) holds invalid log-probabilities at position \(invalid)") }
        return .hit(ReferenceCache(tokens: tokens, logProbabilities: words))
    }

    /// Writes the cache atomically (temporary file, then rename).
    public func save(_ path: String, key: ReferenceCacheKey, compressionLevel: Int32 = 3) throws {
        var payload = [UInt8]()
        payload.reserveCapacity(tokens.count * 4 + logProbabilities.count * 2)
        tokens.withUnsafeBytes { payload.append(contentsOf: $0) }
        logProbabilities.withUnsafeBytes { payload.append(contentsOf: $0) }
        let context = ZSTD_createCCtx()
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, compressionLevel)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        var frame = [UInt8](repeating: 0, count: ZSTD_compressBound(payload.count))
        let size = frame.withUnsafeMutableBytes { out in
            payload.withUnsafeBytes { ZSTD_compress2(context, out.baseAddress, out.count, $0.baseAddress, $0.count) }
        }
        guard ZSTD_isError(size) == 0 else { throw FileError(.write, path: path, errno: 0) }
        let keyBytes = Array(key.json.serialized.utf8)
        let output = try AtomicOutputFile(path: path)
        try output.write(Self.magic)
        try withUnsafeBytes(of: UInt32(keyBytes.count).littleEndian) { try output.write($0) }
        try output.write(keyBytes)
        try withUnsafeBytes(of: UInt64(payload.count).littleEndian) { try output.write($0) }
        try output.write(Array(SHA256.hex(payload).utf8))
        try frame.withUnsafeBytes { try output.write(UnsafeRawBufferPointer(rebasing: $0[0..<size])) }
        try output.commit()
    }
}
