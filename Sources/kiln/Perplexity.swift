import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime

struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Measure a model's perplexity on a text file, as llama-perplexity does.",
        discussion: "Chunks of --ctx tokens, the KV cache cleared per chunk, BOS over each chunk's first token when the model adds BOS, and only the second half of each chunk scored."
    )

    @Argument(help: "A GGUF file or a model folder.")
    var model: String

    @Option(name: .customLong("file"), help: "The text to evaluate.")
    var file: String

    @Option(help: "Tokens per chunk.")
    var ctx = 512

    @Option(help: "At most this many chunks (default: as many as the text holds).")
    var chunks: Int?

    @Option(help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Option(name: .customLong("flash-attn"), help: "The llama.cpp attention path a GGUF reproduces: on (llama.cpp's default on CPU) or off (its -fa off).")
    var attention = AttentionMode.flash

    @Flag(help: "Print one JSON object (for machines).")
    var json = false

    func validate() throws {
        try OptionCheck.integer(ctx, "--ctx", in: 4...OptionCheck.positions.upperBound)
        try OptionCheck.integer(chunks, "--chunks", in: 1...Int(Int32.max))
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        let text = try MappedFile(path: file).text
        let spec = try CheckpointReader.open(model)
        let tokenizer = try TokenizerLoader.load(spec)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let runtime = try LlamaModel(spec, contextLength: ctx, threads: threads)
        runtime.attentionMode = attention
        let result = try Perplexity.evaluate(runtime, tokens: tokens, context: ctx, maxChunks: chunks,
                                             bos: tokenizer.addsBOS ? tokenizer.bosID : nil) { chunk, ppl in
            if !json { FileHandle.standardError.write(Data("[\(chunk + 1)]\(String(format: "%.4f", ppl)) ".utf8)) }
        }
        if json {
            let object = JSON.object([
                ("ppl", .number("\(result.perplexity)")), ("ppl_error", .number("\(result.error)")),
                ("tokens", .number("\(result.scoredTokens)")), ("tokens_per_second", .number("\(result.tokensPerSecond)")),
            ])
            print(object.serialized)
        } else {
            FileHandle.standardError.write(Data("\n".utf8))
            print(String(format: "PPL = %.4f +/- %.5f", result.perplexity, result.error))
            print("\(tokens.count) tokens in the text, \(result.chunks) chunks of \(ctx), \(result.scoredTokens) scored")
            print(String(format: "%.1f tokens/s (%d threads)", result.tokensPerSecond, threads))
        }
    }
}

/// llama.cpp's spelling: `-fa on` / `-fa off`.
extension AttentionMode: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "on": self = .flash
        case "off": self = .standard
        default: return nil
        }
    }

    public var defaultValueDescription: String { self == .flash ? "on" : "off" }
    public static var allValueStrings: [String] { ["on", "off"] }
}
