import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// A committed hostile file: one of the examples per class of reader (`Fixtures/fuzz/hostile`,
/// made by `Scripts/fuzz/make_seeds.py`) or an input the fuzzer once broke a reader with
/// (`Fixtures/fuzz/regressions`), named by the folder of its fuzz target.
struct HostileFile: CustomTestStringConvertible, Sendable {
    let target: String
    let path: String
    /// Words the error must contain besides the file's name (manifest.json; none for regressions).
    let mentions: [String]
    var testDescription: String { "\(target)/\(URL(fileURLWithPath: path).lastPathComponent)" }

    static func all(in corpus: String) -> [HostileFile] {
        let root = Fixtures.path("fuzz/\(corpus)")
        let manifest = (try? JSON.read(contentsOf: "\(root)/manifest.json"))?.objectMembers ?? []
        let mentions = Dictionary(manifest.map { ($0.key, $0.value.arrayValue?.compactMap(\.stringValue) ?? []) }, uniquingKeysWith: { $1 })
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted().flatMap { target -> [HostileFile] in
            // A damaged reference cache is rebuilt rather than refused: the library tests replay those.
            guard target != "reference-cache", let names = try? fm.contentsOfDirectory(atPath: "\(root)/\(target)") else { return [] }
            return names.sorted().map { HostileFile(target: target, path: "\(root)/\(target)/\($0)", mentions: mentions["\(target)/\($0)"] ?? []) }
        }
    }

    /// Puts the file where the command reading it expects it (beside a copy of a small model where it
    /// needs one) and returns the command and the file's name in it.
    func command(in folder: TemporaryDirectory) throws -> (arguments: [String], name: String) {
        let model = folder.file("model")
        func inModel(_ fixture: String, as name: String) throws -> String {
            try FileManager.default.copyItem(atPath: Fixtures.path("fuzz/\(fixture)"), toPath: model)
            try FileManager.default.removeItem(atPath: "\(model)/\(name)")
            try FileManager.default.copyItem(atPath: path, toPath: "\(model)/\(name)")
            return name
        }
        func beside(_ name: String) throws -> String {
            try FileManager.default.copyItem(atPath: path, toPath: folder.file(name))
            return folder.file(name)
        }
        let output = folder.file("out.gguf")
        switch target {
        case "config": return (["convert", model, "-o", output], try inModel("hf-model", as: "config.json"))
        case "index": return (["convert", model, "-o", output], try inModel("hf-model", as: "model.safetensors.index.json"))
        case "tokenizer-json": return (["convert", model, "-o", output], try inModel("hf-model", as: "tokenizer.json"))
        case "params": return (["convert", model, "-o", output], try inModel("native-model", as: "params.json"))
        case "tekken": return (["convert", model, "-o", output], try inModel("native-model", as: "tekken.json"))
        case "sentencepiece":
            try FileManager.default.copyItem(atPath: Fixtures.path("fuzz/hf-model"), toPath: model)
            try FileManager.default.copyItem(atPath: path, toPath: "\(model)/tokenizer.model")
            return (["convert", model, "-o", output], "tokenizer.model")
        case "safetensors": return (["inspect", try beside("input.safetensors")], "input.safetensors")
        case "gguf": return (["quantize", try beside("input.gguf"), "-o", output, "--type", "Q8_0"], "input.gguf")
        case "imatrix":
            try FileManager.default.copyItem(atPath: Fixtures.path("fuzz/hf-model"), toPath: model)
            return (["quantize", model, "-o", output, "--type", "Q4_K_M", "--imatrix", try beside("input.imatrix")], "input.imatrix")
        case "image":
            try FileManager.default.copyItem(atPath: Fixtures.path("fuzz/hf-model"), toPath: model)
            return (["generate", model, "--prompt", "x", "--image", try beside("input.image"), "-n", "1"], "input.image")
        default: throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}

@Suite struct HostileCorpusTests {
    /// Exit status 2 (never a signal), one line naming the file and the key, nothing written.
    func expectRefused(_ file: HostileFile) throws {
        let folder = TemporaryDirectory()
        let (arguments, name) = try file.command(in: folder)
        let before = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        let result = try KilnProcess.run(arguments)
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, got: \(result.stderr)")
        for word in [name] + file.mentions { #expect(result.stderr.contains(word), "\(result.stderr) should mention \(word)") }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted() == before, "no output and no temporary file left")
    }

    @Test(arguments: HostileFile.all(in: "hostile"))
    func aHostileFileIsRefusedWithOneLine(_ file: HostileFile) throws { try expectRefused(file) }

    @Test(arguments: HostileFile.all(in: "regressions"))
    func aFormerFuzzFindingIsRefusedWithOneLine(_ file: HostileFile) throws { try expectRefused(file) }

    /// Every reader the fuzzer drives has hostile examples (the reference cache's are in ReferenceCacheTests).
    @Test func everyReaderHasHostileExamples() {
        #expect(Set(HostileFile.all(in: "hostile").map(\.target)) == ["config", "gguf", "image", "imatrix", "index", "params", "safetensors",
                                                                      "sentencepiece", "tekken", "tokenizer-json"])
    }
}
