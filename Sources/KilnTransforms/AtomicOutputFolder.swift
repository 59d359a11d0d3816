import Foundation
import KilnCore

/// A folder built under a hidden temporary name beside its destination and renamed into place only
/// when ``commit()`` succeeds, so a failed or interrupted write leaves no half-made model behind.
///
/// The folder counterpart of `AtomicOutputFile`; the destination must not exist, or be empty.
final class AtomicOutputFolder {
    let path: String
    let temporaryPath: String
    private var committed = false
    private let token: Int

    init(path: String) throws {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.path = trimmed
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: trimmed, isDirectory: &isFolder) {
            guard isFolder.boolValue, (try? FileManager.default.contentsOfDirectory(atPath: trimmed))?.isEmpty == true else {
                throw TransformError("\(trimmed) already exists; choose a new output folder (or an empty one)")
            }
        }
        var template = Array(TemporaryOutputs.template(for: trimmed).utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw FileError(.create, path: trimmed, errno: errno)
        }
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        token = TemporaryOutputs.register(temporaryPath, isFolder: true)
        chmod(temporaryPath, 0o755)
    }

    func file(_ name: String) -> String { "\(temporaryPath)/\(name)" }

    /// Renames the finished folder into place (over an empty folder of that name, if there is one).
    func commit() throws {
        let failure = TemporaryOutputs.finish(token) { rename(temporaryPath, path) == 0 ? 0 : errno }
        committed = true
        guard failure == 0 else {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw FileError(.rename, path: path, errno: failure)
        }
    }

    deinit {
        if !committed { TemporaryOutputs.discard(token) }
    }
}
