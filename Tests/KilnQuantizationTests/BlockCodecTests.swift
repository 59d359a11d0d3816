import KilnGGUF
import KilnQuantization
import Testing

@Suite struct BlockCodecTests {
    @Test func placeholderUntilCodecsLand() {
        #expect(GGMLType.q8_0.blockSize == 32)
    }
}
