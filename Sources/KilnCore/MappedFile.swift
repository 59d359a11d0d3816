import Foundation
import Synchronization

/// A read-only memory map of a whole file.
///
/// Bytes are paged in by the kernel only when touched, so opening a 25 GB checkpoint costs nothing
/// until a tensor is read. The mapping lives as long as this object. Only regular files are opened:
/// a FIFO or device where a file is expected would block forever or read without end.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let bytes: UnsafeRawBufferPointer

    /// Live mappings by start address, so a bus error can name its file.
    private static let mappings = Mutex<[UInt: (end: UInt, path: String)]>([:])

    public init(path: String) throws {
        self.path = path
        // The type is checked before opening (opening a FIFO blocks until a writer appears) and again
        // on the descriptor, opened non-blocking, in case the path was swapped in between.
        var named = stat()
        guard stat(path, &named) == 0 else { throw FileError(.open, path: path, errno: errno) }
        guard (named.st_mode & S_IFMT) == S_IFREG else { throw FileError(.notRegularFile, path: path, errno: 0) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw FileError(.open, path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(.stat, path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError(.notRegularFile, path: path, errno: 0) }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw FileError(.map, path: path, errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        Self.mappings.withLock { $0[UInt(bitPattern: base)] = (UInt(bitPattern: base) + UInt(size), path) }
    }

    public var count: Int { bytes.count }

    /// The file's bytes as text (invalid UTF-8 replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The files mapped at `address` (none: the fault is not in a mapped input).
    static func paths(containing address: UInt) -> [String] {
        mappings.withLock { mappings in mappings.filter { $0.key <= address && address < $0.value.end }.map(\.value.path) }
    }

    /// Tells the kernel these bytes will be read front to back soon (a hint; failures are ignored).
    public func adviseSequential(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), range.upperBound - start, MADV_WILLNEED)
    }

    /// Lets the kernel drop pages already consumed, so streaming a large file keeps RSS flat.
    public func adviseDone(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        _ = Self.mappings.withLock { $0.removeValue(forKey: UInt(bitPattern: base)) }
        munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }
}
