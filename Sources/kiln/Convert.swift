import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnTransforms

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a safetensors model folder to GGUF.",
        discussion: """
        Writes the text model as llama.cpp's convert_hf_to_gguf.py does: architecture `llama`, llama.cpp \
        tensor names, Q/K rows permuted for Hugging Face weights, norms and 1-D tensors as F32, and the \
        tokenizer (tokenizer.json, tokenizer.model or tekken.json) embedded. The output is written to a \
        temporary file and renamed at the end; on failure nothing is left behind.
        """
    )

    @Argument(help: "Model folder: Hugging Face (config.json + safetensors) or Mistral native (params.json + consolidated.safetensors).")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Output GGUF file.")
    var output: String

    @Option(help: "Type of the weight matrices: auto keeps bf16/f16 as they are, otherwise f16. (auto|f32|f16|bf16)")
    var outtype: OutputType = .auto

    @Option(help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Option(help: "Upscale the decoder to this many layers on the way, with --method (or give --map); no intermediate folder.")
    var upscale: Int?

    @OptionGroup var layerMap: LayerMapOptions

    func validate() throws {
        try OptionCheck.integer(upscale, "--upscale", in: 1...ValueLimits.layers.upperBound)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        try checkOutput(output, inputs: [model])
        var spec = try CheckpointReader.open(model)
        if let plan = try layerMap.plan(layerCount: upscale, countOption: "--upscale", sourceLayerCount: spec.text.layerCount) {
            spec = try plan.apply(to: spec)
        }
        let plan = try GGUFConversion.plan(spec, outputType: outtype)
        let started = Date()
        try GGUFConversion.write(plan, to: output, threads: threads, progress: Terminal.progress)
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("wrote \(output): \(plan.tensors.count) tensors, \(Terminal.byteCount(size)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }
}

extension OutputType: ExpressibleByArgument {}
