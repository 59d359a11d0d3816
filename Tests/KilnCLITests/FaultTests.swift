import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// Hostile conditions around the files rather than in them: FIFOs and devices, outputs that would
/// destroy inputs, unwritable and full destinations, signals, inputs that shrink while mapped, and
/// names that would garble a terminal. Every failure must be one line and exit 2, never a signal,
/// with no output or temporary left behind.
@Suite(.serialized) struct FaultTests {
    /// Runs kiln and kills it after `seconds` if it is still running (a hang fails the test, it does
    /// not stall the suite).
    func run(_ arguments: [String], killAfter seconds: Double = 30) throws -> KilnProcess {
        try KilnProcess.run(executable: Fixtures.kilnExecutable, arguments) { process in
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    func expectOneLineExit2(_ result: KilnProcess, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.signaled, "ended by signal \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, got: \(result.stderr)", sourceLocation: sourceLocation)
        for word in mentions { #expect(result.stderr.contains(word), "\(result.stderr) should mention \(word)", sourceLocation: sourceLocation) }
    }

    func digest(_ path: String) throws -> String { SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: path)))) }

    // MARK: Nothing blocks forever

    @Test func aFIFOWhereATextFileIsExpectedIsRefused() throws {
        let folder = TemporaryDirectory()
        #expect(mkfifo(folder.file("text"), 0o644) == 0)
        let result = try run(["perplexity", Fixtures.tinyPixtral, "--file", folder.file("text")])
        expectOneLineExit2(result, mentions: [folder.file("text"), "not a regular file"])
    }

    @Test(arguments: ["config.json", "tokenizer.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors"])
    func aFIFOInAModelFolderIsRefused(_ name: String) throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try FileManager.default.copyItem(atPath: Fixtures.tinyPixtral, toPath: model)
        try FileManager.default.removeItem(atPath: "\(model)/\(name)")
        #expect(mkfifo("\(model)/\(name)", 0o644) == 0)
        let result = try run(["convert", model, "-o", folder.file("out.gguf")])
        expectOneLineExit2(result, mentions: [name, "not a regular file"])
        #expect(folder.contents == ["model"])
    }

    @Test func aDeviceWhereAnImportanceMatrixIsExpectedIsRefused() throws {
        let folder = TemporaryDirectory()
        let result = try run(["quantize", Fixtures.tinyPixtral, "-o", folder.file("out.gguf"), "--type", "Q4_K_M", "--imatrix", "/dev/zero"])
        expectOneLineExit2(result, mentions: ["/dev/zero", "not a regular file"])
        #expect(folder.contents.isEmpty)
    }

    /// `(a+)+$` against a line of `a`s ending in another character backtracks 2^n times; a tokenizer
    /// file is untrusted, so only the pre-tokenizers Kiln knows are run.
    @Test(arguments: ["tokenizer.json", "tekken.json"])
    func aCatastrophicPreTokenizerPatternIsRefusedNotRun(_ file: String) throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        let source = file == "tekken.json" ? Fixtures.tinyPixtralNative : Fixtures.tinyPixtral
        try FileManager.default.copyItem(atPath: source, toPath: model)
        let path = "\(model)/\(file)"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let known = #"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|"#
        #expect(text.contains(known))
        try text.replacingOccurrences(of: known, with: #"(a+)+$|"#).write(toFile: path, atomically: true, encoding: .utf8)
        try (String(repeating: "a", count: 64) + "!\n").write(toFile: folder.file("text"), atomically: true, encoding: .utf8)
        let started = Date()
        let result = try run(["perplexity", model, "--file", folder.file("text")])
        expectOneLineExit2(result, mentions: [file, "pre-tokenizer pattern", "not one Kiln knows"])
        #expect(Date().timeIntervalSince(started) < 20)
    }

    // MARK: Outputs never destroy inputs

    @Test func anOutputThatIsTheInputIsRefused() throws {
        let folder = TemporaryDirectory()
        let input = folder.file("in.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", input]).status == 0)
        let before = try digest(input)
        try FileManager.default.linkItem(atPath: input, toPath: folder.file("link.gguf"))
        try FileManager.default.createDirectory(atPath: folder.file("sub"), withIntermediateDirectories: false)
        for output in [input, "\(folder.path)/sub/../in.gguf", folder.file("link.gguf")] {
            let result = try run(["quantize", input, "-o", output, "--type", "Q8_0"])
            expectOneLineExit2(result, mentions: [output, "is the input"])
        }
        #expect(try digest(input) == before)
        #expect(folder.contents == ["in.gguf", "link.gguf", "sub"])
    }

    @Test func anOutputInsideTheInputFolderIsRefused() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try FileManager.default.copyItem(atPath: Fixtures.tinyPixtral, toPath: model)
        try FileManager.default.createSymbolicLink(atPath: folder.file("alias"), withDestinationPath: model)
        let shard = "\(model)/model-00001-of-00002.safetensors"
        let before = try digest(shard)
        for output in ["\(model)/model-00001-of-00002.safetensors", "\(model)/config.json", "\(model)/new.gguf", folder.file("alias/new.gguf")] {
            let result = try run(["convert", model, "-o", output])
            expectOneLineExit2(result, mentions: ["inside the input model folder"])
        }
        for output in ["\(model)/up", model, folder.path] {
            let result = try run(["upscale", model, "-o", output, "--layers", "48", "--method", "solar"])
            expectOneLineExit2(result, mentions: ["input", model])
        }
        #expect(try digest(shard) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: model).sorted()
            == FileManager.default.contentsOfDirectory(atPath: Fixtures.tinyPixtral).sorted())
    }

    @Test(arguments: [("a folder", "FOLDER", "is a folder"), ("a device", "/dev/null", "not a regular file"),
                      ("empty", "", "empty"), ("a folder by its slash", "FOLDER/new/", "folder")])
    func anOutputThatCannotBeAFileIsRefused(_ name: String, _ output: String, _ mention: String) throws {
        let folder = TemporaryDirectory()
        let path = output.replacingOccurrences(of: "FOLDER", with: folder.path)
        let result = try run(["convert", Fixtures.tinyPixtral, "-o", path])
        expectOneLineExit2(result, mentions: [mention])
        #expect(folder.contents.isEmpty)
    }

    /// The documented rule: a symbolic link at the output path is replaced by the new file, as `mv`
    /// replaces it; the file it pointed to is left as it was.
    @Test func aSymlinkedOutputIsReplacedAndItsTargetKept() throws {
        let folder = TemporaryDirectory()
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: folder.file("target")))
        try FileManager.default.createSymbolicLink(atPath: folder.file("out.gguf"), withDestinationPath: folder.file("target"))
        let result = try run(["convert", Fixtures.tinyPixtral, "-o", folder.file("out.gguf")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: folder.file("target"), encoding: .utf8) == "keep me")
        #expect(try FileManager.default.attributesOfItem(atPath: folder.file("out.gguf"))[.type] as? FileAttributeType == .typeRegular)
    }

    // MARK: Exit codes keep their promise

    @Test func unwritableVerifyOutputsFailBeforeTheEvaluation() throws {
        let folder = TemporaryDirectory()
        let candidate = folder.file("cand.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", candidate]).status == 0)
        let unwritable = geteuid() == 0 ? "/sys/kiln-test" : "/kiln-test"
        for option in ["--json-out", "--report", "--reference-cache"] {
            for path in [folder.file("missing/out"), "\(unwritable).out", "/dev/full", folder.path] {
                let started = Date()
                let result = try run(["verify", "--reference", Fixtures.tinyPixtral, "--candidate", candidate, option, path, "--ctx", "64"])
                expectOneLineExit2(result, mentions: [path])
                #expect(Date().timeIntervalSince(started) < 10, "refused before evaluating")
            }
        }
        #expect(folder.contents == ["cand.gguf"])
    }

    @Test func aFullDiskIsOneLineAndLeavesNothing() throws {
        let folder = TemporaryDirectory()
        // A 1 MiB file-size limit fails the write with EFBIG as a full disk fails it with ENOSPC.
        let result = try KilnProcess.run(executable: "/bin/sh", ["-c", "ulimit -f 1024; exec \"$0\" \"$@\"", Fixtures.kilnExecutable,
                                                                  "convert", Fixtures.tinyPixtral, "-o", folder.file("out.gguf")])
        expectOneLineExit2(result, mentions: [folder.file("out.gguf"), "cannot write"])
        #expect(folder.contents.isEmpty)
    }

    @Test func aBadTensorTypePatternIsOneLineExit2() throws {
        let folder = TemporaryDirectory()
        let result = try run(["quantize", Fixtures.tinyPixtral, "-o", folder.file("out.gguf"), "--type", "Q8_0", "--tensor-type", "attn_(q=Q4_0"])
        expectOneLineExit2(result, mentions: ["attn_(q"])
        #expect(folder.contents.isEmpty)
    }

    // MARK: Interruption loses nothing and leaves nothing

    static let interruptions: [(String, Int32)] = [("convert", SIGINT), ("quantize", SIGTERM), ("upscale", SIGHUP), ("convert", SIGTERM), ("upscale", SIGINT)]

    @Test(arguments: interruptions)
    func anInterruptedWriteLeavesNothing(_ command: String, _ signal: Int32) throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try SyntheticCheckpoint.write(to: model, layers: 4)
        let output = folder.file("out")
        let arguments = switch command {
        case "convert": ["convert", model, "-o", output, "--outtype", "f32"]
        case "quantize": ["quantize", model, "-o", output, "--type", "Q4_K_M"]
        default: ["upscale", model, "-o", output, "--layers", "8", "--method", "interleave"]
        }
        let (result, acted) = try KilnProcess.run(arguments, onceWritingIn: folder.path) { kill($0.processIdentifier, signal) }
        #expect(acted, "the run ended before it could be interrupted")
        #expect(result.signaled && result.status == signal, "ends by the signal, got \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("stopped by SIG") && result.stderr.contains("removed the unfinished"), "\(result.stderr)")
        #expect(folder.contents == ["model"], "no output and no temporary left")
    }

    @Test func aKilledRunsTemporariesAreRemovedByTheNextRun() throws {
        let folder = TemporaryDirectory()
        // A process id that is not running: one past the largest the kernel hands out.
        let dead = (try? String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 4_194_304
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder.file(".out.gguf.kiln-\(dead)-a1b2c3")))
        try FileManager.default.createDirectory(atPath: folder.file(".up.kiln-\(dead)-d4e5f6/inner"), withIntermediateDirectories: true)
        let live = ".other.gguf.kiln-\(getpid())-g7h8i9"
        try Data([1]).write(to: URL(fileURLWithPath: folder.file(live)))
        let result = try run(["convert", Fixtures.tinyPixtral, "-o", folder.file("out.gguf")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(".out.gguf.kiln-\(dead)-a1b2c3") && result.stderr.contains(".up.kiln-\(dead)-d4e5f6"))
        #expect(folder.contents == [live, "out.gguf"], "a temporary of a live process stays")
    }

    /// A bus error that no mapped input explains (here one sent by kill; a fuzzed tekken.json once crashed
    /// the crash reporter this way) is a crash: never passed off as a bad input with exit 2.
    ///
    /// On a loaded machine the signal can come so late that the run has already finished its work and
    /// exits 0 with the output written: that try says nothing either way, so it is made again.
    @Test func aBusErrorOutsideTheInputsEndsAsACrash() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try SyntheticCheckpoint.write(to: model, layers: 4)
        for attempt in 1...3 {
            try? FileManager.default.removeItem(atPath: folder.file("out.gguf"))
            let (result, acted) = try KilnProcess.run(["convert", model, "-o", folder.file("out.gguf"), "--outtype", "f32"], onceWritingIn: folder.path) {
                kill($0.processIdentifier, SIGBUS)
            }
            if attempt < 3, !result.signaled, result.status == 0, FileManager.default.fileExists(atPath: folder.file("out.gguf")) { continue }
            #expect(acted, "the run ended before the signal")
            #expect(result.signaled && result.status == SIGBUS, "ends by SIGBUS, got \(result.status) on try \(attempt): \(result.stderr)")
            #expect(!result.stderr.contains("changed while being read"), "\(result.stderr)")
            return
        }
    }

    @Test func anInputThatShrinksWhileMappedIsOneLineNotABusError() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try SyntheticCheckpoint.write(to: model, layers: 4)
        let weights = "\(model)/consolidated.safetensors"
        let (result, acted) = try KilnProcess.run(["convert", model, "-o", folder.file("out.gguf"), "--outtype", "f32"], onceWritingIn: folder.path) { _ in
            truncate(weights, 1 << 20)
        }
        #expect(acted, "the run ended before the input could shrink")
        expectOneLineExit2(result, mentions: [weights, "changed while being read"])
        #expect(folder.contents == ["model"])
    }

    // MARK: Messages are safe to print

    @Test func namesFromFilesAreEscapedAndShortened() throws {
        let folder = TemporaryDirectory()
        let name = "evil\u{1b}[2J\nname\u{7}" + String(repeating: "x", count: 5000)
        var file = RawSafeTensors.valid()
        file.header = file.header.replacingOccurrences(of: "\"a\":{\"dtype\":\"F32\"", with: "\"\(name.replacingOccurrences(of: "\u{1b}", with: "\\u001b").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\u{7}", with: "\\u0007"))\":{\"dtype\":\"F31\"")
        try file.write(to: folder.file("bad.safetensors"))
        let result = try run(["inspect", folder.file("bad.safetensors")])
        expectOneLineExit2(result, mentions: ["bad.safetensors", "F31", "evil\\u{1b}[2J\\u{a}name\\u{7}"])
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control characters")
        #expect(result.stderr.count < 1100, "shortened, got \(result.stderr.count) characters")
    }

    @Test func aShardLinkedToATextFileShowsNoneOfItsBytes() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try FileManager.default.copyItem(atPath: Fixtures.tinyPixtral, toPath: model)
        let text = "Secret notes, not a model.\n"
        try text.write(toFile: folder.file("notes.txt"), atomically: true, encoding: .utf8)
        let shard = "\(model)/model-00002-of-00002.safetensors"
        try FileManager.default.removeItem(atPath: shard)
        try FileManager.default.createSymbolicLink(atPath: shard, withDestinationPath: folder.file("notes.txt"))
        let result = try run(["convert", model, "-o", folder.file("out.gguf")])
        expectOneLineExit2(result, mentions: ["model-00002-of-00002.safetensors", "not a safetensors file"])
        let asLength = Array(text.utf8)[0..<8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(!result.stderr.contains(String(UInt64(littleEndian: asLength))) && !result.stderr.contains("Secret"))
    }
}
