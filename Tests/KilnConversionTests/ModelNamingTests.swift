import Foundation
@testable import KilnConversion
import KilnCore
import KilnTestSupport
import Testing

/// The model-id parser against gguf-py's own answers (Fixtures/goldens/naming.json, made by
/// Scripts/oracle/make_naming_goldens.py).
@Suite struct ModelNamingTests {
    static let cases: [JSON] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/naming.json"))
        return try! JSON.parse(Array(data)).arrayValue!
    }()

    @Test(arguments: cases)
    func parsesModelIDsAsGGUFPyDoes(_ expected: JSON) {
        let id = expected["id"]!.stringValue!
        let parameters = expected["parameters"]!.intValue!
        let parsed = ModelNaming.components(of: id, parameterCount: parameters)
        #expect(parsed.name == expected["name"]?.stringValue, "\(id) name")
        #expect(parsed.organization == expected["organization"]?.stringValue, "\(id) organization")
        #expect(parsed.basename == expected["basename"]?.stringValue, "\(id) basename")
        #expect(parsed.finetune == expected["finetune"]?.stringValue, "\(id) finetune")
        #expect(parsed.version == expected["version"]?.stringValue, "\(id) version")
        #expect(parsed.sizeLabel == expected["size_label"]?.stringValue, "\(id) size label")
        #expect(ModelNaming.sizeLabel(parameters) == expected["computed_size_label"]?.stringValue, "\(parameters) parameters")
    }
}
