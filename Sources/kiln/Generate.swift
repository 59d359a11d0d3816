import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text from a prompt, streaming it as it comes.",
        discussion: "Greedy at --temp 0 (the default); otherwise top-k, top-p and temperature sampling from --seed. Stops at EOS or after -n tokens and prints tokens/s."
    )

    @Argument(help: "A GGUF file or a model folder.")
    var model: String

    @Option(help: "The prompt.")
    var prompt: String

    @Option(name: .short, help: "Tokens to generate.")
    var n = 128

    @Option(help: "Sampling temperature (0: greedy).")
    var temp: Float = 0

    @Option(name: .customLong("top-k"), help: "Sample from the k most likely tokens (0: all).")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Sample from the smallest set whose probability reaches p.")
    var topP: Float = 0.95

    @Option(help: "Random seed for sampling.")
    var seed: UInt64 = 0

    @Flag(help: "Wrap the prompt in the model's chat format.")
    var chat = false

    @Option(help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    func validate() throws {
        try OptionCheck.integer(n, "-n", in: 0...OptionCheck.positions.upperBound)
        try OptionCheck.number(temp, "--temp", in: 0...100)
        try OptionCheck.integer(topK, "--top-k", in: 0...Int(Int32.max))
        try OptionCheck.number(topP, "--top-p", in: 0...1)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        let spec = try CheckpointReader.open(model)
        let tokenizer = try TokenizerLoader.load(spec)
        let text = chat ? try ChatFormat(spec).wrap(prompt) : prompt
        let promptIDs = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: chat)
        let runtime = try LlamaModel(spec, contextLength: promptIDs.count + n + 1, threads: threads)
        var generator = TextGenerator(model: runtime, sampler: Sampler(temperature: temp, topK: topK, topP: topP, seed: seed), eos: tokenizer.eosID)
        var streamed = StreamingDecoder(tokenizer: tokenizer)
        let result = try generator.generate(prompt: promptIDs, maxTokens: n) { id in
            FileHandle.standardOutput.write(Data(streamed.append(id).utf8))
        }
        print()
        FileHandle.standardError.write(Data(String(
            format: "prompt: %d tokens, %.1f tokens/s; generated: %d tokens, %.1f tokens/s (%d threads)\n",
            promptIDs.count, result.promptTokensPerSecond, result.generated.count, result.generationTokensPerSecond, threads
        ).utf8))
    }
}
