import Foundation
import KilnCore

/// A tiny checkpoint built from a case folder of `Fixtures/converter-rules`: the fixture folder its
/// `case.json` names (if any), its own side files over it, the bigger fixture files `case.json`
/// copies in, and, without a fixture folder, a Llama `model.safetensors` written from config.json.
/// `Scripts/oracle/make_rule_goldens.py` builds the very same bytes for llama.cpp's converter.
public enum SyntheticLlama {
    public static func build(case name: String, into destination: String) throws {
        let source = Fixtures.path("converter-rules/\(name)")
        let spec = try JSON.read(contentsOf: "\(source)/case.json")
        let fm = FileManager.default
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        func copy(_ path: String, as file: String) throws {
            if fm.fileExists(atPath: "\(destination)/\(file)") { try fm.removeItem(atPath: "\(destination)/\(file)") }
            try fm.copyItem(atPath: path, toPath: "\(destination)/\(file)")
        }
        if let folder = spec["folder"]?.stringValue {
            for file in try fm.contentsOfDirectory(atPath: Fixtures.path(folder)) { try copy(Fixtures.path("\(folder)/\(file)"), as: file) }
        }
        for file in try fm.contentsOfDirectory(atPath: source) where file != "case.json" { try copy("\(source)/\(file)", as: file) }
        for (file, relative) in spec["copy"]?.objectMembers ?? [] { try copy(Fixtures.path(relative.stringValue!), as: file) }
        if spec["folder"] == nil {
            try weights(config: try JSON.read(contentsOf: "\(source)/config.json")).write(to: "\(destination)/model.safetensors")
        }
    }

    /// Every tensor of a `LlamaForCausalLM`, sorted by name, BF16; element i of the t-th tensor is
    /// ((31·i + 17·t) mod 255 − 127) / 256, exact in bf16. The header is padded to 8 bytes.
    static func weights(config: JSON) -> RawSafeTensors {
        func int(_ key: String) -> Int? { config[key]?.intValue }
        let hidden = int("hidden_size")!, feedForward = int("intermediate_size")!, vocabulary = int("vocab_size")!
        let heads = int("num_attention_heads")!, kvHeads = int("num_key_value_heads") ?? heads
        let headDimension = int("head_dim") ?? hidden / heads
        var tensors: [(name: String, shape: [Int])] = [("model.embed_tokens.weight", [vocabulary, hidden]), ("model.norm.weight", [hidden])]
        if config["tie_word_embeddings"]?.boolValue != true { tensors.append(("lm_head.weight", [vocabulary, hidden])) }
        for layer in 0..<int("num_hidden_layers")! {
            let p = "model.layers.\(layer)."
            tensors += [(p + "input_layernorm.weight", [hidden]), (p + "post_attention_layernorm.weight", [hidden]),
                        (p + "self_attn.q_proj.weight", [heads * headDimension, hidden]), (p + "self_attn.k_proj.weight", [kvHeads * headDimension, hidden]),
                        (p + "self_attn.v_proj.weight", [kvHeads * headDimension, hidden]), (p + "self_attn.o_proj.weight", [hidden, heads * headDimension]),
                        (p + "mlp.gate_proj.weight", [feedForward, hidden]), (p + "mlp.up_proj.weight", [feedForward, hidden]),
                        (p + "mlp.down_proj.weight", [hidden, feedForward])]
        }
        tensors.sort { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }
        var entries = [#""__metadata__":{"format":"pt"}"#]
        var data: [UInt8] = []
        for (t, tensor) in tensors.enumerated() {
            let start = data.count
            for i in 0..<tensor.shape.reduce(1, *) {
                let value = Float((31 * i + 17 * t) % 255 - 127) / 256
                let bf16 = UInt16(value.bitPattern >> 16)
                data += [UInt8(bf16 & 0xff), UInt8(bf16 >> 8)]
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(#""\#(tensor.name)":{"dtype":"BF16","shape":[\#(shape)],"data_offsets":[\#(start),\#(data.count)]}"#)
        }
        var header = "{" + entries.joined(separator: ",") + "}"
        header += String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        return RawSafeTensors(header: header, data: data)
    }
}
