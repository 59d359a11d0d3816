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

    /// u16 words of one scored position.
    var rowWords: Int { ReferenceLogProbabilities.wordCount(vocabularySize: vocabularySize) }

    /// Bytes of the tokens at the payload's start.
    var tokenBytes: Int { 4 * chunkCount * contextLength }

    /// Bytes of the payload this key implies: the tokens as i32, then every scored position's words;
    /// nil when the count overflows.
    var payloadLength: Int? {
        let (tokens, o1) = chunkCount.multipliedReportingOverflow(by: contextLength)
        let (positions, o2) = chunkCount.multipliedReportingOverflow(by: scoredPerChunk)
        let (values, o3) = positions.multipliedReportingOverflow(by: rowWords)
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
/// Layout: `KILNREF3`, u32 key length, the key as JSON, u64 payload length, one zstd frame (with its
/// content checksum) of the payload: the tokens as i32, then the u16 log-probability words of each
/// scored position; then the payload's SHA-256 (64 hex digits). The file is written and read as a
/// stream, one position at a time, so a 131k-token vocabulary over a long text never has to fit in
/// memory. A cache is used only when its length is the one the key implies, its digest matches and
/// every position decodes to a probability distribution (``load(_:key:)`` reads it once to check);
/// a damaged or forged-by-accident file can then only cost a rebuild, never pass a candidate that
/// should fail.
public struct ReferenceCache: Sendable {
    public let tokens: [Int32]
    let key: ReferenceCacheKey
    let file: MappedFile
    /// The zstd frame's bytes in the file, and the digest after them.
    let frame: Range<Int>
    let digest: String

    public enum Lookup: Sendable {
        case hit(ReferenceCache)
        case missing
        /// The file was made for another model, text, context or chunk count, or by another Kiln.
        case stale(String)
        /// The file is damaged; it must be rebuilt, never used.
        case corrupt(String)
    }

    static let magic = Array("KILNREF3".utf8)

    public static func load(_ path: String, key: ReferenceCacheKey) -> Lookup {
        guard let file = try? MappedFile(path: path) else { return .missing }
        var reader = ByteReader(file.bytes)
        guard let magic = reader.readBytes(8), magic.prefix(7).elementsEqual(Self.magic.prefix(7)) else {
            return .corrupt("\(path) is not a Kiln reference cache")
        }
        guard Array(magic) == Self.magic else { return .stale("\(path) was written in another format (\(String(decoding: magic, as: UTF8.self)))") }
        guard let keyLength = reader.read(UInt32.self), let keyBytes = reader.readBytes(Int(keyLength)),
              let payloadLength = reader.read(UInt64.self), file.count - reader.offset >= 64
        else { return .corrupt("\(path) has a damaged header") }
        guard let stored = try? JSON.parse(keyBytes) else { return .corrupt("\(path) has a damaged key") }
        guard stored == key.json else { return .stale("\(path) was made for \(stored.serialized), not \(key.json.serialized)") }
        guard let expected = key.payloadLength, payloadLength == UInt64(expected) else {
            return .corrupt("\(path) holds \(payloadLength) payload bytes; its key implies \(key.payloadLength.map(String.init) ?? "an impossible size")")
        }
        let frame = reader.offset..<(file.count - 64)
        let digest = String(decoding: file.bytes[frame.upperBound...], as: UTF8.self)
        do {
            let stream = try PayloadStream(file: file, frame: frame)
            let tokens = try [Int32](unsafeUninitializedCapacity: key.tokenBytes / 4) { buffer, count in
                try stream.read(into: UnsafeMutableRawBufferPointer(buffer))
                count = buffer.count
            }
            let rows = key.chunkCount * key.scoredPerChunk
            try withUnsafeTemporaryAllocation(of: UInt16.self, capacity: key.rowWords) { row in
                for position in 0..<rows {
                    try stream.read(into: UnsafeMutableRawBufferPointer(row))
                    guard ReferenceLogProbabilities.isDistribution(UnsafeBufferPointer(row), vocabularySize: key.vocabularySize) else {
                        throw PayloadStream.Failure("holds invalid log-probabilities at position \(position)")
                    }
                }
            }
            try stream.finish(digest: digest)
            return .hit(ReferenceCache(tokens: tokens, key: key, file: file, frame: frame, digest: digest))
        } catch let failure as PayloadStream.Failure {
            return .corrupt("\(path) \(failure.message)")
        } catch {
            return .corrupt("\(path): \(error)")
        }
    }

    /// Reads the scored positions front to back, one at a time, checking the digest again at the end
    /// (the file could have changed since ``load(_:key:)``).
    public func positions() throws -> Positions { try Positions(self) }

    /// The scored positions of a cache in order: `next()` gives each one's words (valid until the next call).
    public final class Positions {
        let cache: ReferenceCache
        let stream: PayloadStream
        let row: UnsafeMutableBufferPointer<UInt16>
        var remaining: Int

        init(_ cache: ReferenceCache) throws {
            self.cache = cache
            stream = try PayloadStream(file: cache.file, frame: cache.frame)
            row = .allocate(capacity: cache.key.rowWords)
            remaining = cache.key.chunkCount * cache.key.scoredPerChunk
            try checked {
                try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { skip in
                    var left = cache.key.tokenBytes
                    while left > 0 {
                        let n = min(left, skip.count)
                        try stream.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: skip[0..<n])))
                        left -= n
                    }
                }
            }
        }

        deinit { row.deallocate() }

        public func next() throws -> UnsafeBufferPointer<UInt16> {
            guard remaining > 0 else { throw VerificationError("\(cache.file.path): read past its last position") }
            try checked {
                try stream.read(into: UnsafeMutableRawBufferPointer(row))
                remaining -= 1
                if remaining == 0 { try stream.finish(digest: cache.digest) }
            }
            return UnsafeBufferPointer(row)
        }

        /// The file passed ``ReferenceCache/load(_:key:)``, so any failure now means it changed since.
        private func checked(_ body: () throws -> Void) throws {
            do { try body() } catch let failure as PayloadStream.Failure {
                throw VerificationError("\(cache.file.path) changed while it was read: it \(failure.message)")
            }
        }
    }
}

/// Writes a reference cache as the reference pass produces it: the tokens first, then each scored
/// position's words in order, compressed as they come; ``commit()`` adds the digest and renames
/// the file into place (``AtomicOutputFile``), so a pass that stops early leaves nothing behind.
public final class ReferenceCacheWriter {
    let output: AtomicOutputFile
    let context: OpaquePointer
    let expected: Int
    var written = 0
    var hash = SHA256()
    let chunk: UnsafeMutableRawBufferPointer

    public init(path: String, key: ReferenceCacheKey, tokens: [Int32], compressionLevel: Int32 = 3) throws {
        guard let expected = key.payloadLength, tokens.count * 4 == key.tokenBytes else {
            throw VerificationError("\(path): \(tokens.count) tokens do not fit a reference cache of \(key.chunkCount) chunks of \(key.contextLength)")
        }
        self.expected = expected
        output = try AtomicOutputFile(path: path)
        context = ZSTD_createCCtx()
        chunk = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 64)
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, compressionLevel)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setPledgedSrcSize(context, UInt64(expected))
        let keyBytes = Array(key.json.serialized.utf8)
        try output.write(ReferenceCache.magic)
        try withUnsafeBytes(of: UInt32(keyBytes.count).littleEndian) { try output.write($0) }
        try output.write(keyBytes)
        try withUnsafeBytes(of: UInt64(expected).littleEndian) { try output.write($0) }
        try tokens.withUnsafeBytes { try compress($0, end: false) }
    }

    deinit {
        ZSTD_freeCCtx(context)
        chunk.deallocate()
        output.discard()
    }

    /// Appends the next scored position's words (``ReferenceLogProbabilities/wordCount(vocabularySize:)``).
    public func append(_ words: UnsafeBufferPointer<UInt16>) throws {
        try compress(UnsafeRawBufferPointer(words), end: false)
    }

    public func commit() throws {
        guard written == expected else {
            throw VerificationError("\(output.path): \(written) payload bytes were written but the key implies \(expected)")
        }
        try compress(UnsafeRawBufferPointer(start: nil, count: 0), end: true)
        try output.write(Array(hash.finalize().utf8))
        try output.commit()
    }

    private func compress(_ bytes: UnsafeRawBufferPointer, end: Bool) throws {
        written += bytes.count
        hash.update(bytes)
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            var out = ZSTD_outBuffer(dst: chunk.baseAddress, size: chunk.count, pos: 0)
            let left = ZSTD_compressStream2(context, &out, &input, end ? ZSTD_e_end : ZSTD_e_continue)
            guard ZSTD_isError(left) == 0 else {
                throw VerificationError("\(output.path): compression failed (\(String(cString: ZSTD_getErrorName(left))))")
            }
            try output.write(UnsafeRawBufferPointer(rebasing: chunk[0..<out.pos]))
            if end ? left == 0 : input.pos == input.size { return }
        }
    }
}

/// Decompresses a cache's zstd frame front to back into the caller's buffers, hashing what it gives
/// out, and lets the kernel drop the file's pages once they are read.
final class PayloadStream {
    struct Failure: Error { let message: String; init(_ message: String) { self.message = message } }

    let file: MappedFile
    let frame: Range<Int>
    let context: OpaquePointer
    var input: ZSTD_inBuffer
    var hash = SHA256()
    var frameEnded = false
    var released = 0

    init(file: MappedFile, frame: Range<Int>) throws {
        self.file = file
        self.frame = frame
        context = ZSTD_createDCtx()
        input = ZSTD_inBuffer(src: file.bytes.baseAddress.map { $0 + frame.lowerBound }, size: frame.count, pos: 0)
        file.adviseSequential(frame)
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Fills `buffer` with the next payload bytes.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws {
        var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while out.pos < out.size {
            guard !frameEnded else { throw Failure("ends before its payload does") }
            let before = (input.pos, out.pos)
            let hint = ZSTD_decompressStream(context, &out, &input)
            guard ZSTD_isError(hint) == 0 else { throw Failure("does not decompress (\(String(cString: ZSTD_getErrorName(hint))))") }
            if hint == 0 { frameEnded = true }
            if before == (input.pos, out.pos) && !frameEnded { throw Failure("is truncated") }
        }
        hash.update(UnsafeRawBufferPointer(buffer))
        if input.pos - released >= 1 << 24 {
            file.adviseDone((frame.lowerBound + released)..<(frame.lowerBound + input.pos))
            released = input.pos
        }
    }

    /// Checks that the frame ends exactly here, at the end of its bytes, and that what was read has `digest`.
    func finish(digest: String) throws {
        let extra = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        defer { extra.deallocate() }
        while !frameEnded {
            var out = ZSTD_outBuffer(dst: extra, size: 1, pos: 0)
            let before = input.pos
            let hint = ZSTD_decompressStream(context, &out, &input)
            guard ZSTD_isError(hint) == 0 else { throw Failure("does not decompress (\(String(cString: ZSTD_getErrorName(hint))))") }
            guard out.pos == 0 else { throw Failure("holds more payload than its key implies") }
            if hint == 0 { frameEnded = true } else if input.pos == before { throw Failure("is truncated") }
        }
        guard input.pos == input.size else { throw Failure("has bytes after its payload") }
        guard hash.finalize() == digest else { throw Failure("does not match its SHA-256") }
    }
}
