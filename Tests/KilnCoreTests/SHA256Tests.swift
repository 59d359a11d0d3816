import KilnCore
import Testing

@Suite struct SHA256Tests {
    /// FIPS 180-2's examples.
    @Test func knownDigests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Fed in pieces of every size from 0 to 130 bytes (across block boundaries), the digest is the one-shot digest.
    @Test func piecesGiveTheWholeDigest() {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 3) }
        for step in [1, 3, 63, 64, 65, 130] {
            var hash = SHA256()
            var offset = 0
            var size = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + (size % step) + (size % 7 == 0 ? 0 : 1))
                bytes[offset..<end].withUnsafeBytes { hash.update($0) }
                offset = end
                size += 1
            }
            #expect(hash.finalize() == SHA256.hex(bytes), "pieces up to \(step) bytes")
        }
    }
}
