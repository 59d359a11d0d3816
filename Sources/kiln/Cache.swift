import ArgumentParser
import Foundation
import KilnCore
import KilnQuality

/// `kiln cache`: the reference passes `kiln verify` keeps, where they are, how much they take, and
/// removing them.
struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or clear the reference passes kiln verify caches.",
        discussion: """
        kiln verify stores each reference pass (the reference model's log-probabilities over the text, \
        zstd-compressed) so that verifying more candidates against the same reference and text skips \
        it. The files live in $XDG_CACHE_HOME/kiln (default ~/.cache/kiln) unless --reference-cache \
        names another file; each is about vocabulary × scored positions × 2 bytes before compression. \
        A stale or damaged file is rebuilt by the next verify; removing them is always safe.

        Examples:
          kiln cache               # where, how many files, how large
          kiln cache --clear       # remove them
          kiln cache --json
        """
    )

    @Flag(help: "Remove every cached reference pass.")
    var clear = false

    @Flag(help: "Print one JSON object (folder, files, bytes).")
    var json = false

    func run() throws {
        let folder = ReferenceCache.defaultFolder
        let files = ReferenceCache.files(in: folder)
        let bytes = files.reduce(0) { $0 + $1.bytes }
        if clear {
            for file in files where unlink(file.path) != 0 && errno != ENOENT {
                throw FileError(.write, path: file.path, errno: errno)
            }
        }
        if json {
            JSON.object([
                ("folder", .string(folder)), ("files", .integer(files.count)), ("bytes", .integer(bytes)), ("cleared", .bool(clear)),
            ]).printLine()
        } else if clear {
            print("removed \(files.count) reference pass\(files.count == 1 ? "" : "es") (\(Terminal.byteCount(bytes))) from \(folder)")
        } else {
            print("\(folder): \(files.count) reference pass\(files.count == 1 ? "" : "es"), \(Terminal.byteCount(bytes))")
            for file in files { print("  \((file.path as NSString).lastPathComponent)  \(Terminal.byteCount(file.bytes))") }
        }
    }
}
