import Foundation

/// An output path that cannot be written safely: it is empty, a folder or device, one of the inputs,
/// inside an input model folder, or in a folder that cannot be written.
public struct InvalidOutputPath: FileInputError, Sendable {
    public let path: String
    public let message: String
}

/// Checks of a path a command is about to write, made before any work so that a mistake costs
/// nothing, and so that an output can never replace or sit among the files it is made from.
///
/// Identity is decided by device and inode, so another spelling of a path, a symbolic link to the
/// folder or a hard link to an input is recognised. A symbolic link at the output path itself is
/// replaced by the new file as `mv` would replace it; the file it points to is never opened.
public enum OutputPath {
    public enum Kind: Sendable {
        /// A file written through ``AtomicOutputFile``.
        case file
        /// A folder that must not exist yet, or be empty.
        case folder
    }

    /// Validates `path` against `inputs` (files or model folders), proves its folder writable by
    /// creating and removing a temporary there, and removes stale temporaries that killed runs left in
    /// that folder (``TemporaryOutputs/removeStale(in:)``); returns the paths removed.
    @discardableResult
    public static func check(_ path: String, kind: Kind, inputs: [String]) throws -> [String] {
        func refuse(_ message: String) -> InvalidOutputPath { InvalidOutputPath(path: path.escapedForMessage(), message: message) }
        guard !path.isEmpty else { throw InvalidOutputPath(path: "", message: "the output path is empty") }
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let parent = split(trimmed).folder
        var entry = stat()
        if lstat(trimmed, &entry) == 0 {
            switch (entry.st_mode & S_IFMT, kind) {
            case (S_IFLNK, .file): break
            case (S_IFREG, .file): break
            case (S_IFDIR, .folder): break
            case (S_IFDIR, .file): throw refuse("is a folder; give the path of the file to write")
            case (S_IFLNK, .folder): throw refuse("is a symbolic link; give the path of the folder to make")
            case (_, .folder): throw refuse("already exists and is not a folder")
            default: throw refuse("is not a regular file (a device, FIFO or socket); give the path of a file to write")
            }
        } else if path.hasSuffix("/"), kind == .file {
            throw refuse("names a folder; give the path of the file to write")
        }
        var folder = stat()
        guard stat(parent, &folder) == 0 else { throw FileError(.create, path: path.escapedForMessage(), errno: errno) }
        guard (folder.st_mode & S_IFMT) == S_IFDIR else { throw FileError(.create, path: path.escapedForMessage(), errno: ENOTDIR) }

        let output = (entry.st_mode & S_IFMT) == S_IFLNK ? nil : identity(trimmed)
        let outputAncestors = ancestors(ofFolder: parent)
        for input in inputs {
            guard let inputID = identity(input) else { continue }
            if inputID == output { throw refuse("is the input \(input.escapedForMessage()); choose another output path") }
            guard isFolder(input) else { continue }
            if outputAncestors.contains(inputID) {
                throw refuse("is inside the input model folder \(input.escapedForMessage()); write the output elsewhere")
            }
            if let output, kind == .file, fileIdentities(in: input).contains(output) {
                throw refuse("is a file of the input model folder \(input.escapedForMessage()) (a hard link); choose another output path")
            }
            if let output, kind == .folder, ancestors(ofFolder: input).contains(output) {
                throw refuse("contains the input model folder \(input.escapedForMessage()); write the output elsewhere")
            }
        }
        // Creating the temporary is the one test of writability that holds for every user and file
        // system (a read-only mount, permissions that root ignores, no inodes left).
        try AtomicOutputFile(path: trimmed, bufferSize: 64).discard()
        return TemporaryOutputs.removeStale(in: parent)
    }

    /// The folder a path's last component is in (`.` for a bare name, `/` at the root) and that component.
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Creates `folder` and the missing folders above it, as `mkdir -p` does.
    public static func createFolder(_ folder: String) throws {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw FileError(.create, path: folder, errno: ENOTDIR) }
            return
        }
        let parent = split(folder).folder
        if parent != folder, parent != "." { try createFolder(parent) }
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { throw FileError(.create, path: folder, errno: errno) }
    }

    private struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The folder and every folder above it, by identity, up to the root.
    private static func ancestors(ofFolder folder: String) -> [Identity] {
        var result: [Identity] = []
        var current = folder
        for _ in 0..<256 {
            guard let id = identity(current), !result.contains(id) else { break }
            result.append(id)
            current += "/.."
        }
        return result
    }

    private static func fileIdentities(in folder: String) -> Set<Identity> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(names.compactMap { identity("\(folder)/\($0)") })
    }
}
