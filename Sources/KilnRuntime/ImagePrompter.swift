import Foundation
import KilnCheckpoints
import KilnImages
import KilnTokenizers

/// Turns a prompt with images into the decoder's inputs: each image decoded, preprocessed as
/// transformers' `PixtralImageProcessor` does, encoded by the vision tower and laid out as Pixtral's
/// `[IMG]` rows where the prompt's image marker stands.
public struct ImagePrompter {
    /// llama.cpp's media marker, accepted as well as the model's own image token text.
    public static let mediaMarker = "<__media__>"

    public let vision: PixtralVision
    public let processor: PixtralImageProcessor
    public let imageTokens: PixtralImageTokens
    /// The model's image token as text (`[IMG]`), the marker a prompt writes where an image goes.
    public let imageMarker: String
    /// The vision tower's `[IMG_BREAK]` row: llama.cpp's mtmd takes it from the projector file rather
    /// than from the (possibly quantized) text embedding; from a folder it is that embedding's row.
    let imageBreakRow: ArraySlice<Float>?

    /// - Parameters:
    ///   - preprocessorConfig: a model folder's `preprocessor_config.json`, nil for the defaults of the
    ///     vision tower's image and patch size.
    public init(vision spec: VisionSpec, tokenizer: any TextTokenizer, preprocessorConfig: String?, threads: Int) throws {
        func id(_ text: String) throws -> Int {
            let ids = tokenizer.encode(text, addBOS: false, parseSpecial: true)
            guard ids.count == 1 else { throw RuntimeError(path: spec.path, "the tokenizer has no \(text) token, which Pixtral images need") }
            return ids[0]
        }
        imageMarker = "[IMG]"
        let spelled = PixtralImageTokens(image: try id("[IMG]"), imageBreak: try id("[IMG_BREAK]"), imageEnd: try id("[IMG_END]"))
        // A folder names the ids in its configuration; an mmproj file does not, so the tokenizer spells them.
        // Where both say, they must agree: a prompt's [IMG] markers are found by their text.
        if let named = PixtralImageTokens(spec.parameters), named != spelled {
            throw RuntimeError(path: spec.path, "the vision configuration names image tokens \(named.image)/\(named.imageBreak)/\(named.imageEnd) but the tokenizer spells [IMG]/[IMG_BREAK]/[IMG_END] as \(spelled.image)/\(spelled.imageBreak)/\(spelled.imageEnd)")
        }
        imageTokens = spelled
        vision = try PixtralVision(spec, threads: threads)
        imageBreakRow = try spec.imageBreakEmbedding.map { try WeightMatrix.vector($0, storage: WeightStorage())[...] }
        var processor = try PixtralImageProcessor(preprocessorConfig: preprocessorConfig, imageSize: spec.parameters.imageSize,
                                                  patchSize: spec.parameters.patchSize)
        // The vision tower's own normalization (from preprocessor_config.json or the mmproj file) is the one truth.
        processor.mean = spec.parameters.imageMean
        processor.standardDeviation = spec.parameters.imageStd
        self.processor = processor
    }

    /// `prompt` with exactly `imageCount` image markers: llama.cpp's `<__media__>` becomes the model's
    /// marker, and images the prompt does not place go before its text, as transformers' chat
    /// templates put them.
    public func placeImages(in prompt: String, imageCount: Int) throws -> String {
        let text = prompt.replacingOccurrences(of: Self.mediaMarker, with: imageMarker)
        let placed = text.components(separatedBy: imageMarker).count - 1
        guard placed <= imageCount else {
            throw RuntimeError(path: "", "the prompt places \(placed) images (\(imageMarker) or \(Self.mediaMarker)) but \(imageCount) were given")
        }
        return String(repeating: imageMarker, count: imageCount - placed) + text
    }

    /// The decoder inputs of `text` (with one marker per image, e.g. from ``placeImages(in:imageCount:)``
    /// and a chat format), each marker replaced by its image's patch rows.
    public func inputs(_ text: String, images: [String], tokenizer: any TextTokenizer, addBOS: Bool, parseSpecial: Bool) throws -> [DecoderInput] {
        let pieces = text.components(separatedBy: imageMarker)
        guard pieces.count - 1 == images.count else {
            throw RuntimeError(path: "", "the prompt places \(pieces.count - 1) images but \(images.count) were given")
        }
        let embeddings = try encode(images)
        var inputs: [DecoderInput] = []
        for (index, piece) in pieces.enumerated() {
            // Special tokens split text in every tokenizer, so tokenizing around the images equals
            // tokenizing the processor's expanded text.
            inputs += tokenizer.encode(piece, addBOS: addBOS && index == 0, parseSpecial: parseSpecial).map(DecoderInput.token)
            if index < embeddings.count { inputs += imageInputs(embeddings[index]) }
        }
        return inputs
    }

    /// One image's rows, with the vision tower's own `[IMG_BREAK]` row where it has one.
    func imageInputs(_ embedding: ImageEmbedding) -> [DecoderInput] {
        let inputs = imageTokens.inputs(for: embedding)
        guard let imageBreakRow else { return inputs }
        return inputs.map { $0 == .token(imageTokens.imageBreak) ? .embedding(imageBreakRow) : $0 }
    }

    /// Each image file decoded, preprocessed and encoded.
    public func encode(_ images: [String]) throws -> [ImageEmbedding] {
        try images.map { path in
            let pixels = try processor.preprocess(RGBImage(contentsOf: path), path: path)
            return try vision.encode(pixels.values, height: pixels.height, width: pixels.width)
        }
    }
}
