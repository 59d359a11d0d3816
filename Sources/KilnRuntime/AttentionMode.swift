/// Which of llama.cpp's CPU attention paths a GGUF model's attention reproduces (its `-fa` option).
///
/// Over an F16 KV cache the two paths round differently, and the flash path itself has two kernels:
/// - `.flash` (`-fa on`; llama.cpp's default `-fa auto` resolves to it on CPU): a micro-batch of at
///   least 64 query rows per sequence runs the tiled kernel, all in F32 over the F16 cache; fewer rows
///   (decoding one token, a short prompt) run the one-row kernel, whose query is rounded to F16 and whose
///   value accumulator is F16, rounded after every step of the online softmax. A single row over a
///   cache view of 512 cells or more splits the keys into one chunk per thread and merges the chunks
///   in F32, so decoding there depends on the thread count, as llama.cpp's does.
/// - `.standard` (`-fa off`): Q·Kᵀ and P·V are F16 matrix products, so queries and attention weights are
///   rounded to F16.
///
/// Safetensors models keep an F32 cache and round nothing, as transformers does.
public enum AttentionMode: String, Sendable, CaseIterable {
    case flash
    case standard

    /// Query rows per sequence from which llama.cpp's flash attention takes its tiled F32 kernel
    /// (`GGML_FA_TILE_Q`).
    static let tiledRows = 64

    /// Cache-view cells from which llama.cpp decodes a single query row by the split-KV path.
    static let splitKeyValueCells = 512
}
