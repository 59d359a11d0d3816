import Foundation

/// Runs the built `kiln` executable (or any other) as a user would and captures what it prints.
public struct KilnProcess {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// - Parameter directory: the working directory (default: the test process's).
    public static func run(_ arguments: [String], in directory: String? = nil) throws -> KilnProcess {
        try run(executable: Fixtures.kilnExecutable, arguments, in: directory)
    }

    /// Runs `executable`; standard error is drained on another thread, so a child that fills one pipe
    /// while the other is being read cannot block.
    public static func run(executable: String, _ arguments: [String], in directory: String? = nil) throws -> KilnProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errors = Data()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return KilnProcess(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errors, as: UTF8.self))
    }
}
