import KilnTokenizers
import Testing

@Suite struct ByteLevelAlphabetTests {
    @Test func roundTripsEveryByte() {
        let bytes = (0...255).map(UInt8.init)
        #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(bytes)) == bytes)
        #expect(ByteLevelAlphabet.encode(Array(" hi".utf8)) == "Ġhi")
    }
}
