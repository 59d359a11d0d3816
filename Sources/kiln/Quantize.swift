import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnTransforms

struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a GGUF file or a safetensors model folder with llama.cpp's block types and mixes.",
        discussion: """
        Every tensor gets the type llama-quantize would give it for --type, and its bytes are exactly \
        what llama.cpp's quantizer writes. A model folder is read straight from safetensors in one pass; \
        the result equals `kiln convert` followed by `kiln quantize`. Rows are quantized in parallel and the \
        output does not depend on the thread count.
        Types: \(QuantizationFileType.allCases.map(\.rawValue).joined(separator: ", ")).

        With --mmproj, a model folder's vision tower is written in the same run as llama.cpp's projector \
        file at its own --mmproj-type (default auto: bf16/f16 kept, else f16), never at --type; --upscale \
        changes only the text decoder.

        llama-quantize's positional form works too: `kiln quantize IN [OUT] TYPE [THREADS]`, the output \
        defaulting to ggml-model-TYPE.gguf in the input's folder. Types are read in any case, with \
        llama-quantize's aliases (Q4_K is Q4_K_M) and numbers (15 is Q4_K_M).

        With --budget TYPE (or --target-bpw B), Kiln chooses each tensor's type itself: it measures with its \
        runtime how much quantizing each tensor to each candidate type raises the KL divergence on calibration \
        text, and picks the mix of least predicted divergence within the bytes llama-quantize writes for TYPE. \
        An importance matrix is computed on the fly unless --imatrix is given. The recipe is printed, kept in \
        the file under kiln.quantize.recipe, written by --recipe-out and replayed by --recipe.

        Examples:
          kiln quantize model-f16.gguf -o model-Q4_K_M.gguf --type Q4_K_M
          kiln quantize model-f16.gguf model-Q4_K_M.gguf Q4_K_M 8
          kiln quantize model-f16.gguf q8_0          # writes ggml-model-Q8_0.gguf
          kiln quantize pixtral-12b -o pixtral-Q4_K_M.gguf --type Q4_K_M \\
            --mmproj mmproj-pixtral-f16.gguf --mmproj-type f16
          kiln quantize model-f16.gguf -o model-mix.gguf --budget Q4_K_M \\
            --recipe-out mix.json
        """
    )

    @Argument(help: "A GGUF file (F32/F16/BF16) or a model folder.")
    var input: String

    @Argument(help: ArgumentHelp("llama-quantize's form: [OUTPUT] TYPE [THREADS], in place of -o, --type and -t.",
                                 valueName: "output-type-threads"))
    var positional: [String] = []

    @Option(name: [.short, .customLong("output")], help: "Output GGUF file (default: ggml-model-TYPE.gguf in the input's folder, as llama-quantize names it).")
    var output: String?

    @Option(name: .customLong("type"), help: "File type: llama.cpp's names in any case (Q4_K_M, q8_0), its aliases (Q4_K) or numbers (15).")
    var fileType: String?

    @Option(help: "Importance matrix from llama-imatrix (GGUF or legacy .dat).")
    var imatrix: String?

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Flag(help: "Give every quantizable tensor the default type, output included (no mix rules).")
    var pure = false

    @Option(help: "Type of output.weight.")
    var outputTensorType: String?

    @Option(help: "Type of token_embd.weight.")
    var tokenEmbeddingType: String?

    @Option(help: "REGEX=TYPE: tensors whose name matches get TYPE (first match wins; repeatable).")
    var tensorType: [String] = []

    @Flag(help: "Copy output.weight unquantized.")
    var leaveOutputTensor = false

    @Flag(help: "Accept an input that is already quantized.")
    var allowRequantize = false

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(help: "Upscale the decoder of a model folder to this many layers on the way, with --method (or give --map).")
    var upscale: Int?

    @OptionGroup var layerMap: LayerMapOptions

    @OptionGroup var projector: MMProjOptions

    @OptionGroup var mix: MixOptions

    mutating func validate() throws {
        try mix.validate(hasType: fileType != nil || !positional.isEmpty)
        // A budget names the base type; a recipe brings its own (read in run).
        if fileType == nil, positional.isEmpty { fileType = mix.impliedFileType }
        try readPositionalForm()
        try OptionCheck.integer(upscale, "--upscale", in: 1...ValueLimits.layers.upperBound)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    /// llama-quantize's `IN [OUT] TYPE [THREADS]`: the word after the input is the type when it names
    /// one, otherwise the output with the type after it; a number may follow as the thread count. The
    /// output defaults to `ggml-model-TYPE.gguf` next to the input.
    private mutating func readPositionalForm() throws {
        var words = positional[...]
        if let first = words.first, QuantizationFileType(spelling: first) == nil {
            guard output == nil else { throw ValidationError("the output is given twice: -o \(output!) and \(first)") }
            output = words.removeFirst()
            guard !words.isEmpty else { throw ValidationError("after the output \(first) comes the type\(Self.suggestion(for: first)), e.g. kiln quantize IN.gguf OUT.gguf Q4_K_M") }
        }
        if let type = words.first {
            guard fileType == nil else { throw ValidationError("the type is given twice: --type \(fileType!) and \(type)") }
            fileType = words.removeFirst()
        }
        if let count = words.first {
            guard let number = Int(count) else { throw ValidationError("the thread count after the type must be a number, not \(count)") }
            threads = number
            words.removeFirst()
        }
        if let extra = words.first { throw ValidationError("unexpected \(extra) after the thread count: kiln quantize IN [OUT] TYPE [THREADS]") }
        guard let fileType else {
            throw ValidationError("give the type: kiln quantize \(input) -o OUT.gguf --type Q4_K_M, or kiln quantize \(input) [OUT.gguf] Q4_K_M")
        }
        guard let type = QuantizationFileType(spelling: fileType) else {
            throw ValidationError("unknown type \(fileType)\(Self.suggestion(for: fileType)); Kiln writes \(QuantizationFileType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if output == nil {
            // As llama-quantize: the input's folder part, then ggml-model-TYPE.gguf.
            let trimmed = input.hasSuffix("/") && input.count > 1 ? String(input.dropLast()) : input
            let folder = trimmed.lastIndex(of: "/").map { String(trimmed[...$0]) } ?? ""
            output = folder + "ggml-model-\(type.rawValue).gguf"
        }
    }

    static func suggestion(for word: String) -> String { Suggestion.clause(for: word, in: QuantizationFileType.spellings) }

    func run() throws {
        // validate() filled both, from the options or the positional form.
        let output = output!, fileType = QuantizationFileType(spelling: fileType!)!
        let inputs = [input] + [imatrix, mix.recipe, mix.calibrationFile].compactMap { $0 }
        try checkOutput(output, inputs: inputs)
        if let recipeOut = mix.recipeOut { try checkOutput(recipeOut, inputs: inputs) }
        try projector.checkOutput(inputs: inputs, textOutput: output)
        let recipeFile = try mix.recipe.map(MixRecipe.init(path:))
        var request = try makeRequest(recipeFile?.baseType ?? fileType)
        let original = try CheckpointReader.open(input)
        var spec = original
        if let plan = try layerMap.plan(layerCount: upscale, countOption: "--upscale", sourceLayerCount: spec.text.layerCount) {
            spec = try plan.apply(to: spec)
        }
        let source = try GGUFConversion.plan(spec, outputType: .auto)
        // A search without --imatrix, or a recipe made so, computes one from the calibration text.
        var onTheFly: MixRecipe.Calibration?
        if request.importanceMatrix == nil, let calibration = mix.searches ? mix.imatrixCalibration : recipeFile?.imatrixCalibration {
            request.importanceMatrix = try onTheFlyImatrix(spec, calibration: calibration)
            onTheFly = calibration
        }
        let search = mix.searches ? try searchMix(spec, source: source, request: request, imatrixCalibration: onTheFly) : nil
        if let recipe = recipeFile ?? search?.recipe {
            request.fileType = recipe.baseType
            request.overrides.tensorTypes = recipe.tensorTypes
        }
        var plan = try quantizationPlan(source, spec, request)
        if let recipe = recipeFile ?? search?.recipe { plan.metadata.moveToEnd(GGUFKey.Kiln.recipe, .string(recipe.json.serialized)) }
        let mmproj = try projector.output(for: original, defaultType: .auto)
        let started = Date()
        let line = ProgressLine()
        try GGUFConversion.write([(plan, output)] + (mmproj.map { [$0] } ?? []), threads: threads, progress: line.update)
        line.finish()
        projector.noteLeftOutVision(of: original)
        let seconds = Date().timeIntervalSince(started)
        let summary = QuantizationSummary(plan: plan, output: output, seconds: seconds)
        let projectorSummary = mmproj.map { QuantizationSummary(plan: $0.plan, output: $0.path, seconds: seconds) }
        let mixJSON = try search.map { try finish($0, output: output, reference: spec) }
        // As llama-quantize warns: rows that do not fit the chosen type's blocks got another type.
        if let note = summary.fallbackNote { FileHandle.standardError.write(Data("kiln: note: \(note)\n".utf8)) }
        if json {
            JSON.object([("input", .string(input)), ("type", .string(request.fileType.rawValue)), ("threads", .integer(threads))]
                        + summary.fields + (projectorSummary.map { [("mmproj", .object($0.fields))] } ?? [])
                        + (mixJSON.map { [("mix", $0)] } ?? [])).printLine()
        } else {
            print(summary.text)
            if let projectorSummary { print(projectorSummary.text) }
        }
    }

    func quantizationPlan(_ source: ConversionPlan, _ spec: ModelSpec, _ request: QuantizationRequest) throws -> ConversionPlan {
        try GGUFQuantization.plan(source, layerCount: spec.text.layerCount, headCount: spec.text.headCount,
                                  headCountKV: spec.text.keyValueHeadCount, request: request, inputPath: input)
    }

    private func makeRequest(_ fileType: QuantizationFileType) throws -> QuantizationRequest {
        func type(_ name: String, _ option: String) throws -> GGMLType {
            guard let t = GGMLType(name: name) else {
                throw ValidationError("\(option): unknown type \(name)\(Suggestion.clause(for: name, in: GGMLType.allKnown.map(\.name)))")
            }
            return t
        }
        var request = QuantizationRequest(fileType: fileType)
        request.allowRequantize = allowRequantize
        request.overrides.pure = pure
        request.overrides.leaveOutputTensor = leaveOutputTensor
        request.overrides.outputTensorType = try outputTensorType.map { try type($0, "--output-tensor-type") }
        request.overrides.tokenEmbeddingType = try tokenEmbeddingType.map { try type($0, "--token-embedding-type") }
        request.overrides.tensorTypes = try tensorType.map { entry in
            guard let equals = entry.lastIndex(of: "=") else { throw ValidationError("--tensor-type expects REGEX=TYPE, got \(entry)") }
            return (String(entry[..<equals]), try type(String(entry[entry.index(after: equals)...]), "--tensor-type"))
        }
        request.importanceMatrix = try imatrix.map(ImportanceMatrix.init(path:))
        return request
    }
}

/// Size, bits per weight, the type histogram and the fallbacks of a written plan.
struct QuantizationSummary {
    /// Tensors that fell back from one type to another, and how many.
    struct FallbackGroup {
        let wanted: String, used: String
        let count: Int
    }

    let output: String
    let seconds: Double
    let tensors: Int
    let bytes: Int
    let parameters: Int
    let types: [(String, Int)]
    let fallbacks: [FallbackGroup]

    init(plan: ConversionPlan, output: String, seconds: Double) {
        self.output = output
        self.seconds = seconds
        tensors = plan.tensors.count
        bytes = plan.tensors.reduce(0) { $0 + $1.descriptor.byteCount }
        parameters = plan.tensors.reduce(0) { $0 + $1.descriptor.dimensions.reduce(1, *) }
        var counts: [String: Int] = [:]
        for tensor in plan.tensors { counts[tensor.descriptor.type.name, default: 0] += 1 }
        types = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        var groups: [String: (wanted: String, used: String, count: Int)] = [:]
        for fallback in plan.fallbacks {
            let key = "\(fallback.wanted.name)>\(fallback.used.name)"
            groups[key, default: (fallback.wanted.name, fallback.used.name, 0)].count += 1
        }
        fallbacks = groups.values.sorted { ($0.count, $1.wanted) > ($1.count, $0.wanted) }
            .map { FallbackGroup(wanted: $0.wanted, used: $0.used, count: $0.count) }
    }

    var bitsPerWeight: Double { parameters > 0 ? Double(bytes * 8) / Double(parameters) : 0 }

    var text: String {
        "wrote \(output): \(Terminal.byteCount(bytes)) of tensors, \(String(format: "%.2f", bitsPerWeight)) bits/weight, "
            + "\(types.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")) in \(String(format: "%.2f", seconds)) s"
    }

    /// `162 of 363 tensors fell back because their rows do not divide into the type's blocks: 120 Q4_K → Q5_0, …`
    var fallbackNote: String? {
        let count = fallbacks.reduce(0) { $0 + $1.count }
        guard count > 0 else { return nil }
        return "\(count) of \(tensors) tensors fell back to another type because their row length is not a multiple of "
            + "the type's block (as llama-quantize does): " + fallbacks.map { "\($0.count) \($0.wanted) → \($0.used)" }.joined(separator: ", ")
    }

    var fields: [(String, JSON)] {
        [
            ("output", .string(output)), ("tensors", .integer(tensors)), ("tensor_bytes", .integer(bytes)), ("parameters", .integer(parameters)),
            ("bits_per_weight", .number(String(format: "%.4f", bitsPerWeight))), ("seconds", .number(String(format: "%.3f", seconds))),
            ("types", .object(types.map { ($0.0, .integer($0.1)) })),
            ("fallbacks", .array(fallbacks.map { .object([("from", .string($0.wanted)), ("to", .string($0.used)), ("tensors", .integer($0.count))]) })),
        ]
    }
}
