import Foundation
import KilnCore
import KilnQuality
import KilnTestSupport
import Testing

@Suite struct ReferenceCacheTests {
    let key = ReferenceCacheKey(model: "m:1:2", textDigest: SHA256.hex(Array("text".utf8)), contextLength: 4, chunkCount: 2, vocabularySize: 6)
    let cache = ReferenceCache(tokens: [1, 5, 7, 9, 1, 2, 3, 4], logProbabilities: (0..<60).map { UInt16($0 * 1000) })

    @Test func roundTrips() throws {
        let folder = TemporaryDirectory()
        try cache.save(folder.file("ref.kiln"), key: key)
        guard case let .hit(loaded) = ReferenceCache.load(folder.file("ref.kiln"), key: key) else { Issue.record("expected a hit"); return }
        #expect(loaded.tokens == cache.tokens)
        #expect(loaded.logProbabilities == cache.logProbabilities)
    }

    @Test func detectsAStaleCache() throws {
        let folder = TemporaryDirectory()
        try cache.save(folder.file("ref.kiln"), key: key)
        var otherText = key
        otherText.textDigest = SHA256.hex(Array("other".utf8))
        var otherModel = key
        otherModel.model = "m:1:3"
        for changed in [otherText, otherModel] {
            guard case .stale = ReferenceCache.load(folder.file("ref.kiln"), key: changed) else { Issue.record("expected stale"); continue }
        }
        guard case .missing = ReferenceCache.load(folder.file("none.kiln"), key: key) else { Issue.record("expected missing"); return }
    }

    @Test(arguments: [-5, -40, 30])
    func detectsCorruption(at offsetFromEnd: Int) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("ref.kiln")
        try cache.save(path, key: key)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let index = offsetFromEnd < 0 ? bytes.count + offsetFromEnd : offsetFromEnd
        bytes[index] ^= 0x5a
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        switch ReferenceCache.load(path, key: key) {
        case .corrupt, .stale: break
        case .hit: Issue.record("a damaged cache was used")
        case .missing: Issue.record("a damaged cache was reported missing")
        }
    }
}
