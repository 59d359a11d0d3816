import Foundation
import KilnCore

/// Checks an output path before any work (``OutputPath``) and says which stale temporaries of killed
/// runs it removed from the output's folder.
func checkOutput(_ path: String, _ kind: OutputPath.Kind = .file, inputs: [String]) throws {
    for stale in try OutputPath.check(path, kind: kind, inputs: inputs) {
        FileHandle.standardError.write(Data("kiln: removed \(stale.escapedForMessage()), left by an interrupted run\n".utf8))
    }
}
