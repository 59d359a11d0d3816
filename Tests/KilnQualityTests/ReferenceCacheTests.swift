import Foundation
import KilnCore
import KilnQuality
import KilnTestSupport
import Testing

@Suite struct ReferenceCacheTests {
    /// Two chunks of 8 positions, 3 scored each, over a vocabulary of 7 (odd, so rows are padded).
    static let key = ReferenceCacheKey(model: "m:1:2", textDigest: SHA256.hex(Array("text".utf8)), contextLength: 8, chunkCount: 2, vocabularySize: 7)
    static let words = ReferenceLogProbabilities.wordCount(vocabularySize: 7)

    /// Log-probabilities encoded from logits, one row per scored position, as the reference pass makes them.
    static let cache: ReferenceCache = {
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
        return ReferenceCache(tokens: (0..<16).map { Int32($0 * 3) }, logProbabilities: encoded)
    }()

    func saved(_ cache: ReferenceCache = Self.cache, in folder: TemporaryDirectory) throws -> String {
        let path = folder.file("ref.kref")
        try cache.save(path, key: Self.key)
        return path
    }

    @Test func roundTrips() throws {
        let folder = TemporaryDirectory()
        guard case let .hit(loaded) = ReferenceCache.load(try saved(in: folder), key: Self.key) else { Issue.record("expected a hit"); return }
        #expect(loaded.tokens == Self.cache.tokens)
        #expect(loaded.logProbabilities == Self.cache.logProbabilities)
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
        // magic, u32 key length, key, then the u64 payload length and 64 digest digits.
        func headerEnd(_ bytes: [UInt8]) -> Int { 12 + Int(bytes[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) }
        func rewritten(_ edit: (inout [UInt16]) -> Void) throws {
            var words = cache.logProbabilities
            edit(&words)
            try ReferenceCache(tokens: cache.tokens, logProbabilities: words).save(path, key: key)
        }
        let row = words
        switch damage {
        case .flippedByteNearTheEnd: try patch { $0[$0.count - 5] ^= 0x5a }
        case .flippedByteInTheFrame: try patch { $0[headerEnd($0) + 8 + 64 + 12] ^= 0x01 }
        case .flippedByteInTheDigest: try patch { $0[headerEnd($0) + 8 + 3] ^= 0x01 }
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
