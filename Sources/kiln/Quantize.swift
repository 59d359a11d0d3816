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

        With --budget TYPE (or --target-bpw B), Kiln chooses each tensor's type itself: it measures with its \
        runtime how much quantizing each tensor to each candidate type raises the KL divergence on calibration \
        text, and picks the mix of least predicted divergence within the bytes llama-quantize writes for TYPE. \
        An importance matrix is computed on the fly unless --imatrix is given. The recipe is printed, kept in \
        the file under kiln.quantize.recipe, written by --recipe-out and replayed by --recipe.

        Example: kiln quantize pixtral-12b -o pixtral-Q4_K_M.gguf --type Q4_K_M --mmproj mmproj-pixtral-f16.gguf --mmproj-type f16
        """
    )

    @Argument(help: "A GGUF file (F32/F16/BF16) or a model folder.")
    var input: String

    @Option(name: [.short, .customLong("output")], help: "Output GGUF file.")
    var output: String

    @Option(name: .customLong("type"), help: "File type (llama.cpp's names, e.g. Q4_K_M, Q8_0, IQ4_XS).")
    var fileType: String?

    @Option(help: "Importance matrix from llama-imatrix (GGUF or legacy .dat).")
    var imatrix: String?

    @Option(help: "Worker threads (default: every core).")
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

    func validate() throws {
        try mix.validate(hasType: fileType != nil)
        try OptionCheck.integer(upscale, "--upscale", in: 1...ValueLimits.layers.upperBound)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        let inputs = [input] + [imatrix, mix.recipe, mix.calibrationFile].compactMap { $0 }
        try checkOutput(output, inputs: inputs)
        if let recipeOut = mix.recipeOut { try checkOutput(recipeOut, inputs: inputs) }
        try projector.checkOutput(inputs: inputs, textOutput: output)
        let recipeFile = try mix.recipe.map(MixRecipe.init(path:))
        var request = try makeRequest(fileType: recipeFile?.baseType.rawValue ?? fileType ?? mix.budget ?? "Q4_K_M")
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
        let recipe = recipeFile ?? search?.recipe
        if let recipe {
            request.fileType = recipe.baseType
            request.overrides.tensorTypes = recipe.tensorTypes
        }
        var plan = try quantizationPlan(source, spec, request)
        if let recipe { plan.metadata.moveToEnd(GGUFKey.Kiln.recipe, .string(recipe.json.serialized)) }
        let mmproj = try projector.output(for: original, defaultType: .auto)
        let started = Date()
        let progress: GGUFConversion.Progress? = json ? nil : { Terminal.progress($0, $1, $2) }
        try GGUFConversion.write([(plan, output)] + (mmproj.map { [$0] } ?? []), threads: threads, progress: progress)
        projector.noteLeftOutVision(of: original)
        let seconds = Date().timeIntervalSince(started)
        let summary = QuantizationSummary(plan: plan, output: output, seconds: seconds)
        let projectorSummary = mmproj.map { QuantizationSummary(plan: $0.plan, output: $0.path, seconds: seconds) }
        let mixJSON = try search.map { try finish($0, output: output, reference: spec) }
        if json {
            guard case let .object(fields) = summary.json else { return }
            print(JSON.object(fields + (projectorSummary.map { [("mmproj", $0.json)] } ?? []) + (mixJSON.map { [("mix", $0)] } ?? [])).serialized)
        } else {
            print(summary.text)
            if let projectorSummary { print(projectorSummary.text) }
        }
    }

    func quantizationPlan(_ source: ConversionPlan, _ spec: ModelSpec, _ request: QuantizationRequest) throws -> ConversionPlan {
        try GGUFQuantization.plan(source, layerCount: spec.text.layerCount, headCount: spec.text.headCount,
                                  headCountKV: spec.text.keyValueHeadCount, request: request, inputPath: input)
    }

    private func makeRequest(fileType: String) throws -> QuantizationRequest {
        func type(_ name: String, _ option: String) throws -> GGMLType {
            guard let t = GGMLType(name: name) else { throw ValidationError("\(option): unknown type \(name)") }
            return t
        }
        guard let parsed = QuantizationFileType(name: fileType) else {
            throw ValidationError("unknown --type \(fileType); Kiln writes \(QuantizationFileType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var request = QuantizationRequest(fileType: parsed)
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

/// Size, bits per weight and the type histogram of a written plan.
struct QuantizationSummary {
    let output: String
    let seconds: Double
    let bytes: Int
    let parameters: Int
    let types: [(String, Int)]

    init(plan: ConversionPlan, output: String, seconds: Double) {
        self.output = output
        self.seconds = seconds
        bytes = plan.tensors.reduce(0) { $0 + $1.descriptor.byteCount }
        parameters = plan.tensors.reduce(0) { $0 + $1.descriptor.dimensions.reduce(1, *) }
        var counts: [String: Int] = [:]
        for tensor in plan.tensors { counts[tensor.descriptor.type.name, default: 0] += 1 }
        types = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    }

    var bitsPerWeight: Double { parameters > 0 ? Double(bytes * 8) / Double(parameters) : 0 }

    var text: String {
        "wrote \(output): \(Terminal.byteCount(bytes)) of tensors, \(String(format: "%.2f", bitsPerWeight)) bits/weight, "
            + "\(types.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")) in \(String(format: "%.2f", seconds)) s"
    }

    var json: JSON {
        .object([
            ("output", .string(output)), ("tensor_bytes", .number(String(bytes))), ("parameters", .number(String(parameters))),
            ("bits_per_weight", .number(String(format: "%.4f", bitsPerWeight))), ("seconds", .number(String(format: "%.3f", seconds))),
            ("types", .object(types.map { ($0.0, .number(String($0.1))) })),
        ])
    }
}
