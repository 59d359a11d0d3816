import Foundation
import KilnCore
import KilnQuality

/// The harness chosen by `KILN_FUZZ_HARNESS`, the folder its input is written to, and the input's path.
nonisolated(unsafe) private var harness = Harness.safetensors
nonisolated(unsafe) private var work = ""
nonisolated(unsafe) private var inputPath = ""

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_: UnsafeMutablePointer<Int32>, _: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    guard let name = environment["KILN_FUZZ_HARNESS"], let chosen = Harness(rawValue: name), let fixtures = environment["KILN_FUZZ_FIXTURES"] else {
        fail("set KILN_FUZZ_HARNESS to one of \(Harness.allCases.map(\.rawValue).joined(separator: ", ")) and KILN_FUZZ_FIXTURES")
    }
    // Seeds that need Kiln's own writer (a reference cache with the harness's key).
    if let seed = environment["KILN_FUZZ_WRITE_CACHE_SEED"] {
        // Two chunks of 8 tokens, 3 scored positions each, 4 words per position (a vocabulary of 4 needs 8: scale, floor, 4 values).
        do {
            let writer = try ReferenceCacheWriter(path: seed, key: Harness.cacheKey, tokens: (0..<16).map(Int32.init))
            let words = ReferenceLogProbabilities.wordCount(vocabularySize: Harness.cacheKey.vocabularySize)
            for position in 0..<6 {
                let row = (0..<words).map { UInt16(($0 + words * position) * 997 & 0x7fff) }
                try row.withUnsafeBufferPointer { try writer.append($0) }
            }
            try writer.commit()
        } catch { fail("\(error)") }
        exit(0)
    }
    harness = chosen
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    work = "\(base)/kiln-fuzz-\(name)-\(getpid())"
    try? FileManager.default.removeItem(atPath: work)
    do { try harness.prepare(work, fixtures: fixtures) } catch { fail("cannot prepare \(work): \(error)") }
    inputPath = "\(work)/\(harness.inputName)"
    atexit { try? FileManager.default.removeItem(atPath: work) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < count {
        let n = write(fd, data + written, count - written)
        if n <= 0 { break }
        written += n
    }
    close(fd)
    do { try harness.run(inputPath, work: work) } catch {}
    return 0
}

private func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

/// libFuzzer's driver, called from a Swift entry point (SwiftPM renames an executable's `main`, so
/// libFuzzer's own `main` cannot be used).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@main
enum KilnFuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv) { testOneInput($0, $1) })
    }
}
