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

        With --mmproj, the vision tower and projector of a Pixtral/Llava model are written in the same run \
        as llama.cpp's projector file (convert_hf_to_gguf.py --mmproj), at --mmproj-type (default: --outtype); \
        --upscale changes only the text decoder.

        Example: kiln convert pixtral-12b -o pixtral.gguf --outtype f16 --mmproj mmproj-pixtral.gguf
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

    @OptionGroup var projector: MMProjOptions

    func validate() throws {
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
        var outputs = [(plan: try GGUFConversion.plan(spec, outputType: outtype), path: output)]
        if let mmproj = try projector.output(for: source, defaultType: MMProjOutputType(outtype)) { outputs.append(mmproj) }
        let started = Date()
        try GGUFConversion.write(outputs, threads: threads, progress: Terminal.progress)
        projector.noteLeftOutVision(of: source)
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        for (plan, path) in outputs {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("wrote \(path): \(plan.tensors.count) tensors, \(Terminal.byteCount(size)) in \(seconds) s")
        }
    }
}

extension OutputType: ExpressibleByArgument {}
