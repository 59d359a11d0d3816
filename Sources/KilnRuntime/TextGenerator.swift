import Foundation
import KilnCore

/// Prompt processing in one batch, then one token at a time until EOS or the limit.
public struct TextGenerator {
    public struct Result: Sendable {
        public var generated: [Int]
        public var promptSeconds: Double
        public var generationSeconds: Double
        public var promptTokens: Int

        public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
        public var generationTokensPerSecond: Double { generationSeconds > 0 ? Double(generated.count) / generationSeconds : 0 }
    }

    public let model: DecoderModel
    public var sampler: Sampler
    public let eos: Int?
    /// Other ids that end generation (a chat format's end of turn), not emitted either.
    public var stops: Set<Int> = []

    public init(model: DecoderModel, sampler: Sampler, eos: Int?) {
        self.model = model
        self.sampler = sampler
        self.eos = eos
    }

    /// Generates up to `maxTokens` ids after `prompt`, calling `emit` with each (EOS is not emitted).
    public mutating func generate(prompt: [Int], maxTokens: Int, emit: (Int) -> Void = { _ in }) throws -> Result {
        try generate(prompt: prompt.map(DecoderInput.token), maxTokens: maxTokens) { id, _ in emit(id) }
    }

    /// Generates up to `maxTokens` ids after `prompt` (tokens and embedding rows such as image patches),
    /// calling `emit` with each id and the logits it was drawn from (EOS is not emitted).
    public mutating func generate(prompt: [DecoderInput], maxTokens: Int, emit: (_ id: Int, _ logits: ArraySlice<Float>) -> Void) throws -> Result {
        guard !prompt.isEmpty else { throw RuntimeError(path: "", "the prompt has no tokens") }
        model.reset()
        let start = ContinuousClock.now
        var logits = try model.evaluate(prompt)
        let promptDone = ContinuousClock.now
        var generated: [Int] = []
        while generated.count < maxTokens {
            let id = sampler.sample(logits[...])
            if id == eos || stops.contains(id) { break }
            generated.append(id)
            emit(id, logits[...])
            if generated.count == maxTokens || model.position >= model.contextLength { break }
            logits = try model.evaluate([id])
        }
        let end = ContinuousClock.now
        return Result(generated: generated, promptSeconds: (promptDone - start).seconds, generationSeconds: (end - promptDone).seconds, promptTokens: prompt.count)
    }

}
