import Foundation
import KilnFuzzTargets
import KilnQuality

/// The workspace of the target chosen by `KILN_FUZZ_TARGET`.
nonisolated(unsafe) private var workspace: FuzzWorkspace?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_: UnsafeMutablePointer<Int32>, _: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    guard let name = environment["KILN_FUZZ_TARGET"], let chosen = FuzzTarget(rawValue: name), let fixtures = environment["KILN_FUZZ_FIXTURES"] else {
        fail("set KILN_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")) and KILN_FUZZ_FIXTURES to Fixtures/fuzz")
    }
    // The reference-cache seed needs Kiln's own writer and the target's key.
    if let seed = environment["KILN_FUZZ_WRITE_CACHE_SEED"] {
        // Two chunks of 8 tokens, 3 scored positions each, 4 words per position (a vocabulary of 4 needs 8: scale, floor, 4 values).
        do {
            let writer = try ReferenceCacheWriter(path: seed, key: FuzzTarget.cacheKey, tokens: (0..<16).map(Int32.init))
            let words = ReferenceLogProbabilities.wordCount(vocabularySize: FuzzTarget.cacheKey.vocabularySize)
            for position in 0..<6 {
                let row = (0..<words).map { UInt16(($0 + words * position) * 997 & 0x7fff) }
                try row.withUnsafeBufferPointer { try writer.append($0) }
            }
            try writer.commit()
        } catch { fail("\(error)") }
        exit(0)
    }
    // tmpfs where there is one: every input is written before it is read.
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let folder = "\(base)/kiln-fuzz-\(name)-\(getpid())"
    do { workspace = try FuzzWorkspace(chosen, folder: folder, fuzzFixtures: fixtures) } catch { fail("cannot prepare \(folder): \(error)") }
    atexit { if let folder = workspace?.folder { try? FileManager.default.removeItem(atPath: folder) } }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    do { try workspace!.run(UnsafeRawBufferPointer(start: data, count: count)) } catch {}
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
