/// What the decoder reads at one position: a token, whose row of the embedding table it looks up, or
/// an embedding row given directly (an image patch projected by ``PixtralVision``).
public enum DecoderInput: Sendable, Equatable {
    case token(Int)
    /// The text model's hidden size of floats.
    case embedding(ArraySlice<Float>)

    /// Scatters image embeddings over the `imageToken` positions of `tokens`, in order, as
    /// transformers' `LlavaForConditionalGeneration` does; every other id (`[IMG_BREAK]`, `[IMG_END]`,
    /// text) stays an ordinary token.
    ///
    /// Throws when the placeholders and the images' patches do not match in number.
    public static func scatter(_ images: [ImageEmbedding], over tokens: [Int], imageToken: Int) throws -> [DecoderInput] {
        let patches = images.reduce(0) { $0 + $1.patchCount }
        let placeholders = tokens.reduce(0) { $0 + ($1 == imageToken ? 1 : 0) }
        guard placeholders == patches else {
            throw RuntimeError(path: "", "the prompt holds \(placeholders) image tokens but the images have \(patches) patches")
        }
        var image = 0, patch = 0
        return tokens.map { id in
            guard id == imageToken else { return .token(id) }
            while patch == images[image].patchCount { image += 1; patch = 0 }
            defer { patch += 1 }
            return .embedding(images[image].patch(patch))
        }
    }
}
