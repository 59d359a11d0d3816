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

    /// The projector to write next to `output`, or nil; without --mmproj, a model with a vision tower
    /// gets one line saying it was left out.
    func output(for spec: ModelSpec, textOutput: String, defaultType: MMProjOutputType) throws -> (plan: ConversionPlan, path: String)? {
        guard let mmproj else {
            if mmprojType != nil { throw ValidationError("--mmproj-type needs --mmproj FILE") }
            if spec.vision != nil {
                FileHandle.standardError.write(Data("kiln: note: the vision tower was not written; add --mmproj mmproj.gguf to write it as llama.cpp's projector file\n".utf8))
            }
            return nil
        }
        guard URL(fileURLWithPath: mmproj).standardizedFileURL != URL(fileURLWithPath: textOutput).standardizedFileURL else {
            throw ValidationError("--mmproj must name a different file than -o")
        }
        return (try MMProjConversion.plan(spec, outputType: mmprojType ?? defaultType), mmproj)
    }
}

extension MMProjOutputType: ExpressibleByArgument {}
