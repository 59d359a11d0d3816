import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnTransforms

struct Upscale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grow a model's decoder to more layers (depth upscaling).",
        discussion: """
        Writes a model folder in the input's layout and dtype (Hugging Face, Llava/Pixtral or Mistral native): \
        decoder layers repeated as the method or map says, each copy written out in full, the vision tower, \
        projector, embeddings and head as they were, the configuration with the new layer count and every \
        other file of the folder copied. Tensors stream one at a time, so memory does not grow with the \
        model; the folder appears under its name only when complete. For 40→48: --method solar gives \
        layers 0-23 then 16-39; --method interleave repeats layers 4, 9, …, 39; --method identity does the \
        same with the copies zeroed into identity blocks. `kiln convert --upscale` writes GGUF directly.

        Examples:
          kiln upscale pixtral-12b -o pixtral-48 --layers 48 --method solar
          kiln upscale pixtral-12b --map 0-23,16-39 --dry-run
          kiln convert pixtral-12b -o p48-f16.gguf --upscale 48 --method identity
        """
    )

    @Argument(help: "Model folder: Hugging Face (config.json + safetensors) or Mistral native (params.json + consolidated.safetensors).")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Output model folder (must not exist, or be empty).")
    var output: String?

    @Option(help: "Number of decoder layers to make.")
    var layers: Int?

    @OptionGroup var layerMap: LayerMapOptions

    @Flag(help: "Print the plan (each output layer's source layer and what is zeroed) and write nothing.")
    var dryRun = false

    @Flag(help: "With --dry-run, print the plan as one JSON object (for machines).")
    var json = false

    func validate() throws {
        try OptionCheck.integer(layers, "--layers", in: 1...ValueLimits.layers.upperBound)
    }

    func run() throws {
        let source = try CheckpointReader.open(model)
        guard let plan = try layerMap.plan(layerCount: layers, countOption: "--layers", sourceLayerCount: source.text.layerCount) else {
            throw TransformError("say how to upscale: --layers M with --method solar|interleave|identity, or --map \"0-23,16-39\"")
        }
        if dryRun {
            if json { Self.json(plan).printLine() } else { print(Self.text(plan), terminator: "") }
            return
        }
        guard !json else { throw TransformError("--json describes the plan; use it with --dry-run") }
        guard let output else { throw TransformError("give the output folder with -o (or use --dry-run)") }
        try checkOutput(output, .folder, inputs: [model])
        let started = Date()
        let upscaled = try plan.apply(to: source)
        let line = ProgressLine()
        try CheckpointFolderWriter.write(upscaled, to: output, progress: line.update)
        line.finish()
        let bytes = upscaled.tensors.reduce(0) { $0 + $1.byteCount }
        print("wrote \(output): \(plan.sourceLayerCount) → \(plan.layers.count) layers (\(plan.origin)), \(upscaled.tensors.count) tensors, \(Terminal.byteCount(bytes)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }

    /// One line per output layer: its source, whether it repeats an earlier one, what is zeroed.
    static func text(_ plan: UpscalePlan) -> String {
        var out = "\(plan.sourceLayerCount) → \(plan.layers.count) layers (\(plan.origin))\n  layer  source\n"
        for (index, layer, repeated) in rows(plan) {
            var line = String(repeating: " ", count: max(0, 7 - String(index).count)) + "\(index)"
            line += String(repeating: " ", count: max(0, 8 - String(layer.source).count)) + "\(layer.source)"
            if repeated { line += "  copy" }
            if !layer.zeroed.isEmpty { line += ", zeroed: " + layer.zeroed.map(\.rawValue).joined(separator: ", ") }
            out += line + "\n"
        }
        return out
    }

    static func json(_ plan: UpscalePlan) -> JSON {
        .object([
            ("source_layers", .integer(plan.sourceLayerCount)),
            ("layers", .integer(plan.layers.count)),
            ("origin", .string(plan.origin)),
            ("map", .array(rows(plan).map { index, layer, repeated in
                .object([("layer", .integer(index)), ("source", .integer(layer.source)), ("copy", .bool(repeated)),
                         ("zeroed", .array(layer.zeroed.map { .string(JSON.key($0.rawValue)) }))])
            })),
        ])
    }

    /// Output layers with a flag for those whose source an earlier output layer already used.
    private static func rows(_ plan: UpscalePlan) -> [(Int, UpscalePlan.Layer, Bool)] {
        var seen = Set<Int>()
        return plan.layers.enumerated().map { ($0, $1, !seen.insert($1.source).inserted) }
    }
}
