#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name in its destination folder and renamed into place only
/// when ``commit()`` succeeds.
///
/// Readers never see a half-written output, and a failure (or forgetting to commit) removes the
/// temporary file, so nothing is left behind. Writes are buffered; large slices bypass the buffer.
public final class AtomicOutputFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    public private(set) var bytesWritten = 0
    private var finished = false
    private let token: Int

    public init(path: String, bufferSize: Int = 4 << 20) throws {
        self.path = path
        guard !path.isEmpty else { throw FileError(.create, path: "\"\"", errno: ENOENT) }
        var template = Array(TemporaryOutputs.template(for: path).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError(.create, path: path, errno: Glibc.errno) }
        self.fd = fd
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        token = TemporaryOutputs.register(temporaryPath, isFolder: false)
        fchmod(fd, 0o644)
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffered + bytes.count > buffer.count { try flush() }
        if bytes.count >= buffer.count {
            try writeFully(bytes)
        } else if let source = bytes.baseAddress {
            (buffer.baseAddress! + buffered).copyMemory(from: source, byteCount: bytes.count)
            buffered += bytes.count
        }
        bytesWritten += bytes.count
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { (raw) throws in try write(raw) }
    }

    public func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        try write([UInt8](repeating: 0, count: count))
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        try flush()
        guard fsync(fd) == 0 else { throw FileError(.write, path: path, errno: Glibc.errno) }
        close(fd)
        fd = -1
        finished = true
        let failure = TemporaryOutputs.finish(token) { () -> Int32 in
            guard rename(temporaryPath, path) != 0 else { return 0 }
            let code = Glibc.errno
            unlink(temporaryPath)
            return code
        }
        guard failure == 0 else { throw FileError(.rename, path: path, errno: failure) }
    }

    /// Writes `bytes` as the whole new content of `path`, atomically.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        let file = try AtomicOutputFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { try write($0, to: path) }
    }

    /// Removes the temporary file; called automatically unless committed.
    public func discard() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { close(fd); fd = -1 }
        TemporaryOutputs.discard(token)
    }

    private func flush() throws {
        guard buffered > 0 else { return }
        try writeFully(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]))
        buffered = 0
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw FileError(.write, path: path, errno: Glibc.errno)
            }
            done += n
        }
    }

    deinit {
        discard()
        buffer.deallocate()
    }
}
