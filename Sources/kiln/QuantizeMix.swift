import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuality
import KilnQuantization
import KilnRuntime

/// What `kiln quantize --budget` chose and from what, for the summary and --recipe-out.
struct MixReport {
    let recipe: MixRecipe
    /// The file may take at most this many bytes (llama-quantize's file for --budget; for
    /// --target-bpw, the tensor bytes that many bits per weight allow).
    let budgetBytes: Int
    let sensitivities: MixSearch.Sensitivities
    let choice: MixSearch.Choice
    let probe: DivergenceProbe
    let tokens: Int
}

extension Quantize {
    /// The calibration text a recipe or the options name.
    func calibrationText(_ name: String) throws -> String {
        name == DefaultCalibrationText.name ? DefaultCalibrationText.text : try MappedFile(path: name).text
    }

    /// `count` chunks of `context` tokens spread evenly over the text, so a few chunks still see every
    /// kind of text the calibration text holds.
    func spreadChunks(_ tokens: [Int], context: Int, count: Int) -> [Int] {
        let available = tokens.count / context
        guard available > count else { return tokens }
        return (0..<count).flatMap { i -> ArraySlice<Int> in
            let chunk = i * available / count
            return tokens[(chunk * context)..<((chunk + 1) * context)]
        }
    }

    /// An importance matrix from the calibration chunks (what `kiln imatrix` writes for them).
    func onTheFlyImatrix(_ spec: ModelSpec, calibration: MixRecipe.Calibration) throws -> ImportanceMatrix {
        let tokenizer = try TokenizerLoader.load(spec)
        let text = tokenizer.encode(try calibrationText(calibration.text), addBOS: tokenizer.addsBOS, parseSpecial: false)
        let tokens = spreadChunks(text, context: calibration.context, count: calibration.chunks)
        let model = try DecoderModel(spec, contextLength: calibration.context, threads: threads)
        let collector = ImportanceCollector()
        model.importanceCollector = collector
        let result = try Perplexity.evaluate(model, tokens: tokens, context: calibration.context, bos: tokenizer.addsBOS ? tokenizer.bosID : nil)
        return collector.statistics(datasets: [calibration.text], chunkCount: result.chunks, chunkSize: calibration.context)
            .importanceMatrix(path: "kiln imatrix, ctx \(calibration.context), \(calibration.chunks) chunks")
    }

    /// Measures every tensor's sensitivity and solves for the least-divergence mix within the budget.
    func searchMix(_ spec: ModelSpec, source: ConversionPlan, request: QuantizationRequest,
                   imatrixCalibration calibration: MixRecipe.Calibration?) throws -> MixReport {
        let tokenizer = try TokenizerLoader.load(spec)
        let text = try calibrationText(mix.calibrationFile ?? DefaultCalibrationText.name)
        let context = mix.calibrationCtx
        let tokens = spreadChunks(tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false), context: context, count: max(2, mix.calibrationChunks))
        guard tokens.count >= 2 * context else {
            throw QuantizationError(path: mix.calibrationFile ?? DefaultCalibrationText.name,
                                    "has \(tokens.count) tokens; at least two chunks of --calibration-ctx \(context) are needed")
        }
        let search = MixSearch.Request(spec: spec, candidates: try mix.candidateTypes(), importance: request.importanceMatrix, tokens: tokens,
                                       context: context, chunks: min(mix.calibrationChunks, tokens.count / context),
                                       bos: tokenizer.addsBOS ? tokenizer.bosID : nil, sensitivity: mix.sensitivity, rounding: request.rounding,
                                       threads: threads)
        let items = try MixSearch.items(search)
        let base = mix.budget.flatMap(QuantizationFileType.init(spelling:)) ?? request.fileType
        // The header with every tensor at its longest type name bounds the header of any choice.
        let longest = MixRecipe(baseType: base, tensors: items.map { item in
            (item.name, item.types.max { $0.name.utf8.count < $1.name.utf8.count }!)
        }, imatrixCalibration: calibration, rounding: request.rounding)
        var bounding = request
        bounding.fileType = base
        bounding.overrides.tensorTypes = longest.tensorTypes
        var plan = try quantizationPlan(source, spec, bounding)
        plan.metadata.moveToEnd(GGUFKey.Kiln.recipe, .string(longest.json.serialized))
        let chosen = Set(items.map(\.name))
        let others = plan.tensors.map(\.descriptor).filter { !chosen.contains($0.name) }
        let budgetBytes: Int, available: Int
        if let targetBpw = mix.targetBpw {
            let parameters = plan.tensors.reduce(0) { $0 + $1.descriptor.dimensions.reduce(1, *) }
            budgetBytes = Int(targetBpw * Double(parameters) / 8)
            available = budgetBytes - others.reduce(0) { $0 + $1.byteCount }
        } else {
            var llama = request
            llama.fileType = base
            llama.rounding = .reference
            let reference = try quantizationPlan(source, spec, llama)
            budgetBytes = GGUFWriter.fileSize(metadata: reference.metadata, tensors: reference.tensors.map(\.descriptor))
            let header = GGUFWriter.header(metadata: plan.metadata, tensors: plan.tensors.map(\.descriptor)).count
            available = budgetBytes - header - others.reduce(0) { $0 + GGUF.padded($1.byteCount, to: GGUF.defaultAlignment) }
        }
        guard MixSearch.fits(items, available: available) else {
            throw QuantizationError(path: input, "cannot meet a budget of \(budgetBytes) bytes with these candidates: the smallest mix needs \(budgetBytes - available + items.reduce(0) { $0 + $1.bytes.min()! }) bytes")
        }
        let probe = try DivergenceProbe(search)
        let line = ProgressLine(unit: .items("tensors"))
        let sensitivities = try MixSearch.measure(items, search, probe: probe) { done, total, name in
            if !json { line.update(done, of: total, "sensitivity of \(name)") }
        }
        line.finish()
        let choice = try MixSearch.choose(sensitivities, available: available)
        let recipe = MixRecipe(baseType: base, tensors: choice.recipe, imatrixCalibration: calibration, rounding: request.rounding)
        return MixReport(recipe: recipe, budgetBytes: budgetBytes, sensitivities: sensitivities, choice: choice, probe: probe, tokens: search.chunks * context)
    }

    /// Measures the written file against the reference, prints the recipe and writes --recipe-out.
    func finish(_ report: MixReport, output: String, reference: ModelSpec) throws -> JSON {
        let measured = try report.probe.summary(try CheckpointReader.open(output))
        let fileBytes = try MappedFile(path: output).count
        let sensitivities = report.sensitivities
        var types: [String: Int] = [:]
        for (_, type) in report.recipe.tensors { types[type.name, default: 0] += 1 }
        func f(_ value: Double) -> String { String(format: "%.6f", value) }
        let result = JSON.object(
            (report.recipe.json.objectMembers ?? []) + [
                ("budget_bytes", .number("\(report.budgetBytes)")), ("file_bytes", .number("\(fileBytes)")),
                ("sensitivity", .string(mix.sensitivity.rawValue)), ("evaluations", .number("\(sensitivities.evaluations)")),
                ("tokens_per_evaluation", .number("\(report.tokens)")),
                ("baseline_kld", .number(f(sensitivities.baseline))), ("predicted_kld", .number(f(report.choice.predictedKLD))),
                ("measured_kld", .number(f(measured.meanKLD))), ("measured_kld_error", .number(f(measured.meanKLDError))),
                ("measured_same_top", .number(f(measured.top1Agreement))),
                ("llama_quantize_arguments", .array(report.recipe.llamaQuantizeArguments.map { .string($0) })),
            ])
        if let recipeOut = mix.recipeOut { try AtomicOutputFile.write(Array((result.serialized + "\n").utf8), to: recipeOut) }
        if !json {
            print("mix: \(types.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")); "
                + "\(fileBytes) of \(report.budgetBytes) budget bytes")
            print("     predicted KLD \(f(report.choice.predictedKLD)), measured \(f(measured.meanKLD)) ± \(f(measured.meanKLDError)) "
                + "on \(report.tokens) calibration tokens (\(sensitivities.evaluations) \(mix.sensitivity.rawValue) runs)")
            for (name, type) in report.recipe.tensors { print("     \(name) \(type.name)") }
        }
        return result
    }
}
