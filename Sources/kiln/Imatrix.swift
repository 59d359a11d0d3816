import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnQuality
import KilnQuantization
import KilnRuntime

extension ImportanceStatistics.Format: ExpressibleByArgument {
    /// Format names are read in any case, as type names are.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

struct Imatrix: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute an importance matrix from calibration text, as llama-imatrix does.",
        discussion: """
        The model reads the text in chunks of --ctx tokens (BOS over each chunk's first token, the cache \
        cleared per chunk, as llama-imatrix and llama-perplexity do); for every decoder weight, Kiln sums the \
        square of each input column over every token and counts the tokens. The file is llama-imatrix's \
        GGUF format (or its legacy .dat with --output-format dat), for `kiln quantize --imatrix` and \
        `llama-quantize --imatrix`. The output head is not collected, as llama-imatrix does by default.
        Without --file, a built-in calibration text is used (prose, code and dialogue in several \
        languages, none of it from the built-in evaluation text).

        Example: kiln imatrix model-dir -o imatrix.gguf --file calibration.txt --chunks 100
        """
    )

    @Argument(help: "A GGUF file or a model folder.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Output importance matrix.")
    var output: String

    @Option(name: [.customShort("f"), .customLong("file")], help: "Calibration text (default: the built-in calibration text).")
    var file: String?

    @Option(name: [.customShort("c"), .long, .customLong("ctx-size")], help: "Tokens per chunk.")
    var ctx = 512

    @Option(help: "At most this many chunks (default: as many as the text holds).")
    var chunks: Int?

    @Option(help: "gguf (llama.cpp's current format) or dat (the legacy format).")
    var outputFormat: ImportanceStatistics.Format = .gguf

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Flag(help: "Print one JSON object (for machines).")
    var json = false

    func validate() throws {
        // llama-imatrix skips matrix products over fewer than 16 tokens, so a shorter chunk collects nothing.
        try OptionCheck.integer(ctx, "--ctx", in: ImportanceCollector.minimumTokens...OptionCheck.positions.upperBound)
        try OptionCheck.integer(chunks, "--chunks", in: 1...Int(Int32.max))
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        try checkOutput(output, inputs: [model] + (file.map { [$0] } ?? []))
        let text = try file.map { try MappedFile(path: $0).text } ?? DefaultCalibrationText.text
        let spec = try CheckpointReader.open(model)
        let tokenizer = try TokenizerLoader.load(spec)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let runtime = try DecoderModel(spec, contextLength: ctx, threads: threads)
        let collector = ImportanceCollector()
        runtime.importanceCollector = collector
        let total = min(chunks ?? Int.max, tokens.count / ctx)
        let line = ProgressLine(unit: .items("chunks"))
        let result = try Perplexity.evaluate(runtime, tokens: tokens, context: ctx, maxChunks: chunks,
                                             bos: tokenizer.addsBOS ? tokenizer.bosID : nil) { chunk, ppl in
            line.update(chunk + 1, of: total, String(format: "PPL %.4f", ppl))
        }
        line.finish()
        let statistics = collector.statistics(datasets: [file ?? DefaultCalibrationText.name], chunkCount: result.chunks, chunkSize: ctx)
        try statistics.write(to: output, format: outputFormat)
        if json {
            JSON.object([
                ("model", .string(model)), ("file", .string(file ?? DefaultCalibrationText.name)), ("ctx", .integer(ctx)),
                ("output", .string(output)), ("output_format", .string(outputFormat.rawValue)), ("entries", .integer(statistics.entries.count)),
                ("chunks", .integer(result.chunks)), ("tokens", .integer(result.evaluatedTokens)),
                ("ppl", .real(result.perplexity)), ("seconds", .number(String(format: "%.3f", result.seconds))),
            ]).printLine()
        } else {
            print("wrote \(output): \(statistics.entries.count) tensors from \(result.chunks) chunks of \(ctx) tokens "
                + String(format: "(PPL %.4f) in %.2f s", result.perplexity, result.seconds))
        }
    }
}
