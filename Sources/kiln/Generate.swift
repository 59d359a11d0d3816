import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text from a prompt (and images), streaming it as it comes.",
        discussion: """
        Greedy at --temp 0 (the default); otherwise top-k, top-p and temperature sampling from --seed. Stops at EOS \
        or after -n tokens and prints tokens/s.

        Images (JPEG or PNG, Pixtral models): a model folder uses its own vision tower; a GGUF needs its projector \
        file (--mmproj). Each image goes where the prompt writes [IMG] (or llama.cpp's <__media__>), else before \
        the text; with --chat, where the chat template puts images. For a reasoning model (Apriel), --chat shows \
        the reasoning on stderr and the [BEGIN FINAL RESPONSE] answer on stdout.

        Examples:
          kiln generate model.gguf --prompt "The capital of France is" -n 16
          kiln generate -m model.gguf -p "Once upon a time" -n 64 --temp 0.8 -s 7
          kiln generate q4.gguf --mmproj mm.gguf --image a.jpg --chat --prompt "What?"
          kiln generate model-dir --image a.png --prompt "[IMG]Then" --json --logprobs 3
        """
    )

    @OptionGroup var modelArgument: ModelArgument
    var model: String { modelArgument.path }

    @Option(name: [.customShort("p"), .long], help: "The prompt.")
    var prompt: String

    @Option(name: [.short, .customLong("n-predict")], help: "Tokens to generate.")
    var n = 128

    @Option(help: "Sampling temperature (0: greedy).")
    var temp: Float = 0

    @Option(name: .customLong("top-k"), help: "Sample from the k most likely tokens (0: all).")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Sample from the smallest set whose probability reaches p.")
    var topP: Float = 0.95

    @Option(name: [.customShort("s"), .long], help: "Random seed for sampling.")
    var seed: UInt64 = 0

    @Flag(help: "Wrap the prompt in the model's chat format.")
    var chat = false

    @Option(name: .customLong("image"), help: "An image (JPEG or PNG) for the prompt; repeat for several.")
    var images: [String] = []

    @Option(help: "The projector (mmproj) GGUF of a GGUF model, for --image.")
    var mmproj: String?

    @Flag(help: "Print one JSON object (text, token counts, speeds) instead of streaming text.")
    var json = false

    @Option(help: "With --json: each generated token's K most likely tokens and their log-probabilities.")
    var logprobs: Int?

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @OptionGroup var attention: AttentionOption

    func validate() throws {
        try OptionCheck.integer(n, "-n", in: 0...OptionCheck.positions.upperBound)
        try OptionCheck.number(temp, "--temp", in: 0...100)
        try OptionCheck.integer(topK, "--top-k", in: 0...Int(Int32.max))
        try OptionCheck.number(topP, "--top-p", in: 0...1)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
        if let logprobs {
            guard json else { throw ValidationError("--logprobs needs --json") }
            try OptionCheck.integer(logprobs, "--logprobs", in: 1...100)
        }
        if mmproj != nil, images.isEmpty { throw ValidationError("--mmproj is for --image; give an image") }
    }

    func run() throws {
        let spec = try CheckpointReader.open(model)
        let tokenizer = try TokenizerLoader.load(spec)
        let format = chat ? try ChatFormat(spec) : nil
        let inputs: [DecoderInput]
        var imageSeconds: Double?
        if images.isEmpty {
            let text = format?.wrap(prompt) ?? prompt
            inputs = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: chat).map(DecoderInput.token)
        } else {
            let prompter = try ImagePrompter(vision: visionSpec(of: spec), tokenizer: tokenizer,
                                             preprocessorConfig: spec.preprocessorConfig,
                                             threads: threads)
            let placed = try prompter.placeImages(in: prompt, imageCount: images.count)
            let started = Date()
            // The prompt is split at its image markers before tokenizing, so special tokens are parsed
            // only for the chat format, as without images.
            inputs = try prompter.inputs(format?.wrap(placed) ?? placed, images: images, tokenizer: tokenizer,
                                         addBOS: tokenizer.addsBOS, parseSpecial: chat)
            imageSeconds = Date().timeIntervalSince(started)
        }
        let runtime = try DecoderModel(spec, contextLength: inputs.count + n + 1, threads: threads)
        runtime.attentionMode = attention.mode
        var generator = TextGenerator(model: runtime, sampler: Sampler(temperature: temp, topK: topK, topP: topP, seed: seed), eos: tokenizer.eosID)
        if let marker = format?.endOfTurn, case let ids = tokenizer.encode(marker, addBOS: false, parseSpecial: true), ids.count == 1 {
            generator.stops.insert(ids[0])
        }
        var streamed = StreamingDecoder(tokenizer: tokenizer)
        var reply = ReplyPrinter(splitter: format?.answerMarkers.map { AnswerSplitter(begin: $0.begin, end: $0.end) }, streams: !json)
        var tokens: [JSON] = []
        // Log-probabilities of the model's distribution (before temperature); -inf is null in JSON.
        let result = try generator.generate(prompt: inputs, maxTokens: n) { id, logits in
            reply.append(streamed.append(id))
            if let logprobs {
                tokens.append(.object([
                    ("id", .integer(id)), ("text", .string(tokenizer.decode([id]))),
                    ("logprob", .real(TokenLogProbabilities.of(id, in: logits))),
                    ("top", .array(TokenLogProbabilities.top(logprobs, of: logits).map {
                        .object([("id", .integer($0.id)), ("text", .string(tokenizer.decode([$0.id]))),
                                 ("logprob", .real($0.logProbability))])
                    })),
                ]))
            }
        }
        reply.finish()
        if json {
            var fields: [(String, JSON)] = [
                ("model", .string(model)), ("prompt", .string(prompt)), ("images", .array(images.map(JSON.string))),
                ("prompt_tokens", .integer(inputs.count)), ("generated_tokens", .integer(result.generated.count)),
                ("text", .string(reply.reasoning + reply.answer)),
            ]
            if format?.answerMarkers != nil { fields += [("reasoning", .string(reply.reasoning)), ("answer", .string(reply.answer))] }
            fields += [
                ("prompt_tokens_per_second", .real(result.promptTokensPerSecond)),
                ("generation_tokens_per_second", .real(result.generationTokensPerSecond)),
                ("max_tokens", .integer(n)), ("chat", .bool(chat)), ("threads", .integer(threads)),
                ("temperature", .real(Double(temp))), ("top_k", .integer(topK)), ("top_p", .real(Double(topP))),
                ("seed", .number(String(seed))),
            ]
            // Decoding, preprocessing and encoding the images (the vision tower), before the prompt runs.
            if let imageSeconds { fields.append(("image_seconds", .real(imageSeconds))) }
            if logprobs != nil { fields.append(("tokens", .array(tokens))) }
            JSON.object(fields).printLine()
        } else {
            FileHandle.standardError.write(Data(String(
                format: "prompt: %d tokens, %.1f tokens/s; generated: %d tokens, %.1f tokens/s (%d threads)\n",
                inputs.count, result.promptTokensPerSecond, result.generated.count, result.generationTokensPerSecond, threads
            ).utf8))
        }
    }

    /// The vision tower for `--image`: the projector file for a GGUF, the folder's own otherwise.
    func visionSpec(of spec: ModelSpec) throws -> VisionSpec {
        if let mmproj { return try CheckpointReader.openProjector(mmproj) }
        guard let vision = spec.visionSpec else {
            throw ValidationError(spec.layout.kind == .gguf
                ? "\(model) is a text GGUF: give its projector with --mmproj to use --image"
                : "\(model) has no vision tower, so it cannot read --image")
        }
        return vision
    }
}

/// Streams a reply to the terminal: everything to stdout, or, for a reasoning model, its reasoning to
/// stderr and its answer to stdout. Keeps both for `--json`.
struct ReplyPrinter {
    var splitter: AnswerSplitter?
    let streams: Bool
    private(set) var reasoning = "", answer = ""

    init(splitter: AnswerSplitter?, streams: Bool) {
        self.splitter = splitter
        self.streams = streams
    }

    mutating func append(_ piece: String) {
        guard splitter != nil else { return emit(.answer, piece) }
        for (part, text) in splitter!.append(piece) { emit(part, text) }
    }

    mutating func finish() {
        for (part, text) in splitter?.finish() ?? [] { emit(part, text) }
        if streams { print() }
    }

    private mutating func emit(_ part: AnswerSplitter.Part, _ text: String) {
        if part == .reasoning { reasoning += text } else { answer += text }
        guard streams else { return }
        (part == .reasoning ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
    }
}
