import Foundation
import KilnSafeTensors

/// A Mistral-native checkpoint (params.json, consolidated.safetensors, the fixture's tekken.json) of a
/// chosen size, for tests that need a run long enough to interrupt (32 MiB of bf16 weights per layer
/// at the default width) or a vocabulary as large as a real model's (the tokenizer stays the
/// fixture's 1024 tokens; the embedding and output rows beyond them are never a text's tokens).
public enum SyntheticCheckpoint {
    public static func write(to folder: String, layers: Int, width: Int = 1024, hidden: Int = 4096, vocabulary: Int = 1024) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try fm.copyItem(atPath: "\(Fixtures.tinyPixtralNative)/tekken.json", toPath: "\(folder)/tekken.json")
        let heads = width / 128
        let params = #"{"dim": \#(width), "n_layers": \#(layers), "head_dim": 128, "hidden_dim": \#(hidden), "n_heads": \#(heads), "#
            + #""n_kv_heads": \#(heads), "rope_theta": 1000000.0, "norm_eps": 1e-05, "vocab_size": \#(vocabulary)}"#
        try Data(params.utf8).write(to: URL(fileURLWithPath: "\(folder)/params.json"))
        var tensors: [SafeTensorsWriter.TensorDescriptor] = []
        func add(_ name: String, _ shape: [Int]) { tensors.append(.init(name: name, dtype: .bf16, shape: shape)) }
        add("tok_embeddings.weight", [vocabulary, width])
        for layer in 0..<layers {
            for name in ["wq", "wk", "wv", "wo"] { add("layers.\(layer).attention.\(name).weight", [width, width]) }
            add("layers.\(layer).attention_norm.weight", [width])
            add("layers.\(layer).feed_forward.w1.weight", [hidden, width])
            add("layers.\(layer).feed_forward.w2.weight", [width, hidden])
            add("layers.\(layer).feed_forward.w3.weight", [hidden, width])
            add("layers.\(layer).ffn_norm.weight", [width])
        }
        add("norm.weight", [width])
        add("output.weight", [vocabulary, width])
        // Small bf16 values from a fixed sequence; blocks repeat, which quantizers do not notice.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let block: [UInt16] = (0..<(1 << 19)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.1
            return UInt16(value.bitPattern >> 16)
        }
        let writer = try SafeTensorsWriter(path: "\(folder)/consolidated.safetensors", tensors: tensors)
        try block.withUnsafeBytes { block in
            for tensor in tensors {
                var remaining = tensor.shape.reduce(2, *)
                while remaining > 0 {
                    let count = min(remaining, block.count)
                    try writer.write(UnsafeRawBufferPointer(rebasing: block[0..<count]))
                    remaining -= count
                }
            }
        }
        try writer.finish()
    }
}
