import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// `kiln cache` finds the reference passes `kiln verify` stored in the default folder, sizes them and
/// clears them, touching nothing else there.
@Suite struct CacheCommandTests {
    func kiln(_ arguments: [String], cacheHome: String) throws -> KilnProcess {
        try KilnProcess.run(executable: "/usr/bin/env", ["XDG_CACHE_HOME=\(cacheHome)", Fixtures.kilnExecutable] + arguments)
    }

    @Test func listsSizesAndClearsTheReferencePasses() throws {
        let folder = TemporaryDirectory()
        let home = folder.file("cache")
        let gguf = folder.file("m.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", gguf]).status == 0)
        let empty = try JSON.parse(try kiln(["cache", "--json"], cacheHome: home).stdout)
        #expect(empty["folder"]?.stringValue == home + "/kiln" && empty["files"]?.intValue == 0)

        let verify = try kiln(["verify", "--reference", Fixtures.tinyPixtral, "--candidate", gguf, "-c", "64", "--chunks", "2"], cacheHome: home)
        #expect(verify.status == 0, "\(verify.stderr)")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: home + "/kiln/notes.txt"))
        let stored = try #require(try FileManager.default.contentsOfDirectory(atPath: home + "/kiln").first { $0.hasSuffix(".kref") })
        let size = try #require(try FileManager.default.attributesOfItem(atPath: home + "/kiln/" + stored)[.size] as? Int)

        let listed = try JSON.parse(try kiln(["cache", "--json"], cacheHome: home).stdout)
        #expect(listed["files"]?.intValue == 1 && listed["bytes"]?.intValue == size)
        let text = try kiln(["cache"], cacheHome: home).stdout
        #expect(text.hasPrefix("\(home)/kiln: 1 reference pass, ") && text.contains(stored), "\(text)")

        let cleared = try kiln(["cache", "--clear"], cacheHome: home)
        #expect(cleared.status == 0 && cleared.stdout.hasPrefix("removed 1 reference pass"), "\(cleared.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/kiln") == ["notes.txt"])
    }
}
