import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// `kiln quantize --budget` on the fixture: the file stays within the bytes llama-quantize wrote for
/// the budget type (Fixtures/goldens/imatrix/quantize.json, same imatrix), records its recipe, and the
/// recipe replays byte for byte, also with an importance matrix made on the fly.
@Suite(.serialized) struct QuantizeMixCommandTests {
    static let f16: (folder: TemporaryDirectory, path: String) = {
        let folder = TemporaryDirectory()
        let path = folder.file("f16.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", path])
        return (folder, path)
    }()
    static let calibration = ["--calibration-ctx", "64", "--calibration-chunks", "2", "--threads", "2"]

    func llamaQuantizeSize(_ type: String) throws -> Int {
        let golden = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/imatrix/quantize.json"))))
        let entry = try #require(golden["outputs"]?.arrayValue?.first { $0["type"]?.stringValue == type && $0["imatrix"]?.stringValue?.hasSuffix(".gguf") == true })
        return try #require(entry["file_size"]?.intValue)
    }

    @Test(arguments: ["Q4_K_M", "Q2_K"])
    func staysWithinTheBudgetAndReplaysByteForByte(_ type: String) throws {
        let folder = TemporaryDirectory()
        // The path as llama-quantize was given it, so the quantize.imatrix.* keys are as long as in its file.
        let imatrix = "Fixtures/goldens/imatrix/tiny-pixtral.imatrix.gguf"
        let searched = folder.file("mix.gguf"), replayed = folder.file("replay.gguf"), recipe = folder.file("recipe.json")
        let search = try KilnProcess.run(["quantize", Self.f16.path, "-o", searched, "--budget", type, "--imatrix", imatrix,
                                          "--recipe-out", recipe, "--json"] + Self.calibration, in: Fixtures.repositoryRoot)
        #expect(search.status == 0, "\(search.stderr)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: searched)[.size] as? Int)
        #expect(size <= (try llamaQuantizeSize(type)), "\(size) bytes")
        let report = try JSON.read(contentsOf: recipe)
        #expect(report["file_bytes"]?.intValue == size)
        #expect((report["predicted_kld"]?.doubleValue).map { $0 >= 0 } == true && report["measured_kld"]?.doubleValue != nil)

        let file = try GGUFFile(path: searched)
        let recorded = try #require(file.metadata[GGUFKey.Kiln.recipe]?.stringValue)
        #expect(try JSON.parse(recorded)["tensors"] == report["tensors"])
        for (name, chosen) in try #require(report["tensors"]?.objectMembers) {
            #expect(file.tensors.first { $0.name == name }?.type.name == chosen.stringValue, "\(name)")
        }

        let replay = try KilnProcess.run(["quantize", Self.f16.path, "-o", replayed, "--recipe", recipe, "--imatrix", imatrix, "--threads", "2"],
                                         in: Fixtures.repositoryRoot)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: replayed)) == Data(contentsOf: URL(fileURLWithPath: searched)))
    }

    @Test func onTheFlyImatrixReplays() throws {
        let folder = TemporaryDirectory()
        let searched = folder.file("mix.gguf"), replayed = folder.file("replay.gguf"), recipe = folder.file("recipe.json")
        let search = try KilnProcess.run(["quantize", Self.f16.path, "-o", searched, "--target-bpw", "5", "--type", "Q4_K_M",
                                          "--imatrix-chunks", "2", "--recipe-out", recipe] + Self.calibration)
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("predicted KLD"))
        let file = try GGUFFile(path: searched)
        let bytes = file.tensors.reduce(0) { $0 + $1.byteCount }, parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        #expect(Double(bytes * 8) / Double(parameters) <= 5)
        #expect(file.metadata["quantize.imatrix.chunks_count"]?.intValue == 2)
        let replay = try KilnProcess.run(["quantize", Self.f16.path, "-o", replayed, "--recipe", recipe, "--threads", "2"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: replayed)) == Data(contentsOf: URL(fileURLWithPath: searched)))
    }

    @Test(arguments: [
        (["--budget", "Q4_K_M", "--type", "Q4_K_M"], "give one of --type, --budget"),
        (["--recipe-out", "r.json", "--type", "Q4_K_M"], "--recipe-out goes with --budget"),
        (["--target-bpw", "0.5"], "--target-bpw must be between 1"),
        (["--budget", "Q4_K_M", "--candidates", "Q4_K,F16"], "--candidates: unknown quantized type F16"),
        (["--budget", "Q2_K", "--candidates", "Q8_0", "--imatrix", "Fixtures/goldens/imatrix/tiny-pixtral.imatrix.gguf"], "cannot meet a budget"),
    ])
    func badRequestsExitWithStatus2(_ options: [String], _ message: String) throws {
        let folder = TemporaryDirectory()
        let output = folder.file("out.gguf")
        let result = try KilnProcess.run(["quantize", Self.f16.path, "-o", output] + options + Self.calibration, in: Fixtures.repositoryRoot)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
