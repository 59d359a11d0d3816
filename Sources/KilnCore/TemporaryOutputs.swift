import Foundation
import Synchronization

/// The hidden temporary files and folders that outputs are written to before they are renamed into
/// place, tracked so that an interrupted run removes them (``SignalHandling``) and the next run in a
/// folder removes what a killed one left.
///
/// Names are `.NAME.kiln-PID-XXXXXX` in the destination's folder: the writer's process id lets a later
/// run tell a stale temporary (its writer is gone) from one another Kiln process is still writing.
public enum TemporaryOutputs {
    private struct Entry {
        let path: String
        let isFolder: Bool
    }

    private static let entries = Mutex<[Int: Entry]>([:])
    private static let nextToken = Atomic<Int>(0)

    /// The `mkstemp`/`mkdtemp` template for the temporary of `path`.
    public static func template(for path: String) -> String {
        let (folder, name) = OutputPath.split(path)
        return "\(folder)/.\(name).kiln-\(getpid())-XXXXXX"
    }

    /// Records a temporary so that an interruption removes it; returns the token to finish it with.
    public static func register(_ path: String, isFolder: Bool) -> Int {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        entries.withLock { $0[token] = Entry(path: path, isFolder: isFolder) }
        return token
    }

    /// Runs `commit` (the rename into place) and forgets the temporary, with removal by an
    /// interruption held off meanwhile, so a signal never deletes a half-renamed output.
    public static func finish<T>(_ token: Int, _ commit: () throws -> T) rethrows -> T {
        try entries.withLock { entries in
            defer { entries[token] = nil }
            return try commit()
        }
    }

    /// Removes the temporary now and forgets it.
    public static func discard(_ token: Int) {
        entries.withLock { entries in
            if let entry = entries.removeValue(forKey: token) { remove(entry) }
        }
    }

    /// Removes every temporary still registered and ends the process with `end`, without letting go
    /// of the registry: no other thread may commit or start an output meanwhile.
    static func removeAll(then end: ([String]) -> Never) -> Never {
        entries.withLock { entries in
            let paths = entries.keys.sorted().compactMap { entries[$0] }.map { entry in
                remove(entry)
                return entry.path
            }
            end(paths)
        }
    }

    private static func remove(_ entry: Entry) {
        if entry.isFolder { try? FileManager.default.removeItem(atPath: entry.path) } else { unlink(entry.path) }
    }

    /// Removes the temporaries in `folder` left by Kiln processes that no longer run (killed with
    /// SIGKILL, or a machine that lost power) and returns their paths. Those of live processes stay.
    public static func removeStale(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.sorted().compactMap { name -> String? in
            guard name.hasPrefix("."), let marker = name.range(of: ".kiln-", options: .backwards) else { return nil }
            let fields = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            guard fields.count == 2, fields[1].count == 6, let pid = pid_t(fields[0]), pid > 0, pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH
            else { return nil }
            let path = folder.hasSuffix("/") ? folder + name : "\(folder)/\(name)"
            return (try? FileManager.default.removeItem(atPath: path)) != nil ? path : nil
        }
    }
}
