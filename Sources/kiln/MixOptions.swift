import ArgumentParser
import KilnGGUF
import KilnQuality
import KilnQuantization

extension MixSearch.Sensitivity: ExpressibleByArgument {}

/// `kiln quantize`'s search for the least-divergence mix within a budget, and its recipes.
struct MixOptions: ParsableArguments {
    @Option(help: "Choose each tensor's type to minimise KL divergence within the file size llama-quantize writes for this type (e.g. Q4_K_M).")
    var budget: String?

    @Option(help: "Choose each tensor's type to minimise KL divergence within this many bits per weight (tensor bytes × 8 / parameters).")
    var targetBpw: Double?

    @Option(help: "Quantize with the types of a recipe that --recipe-out wrote (the same bytes again).")
    var recipe: String?

    @Option(help: "Write the chosen recipe, with its predicted and measured KL divergence, to this JSON file.")
    var recipeOut: String?

    @Option(help: "measured: every tensor at every candidate type (tensors × types runs); calibrated: each tensor at its smallest type, the others scaled by their imatrix-weighted error (tensors runs).")
    var sensitivity: MixSearch.Sensitivity = .calibrated

    @Option(help: "Calibration text for the sensitivity runs and an imatrix made on the fly (default: the built-in calibration text).")
    var calibrationFile: String?

    @Option(help: "Tokens per calibration chunk.")
    var calibrationCtx = 256

    @Option(help: "Calibration chunks per run.")
    var calibrationChunks = 4

    @Option(help: "Calibration chunks for an importance matrix made on the fly.")
    var imatrixChunks = 32

    @Option(help: "Candidate types, comma-separated (row-length fallbacks as llama-quantize's).")
    var candidates = "Q2_K,Q3_K,Q4_K,Q5_K,Q6_K,Q8_0,IQ4_XS"

    var searches: Bool { budget != nil || targetBpw != nil }

    /// The file type a budget names; Q4_K_M as --target-bpw's base; a placeholder for a recipe (whose own base type wins).
    var impliedFileType: String? { budget ?? (recipe != nil || targetBpw != nil ? "Q4_K_M" : nil) }

    /// Where an importance matrix made on the fly comes from.
    var imatrixCalibration: MixRecipe.Calibration {
        MixRecipe.Calibration(text: calibrationFile ?? DefaultCalibrationText.name, context: calibrationCtx, chunks: imatrixChunks)
    }

    func validate(hasType: Bool) throws {
        let modes = [hasType, budget != nil, targetBpw != nil, recipe != nil].filter { $0 }.count
        guard modes == 1 || (modes == 2 && hasType && targetBpw != nil) || modes == 0 else {
            throw ValidationError("give one of --type, --budget, --target-bpw (with --type as the base file type) or --recipe")
        }
        if recipeOut != nil && !searches { throw ValidationError("--recipe-out goes with --budget or --target-bpw") }
        try OptionCheck.number(targetBpw, "--target-bpw", in: 1...32)
        try OptionCheck.integer(calibrationCtx, "--calibration-ctx", in: 16...OptionCheck.positions.upperBound)
        try OptionCheck.integer(calibrationChunks, "--calibration-chunks", in: 1...(1 << 20))
        try OptionCheck.integer(imatrixChunks, "--imatrix-chunks", in: 2...(1 << 20))
    }

    func candidateTypes() throws -> [GGMLType] {
        try candidates.split(separator: ",").map { name in
            guard let type = GGMLType(name: String(name)), type.isQuantized else { throw ValidationError("--candidates: unknown quantized type \(name)") }
            return type
        }
    }
}
