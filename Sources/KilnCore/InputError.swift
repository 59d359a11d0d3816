/// An error caused by the input (a file, a folder, a request) rather than by Kiln.
///
/// Its description is one line naming the file and what is wrong; the CLI prints it and exits with
/// status 2.
public protocol InputError: Error, CustomStringConvertible {}

extension FileError: InputError {}
extension JSONError: InputError {}

/// An input error about one file, described as `path: message`.
public protocol FileInputError: InputError {
    var path: String { get }
    var message: String { get }
}

extension FileInputError {
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A file that should hold JSON and does not.
public struct InvalidJSONFile: FileInputError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

extension JSON {
    /// Reads and parses a JSON file; a missing file is a ``FileError``, bad JSON an ``InvalidJSONFile``.
    public static func read(contentsOf path: String, rejectDuplicateKeys: Bool = true) throws -> JSON {
        let file = try MappedFile(path: path)
        do {
            return try parse(file.bytes, rejectDuplicateKeys: rejectDuplicateKeys)
        } catch {
            throw InvalidJSONFile(path: path, message: "is not valid JSON: \(error)")
        }
    }
}
