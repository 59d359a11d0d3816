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
        The reference pass is cached (zstd, in ~/.cache/kiln; see kiln cache), so verifying many candidates \
        costs one reference pass. --json prints one object on stdout (the table then goes to stderr); \
        --report draws the verdict, thresholds and charts as SVG or PNG.
        Where the bytes went: with --tensors, --json or --report the candidate's weights are also compared \
        with the reference's, tensor by tensor (relative RMSE, √(Σ(c−r)²/Σr²)); the table then shows each \
        type's tensors, bytes, share of the tensor bytes, bits per weight and worst tensor, --tensors lists \
        every tensor worst first, and the JSON holds them all under "tensors".
        With --images, every JPEG/PNG in the folder, followed by --image-prompt, also goes through the reference \
        folder's vision tower and the candidate's projector (--mmproj); the same thresholds gate those positions.
        Exit status: 0 when every threshold holds, 1 when one fails (named, with the margin), 2 for bad input.

        Examples:
          kiln verify --reference model-dir --candidate q4.gguf --max-kld 0.05 \\
            --min-top1 0.9 --report q4.png --report q4.svg
          kiln verify --reference f16.gguf -m q4.gguf -f wiki.txt --json | jq .passed
          kiln verify --reference model-dir -m q4.gguf --tensors
          kiln verify --reference model-dir -m q4.gguf --json | jq '.tensors[:5]'
          kiln verify --reference model-dir --candidate q4.gguf --mmproj mm.gguf \\
            --images photos/ --max-kld 0.05
        """
    )

    @Option(help: "Reference model: a safetensors folder or a GGUF (F32/F16/BF16).")
    var reference: String

    @Option(name: [.customShort("m"), .long], help: "Candidate GGUF (-m as llama-perplexity --kl-divergence takes it).")
    var candidate: String

    @Option(name: [.customShort("f"), .long], help: "Evaluation text (default: a built-in public-domain text).")
    var file: String?

    @Option(name: [.customShort("c"), .long, .customLong("ctx-size")], help: "Tokens per chunk.")
    var ctx = 512

    @Option(help: "At most this many chunks (default: as many as the text holds).")
    var chunks: Int?

    @Option(help: "Fail when the mean KL divergence exceeds this (nats).")
    var maxKld: Double?

    @Option(help: "Fail when perplexity rises by more than this many percent.")
    var maxPplIncrease: Double?

    @Option(help: "Fail when the top-token agreement falls below this fraction (0–1).")
    var minTop1: Double?

    @Flag(help: "Print the results as one JSON object on stdout (the table goes to stderr).")
    var json = false

    @Option(help: "Also write the JSON object to this file.")
    var jsonOut: String?

    @Option(help: "Where the reference pass is cached (default: ~/.cache/kiln).")
    var referenceCache: String?

    @Option(help: "Write the report to this file, SVG or PNG by its extension (repeat for both): verdict, thresholds, KL-divergence distribution, each layer's worst weight error.")
    var report: [String] = []

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: every core).")
    var threads: Int = availableCores

    @OptionGroup var attention: AttentionOption

    @Flag(name: [.customLong("tensors"), .customLong("per-tensor")],
          help: "Also list every tensor, worst first: its type, bytes, share of the tensor bytes, bits per weight and relative RMSE against the reference.")
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
        for output in [jsonOut, referenceCache].compactMap({ $0 }) + report { try checkOutput(output, inputs: inputs) }
        let text = try file.map { try MappedFile(path: $0).text } ?? DefaultEvaluationText.text
        // The images folder is read before the long text evaluation, so a wrong folder fails at once.
        let imagePaths = try images.map(ImageVerification.images(in:))
        var request = VerificationRequest(reference: reference, candidate: candidate, text: text)
        request.context = ctx
        request.chunks = chunks
        request.cachePath = referenceCache
        request.threads = threads
        request.attention = attention.mode
        request.perTensor = perTensor || !report.isEmpty || json || jsonOut != nil
        let progress = passProgress()
        let result = try Verification.run(request, progress: progress, notice: { message in
            ProgressLine.erase()
            FileHandle.standardError.write(Data("kiln: note: \(message)\n".utf8))
        })
        ProgressLine.erase()
        let gate = QualityGate(maxMeanKLD: maxKld, maxPPLIncreasePercent: maxPplIncrease, minTop1Agreement: minTop1)
        var checks = gate.checks(result.summary)
        var imageResult: ImageVerificationResult?
        if let imagePaths, let mmproj {
            var imageRequest = ImageVerificationRequest(reference: reference, candidate: candidate, candidateProjector: mmproj,
                                                        images: imagePaths)
            imageRequest.prompt = imagePrompt
            imageRequest.threads = threads
            imageResult = try ImageVerification.run(imageRequest, progress: progress)
            ProgressLine.erase()
            checks += gate.checks(imageResult!.summary, scope: "vision ")
        }
        let table = table(result, images: imageResult, checks: checks)
        let files = (reference: try? Inspection(path: reference), candidate: try? Inspection(path: candidate))
        if json || jsonOut != nil {
            let object = VerifyOutput(command: self, files: files, result: result, images: imageResult, checks: checks).json
            if let jsonOut { try AtomicOutputFile.write(Array((object.serialized + "\n").utf8), to: jsonOut) }
            if json { object.printLine() }
        }
        // With --json, standard output holds the object alone; the table is for the person watching.
        if json { FileHandle.standardError.write(Data((table + "\n").utf8)) } else { print(table) }
        if !report.isEmpty {
            let picture = self.report(result, files: files, checks: checks)
            for path in report {
                let bytes = path.lowercased().hasSuffix(".png") ? picture.png : Array(picture.svg.utf8)
                guard let bytes else { throw FileError(.write, path: path, errno: ENOMEM) }
                try AtomicOutputFile.write(bytes, to: path)
            }
        }
        if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    /// Draws each pass on a progress line of its own (its own clock, so the throughput and the time left
    /// are the pass's): `reference ██████······  40% 8/20 chunks 1.32 chunks/s 0:09 left PPL 9.8123`.
    func passProgress() -> (VerificationProgress) -> Void {
        var current: (phase: VerificationProgress.Phase, line: ProgressLine)?
        return { progress in
            if current?.phase != progress.phase {
                let unit: ProgressLine.Unit = switch progress.unit {
                case .bytes: .bytes
                case let .items(name): .items(name)
                }
                current = (progress.phase, ProgressLine(unit: unit, title: progress.phase.rawValue))
            }
            current!.line.update(progress.done, of: progress.total, progress.detail)
        }
    }

    /// The report's picture: the files with their types and sizes, the settings and the text named under the title.
    func report(_ result: VerificationResult, files: (reference: Inspection?, candidate: Inspection?), checks: [QualityGate.Check]) -> DivergenceReport {
        func name(_ path: String) -> String { (path as NSString).lastPathComponent }
        func describe(_ file: Inspection?, _ path: String) -> String {
            guard let file else { return name(path) }
            return "\(name(path)) (\(file.fileType ?? file.format), \(String(format: "%.2f", file.bitsPerWeight)) bits/weight, \(Terminal.byteCount(file.tensorBytes)))"
        }
        return DivergenceReport(
            title: "\(name(candidate)) vs \(name(reference))",
            details: [
                "candidate \(describe(files.candidate, candidate))  ·  reference \(describe(files.reference, reference))",
                "\(result.summary.tokens) positions in \(result.chunks) chunks of \(ctx) tokens  ·  text: \(file.map(name) ?? "built-in (public domain)")",
            ],
            summary: result.summary, divergences: result.divergences, tensors: result.tensorDeviations, checks: checks)
    }

    /// Where the candidate's bytes went, when the weights were compared: each type's tensors, bytes, share
    /// and worst error; with --tensors, then every tensor, worst first.
    func tensorLines(_ tensors: [TensorDeviation]) -> [String] {
        guard !tensors.isEmpty else { return [] }
        let total = max(tensors.reduce(0) { $0 + $1.bytes }, 1)
        func share(_ bytes: Int) -> String { String(format: "%5.1f %%", Double(bytes) / Double(total) * 100) }
        func error(_ t: TensorDeviation?) -> String { t?.relativeRMSE.map { String(format: "%.6f", $0) } ?? "-" }
        func row(_ cells: [(String, Int)], _ rest: String) -> String {
            "    " + cells.map { text, width in width < 0 ? Terminal.padded(text, -width) : String(repeating: " ", count: max(width - text.count, 0)) + text }
                .joined(separator: "  ") + "  " + rest
        }
        let types = TypeShare.of(tensors)
        let typeWidth = -max(types.map(\.type.count).max() ?? 0, 4)
        var lines = ["  bytes by type (error: relative RMSE of the weights against the reference, the type's worst tensor):"]
        lines.append(row([("type", typeWidth), ("tensors", 7), ("bytes", 10), ("share", 7), ("bits/w", 6)], "worst error"))
        for t in types {
            lines.append(row([(t.type, typeWidth), ("\(t.tensors)", 7), (Terminal.byteCount(t.bytes), 10), (share(t.bytes), 7),
                              (String(format: "%.2f", t.bitsPerWeight), 6)], "\(error(t.worst)) \(t.worst?.name ?? "")"))
        }
        guard perTensor else { return lines }
        let nameWidth = -max(tensors.map(\.name.count).max() ?? 0, 6)
        lines.append("  per tensor, worst first (error: relative RMSE, √(Σ(c−r)² / Σr²) over the tensor's weights):")
        lines.append(row([("tensor", nameWidth), ("type", typeWidth), ("bytes", 10), ("share", 7), ("bits/w", 6)], "error"))
        for t in tensors {
            lines.append(row([(t.name, nameWidth), (t.type, typeWidth), (Terminal.byteCount(t.bytes), 10), (share(t.bytes), 7),
                              (String(format: "%.2f", t.bitsPerWeight), 6)], error(t)))
        }
        return lines
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
        lines += tensorLines(result.tensorDeviations)
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

/// The `--json` object of `kiln verify`: the inputs and settings, every statistic of the table with its
/// error, each threshold's verdict, and every candidate tensor's type, bytes, share of the tensor bytes,
/// bits per weight and relative RMSE against the reference (worst first).
struct VerifyOutput {
    let command: Verify
    let files: (reference: Inspection?, candidate: Inspection?)
    let result: VerificationResult
    let images: ImageVerificationResult?
    let checks: [QualityGate.Check]

    var json: JSON {
        let s = result.summary
        let tensorBytes = max(result.tensorDeviations.reduce(0) { $0 + $1.bytes }, 1)
        var fields: [(String, JSON)] = [
            ("reference", .string(command.reference)), ("candidate", .string(command.candidate)),
        ]
        for (role, file) in [("reference", files.reference), ("candidate", files.candidate)] {
            guard let file else { continue }
            fields += [("\(role)_type", file.fileType.map(JSON.string) ?? .null), ("\(role)_bytes", .integer(file.tensorBytes)),
                       ("\(role)_bits_per_weight", .real((file.bitsPerWeight * 1e4).rounded() / 1e4))]
        }
        fields += [
            ("text", .string(command.file ?? "built-in")), ("ctx", .integer(command.ctx)), ("chunks", .integer(result.chunks)),
            ("tokens", .integer(s.tokens)),
            ("reference_ppl", .real(s.referencePPL)), ("reference_ppl_error", .real(s.referencePPLError)),
            ("candidate_ppl", .real(s.candidatePPL)), ("candidate_ppl_error", .real(s.candidatePPLError)),
            ("ppl_ratio", .real(s.pplRatio)), ("ln_ppl_ratio", .real(s.logPPLRatio)), ("ln_ppl_ratio_error", .real(s.logPPLRatioError)),
            ("mean_kld", .real(s.meanKLD)), ("mean_kld_error", .real(s.meanKLDError)), ("median_kld", .real(s.medianKLD)),
            ("p90_kld", .real(s.p90KLD)), ("p99_kld", .real(s.p99KLD)), ("max_kld", .real(s.maxKLD)),
            ("top1_agreement", .real(s.top1Agreement)), ("top1_agreement_error", .real(s.top1AgreementError)),
            ("mean_delta_p", .real(s.meanProbabilityDelta)), ("rms_delta_p", .real(s.rmsProbabilityDelta)),
            ("seconds", .real(result.seconds)), ("reference_cache", .string(result.cachePath)),
            ("reference_from_cache", .bool(result.referenceFromCache)),
            ("passed", .bool(checks.allSatisfy(\.passed))),
            ("thresholds", .object(checks.map {
                (JSON.key($0.name), .object([("limit", .real($0.limit)), ("measured", .real($0.measured)), ("passed", .bool($0.passed))]))
            })),
            ("tensors", .array(result.tensorDeviations.map {
                .object([("name", .string($0.name)), ("type", .string($0.type)), ("bytes", .integer($0.bytes)),
                         ("share", .real(Double($0.bytes) / Double(tensorBytes))), ("bits_per_weight", .real($0.bitsPerWeight)),
                         ("relative_rmse", $0.relativeRMSE.map(JSON.real) ?? .null)])
            })),
        ]
        if let images {
            let v = images.summary
            fields.append(("vision", .object([
                ("images", .integer(images.images)), ("prompt", .string(command.imagePrompt)), ("tokens", .integer(v.tokens)),
                ("reference_ppl", .real(v.referencePPL)), ("reference_ppl_error", .real(v.referencePPLError)),
                ("candidate_ppl", .real(v.candidatePPL)), ("candidate_ppl_error", .real(v.candidatePPLError)), ("ppl_ratio", .real(v.pplRatio)),
                ("mean_kld", .real(v.meanKLD)), ("mean_kld_error", .real(v.meanKLDError)), ("max_kld", .real(v.maxKLD)),
                ("top1_agreement", .real(v.top1Agreement)), ("top1_agreement_error", .real(v.top1AgreementError)),
                ("seconds", .real(images.seconds)),
            ])))
        }
        return .object(fields)
    }
}
