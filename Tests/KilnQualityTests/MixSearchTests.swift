import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
@testable import KilnQuality
import KilnQuantization
import KilnRuntime
import KilnTestSupport
import Testing

/// The thorough (`measured`) sensitivity mode against the cheap (`calibrated`) proxy on the trained
/// wide fixture (row length 256, so the K-quants apply), with llama-imatrix's importance matrix:
/// what each mode costs in runs, that the proxy is anchored on the same measurement, that the solver
/// keeps to the byte budget, and that the divergence each mode predicts for its mix agrees with the
/// divergence the runtime measures for that whole mix.
@Suite(.serialized) struct MixSearchTests {
    static let candidates: [GGMLType] = [.q2_K, .q4_K, .q6_K]

    struct Setup {
        let request: MixSearch.Request
        let items: [MixSearch.Item]
        let probe: DivergenceProbe
        let measured: MixSearch.Sensitivities
        let calibrated: MixSearch.Sensitivities
    }

    /// Four chunks of 64 calibration tokens, measured once in each mode.
    nonisolated(unsafe) static let setup: Setup = {
        let spec = try! CheckpointReader.open(Fixtures.wideLlama)
        let tokenizer = try! TokenizerLoader.load(spec)
        let tokens = Array(tokenizer.encode(DefaultCalibrationText.text, addBOS: tokenizer.addsBOS, parseSpecial: false).prefix(4 * 64))
        let importance = try! ImportanceMatrix(path: "\(Fixtures.goldens)/quantize-wide/wide-llama.imatrix.gguf")
        var request = MixSearch.Request(spec: spec, candidates: candidates, importance: importance, tokens: tokens, context: 64, chunks: 4,
                                        bos: tokenizer.addsBOS ? tokenizer.bosID : nil, sensitivity: .measured, threads: 2)
        let items = try! MixSearch.items(request)
        let probe = try! DivergenceProbe(request)
        let measured = try! MixSearch.measure(items, request, probe: probe)
        request.sensitivity = .calibrated
        let calibrated = try! MixSearch.measure(items, request, probe: probe)
        return Setup(request: request, items: items, probe: probe, measured: measured, calibrated: calibrated)
    }()

    /// The runtime's KL divergence for the whole mix: every chosen tensor quantized at once.
    func measuredKLD(_ choice: MixSearch.Choice) throws -> Double {
        let setup = Self.setup
        var spec = setup.request.spec
        for (name, type) in choice.recipe {
            let tensor = try #require(spec.tensors.first { CheckpointLayout.gguf.name(of: $0.role) == name })
            let importance = setup.request.importance?.entries[name]
            spec = MixSearch.replacing(spec, tensor, type: type, bytes: try PlannedTensor.encode(tensor, as: type, importance: importance, threads: 2))
        }
        return try setup.probe.meanKLD(spec)
    }

    @Test func thoroughModeRunsEveryTensorAtEveryTypeAndTheProxyOnlyTheSmallest() throws {
        let setup = Self.setup
        #expect(setup.items.count == 4 * 7 + 2)  // and the token embedding and output
        #expect(setup.items.allSatisfy { $0.types == Self.candidates })
        #expect(setup.measured.evaluations == 1 + setup.items.count * Self.candidates.count)
        #expect(setup.calibrated.evaluations == 1 + setup.items.count)
        #expect(setup.measured.baseline == setup.calibrated.baseline)
        for (measured, calibrated) in zip(setup.measured.items, setup.calibrated.items) {
            // Both modes measure the tensor at Q2_K (its smallest type) the same way; the proxy scales from there.
            #expect(abs(calibrated.costs[0] - max(measured.costs[0], 0)) <= 1e-12 * max(1, measured.costs[0]), "\(measured.name)")
            // Measured, not guessed: every tensor hurts more at 2 bits than at 6.
            #expect(measured.costs[0] > measured.costs[2], "\(measured.name): \(measured.costs)")
            #expect(calibrated.costs[0] > calibrated.costs[1] && calibrated.costs[1] > calibrated.costs[2], "\(calibrated.name): \(calibrated.costs)")
        }
    }

    /// Budgets a quarter, half and three quarters of the way from every tensor at Q2_K to every tensor
    /// at Q6_K. Tolerances: the thorough mode's prediction (baseline plus the sum of single-tensor
    /// ΔKLDs) within 10 % of the whole mix's measured divergence (seen: within 4 %), the proxy's within
    /// 35 % (seen: within 20 %), and the thorough mode's mix no worse than the proxy's by more than 5 %
    /// (seen: 1.6–3 % better).
    @Test(arguments: [1, 2, 3])
    func predictedAgreesWithMeasuredAndTheBudgetHolds(_ quarter: Int) throws {
        let setup = Self.setup
        let smallest = setup.items.reduce(0) { $0 + $1.bytes.min()! }, largest = setup.items.reduce(0) { $0 + $1.bytes.max()! }
        let available = smallest + (largest - smallest) * quarter / 4
        var kld: [MixSearch.Sensitivity: Double] = [:]
        for (mode, sensitivities) in [(MixSearch.Sensitivity.measured, setup.measured), (.calibrated, setup.calibrated)] {
            let choice = try MixSearch.choose(sensitivities, available: available)
            let bytes = zip(setup.items, choice.recipe).reduce(0) { total, pair in total + pair.0.bytes[pair.0.types.firstIndex(of: pair.1.type)!] }
            #expect(bytes == choice.bytes && bytes <= available, "\(mode): \(bytes) of \(available) bytes")
            // The bytes left over buy no single change that would lower the predicted divergence.
            for (item, chosen) in zip(sensitivities.items, choice.recipe) {
                let current = item.types.firstIndex(of: chosen.type)!
                for option in item.types.indices where item.costs[option] < item.costs[current] {
                    #expect(bytes - item.bytes[current] + item.bytes[option] > available, "\(mode): \(item.name) could still improve")
                }
            }
            let measured = try measuredKLD(choice)
            kld[mode] = measured
            let ratio = choice.predictedKLD / measured
            if mode == .measured {
                #expect(abs(ratio - 1) <= 0.10, "\(mode): predicted \(choice.predictedKLD), measured \(measured)")
            } else {
                #expect(abs(ratio - 1) <= 0.35, "\(mode): predicted \(choice.predictedKLD), measured \(measured)")
            }
        }
        #expect(kld[.measured]! <= kld[.calibrated]! * 1.05, "thorough \(kld[.measured]!) vs proxy \(kld[.calibrated]!)")
    }
}
