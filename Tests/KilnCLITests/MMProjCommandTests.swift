import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// `--mmproj` of `kiln convert` and `kiln quantize`: the projector file next to the text model, in one run.
@Suite struct MMProjCommandTests {
    static func goldenFileHash(_ name: String) throws -> String? {
        try JSON.read(contentsOf: Fixtures.path("goldens/convert/\(name).json"))["header"]?["file_sha256"]?.stringValue
    }

    static func fileHash(_ path: String) throws -> String { SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: path)))) }

    @Test func convertWritesTheProjectorAtTheTextsType() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtralNative, "-o", folder.file("text.gguf"), "--outtype", "f16",
                                          "--mmproj", folder.file("mmproj.gguf")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("wrote ") }.count == 2)
        #expect(try Self.fileHash(folder.file("mmproj.gguf")) == Self.goldenFileHash("native-mmproj-f16"))
        #expect(try GGUFFile(path: folder.file("text.gguf")).architecture == "llama")
        #expect(folder.contents == ["mmproj.gguf", "text.gguf"])
    }

    /// `-o` and `--mmproj` naming one file, directly or through a symlinked folder, is a usage error:
    /// the second rename would replace the first file.
    @Test(arguments: [false, true])
    func textAndProjectorMustBeDifferentFiles(throughLink: Bool) throws {
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.file("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: folder.file("real"))
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("real/x.gguf"),
                                          "--mmproj", folder.file(throughLink ? "link/x.gguf" : "real/x.gguf")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("different file"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("real")).isEmpty)
    }

    @Test func withoutMMProjOneLineSaysTheVisionTowerWasLeftOut() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("text.gguf")])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("vision tower") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("--mmproj") == true)
    }

    /// The projector keeps its own type, whatever --type and --upscale do to the text model.
    @Test func quantizeWritesTheProjectorAtItsOwnTypeAndUpscaleLeavesItAlone() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["quantize", Fixtures.tinyPixtral, "-o", folder.file("q.gguf"), "--type", "Q8_0",
                                          "--upscale", "48", "--method", "interleave",
                                          "--mmproj", folder.file("mmproj.gguf"), "--mmproj-type", "f16"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.fileHash(folder.file("mmproj.gguf")) == Self.goldenFileHash("hf-mmproj-img-break-f16"))
        let text = try GGUFFile(path: folder.file("q.gguf"))
        #expect(text.metadata["llama.block_count"] == .uint32(48))
        #expect(text.metadata["general.file_type"] == .uint32(7))
    }

    @Test func aFailedProjectorLeavesNeitherFile() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("text.gguf"),
                                          "--mmproj", folder.file("missing/mmproj.gguf")])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(folder.contents.isEmpty)
    }

    @Test func rejectsAProjectorTypeWithoutAFileAndATextModel() throws {
        let folder = TemporaryDirectory()
        let noFile = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("text.gguf"), "--mmproj-type", "f16"])
        #expect(noFile.status == 2)
        #expect(noFile.stderr.contains("--mmproj"))
        let sameFile = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("a.gguf"), "--mmproj", folder.file("a.gguf")])
        #expect(sameFile.status == 2)
        #expect(folder.contents.isEmpty)
    }
}
