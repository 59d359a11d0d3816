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

    /// Runs a command; bad input and usage errors become a message on stderr and exit status 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data("kiln: error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            // ArgumentParser reports usage mistakes with EX_USAGE (64) and the usage text; Kiln's
            // contract is one line and status 2.
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data("kiln: error: \(message(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}
