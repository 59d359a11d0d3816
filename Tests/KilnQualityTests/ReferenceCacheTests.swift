import CZstd
import Foundation
import KilnCore
@testable import KilnQuality
import KilnTestSupport
import Testing

@Suite struct ReferenceCacheTests {
    /// Two chunks of 8 positions, 3 scored each, over a vocabulary of 7 (odd, so rows are padded).
    static let key = ReferenceCacheKey(model: "m:1:2", textDigest: SHA256.hex(Array("text".utf8)), contextLength: 8, chunkCount: 2, vocabularySize: 7)
    static let words = ReferenceLogProbabilities.wordCount(vocabularySize: 7)

    static let tokens = (0..<16).map { Int32($0 * 3) }

    /// Log-probabilities encoded from logits, one row per scored position, as the reference pass makes them.
    static let logProbabilities: [UInt16] = {
        var encoded = [UInt16](repeating: 0, count: 6 * words)
        for row in 0..<6 {
            // Row 5 spans more than 16 nats, so its lowest values are clipped to the floor.
            let logits = (0..<7).map { i in Float((row * 7 + i * 13) % 17) * (row == 5 ? 1.5 : 0.4) - Float(i) / 3 }
            logits.withUnsafeBufferPointer { l in
                encoded.withUnsafeMutableBufferPointer { out in
                    ReferenceLogProbabilities.encode(l, token: row, into: UnsafeMutableBufferPointer(rebasing: out[row * words..<(row + 1) * words]))
                }
            }
        }
        return encoded
    }()

    /// Writes `words` through the streaming writer, one position at a time.
    static func write(_ words: [UInt16] = logProbabilities, to path: String) throws {
        let writer = try ReferenceCacheWriter(path: path, key: key, tokens: tokens)
        for row in 0..<words.count / Self.words {
            try words.withUnsafeBufferPointer { try writer.append(UnsafeBufferPointer(rebasing: $0[row * Self.words..<(row + 1) * Self.words])) }
        }
        try writer.commit()
    }

    /// A file laid out as the writer lays it out but around any payload (the writer refuses a wrong length).
    static func writeRaw(payload: [UInt8], to path: String) throws {
        let keyBytes = Array(key.json.serialized.utf8)
        var bytes = Array("KILNREF3".utf8)
        withUnsafeBytes(of: UInt32(keyBytes.count).littleEndian) { bytes += $0 }
        bytes += keyBytes
        withUnsafeBytes(of: UInt64(key.payloadLength!).littleEndian) { bytes += $0 }
        var frame = [UInt8](repeating: 0, count: ZSTD_compressBound(payload.count))
        let size = frame.withUnsafeMutableBytes { out in payload.withUnsafeBytes { ZSTD_compress(out.baseAddress, out.count, $0.baseAddress, $0.count, 3) } }
        bytes += frame[0..<size]
        bytes += Array(SHA256.hex(payload).utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func saved(in folder: TemporaryDirectory) throws -> String {
        let path = folder.file("ref.kref")
        try Self.write(to: path)
        return path
    }

    /// Every position read back through `positions()`.
    static func readAll(_ cache: ReferenceCache) throws -> [UInt16] {
        let positions = try cache.positions()
        return try (0..<6).flatMap { _ in Array(try positions.next()) }
    }

    @Test func roundTrips() throws {
        let folder = TemporaryDirectory()
        guard case let .hit(loaded) = ReferenceCache.load(try saved(in: folder), key: Self.key) else { Issue.record("expected a hit"); return }
        #expect(loaded.tokens == Self.tokens)
        #expect(try Self.readAll(loaded) == Self.logProbabilities)
        // One position too many is an error, not a read past the payload.
        let positions = try loaded.positions()
        for _ in 0..<6 { _ = try positions.next() }
        #expect(throws: VerificationError.self) { try positions.next() }
    }

    /// A cache that changes after it was checked is refused when it is read.
    @Test func aCacheChangedAfterLoadingIsRefusedWhenRead() throws {
        let folder = TemporaryDirectory()
        let path = try saved(in: folder)
        guard case let .hit(loaded) = ReferenceCache.load(path, key: Self.key) else { Issue.record("expected a hit"); return }
        // Same length, same inode: the mapping sees the new bytes (one in the zstd frame).
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[12 + Int(bytes[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) + 8 + 12] ^= 0x01
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
        #expect(throws: VerificationError.self) { try Self.readAll(loaded) }
    }

    /// The writer refuses a payload of another length than the key's.
    @Test func theWriterRefusesAWrongRowCount() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("short.kref")
        #expect(throws: VerificationError.self) { try Self.write(Array(Self.logProbabilities.dropLast(Self.words)), to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func detectsAStaleCache() throws {
        let folder = TemporaryDirectory()
        let path = try saved(in: folder)
        var otherText = Self.key
        otherText.textDigest = SHA256.hex(Array("other".utf8))
        var otherModel = Self.key
        otherModel.model = "m:1:3"
        for changed in [otherText, otherModel] {
            guard case .stale = ReferenceCache.load(path, key: changed) else { Issue.record("expected stale"); continue }
        }
        guard case .missing = ReferenceCache.load(folder.file("none.kref"), key: Self.key) else { Issue.record("expected missing"); return }
    }

    /// A damaged file, and files written whole (right digest) but holding values that are no
    /// log-probabilities or the wrong number of them: each is corrupt, never a hit.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case flippedByteNearTheEnd, flippedByteInTheFrame, flippedByteInTheDigest, truncated, payloadLengthChanged
        case allWordsFF, allWordsZeroWithAPositiveFloor, probabilitiesSummingToTwo, rowMissing, extraRow
        var testDescription: String { rawValue }
    }

    static func damaged(_ damage: Damage, _ path: String) throws {
        func patch(_ body: (inout [UInt8]) -> Void) throws {
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            body(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        // magic, u32 key length, key, the u64 payload length, the frame, then 64 digest digits.
        func headerEnd(_ bytes: [UInt8]) -> Int { 12 + Int(bytes[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) }
        func rewritten(_ edit: (inout [UInt16]) -> Void) throws {
            var words = logProbabilities
            edit(&words)
            var payload: [UInt8] = []
            tokens.withUnsafeBytes { payload += $0 }
            words.withUnsafeBytes { payload += $0 }
            try writeRaw(payload: payload, to: path)
        }
        let row = words
        switch damage {
        case .flippedByteNearTheEnd: try patch { $0[$0.count - 64 - 5] ^= 0x5a }
        case .flippedByteInTheFrame: try patch { $0[headerEnd($0) + 8 + 12] ^= 0x01 }
        case .flippedByteInTheDigest: try patch { $0[$0.count - 3] ^= 0x01 }
        case .truncated: try patch { $0.removeLast(10) }
        case .payloadLengthChanged: try patch { $0[headerEnd($0)] &+= 2 }
        case .allWordsFF: try rewritten { $0 = [UInt16](repeating: 0xFFFF, count: $0.count) }
        case .allWordsZeroWithAPositiveFloor:
            try rewritten { words in
                words = [UInt16](repeating: 0, count: words.count)
                for r in 0..<6 { words.withUnsafeMutableBytes { $0.storeBytes(of: Float(0.5), toByteOffset: 2 * r * row + 4, as: Float.self) } }
            }
        case .probabilitiesSummingToTwo:
            // Raising every log-probability of the first row by ln 2 doubles its probabilities.
            try rewritten { words in
                words.withUnsafeMutableBytes { raw in
                    raw.storeBytes(of: raw.load(fromByteOffset: 4, as: Float.self) + logf(2), toByteOffset: 4, as: Float.self)
                }
            }
        case .rowMissing: try rewritten { $0.removeLast(row) }
        case .extraRow: try rewritten { $0 += $0.prefix(row) }
        }
    }

    @Test(arguments: Damage.allCases)
    func neverUsesADamagedCache(_ damage: Damage) throws {
        let folder = TemporaryDirectory()
        let path = try saved(in: folder)
        try Self.damaged(damage, path)
        switch ReferenceCache.load(path, key: Self.key) {
        case .corrupt: break
        case .hit: Issue.record("a damaged cache was used")
        case .stale: Issue.record("a damaged cache was reported stale")
        case .missing: Issue.record("a damaged cache was reported missing")
        }
    }

    @Test func anOlderFormatIsStale() throws {
        let folder = TemporaryDirectory()
        let path = try saved(in: folder)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[7] = UInt8(ascii: "1")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case .stale = ReferenceCache.load(path, key: Self.key) else { Issue.record("expected stale"); return }
    }
}
