import Foundation
import KilnCheckpoints
import KilnCore

/// Wraps a user message in the model's chat format, recognised from its chat template.
///
/// Kiln does not run Jinja; it knows the three formats its models use: Mistral's `[INST]`,
/// Llama 3's header tokens and ChatML. A template it does not recognise is an error, not a guess.
public struct ChatFormat: Sendable {
    public enum Style: Sendable { case mistral, llama3, chatML }
    public let style: Style

    public init(_ spec: ModelSpec) throws {
        var template = spec.ggufMetadata?["tokenizer.chat_template"]?.stringValue ?? ""
        if template.isEmpty, let config = spec.tokenizerFiles?.tokenizerConfig ?? spec.tokenizerFiles?.chatTemplate {
            template = try MappedFile(path: config).text
        }
        if template.isEmpty, spec.tokenizerFiles?.tekken != nil { template = "[INST]" }
        if template.contains("[INST]") { style = .mistral }
        else if template.contains("<|start_header_id|>") { style = .llama3 }
        else if template.contains("<|im_start|>") { style = .chatML }
        else { throw RuntimeError(path: spec.path, "has no chat template Kiln recognises ([INST], Llama 3 or ChatML)") }
    }

    /// The prompt text, special tokens written out (encode it with `parseSpecial`).
    public func wrap(_ message: String) -> String {
        switch style {
        case .mistral: "[INST]\(message)[/INST]"
        case .llama3: "<|start_header_id|>user<|end_header_id|>\n\n\(message)<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        case .chatML: "<|im_start|>user\n\(message)<|im_end|>\n<|im_start|>assistant\n"
        }
    }
}
