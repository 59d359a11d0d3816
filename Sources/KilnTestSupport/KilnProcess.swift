import Foundation

/// Runs the built `kiln` executable (or any other) as a user would and captures what it prints.
public struct KilnProcess {
    /// The exit status, or the signal's number when ``signaled``.
    public let status: Int32
    /// Whether a signal ended the process (a crash, or the signal a test sent).
    public let signaled: Bool
    public let stdout: String
    public let stderr: String

    /// - Parameter directory: the working directory (default: the test process's).
    public static func run(_ arguments: [String], in directory: String? = nil) throws -> KilnProcess {
        try run(executable: Fixtures.kilnExecutable, arguments, in: directory)
    }

    /// Runs `executable`; standard error is drained on another thread, so a child that fills one pipe
    /// while the other is being read cannot block. `whileRunning` is called once the child has started.
    public static func run(executable: String, _ arguments: [String], in directory: String? = nil,
                           whileRunning: ((Process) -> Void)? = nil) throws -> KilnProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errors = Data()
        nonisolated(unsafe) var output = Data()
        let drained = DispatchGroup()
        for (pipe, isError) in [(err, true), (out, false)] {
            DispatchQueue.global().async(group: drained) {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isError { errors = data } else { output = data }
            }
        }
        whileRunning?(process)
        drained.wait()
        process.waitUntilExit()
        return KilnProcess(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                           stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errors, as: UTF8.self))
    }

    /// Runs `kiln` and calls `act` once it is writing: as soon as a temporary output
    /// (`.NAME.kiln-…`) in `folder` holds bytes or files. `acted` says whether that happened before
    /// the process ended on its own.
    public static func run(_ arguments: [String], onceWritingIn folder: String,
                           act: @escaping (Process) -> Void) throws -> (result: KilnProcess, acted: Bool) {
        nonisolated(unsafe) var acted = false
        let result = try run(executable: Fixtures.kilnExecutable, arguments) { process in
            while process.isRunning {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                let writing = names.filter { $0.contains(".kiln-") }.contains { name in
                    let path = "\(folder)/\(name)"
                    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                    if attributes?[.type] as? FileAttributeType == .typeDirectory {
                        return !((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty
                    }
                    return (attributes?[.size] as? Int ?? 0) > 0
                }
                if writing {
                    act(process)
                    acted = true
                    return
                }
                usleep(200)
            }
        }
        return (result, acted)
    }
}
