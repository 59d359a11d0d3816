import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

@Suite struct UpscaleCommandTests {
    @Test(arguments: [Fixtures.tinyPixtral, Fixtures.tinyPixtralNative])
    func upscalesTheFixtureToFortyEightLayers(_ model: String) throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["upscale", model, "-o", folder.file("out"), "--layers", "48", "--method", "solar"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("40 → 48 layers (solar)"))
        #expect(folder.contents == ["out"], "no temporary folder left behind")
        let inspected = try KilnProcess.run(["inspect", folder.file("out"), "--json"])
        #expect(try JSON.parse(inspected.stdout)["layers"] == .number("48"))
    }

    @Test func aMapUpscalesAsTheMethodItSpellsOut() throws {
        let folder = TemporaryDirectory()
        #expect(try KilnProcess.run(["upscale", Fixtures.tinyPixtral, "-o", folder.file("map"), "--map", "0-23,16-39"]).status == 0)
        #expect(try KilnProcess.run(["upscale", Fixtures.tinyPixtral, "-o", folder.file("solar"), "--layers", "48", "--method", "solar"]).status == 0)
        for shard in ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"] {
            #expect(FileManager.default.contentsEqual(atPath: folder.file("map/\(shard)"), andPath: folder.file("solar/\(shard)")), "\(shard)")
        }
    }

    @Test func dryRunPrintsEachLayersSourceAndWritesNothing() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["upscale", Fixtures.tinyPixtral, "-o", folder.file("out"), "--layers", "48", "--method", "identity", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        try #require(lines.count == 2 + 48)
        #expect(lines[0] == "40 → 48 layers (identity)")
        #expect(lines[2 + 5] == "      5       4  copy, zeroed: attentionOutput, feedForwardDown")
        #expect(lines[2 + 6] == "      6       5")
        #expect(folder.contents.isEmpty)

        let json = try JSON.parse(try KilnProcess.run(["upscale", Fixtures.tinyPixtral, "--map", "0-23,16-39", "--dry-run", "--json"]).stdout)
        let map = try #require(json["map"]?.arrayValue)
        #expect(map.compactMap { $0["source"]?.intValue } == Array(0...23) + Array(16...39))
        #expect(map[24]["copy"] == .bool(true) && map[23]["copy"] == .bool(false))
    }

    @Test func convertUpscalesOnTheWayToGGUF() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtralNative, "-o", folder.file("out.gguf"), "--upscale", "48", "--method", "identity"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try GGUFFile(path: folder.file("out.gguf"))
        #expect(file.metadata["llama.block_count"] == .uint32(48))
        #expect(file.bytes(of: try #require(file.tensor(named: "blk.47.ffn_down.weight"))).allSatisfy { $0 == 0 })
        #expect(folder.contents == ["out.gguf"])
    }

    @Test(arguments: [
        (["--layers", "32", "--method", "solar"], "more layers"),
        (["--layers", "47", "--method", "interleave"], "41, 42, 44, 45, 48, 50, 60 or 80"),
        (["--layers", "48", "--method", "llama-pro"], "unknown upscale method"),
        (["--map", "0-23;16-39"], "malformed layer map"),
        (["--map", "0-23,16-40"], "names layer 40"),
        (["--layers", "48"], "--layers needs --method"),
        (["--method", "solar"], "--method needs --layers"),
        (["--layers", "48", "--method", "solar", "--map", "0-47"], "either --method or --map"),
        (["--layers", "50", "--map", "0-23,16-39"], "--map lists 48 layers"),
        ([], "say how to upscale"),
    ])
    func aBadRequestExitsTwoWithOneLineAndNoOutput(_ arguments: [String], _ mention: String) throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["upscale", Fixtures.tinyPixtral, "-o", folder.file("out")] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, got: \(result.stderr)")
        #expect(result.stderr.contains(mention), "\(result.stderr) should mention \(mention)")
        #expect(folder.contents.isEmpty, "no output folder and no temporary folder left behind")
    }

    @Test func convertRejectsABadUpscaleWithoutWritingAFile() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("out.gguf"), "--upscale", "47", "--method", "solar"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("even count from 42 to 80"))
        #expect(folder.contents.isEmpty)
    }
}

@Suite struct QuantizeUpscaleTests {
    @Test func quantizesStraightFromAnUpscaledFolder() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["quantize", Fixtures.tinyPixtral, "-o", folder.file("q.gguf"), "--type", "Q8_0",
                                          "--upscale", "48", "--method", "identity", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try GGUFFile(path: folder.file("q.gguf"))
        #expect(file.metadata["llama.block_count"] == .uint32(48))
        #expect(file.tensor(named: "blk.47.ffn_down.weight")?.type == .q8_0)
        #expect(try #require(file.tensor(named: "blk.47.ffn_down.weight")).byteCount > 0)
    }

    /// A GGUF input upscaled on the way: the hyper-parameter keys come from the upscaled model, so
    /// block_count says 48 where it used to keep the source's 40. Every other key and its place are
    /// the source's, gguf-py reads the same count, and the tensors are exactly the ones llama.cpp's
    /// loader asks for 48 layers (it refuses a file with tensors left over or missing).
    @Test(arguments: ["solar", "identity"])
    func quantizesAnUpscaledGGUFWithItsOwnLayerCount(_ method: String) throws {
        let folder = TemporaryDirectory()
        let source = folder.file("m.gguf"), output = folder.file("q.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", source]).status == 0)
        let result = try KilnProcess.run(["quantize", source, "-o", output, "--type", "Q8_0", "--upscale", "48", "--method", method, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try GGUFFile(path: output), original = try GGUFFile(path: source)
        #expect(file.metadata["llama.block_count"] == .uint32(48))
        // llama-quantize moves the two quantization keys to the end; every other key keeps its place.
        let moved = ["general.quantization_version", "general.file_type"]
        #expect(file.metadata.keys.filter { !moved.contains($0) } == original.metadata.keys.filter { !moved.contains($0) })
        for (key, value) in original.metadata where !(moved + ["llama.block_count"]).contains(key) {
            #expect(file.metadata[key] == value, "\(key)")
        }
        let layers = Set(file.tensors.compactMap { $0.name.hasPrefix("blk.") ? $0.name.split(separator: ".")[1] : nil })
        #expect(layers == Set((0..<48).map { Substring(String($0)) }))
        // token_embd, output_norm and output, then nine tensors per layer.
        #expect(file.tensors.count == 3 + 9 * 48)

        let script = """
        import sys, gguf
        r = gguf.GGUFReader(sys.argv[1])
        f = r.fields["llama.block_count"]
        print(int(f.parts[f.data[0]][0]), len(r.tensors))
        """
        #expect(try PythonScript.run(script, arguments: [output]) == "48 \(3 + 9 * 48)\n")
        let inspected = try JSON.parse(try KilnProcess.run(["inspect", output, "--json"]).stdout)
        #expect(inspected["layers"]?.intValue == 48)
    }
}
