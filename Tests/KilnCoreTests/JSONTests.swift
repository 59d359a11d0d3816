import KilnCore
import Testing

@Suite struct JSONTests {
    @Test func keepsKeyOrderAndExactIntegers() throws {
        let json = try JSON.parse(#"{"z":1,"a":[true,null,-2.5e3],"big":9007199254740993,"s":"\u00e9\ud83d\ude00\n"}"#)
        #expect(json.objectMembers?.map(\.key) == ["z", "a", "big", "s"])
        #expect(json["big"]?.intValue == 9_007_199_254_740_993)
        #expect(json["a"]?[2]?.doubleValue == -2500)
        #expect(json["s"]?.stringValue == "é😀\n")
    }

    @Test(arguments: [#"{"a":1,"a":2}"#, "{", #"{"a":}"#, "[1,]", "01", #""\ud800""#, "{} x", "\"tab\tinside\"", "nul"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
    }

    @Test func allowsDuplicatesWhenAsked() throws {
        let json = try JSON.parse(#"{"a":1,"a":2}"#, rejectDuplicateKeys: false)
        #expect(json.objectMembers?.count == 2)
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) { try JSON.parse(deep) }
    }

    @Test func serializesBackToTheSameDocument() throws {
        let text = #"{"b":[1,2,{"c":"q\"uote\\"}],"a":false,"n":null}"#
        #expect(try JSON.parse(text).serialized == text)
    }
}
