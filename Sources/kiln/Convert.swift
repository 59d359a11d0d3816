import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnQuantization
import KilnTransforms

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a safetensors model folder to GGUF.",
        discussion: """
        Writes the text model as llama.cpp's convert_hf_to_gguf.py does: architecture `llama`, llama.cpp \
        tensor names, Q/K rows permuted for Hugging Face weights, norms and 1-D tensors as F32, and the \
        tokenizer (tokenizer.json, tokenizer.model or tekken.json) embedded. The output is written to a \
        temporary file and renamed at the end; on failure nothing is left behind.

        With --mmproj, the vision tower and projector of a Pixtral/Llava model are written in the same run \
        as llama.cpp's projector file (convert_hf_to_gguf.py --mmproj), at --mmproj-type (default: --outtype); \
        --upscale changes only the text decoder.

        Convert writes float files; for Q8_0 and smaller types use `kiln quantize`, which reads a model \
        folder directly (`kiln quantize MODEL -o OUT.gguf --type Q8_0`).

        Examples:
          kiln convert Mistral-7B-v0.1 -o mistral-f16.gguf --outtype f16
          kiln convert pixtral-12b -o pixtral.gguf --outtype f16 \\
            --mmproj mmproj-pixtral.gguf
          kiln convert model-dir -o model.gguf --json | jq .bytes
        """
    )

    @Argument(help: "Model folder: Hugging Face (config.json + safetensors) or Mistral native (params.json + consolidated.safetensors).")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Output GGUF file.")
    var output: String

    @Option(help: "Type of the weight matrices: auto keeps bf16/f16 as they are, otherwise f16. (auto|f32|f16|bf16; Q8_0 and below: kiln quantize)")
    var outtype: String = OutputType.auto.rawValue

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Flag(help: "Print one JSON object (outputs, tensors, sizes, seconds) instead of the summary line.")
    var json = false

    @Option(help: "Upscale the decoder to this many layers on the way, with --method (or give --map); no intermediate folder.")
    var upscale: Int?

    @OptionGroup var layerMap: LayerMapOptions

    @OptionGroup var projector: MMProjOptions

    func validate() throws {
        _ = try outputType
        try OptionCheck.integer(upscale, "--upscale", in: 1...ValueLimits.layers.upperBound)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        try checkOutput(output, inputs: [model])
        try projector.checkOutput(inputs: [model], textOutput: output)
        let source = try CheckpointReader.open(model)
        var spec = source
        if let plan = try layerMap.plan(layerCount: upscale, countOption: "--upscale", sourceLayerCount: spec.text.layerCount) {
            spec = try plan.apply(to: spec)
        }
        let outputType = try outputType
        var outputs = [(plan: try GGUFConversion.plan(spec, outputType: outputType), path: output)]
        if let mmproj = try projector.output(for: source, defaultType: MMProjOutputType(outputType)) { outputs.append(mmproj) }
        let started = Date()
        let line = ProgressLine()
        try GGUFConversion.write(outputs, threads: threads, progress: line.update)
        line.finish()
        projector.noteLeftOutVision(of: source)
        let seconds = Date().timeIntervalSince(started)
        let written = outputs.map { plan, path in
            (path: path, tensors: plan.tensors.count, bytes: (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        if json {
            func fields(_ file: (path: String, tensors: Int, bytes: Int)) -> [(String, JSON)] {
                [("output", .string(file.path)), ("tensors", .integer(file.tensors)), ("bytes", .integer(file.bytes))]
            }
            JSON.object([("model", .string(model)), ("outtype", .string(outputType.rawValue))] + fields(written[0])
                        + [("seconds", .real(seconds)), ("threads", .integer(threads))]
                        + (written.count > 1 ? [("mmproj", .object(fields(written[1])))] : [])).printLine()
        } else {
            for file in written {
                print("wrote \(file.path): \(file.tensors) tensors, \(Terminal.byteCount(file.bytes)) in \(String(format: "%.2f", seconds)) s")
            }
        }
    }

    /// --outtype in any case; a quantized type gets a pointer to `kiln quantize`.
    var outputType: OutputType {
        get throws {
            if let type = OutputType(rawValue: outtype.lowercased()) { return type }
            if let quantized = QuantizationFileType(spelling: outtype) {
                throw ValidationError("--outtype \(outtype): convert writes float files (auto, f32, f16, bf16); for \(quantized.rawValue) run kiln quantize \(model) -o OUT.gguf --type \(quantized.rawValue), which reads the folder directly")
            }
            throw ValidationError("unknown --outtype \(outtype)\(Suggestion.clause(for: outtype, in: OutputType.allCases.map(\.rawValue))); use auto, f32, f16 or bf16")
        }
    }
}

