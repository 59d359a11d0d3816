import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime

/// What `kiln verify --images` compares: the reference folder's vision tower and decoder against the
/// candidate's text GGUF and projector file, over the same image+text prompts.
public struct ImageVerificationRequest: Sendable {
    public var reference: String
    public var candidate: String
    /// The candidate's mmproj GGUF.
    public var candidateProjector: String
    public var images: [String]
    /// Text after each image; its tokens are the scored positions.
    public var prompt = ImageVerificationRequest.defaultPrompt
    public var threads = availableCores

    /// Long enough to score a few dozen positions after the image.
    public static let defaultPrompt = "Describe this image in detail: the objects in it, their colours and shapes, where they are, and what the picture as a whole shows."

    public init(reference: String, candidate: String, candidateProjector: String, images: [String]) {
        self.reference = reference
        self.candidate = candidate
        self.candidateProjector = candidateProjector
        self.images = images
    }
}

public struct ImageVerificationResult: Sendable {
    public let summary: DivergenceSummary
    public let divergences: [Float]
    public let images: Int
    public let seconds: Double
}

/// Runs each image followed by the prompt through reference and candidate and compares their
/// predictions of the prompt's tokens, position by position, as ``Verification`` does for text.
public enum ImageVerification {
    /// The folder of images `--images` names, JPEG and PNG files sorted by name.
    public static func images(in folder: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw VerificationError("\(folder): cannot list the images folder")
        }
        let images = names.filter { ["jpg", "jpeg", "png"].contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !images.isEmpty else { throw VerificationError("\(folder): holds no .jpg, .jpeg or .png image") }
        return images.map { "\(folder)/\($0)" }
    }

    public static func run(_ request: ImageVerificationRequest, progress: ((VerificationProgress) -> Void)? = nil) throws -> ImageVerificationResult {
        let started = ContinuousClock.now
        let referenceSpec = try CheckpointReader.open(request.reference)
        guard let referenceVision = referenceSpec.visionSpec else {
            throw VerificationError("\(request.reference) has no vision tower to verify images against")
        }
        let candidateSpec = try CheckpointReader.open(request.candidate)
        let tokenizer = try TokenizerLoader.load(referenceSpec)
        let preprocessor = referenceSpec.preprocessorConfig
        let reference = try ImagePrompter(vision: referenceVision, tokenizer: tokenizer, preprocessorConfig: preprocessor, threads: request.threads)
        let candidate = try ImagePrompter(vision: try CheckpointReader.openProjector(request.candidateProjector), tokenizer: tokenizer,
                                          preprocessorConfig: preprocessor, threads: request.threads)
        // One image, then the prompt: the scored positions are the prompt's tokens.
        let text = reference.imageMarker + request.prompt
        let promptTokens = tokenizer.encode(request.prompt, addBOS: false, parseSpecial: false)
        guard promptTokens.count >= 2 else { throw VerificationError("the image prompt needs at least two tokens to score") }

        var referenceModel: DecoderModel?, candidateModel: DecoderModel?
        var statistics = DivergenceStatistics()
        for (index, image) in request.images.enumerated() {
            let referenceInputs = try reference.inputs(text, images: [image], tokenizer: tokenizer, addBOS: tokenizer.addsBOS, parseSpecial: false)
            let candidateInputs = try candidate.inputs(text, images: [image], tokenizer: tokenizer, addBOS: tokenizer.addsBOS, parseSpecial: false)
            let n = referenceInputs.count
            guard candidateInputs.count == n else {
                throw VerificationError("\(image): \(request.candidateProjector) lays it out in \(candidateInputs.count) positions but \(request.reference) in \(n); the two vision towers disagree on its patch grid")
            }
            // The last image row (`[IMG_END]`) predicts the prompt's first token; the last token predicts nothing.
            let first = n - promptTokens.count - 1
            if referenceModel == nil || referenceModel!.contextLength < n {
                referenceModel = try DecoderModel(referenceSpec, contextLength: n, threads: request.threads)
                candidateModel = try DecoderModel(candidateSpec, contextLength: n, threads: request.threads)
            }
            referenceModel!.reset()
            candidateModel!.reset()
            let referenceLogits = try referenceModel!.evaluate(referenceInputs, logitsFrom: first)
            let candidateLogits = try candidateModel!.evaluate(candidateInputs, logitsFrom: first)
            let vocabulary = referenceModel!.vocabularySize
            guard candidateModel!.vocabularySize == vocabulary else {
                throw VerificationError("\(request.candidate) has \(candidateModel!.vocabularySize) output logits but \(request.reference) has \(vocabulary)")
            }
            var words = [UInt16](repeating: 0, count: ReferenceLogProbabilities.wordCount(vocabularySize: vocabulary))
            for (i, target) in promptTokens.enumerated() {
                let row = (i * vocabulary)..<((i + 1) * vocabulary)
                referenceLogits[row].withUnsafeBufferPointer { logits in
                    words.withUnsafeMutableBufferPointer { _ = ReferenceLogProbabilities.encode(logits, token: target, into: $0) }
                }
                candidateLogits[row].withUnsafeBufferPointer { logits in
                    words.withUnsafeBufferPointer { statistics.add(candidate: logits, reference: $0, token: target) }
                }
            }
            progress?(VerificationProgress(.images, index + 1, of: request.images.count, (image as NSString).lastPathComponent))
        }
        let elapsed = started.duration(to: .now)
        return ImageVerificationResult(summary: statistics.summary, divergences: statistics.divergences, images: request.images.count,
                                       seconds: elapsed.seconds)
    }
}
