#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the operating system while reading or writing a file.
///
/// The message always names the file, so the CLI can print it as one line.
public struct FileError: Error, CustomStringConvertible, Sendable {
    public struct Operation: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable { case open, stat, map, read, write, rename, create, notRegularFile }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        public static let open = Operation(.open)
        public static let stat = Operation(.stat)
        public static let map = Operation(.map)
        public static let read = Operation(.read)
        public static let write = Operation(.write)
        public static let rename = Operation(.rename)
        public static let create = Operation(.create)
        public static let notRegularFile = Operation(.notRegularFile)
        public var description: String {
            switch wrapped {
            case .open: "cannot open"
            case .stat: "cannot stat"
            case .map: "cannot memory-map"
            case .read: "cannot read"
            case .write: "cannot write"
            case .rename: "cannot move into place"
            case .create: "cannot create"
            case .notRegularFile: "not a regular file"
            }
        }
    }

    public let operation: Operation
    public let path: String
    /// `errno` at the time of failure, or 0 when the failure was not a system call.
    public let errno: Int32

    public init(_ operation: Operation, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String {
        guard errno != 0, let reason = strerror(errno) else { return "\(path): \(operation)" }
        return "\(path): \(operation): \(String(cString: reason))"
    }
}
