import Foundation

/// Runs the built `kiln` executable as a user would and captures what it prints.
public struct KilnProcess {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// - Parameter directory: the working directory (default: the test process's).
    public static func run(_ arguments: [String], in directory: String? = nil) throws -> KilnProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.kilnExecutable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return KilnProcess(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errors, as: UTF8.self))
    }
}
