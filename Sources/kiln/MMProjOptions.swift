import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnConversion

/// `--mmproj` and `--mmproj-type` of `convert` and `quantize`: the vision tower as llama.cpp's
/// projector file, written with the text model as one output.
struct MMProjOptions: ParsableArguments {
    @Option(help: "Also write the vision tower and projector to this file, as llama.cpp's mmproj GGUF (llama-mtmd-cli --mmproj).")
    var mmproj: String?

    @Option(help: "Type of the projector's weight matrices (auto|f32|f16|bf16|q8_0; norms, biases and the patch convolution follow llama.cpp's converter).")
    var mmprojType: MMProjOutputType?

    /// Checks --mmproj as every output is checked, before any work.
    func checkOutput(inputs: [String], textOutput: String) throws {
        guard let mmproj else {
            if mmprojType != nil { throw ValidationError("--mmproj-type needs --mmproj FILE") }
            return
        }
        // Each output's folder with its links resolved: a symlinked folder must not let one file replace the other.
        func place(_ path: String) -> URL {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            return url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent)
        }
        guard place(mmproj) != place(textOutput) else {
            throw ValidationError("--mmproj must name a different file than -o")
        }
        try kiln.checkOutput(mmproj, inputs: inputs)
    }

    /// The projector to write next to the text model, nil without --mmproj.
    func output(for spec: ModelSpec, defaultType: MMProjOutputType) throws -> (plan: ConversionPlan, path: String)? {
        guard let mmproj else { return nil }
        return (try MMProjConversion.plan(spec, outputType: mmprojType ?? defaultType), mmproj)
    }

    /// After a successful write without --mmproj, one line tells the owner of a vision model what was left out.
    func noteLeftOutVision(of spec: ModelSpec) {
        guard mmproj == nil, spec.vision != nil else { return }
        FileHandle.standardError.write(Data("kiln: note: the vision tower was not written; add --mmproj mmproj.gguf to write it as llama.cpp's projector file\n".utf8))
    }
}

extension MMProjOutputType: ExpressibleByArgument {
    /// Type names are read in any case, as everywhere in Kiln.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
