import ArgumentParser
import Foundation
import KilnCore
import KilnQuality

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Gate a quantized model on perplexity, KL divergence and top-token agreement against its reference.",
        discussion: """
        Both models run over the same tokens as llama-perplexity does (chunks of --ctx, BOS over each chunk's \
        first token, the second half scored) and Kiln reports what `llama-perplexity --kl-divergence` reports. \
        The reference pass is cached (zstd), so verifying many candidates costs one reference pass.
        With --images, every JPEG/PNG in the folder, followed by --image-prompt, also goes through the reference \
        folder's vision tower and the candidate's projector (--mmproj); the same thresholds gate those positions.
        Exit status: 0 when every threshold holds, 1 when one fails (named, with the margin), 2 for bad input.

        Examples:
          kiln verify --reference model-dir --candidate q4.gguf --max-kld 0.05 \\
            --min-top1 0.9
          kiln verify --reference model-dir --candidate q4.gguf --mmproj mm.gguf \\
            --images photos/ --max-kld 0.05
        """
    )

    @Option(help: "Reference model: a safetensors folder or a GGUF (F32/F16/BF16).")
    var reference: String

    @Option(help: "Candidate GGUF.")
    var candidate: String

    @Option(help: "Evaluation text (default: a built-in public-domain text).")
    var file: String?

    @Option(help: "Tokens per chunk.")
    var ctx = 512

    @Option(help: "At most this many chunks (default: as many as the text holds).")
    var chunks: Int?

    @Option(help: "Fail when the mean KL divergence exceeds this (nats).")
    var maxKld: Double?

    @Option(help: "Fail when perplexity rises by more than this many percent.")
    var maxPplIncrease: Double?

    @Option(help: "Fail when the top-token agreement falls below this fraction (0–1).")
    var minTop1: Double?

    @Option(help: "Write the results as one JSON object to this file.")
    var json: String?

    @Option(help: "Where the reference pass is cached (default: ~/.cache/kiln).")
    var referenceCache: String?

    @Option(help: "Write an SVG report to this file: the KL-divergence distribution and each layer's weight error.")
    var report: String?

    @Option(help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @Flag(help: "Also list every tensor's relative RMSE against the reference and its type, worst first.")
    var perTensor = false

    @Option(help: "A folder of JPEG/PNG images: also gate the image path, each image followed by --image-prompt (needs --mmproj).")
    var images: String?

    @Option(help: "The text after each image; its tokens are the scored positions of the image check.")
    var imagePrompt: String = ImageVerificationRequest.defaultPrompt

    @Option(help: "The candidate's projector (mmproj) GGUF, for --images.")
    var mmproj: String?

    func validate() throws {
        if (images == nil) != (mmproj == nil) { throw ValidationError("--images and --mmproj go together: the candidate's projector reads the images") }
        try OptionCheck.integer(ctx, "--ctx", in: 8...OptionCheck.positions.upperBound)
        try OptionCheck.integer(chunks, "--chunks", in: 1...Int(Int32.max))
        try OptionCheck.number(maxKld, "--max-kld", atLeast: 0)
        try OptionCheck.number(maxPplIncrease, "--max-ppl-increase", atLeast: 0)
        try OptionCheck.number(minTop1, "--min-top1", in: 0...1)
        try OptionCheck.integer(threads, "--threads", in: OptionCheck.threads)
    }

    func run() throws {
        // Outputs are checked (and their folders proven writable) before the long evaluation.
        let inputs = [reference, candidate] + (file.map { [$0] } ?? []) + (mmproj.map { [$0] } ?? [])
        for output in [json, report, referenceCache].compactMap({ $0 }) { try checkOutput(output, inputs: inputs) }
        let text = try file.map { try MappedFile(path: $0).text } ?? DefaultEvaluationText.text
        // The images folder is read before the long text evaluation, so a wrong folder fails at once.
        let imagePaths = try images.map(ImageVerification.images(in:))
        var request = VerificationRequest(reference: reference, candidate: candidate, text: text)
        request.context = ctx
        request.chunks = chunks
        request.cachePath = referenceCache
        request.threads = threads
        request.perTensor = perTensor || report != nil
        let result = try Verification.run(request, progress: { message in
            if Terminal.isInteractive { FileHandle.standardError.write(Data("\r\(message)".padding(toLength: 70, withPad: " ", startingAt: 0).utf8)) }
        }, notice: { message in
            FileHandle.standardError.write(Data("\(Terminal.isInteractive ? "\r" : "")kiln: note: \(message)\n".utf8))
        })
        if Terminal.isInteractive { FileHandle.standardError.write(Data("\n".utf8)) }
        let gate = QualityGate(maxMeanKLD: maxKld, maxPPLIncreasePercent: maxPplIncrease, minTop1Agreement: minTop1)
        var checks = gate.checks(result.summary)
        var imageResult: ImageVerificationResult?
        if let imagePaths, let mmproj {
            var imageRequest = ImageVerificationRequest(reference: reference, candidate: candidate, candidateProjector: mmproj,
                                                        images: imagePaths)
            imageRequest.prompt = imagePrompt
            imageRequest.threads = threads
            imageResult = try ImageVerification.run(imageRequest) { message in
                if Terminal.isInteractive { FileHandle.standardError.write(Data("\r\(message)".padding(toLength: 70, withPad: " ", startingAt: 0).utf8)) }
            }
            if Terminal.isInteractive { FileHandle.standardError.write(Data("\n".utf8)) }
            checks += gate.checks(imageResult!.summary, scope: "vision ")
        }
        print(table(result, images: imageResult, checks: checks))
        if let json {
            try AtomicOutputFile.write(Array((VerifyOutput.json(result, images: imageResult, checks: checks).serialized + "\n").utf8), to: json)
        }
        if let report {
            let svg = DivergenceReport.svg(divergences: result.divergences, summary: result.summary,
                                           title: "\((candidate as NSString).lastPathComponent) vs \((reference as NSString).lastPathComponent)",
                                           tensors: result.tensorDeviations)
            try AtomicOutputFile.write(Array(svg.utf8), to: report)
        }
        if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    func table(_ result: VerificationResult, images: ImageVerificationResult?, checks: [QualityGate.Check]) -> String {
        let s = result.summary
        func f(_ v: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", v) }
        var lines = [
            "\(candidate) vs \(reference): \(s.tokens) positions in \(result.chunks) chunks of \(ctx)"
                + (result.referenceFromCache ? " (reference from cache)" : ""),
            "  PPL(reference)      \(f(s.referencePPL)) ± \(f(s.referencePPLError))",
            "  PPL(candidate)      \(f(s.candidatePPL)) ± \(f(s.candidatePPLError))",
            "  PPL ratio           \(f(s.pplRatio, 6))   ln ratio \(f(s.logPPLRatio, 6)) ± \(f(s.logPPLRatioError, 6))",
            "  mean KLD            \(f(s.meanKLD, 6)) ± \(f(s.meanKLDError, 6))",
            "  median/p90/p99/max  \(f(s.medianKLD, 6)) / \(f(s.p90KLD, 6)) / \(f(s.p99KLD, 6)) / \(f(s.maxKLD, 6))",
            "  same top token      \(f(s.top1Agreement * 100, 3)) ± \(f(s.top1AgreementError * 100, 3)) %",
            "  Δp mean / RMS       \(f(s.meanProbabilityDelta * 100, 3)) % / \(f(s.rmsProbabilityDelta * 100, 3)) %",
            "  time                \(f(result.seconds, 2)) s",
        ]
        if perTensor {
            lines.append("  per tensor (relative RMSE, worst first):")
            for t in result.tensorDeviations {
                lines.append("    \(t.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(t.type.padding(toLength: 7, withPad: " ", startingAt: 0)) \(f(t.relativeRMSE, 6))")
            }
        }
        if let images {
            let v = images.summary
            lines += [
                "  images: \(images.images), \(v.tokens) positions after them",
                "    PPL(reference)    \(f(v.referencePPL)) ± \(f(v.referencePPLError))",
                "    PPL(candidate)    \(f(v.candidatePPL)) ± \(f(v.candidatePPLError))",
                "    mean KLD          \(f(v.meanKLD, 6)) ± \(f(v.meanKLDError, 6))",
                "    same top token    \(f(v.top1Agreement * 100, 3)) ± \(f(v.top1AgreementError * 100, 3)) %",
                "    time              \(f(images.seconds, 2)) s",
            ]
        }
        for check in checks { lines.append("  \(check.passed ? "pass" : "FAIL")  \(check.description)") }
        if !checks.isEmpty { lines.append(checks.allSatisfy(\.passed) ? "PASSED" : "FAILED") }
        return lines.joined(separator: "\n")
    }
}

/// The `--json` object of `kiln verify`.
enum VerifyOutput {
    static func json(_ result: VerificationResult, images: ImageVerificationResult?, checks: [QualityGate.Check]) -> JSON {
        let s = result.summary
        func n(_ v: Double) -> JSON { .number(v.isFinite ? String(v) : "null") }
        var vision: [(String, JSON)] = []
        if let images {
            let v = images.summary
            vision = [("vision", .object([
                ("images", .number(String(images.images))), ("tokens", .number(String(v.tokens))),
                ("reference_ppl", n(v.referencePPL)), ("candidate_ppl", n(v.candidatePPL)), ("ppl_ratio", n(v.pplRatio)),
                ("mean_kld", n(v.meanKLD)), ("mean_kld_error", n(v.meanKLDError)), ("max_kld", n(v.maxKLD)),
                ("top1_agreement", n(v.top1Agreement)), ("seconds", n(images.seconds)),
            ]))]
        }
        return .object([
            ("reference_ppl", n(s.referencePPL)), ("candidate_ppl", n(s.candidatePPL)), ("ppl_ratio", n(s.pplRatio)),
            ("mean_kld", n(s.meanKLD)), ("median_kld", n(s.medianKLD)), ("p90_kld", n(s.p90KLD)), ("p99_kld", n(s.p99KLD)),
            ("max_kld", n(s.maxKLD)), ("top1_agreement", n(s.top1Agreement)), ("mean_delta_p", n(s.meanProbabilityDelta)),
            ("rms_delta_p", n(s.rmsProbabilityDelta)), ("tokens", .number(String(s.tokens))), ("chunks", .number(String(result.chunks))),
            ("seconds", n(result.seconds)), ("reference_from_cache", .bool(result.referenceFromCache)),
            ("passed", .bool(checks.allSatisfy(\.passed))),
            ("tensors", .array(result.tensorDeviations.map {
                .object([("name", .string($0.name)), ("type", .string($0.type)), ("relative_rmse", n($0.relativeRMSE))])
            })),
            ("thresholds", .object(checks.map { ($0.name, .object([("limit", n($0.limit)), ("measured", n($0.measured)), ("passed", .bool($0.passed))])) })),
        ] + vision)
    }
}
