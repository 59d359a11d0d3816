import KilnTransforms
import Testing

@Suite struct TransformErrorTests {
    @Test func describesItselfByItsMessage() {
        #expect(TransformError("cannot reach 47 layers").description == "cannot reach 47 layers")
    }
}
