import ArgumentParser
import Foundation
import KilnCore

@main
struct Kiln: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "Turn safetensors checkpoints into small, verified GGUF models.",
        discussion: """
        Kiln reads Hugging Face (Llama, Mistral, Llava/Pixtral) and Mistral native checkpoints straight from \
        their memory-mapped safetensors files and writes GGUF files that llama.cpp loads unchanged.

        Exit status: 0 on success, 1 when a check fails, 2 for bad input or usage.
        """,
        version: "0.1.0",
        subcommands: [Convert.self, Quantize.self, Upscale.self, Inspect.self, Generate.self, PerplexityCommand.self, Verify.self]
    )

    /// Runs a command; bad input, usage and I/O errors become a message on stderr and exit status 2.
    /// Status 1 stays reserved for a failed quality check (`ExitCode(1)` from `verify`).
    static func main() {
        // Before any other thread starts: an interrupted run removes its temporaries.
        SignalHandling.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            fail("kiln: error: \(error)")
        } catch {
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            // ArgumentParser reports usage mistakes with EX_USAGE (64); Kiln's contract is 2.
            if exitCode(for: error) == .validationFailure { fail(fullMessage(for: error), lines: true) }
            fail("kiln: error: \(error.localizedDescription)")
        }
    }

    /// Prints the message with anything taken from a file made safe to print (one line, unless it is
    /// ArgumentParser's usage text), and exits with 2.
    static func fail(_ message: String, lines: Bool = false) -> Never {
        let lines = lines ? message.split(separator: "\n", omittingEmptySubsequences: false).map { $0.escapedForMessage(limit: 1000) }
            : [message.escapedForMessage(limit: 1000)]
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        Foundation.exit(2)
    }
}
