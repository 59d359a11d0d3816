/// The ranges Kiln accepts for a model's sizes, wherever they are read from.
///
/// Each bound is far beyond every released model (the largest have about 130 layers, 128 heads,
/// 53,248-wide feed-forward layers, 262,144-token vocabularies and 10-million-token contexts) and
/// small enough that the product of any two fits comfortably in 64 bits and loops over them end.
public enum ValueLimits {
    /// Decoder (or vision) layers: 2^16.
    public static let layers = 1...(1 << 16)
    /// Attention heads, key/value heads included: 2^16.
    public static let heads = 1...(1 << 16)
    /// Hidden, feed-forward and head widths: 2^20.
    public static let width = 1...(1 << 20)
    /// Tokens in a vocabulary: 2^24 (GGUF stores token ids as 32-bit integers).
    public static let vocabulary = 1...(1 << 24)
    /// A token id: below the largest vocabulary.
    public static let tokenID = 0...((1 << 24) - 1)
    /// Trained context length in positions: 2^27.
    public static let contextLength = 1...(1 << 27)
}
