import Foundation
import KilnCore
import KilnTestSupport
import Testing

@Suite struct AtomicOutputFileTests {
    @Test func appearsOnlyWhenCommitted() throws {
        let folder = TemporaryDirectory()
        let file = try AtomicOutputFile(path: folder.file("out.bin"), bufferSize: 8)
        try file.write([1, 2, 3])
        try file.write(Array(repeating: 9, count: 20))  // larger than the buffer: written through
        try file.writeZeros(2)
        #expect(!FileManager.default.fileExists(atPath: folder.file("out.bin")))
        try file.commit()
        #expect(folder.contents == ["out.bin"])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder.file("out.bin")))) == [1, 2, 3] + Array(repeating: 9, count: 20) + [0, 0])
    }

    @Test func replacesAnExistingFileOnlyAtCommit() throws {
        let folder = TemporaryDirectory()
        try Data([7]).write(to: URL(fileURLWithPath: folder.file("out.bin")))
        do {
            let file = try AtomicOutputFile(path: folder.file("out.bin"))
            try file.write([1, 2])
        }
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder.file("out.bin")))) == [7], "an abandoned write leaves the old file intact")
        #expect(folder.contents == ["out.bin"])
    }

    @Test func reportsAMissingFolder() {
        let error = #expect(throws: FileError.self) { try AtomicOutputFile(path: "/nonexistent-kiln-folder/out.bin") }
        #expect(error?.description.contains("/nonexistent-kiln-folder/out.bin") == true)
    }
}
