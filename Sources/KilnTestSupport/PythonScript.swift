import Foundation

/// Runs a Python script with `python3` (the set-up script installs the `gguf` package it may use).
public enum PythonScript {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "python3 exited with \(status): \(stderr)" }
    }

    public static func run(_ source: String, arguments: [String] = []) throws -> String {
        let result = try KilnProcess.run(executable: "/usr/bin/env", ["python3", "-c", source] + arguments)
        guard result.status == 0 else { throw Failure(status: result.status, stderr: result.stderr) }
        return result.stdout
    }
}
