import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime

struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Measure a model's perplexity on a text file, as llama-perplexity does.",
        discussion: """
        Chunks of --ctx tokens, the KV cache cleared per chunk, BOS over each chunk's first token when the \
        model adds BOS, and only the second half of each chunk scored.

        Examples:
          kiln perplexity model-Q4_K_M.gguf -f wiki.test.raw -c 512
          kiln perplexity -m model.gguf -f wiki.test.raw --chunks 20 --json
        """
    )

    @OptionGroup var modelArgument: ModelArgument
    var model: String { modelArgument.path }

    @Option(name: [.customShort("f"), .customLong("file")], help: "The text to evaluate.")
    var file: String

    @Option(name: [.customShort("c"), .long, .customLong("ctx-size")], help: "Tokens per chunk.")
    var ctx = 512

    @Option(help: "At most this many chunks (default: as many as the text holds).")
    var chunks: Int?

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Option(name: [.customShort("b"), .customLong("batch-size")],
            help: "Positions evaluated together, as llama-perplexity's -b (below --ctx: at most 512 or a multiple of 512; else a multiple of --ctx).")
    var batchSize = Perplexity.defaultBatch

    @OptionGroup var attention: AttentionOption

    @Flag(help: "Print one JSON object (for machines).")
    var json = false

    func validate() throws {
        try OptionCheck.integer(ctx, "--ctx", in: 4...OptionCheck.positions.upperBound)
        try OptionCheck.integer(chunks, "--chunks", in: 1...Int(Int32.max))
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
        try OptionCheck.integer(batchSize, "--batch-size", in: 1...OptionCheck.positions.upperBound)
        guard Perplexity.reproducesBatch(batchSize, context: ctx) else {
            throw ValidationError("--batch-size \(batchSize) with --ctx \(ctx): use at most 512 or a multiple of 512 below --ctx, or a multiple of --ctx")
        }
    }

    func run() throws {
        let text = try MappedFile(path: file).text
        let spec = try CheckpointReader.open(model)
        let tokenizer = try TokenizerLoader.load(spec)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let runtime = try DecoderModel(spec, contextLength: ctx, threads: threads)
        runtime.attentionMode = attention.mode
        let total = min(chunks ?? Int.max, tokens.count / ctx)
        let line = ProgressLine(unit: .items("chunks"))
        var running: [Double] = []
        let result = try Perplexity.evaluate(runtime, tokens: tokens, context: ctx, maxChunks: chunks, batch: batchSize,
                                             bos: tokenizer.addsBOS ? tokenizer.bosID : nil) { chunk, ppl in
            running.append(ppl)
            line.update(chunk + 1, of: total, String(format: "PPL %.4f", ppl))
        }
        line.finish()
        if json {
            JSON.object([
                ("model", .string(model)), ("file", .string(file)), ("ctx", .integer(ctx)), ("chunks", .integer(result.chunks)),
                ("ppl", .real(result.perplexity)), ("ppl_error", .real(result.error)),
                ("tokens", .integer(result.scoredTokens)), ("text_tokens", .integer(tokens.count)),
                ("tokens_per_second", .real(result.tokensPerSecond)), ("threads", .integer(threads)),
                ("running_ppl", .array(running.map(JSON.real))),
            ]).printLine()
        } else {
            // llama-perplexity's per-chunk line: the perplexity over every chunk so far.
            print(running.enumerated().map { String(format: "[%d]%.4f", $0.offset + 1, $0.element) }.joined(separator: ","))
            print(String(format: "PPL = %.4f +/- %.5f", result.perplexity, result.error))
            print("\(tokens.count) tokens in the text, \(result.chunks) chunks of \(ctx), \(result.scoredTokens) scored")
            print(String(format: "%.1f tokens/s (%d threads)", result.tokensPerSecond, threads))
        }
    }
}
