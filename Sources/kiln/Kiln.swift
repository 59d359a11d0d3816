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
        subcommands: [Convert.self, Quantize.self, Upscale.self, Inspect.self, Generate.self, PerplexityCommand.self, Verify.self,
                      Imatrix.self, Cache.self]
    )

    /// Runs a command; bad input, usage and I/O errors become a message on stderr and exit status 2.
    /// Status 1 stays reserved for a failed quality check (`ExitCode(1)` from `verify`).
    static func main() {
        // Before any other thread starts: an interrupted run removes its temporaries.
        SignalHandling.install()
        checkCommandName(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            fail("kiln: error: \(error)")
        } catch {
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            // ArgumentParser reports usage mistakes with EX_USAGE (64) and the usage text; Kiln's
            // contract is one line and status 2.
            if exitCode(for: error) == .validationFailure {
                var text = message(for: error)
                let arguments = CommandLine.arguments.dropFirst()
                if arguments.first == "verify", arguments.contains("--json"), text.hasPrefix("Unexpected argument") {
                    text += " (verify --json prints the object on stdout; write a file with --json-out FILE)"
                }
                fail("kiln: error: \(text)")
            }
            fail("kiln: error: \(error.localizedDescription)")
        }
    }

    /// A first word that is no command is a usage error naming the nearest command; ArgumentParser
    /// would only say the argument was unexpected.
    static func checkCommandName(_ arguments: [String]) {
        guard let word = arguments.first, !word.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(word) else { return }
        fail("kiln: error: unknown command '\(word)'\(Suggestion.clause(for: word, in: names)); the commands are \(names.dropLast().joined(separator: ", ")) (kiln --help)")
    }

    /// Prints the message on one line with anything taken from a file made safe to print, and exits with 2.
    static func fail(_ message: String) -> Never {
        ProgressLine.erase()
        FileHandle.standardError.write(Data((message.escapedForMessage(limit: 1000) + "\n").utf8))
        Foundation.exit(2)
    }
}
