import KilnCheckpoints

/// The text tokens that frame an image in a Pixtral prompt.
public struct PixtralImageTokens: Sendable, Equatable {
    /// `[IMG]`: a placeholder whose position takes one image patch.
    public var image: Int
    /// `[IMG_BREAK]`: ends every patch row but the last.
    public var imageBreak: Int
    /// `[IMG_END]`: ends the last patch row.
    public var imageEnd: Int

    public init(image: Int, imageBreak: Int, imageEnd: Int) {
        self.image = image
        self.imageBreak = imageBreak
        self.imageEnd = imageEnd
    }

    /// The ids a model folder's vision parameters name; nil for an mmproj file, whose text GGUF's
    /// vocabulary holds them.
    public init?(_ parameters: VisionModelParameters) {
        guard let image = parameters.imageTokenId, let imageBreak = parameters.imageBreakTokenId, let imageEnd = parameters.imageEndTokenId else {
            return nil
        }
        self.init(image: image, imageBreak: imageBreak, imageEnd: imageEnd)
    }

    /// The ids `PixtralProcessor` puts in place of one image of `rows × columns` patches:
    /// (`[IMG]` × columns, `[IMG_BREAK]`) per row, the last `[IMG_BREAK]` replaced by `[IMG_END]`.
    ///
    /// `LlavaForConditionalGeneration` then puts the patch embeddings at the `[IMG]` positions
    /// (``DecoderInput/scatter(_:over:imageToken:)``) and embeds `[IMG_BREAK]`/`[IMG_END]` as ordinary
    /// tokens. llama.cpp's mtmd gets the same sequence differently: clip appends the mmproj's own
    /// `v.token_embd.img_break` row after every patch row but the last, and mtmd adds the text token
    /// `[IMG_END]` after the image.
    public func ids(rows: Int, columns: Int) -> [Int] {
        guard rows > 0, columns > 0 else { return [] }
        var ids: [Int] = []
        ids.reserveCapacity(rows * (columns + 1))
        for row in 0..<rows {
            ids += repeatElement(image, count: columns)
            ids.append(row == rows - 1 ? imageEnd : imageBreak)
        }
        return ids
    }

    /// One image's decoder inputs: its patch embeddings row by row, each row followed by the
    /// `[IMG_BREAK]` token, the last by `[IMG_END]`.
    public func inputs(for embedding: ImageEmbedding) -> [DecoderInput] {
        var inputs: [DecoderInput] = []
        inputs.reserveCapacity(embedding.rows * (embedding.columns + 1))
        for row in 0..<embedding.rows {
            for column in 0..<embedding.columns { inputs.append(.embedding(embedding.patch(row * embedding.columns + column))) }
            inputs.append(.token(row == embedding.rows - 1 ? imageEnd : imageBreak))
        }
        return inputs
    }
}
