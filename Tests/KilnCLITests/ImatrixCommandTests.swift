import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// `kiln imatrix` as a user runs it: folder input, both formats, the built-in calibration text, the
/// file feeding `kiln quantize --imatrix`, and bad options. The values themselves are proven against
/// llama-imatrix in KilnRuntimeTests/ImportanceCollectorTests.
@Suite struct ImatrixCommandTests {
    @Test func folderToGGUFAndDatFeedsQuantize() throws {
        let folder = TemporaryDirectory()
        for format in ["gguf", "dat"] {
            let output = folder.file("imatrix.\(format)")
            let result = try KilnProcess.run(["imatrix", Fixtures.tinyPixtral, "-o", output, "--file", Fixtures.path("text/eval.txt"),
                                              "--ctx", "64", "--chunks", "3", "--output-format", format, "--json", "--threads", "2"])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSON.parse(Array(result.stdout.utf8))
            #expect(json["entries"]?.intValue == 40 * 7 && json["chunks"]?.intValue == 3)
            let quantized = folder.file("q4.\(format).gguf")
            let quantize = try KilnProcess.run(["quantize", Fixtures.tinyPixtral, "-o", quantized, "--type", "IQ4_XS", "--imatrix", output, "--json"])
            #expect(quantize.status == 0, "\(quantize.stderr)")
            let file = try GGUFFile(path: quantized)
            #expect(file.metadata["quantize.imatrix.entries_count"]?.intValue == 40 * 7)
            #expect(file.metadata["quantize.imatrix.chunks_count"]?.intValue == 3)
        }
    }

    @Test func builtInCalibrationTextIsTheDefault() throws {
        let folder = TemporaryDirectory()
        let output = folder.file("imatrix.gguf")
        let result = try KilnProcess.run(["imatrix", Fixtures.tinyPixtral, "-o", output, "--ctx", "64", "--chunks", "2", "--threads", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try GGUFFile(path: output)
        #expect(file.metadata[GGUFKey.Imatrix.datasets] == .array(.string(["kiln-calibration-v1"])))
        #expect(file.metadata[GGUFKey.Imatrix.chunkSize] == .uint32(64))
    }

    @Test(arguments: [
        (["--ctx", "8"], "--ctx must be between 16"),
        (["--chunks", "0"], "--chunks must be between 1"),
        (["--output-format", "bin"], "output-format"),
        (["--file", "/nonexistent/text.txt"], "/nonexistent/text.txt"),
    ])
    func badOptionsExitWithStatus2(_ options: [String], _ message: String) throws {
        let folder = TemporaryDirectory()
        let output = folder.file("imatrix.gguf")
        let result = try KilnProcess.run(["imatrix", Fixtures.tinyPixtral, "-o", output] + options)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func tooShortATextIsRefused() throws {
        let folder = TemporaryDirectory()
        let text = folder.file("short.txt")
        try Data("A few words only.".utf8).write(to: URL(fileURLWithPath: text))
        let result = try KilnProcess.run(["imatrix", Fixtures.tinyPixtral, "-o", folder.file("imatrix.gguf"), "--file", text, "--ctx", "64"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("too few"), "\(result.stderr)")
    }
}
