import Foundation
import KilnTestSupport
import Testing

/// Help a newcomer can use: every command's `--help` ends in examples that fit an 80-column terminal,
/// and the completion scripts the README documents know the commands and their options.
@Suite struct HelpTests {
    static let commands = ["convert", "quantize", "upscale", "inspect", "generate", "perplexity", "imatrix", "verify", "cache"]

    @Test(arguments: commands)
    func everyCommandHasExamplesThatFit(_ command: String) throws {
        let help = try KilnProcess.run([command, "--help"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Example") }, "\(command) --help has examples")
        let examples = lines[start...].prefix { !$0.hasPrefix("USAGE") }.filter { $0.contains("kiln ") }
        #expect(!examples.isEmpty)
        for line in examples { #expect(line.count <= 80, "\(command): \(line.count) columns: \(line)") }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsKnowTheCommands(_ shell: String) throws {
        let script = try KilnProcess.run(["--generate-completion-script", shell])
        #expect(script.status == 0)
        for word in Self.commands + ["json-out", "outtype"] { #expect(script.stdout.contains(word), "\(shell): \(word)") }
    }
}
