import Foundation
import KilnCore
import KilnTestSupport
import Testing

@Suite struct MessageSafetyTests {
    @Test(arguments: [
        ("plain name.weight", "plain name.weight"),
        ("a\nb\r\tc", #"a\u{a}b\u{d}\u{9}c"#),
        ("\u{1b}[2Jclear", #"\u{1b}[2Jclear"#),
        ("nul\u{0}del\u{7f}c1\u{85}", #"nul\u{0}del\u{7f}c1\u{85}"#),
        ("rtl\u{202e}txt.exe\u{2028}", #"rtl\u{202e}txt.exe\u{2028}"#),
        ("ünïcödé 漢字 🙂", "ünïcödé 漢字 🙂"),
    ])
    func controlCharactersAreEscaped(_ raw: String, _ escaped: String) {
        #expect(raw.escapedForMessage() == escaped)
    }

    @Test func longTextKeepsItsEnds() {
        let text = "start-" + String(repeating: "x", count: 10_000) + "-end"
        let short = text.escapedForMessage(limit: 100)
        #expect(short.count <= 100)
        #expect(short.hasPrefix("start-") && short.hasSuffix("-end") && short.contains("more)"))
    }

    @Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
        let folder = TemporaryDirectory()
        let dead = folder.file(".out.gguf.kiln-4194304-abcdef")
        let live = folder.file(".out.gguf.kiln-\(getpid())-abcdef")
        let unrelated = folder.file(".kiln-notes")
        for path in [dead, live, unrelated] { try Data([1]).write(to: URL(fileURLWithPath: path)) }
        #expect(TemporaryOutputs.removeStale(in: folder.path) == [dead])
        #expect(folder.contents == [".kiln-notes", ".out.gguf.kiln-\(getpid())-abcdef"])
    }

    @Test func aFIFOIsRefusedWithoutOpeningIt() throws {
        let folder = TemporaryDirectory()
        #expect(mkfifo(folder.file("fifo"), 0o600) == 0)
        let error = #expect(throws: FileError.self) { try MappedFile(path: folder.file("fifo")) }
        #expect(error?.operation == .notRegularFile)
        #expect(throws: FileError.self) { try MappedFile(path: "/dev/zero") }
    }
}
